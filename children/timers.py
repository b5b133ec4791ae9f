"""Registry timers only remind and flag: people must act (register, file, inspect)."""

from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext_noop

from casework import timers
from casework.models import Role, Timer, TimerKind

from .services.notify import notify_district

STAFF = {Role.GUARDIANSHIP_SPECIALIST, Role.GUARDIANSHIP_HEAD}
HEADS = {Role.GUARDIANSHIP_HEAD}


class RegistryTimerHandler:
    def __init__(self, remind_message: str, overdue_message: str):
        self.remind_message = remind_message
        self.overdue_message = overdue_message

    def remind(self, timer: Timer, now: datetime) -> None:
        self._tell(timer, self.remind_message, STAFF)

    def expire(self, timer: Timer, now: datetime) -> None:
        self._tell(timer, self.overdue_message, STAFF)

    def _tell(self, timer: Timer, message: str, roles) -> None:
        due = formats.date_format(timezone.localtime(timer.due_at), "SHORT_DATETIME_FORMAT")
        # The label stays lazy: each recipient reads it in their own language.
        params = {"what": TimerKind(timer.kind).label, "due": due, "subject": timer.subject_id}
        notify_district(
            timer.organisation.district_id, roles, message, params, link="/registry/children/"
        )


def register_all() -> None:
    remind = gettext_noop("Due soon: %(what)s (№ %(subject)s) by %(due)s")
    overdue = gettext_noop("OVERDUE: %(what)s (№ %(subject)s) was due %(due)s")
    for kind in (
        TimerKind.DATABANK_REGISTRATION,
        TimerKind.COURT_CLAIM,
        TimerKind.CARER_CHECK,
        TimerKind.CARER_INSPECTION,
        TimerKind.DISABILITY_REEXAMINATION,
    ):
        timers.register(kind, RegistryTimerHandler(remind, overdue))
