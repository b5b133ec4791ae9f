import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .names import LocalizedName


@pghistory.track()
class Region(LocalizedName):
    """Oblast or city of republican significance (Almaty, Astana, Shymkent)."""

    code = models.CharField(_("code"), max_length=16, unique=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name_ru"]


@pghistory.track()
class District(LocalizedName):
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="districts", verbose_name=_("region")
    )
    code = models.CharField(_("code"), max_length=16, unique=True)
    # The staffing norm is one guardianship specialist per 5,000 children of the district.
    child_population = models.PositiveIntegerField(_("number of children"), default=0)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name_ru"]


class OrganisationKind(models.TextChoices):
    GUARDIANSHIP = "guardianship", _("Guardianship and trusteeship authority")
    FSC = "fsc", _("Family Support Center")
    KDN = "kdn", _("Commission on Minors' Affairs and Protection of Their Rights")
    SCHOOL = "school", _("School")
    PRESCHOOL = "preschool", _("Preschool")
    CLINIC = "clinic", _("Clinic")
    POLICE = "police", _("Police unit")
    NGO = "ngo", _("Non-governmental organisation")
    CHILDRENS_INSTITUTION = "institution", _("Organisation for orphans and children without care")
    ANALYTICS = "analytics", _("Akimat / ministry (analytics)")
    OPERATOR = "operator", _("System operator")


# Kinds that always belong to one district; analytics and the operator may sit at
# region or national level.
DISTRICT_KINDS = [
    kind
    for kind in OrganisationKind.values
    if kind not in {OrganisationKind.ANALYTICS, OrganisationKind.OPERATOR}
]


@pghistory.track()
class Organisation(LocalizedName):
    kind = models.CharField(_("kind"), max_length=16, choices=OrganisationKind.choices)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("region"),
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("district"),
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_ru"]
        indexes = [models.Index(fields=["district", "kind"], name="organisation_district_kind")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=DISTRICT_KINDS) | Q(district__isnull=False),
                name="organisation_district_kinds_have_district",
            ),
        ]


class Role(models.TextChoices):
    GUARDIANSHIP_SPECIALIST = "guardianship_specialist", _("Guardianship specialist")
    GUARDIANSHIP_HEAD = "guardianship_head", _("Head of guardianship authority")
    FSC_SPECIALIST = "fsc_specialist", _("FSC specialist")
    FSC_HEAD = "fsc_head", _("FSC head")
    KDN_MEMBER = "kdn_member", _("KDN member")
    KDN_SECRETARY = "kdn_secretary", _("KDN secretary")
    REFERRER = "referrer", _("Referrer")
    ANALYST = "analyst", _("Analyst")
    ADMINISTRATOR = "administrator", _("Administrator")


# Which organisation kinds a role can be held in (DESIGN.md section 2).
ROLE_ORGANISATION_KINDS: dict[str, set[str]] = {
    Role.GUARDIANSHIP_SPECIALIST: {OrganisationKind.GUARDIANSHIP},
    Role.GUARDIANSHIP_HEAD: {OrganisationKind.GUARDIANSHIP},
    Role.FSC_SPECIALIST: {OrganisationKind.FSC},
    Role.FSC_HEAD: {OrganisationKind.FSC},
    Role.KDN_MEMBER: {OrganisationKind.KDN},
    Role.KDN_SECRETARY: {OrganisationKind.KDN},
    Role.REFERRER: {
        OrganisationKind.SCHOOL,
        OrganisationKind.PRESCHOOL,
        OrganisationKind.CLINIC,
        OrganisationKind.POLICE,
        OrganisationKind.NGO,
        OrganisationKind.CHILDRENS_INSTITUTION,
    },
    Role.ANALYST: {OrganisationKind.ANALYTICS},
    Role.ADMINISTRATOR: {OrganisationKind.OPERATOR},
}


@pghistory.track()
class StaffMembership(models.Model):
    """A user's role in an organisation. Ended memberships stay for the record."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        indexes = [
            models.Index(
                fields=["organisation", "role"],
                condition=Q(ended_on__isnull=True),
                name="membership_active_org_role",
            ),
            models.Index(
                fields=["user"],
                condition=Q(ended_on__isnull=True),
                name="membership_active_user",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=Q(ended_on__isnull=True),
                name="membership_one_active_per_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.organisation}"
