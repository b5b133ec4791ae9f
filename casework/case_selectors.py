"""Reads for FSC cases: lists scoped to the user, and the case file in a fixed number
of queries."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from casework.array_rows import every_field, rows_column, rows_of
from casework.case_permissions import CASES
from casework.models import (
    ACTIVE_TIMER_STATUSES,
    OPEN_CASE_STATUSES,
    AgendaItem,
    Case,
    CaseAttachment,
    CaseContact,
    CaseEvent,
    CommissionDecision,
    DomainRating,
    PlanMeasure,
    PlanStatus,
    SupportPlan,
    Timer,
    TimerKind,
)
from casework.permissions import get_object_for_user_or_404, visible_to

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
    """The case with everything its page shows, read by the gate itself (one query for the
    case and its assessment, then one per kind of part; the contacts' files and the
    commission's decisions come as array columns of theirs)."""
    rated = (
        DomainRating.objects.filter(assessment__case=OuterRef("pk"))
        .order_by()
        .values("assessment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    queryset = (
        Case.objects.select_related(
            "organisation", "district", "lead", "family", "child__person", "referral", "assessment"
        )
        .annotate(rated_domains=Coalesce(Subquery(rated, output_field=IntegerField()), 0))
        .prefetch_related(
            "team",
            Prefetch(
                "plans", SupportPlan.objects.select_related("approved_by").order_by("-version")
            ),
            Prefetch(
                "contacts",
                CaseContact.objects.select_related("recorded_by", "measure").annotate(
                    attachment_rows=rows_column(
                        CaseAttachment.objects.filter(contact=OuterRef("pk")).order_by(
                            "uploaded_at", "pk"
                        ),
                        *every_field(CaseAttachment),
                    )
                ),
            ),
            Prefetch("events", CaseEvent.objects.select_related("actor").order_by("-at", "-pk")),
            Prefetch(
                "kdn_items",
                AgendaItem.objects.select_related("meeting").annotate(
                    decision_rows=rows_column(
                        CommissionDecision.objects.filter(item=OuterRef("pk")).order_by(
                            "recorded_at", "pk"
                        ),
                        *every_field(CommissionDecision),
                    )
                ),
            ),
        )
    )
    case = get_object_for_user_or_404(user, CASES, pk, queryset=queryset)
    for contact in case.contacts.all():
        contact.attachment_list = rows_of(CaseAttachment, contact.attachment_rows)
    for item in case.kdn_items.all():
        item.decision_list = rows_of(CommissionDecision, item.decision_rows)
    plans = list(case.plans.all())
    case.current_plan = next((p for p in plans if p.status == PlanStatus.APPROVED), None)
    case.draft_plan = next(
        (p for p in plans if p.status in {PlanStatus.DRAFT, PlanStatus.SUBMITTED}), None
    )
    case.plan_list = plans
    case.open_timers = _open_timers(case)
    case.pending_notices = _pending_notices(case)
    return case


def _open_timers(case: Case) -> list[Timer]:
    subjects = Q(subject_type=ContentType.objects.get_for_model(Case), subject_id=case.pk)
    subjects |= Q(
        subject_type=ContentType.objects.get_for_model(CaseEvent),
        subject_id__in=[e.pk for e in case.events.all()],
    )
    return list(Timer.objects.filter(subjects, status__in=ACTIVE_TIMER_STATUSES).order_by("due_at"))


def _pending_notices(case: Case) -> list[CaseEvent]:
    """Key events guardianship has not been told of yet (as
    case_notices.pending_notice_events), from the timers and events already read."""
    event_type = ContentType.objects.get_for_model(CaseEvent)
    waiting = {
        t.subject_id
        for t in case.open_timers
        if t.kind == TimerKind.GUARDIANSHIP_NOTICE and t.subject_type_id == event_type.pk
    }
    return sorted((e for e in case.events.all() if e.pk in waiting), key=lambda e: (e.at, e.pk))


def case_with_plans(*, user, pk) -> Case:
    """The case for its plan pages, with its lead and organisation and every version of
    its plan (`plan_list`, newest first)."""
    queryset = Case.objects.select_related("organisation", "lead").prefetch_related(
        Prefetch(
            "plans",
            SupportPlan.objects.select_related("approved_by").order_by("-version"),
            to_attr="plan_list",
        )
    )
    return get_object_for_user_or_404(user, CASES, pk, queryset=queryset)


def plans_with_measures(*, plans: list[SupportPlan]) -> list[SupportPlan]:
    """Each plan with its `measure_list`, read for all of them in one query."""
    by_plan: dict[int, list[PlanMeasure]] = {plan.pk: [] for plan in plans}
    for measure in _measures().filter(plan__in=plans).order_by("support_type", "due_on", "pk"):
        by_plan[measure.plan_id].append(measure)
    for plan in plans:
        plan.measure_list = by_plan[plan.pk]
    return plans


def plan_measures_by_type(plan: SupportPlan) -> list[tuple[str, list[PlanMeasure]]]:
    """Measures grouped by type of support, in the order of the types."""
    groups: dict[str, list[PlanMeasure]] = {}
    for measure in plan.measure_list:
        groups.setdefault(measure.get_support_type_display(), []).append(measure)
    return list(groups.items())
