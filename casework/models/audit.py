import pgtrigger
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
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

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
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
