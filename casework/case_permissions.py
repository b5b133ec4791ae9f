"""Who sees and works FSC cases and the commission's files.

A case is seen by its Family Support Center and by the district's guardianship
authority (which must know what happens to its families); it is worked by its lead,
its team and the center's heads. A KDN member sees the files on the agenda of a meeting
they sit on, from the agenda's publication until the review window after the meeting
closes, and nothing else.
"""

from django.db.models import Q
from django.utils import timezone

from casework.models import (
    AgendaItem,
    Case,
    CommissionDecision,
    KdnMeeting,
    MeetingMember,
    MeetingStatus,
    Role,
)
from casework.permissions import HEAD_ROLES, Policy, Scope, get_object_for_user_or_404

FSC = frozenset({Role.FSC_SPECIALIST, Role.FSC_HEAD})
FSC_HEADS = frozenset({Role.FSC_HEAD})
GUARDIANSHIP = frozenset({Role.GUARDIANSHIP_SPECIALIST, Role.GUARDIANSHIP_HEAD})
KDN = frozenset({Role.KDN_MEMBER, Role.KDN_SECRETARY})
SECRETARY = frozenset({Role.KDN_SECRETARY})
VIEW, CHANGE, APPROVE, ASSIGN = "view", "change", "approve", "assign"
MANAGE, EXECUTE, WITHDRAW = "manage", "execute", "withdraw"
# "Who viewed this file": the center's heads and the district's guardianship heads.
AUDIT = "audit"
GUARDIANSHIP_HEADS = frozenset({Role.GUARDIANSHIP_HEAD})


class CasePolicy(Policy[Case]):
    model = Case

    def jurisdiction(self, scope: Scope) -> Q:
        return Q(organisation_id__in=scope.organisations_with(FSC)) | Q(
            district_id__in=scope.districts_with(GUARDIANSHIP)
        )

    def can(self, scope: Scope, obj: Case, action: str) -> bool:
        head = obj.organisation_id in scope.organisations_with(FSC_HEADS)
        in_center = obj.organisation_id in scope.organisations_with(FSC)
        if action == VIEW:
            return True
        if action == APPROVE:
            return head
        if action == ASSIGN:
            return head or (in_center and obj.lead_id == scope.user_id)
        if action == CHANGE:
            return head or (in_center and self._on_team(scope, obj))
        if action == AUDIT:
            return head or obj.district_id in scope.districts_with(GUARDIANSHIP_HEADS)
        return False

    @staticmethod
    def _on_team(scope: Scope, obj: Case) -> bool:
        if obj.lead_id == scope.user_id:
            return True
        if "team" in getattr(obj, "_prefetched_objects_cache", {}):  # the case page read it
            return any(member.pk == scope.user_id for member in obj.team.all())
        return obj.team.filter(pk=scope.user_id).exists()


def _readable_meetings(scope: Scope):
    """Meetings whose agenda the user may read now as a sitting member."""
    now = timezone.now()
    return KdnMeeting.objects.filter(
        commission_id__in=scope.organisations_with(KDN),
        status__in=[MeetingStatus.PUBLISHED, MeetingStatus.HELD],
        published_at__lte=now,
        review_until__gte=now,
        pk__in=MeetingMember.objects.filter(user_id=scope.user_id).values("meeting_id"),
    ).values("pk")


class MeetingPolicy(Policy[KdnMeeting]):
    model = KdnMeeting

    def jurisdiction(self, scope: Scope) -> Q:
        return Q(commission_id__in=scope.organisations_with(SECRETARY)) | Q(
            pk__in=_readable_meetings(scope)
        )

    def can(self, scope: Scope, obj: KdnMeeting, action: str) -> bool:
        if action == VIEW:
            return True
        return action == MANAGE and obj.commission_id in scope.organisations_with(SECRETARY)


class AgendaItemPolicy(Policy[AgendaItem]):
    model = AgendaItem

    def jurisdiction(self, scope: Scope) -> Q:
        return (
            Q(commission_id__in=scope.organisations_with(SECRETARY))
            | Q(submitting_organisation_id__in=scope.organisations_with(FSC | GUARDIANSHIP))
            | Q(meeting_id__in=_readable_meetings(scope))
        )

    def can(self, scope: Scope, obj: AgendaItem, action: str) -> bool:
        if action == VIEW:
            return True
        if action == MANAGE:
            return obj.commission_id in scope.organisations_with(SECRETARY)
        if action == WITHDRAW:
            return obj.submitting_organisation_id in scope.organisation_ids
        return False


class DecisionPolicy(Policy[CommissionDecision]):
    model = CommissionDecision

    def jurisdiction(self, scope: Scope) -> Q:
        return (
            Q(item__commission_id__in=scope.organisations_with(SECRETARY))
            | Q(owner_id=scope.user_id)
            | Q(owner_organisation_id__in=scope.organisation_ids)
        )

    def can(self, scope: Scope, obj: CommissionDecision, action: str) -> bool:
        if action == VIEW:
            return True
        if action != EXECUTE:
            return False
        if obj.owner_id is not None:
            return obj.owner_id == scope.user_id or obj.owner_organisation_id in (
                scope.organisations_with(HEAD_ROLES)
            )
        return obj.owner_organisation_id in scope.organisation_ids


CASES, MEETINGS, AGENDA_ITEMS, DECISIONS = (
    CasePolicy(),
    MeetingPolicy(),
    AgendaItemPolicy(),
    DecisionPolicy(),
)


def get_case_for_user_or_404(user, pk, action: str = VIEW) -> Case:
    return get_object_for_user_or_404(user, CASES, pk, action)


def get_meeting_for_user_or_404(user, pk, action: str = VIEW) -> KdnMeeting:
    return get_object_for_user_or_404(user, MEETINGS, pk, action)


def get_agenda_item_for_user_or_404(user, pk, action: str = VIEW) -> AgendaItem:
    return get_object_for_user_or_404(user, AGENDA_ITEMS, pk, action)


def get_decision_for_user_or_404(user, pk, action: str = VIEW) -> CommissionDecision:
    return get_object_for_user_or_404(user, DECISIONS, pk, action)


def may_open_cases(scope: Scope) -> bool:
    return bool(scope.organisations_with(FSC))


def may_list_cases(scope: Scope) -> bool:
    return bool(scope.organisations_with(FSC) or scope.districts_with(GUARDIANSHIP))


def may_use_kdn(scope: Scope) -> bool:
    return bool(scope.organisations_with(KDN))


def may_submit_to_kdn(scope: Scope) -> bool:
    return bool(scope.organisations_with(FSC | GUARDIANSHIP))
