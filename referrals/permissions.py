"""Who may see a referral and what they may do with it (through the access core)."""

from django.db.models import Q, QuerySet

from casework.models import Role, StaffMembership
from casework.permissions import ARCHIVE, RESTORE, Policy, Scope, get_object_for_user_or_404
from casework.permissions import can as core_can

from .models import Referral, Status

GUARDIANSHIP = frozenset({Role.GUARDIANSHIP_SPECIALIST, Role.GUARDIANSHIP_HEAD})
GUARDIANSHIP_HEADS = frozenset({Role.GUARDIANSHIP_HEAD})
FSC = frozenset({Role.FSC_SPECIALIST, Role.FSC_HEAD})
REFERRER = frozenset({Role.REFERRER})

VIEW = "view"
TRIAGE = "triage"
TRANSFER = "transfer"
PICK_UP = "pick_up"
START_WORK = "start_work"
CLOSE = "close"
RETURN = "return"
ATTACH = "attach"
SEE_WORK = "see_work"  # the receiving authorities' notes, files and staff

# The status each action needs, so the page offers only what can succeed now.
ACTION_STATUSES = {
    TRIAGE: {Status.RECEIVED, Status.RETURNED},
    TRANSFER: {Status.RECEIVED, Status.REGISTERED, Status.RETURNED},
    PICK_UP: {Status.TRANSFERRED},
    START_WORK: {Status.PICKED_UP},
    CLOSE: {Status.IN_WORK},
    RETURN: {Status.TRANSFERRED, Status.PICKED_UP},
}


class ReferralPolicy(Policy[Referral]):
    """District guardianship sees its district; an FSC sees what was transferred to it;
    a referrer sees what its organisation sent. KDN, analysts and administrators see no
    referral by jurisdiction (KDN files come with the agenda)."""

    model = Referral

    def jurisdiction(self, scope: Scope) -> Q:
        return (
            Q(district_id__in=scope.districts_with(GUARDIANSHIP))
            | Q(fsc_id__in=scope.organisations_with(FSC))
            | Q(source_organisation_id__in=scope.organisations_with(REFERRER))
        )

    def can(self, scope: Scope, obj: Referral, action: str) -> bool:
        if action == VIEW:
            return True
        in_district = obj.district_id in scope.districts_with(GUARDIANSHIP)
        in_fsc = obj.fsc_id is not None and obj.fsc_id in scope.organisations_with(FSC)
        if action in {TRIAGE, TRANSFER, ARCHIVE}:
            return in_district
        if action == SEE_WORK:
            return in_district or in_fsc
        if action == RESTORE:
            return obj.district_id in scope.districts_with(GUARDIANSHIP_HEADS)
        if action == ATTACH:
            return (
                in_district
                or in_fsc
                or obj.source_organisation_id in scope.organisations_with(REFERRER)
            )
        if action in {PICK_UP, RETURN}:
            return in_fsc
        if action in {START_WORK, CLOSE}:
            is_head = obj.fsc_id in scope.organisations_with(frozenset({Role.FSC_HEAD}))
            return in_fsc and (obj.assigned_to_id == scope.user_id or is_head)
        return False


REFERRALS = ReferralPolicy()


def get_referral_for_user_or_404(user, pk, action: str = VIEW) -> Referral:
    return get_object_for_user_or_404(user, REFERRALS, pk, action)


def actions_for(user, referral: Referral) -> list[str]:
    """Actions the page should offer: permitted for this user and possible in this status."""
    return [
        action
        for action, statuses in ACTION_STATUSES.items()
        if referral.status in statuses and core_can(user, REFERRALS, referral, action)
    ]


def sees_the_work(user, referral: Referral) -> bool:
    """The district's guardianship and the FSC it went to see the whole file; its sender
    sees what it sent and where the referral stands, not the others' notes, files and
    staff (DESIGN.md section 2: "the status of their own referrals only")."""
    return core_can(user, REFERRALS, referral, SEE_WORK)


def sender_ids(referral: Referral) -> QuerySet:
    """Everyone who has sent for the referral's source organisation (its API account too)."""
    return StaffMembership.objects.filter(organisation_id=referral.source_organisation_id).values(
        "user_id"
    )


def attachments_for(user, referral: Referral) -> QuerySet:
    """The referral's files `user` may have: all of them, or for the sender its own."""
    attachments = referral.attachments.all()
    if sees_the_work(user, referral):
        return attachments
    return attachments.filter(uploaded_by__in=sender_ids(referral))


def may_create_referrals(scope: Scope) -> bool:
    return scope.has_any_role(GUARDIANSHIP | REFERRER)


def may_list_referrals(scope: Scope) -> bool:
    return scope.has_any_role(GUARDIANSHIP | FSC | REFERRER)


def can_attach(user, referral: Referral) -> bool:
    return core_can(user, REFERRALS, referral, ATTACH)


def may_transfer_from_list(scope: Scope, referral: Referral) -> bool:
    """The list offers the transfer of a police notice in place: the daily one-working-day
    task. Concerns are triaged from their page, where the whole story is."""
    return (
        referral.is_police_notice
        and referral.status in ACTION_STATUSES[TRANSFER]
        and REFERRALS.can(scope, referral, TRANSFER)
    )
