from django.contrib.auth.models import Permission
from django.db import transaction

from casework.models import District, Organisation, Region, User

# What an administrator manages in the admin site: reference data and accounts, never
# case content (DESIGN.md section 2).
ADMINISTRATOR_PERMISSIONS = [
    ("casework", "region", ("add", "change", "view")),
    ("casework", "district", ("add", "change", "view")),
    ("casework", "organisation", ("add", "change", "view")),
    ("casework", "user", ("add", "change", "view")),
    ("casework", "staffmembership", ("add", "change", "view")),
    ("casework", "calendaroverride", ("add", "change", "view", "delete")),
    ("casework", "apitoken", ("add", "change", "view")),
    ("casework", "breach", ("view",)),
    # Unlocking a locked-out username deletes its failed-attempt row; sign-ins are read.
    ("axes", "accessattempt", ("view", "delete")),
    ("axes", "accesslog", ("view",)),
]


@transaction.atomic
def region_ensure(*, code: str, name_ru: str, name_kk: str, name_en: str) -> Region:
    region, _ = Region.objects.update_or_create(
        code=code, defaults={"name_ru": name_ru, "name_kk": name_kk, "name_en": name_en}
    )
    return region


@transaction.atomic
def district_ensure(
    *, region: Region, code: str, name_ru: str, name_kk: str, name_en: str, child_population: int
) -> District:
    district, _ = District.objects.update_or_create(
        code=code,
        defaults={
            "region": region,
            "name_ru": name_ru,
            "name_kk": name_kk,
            "name_en": name_en,
            "child_population": child_population,
        },
    )
    return district


@transaction.atomic
def organisation_ensure(
    *,
    kind: str,
    name_ru: str,
    name_kk: str,
    name_en: str,
    district: District | None = None,
    region: Region | None = None,
) -> Organisation:
    organisation, _ = Organisation.objects.update_or_create(
        kind=kind,
        name_ru=name_ru,
        district=district,
        defaults={
            "name_kk": name_kk,
            "name_en": name_en,
            "region": district.region if district else region,
        },
    )
    return organisation


@transaction.atomic
def administrator_enable_admin_site(*, user: User) -> None:
    """Let an administrator into the admin site for reference data, not case files."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    for app_label, model, actions in ADMINISTRATOR_PERMISSIONS:
        codenames = [f"{action}_{model}" for action in actions]
        user.user_permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )
