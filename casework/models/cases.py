"""The Family Support Center's case file: assessment, individual support plan, contacts,
closure. Every state change goes through `casework.services.cases` and leaves a
`CaseEvent`; nothing here is ever deleted."""

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .uploads import StoredFile


class CaseStatus(models.TextChoices):
    ASSESSMENT = "assessment", _("Primary assessment")
    PLANNING = "planning", _("Support plan being drafted")
    SUPPORT = "support", _("Support and monitoring")
    CLOSED = "closed", _("Closed")


CASE_TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.ASSESSMENT: frozenset({CaseStatus.PLANNING, CaseStatus.CLOSED}),
    CaseStatus.PLANNING: frozenset({CaseStatus.SUPPORT, CaseStatus.CLOSED}),
    CaseStatus.SUPPORT: frozenset({CaseStatus.CLOSED}),
    # Reopening returns to where the work stopped: support if a plan was approved.
    CaseStatus.CLOSED: frozenset({CaseStatus.ASSESSMENT, CaseStatus.PLANNING, CaseStatus.SUPPORT}),
}
OPEN_CASE_STATUSES = [s for s in CaseStatus if s != CaseStatus.CLOSED]


class ClosureOutcome(models.TextChoices):
    LEFT_DIFFICULT_SITUATION = "left_situation", _("The family left the difficult situation")
    MOVED_AWAY = "moved_away", _("The family moved away")
    REFERRED_TO_KDN = "referred_to_kdn", _("Referred to the KDN")
    CHILD_REMOVED = "child_removed", _("The child was removed from the family")
    OTHER = "other", _("Other")


