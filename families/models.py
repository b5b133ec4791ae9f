import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.models.archive import Archivable, archive_constraint, archived_index
from casework.models.names import LocalizedName


@pghistory.track(obj_field=pghistory.ObjForeignKey(related_name="history"))
class Family(Archivable):
    name = models.CharField(_("family"), max_length=300, help_text=_("Usually the surname."))
    district = models.ForeignKey(
        "casework.District",
        on_delete=models.PROTECT,
        related_name="families",
        verbose_name=_("district"),
    )
    locality = models.CharField(_("locality"), max_length=150, blank=True)
    street = models.CharField(_("street"), max_length=200, blank=True)
    house = models.CharField(_("house"), max_length=20, blank=True)
    flat = models.CharField(_("flat"), max_length=20, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("family")
        verbose_name_plural = _("families")
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["district", "name"], name="family_district_name"),
            archived_index("family", "district"),
        ]
        constraints = [archive_constraint("family")]
        triggers = [pgtrigger.Protect(name="no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return self.name

    @property
    def address(self) -> str:
        return ", ".join(p for p in (self.locality, self.street, self.house, self.flat) if p)


class Relation(models.TextChoices):
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    GUARDIAN = "guardian", _("Guardian")
    CHILD = "child", _("Child")
    SIBLING = "sibling", _("Sibling")
    GRANDPARENT = "grandparent", _("Grandparent")
    OTHER = "other", _("Other")


@pghistory.track()
class FamilyMember(models.Model):
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="members")
    person = models.ForeignKey(
        "children.Person", on_delete=models.PROTECT, related_name="memberships"
    )
    relation = models.CharField(_("relation"), max_length=16, choices=Relation.choices)
    since = models.DateField(_("since"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("family member")
        verbose_name_plural = _("family members")
        constraints = [
            models.UniqueConstraint(
                fields=["family", "person"],
                condition=Q(left_on__isnull=True),
                name="familymember_once",
            )
        ]
        # A member who leaves gets `left_on`; the row stays.
        triggers = [pgtrigger.Protect(name="no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_relation_display()})"


class DifficultSituationGround(LocalizedName):
    """Grounds for recognising a difficult life situation (Social Code list), editable."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    is_other = models.BooleanField(_('"other" (needs a description)'), default=False)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("difficult life situation ground")
        verbose_name_plural = _("difficult life situation grounds")
        ordering = ["code"]
        # Retired grounds are switched off (`active`); deleting one would silently strip
        # it from every recorded situation (the many-to-many rows cascade).
        triggers = [pgtrigger.Protect(name="no_delete", operation=pgtrigger.Delete)]


@pghistory.track()
class DifficultSituation(models.Model):
    family = models.ForeignKey(
        Family, on_delete=models.PROTECT, related_name="difficult_situations"
    )
    grounds = models.ManyToManyField(DifficultSituationGround, verbose_name=_("grounds"))
    other_ground = models.CharField(_("other ground"), max_length=300, blank=True)
    recognised_on = models.DateField(_("recognised on"))
    recognised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recognised by"),
    )
    ended_on = models.DateField(_("left the situation on"), null=True, blank=True)
    end_note = models.CharField(_("how it ended"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("difficult life situation")
        verbose_name_plural = _("difficult life situations")
        ordering = ["-recognised_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["family"],
                condition=Q(ended_on__isnull=True),
                name="dls_one_open_per_family",
            )
        ]
        triggers = [pgtrigger.Protect(name="no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.recognised_on:%d.%m.%Y}"


@pghistory.track()
class PoliceRegistration(models.Model):
    """Preventive registration with the internal affairs bodies."""

    family = models.ForeignKey(
        Family, on_delete=models.PROTECT, related_name="police_registrations"
    )
    person = models.ForeignKey(
        "children.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="police_registrations",
        verbose_name=_("registered person"),
    )  # fmt: skip
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="police_registrations",
        verbose_name=_("police notice"),
    )  # fmt: skip
    registered_on = models.DateField(_("registered on"))
    police_unit = models.CharField(_("police unit"), max_length=300)
    inspector = models.CharField(_("inspector"), max_length=300, blank=True)
    ground = models.CharField(_("ground"), max_length=500)
    deregistered_on = models.DateField(_("deregistered on"), null=True, blank=True)
    deregistration_reason = models.CharField(_("deregistration reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("police preventive registration")
        verbose_name_plural = _("police preventive registrations")
        ordering = ["-registered_on"]
        triggers = [pgtrigger.Protect(name="no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.police_unit} {self.registered_on:%d.%m.%Y}"
