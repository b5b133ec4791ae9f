from django.db.models import QuerySet

from casework.permissions import visible_to

from ..models import RegistryImport
from .permissions import IMPORTS

PAGE_SIZE = 25


def registry_import_list(*, user) -> QuerySet[RegistryImport]:
    """The import history of the user's districts, newest first."""
    return (
        visible_to(user, IMPORTS)
        .select_related("uploaded_by", "district")
        .defer("report")
        .order_by("-uploaded_at", "-pk")
    )
