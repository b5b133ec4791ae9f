"""Start, stop and sweep statutory timers."""

import logging
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from casework.models import ACTIVE_TIMER_STATUSES, Breach, Organisation, Timer, TimerStatus, User
from casework.timers import handler_for

logger = logging.getLogger(__name__)
SWEEP_BATCH = 500
# One sweep goes on batch after batch, so a morning's thousand due notices are all
# forwarded by the same run, not 500 a minute; the cap keeps a run shorter than a minute.
SWEEP_MAX_BATCHES = 20


def timer_start(
    *,
    kind: str,
    subject: models.Model,
    organisation: Organisation,
    started_at: datetime,
    due_at: datetime,
    remind_at: datetime | None = None,
    responsible: User | None = None,
) -> Timer:
    """Start a timer; a running (open or overdue) timer of the same kind on the same
    subject is reused."""
    subject_type = ContentType.objects.get_for_model(subject)
    timer, _created = Timer.objects.get_or_create(
        kind=kind,
        subject_type=subject_type,
        subject_id=subject.pk,
        status__in=ACTIVE_TIMER_STATUSES,
        defaults={
            "organisation": organisation,
            "responsible": responsible,
            "started_at": started_at,
            "due_at": due_at,
            "remind_at": remind_at,
        },
    )
    return timer


def timer_complete(*, kind: str, subject: models.Model, now: datetime | None = None) -> bool:
    """Mark the running timer done (the work happened, late if it was overdue); False
    when there was none."""
    return _close_running(kind, subject, TimerStatus.DONE, now)


def timer_cancel(*, kind: str, subject: models.Model, now: datetime | None = None) -> bool:
    """The work is no longer needed (the measure was dropped, the case closed)."""
    return _close_running(kind, subject, TimerStatus.CANCELLED, now)


def _close_running(kind: str, subject: models.Model, status: str, now: datetime | None) -> bool:
    updated = Timer.objects.filter(
        kind=kind,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        status__in=ACTIVE_TIMER_STATUSES,
    ).update(status=status, closed_at=now or timezone.now())
    return bool(updated)


def breach_record(*, timer: Timer, now: datetime) -> Breach:
    breach, _created = Breach.objects.get_or_create(
        timer=timer,
        defaults={
            "organisation": timer.organisation,
            "kind": timer.kind,
            "due_at": timer.due_at,
            "recorded_at": now,
        },
    )
    return breach


def timers_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Send due reminders and expire due timers. Safe to run twice, in parallel, or to be
    killed half-way: each timer is handled in its own transaction under a row lock that
    other sweeps skip, and its state changes in the same transaction as its effects.
    """
    now = now or timezone.now()
    # Expire first: a reminder for a deadline that has already passed helps nobody.
    expired = _expire_due(now)
    return {"reminded": _remind_due(now), "expired": expired}


def _in_batches(next_ids, handle_one) -> int:
    """Handle due timers batch by batch until a batch comes back short or changes
    nothing (the rest are locked by a parallel sweep, which handles them)."""
    handled = 0
    for _ in range(SWEEP_MAX_BATCHES):
        ids = next_ids()
        done = sum(handle_one(pk) for pk in ids)
        handled += done
        if len(ids) < SWEEP_BATCH or not done:
            break
    return handled


def _remind_due(now: datetime) -> int:
    return _in_batches(lambda: _next_reminders(now), lambda pk: _remind_one(pk, now))


def _next_reminders(now: datetime) -> list[int]:
    return list(
        Timer.objects.filter(
            status=TimerStatus.OPEN,
            reminded_at__isnull=True,
            remind_at__isnull=False,
            remind_at__lte=now,
            due_at__gt=now,
        )
        .order_by("remind_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )


def _remind_one(pk: int, now: datetime) -> bool:
    with transaction.atomic():
        timer = _lock_open(pk, reminded_at__isnull=True)
        if timer is None:
            return False
        timer.reminded_at = now
        timer.save(update_fields=["reminded_at"])
        handler_for(timer.kind).remind(timer, now)
    return True


def _expire_due(now: datetime) -> int:
    return _in_batches(lambda: _next_expiries(now), lambda pk: _expire_one(pk, now))


def _next_expiries(now: datetime) -> list[int]:
    return list(
        Timer.objects.filter(status=TimerStatus.OPEN, due_at__lte=now)
        .order_by("due_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )


def _expire_one(pk: int, now: datetime) -> bool:
    with transaction.atomic():
        timer = _lock_open(pk, due_at__lte=now)
        if timer is None:
            return False
        handler = handler_for(timer.kind)
        # Handlers that act themselves (forward, inform) close the timer; the others
        # escalate, and the work stays on the worklist as overdue until it is done.
        if getattr(handler, "expiry_resolves", False):
            timer.status, timer.closed_at = TimerStatus.EXPIRED, now
        else:
            timer.status = TimerStatus.OVERDUE
        timer.save(update_fields=["status", "closed_at"])
        handler.expire(timer, now)
    return True


def _lock_open(pk: int, **conditions) -> Timer | None:
    return (
        Timer.objects.select_for_update(skip_locked=True)
        .filter(pk=pk, status=TimerStatus.OPEN, **conditions)
        .first()
    )
