import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from casework.models.archive import Archivable, archive_constraint, archived_index
from casework.models.uploads import StoredFile, stored_file_path


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")


@pghistory.track(obj_field=pghistory.ObjForeignKey(related_name="history"))
class Person(models.Model):
    """One record per human being: child, parent or carer. Found by IIN, or by a name
    key that forgives spelling (see `children.names`)."""

    iin = models.CharField(_("IIN"), max_length=12, null=True, blank=True, unique=True)
    last_name = models.CharField(_("surname"), max_length=150)
    first_name = models.CharField(_("name"), max_length=150)
    patronymic = models.CharField(_("patronymic"), max_length=150, blank=True)
    last_name_latin = models.CharField(_("surname (Latin)"), max_length=150, blank=True)
    first_name_latin = models.CharField(_("name (Latin)"), max_length=150, blank=True)
    patronymic_latin = models.CharField(_("patronymic (Latin)"), max_length=150, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    region = models.ForeignKey(
        "casework.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("region"),
    )  # fmt: skip
    district = models.ForeignKey(
        "casework.District", on_delete=models.PROTECT, related_name="people",
        verbose_name=_("district"),
    )  # fmt: skip
    locality = models.CharField(_("locality"), max_length=150, blank=True)
    street = models.CharField(_("street"), max_length=200, blank=True)
    house = models.CharField(_("house"), max_length=20, blank=True)
    flat = models.CharField(_("flat"), max_length=20, blank=True)
    phones = ArrayField(
        models.CharField(max_length=32), verbose_name=_("phones"), default=list, blank=True
    )
    # Computed by the services from the names: every spelling meets here.
    search_key = models.CharField(max_length=500, editable=False, default="")
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged",
        verbose_name=_("merged into"),
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name", "pk"]
        indexes = [
            GinIndex(
                OpClass("search_key", name="gin_trgm_ops"),
                name="person_search_key_trgm",
                condition=Q(merged_into__isnull=True),
            ),
            # A district's own search: the district in the same GIN index (btree_gin), so
            # a common name found ten thousand times in the country reads only the
            # district's few hundred.
            GinIndex(
                F("district"),
                OpClass("search_key", name="gin_trgm_ops"),
                name="person_district_search_key",
                condition=Q(merged_into__isnull=True),
            ),
            models.Index(
                fields=["district", "last_name", "first_name"], name="person_district_name"
            ),
            models.Index(Upper("last_name"), "birth_date", name="person_surname_birth"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(iin__isnull=True) | Q(iin__regex=r"^[0-9]{12}$"),
                name="person_iin_twelve_digits",
            )
        ]
        triggers = [pgtrigger.Protect(name="no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    @property
    def latin_name(self) -> str:
        parts = (self.last_name_latin, self.first_name_latin, self.patronymic_latin)
        return " ".join(p for p in parts if p)

    @property
    def address(self) -> str:
        parts = [
            self.locality,
            self.street,
            self.house and f"{self.house}",
            self.flat and f"кв. {self.flat}",
        ]
        return ", ".join(p for p in parts if p)


class StatusCategory(models.TextChoices):
    ORPHAN = "orphan", _("Orphan")
    WITHOUT_CARE = "without_care", _("Left without parental care")
    SOCIAL_ORPHAN = "social_orphan", _("Social orphan")
    DISABILITY = "disability", _("Child with disability")
    DIFFICULT_SITUATION = "difficult_situation", _("In a family in a difficult life situation")
    CONFLICT_WITH_LAW = "conflict_with_law", _("In conflict with the law")


@pghistory.track(obj_field=pghistory.ObjForeignKey(related_name="history"))
class Child(Archivable):
    """A child's file. The district is the guardianship authority responsible for it."""

    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, related_name="child", verbose_name=_("person")
    )
    district = models.ForeignKey(
        "casework.District", on_delete=models.PROTECT, related_name="children",
        verbose_name=_("district"),
    )  # fmt: skip
    # Child left without parental care: registration in the Republican Data Bank.
    identified_without_care_at = models.DateTimeField(
        _("identified as left without parental care"), null=True, blank=True
    )
    databank_due_at = models.DateTimeField(_("data bank registration due"), null=True, blank=True)
    databank_registered_on = models.DateField(
        _("registered in the data bank on"), null=True, blank=True
    )
    databank_number = models.CharField(_("data bank number"), max_length=50, blank=True)
    closed_at = models.DateTimeField(_("file closed at"), null=True, blank=True)
    closed_reason = models.CharField(_("closure reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        indexes = [
            models.Index(fields=["district", "closed_at"], name="child_district"),
            archived_index("child", "district"),
        ]
        constraints = [archive_constraint("child")]
        triggers = [pgtrigger.Protect(name="no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return str(self.person)


@pghistory.track()
class ChildStatus(models.Model):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="statuses")
    category = models.CharField(_("category"), max_length=24, choices=StatusCategory.choices)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("status category")
        verbose_name_plural = _("status categories")
        ordering = ["-started_on"]
        indexes = [models.Index(fields=["category", "ended_on"], name="childstatus_category")]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "category"],
                condition=Q(ended_on__isnull=True),
                name="childstatus_one_open_per_category",
            )
        ]
        triggers = [pgtrigger.Protect(name="no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return self.get_category_display()


@pghistory.track()
class Disability(models.Model):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="disabilities")
    group = models.CharField(_("group / category"), max_length=50)
    established_on = models.DateField(_("established on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    rehabilitation_programme = models.TextField(
        _("individual rehabilitation programme"), blank=True
    )
    special_services = models.TextField(_("special social services received"), blank=True)
    inclusive_education = models.BooleanField(_("inclusive education"), default=False)

    class Meta:
        verbose_name = _("disability")
        verbose_name_plural = _("disabilities")
        ordering = ["-established_on"]
        triggers = [pgtrigger.Protect(name="no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return self.group


@pghistory.track()
class ChildView(models.Model):
    """What the child said, in the child's own words, when a decision was prepared."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="views")
    heard_on = models.DateField(_("heard on"))
    heard_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("heard by"),
    )
    decision = models.CharField(_("decision being prepared"), max_length=300)
    words = models.TextField(_("the child's words"))

    class Meta:
        verbose_name = _("child's view")
        verbose_name_plural = _("child's views")
        ordering = ["-heard_on", "-pk"]
        triggers = [pgtrigger.Protect(name="no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.heard_on:%d.%m.%Y}: {self.decision}"


class CarerKind(models.TextChoices):
    GUARDIAN = "guardian", _("Guardian / trustee")
    FOSTER = "foster", _("Foster parent")
    PROFESSIONAL_FOSTER = "professional_foster", _("Professional foster parent")
    PATRONAGE = "patronage", _("Patronage educator")
    GUEST_FAMILY = "guest_family", _("Guest family")
    MENTOR = "mentor", _("Mentor")


@pghistory.track(obj_field=pghistory.ObjForeignKey(related_name="history"))
class Carer(Archivable):
    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, related_name="carer", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=CarerKind.choices)
    district = models.ForeignKey(
        "casework.District",
        on_delete=models.PROTECT,
        related_name="carers",
        verbose_name=_("district"),
    )
    approved_on = models.DateField(_("approved on"))
    check_due_on = models.DateField(_("reliability check due"), null=True, blank=True)
    inspection_due_on = models.DateField(_("inspection due"), null=True, blank=True)
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("carer")
        verbose_name_plural = _("carers")
        indexes = [
            models.Index(fields=["district", "check_due_on"], name="carer_check_due"),
            archived_index("carer", "district"),
        ]
        constraints = [archive_constraint("carer")]
        triggers = [pgtrigger.Protect(name="no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_kind_display()})"


@pghistory.track()
class ReliabilityCheck(models.Model):
    """The annual check of a carer: income, health, housing, criminal record."""

    carer = models.ForeignKey(Carer, on_delete=models.PROTECT, related_name="checks")
    checked_on = models.DateField(_("checked on"))
    income_ok = models.BooleanField(_("income sufficient"))
    health_ok = models.BooleanField(_("health allows care"))
    housing_ok = models.BooleanField(_("housing suitable"))
    no_criminal_record = models.BooleanField(_("no criminal record"))
    notes = models.TextField(_("notes"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("reliability check")
        verbose_name_plural = _("reliability checks")
        ordering = ["-checked_on", "-pk"]
        triggers = [pgtrigger.Protect(name="no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.checked_on:%d.%m.%Y}"

    @property
    def passed(self) -> bool:
        return self.income_ok and self.health_ok and self.housing_ok and self.no_criminal_record


@pghistory.track()
class Inspection(models.Model):
    """A visit to the carer's home: living conditions and how the child is."""

    carer = models.ForeignKey(Carer, on_delete=models.PROTECT, related_name="inspections")
    inspected_on = models.DateField(_("inspected on"))
    conditions_ok = models.BooleanField(_("living conditions acceptable"))
    findings = models.TextField(_("findings"))
    inspected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-inspected_on", "-pk"]
        triggers = [pgtrigger.Protect(name="no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.inspected_on:%d.%m.%Y}"


class PlacementForm(models.TextChoices):
    GUARDIANSHIP = "guardianship", _("Guardianship")
    TRUSTEESHIP = "trusteeship", _("Trusteeship")
    FOSTER_FAMILY = "foster_family", _("Foster family")
    PATRONAGE = "patronage", _("Patronage")
    PROFESSIONAL_FOSTER = "professional_foster", _("Professional foster family")
    ADOPTION = "adoption", _("Adoption")
    ORGANISATION = "organisation", _("Organisation for orphans")
    BABY_HOME = "baby_home", _("Baby home")
    HEALTH_FACILITY = "health_facility", _("Temporary stay in a health facility")
    GUEST_FAMILY = "guest_family", _("Guest family (addition)")
    MENTOR = "mentor", _("Mentor (addition)")


ADDITION_FORMS = {PlacementForm.GUEST_FAMILY, PlacementForm.MENTOR}
FAMILY_FORMS = {
    PlacementForm.GUARDIANSHIP,
    PlacementForm.TRUSTEESHIP,
    PlacementForm.FOSTER_FAMILY,
    PlacementForm.PATRONAGE,
    PlacementForm.PROFESSIONAL_FOSTER,
    PlacementForm.ADOPTION,
}
ORGANISATION_FORMS = {
    PlacementForm.ORGANISATION,
    PlacementForm.BABY_HOME,
    PlacementForm.HEALTH_FACILITY,
}


class PlacementEndReason(models.TextChoices):
    RETURNED_TO_ORGANISATION = "returned_to_organisation", _("Returned to an organisation")
    RETURNED_TO_PARENTS = "returned_to_parents", _("Returned to the parents")
    NEW_PLACEMENT = "new_placement", _("Moved to another placement")
    ADOPTED = "adopted", _("Adopted")
    CAME_OF_AGE = "came_of_age", _("Came of age")
    OTHER = "other", _("Other")


@pghistory.track()
class Placement(models.Model):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="placements")
    form = models.CharField(_("form"), max_length=24, choices=PlacementForm.choices)
    is_addition = models.BooleanField(default=False, editable=False)
    carer = models.ForeignKey(
        Carer, on_delete=models.PROTECT, null=True, blank=True, related_name="placements",
        verbose_name=_("carer"),
    )  # fmt: skip
    organisation = models.ForeignKey(
        "casework.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="placements", verbose_name=_("organisation"),
    )  # fmt: skip
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    end_reason = models.CharField(
        _("end reason"), max_length=32, choices=PlacementEndReason.choices, blank=True
    )
    secondary_orphanhood = models.BooleanField(_("secondary orphanhood"), default=False)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-started_on", "-pk"]
        indexes = [
            models.Index(
                fields=["carer"], condition=Q(ended_on__isnull=True), name="placement_active_carer"
            ),
            models.Index(fields=["form", "ended_on"], name="placement_form"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(ended_on__isnull=True, is_addition=False),
                name="placement_one_active_main",
            ),
            models.CheckConstraint(
                condition=Q(carer__isnull=False) | Q(organisation__isnull=False),
                name="placement_has_carer_or_organisation",
            ),
        ]
        triggers = [pgtrigger.Protect(name="no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.get_form_display()} {self.started_on:%d.%m.%Y}"


@pghistory.track()
class Removal(models.Model):
    """Removal of a child from the family, with its protocol (DESIGN.md section 4.6)."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="removals")
    removed_at = models.DateTimeField(_("removed at"))
    reason = models.TextField(_("reason for removal"))
    accompanied_by = models.CharField(_("who accompanied the child"), max_length=300)
    explained_to_child = models.BooleanField(
        _("reasons and next steps explained to the child in child-friendly language")
    )
    psychologist_present = models.BooleanField(_("psychologist present"))
    psychologist_absence_reason = models.CharField(
        _("why no psychologist"), max_length=300, blank=True
    )
    taken_to = models.CharField(_("where the child was taken"), max_length=300)
    prosecutor_notified_at = models.DateTimeField(_("prosecutor notified at"))
    court_claim_due_at = models.DateTimeField(_("court claim due"))
    court_claim_filed_on = models.DateField(_("court claim filed on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("removal from the family")
        verbose_name_plural = _("removals from the family")
        ordering = ["-removed_at"]
        triggers = [pgtrigger.Protect(name="no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.removed_at:%d.%m.%Y %H:%M}"


class PersonMerge(models.Model):
    """The record of two person records merged into one (append-only)."""

    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)
    moved = models.JSONField(default=dict)

    class Meta:
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)
        ]

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.kept_id}"


class ChildShare(models.Model):
    """A child's file shared with another district (the family moved): an explicit,
    audited exception to jurisdiction."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="shares")
    district = models.ForeignKey("casework.District", on_delete=models.PROTECT, related_name="+")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        verbose_name = _("shared file")
        verbose_name_plural = _("shared files")
        constraints = [
            models.UniqueConstraint(fields=["child", "district"], name="childshare_once")
        ]
        triggers = [pgtrigger.Protect(name="no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.child_id} → {self.district_id}"


def document_path(instance, filename: str) -> str:
    """Kept for the migrations that name it; files are placed by `stored_file_path`."""
    return stored_file_path(instance, filename)


class Document(StoredFile, Archivable):
    """A scanned document in the child's file (court decision, medical report, act)."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at", "-pk"]
        indexes = [archived_index("document")]
        constraints = [archive_constraint("document")]
        triggers = [pgtrigger.Protect(name="no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return self.title

    def storage_folder(self) -> str:
        return f"children/{self.child_id}"


class ImportStatus(models.TextChoices):
    CHECKED = "checked", _("Checked: ready to import")
    REJECTED = "rejected", _("Checked: problems to fix")
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Stopped")


# The only moves an import can make; `children.imports.services` has one service per move.
IMPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    ImportStatus.CHECKED: frozenset({ImportStatus.QUEUED}),
    ImportStatus.REJECTED: frozenset(),
    ImportStatus.QUEUED: frozenset({ImportStatus.RUNNING}),
    ImportStatus.RUNNING: frozenset({ImportStatus.DONE, ImportStatus.FAILED}),
    ImportStatus.DONE: frozenset(),
    ImportStatus.FAILED: frozenset(),
}


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(condition=pghistory.AnyChange("status")),
    fields=["status", "rows_done", "rows_total"],
    model_name="RegistryImportEvent",
    obj_field=pghistory.ObjForeignKey(related_name="events"),
)
class RegistryImport(StoredFile):
    """An XLSX of an existing registry, its dry-run report and the import's progress.

    Every status change leaves an event row (append-only); progress updates do not.
    """

    district = models.ForeignKey(
        "casework.District", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("district"),
    )  # fmt: skip
    # The XLSX media type is longer than the 64 characters other stored files need.
    content_type = models.CharField(_("type"), max_length=100)
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices)
    sha256 = models.CharField(max_length=64)
    # The uploader's language: messages the services raise while importing are in it.
    language = models.CharField(max_length=8, default="ru")
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    counts = models.JSONField(default=dict)
    report = models.JSONField(default=dict)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("started by"),
    )  # fmt: skip
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    progress_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("registry import")
        verbose_name_plural = _("registry imports")
        ordering = ["-uploaded_at", "-pk"]
        indexes = [
            models.Index(fields=["district", "-uploaded_at"], name="registryimport_district"),
            models.Index(fields=["district", "sha256"], name="registryimport_sha256"),
        ]
        triggers = [pgtrigger.Protect(name="no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return self.original_name

    def storage_folder(self) -> str:
        return f"imports/{self.district_id}"

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 100 if self.status == ImportStatus.DONE else 0
        return min(100, self.rows_done * 100 // self.rows_total)
