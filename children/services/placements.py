"""Placements of a child, with the rules of DESIGN.md section 4.5."""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import Organisation, TimerKind, User
from casework.services.timers import timer_complete, timer_start
from casework.working_days import ALMATY
from families.models import FamilyMember, Relation

from ..models import (
    ADDITION_FORMS,
    FAMILY_FORMS,
    Carer,
    CarerKind,
    Child,
    Placement,
    PlacementEndReason,
    PlacementForm,
    Removal,
)
from .files import guardianship_of

PROFESSIONAL_FOSTER_LIMIT = 4
COURT_CLAIM_DAYS = 7


@transaction.atomic
def placement_start(
    *,
    child: Child,
    form: str,
    started_on: date,
    carer: Carer | None = None,
    organisation: Organisation | None = None,
) -> Placement:
    locked = Child.objects.select_for_update().get(pk=child.pk)
    if locked.archived_at is not None:
        raise ValidationError(_("The child's file is archived: restore the file first."))
    if locked.closed_at is not None:
        raise ValidationError(_("The child's file is closed."))
    if (carer is None) == (organisation is None):
        raise ValidationError(_("Choose either a carer or an organisation."))
    if carer is not None:
        # Serialised with `carer_archive`: no child is placed with an archived carer.
        carer = Carer.objects.select_for_update().get(pk=carer.pk)
        if carer.archived_at is not None:
            raise ValidationError({"carer": _("This carer's record is archived.")})
    if carer is not None and carer.suspended_at is not None:
        raise ValidationError(
            {
                "carer": _(
                    "This carer failed the reliability check: no child can be placed with them."
                )
            }
        )
    is_addition = form in ADDITION_FORMS
    if (
        not is_addition
        and locked.placements.filter(ended_on__isnull=True, is_addition=False).exists()
    ):
        raise ValidationError(
            _("The child already has an active placement: end it before starting another."),
            code="active_placement",
        )
    if form == PlacementForm.PROFESSIONAL_FOSTER:
        _check_professional_foster_capacity(carer, locked)
    placement = Placement.objects.create(
        child=locked,
        form=form,
        is_addition=is_addition,
        carer=carer,
        organisation=organisation,
        started_on=started_on,
    )
    if form == PlacementForm.ADOPTION:
        # Adoption closes the file: the child has a family for good.
        locked.closed_at = timezone.now()
        locked.closed_reason = _("Adopted")
        locked.save(update_fields=["closed_at", "closed_reason"])
    return placement


def _check_professional_foster_capacity(carer: Carer | None, child: Child) -> None:
    """At most four children at once in a professional foster family, unless siblings."""
    if carer is None or carer.kind != CarerKind.PROFESSIONAL_FOSTER:
        raise ValidationError(
            _("A professional foster family placement needs a professional foster parent.")
        )
    Carer.objects.select_for_update().get(pk=carer.pk)  # serialise placements with this carer
    current = list(
        Placement.objects.filter(carer=carer, ended_on__isnull=True, is_addition=False).values_list(
            "child__person_id", flat=True
        )
    )
    if len(current) < PROFESSIONAL_FOSTER_LIMIT:
        return
    if not _all_siblings([*current, child.person_id]):
        raise ValidationError(
            _(
                "A professional foster family may hold at most 4 children at once, unless they are siblings."
            ),
            code="professional_foster_limit",
        )


def _all_siblings(person_ids: list[int]) -> bool:
    """True when every person is a child of one and the same family."""
    families = (
        FamilyMember.objects.filter(
            person_id__in=person_ids,
            left_on__isnull=True,
            relation__in=[Relation.CHILD, Relation.SIBLING],
        )
        .values("family_id")
        .distinct()
    )
    for family in families:
        members = set(
            FamilyMember.objects.filter(
                family_id=family["family_id"], relation__in=[Relation.CHILD, Relation.SIBLING]
            ).values_list("person_id", flat=True)
        )
        if set(person_ids) <= members:
            return True
    return False


@transaction.atomic
def placement_end(*, placement: Placement, ended_on: date, reason: str) -> Placement:
    """End a placement; a return from a family to an organisation is secondary orphanhood."""
    locked = Placement.objects.select_for_update().get(pk=placement.pk)
    if locked.ended_on is not None:
        raise ValidationError(_("This placement has already ended."))
    if ended_on < locked.started_on:
        raise ValidationError({"ended_on": _("The end cannot be before the start.")})
    if reason not in PlacementEndReason.values:
        raise ValidationError({"reason": _("Choose why the placement ended.")})
    locked.ended_on = ended_on
    locked.end_reason = reason
    locked.secondary_orphanhood = (
        reason == PlacementEndReason.RETURNED_TO_ORGANISATION and locked.form in FAMILY_FORMS
    )
    locked.save(update_fields=["ended_on", "end_reason", "secondary_orphanhood"])
    return locked


PROTOCOL_FIELDS = ["accompanied_by", "taken_to", "reason"]


@transaction.atomic
def removal_record(
    *,
    child: Child,
    by: User,
    removed_at: datetime,
    reason: str,
    accompanied_by: str,
    explained_to_child: bool,
    psychologist_present: bool,
    psychologist_absence_reason: str,
    taken_to: str,
    prosecutor_notified_at: datetime | None,
) -> Removal:
    """A removal cannot be recorded without its protocol; the court claim is due in 7 days."""
    errors = {}
    for name, value in (
        ("reason", reason),
        ("accompanied_by", accompanied_by),
        ("taken_to", taken_to),
    ):
        if not value.strip():
            errors[name] = _("Required in the removal protocol.")
    if not explained_to_child:
        errors["explained_to_child"] = _(
            "The reasons and next steps must be explained to the child in child-friendly language first."
        )
    if not psychologist_present and not psychologist_absence_reason.strip():
        errors["psychologist_absence_reason"] = _("Say why no psychologist was present.")
    if prosecutor_notified_at is None:
        errors["prosecutor_notified_at"] = _("The prosecutor must be notified: enter when.")
    if errors:
        raise ValidationError(errors)
    removal = Removal.objects.create(
        child=child,
        recorded_by=by,
        removed_at=removed_at,
        reason=reason,
        accompanied_by=accompanied_by,
        explained_to_child=explained_to_child,
        psychologist_present=psychologist_present,
        psychologist_absence_reason=psychologist_absence_reason,
        taken_to=taken_to,
        prosecutor_notified_at=prosecutor_notified_at,
        court_claim_due_at=removed_at + timedelta(days=COURT_CLAIM_DAYS),
    )
    timer_start(
        kind=TimerKind.COURT_CLAIM,
        subject=removal,
        organisation=guardianship_of(child.district_id),
        started_at=removed_at,
        due_at=removal.court_claim_due_at,
        remind_at=removal.court_claim_due_at - timedelta(days=2),
        responsible=by,
    )
    return removal


@transaction.atomic
def removal_court_claim_filed(*, removal: Removal, filed_on: date) -> Removal:
    """The claim reached the court: the 7-day timer is done."""
    locked = Removal.objects.select_for_update().get(pk=removal.pk)
    if locked.court_claim_filed_on is not None:
        raise ValidationError(_("The court claim is already recorded as filed."))
    if filed_on < locked.removed_at.astimezone(ALMATY).date():
        raise ValidationError({"filed_on": _("The claim cannot be filed before the removal.")})
    locked.court_claim_filed_on = filed_on
    locked.save(update_fields=["court_claim_filed_on"])
    timer_complete(kind=TimerKind.COURT_CLAIM, subject=locked)
    return locked
