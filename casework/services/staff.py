from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import ROLE_ORGANISATION_KINDS, Organisation, Role, StaffMembership, User

PROFILE_FIELDS = ("last_name", "first_name", "patronymic", "email", "phone", "preferred_language")


@transaction.atomic
def membership_create(
    *, user: User, organisation: Organisation, role: str, started_on: date | None = None
) -> StaffMembership:
    """Give `user` a role in `organisation`, if that kind of organisation has that role."""
    if organisation.kind not in ROLE_ORGANISATION_KINDS[role]:
        raise ValidationError(
            _("The role “%(role)s” does not exist in an organisation of kind “%(kind)s”.")
            % {"role": Role(role).label, "kind": organisation.get_kind_display()},
            code="role_kind_mismatch",
        )
    if organisation.archived_at is not None:
        raise ValidationError(_("This organisation is archived."), code="archived")
    membership, _created = StaffMembership.objects.get_or_create(
        user=user,
        organisation=organisation,
        role=role,
        ended_on=None,
        defaults={"started_on": started_on or timezone.localdate()},
    )
    return membership


@transaction.atomic
def membership_end(*, membership: StaffMembership, ended_on: date | None = None) -> None:
    membership.ended_on = ended_on or timezone.localdate()
    membership.save(update_fields=["ended_on"])


@transaction.atomic
def staff_profile_update(*, profile: User, data: dict) -> list[str]:
    """Change a staff profile; returns the fields that changed (history keeps old values).

    Compares with the row as stored (and locks it), not with `profile`, which a bound
    form may already have modified in memory.
    """
    stored = User.objects.select_for_update().get(pk=profile.pk)
    changed = [
        field for field in PROFILE_FIELDS if field in data and data[field] != getattr(stored, field)
    ]
    for field in changed:
        setattr(stored, field, data[field])
    if changed:
        stored.save(update_fields=changed)
    return changed


@transaction.atomic
def user_language_set(*, user: User, language: str) -> None:
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
