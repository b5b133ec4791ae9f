"""Archive and restore, shared by every archivable record (`casework.models.Archivable`).

Each app's `<entity>_archive` / `<entity>_restore` service locks the row with
`archive_lock`/`restore_lock`, checks what its own rules need, then calls `archive_mark`
or `archive_clear` in the same transaction: the fields change and an `ArchiveEvent` row is
written together, so two people archiving at once end in exactly one archive.
"""

from datetime import datetime
from typing import TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import (
    ACTIVE_TIMER_STATUSES,
    Archivable,
    ArchiveAction,
    ArchiveEvent,
    Timer,
    TimerStatus,
    User,
)

A = TypeVar("A", bound=Archivable)
ARCHIVE_FIELDS = ["archived_at", "archived_by", "archive_reason"]
REASON_MAX_LENGTH = 1000


def archive_reason_clean(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the record is archived.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("Keep the reason under %(n)s characters.") % {"n": REASON_MAX_LENGTH}}
        )
    return reason


def archive_lock(model: type[A], pk: int) -> A:
    """The row, locked, refused if someone archived it first."""
    locked = model._default_manager.select_for_update().get(pk=pk)
    if locked.archived_at is not None:
        raise ValidationError(_("This record is already archived."), code="archived")
    return locked


def restore_lock(model: type[A], pk: int) -> A:
    """The row, locked, refused if it is not (or no longer) archived."""
    locked = model._default_manager.select_for_update().get(pk=pk)
    if locked.archived_at is None:
        raise ValidationError(_("This record is not archived."), code="not_archived")
    return locked


def _save(obj: models.Model) -> None:
    fields = list(ARCHIVE_FIELDS)
    if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
        fields.append("updated_at")
    obj.save(update_fields=fields)


def _event(obj: models.Model, action: str, by: User, at: datetime, reason: str) -> ArchiveEvent:
    return ArchiveEvent.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        action=action,
        actor=by,
        at=at,
        reason=reason,
    )


def archive_mark(*, obj: Archivable, by: User, reason: str, now: datetime) -> ArchiveEvent:
    """Archive a row the caller has locked (see `archive_lock`)."""
    obj.archived_at, obj.archived_by, obj.archive_reason = now, by, reason
    _save(obj)
    return _event(obj, ArchiveAction.ARCHIVED, by, now, reason)


def archive_clear(*, obj: Archivable, by: User, now: datetime) -> ArchiveEvent:
    """Restore a row the caller has locked (see `restore_lock`). The reason it was
    archived stays in its archive event."""
    obj.archived_at, obj.archived_by, obj.archive_reason = None, None, ""
    _save(obj)
    return _event(obj, ArchiveAction.RESTORED, by, now, "")


def subject_timers_cancel(*, subject: models.Model, now: datetime | None = None) -> int:
    """Stop the running timers of an archived record: nothing may fire on it. The rows stay
    (cancelled), and the record's restore service starts what is still due."""
    return Timer.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        status__in=ACTIVE_TIMER_STATUSES,
    ).update(status=TimerStatus.CANCELLED, closed_at=now or timezone.now())


def archive_events_of(obj: models.Model):
    return ArchiveEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("actor")
