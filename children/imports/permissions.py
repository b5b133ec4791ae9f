"""Who sees and runs registry imports: the guardianship staff of the import's district."""

from django.db.models import Q

from casework.permissions import Policy, Scope, get_object_for_user_or_404

from ..models import RegistryImport
from ..permissions import CHANGE, GUARDIANSHIP, VIEW


class RegistryImportPolicy(Policy[RegistryImport]):
    model = RegistryImport

    def jurisdiction(self, scope: Scope) -> Q:
        return Q(district_id__in=scope.districts_with(GUARDIANSHIP))

    def can(self, scope: Scope, obj: RegistryImport, action: str) -> bool:
        return action in {VIEW, CHANGE} and obj.district_id in scope.districts_with(GUARDIANSHIP)


IMPORTS = RegistryImportPolicy()


def get_registry_import_for_user_or_404(user, pk, action: str = VIEW) -> RegistryImport:
    return get_object_for_user_or_404(user, IMPORTS, pk, action)


def import_districts(scope: Scope) -> frozenset[int]:
    """Districts the user may import into: their own, where they work in guardianship."""
    return scope.districts_with(GUARDIANSHIP)
