"""The working-day calendar: pure functions over dates.

No ORM and no clock here. Callers pass a `WorkingCalendar` (built by
`casework.selectors.working_calendar` from the `holidays` package and the override
table) and the moments they care about, so every rule is testable on its own.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

ALMATY = ZoneInfo("Asia/Almaty")
SATURDAY, SUNDAY = 5, 6


class CalendarRangeError(ValueError):
    """A date outside the years the calendar was built for: answering would be a guess."""


@dataclass(frozen=True)
class WorkingCalendar:
    first_year: int
    last_year: int
    days_off: frozenset[date]  # public holidays and transferred days off on weekdays
    working_weekend_days: frozenset[date]  # Saturdays/Sundays worked by decree
    weekend: frozenset[int] = frozenset({SATURDAY, SUNDAY})

    def covers(self, day: date) -> bool:
        return self.first_year <= day.year <= self.last_year


def build_calendar(
    *,
    first_year: int,
    last_year: int,
    package_days_off: Iterable[date],
    package_working_days: Iterable[date],
    overrides: Mapping[date, bool],
) -> WorkingCalendar:
    """Combine the `holidays` package with overrides; overrides win.

    `overrides` maps a day to True (declared a working day) or False (declared a day off).
    """
    days_off = {day for day in package_days_off if first_year <= day.year <= last_year}
    working = {day for day in package_working_days if first_year <= day.year <= last_year}
    for day, is_working in overrides.items():
        if is_working:
            days_off.discard(day)
            working.add(day)
        else:
            working.discard(day)
            days_off.add(day)
    return WorkingCalendar(
        first_year=first_year,
        last_year=last_year,
        days_off=frozenset(days_off),
        working_weekend_days=frozenset(working),
    )


def is_working_day(day: date, calendar: WorkingCalendar) -> bool:
    if not calendar.covers(day):
        raise CalendarRangeError(
            f"{day} is outside the calendar ({calendar.first_year}-{calendar.last_year})"
        )
    if day in calendar.working_weekend_days:
        return True
    return day.weekday() not in calendar.weekend and day not in calendar.days_off


def next_working_day(day: date, calendar: WorkingCalendar) -> date:
    """The first working day strictly after `day`."""
    candidate = day + timedelta(days=1)
    while not is_working_day(candidate, calendar):
        candidate += timedelta(days=1)
    return candidate


def add_working_days(day: date, count: int, calendar: WorkingCalendar) -> date:
    """The `count`-th working day after `day` (`day` itself when `count` is 0)."""
    if count < 0:
        raise ValueError("count must not be negative")
    for _ in range(count):
        day = next_working_day(day, calendar)
    return day


def end_of_working_day(
    day: date, calendar: WorkingCalendar, *, closes_at: time, tz: ZoneInfo = ALMATY
) -> datetime:
    """The aware moment a working day closes, in local time."""
    if not is_working_day(day, calendar):
        raise ValueError(f"{day} is not a working day")
    return datetime.combine(day, closes_at, tzinfo=tz)


def working_days_deadline(
    start: datetime,
    count: int,
    calendar: WorkingCalendar,
    *,
    closes_at: time,
    tz: ZoneInfo = ALMATY,
) -> datetime:
    """End of the `count`-th working day after the local date of `start`.

    "Within one working day from the date of registration" is
    `working_days_deadline(registered_at, 1, ...)`: a notice registered on Friday
    evening is due at the close of Monday, or later when Monday is a holiday.
    """
    if start.tzinfo is None:
        raise ValueError("start must be an aware datetime")
    local_date = start.astimezone(tz).date()
    return end_of_working_day(
        add_working_days(local_date, count, calendar), calendar, closes_at=closes_at, tz=tz
    )


def working_days_between(start: date, end: date, calendar: WorkingCalendar) -> int:
    """Working days in the half-open interval (start, end]; negative when end < start."""
    if end < start:
        return -working_days_between(end, start, calendar)
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, calendar):
            count += 1
    return count


def _working_interval(day: date, calendar: WorkingCalendar, opens_at: time, closes_at: time, tz):
    if not is_working_day(day, calendar):
        return None
    return datetime.combine(day, opens_at, tzinfo=tz), datetime.combine(day, closes_at, tzinfo=tz)


def subtract_working_time(
    moment: datetime,
    amount: timedelta,
    calendar: WorkingCalendar,
    *,
    opens_at: time,
    closes_at: time,
    tz: ZoneInfo = ALMATY,
) -> datetime:
    """The moment `amount` of working time (office hours on working days) before `moment`.

    "Remind three working hours before a deadline at 09:30" lands on the previous
    working day's afternoon, not at night.
    """
    remaining = amount
    local = moment.astimezone(tz)
    day, cursor = local.date(), local
    while True:
        interval = _working_interval(day, calendar, opens_at, closes_at, tz)
        if interval is not None:
            start, end = interval[0], min(interval[1], cursor)
            available = end - start
            if available >= remaining:
                return end - remaining
            remaining -= max(available, timedelta(0))
        day -= timedelta(days=1)
        cursor = datetime.combine(day, closes_at, tzinfo=tz)


def working_time_between(
    start: datetime,
    end: datetime,
    calendar: WorkingCalendar,
    *,
    opens_at: time,
    closes_at: time,
    tz: ZoneInfo = ALMATY,
) -> timedelta:
    """Office time on working days between two moments (zero when end <= start)."""
    total = timedelta(0)
    day = start.astimezone(tz).date()
    last = end.astimezone(tz).date()
    while day <= last:
        interval = _working_interval(day, calendar, opens_at, closes_at, tz)
        if interval is not None:
            low, high = max(interval[0], start), min(interval[1], end)
            if high > low:
                total += high - low
        day += timedelta(days=1)
    return total
