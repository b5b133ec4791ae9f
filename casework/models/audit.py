import pgtrigger
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReadAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    EXPORT = "export", _("Exported")
    PRINT = "print", _("Printed")


class AuditRead(models.Model):
    """Who looked at whose personal data, when and from where.

    Changes are recorded by pghistory triggers; this table records reads, which no
    trigger can see. Rows are append-only: the database refuses updates and deletes.
    """

    # A default rather than auto_now_add, so history loaded after the fact (the demo)
    # keeps its own times; the request path always takes the default.
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("user"),
    )
    action = models.CharField(_("action"), max_length=16, choices=ReadAction.choices)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("object type")
    )
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    path = models.CharField(_("address"), max_length=500)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit: read")
        verbose_name_plural = _("audit: reads")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"], name="auditread_object"),
            models.Index(fields=["user", "-at"], name="auditread_user"),
            # The unusual-activity sweep counts the last hour's views per user from this
            # index alone (an index-only scan; see casework.services.audit).
            models.Index(
                fields=["at"],
                include=["user", "content_type", "object_id"],
                condition=Q(action="view"),
                name="auditread_views_by_time",
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="auditread_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.at:%d.%m.%Y %H:%M} {self.user} {self.get_action_display()} {self.object_repr}"
        )


class AuditAlert(models.Model):
    """A user opened more files within an hour than `AUDIT_READS_PER_HOUR_ALERT`.

    At most one row per user and clock hour (`window_start`), enforced by the database,
    so sweeps that run twice or side by side raise one alert. The next alert for the
    same user counts only files opened after `detected_at`.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("user"),
    )
    window_start = models.DateTimeField(_("hour"))
    counted_from = models.DateTimeField(_("counted from"))
    detected_at = models.DateTimeField(_("detected at"))
    count = models.PositiveIntegerField(_("files opened"))
    threshold = models.PositiveIntegerField(_("threshold"))

    class Meta:
        verbose_name = _("audit: unusual activity")
        verbose_name_plural = _("audit: unusual activity")
        ordering = ["-detected_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "window_start"], name="auditalert_once_per_user_and_hour"
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="auditalert_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            ),
        ]

    def __str__(self) -> str:
        return f"{self.detected_at:%d.%m.%Y %H:%M} {self.user}: {self.count}"
