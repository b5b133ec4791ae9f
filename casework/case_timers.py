"""What the casework timers do at their deadline.

Assessments, plan measures and commission instructions are work people must do: at the
deadline they are escalated and stay on the worklist as overdue until done. Telling
guardianship of a key event is something the system can do itself, so at 24 hours it
does, and records the FSC's breach.
"""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_noop

from casework import selectors as core
from casework import timers
from casework.models import (
    Case,
    CaseEvent,
    CaseEventKind,
    CommissionDecision,
    PlanMeasure,
    Role,
    Timer,
    TimerKind,
)
from casework.services.case_notices import notices_send, pending_notice_events
from casework.services.cases import case_event
from casework.services.notifications import notify_users
from casework.services.timers import breach_record

FSC_HEADS = frozenset({Role.FSC_HEAD})
SECRETARIES = frozenset({Role.KDN_SECRETARY})


def _due(timer: Timer) -> str:
    return f"{timezone.localtime(timer.due_at):%d.%m.%Y %H:%M}"


def _heads(organisation_id: int):
    return core.organisation_staff(organisation_id=organisation_id, roles=FSC_HEADS)


class AssessmentTimerHandler:
    def subject_urls(self, ids: list[int]) -> dict[int, str]:
        return {pk: f"/cases/{pk}/" for pk in ids}

    def remind(self, timer: Timer, now: datetime) -> None:
        return

    def expire(self, timer: Timer, now: datetime) -> None:
        case = Case.objects.select_related("lead").get(pk=timer.subject_id)
        notify_users(
            [case.lead, *_heads(case.organisation_id)],
            message=gettext_noop(
                "OVERDUE: the primary assessment of case № %(number)s was due %(due)s"
            ),
            params={"number": case.pk, "due": _due(timer)},
            link=f"/cases/{case.pk}/",
        )


class MeasureTimerHandler:
    def subject_urls(self, ids: list[int]) -> dict[int, str]:
        rows = PlanMeasure.objects.filter(pk__in=ids).values_list("pk", "plan__case_id")
        return {pk: f"/cases/{case_id}/plan/" for pk, case_id in rows}

    def remind(self, timer: Timer, now: datetime) -> None:
        return

    def expire(self, timer: Timer, now: datetime) -> None:
        measure = PlanMeasure.objects.select_related("plan__case__lead", "owner").get(
            pk=timer.subject_id
        )
        case = measure.plan.case
        case_event(case, CaseEventKind.MEASURE_ESCALATED, by=None, at=now, note=str(measure))
        notify_users(
            [measure.owner, case.lead, *_heads(case.organisation_id)],
            message=gettext_noop(
                "OVERDUE: a support measure of case № %(number)s was due %(due)s: %(measure)s"
            ),
            params={"number": case.pk, "due": _due(timer), "measure": measure.description[:150]},
            link=f"/cases/{case.pk}/plan/",
        )


class GuardianshipNoticeTimerHandler:
    expiry_resolves = True  # the system informs guardianship itself

    def subject_urls(self, ids: list[int]) -> dict[int, str]:
        rows = CaseEvent.objects.filter(pk__in=ids).values_list("pk", "case_id")
        return {pk: f"/cases/{case_id}/" for pk, case_id in rows}

    def remind(self, timer: Timer, now: datetime) -> None:
        return

    def expire(self, timer: Timer, now: datetime) -> None:
        event = CaseEvent.objects.select_related("case").get(pk=timer.subject_id)
        breach_record(timer=timer, now=now)
        # The sweep has closed this event's timer; the case's other pending events go
        # in the same message.
        others = [e for e in pending_notice_events(event.case) if e.pk != event.pk]
        notices_send(case=event.case, events=[event, *others], by=None, now=now)
        notify_users(
            _heads(event.case.organisation_id),
            message=gettext_noop(
                "Guardianship was not told of case № %(number)s within 24 hours: the system informed it"
            ),
            params={"number": event.case_id},
            link=f"/cases/{event.case_id}/",
        )


class DecisionTimerHandler:
    def subject_urls(self, ids: list[int]) -> dict[int, str]:
        return {pk: f"/kdn/decisions/{pk}/" for pk in ids}

    def remind(self, timer: Timer, now: datetime) -> None:
        return

    def expire(self, timer: Timer, now: datetime) -> None:
        decision = CommissionDecision.objects.select_related("item", "owner").get(
            pk=timer.subject_id
        )
        secretaries = core.organisation_staff(
            organisation_id=decision.item.commission_id, roles=SECRETARIES
        )
        notify_users(
            [decision.owner, *secretaries],
            message=gettext_noop("OVERDUE: the commission's instruction was due %(due)s: %(text)s"),
            params={"due": _due(timer), "text": decision.text[:150]},
            link=f"/kdn/decisions/{decision.pk}/",
        )


def register_all() -> None:
    timers.register(TimerKind.CASE_ASSESSMENT, AssessmentTimerHandler())
    timers.register(TimerKind.PLAN_MEASURE, MeasureTimerHandler())
    timers.register(TimerKind.GUARDIANSHIP_NOTICE, GuardianshipNoticeTimerHandler())
    timers.register(TimerKind.KDN_DECISION, DecisionTimerHandler())
