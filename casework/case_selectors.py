"""Reads for FSC cases: lists scoped to the user, and the case file in a fixed number
of queries."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet

from casework.case_permissions import CASES, get_case_for_user_or_404
from casework.models import (
    ACTIVE_TIMER_STATUSES,
    OPEN_CASE_STATUSES,
    Case,
    CaseContact,
    CaseEvent,
    PlanMeasure,
    PlanStatus,
    SupportPlan,
    Timer,
)
from casework.permissions import visible_to

PAGE_SIZE = 25


def case_list(*, user, status: str = "", mine: bool = False, query: str = "") -> QuerySet[Case]:
    cases = visible_to(user, CASES).select_related(
        "organisation", "lead", "child__person", "family", "assessment"
    )
    if status == "open":
        cases = cases.filter(status__in=OPEN_CASE_STATUSES)
    elif status:
        cases = cases.filter(status=status)
    if mine:
        cases = cases.filter(Q(lead=user) | Q(team=user)).distinct()
    if query:
        cases = cases.filter(title__icontains=query.strip()[:100])
    return cases.order_by("-opened_at", "-pk")


def _measures():
    return PlanMeasure.objects.select_related("responsible_organisation", "owner")


def case_file(*, user, pk) -> Case:
    """The case with everything its page shows."""
    case = get_case_for_user_or_404(user, pk)
    case = (
        Case.objects.select_related(
            "organisation", "district", "lead", "family", "child__person", "referral", "assessment"
        )
        .prefetch_related(
            "team",
            "assessment__ratings",
            "assessment__grounds",
            Prefetch(
                "plans", SupportPlan.objects.select_related("approved_by").order_by("-version")
            ),
            Prefetch(
                "contacts",
                CaseContact.objects.select_related("recorded_by", "measure").prefetch_related(
                    "attachments"
                ),
            ),
            Prefetch("events", CaseEvent.objects.select_related("actor").order_by("-at", "-pk")),
            "kdn_items__meeting",
            "kdn_items__decisions",
        )
        .get(pk=case.pk)
    )
    plans = list(case.plans.all())
    case.current_plan = next((p for p in plans if p.status == PlanStatus.APPROVED), None)
    case.draft_plan = next(
        (p for p in plans if p.status in {PlanStatus.DRAFT, PlanStatus.SUBMITTED}), None
    )
    case.plan_list = plans
    case.ratings_by_domain = {r.domain: r for r in case.assessment.ratings.all()}
    case.open_timers = _open_timers(case)
    return case


def _open_timers(case: Case) -> list[Timer]:
    subjects = Q(subject_type=ContentType.objects.get_for_model(Case), subject_id=case.pk)
    subjects |= Q(
        subject_type=ContentType.objects.get_for_model(CaseEvent),
        subject_id__in=[e.pk for e in case.events.all()],
    )
    return list(Timer.objects.filter(subjects, status__in=ACTIVE_TIMER_STATUSES).order_by("due_at"))


def plan_with_measures(*, plan: SupportPlan) -> SupportPlan:
    plan.measure_list = list(_measures().filter(plan=plan).order_by("support_type", "due_on", "pk"))
    return plan


def plan_measures_by_type(plan: SupportPlan) -> list[tuple[str, list[PlanMeasure]]]:
    """Measures grouped by type of support, in the order of the types."""
    groups: dict[str, list[PlanMeasure]] = {}
    for measure in plan.measure_list:
        groups.setdefault(measure.get_support_type_display(), []).append(measure)
    return list(groups.items())
