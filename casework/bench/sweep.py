"""The deadline sweep over a million open notices: with nothing due, and with 1,000
notices falling due at once (forward, breach, notification for each)."""

from datetime import timedelta
from time import perf_counter

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.models import Breach, Notification, Timer, TimerKind, TimerStatus
from casework.services.timers import timers_sweep
from referrals.models import Referral, Status

from .measure import percentile

RUNS_NONE_DUE = 30
DUE = 1000


def drain(now) -> None:
    """Whatever the population left due is handled first: 'nothing due' must be true."""
    while sum(timers_sweep(now=now).values()):
        pass


def open_notices() -> int:
    return Timer.objects.filter(kind=TimerKind.REFERRAL_TRANSFER, status=TimerStatus.OPEN).count()


def bench_none_due() -> dict:
    now = timezone.now()
    drain(now)
    times = []
    for _ in range(RUNS_NONE_DUE):
        started = perf_counter()
        result = timers_sweep(now=now)
        times.append((perf_counter() - started) * 1000)
        assert not sum(result.values()), result
    with CaptureQueriesContext(connection) as captured:
        timers_sweep(now=now)
    return {
        "sql": [query["sql"] for query in captured.captured_queries],
        "p50_ms": round(percentile(times, 50), 2),
        "p95_ms": round(percentile(times, 95), 2),
        "open_notices": open_notices(),
        "runs": RUNS_NONE_DUE,
    }


@transaction.atomic
def make_due(now, count: int) -> list[int]:
    """The `count` notices next in line fall due a second ago, timer and referral alike."""
    timers = list(
        Timer.objects.select_for_update()
        .filter(kind=TimerKind.REFERRAL_TRANSFER, status=TimerStatus.OPEN, due_at__gt=now)
        .order_by("due_at")[:count]
    )
    due = now - timedelta(seconds=1)
    ids = [timer.subject_id for timer in timers]
    Timer.objects.filter(pk__in=[timer.pk for timer in timers]).update(due_at=due)
    Referral.objects.filter(pk__in=ids).update(transfer_due_at=due)
    return ids


def bench_due() -> dict:
    now = timezone.now()
    drain(now)
    ids = make_due(now, DUE)
    breaches_before, notes_before = Breach.objects.count(), Notification.objects.count()
    # One run, as beat starts it every minute: all of them must be handled by it.
    started = perf_counter()
    expired = timers_sweep(now=now)["expired"]
    seconds = perf_counter() - started
    forwarded = Referral.objects.filter(pk__in=ids, status=Status.TRANSFERRED).count()
    return {
        "due": len(ids),
        "seconds": round(seconds, 2),
        "expired": expired,
        "forwarded": forwarded,
        "breaches": Breach.objects.count() - breaches_before,
        "notifications": Notification.objects.count() - notes_before,
    }
