import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.models.archive import Archivable, archive_constraint, archived_index
from casework.models.uploads import StoredFile, stored_file_path


class ReferralKind(models.TextChoices):
    CONCERN = "concern", _("Concern")
    POLICE_NOTICE = "police_notice", _("Police registration notice")


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    API = "api", _("API")
    PHONE = "phone", _("Phone call (logged by a specialist)")


class ConcernCategory(models.TextChoices):
    VIOLENCE = "violence", _("Violence")
    CRUEL_TREATMENT = "cruel_treatment", _("Cruel treatment")
    BULLYING = "bullying", _("Bullying")
    NEGLECT = "neglect", _("Neglect")
    WITNESS = "witness", _("Witness of an offence")
    SCHOOL_ABSENCE = "school_absence", _("School absence")
    DISABILITY_WITHOUT_SERVICES = "disability_no_services", _("Disability without services")
    HOMELESSNESS = "homelessness", _("Homelessness")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    REGISTERED = "registered", _("Registered, awaiting transfer")
    NO_ACTION = "no_action", _("Triaged: no action")
    CASEWORK = "casework", _("Triaged: guardianship casework")
    SENT_TO_KDN = "sent_to_kdn", _("Triaged: sent to the KDN")
    TRANSFERRED = "transferred", _("Transferred to the FSC")
    PICKED_UP = "picked_up", _("Picked up by the FSC")
    IN_WORK = "in_work", _("In work")
    CLOSED = "closed", _("Closed")
    RETURNED = "returned", _("Returned to guardianship")


# The only moves a referral can make. Each has one service in referrals.services.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.RECEIVED: frozenset(
        {Status.NO_ACTION, Status.CASEWORK, Status.SENT_TO_KDN, Status.TRANSFERRED}
    ),
    Status.REGISTERED: frozenset({Status.TRANSFERRED}),
    Status.TRANSFERRED: frozenset({Status.PICKED_UP, Status.RETURNED}),
    Status.PICKED_UP: frozenset({Status.IN_WORK, Status.RETURNED}),
    Status.IN_WORK: frozenset({Status.CLOSED}),
    Status.RETURNED: frozenset(
        {Status.NO_ACTION, Status.CASEWORK, Status.SENT_TO_KDN, Status.TRANSFERRED}
    ),
    Status.NO_ACTION: frozenset(),
    Status.CASEWORK: frozenset(),
    Status.SENT_TO_KDN: frozenset(),
    Status.CLOSED: frozenset(),
}
OPEN_STATUSES = [status for status, targets in TRANSITIONS.items() if targets]


