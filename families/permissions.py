from django.db.models import Q

from casework.models import Role
from casework.permissions import Policy, Scope, get_object_for_user_or_404
from children.permissions import may_archive_in

from .models import Family

GUARDIANSHIP = frozenset({Role.GUARDIANSHIP_SPECIALIST, Role.GUARDIANSHIP_HEAD})
HEADS = frozenset({Role.GUARDIANSHIP_HEAD})
AUDIT = "audit"  # "who viewed this file": the district's guardianship heads only


class FamilyPolicy(Policy[Family]):
    """The district's guardianship staff see and keep its families' files; its heads
    see who viewed them."""

    model = Family

    def jurisdiction(self, scope: Scope) -> Q:
        return Q(district_id__in=scope.districts_with(GUARDIANSHIP))

    def can(self, scope: Scope, obj: Family, action: str) -> bool:
        if action == AUDIT:
            return obj.district_id in scope.districts_with(HEADS)
        return action in {"view", "change"} or may_archive_in(scope, obj.district_id, action)


FAMILIES = FamilyPolicy()


def get_family_for_user_or_404(user, pk, action: str = "view", queryset=None) -> Family:
    return get_object_for_user_or_404(user, FAMILIES, pk, action, queryset)
