"""Archive, never delete: a record a user wants gone (a duplicate, a mistaken registration)
is archived with a reason and can be restored by a head; the database refuses to delete it.

`Archivable` gives a model the three fields; `ArchiveEvent` keeps every archive and restore
of every archivable record, append-only, with who, when and why.
"""

import pgtrigger
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Archivable(models.Model):
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("archived by"),
    )
    archive_reason = models.TextField(_("reason for archiving"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


def archive_constraint(prefix: str) -> models.CheckConstraint:
    """An archived row says who archived it and why; a live row carries none of it."""
    live = Q(archived_at__isnull=True, archived_by__isnull=True, archive_reason="")
    archived = Q(archived_at__isnull=False, archived_by__isnull=False) & ~Q(archive_reason="")
    return models.CheckConstraint(condition=live | archived, name=f"{prefix}_archive_complete")


def archived_index(prefix: str, *fields: str) -> models.Index:
    """The heads' archive page reads archived rows only: a small partial index."""
    return models.Index(
        fields=[*fields, "-archived_at"],
        condition=Q(archived_at__isnull=False),
        name=f"{prefix}_archived",
    )


class ArchiveAction(models.TextChoices):
    ARCHIVED = "archived", _("Archived")
    RESTORED = "restored", _("Restored")


class ArchiveEvent(models.Model):
    """One archive or restore of one record. Append-only: the database refuses changes."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("record type")
    )
    object_id = models.BigIntegerField(_("record id"))
    action = models.CharField(_("action"), max_length=10, choices=ArchiveAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"))
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("archive event")
        verbose_name_plural = _("archive events")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"], name="archiveevent_record")
        ]
        triggers = [
            pgtrigger.Protect(
                name="archiveevent_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.get_action_display()} {self.content_type_id}#{self.object_id}"