@pghistory.track(
    model_name="CaseHistory", obj_field=pghistory.ObjForeignKey(related_name="history")
)
class Case(models.Model):
    """One family's (or child's) support at one Family Support Center."""

    organisation = models.ForeignKey(
        "casework.Organisation",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("Family Support Center"),
    )
    district = models.ForeignKey(
        "casework.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.ASSESSMENT
    )
    title = models.CharField(_("case"), max_length=300)
    family = models.ForeignKey(
        "families.Family",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("family"),
    )
    child = models.ForeignKey(
        "children.Child",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("child"),
    )
    referral = models.OneToOneField(
        "referrals.Referral",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case",
        verbose_name=_("referral"),
    )
    threat_to_life = models.BooleanField(_("threat to life or health"), default=False)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cases_led",
        verbose_name=_("lead specialist"),
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="case_teams", verbose_name=_("team")
    )
    opened_at = models.DateTimeField(_("opened at"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=ClosureOutcome.choices, blank=True
    )
    outcome_note = models.TextField(_("closure note"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "status", "-opened_at"], name="case_org_status"),
            models.Index(fields=["district", "-opened_at"], name="case_district"),
            models.Index(fields=["lead", "status"], name="case_lead"),
        ]
        triggers = [pgtrigger.Protect(name="case_no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"№ {self.pk} — {self.title}"

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED


class CaseEventKind(models.TextChoices):
    OPENED = "opened", _("Case opened")
    ASSIGNED = "assigned", _("Lead specialist or team changed")
    ASSESSMENT_COMPLETED = "assessed", _("Primary assessment completed")
    PLAN_SUBMITTED = "plan_submitted", _("Support plan submitted for approval")
    PLAN_APPROVED = "plan_approved", _("Support plan approved")
    PLAN_RETURNED = "plan_returned", _("Support plan returned for changes")
    PLAN_SIGNED = "plan_signed", _("Support plan signed by the family")
    PLAN_REVISED = "plan_revised", _("Support plan revision started")
    MEASURE_DONE = "measure_done", _("Support measure done")
    MEASURE_ESCALATED = "measure_overdue", _("Support measure overdue")
    CONTACT = "contact", _("Visit, contact or service recorded")
    SUBMITTED_TO_KDN = "kdn_submitted", _("Submitted to the KDN")
    GUARDIANSHIP_INFORMED = "informed", _("Guardianship authority informed")
    CLOSED = "closed", _("Case closed")
    REOPENED = "reopened", _("Case reopened")


# Events the guardianship authority must hear about within 24 hours (DESIGN.md section 5).
KEY_EVENTS = frozenset(
    {
        CaseEventKind.OPENED,
        CaseEventKind.ASSESSMENT_COMPLETED,
        CaseEventKind.PLAN_APPROVED,
        CaseEventKind.SUBMITTED_TO_KDN,
        CaseEventKind.CLOSED,
        CaseEventKind.REOPENED,
    }
)


class CaseEvent(models.Model):
    """Append-only timeline of a case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("at"))
    kind = models.CharField(_("event"), max_length=20, choices=CaseEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    from_status = models.CharField(_("from"), max_length=16, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=CaseStatus.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"], name="caseevent_timeline")]
        triggers = [
            pgtrigger.Protect(
                name="caseevent_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.get_kind_display()}"


class AssessmentDomain(models.TextChoices):
    SAFETY = "safety", _("Safety")
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education")
    HOUSING = "housing", _("Housing")
    INCOME = "income", _("Income")
    PARENTING = "parenting", _("Parenting")
    VIOLENCE = "violence", _("Violence")
    DISABILITY = "disability", _("Disability needs")


class Rating(models.IntegerChoices):
    NO_CONCERN = 0, _("No concern")
    LOW = 1, _("Low need")
    MEDIUM = 2, _("Medium need")
    HIGH = 3, _("High need")


@pghistory.track()
class Assessment(models.Model):
    """The primary assessment: one per case, editable until completed."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="assessment")
    due_at = models.DateTimeField(_("due"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    in_difficult_situation = models.BooleanField(
        _("the family is in a difficult life situation"), null=True
    )
    grounds = models.ManyToManyField(
        "families.DifficultSituationGround", blank=True, verbose_name=_("grounds")
    )
    other_ground = models.CharField(_("other ground"), max_length=300, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)

    class Meta:
        verbose_name = _("primary assessment")
        verbose_name_plural = _("primary assessments")
        triggers = [pgtrigger.Protect(name="assessment_no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.case}: {self._meta.verbose_name}"


@pghistory.track()
class DomainRating(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="ratings")
    domain = models.CharField(_("domain"), max_length=16, choices=AssessmentDomain.choices)
    rating = models.PositiveSmallIntegerField(_("rating"), choices=Rating.choices)
    narrative = models.TextField(_("what we found"))

    class Meta:
        verbose_name = _("domain rating")
        verbose_name_plural = _("domain ratings")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="rating_one_per_domain")
        ]
        triggers = [pgtrigger.Protect(name="rating_no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.get_domain_display()}: {self.get_rating_display()}"


class SupportType(models.TextChoices):
    SOCIAL = "social", _("Social")
    PSYCHOLOGICAL = "psychological", _("Psychological")
    MEDICAL = "medical", _("Medical")
    LEGAL = "legal", _("Legal")
    EDUCATIONAL = "educational", _("Educational")
    EMPLOYMENT = "employment", _("Employment")
    HOUSING = "housing", _("Housing")
    BENEFITS = "benefits", _("Benefits")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting the head's approval")
    APPROVED = "approved", _("Approved")
    SUPERSEDED = "superseded", _("Replaced by a later version")


@pghistory.track()
class SupportPlan(models.Model):
    """One version of the individual support plan. A revision is a new row that copies the
    measures; the approved version before it stays as it was, readable."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="plans")
    version = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    goal = models.TextField(_("goal of the support"), blank=True)
    revision_reason = models.TextField(_("why the plan is revised"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    signed_by_family_on = models.DateField(_("signed by the family on"), null=True, blank=True)
    return_note = models.TextField(_("head's remarks"), blank=True)

    class Meta:
        verbose_name = _("individual support plan")
        verbose_name_plural = _("individual support plans")
        ordering = ["case", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="plan_version_unique"),
            # One version at a time is being worked on.
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status__in=["draft", "submitted"]),
                name="plan_one_open_draft",
            ),
        ]
        triggers = [pgtrigger.Protect(name="plan_no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.case}: v{self.version}"

    @property
    def is_editable(self) -> bool:
        return self.status == PlanStatus.DRAFT


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


@pghistory.track()
class PlanMeasure(models.Model):
    plan = models.ForeignKey(SupportPlan, on_delete=models.PROTECT, related_name="measures")
    support_type = models.CharField(
        _("type of support"), max_length=16, choices=SupportType.choices
    )
    description = models.TextField(_("measure"))
    responsible_organisation = models.ForeignKey(
        "casework.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible organisation"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_measures",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=12, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)
    # The same measure in the version before (revisions copy measures forward).
    carried_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("support measure")
        verbose_name_plural = _("support measures")
        ordering = ["support_type", "due_on", "pk"]
        indexes = [models.Index(fields=["plan", "support_type"], name="measure_plan")]
        triggers = [pgtrigger.Protect(name="measure_no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.get_support_type_display()}: {self.description[:60]}"


class ContactKind(models.TextChoices):
    VISIT = "visit", _("Home visit")
    CONTACT = "contact", _("Contact (call, meeting)")
    SERVICE = "service", _("Service provided")
    NOTE = "note", _("Note")


@pghistory.track()
class CaseContact(models.Model):
    """A visit, contact, service or note in the case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="contacts")
    kind = models.CharField(_("kind"), max_length=10, choices=ContactKind.choices)
    occurred_on = models.DateField(_("date"))
    participants = models.CharField(_("participants"), max_length=500, blank=True)
    findings = models.TextField(_("findings"))
    measure = models.ForeignKey(
        PlanMeasure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("support measure"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("visit, contact or note")
        verbose_name_plural = _("visits, contacts and notes")
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["case", "-occurred_on"], name="contact_case")]
        triggers = [pgtrigger.Protect(name="contact_no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.occurred_on:%d.%m.%Y} {self.get_kind_display()}"


class CaseAttachment(StoredFile):
    contact = models.ForeignKey(CaseContact, on_delete=models.PROTECT, related_name="attachments")

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]
        triggers = [pgtrigger.Protect(name="caseattachment_no_delete", operation=pgtrigger.Delete)]

    def storage_folder(self) -> str:
        return f"cases/{self.contact.case_id}"
