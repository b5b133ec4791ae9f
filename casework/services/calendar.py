from datetime import date

from django.db import transaction

from casework.models import CalendarOverride, User


@transaction.atomic
def calendar_override_set(
    *, day: date, kind: str, legal_basis: str, by: User | None
) -> CalendarOverride:
    """Declare `day` a working day or a day off, whatever the `holidays` package says."""
    override, _ = CalendarOverride.objects.update_or_create(
        day=day, defaults={"kind": kind, "legal_basis": legal_basis, "created_by": by}
    )
    return override
