"""Archive, never delete: a child's file, a carer or a document that should not be there
(a duplicate registration, a mistaken entry, a wrong scan) is archived with a reason and
can be restored by the district's head of guardianship.

A child's file is archived only when nothing is live on it: no active placement, no
running statutory deadline, no open FSC case, nothing before the commission. Those are
duties towards a real child and archiving must not make them vanish; a duplicate that
carries them is merged into the right file instead (the merge moves them).

A carer is archived only when no child lives with them. Their own annual check and
inspection exist because they are an approved carer: archiving cancels them, restoring
starts them again from the stored due dates (overdue ones are flagged at the next sweep).
"""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import (
    ACTIVE_TIMER_STATUSES,
    OPEN_CASE_STATUSES,
    AgendaItemStatus,
    Timer,
    User,
)
from casework.services.archive import (
    archive_clear,
    archive_lock,
    archive_mark,
    archive_reason_clean,
    restore_lock,
    subject_timers_cancel,
)

from ..models import Carer, Child, Disability, Document, Placement, Removal
from .carers import carer_timers_start

PENDING_AT_KDN = [AgendaItemStatus.SUBMITTED, AgendaItemStatus.SCHEDULED]


def _running_timers(child: Child) -> list[Timer]:
    subjects = Q(subject_type=ContentType.objects.get_for_model(Child), subject_id=child.pk)
    subjects |= Q(
        subject_type=ContentType.objects.get_for_model(Removal),
        subject_id__in=child.removals.values("pk"),
    )
    subjects |= Q(
        subject_type=ContentType.objects.get_for_model(Disability),
        subject_id__in=child.disabilities.values("pk"),
    )
    return list(Timer.objects.filter(subjects, status__in=ACTIVE_TIMER_STATUSES).order_by("due_at"))


def child_archive_blockers(child: Child) -> list[str]:
    """Why the file cannot be archived now (empty when it can), in the user's language."""
    blockers = []
    if child.placements.filter(ended_on__isnull=True).exists():
        blockers.append(_("The child has an active placement: end it first."))
    timers = _running_timers(child)
    if timers:
        kinds = ", ".join(
            f"{timer.get_kind_display()} ({timezone.localtime(timer.due_at):%d.%m.%Y})"
            for timer in timers
        )
        blockers.append(
            _(
                "Deadlines are running on this file: %(deadlines)s. Complete them first, or "
                "merge the duplicate into the right file (merging moves them)."
            )
            % {"deadlines": kinds}
        )
    if child.cases.filter(status__in=OPEN_CASE_STATUSES).exists():
        blockers.append(_("A Family Support Center case about the child is open."))
    if child.kdn_items.filter(status__in=PENDING_AT_KDN).exists():
        blockers.append(_("The file is before the commission."))
    return blockers


@transaction.atomic
def child_archive(*, child: Child, by: User, reason: str, now: datetime | None = None) -> Child:
    reason = archive_reason_clean(reason)
    locked = archive_lock(Child, child.pk)
    blockers = child_archive_blockers(locked)
    if blockers:
        raise ValidationError(blockers, code="live_file")
    archive_mark(obj=locked, by=by, reason=reason, now=now or timezone.now())
    return locked


@transaction.atomic
def child_restore(*, child: Child, by: User, now: datetime | None = None) -> Child:
    locked = restore_lock(Child, child.pk)
    archive_clear(obj=locked, by=by, now=now or timezone.now())
    return locked


@transaction.atomic
def carer_archive(*, carer: Carer, by: User, reason: str, now: datetime | None = None) -> Carer:
    reason = archive_reason_clean(reason)
    locked = archive_lock(Carer, carer.pk)
    if Placement.objects.filter(carer=locked, ended_on__isnull=True).exists():
        raise ValidationError(
            _("Children are placed with this carer: end their placements first."),
            code="live_placements",
        )
    now = now or timezone.now()
    subject_timers_cancel(subject=locked, now=now)
    archive_mark(obj=locked, by=by, reason=reason, now=now)
    return locked


@transaction.atomic
def carer_restore(*, carer: Carer, by: User, now: datetime | None = None) -> Carer:
    locked = restore_lock(Carer, carer.pk)
    archive_clear(obj=locked, by=by, now=now or timezone.now())
    carer_timers_start(locked)
    return locked


def _refuse_on_archived_file(child: Child) -> None:
    if Child.objects.filter(pk=child.pk, archived_at__isnull=False).exists():
        raise ValidationError(
            _("The child's file is archived: restore the file first."), code="archived_file"
        )


@transaction.atomic
def document_archive(
    *, document: Document, by: User, reason: str, now: datetime | None = None
) -> Document:
    reason = archive_reason_clean(reason)
    locked = archive_lock(Document, document.pk)
    _refuse_on_archived_file(locked.child)
    archive_mark(obj=locked, by=by, reason=reason, now=now or timezone.now())
    return locked


@transaction.atomic
def document_restore(*, document: Document, by: User, now: datetime | None = None) -> Document:
    locked = restore_lock(Document, document.pk)
    _refuse_on_archived_file(locked.child)
    archive_clear(obj=locked, by=by, now=now or timezone.now())
    return locked
