from casework import selectors as core
from casework.models import OrganisationKind
from casework.services.notifications import notify_users


def notify_district(district_id: int, roles, message: str, params: dict, link: str) -> None:
    """Tell the district's guardianship staff in `roles`, each in their own language."""
    authority = core.district_organisation(
        district_id=district_id, kind=OrganisationKind.GUARDIANSHIP
    )
    if authority is None:
        return
    staff = core.organisation_staff(organisation_id=authority.pk, roles=roles)
    notify_users(staff, message=message, params=params, link=link)
