"""Merge two records of the same person: every link moves, nothing is lost, it is audited."""

import pghistory.models
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from casework.models import User

from ..models import Carer, Child, Person, PersonMerge


@transaction.atomic
def person_merge(*, keep: Person, duplicate: Person, by: User) -> PersonMerge:
    """Move everything that points at `duplicate` to `keep`; `duplicate` stays, marked
    as merged, so history and audit rows keep their meaning."""
    keep, duplicate = (
        Person.objects.select_for_update().get(pk=keep.pk),
        Person.objects.select_for_update().get(pk=duplicate.pk),
    )
    if keep.pk == duplicate.pk:
        raise ValidationError(_("Choose two different records."))
    if keep.merged_into_id or duplicate.merged_into_id:
        raise ValidationError(_("One of these records was already merged."))
    if keep.iin and duplicate.iin and keep.iin != duplicate.iin:
        raise ValidationError(_("The records have different IINs: they are different people."))
    moved: dict[str, int] = {}
    _merge_one_to_one(Child, keep, duplicate, moved)
    _merge_one_to_one(Carer, keep, duplicate, moved)
    for relation in Person._meta.related_objects:
        if relation.one_to_one or not relation.many_to_one or relation.related_model is Person:
            continue
        if (
            relation.related_model._meta.app_label == "children"
            and relation.related_model.__name__.endswith("Event")
        ):
            continue  # history rows keep pointing at the record they describe
        count = relation.related_model._default_manager.filter(
            **{relation.field.name: duplicate}
        ).update(**{relation.field.name: keep})
        if count:
            moved[relation.related_model._meta.label] = count
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


def _merge_one_to_one(
    model: type[models.Model], keep: Person, duplicate: Person, moved: dict
) -> None:
    """A child file (or carer record) of the duplicate: move it, or fold it into keep's."""
    theirs = model.objects.filter(person=duplicate).first()
    if theirs is None:
        return
    ours = model.objects.filter(person=keep).first()
    if ours is None:
        model.objects.filter(pk=theirs.pk).update(person=keep)
        moved[model._meta.label] = 1
        return
    for relation in model._meta.related_objects:
        if not relation.many_to_one or _is_history(relation.related_model):
            continue
        count = relation.related_model._default_manager.filter(
            **{relation.field.name: theirs}
        ).update(**{relation.field.name: ours})
        if count:
            moved[relation.related_model._meta.label] = (
                moved.get(relation.related_model._meta.label, 0) + count
            )
