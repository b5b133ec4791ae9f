"""Merge two records of the same person: every link moves, nothing is lost, it is audited."""

import pghistory.models
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import ACTIVE_TIMER_STATUSES, Timer, TimerStatus, User
from families.models import FamilyMember

from ..models import Carer, Child, ChildStatus, Person, PersonMerge, Placement


@transaction.atomic
def person_merge(*, keep: Person, duplicate: Person, by: User) -> PersonMerge:
    """Move everything that points at `duplicate` to `keep`; `duplicate` stays, marked
    as merged, so history and audit rows keep their meaning."""
    keep = Person.objects.select_for_update().get(pk=keep.pk)
    duplicate = Person.objects.select_for_update().get(pk=duplicate.pk)
    if keep.pk == duplicate.pk:
        raise ValidationError(_("Choose two different records."))
    if keep.merged_into_id or duplicate.merged_into_id:
        raise ValidationError(_("One of these records was already merged."))
    if keep.iin and duplicate.iin and keep.iin != duplicate.iin:
        raise ValidationError(_("The records have different IINs: they are different people."))
    moved: dict[str, int] = {}
    _leave_shared_families(keep, duplicate)
    _merge_child_files(keep, duplicate, moved)
    _merge_one_to_one(Carer, keep, duplicate, moved)
    _move_links(Person, duplicate, keep, moved)
    if duplicate.iin and not keep.iin:
        iin, duplicate.iin = duplicate.iin, None
        duplicate.save(update_fields=["iin"])
        keep.iin = iin
        keep.save(update_fields=["iin"])
    duplicate.merged_into = keep
    duplicate.save(update_fields=["merged_into"])
    return PersonMerge.objects.create(kept=keep, merged=duplicate, merged_by=by, moved=moved)


def _is_history(model: type[models.Model]) -> bool:
    return issubclass(model, pghistory.models.Event)


def _move_links(
    model: type[models.Model], source: models.Model, target: models.Model, moved: dict
) -> None:
    """Repoint every foreign key to `source` at `target` (history rows stay as written)."""
    for relation in model._meta.related_objects:
        if not relation.one_to_many or _is_history(relation.related_model):
            continue
        related = relation.related_model
        count = related._default_manager.filter(**{relation.field.name: source}).update(
            **{relation.field.name: target}
        )
        if count:
            moved[related._meta.label] = moved.get(related._meta.label, 0) + count


def _leave_shared_families(keep: Person, duplicate: Person) -> None:
    """Where both records are members of one family, the duplicate's membership ends."""
    shared = FamilyMember.objects.filter(person=keep, left_on__isnull=True).values("family_id")
    FamilyMember.objects.filter(
        person=duplicate, family_id__in=shared, left_on__isnull=True
    ).update(left_on=timezone.localdate())


def _merge_one_to_one(
    model: type[models.Model], keep: Person, duplicate: Person, moved: dict
) -> None:
    """A carer record of the duplicate: move it, or fold its links into keep's."""
    theirs = model.objects.filter(person=duplicate).first()
    if theirs is None:
        return
    ours = model.objects.filter(person=keep).first()
    if ours is None:
        model.objects.filter(pk=theirs.pk).update(person=keep)
        moved[model._meta.label] = 1
        return
    _move_links(model, theirs, ours, moved)
    # The duplicate record's own deadlines stop: the kept record carries the work on.
    Timer.objects.filter(
        subject_type=ContentType.objects.get_for_model(model),
        subject_id=theirs.pk,
        status__in=ACTIVE_TIMER_STATUSES,
    ).update(status=TimerStatus.CANCELLED, closed_at=timezone.now())


def _merge_child_files(keep: Person, duplicate: Person, moved: dict) -> None:
    theirs = Child.objects.select_for_update().filter(person=duplicate).first()
    if theirs is None:
        return
    ours = Child.objects.select_for_update().filter(person=keep).first()
    if ours is not None and ours.archived_at is not None:
        # The archived file is the duplicate: merge the other way round, or restore it.
        raise ValidationError(_("The file kept by the merge is archived: restore it first."))
    if ours is None:
        Child.objects.filter(pk=theirs.pk).update(person=keep)
        moved["children.Child"] = 1
        return
    active = Placement.objects.filter(ended_on__isnull=True, is_addition=False)
    if active.filter(child=ours).exists() and active.filter(child=theirs).exists():
        raise ValidationError(_("Both files have an active placement: end one of them first."))
    # An open status both files share stays open once, on the kept file.
    open_here = ours.statuses.filter(ended_on__isnull=True).values("category")
    ChildStatus.objects.filter(child=theirs, ended_on__isnull=True, category__in=open_here).update(
        ended_on=timezone.localdate()
    )
    for name in (
        "identified_without_care_at",
        "databank_due_at",
        "databank_registered_on",
        "databank_number",
    ):
        if not getattr(ours, name) and getattr(theirs, name):
            setattr(ours, name, getattr(theirs, name))
    ours.save()
    _move_timers(theirs, ours, moved)
    _move_links(Child, theirs, ours, moved)
    theirs.closed_at = timezone.now()
    theirs.closed_reason = _("Merged into file № %(number)s") % {"number": ours.pk}
    theirs.save(update_fields=["closed_at", "closed_reason"])


def _move_timers(source: Child, target: Child, moved: dict) -> None:
    child_type = ContentType.objects.get_for_model(Child)
    open_kinds = Timer.objects.filter(
        subject_type=child_type, subject_id=target.pk, status__in=ACTIVE_TIMER_STATUSES
    ).values("kind")
    Timer.objects.filter(
        subject_type=child_type,
        subject_id=source.pk,
        status__in=ACTIVE_TIMER_STATUSES,
        kind__in=open_kinds,
    ).update(status=TimerStatus.CANCELLED, closed_at=timezone.now())
    count = Timer.objects.filter(subject_type=child_type, subject_id=source.pk).update(
        subject_id=target.pk
    )
    if count:
        moved["casework.Timer"] = count
