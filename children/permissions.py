"""Who sees and changes registry records: the district's guardianship staff; a child's
file also where it was explicitly shared (`ChildShare`) or granted per user."""

from django.db.models import Q

from casework.models import Role
from casework.permissions import ARCHIVE, RESTORE, Policy, Scope, get_object_for_user_or_404

from .models import Carer, Child, ChildShare, Person

GUARDIANSHIP = frozenset({Role.GUARDIANSHIP_SPECIALIST, Role.GUARDIANSHIP_HEAD})
HEADS = frozenset({Role.GUARDIANSHIP_HEAD})
VIEW, CHANGE, MERGE, SHARE = "view", "change", "merge", "share"
# "Who viewed this file": the heads of the file's own district, not those it is shared with.
AUDIT = "audit"


def _districts(scope: Scope) -> frozenset[int]:
    return scope.districts_with(GUARDIANSHIP)


def shared_child_ids(scope: Scope) -> list[int]:
    """Children of other districts shared with the user's districts, as literal ids (an
    empty list drops the condition): ORed in as a subquery, it keeps PostgreSQL from
    using the district's indexes, and a name search reads every match in the country.
    Read once per request (the scope lives as long as the request's user)."""
    cached = scope.__dict__.get("_shared_child_ids")  # the dataclass is frozen
    if cached is None:
        cached = list(
            ChildShare.objects.filter(district_id__in=_districts(scope))
            .order_by("child_id")
            .values_list("child_id", flat=True)
        )
        scope.__dict__["_shared_child_ids"] = cached
    return cached


def may_archive_in(scope: Scope, district_id: int, action: str) -> bool:
    """Guardianship staff of the record's own district archive it (not a district it was
    shared with); only its head restores it."""
    if action == ARCHIVE:
        return district_id in _districts(scope)
    if action == RESTORE:
        return district_id in scope.districts_with(HEADS)
    return False


class ChildPolicy(Policy[Child]):
    model = Child

    def jurisdiction(self, scope: Scope) -> Q:
        return Q(district_id__in=_districts(scope)) | Q(pk__in=shared_child_ids(scope))

    def can(self, scope: Scope, obj: Child, action: str) -> bool:
        if action in {VIEW, CHANGE}:
            return bool(_districts(scope))
        if action == SHARE:
            return obj.district_id in _districts(scope)
        if action == AUDIT:
            return obj.district_id in scope.districts_with(HEADS)
        return may_archive_in(scope, obj.district_id, action)


class PersonPolicy(Policy[Person]):
    model = Person

    def jurisdiction(self, scope: Scope) -> Q:
        return (Q(district_id__in=_districts(scope)) | Q(child__in=shared_child_ids(scope))) & Q(
            merged_into__isnull=True
        )

    def can(self, scope: Scope, obj: Person, action: str) -> bool:
        if action == MERGE:
            return obj.district_id in scope.districts_with(HEADS)
        return action in {VIEW, CHANGE} and bool(_districts(scope))


class CarerPolicy(Policy[Carer]):
    model = Carer

    def jurisdiction(self, scope: Scope) -> Q:
        return Q(district_id__in=_districts(scope))

    def can(self, scope: Scope, obj: Carer, action: str) -> bool:
        return action in {VIEW, CHANGE} or may_archive_in(scope, obj.district_id, action)


CHILDREN, PEOPLE, CARERS = ChildPolicy(), PersonPolicy(), CarerPolicy()


def get_child_for_user_or_404(user, pk, action: str = VIEW) -> Child:
    return get_object_for_user_or_404(user, CHILDREN, pk, action)


def get_person_for_user_or_404(user, pk, action: str = VIEW) -> Person:
    return get_object_for_user_or_404(user, PEOPLE, pk, action)


def get_carer_for_user_or_404(user, pk, action: str = VIEW) -> Carer:
    return get_object_for_user_or_404(user, CARERS, pk, action)


def may_use_registry(scope: Scope) -> bool:
    return bool(_districts(scope))