# The generated history model gets its own name: ReferralEvent is the domain timeline.
@pghistory.track(
    model_name="ReferralHistory", obj_field=pghistory.ObjForeignKey(related_name="history")
)
class Referral(Archivable):
    kind = models.CharField(_("kind"), max_length=16, choices=ReferralKind.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    district = models.ForeignKey(
        "casework.District",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("district"),
        help_text=_(
            "The district where the child lives: its guardianship authority is responsible."
        ),
    )
    source_organisation = models.ForeignKey(
        "casework.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sent_referrals",
        verbose_name=_("source organisation"),
    )
    source_person = models.CharField(
        _("reported by"),
        max_length=300,
        blank=True,
        help_text=_("For a citizen or a phone call: the name and contact of the person."),
    )
    external_reference = models.CharField(_("sender's reference"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="created_referrals",
        verbose_name=_("registered by"),
    )
    received_at = models.DateTimeField(_("received at"), db_index=True)

    # Subject: may be unidentified at intake; matched to the registry later.
    child_name = models.CharField(_("child's name"), max_length=300, blank=True)
    child_birth_date = models.DateField(_("child's birth date"), null=True, blank=True)
    child_age = models.PositiveSmallIntegerField(_("approximate age"), null=True, blank=True)
    family_name = models.CharField(_("family"), max_length=300, blank=True)
    address = models.CharField(_("address"), max_length=500, blank=True)
    child = models.ForeignKey(
        "children.Child",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("child's file"),
    )

    categories = ArrayField(
        models.CharField(max_length=32, choices=ConcernCategory.choices),
        verbose_name=_("concern categories"),
        default=list,
        blank=True,
    )
    threat_to_life = models.BooleanField(_("threat to life or health"), default=False)
    narrative = models.TextField(_("what happened"))

    # Police registration notice.
    registered_at = models.DateTimeField(_("police registration at"), null=True, blank=True)
    police_unit = models.CharField(_("police unit"), max_length=300, blank=True)
    inspector = models.CharField(_("inspector"), max_length=300, blank=True)
    ground = models.CharField(_("ground for registration"), max_length=500, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=100, blank=True)
    transfer_due_at = models.DateTimeField(_("transfer due"), null=True, blank=True)

    # Transfer and pickup.
    fsc = models.ForeignKey(
        "casework.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="received_referrals",
        verbose_name=_("Family Support Center"),
    )
    transferred_at = models.DateTimeField(_("transferred at"), null=True, blank=True)
    transferred_automatically = models.BooleanField(_("transferred by the system"), default=False)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_referrals",
        verbose_name=_("FSC specialist"),
    )
    picked_up_at = models.DateTimeField(_("picked up at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["district", "status", "-received_at"], name="referral_district"),
            # The district's list, newest first: its first page reads 25 index entries.
            models.Index(
                fields=["district", "-received_at", "-id"],
                condition=Q(archived_at__isnull=True),
                name="referral_district_recent",
            ),
            # The dashboards' counts by status: read from the index alone.
            models.Index(
                fields=["district", "status"],
                include=["id"],
                condition=Q(archived_at__isnull=True),
                name="referral_district_status_live",
            ),
            models.Index(
                fields=["transfer_due_at"],
                condition=Q(status="registered"),
                name="referral_awaiting_transfer",
            ),
            models.Index(
                fields=["fsc", "status", "transferred_at"],
                condition=Q(fsc__isnull=False),
                name="referral_fsc_inbox",
            ),
            models.Index(fields=["source_organisation", "-received_at"], name="referral_source"),
            GinIndex(fields=["categories"], name="referral_categories"),
            archived_index("referral", "district"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source_organisation", "external_reference"],
                condition=~Q(external_reference=""),
                name="referral_unique_external_reference",
            ),
            models.CheckConstraint(
                condition=~Q(kind="police_notice") | Q(registered_at__isnull=False),
                name="referral_notice_has_registration_time",
            ),
            archive_constraint("referral"),
        ]
        triggers = [pgtrigger.Protect(name="referral_no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        subject = self.child_name or self.family_name or _("unidentified")
        return f"№ {self.pk} — {subject}"

    @property
    def is_police_notice(self) -> bool:
        return self.kind == ReferralKind.POLICE_NOTICE

    @property
    def number(self) -> str:
        return f"{self.pk:06d}"

    @property
    def category_labels(self) -> list[str]:
        return [ConcernCategory(value).label for value in self.categories]


class EventKind(models.TextChoices):
    CREATED = "created", _("Received")
    TRIAGED = "triaged", _("Triaged")
    TRANSFERRED = "transferred", _("Transferred to the FSC")
    AUTO_TRANSFERRED = "auto_transferred", _("Transferred by the system at the deadline")
    PICKED_UP = "picked_up", _("Picked up")
    WORK_STARTED = "work_started", _("Work started")
    CLOSED = "closed", _("Closed")
    RETURNED = "returned", _("Returned to guardianship")
    REMINDED = "reminded", _("Deadline reminder sent")
    BREACHED = "breached", _("Transfer deadline missed")
    ESCALATED = "escalated", _("Escalated to the FSC head")
    ATTACHMENT_ADDED = "attachment_added", _("Attachment added")
    CHILD_LINKED = "child_linked", _("Linked to the child's file")
    ARCHIVED = "archived", _("Archived")
    RESTORED = "restored", _("Restored from the archive")
    ATTACHMENT_ARCHIVED = "attachment_archived", _("Attachment archived")
    ATTACHMENT_RESTORED = "attachment_restored", _("Attachment restored")


class ReferralEvent(models.Model):
    """The referral's timeline: append-only, written with every change in one transaction."""

    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="events", verbose_name=_("referral")
    )
    at = models.DateTimeField(_("at"))
    kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    from_status = models.CharField(_("from"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=Status.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["referral", "at"], name="referralevent_timeline")]
        triggers = [
            pgtrigger.Protect(
                name="referralevent_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.get_kind_display()}"


def attachment_path(instance, filename: str) -> str:
    """Kept for the migrations that name it; files are placed by `stored_file_path`."""
    return stored_file_path(instance, filename)


class Attachment(StoredFile, Archivable):
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("referral")
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]
        indexes = [archived_index("attachment")]
        constraints = [archive_constraint("attachment")]
        triggers = [pgtrigger.Protect(name="attachment_no_delete", operation=pgtrigger.Delete)]

    def storage_folder(self) -> str:
        return f"referrals/{self.referral_id}"
