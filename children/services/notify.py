from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from casework import selectors as core
from casework.models import OrganisationKind
from casework.services.notifications import notification_create


def notify_district(district_id: int, roles, message: str, params: dict, link: str) -> None:
    """Tell the district's guardianship staff in `roles`, each in their own language."""
    authority = core.district_organisation(
        district_id=district_id, kind=OrganisationKind.GUARDIANSHIP
    )
    if authority is None:
        return
    for user in core.organisation_staff(organisation_id=authority.pk, roles=roles):
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subject = _(message) % params
            body = f"{subject}\n\n{_('Open')}: {settings.SITE_URL}{link}"
        notification_create(recipient=user, subject=subject[:300], body=body)
