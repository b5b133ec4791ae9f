"""Reads for the commission: meetings, the queue of submitted files, and the one-page
summary of a file on the agenda (what the members read before the meeting)."""

from dataclasses import dataclass, field

from django.db.models import Case as Conditional
from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce

from casework.array_rows import every_field, fields_with, rows_column, rows_of
from casework.case_permissions import (
    AGENDA_ITEMS,
    DECISIONS,
    MEETINGS,
    SECRETARY,
    get_meeting_for_user_or_404,
)
from casework.models import (
    AgendaItem,
    AgendaItemStatus,
    Case,
    CaseContact,
    CommissionDecision,
    DomainRating,
    KdnMeeting,
    MeasureStatus,
    MeetingMember,
    PlanMeasure,
    PlanStatus,
    Rating,
    SupportPlan,
)
from casework.permissions import get_object_for_user_or_404, scope_for, visible_to

SUMMARY_ROWS = 10  # a one-page summary: the latest rows of each history


def meeting_list(*, user) -> QuerySet[KdnMeeting]:
    return (
        visible_to(user, MEETINGS)
        .select_related("commission")
        .annotate(item_count=Count("items"))
        .order_by("-held_at", "-pk")
    )


def submitted_queue(*, user) -> QuerySet[AgendaItem]:
    """Files waiting for a meeting, for the commissions the user is secretary of."""
    commissions = scope_for(user).organisations_with(SECRETARY)
    return (
        AgendaItem.objects.filter(commission_id__in=commissions, status=AgendaItemStatus.SUBMITTED)
        .select_related("child__person", "family", "case", "submitting_organisation")
        .order_by("submitted_at", "pk")
    )


def meeting_detail(*, user, pk) -> KdnMeeting:
    meeting = get_meeting_for_user_or_404(user, pk)
    meeting.item_list = list(
        meeting.items.select_related("child__person", "family", "case", "submitting_organisation")
        .prefetch_related(
            Prefetch(
                "decisions",
                CommissionDecision.objects.select_related("owner", "owner_organisation"),
            )
        )
        .order_by("position", "pk")
    )
    meeting.member_list = list(meeting.members.select_related("user").order_by("user__last_name"))
    meeting.present_count = sum(1 for m in meeting.member_list if m.present)
    return meeting


def my_items(*, user) -> QuerySet[AgendaItem]:
    """Files the user's organisations submitted, with where they stand."""
    return (
        visible_to(user, AGENDA_ITEMS)
        .filter(submitting_organisation_id__in=scope_for(user).organisation_ids)
        .select_related("meeting", "child__person", "family", "case")
        .order_by("-submitted_at")[:50]
    )


def decision_list(*, user, open_only: bool = False) -> QuerySet[CommissionDecision]:
    decisions = visible_to(user, DECISIONS).select_related(
        "item__meeting", "item__child__person", "item__family", "owner", "owner_organisation"
    )
    if open_only:
        decisions = decisions.filter(kind="instruction", executed_at__isnull=True)
    return decisions.order_by("due_at", "pk")


@dataclass
class Summary:
    item: AgendaItem
    child: object = None
    family: object = None
    case: Case | None = None
    statuses: list = field(default_factory=list)
    members: list = field(default_factory=list)
    referrals: list = field(default_factory=list)
    placements: list = field(default_factory=list)
    removals: list = field(default_factory=list)
    police: list = field(default_factory=list)
    situations: list = field(default_factory=list)
    risks: list[DomainRating] = field(default_factory=list)
    threat_to_life: bool = False
    measures: list[PlanMeasure] = field(default_factory=list)
    contacts: list = field(default_factory=list)
    contact_count: int = 0
    earlier_decisions: list = field(default_factory=list)
    views: list = field(default_factory=list)
    assessment: object = None
    decisions: list[CommissionDecision] = field(default_factory=list)  # on this item


def agenda_item_summarised(*, user, pk) -> tuple[AgendaItem, Summary]:
    """The agenda item the user may read, with its one-page summary, in one query."""
    item = get_object_for_user_or_404(user, AGENDA_ITEMS, pk, queryset=_summarised())
    return item, _summary_of(item)


def agenda_summary(*, item: AgendaItem) -> Summary:
    """Who, history of referrals and placements, risks, what was tried and with what
    result, and the child's own views: one query, a bounded number of rows."""
    return _summary_of(_summarised().get(pk=item.pk))


