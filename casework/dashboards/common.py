"""What every dashboard shares: the clock, months, timer counts, small-cell suppression."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone as tz

from casework.models import TimerKind, TimerStatus
from casework.working_days import ALMATY

MONTHS = 12  # the trend window
LIST_LIMIT = 10  # dashboards list the most urgent items only; the worklist has the rest


@dataclass(frozen=True)
class Clock:
    """The moments a dashboard counts from, computed once per page."""

    now: datetime
    today_start: datetime
    tomorrow_start: datetime
    month_start: datetime
    trend_start: datetime  # the first day of the month MONTHS - 1 months ago
    months: list[datetime]


def clock_at(now: datetime | None = None) -> Clock:
    now = now or tz.now()
    local = now.astimezone(ALMATY)
    today_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    month_start = today_start.replace(day=1)
    months = [month_start]
    for _ in range(MONTHS - 1):
        months.insert(0, (months[0] - timedelta(days=1)).replace(day=1))
    return Clock(
        now=now,
        today_start=today_start,
        tomorrow_start=(today_start + timedelta(days=1)).replace(hour=0),
        month_start=month_start,
        trend_start=months[0],
        months=months,
    )


def overdue_q(clock: Clock) -> Q:
    return Q(status=TimerStatus.OVERDUE) | Q(status=TimerStatus.OPEN, due_at__lte=clock.now)


def due_today_q(clock: Clock) -> Q:
    return Q(status=TimerStatus.OPEN, due_at__gt=clock.now, due_at__lt=clock.tomorrow_start)


def timer_counts(timers, clock: Clock) -> dict:
    """Overdue and due-today counts of running timers, in one query."""
    return timers.filter(status__in=[TimerStatus.OPEN, TimerStatus.OVERDUE]).aggregate(
        overdue=Count("pk", filter=overdue_q(clock)),
        due_today=Count("pk", filter=due_today_q(clock)),
    )


def transfer_outcomes(timers, clock: Clock):
    """Police-notice transfer deadlines that fell due in the trend window, by how they
    ended: done in time (the authority transferred) or expired (the system forwarded)."""
    return timers.filter(
        kind=TimerKind.REFERRAL_TRANSFER,
        status__in=[TimerStatus.DONE, TimerStatus.EXPIRED],
        due_at__gte=clock.trend_start,
        due_at__lt=clock.now,
    )


def monthly_compliance(timers, clock: Clock) -> list[tuple[datetime, int, int]]:
    """(month, transferred in time, all due) for each month of the window."""
    rows = (
        transfer_outcomes(timers, clock)
        .annotate(month=TruncMonth("due_at", tzinfo=ALMATY))
        .values("month")
        .annotate(done=Count("pk", filter=Q(status=TimerStatus.DONE)), total=Count("pk"))
    )
    by_month = {row["month"].date(): (row["done"], row["total"]) for row in rows}
    return [(month, *by_month.get(month.date(), (0, 0))) for month in clock.months]


def rate(part: int, whole: int, *, minimum: int = 1) -> float | None:
    """A percentage, or None when there are too few cases for a rate to mean anything."""
    if whole < minimum or whole == 0:
        return None
    return round(100 * part / whole, 1)
