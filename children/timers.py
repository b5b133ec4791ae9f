"""Registry timers only remind and flag: people must act (register, file, inspect)."""

from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext_noop

from casework import timers
from casework.models import Role, Timer, TimerKind

from .models import Disability, Removal
from .services.notify import notify_district

STAFF = {Role.GUARDIANSHIP_SPECIALIST, Role.GUARDIANSHIP_HEAD}
HEADS = {Role.GUARDIANSHIP_HEAD}


class RegistryTimerHandler:
    def __init__(self, remind_message: str, overdue_message: str, urls):
        self.remind_message = remind_message
        self.overdue_message = overdue_message
        self.subject_urls = urls

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


def _child_urls(ids: list[int]) -> dict[int, str]:
    return {pk: f"/registry/children/{pk}/" for pk in ids}


def _carer_urls(ids: list[int]) -> dict[int, str]:
    return {pk: f"/registry/carers/{pk}/" for pk in ids}


def _urls_via_child(model):
    """Removals and disabilities are worked on in the child's file."""

    def urls(ids: list[int]) -> dict[int, str]:
        rows = model.objects.filter(pk__in=ids).values_list("pk", "child_id")
        return {pk: f"/registry/children/{child_id}/" for pk, child_id in rows}

    return urls


def register_all() -> None:
    remind = gettext_noop("Due soon: %(what)s (№ %(subject)s) by %(due)s")
    overdue = gettext_noop("OVERDUE: %(what)s (№ %(subject)s) was due %(due)s")
    for kind, urls in (
        (TimerKind.DATABANK_REGISTRATION, _child_urls),
        (TimerKind.COURT_CLAIM, _urls_via_child(Removal)),
        (TimerKind.CARER_CHECK, _carer_urls),
        (TimerKind.CARER_INSPECTION, _carer_urls),
        (TimerKind.DISABILITY_REEXAMINATION, _urls_via_child(Disability)),
    ):
        timers.register(kind, RegistryTimerHandler(remind, overdue, urls))
