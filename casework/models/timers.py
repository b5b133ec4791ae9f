import pgtrigger
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TimerKind(models.TextChoices):
    REFERRAL_TRANSFER = "referral_transfer", _("Police notice: transfer to the FSC")
    REFERRAL_PICKUP = "referral_pickup", _("Transferred referral: pickup by the FSC")
    DATABANK_REGISTRATION = "databank_registration", _("Child without care: data bank registration")
    COURT_CLAIM = "court_claim", _("Court claim after urgent removal")
    CARER_CHECK = "carer_check", _("Carer: annual reliability check")
    CARER_INSPECTION = "carer_inspection", _("Carer: living-conditions inspection")
    DISABILITY_REEXAMINATION = "disability_reexam", _("Disability: re-examination")
    CASE_ASSESSMENT = "case_assessment", _("FSC: primary assessment")
    PLAN_MEASURE = "plan_measure", _("Support plan measure")
    GUARDIANSHIP_NOTICE = "guardianship_notice", _("FSC: inform the guardianship authority")
    KDN_DECISION = "kdn_decision", _("KDN decision: execution")


class TimerStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done in time")
    # The deadline passed and the work is still to do: escalated, still on the worklist.
    OVERDUE = "overdue", _("Overdue")
    # The deadline passed and the system acted itself (forwarded, informed): closed.
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


# Timers whose work is still to be done: the worklist shows them, completion closes them.
ACTIVE_TIMER_STATUSES = (TimerStatus.OPEN, TimerStatus.OVERDUE)


class Timer(models.Model):
    """A statutory deadline: what is due, about which object, for whom, by when.

    Moments are computed once, when the timer starts, and stored; the periodic sweep only
    queries `remind_at`/`due_at` over partial indexes of open timers, so its cost grows
    with what is due, not with history. Each kind's behaviour lives with its app (see
    `casework.timers`).
    """

    kind = models.CharField(_("kind"), max_length=32, choices=TimerKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=TimerStatus.choices, default=TimerStatus.OPEN
    )
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.BigIntegerField()
    organisation = models.ForeignKey(
        "casework.Organisation",
        on_delete=models.PROTECT,
        related_name="timers",
        verbose_name=_("responsible organisation"),
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="timers",
        verbose_name=_("responsible"),
    )
    started_at = models.DateTimeField(_("started at"))
    due_at = models.DateTimeField(_("due at"))
    remind_at = models.DateTimeField(_("reminder at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("timer")
        verbose_name_plural = _("timers")
        indexes = [
            models.Index(fields=["due_at"], condition=Q(status="open"), name="timer_open_due"),
            models.Index(
                fields=["remind_at"],
                condition=Q(status="open", reminded_at__isnull=True, remind_at__isnull=False),
                name="timer_open_remind",
            ),
            models.Index(fields=["subject_type", "subject_id", "kind"], name="timer_subject"),
            # The dashboards' counts of an authority's timers: read from the index alone.
            models.Index(
                fields=["organisation", "status", "due_at"], include=["id"], name="timer_org_due"
            ),
            models.Index(
                fields=["responsible", "due_at"],
                condition=Q(status__in=["open", "overdue"]),
                name="timer_responsible_due",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "kind"],
                condition=Q(status__in=["open", "overdue"]),
                name="timer_one_open_per_subject_kind",
            ),
        ]
        # Timers end as done, overdue, expired or cancelled; the breach record and the
        # dashboards' compliance rates count them afterwards.
        triggers = [pgtrigger.Protect(name="timer_no_delete", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.subject_id}: {self.due_at:%d.%m.%Y %H:%M}"


class Breach(models.Model):
    """A statutory deadline an authority missed. One per expired timer."""

    timer = models.OneToOneField(
        Timer, on_delete=models.PROTECT, related_name="breach", verbose_name=_("timer")
    )
    organisation = models.ForeignKey(
        "casework.Organisation",
        on_delete=models.PROTECT,
        related_name="breaches",
        verbose_name=_("authority"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=TimerKind.choices)
    due_at = models.DateTimeField(_("due at"))
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("breach")
        verbose_name_plural = _("breaches")
        ordering = ["-recorded_at"]
        indexes = [models.Index(fields=["organisation", "-recorded_at"], name="breach_org")]
        triggers = [
            pgtrigger.Protect(
                name="breach_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_kind_display()} {self.due_at:%d.%m.%Y %H:%M}"

    @property
    def lateness(self):
        return self.recorded_at - self.due_at
