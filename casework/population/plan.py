"""How big the population is, how it is cut into parts, and the shared world every part
reads: districts with their organisations and staff, content types, the calendar."""

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings

from casework import deadlines as casework_deadlines
from casework.working_days import (
    ALMATY,
    WorkingCalendar,
    end_of_working_day,
    is_working_day,
    subtract_working_time,
    working_days_deadline,
)

# Kazakhstan (DESIGN.md section 8): 188 districts for about 6.9 million children.
NATIONAL_CHILDREN = 6_900_000
NATIONAL_DISTRICTS = 188
DISTRICTS_PER_REGION = 9.4  # 188 districts in 20 regions and cities
DEFAULT_PART_SIZE = 25_000
NOTICE_PART_SIZE = 50_000
MAX_PARTS = 100
# Children's files were opened over these years; referrals and cases are of the last one.
HISTORY_YEARS = 4


@dataclass(frozen=True)
class Options:
    children: int
    seed: int
    open_notices: int = 0
    workers: int = 2
    part_size: int = DEFAULT_PART_SIZE
    now: datetime | None = None  # the moment of generation (default: the clock)


def district_count(children: int) -> int:
    return max(2, round(NATIONAL_DISTRICTS * children / NATIONAL_CHILDREN))


def region_count(districts: int) -> int:
    return max(1, round(districts / DISTRICTS_PER_REGION))


def part_sizes(total: int, part_size: int, limit: int = MAX_PARTS) -> list[int]:
    """`total` split into near-equal parts of about `part_size` (at most `limit`)."""
    if total <= 0:
        return []
    parts = min(limit, math.ceil(total / part_size))
    base, extra = divmod(total, parts)
    return [base + (1 if n < extra else 0) for n in range(parts)]


def part_rng(seed: int, kind: str, index: int) -> random.Random:
    # A string seed is hashed with SHA-512: the same on every run and machine.
    return random.Random(f"qamqor-population:{seed}:{kind}:{index}")  # noqa: S311 - synthetic data


@dataclass
class DistrictWorld:
    """One district: its organisations and the staff the parts act as."""

    id: int
    code: str
    region_id: int
    name_ru: str
    locality: str
    share: float  # of the country's children
    has_fsc: bool
    guardianship: int = 0
    fsc: int | None = None
    kdn: int = 0
    police: int = 0
    police_name: str = ""
    institution: int = 0
    schools: list[int] = field(default_factory=list)
    preschools: list[int] = field(default_factory=list)
    clinics: list[int] = field(default_factory=list)
    ngos: list[int] = field(default_factory=list)
    head: int = 0
    specialists: list[int] = field(default_factory=list)
    fsc_head: int | None = None
    fsc_staff: list[int] = field(default_factory=list)
    kdn_secretary: int = 0
    kdn_members: list[int] = field(default_factory=list)
    referrers: dict[int, int] = field(default_factory=dict)  # organisation -> its user
    police_account: int = 0  # the police unit's API service account
    users: dict[int, str] = field(default_factory=dict)  # user -> full name

    def guardianship_staff(self) -> list[int]:
        return [self.head, *self.specialists]

    def fsc_team(self) -> list[int]:
        return [self.fsc_head, *self.fsc_staff] if self.fsc_head else []


@dataclass
class World:
    seed: int
    now: datetime
    districts: list[DistrictWorld]
    content_types: dict[str, int]  # model label -> content type id
    grounds: list[int]  # difficult-situation grounds in use, "other" excluded
    calendar: WorkingCalendar
    messages: dict[str, str]  # notification texts in Russian, by key
    taken_iins: frozenset[str] = frozenset()

    @property
    def today(self) -> date:
        return self.now.astimezone(ALMATY).date()

    @property
    def history_start(self) -> datetime:
        return self.now - timedelta(days=365 * HISTORY_YEARS)

    def district_weights(self) -> list[float]:
        return [d.share for d in self.districts]


class Deadlines:
    """The services' deadline functions (`referrals.deadlines`, `casework.deadlines`,
    `children.services.files.end_of_day`) over one calendar built once for the whole
    period, instead of one calendar per call; memoised by day, as they depend only on
    the Almaty date of their start. Tests compare them with the services' own."""

    def __init__(self, calendar: WorkingCalendar):
        self.calendar = calendar
        self._days: dict[tuple[date, int], datetime] = {}
        self._reminders: dict[datetime, datetime] = {}

    def _after(self, moment: datetime, working_days: int) -> datetime:
        key = (moment.astimezone(ALMATY).date(), working_days)
        due = self._days.get(key)
        if due is None:
            due = self._days[key] = working_days_deadline(
                moment, working_days, self.calendar, closes_at=settings.WORKDAY_ENDS_AT
            )
        return due

    def transfer_due(self, registered_at: datetime) -> datetime:
        return self._after(registered_at, 1)

    def transfer_remind(self, due_at: datetime) -> datetime:
        remind = self._reminders.get(due_at)
        if remind is None:
            remind = self._reminders[due_at] = subtract_working_time(
                due_at,
                timedelta(hours=settings.TRANSFER_REMINDER_WORKING_HOURS),
                self.calendar,
                opens_at=settings.WORKDAY_STARTS_AT,
                closes_at=settings.WORKDAY_ENDS_AT,
            )
        return remind

    def pickup_due(self, transferred_at: datetime) -> datetime:
        return self._after(transferred_at, settings.PICKUP_ESCALATION_WORKING_DAYS)

    def assessment_due(self, picked_up_at: datetime, *, urgent: bool) -> datetime:
        days = (
            settings.ASSESSMENT_URGENT_WORKING_DAYS if urgent else settings.ASSESSMENT_WORKING_DAYS
        )
        return self._after(picked_up_at, days)

    def databank_due(self, identified_at: datetime) -> datetime:
        return self._after(identified_at, 1)

    @staticmethod
    def guardianship_notice_due(event_at: datetime) -> datetime:
        return casework_deadlines.guardianship_notice_due_at(event_at)

    @staticmethod
    def end_of_day(day: date) -> datetime:
        """A plan measure's or a commission instruction's due date: the day's end."""
        return casework_deadlines.end_of_day(day)

    @staticmethod
    def review_until(held_at: datetime) -> datetime:
        return casework_deadlines.review_until(held_at)

    def registry_end_of_day(self, day: date) -> datetime:
        """A registry timer's due date: the close of that working day, or of the working
        day before it (`children.services.files.end_of_day`)."""
        candidate = day
        while not is_working_day(candidate, self.calendar):
            candidate -= timedelta(days=1)
        return end_of_working_day(candidate, self.calendar, closes_at=settings.WORKDAY_ENDS_AT)

    def is_working_day(self, day: date) -> bool:
        return is_working_day(day, self.calendar)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ALMATY)
