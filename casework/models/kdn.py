"""The Commission on Minors (KDN): meetings, agendas built from submitted files, and
the decisions whose execution is tracked like any statutory timer."""

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Agenda being prepared")
    PUBLISHED = "published", _("Agenda published to members")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


MEETING_TRANSITIONS: dict[str, frozenset[str]] = {
    MeetingStatus.PLANNED: frozenset({MeetingStatus.PUBLISHED, MeetingStatus.CANCELLED}),
    MeetingStatus.PUBLISHED: frozenset({MeetingStatus.HELD, MeetingStatus.CANCELLED}),
    MeetingStatus.HELD: frozenset(),
    MeetingStatus.CANCELLED: frozenset(),
}


@pghistory.track()
class KdnMeeting(models.Model):
    commission = models.ForeignKey(
        "casework.Organisation",
        on_delete=models.PROTECT,
        related_name="kdn_meetings",
        verbose_name=_("commission"),
    )
    held_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    quorum = models.PositiveSmallIntegerField(
        _("quorum"), help_text=_("Members who must be present for decisions to be valid.")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    published_at = models.DateTimeField(_("agenda published at"), null=True, blank=True)
    # Members read the agenda's files until this moment (held_at + the review window).
    review_until = models.DateTimeField(_("files readable until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("KDN meeting")
        verbose_name_plural = _("KDN meetings")
        ordering = ["-held_at", "-pk"]
        indexes = [models.Index(fields=["commission", "-held_at"], name="meeting_commission")]
        triggers = [pgtrigger.Protect(name="meeting_no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.commission}: {timezone.localtime(self.held_at):%d.%m.%Y %H:%M}"


class MeetingMember(models.Model):
    """A member sitting on a meeting, and whether they came."""

    meeting = models.ForeignKey(KdnMeeting, on_delete=models.PROTECT, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="kdn_seats",
        verbose_name=_("member"),
    )
    present = models.BooleanField(_("present"), null=True)

    class Meta:
        verbose_name = _("meeting member")
        verbose_name_plural = _("meeting members")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="member_once_per_meeting")
        ]
        indexes = [models.Index(fields=["user", "meeting"], name="member_user")]
        # Who sat on a meeting and whether they came: its decisions' validity rests on it.
        triggers = [pgtrigger.Protect(name="member_no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return str(self.user)


class AgendaItemStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted, awaiting a meeting")
    SCHEDULED = "scheduled", _("On a meeting's agenda")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


@pghistory.track()
class AgendaItem(models.Model):
    """A file submitted to the commission; the secretary puts it on a meeting's agenda."""

    commission = models.ForeignKey(
        "casework.Organisation",
        on_delete=models.PROTECT,
        related_name="kdn_items",
        verbose_name=_("commission"),
    )
    meeting = models.ForeignKey(
        KdnMeeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("meeting"),
    )
    position = models.PositiveSmallIntegerField(_("№ on the agenda"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AgendaItemStatus.choices,
        default=AgendaItemStatus.SUBMITTED,
    )
    child = models.ForeignKey(
        "children.Child",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kdn_items",
        verbose_name=_("child"),
    )
    family = models.ForeignKey(
        "families.Family",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kdn_items",
        verbose_name=_("family"),
    )
    case = models.ForeignKey(
        "casework.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kdn_items",
        verbose_name=_("case"),
    )
    question = models.TextField(_("question for the commission"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitting_organisation = models.ForeignKey(
        "casework.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "submitted_at"]
        indexes = [
            models.Index(fields=["commission", "status", "submitted_at"], name="item_commission"),
            models.Index(fields=["meeting", "position"], name="item_meeting"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(child__isnull=False) | Q(family__isnull=False) | Q(case__isnull=False),
                name="item_has_file",
            ),
        ]
        triggers = [pgtrigger.Protect(name="item_no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        subject = self.child or self.family or self.case
        return f"{self.position or '—'}. {subject}"


class DecisionKind(models.TextChoices):
    INSTRUCTION = "instruction", _("Instruction (owner and deadline)")
    REFER_TO_FSC = "refer_fsc", _("Referral to the Family Support Center")
    COURT_PETITION = "court", _("Petition to the court")
    PLACEMENT_QUESTION = "placement", _("Question to guardianship about placement")
    DEREGISTRATION = "deregistration", _("Deregistration")
    OTHER = "other", _("Other")


@pghistory.track()
class CommissionDecision(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(_("decision"), max_length=16, choices=DecisionKind.choices)
    text = models.TextField(_("text of the decision"))
    votes_for = models.PositiveSmallIntegerField(_("for"))
    votes_against = models.PositiveSmallIntegerField(_("against"), default=0)
    votes_abstained = models.PositiveSmallIntegerField(_("abstained"), default=0)
    owner_organisation = models.ForeignKey(
        "casework.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation to execute"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kdn_instructions",
        verbose_name=_("responsible"),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    executed_at = models.DateTimeField(_("executed at"), null=True, blank=True)
    execution_note = models.TextField(_("how it was executed"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("commission decision")
        verbose_name_plural = _("commission decisions")
        ordering = ["recorded_at", "pk"]
        indexes = [
            models.Index(fields=["owner_organisation", "executed_at"], name="decision_owner")
        ]
        triggers = [pgtrigger.Protect(name="decision_no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"

    @property
    def is_tracked(self) -> bool:
        return self.kind == DecisionKind.INSTRUCTION