def _summarised() -> QuerySet[AgendaItem]:
    """Agenda items with their file (child, family, case) and every part of the summary
    as array columns (casework.array_rows): the members read it before the meeting, and
    a query per part made it the dearest page of the commission."""
    from children.models import ChildStatus, ChildView, Placement, Removal
    from families.models import (
        DifficultSituation,
        DifficultSituationGround,
        FamilyMember,
        PoliceRegistration,
    )
    from referrals.models import Referral

    child, family, case = OuterRef("child_id"), OuterRef("family_id"), OuterRef("case_id")
    shown_plan = (  # the plan in force, else the latest version
        SupportPlan.objects.filter(case=OuterRef(OuterRef("case_id")))
        .order_by(Conditional(When(status=PlanStatus.APPROVED, then=0), default=1), "-version")
        .values("pk")[:1]
    )
    contacts = CaseContact.objects.filter(case=case).order_by().values("case")
    situations = DifficultSituation.objects.filter(family=family).order_by("-recognised_on")
    grounds = DifficultSituationGround.objects.filter(difficultsituation=OuterRef("pk"))
    return AgendaItem.objects.select_related(
        "meeting", "commission", "submitting_organisation", "child__person", "family",
        "case__organisation", "case__lead", "case__assessment",
    ).annotate(
        status_rows=rows_column(
            ChildStatus.objects.filter(child=child, ended_on__isnull=True).order_by(
                "-started_on", "pk"
            ),
            *every_field(ChildStatus),
        ),
        placement_rows=rows_column(
            Placement.objects.filter(child=child).order_by("-started_on", "-pk")[:SUMMARY_ROWS],
            *fields_with(Placement, "carer", "carer__person", "organisation"),
        ),
        removal_rows=rows_column(
            Removal.objects.filter(child=child).order_by("-removed_at", "-pk")[:3],
            *every_field(Removal),
        ),
        view_rows=rows_column(
            ChildView.objects.filter(child=child).order_by("-heard_on", "-pk")[:3],
            *every_field(ChildView),
        ),
        member_rows=rows_column(
            FamilyMember.objects.filter(family=family, left_on__isnull=True).order_by("pk")[
                :SUMMARY_ROWS
            ],
            *fields_with(FamilyMember, "person"),
        ),
        police_rows=rows_column(
            PoliceRegistration.objects.filter(family=family).order_by("-registered_on", "-pk")[
                :5
            ],
            *every_field(PoliceRegistration),
        ),
        situation_rows=rows_column(
            situations[:3],
            *every_field(DifficultSituation),
            ground_list=rows_column(grounds.order_by("code"), *every_field(DifficultSituationGround)),
        ),
        referral_rows=rows_column(
            Referral.objects.filter(Q(pk=OuterRef("case__referral_id")) | Q(child=child)).order_by(
                "-received_at", "-pk"
            )[:SUMMARY_ROWS],
            *fields_with(Referral, "source_organisation"),
        ),
        risk_rows=rows_column(
            DomainRating.objects.filter(
                assessment__case=case, rating__gte=Rating.MEDIUM
            ).order_by("-rating", "domain"),
            *every_field(DomainRating),
        ),
        measure_rows=rows_column(
            PlanMeasure.objects.filter(plan=Subquery(shown_plan))
            .exclude(status=MeasureStatus.CANCELLED)
            .order_by("support_type", "due_on", "pk")[: SUMMARY_ROWS * 2],
            *fields_with(PlanMeasure, "responsible_organisation"),
        ),
        contact_rows=rows_column(
            CaseContact.objects.filter(case=case).order_by("-occurred_on", "-pk")[:3],
            *every_field(CaseContact),
        ),
        contact_total=Coalesce(
            Subquery(contacts.annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
            0,
        ),
        earlier_decision_rows=rows_column(
            CommissionDecision.objects.filter(Q(item__child_id=child) | Q(item__family_id=family))
            .exclude(item=OuterRef("pk"))
            .order_by("-recorded_at", "-pk")[:5],
            *every_field(CommissionDecision),
        ),
        decision_rows=rows_column(
            CommissionDecision.objects.filter(item=OuterRef("pk")).order_by("recorded_at", "pk"),
            *every_field(CommissionDecision),
        ),
    )  # fmt: skip


def _summary_of(item: AgendaItem) -> Summary:
    from children.models import ChildStatus, ChildView, Placement, Removal
    from families.models import (
        DifficultSituation,
        DifficultSituationGround,
        FamilyMember,
        PoliceRegistration,
    )
    from referrals.models import Referral

    case = item.case
    summary = Summary(
        item=item,
        child=item.child,
        family=item.family,
        case=case,
        statuses=rows_of(ChildStatus, item.status_rows),
        placements=rows_of(Placement, item.placement_rows),
        removals=rows_of(Removal, item.removal_rows),
        views=rows_of(ChildView, item.view_rows),
        members=rows_of(FamilyMember, item.member_rows),
        police=rows_of(PoliceRegistration, item.police_rows),
        situations=rows_of(
            DifficultSituation, item.situation_rows, lists={"ground_list": DifficultSituationGround}
        ),
        referrals=rows_of(Referral, item.referral_rows),
        risks=rows_of(DomainRating, item.risk_rows),
        measures=rows_of(PlanMeasure, item.measure_rows),
        contacts=rows_of(CaseContact, item.contact_rows),
        contact_count=item.contact_total,
        earlier_decisions=rows_of(CommissionDecision, item.earlier_decision_rows),
        decisions=rows_of(CommissionDecision, item.decision_rows),
        assessment=case.assessment if case is not None else None,
    )
    summary.threat_to_life = bool(
        (case and case.threat_to_life) or any(r.threat_to_life for r in summary.referrals)
    )
    return summary


def seat_of(*, meeting: KdnMeeting, user) -> MeetingMember | None:
    return meeting.members.filter(user=user).first()
