"""Telling the guardianship authority of an FSC case's key events within 24 hours.

Each key event starts a timer (see `case_event`). The lead informs guardianship from the
case page, adding what they want to say; if 24 hours pass first, the system informs
guardianship itself, records a breach against the FSC and tells its head.
"""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from casework import selectors as core
from casework.models import (
    ACTIVE_TIMER_STATUSES,
    Case,
    CaseEvent,
    CaseEventKind,
    OrganisationKind,
    Role,
    Timer,
    TimerKind,
    User,
)
from casework.services.cases import case_event
from casework.services.notifications import notify_users
from casework.services.timers import timer_complete

GUARDIANSHIP = frozenset({Role.GUARDIANSHIP_SPECIALIST, Role.GUARDIANSHIP_HEAD})


def pending_notice_events(case: Case) -> list[CaseEvent]:
    """Key events guardianship has not been told of yet."""
    waiting = Timer.objects.filter(
        kind=TimerKind.GUARDIANSHIP_NOTICE,
        subject_type=ContentType.objects.get_for_model(CaseEvent),
        status__in=ACTIVE_TIMER_STATUSES,
    ).values("subject_id")
    return list(case.events.filter(pk__in=waiting).order_by("at", "pk"))


@transaction.atomic
def case_inform_guardianship(
    *, case: Case, by: User | None, message: str = "", now: datetime | None = None
) -> int:
    """Send guardianship every pending key event of the case in one message."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    events = pending_notice_events(case)
    if not events:
        raise ValidationError(_("Guardianship has already been told of every key event."))
    return notices_send(case=case, events=events, by=by, message=message, now=now)


def notices_send(
    *, case: Case, events: list[CaseEvent], by: User | None, message: str = "", now=None
) -> int:
    now = now or timezone.now()
    _send(case, events, message.strip())
    for event in events:
        timer_complete(kind=TimerKind.GUARDIANSHIP_NOTICE, subject=event, now=now)
    what = "; ".join(str(e.get_kind_display()) for e in events)
    case_event(case, CaseEventKind.GUARDIANSHIP_INFORMED, by=by, at=now, note=what)
    return len(events)


def _send(case: Case, events: list[CaseEvent], message: str) -> None:
    authority = core.district_organisation(
        district_id=case.district_id, kind=OrganisationKind.GUARDIANSHIP
    )
    if authority is None:
        return
    staff = core.organisation_staff(organisation_id=authority.pk, roles=GUARDIANSHIP)
    labels = [CaseEventKind(e.kind).label for e in events]
    # Lazy: each recipient reads the events in their own language.
    events_text = format_lazy(", ".join(["{}"] * len(labels)), *labels)
    notify_users(
        staff,
        message=gettext_noop("FSC case № %(number)s (%(title)s): %(events)s. %(message)s"),
        params={"number": case.pk, "title": case.title, "events": events_text, "message": message},
        link=f"/cases/{case.pk}/",
    )
