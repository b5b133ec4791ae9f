"""Reads for the commission: meetings, the queue of submitted files, and the one-page
summary of a file on the agenda (what the members read before the meeting)."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

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
    CommissionDecision,
    DomainRating,
    KdnMeeting,
    MeasureStatus,
    MeetingMember,
    PlanMeasure,
    PlanStatus,
    Rating,
)
from casework.permissions import scope_for, visible_to

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


def agenda_summary(*, item: AgendaItem) -> Summary:
    """Who, history of referrals and placements, risks, what was tried and with what
    result, and the child's own views: a bounded number of queries and rows."""
    from children.models import Child, ChildView, Placement, Removal
    from families.models import DifficultSituation, FamilyMember, PoliceRegistration
    from referrals.models import Referral

    case = (
        Case.objects.select_related("organisation", "lead", "assessment")
        .filter(pk=item.case_id)
        .first()
        if item.case_id
        else None
    )
    child = (
        Child.objects.select_related("person")
        .prefetch_related("statuses")
        .filter(pk=item.child_id)
        .first()
        if item.child_id
        else None
    )
    summary = Summary(item=item, child=child, family=item.family, case=case)
    if child is not None:
        summary.statuses = [s for s in child.statuses.all() if s.ended_on is None]
        summary.placements = list(
            Placement.objects.filter(child=child)
            .select_related("carer__person", "organisation")
            .order_by("-started_on")[:SUMMARY_ROWS]
        )
        summary.removals = list(Removal.objects.filter(child=child).order_by("-removed_at")[:3])
        summary.views = list(ChildView.objects.filter(child=child).order_by("-heard_on")[:3])
    if item.family_id:
        summary.members = list(
            FamilyMember.objects.filter(family_id=item.family_id, left_on__isnull=True)
            .select_related("person")
            .order_by("pk")[:SUMMARY_ROWS]
        )
        summary.police = list(
            PoliceRegistration.objects.filter(family_id=item.family_id).order_by("-registered_on")[
                :5
            ]
        )
        summary.situations = list(
            DifficultSituation.objects.filter(family_id=item.family_id)
            .prefetch_related("grounds")
            .order_by("-recognised_on")[:3]
        )
    referrals = Q(pk=case.referral_id) if case and case.referral_id else Q(pk__in=[])
    if child is not None:
        referrals |= Q(child=child)
    summary.referrals = list(
        Referral.objects.filter(referrals)
        .select_related("source_organisation")
        .order_by("-received_at")[:SUMMARY_ROWS]
    )
    summary.threat_to_life = bool(
        (case and case.threat_to_life) or any(r.threat_to_life for r in summary.referrals)
    )
    if case is not None:
        summary.assessment = case.assessment
        summary.risks = list(
            case.assessment.ratings.filter(rating__gte=Rating.MEDIUM).order_by("-rating", "domain")
        )
        plan = (
            case.plans.filter(status=PlanStatus.APPROVED).first()
            or case.plans.order_by("-version").first()
        )
        if plan is not None:
            summary.measures = list(
                plan.measures.exclude(status=MeasureStatus.CANCELLED)
                .select_related("responsible_organisation")
                .order_by("support_type", "due_on")[: SUMMARY_ROWS * 2]
            )
        contacts = case.contacts.order_by("-occurred_on", "-pk")
        summary.contact_count = contacts.count()
        summary.contacts = list(contacts[:3])
    subjects = Q(pk__in=[])
    if item.child_id:
        subjects |= Q(item__child_id=item.child_id)
    if item.family_id:
        subjects |= Q(item__family_id=item.family_id)
    summary.earlier_decisions = list(
        CommissionDecision.objects.filter(subjects)
        .exclude(item=item)
        .select_related("item__meeting")
        .order_by("-recorded_at")[:5]
    )
    return summary


def seat_of(*, meeting: KdnMeeting, user) -> MeetingMember | None:
    return meeting.members.filter(user=user).first()
