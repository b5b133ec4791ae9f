"""Statutory timers and breaches (`casework.Timer`, `casework.Breach`) as the services and
the minute-by-minute sweep (`casework.services.timers`) leave them."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from casework.models import Breach, Timer, TimerStatus

from .part import Part
from .rows import Local

SWEEP_EVERY_SECONDS = 60  # beat runs the sweep every minute (casework.celery)


@dataclass(frozen=True)
class TimerFate:
    timer: Local
    status: str
    reminded_at: datetime | None
    closed_at: datetime | None
    expired_at: datetime | None  # when the sweep acted at the deadline


def sweep_moment(part: Part, due: datetime) -> datetime:
    """When the sweep found a moment that had come: within the minute after it."""
    return due + timedelta(seconds=part.rng.uniform(1, SWEEP_EVERY_SECONDS))


def timer_add(
    part: Part,
    *,
    kind: str,
    subject: Local | int,
    subject_model: str,
    organisation: int,
    started_at: datetime,
    due_at: datetime,
    remind_at: datetime | None = None,
    responsible: int | None = None,
    done_at: datetime | None = None,
    cancelled_at: datetime | None = None,
    expiry_resolves: bool = False,
) -> TimerFate:
    """A timer started at `started_at`, closed as the work went: done at `done_at`,
    cancelled at `cancelled_at`, or still running. Past its deadline with the work not
    done, the sweep either acted itself (`expiry_resolves`: expired, closed) or escalated
    it (overdue, still on the worklist)."""
    end = done_at or cancelled_at
    expired_at = None
    if due_at <= part.now and (end is None or end > due_at):
        expired_at = sweep_moment(part, due_at)
        if end is not None and end <= expired_at:
            expired_at = None  # done in the seconds before the sweep came
    if expired_at is not None and expiry_resolves:
        status, closed_at = TimerStatus.EXPIRED, expired_at
    elif done_at is not None:
        status, closed_at = TimerStatus.DONE, done_at
    elif cancelled_at is not None:
        status, closed_at = TimerStatus.CANCELLED, cancelled_at
    elif expired_at is not None:
        status, closed_at = TimerStatus.OVERDUE, None
    else:
        status, closed_at = TimerStatus.OPEN, None
    reminded_at = None
    if remind_at is not None:
        # The sweep reminds while the timer is open and its deadline still ahead.
        moment = sweep_moment(part, remind_at)
        if moment < min(x for x in (closed_at, expired_at, part.now, due_at) if x is not None):
            reminded_at = moment
    timer = part.add(
        Timer,
        kind=kind,
        status=status,
        subject_type=part.world.content_types[subject_model],
        subject_id=subject,
        organisation=organisation,
        responsible=responsible,
        started_at=started_at,
        due_at=due_at,
        remind_at=remind_at,
        reminded_at=reminded_at,
        closed_at=closed_at,
    )
    return TimerFate(timer, status, reminded_at, closed_at, expired_at)


def breach_add(part: Part, fate: TimerFate, *, organisation: int, kind: str, due_at) -> None:
    part.add(
        Breach,
        timer=fate.timer,
        organisation=organisation,
        kind=kind,
        due_at=due_at,
        recorded_at=fate.expired_at,
    )
