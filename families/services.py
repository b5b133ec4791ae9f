"""Writes to family files: members, difficult life situations, police registrations."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import OPEN_CASE_STATUSES, AgendaItemStatus, District, User
from casework.services.archive import (
    archive_clear,
    archive_lock,
    archive_mark,
    archive_reason_clean,
    restore_lock,
)
from children.models import Person

from .models import (
    DifficultSituation,
    DifficultSituationGround,
    Family,
    FamilyMember,
    PoliceRegistration,
)


@transaction.atomic
def family_create(*, name: str, district: District, by: User, **address) -> Family:
    if not name.strip():
        raise ValidationError({"name": _("Enter the family's name.")})
    return Family.objects.create(name=name.strip(), district=district, created_by=by, **address)


@transaction.atomic
def family_member_add(
    *, family: Family, person: Person, relation: str, since: date | None = None
) -> FamilyMember:
    try:
        with transaction.atomic():
            return FamilyMember.objects.create(
                family=family, person=person, relation=relation, since=since
            )
    except IntegrityError as exc:
        raise ValidationError(_("This person is already a member of the family.")) from exc


@transaction.atomic
def difficult_situation_recognise(
    *,
    family: Family,
    grounds: list[DifficultSituationGround],
    other_ground: str,
    recognised_on: date,
    by: User,
) -> DifficultSituation:
    if not grounds:
        raise ValidationError({"grounds": _("Choose at least one ground.")})
    if any(g.is_other for g in grounds) and not other_ground.strip():
        raise ValidationError({"other_ground": _("Describe the other ground.")})
    if family.difficult_situations.filter(ended_on__isnull=True).exists():
        raise ValidationError(
            _("The family is already recognised as in a difficult life situation.")
        )
    situation = DifficultSituation.objects.create(
        family=family, other_ground=other_ground, recognised_on=recognised_on, recognised_by=by
    )
    situation.grounds.set(grounds)
    return situation


@transaction.atomic
def difficult_situation_end(
    *, situation: DifficultSituation, ended_on: date, note: str
) -> DifficultSituation:
    if situation.ended_on is not None:
        raise ValidationError(_("This difficult life situation has already ended."))
    if ended_on < situation.recognised_on:
        raise ValidationError({"ended_on": _("The end cannot be before the start.")})
    situation.ended_on, situation.end_note = ended_on, note
    situation.save(update_fields=["ended_on", "end_note"])
    return situation


@transaction.atomic
def police_registration_add(*, family: Family, **data) -> PoliceRegistration:
    registration = PoliceRegistration(family=family, **data)
    registration.full_clean(exclude=["family", "person", "referral"])
    registration.save()
    return registration


@transaction.atomic
def police_deregister(
    *, registration: PoliceRegistration, on: date, reason: str
) -> PoliceRegistration:
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for deregistration.")})
    if registration.deregistered_on is not None:
        raise ValidationError(_("Already deregistered."))
    if on < registration.registered_on:
        raise ValidationError({"on": _("The end cannot be before the start.")})
    registration.deregistered_on, registration.deregistration_reason = on, reason
    registration.save(update_fields=["deregistered_on", "deregistration_reason"])
    return registration


# --- archive ----------------------------------------------------------------------------


def family_archive_blockers(family: Family) -> list[str]:
    """Why the family's file cannot be archived now: live work that must not vanish."""
    blockers = []
    if family.cases.filter(status__in=OPEN_CASE_STATUSES).exists():
        blockers.append(_("A Family Support Center case about the family is open."))
    pending = [AgendaItemStatus.SUBMITTED, AgendaItemStatus.SCHEDULED]
    if family.kdn_items.filter(status__in=pending).exists():
        blockers.append(_("The file is before the commission."))
    return blockers


@transaction.atomic
def family_archive(*, family: Family, by: User, reason: str, now: datetime | None = None) -> Family:
    """Archive a family's file registered twice or by mistake. Its members, situations
    and registrations stay as they were, read-only with the file."""
    reason = archive_reason_clean(reason)
    locked = archive_lock(Family, family.pk)
    blockers = family_archive_blockers(locked)
    if blockers:
        raise ValidationError(blockers, code="live_file")
    archive_mark(obj=locked, by=by, reason=reason, now=now or timezone.now())
    return locked


@transaction.atomic
def family_restore(*, family: Family, by: User, now: datetime | None = None) -> Family:
    locked = restore_lock(Family, family.pk)
    archive_clear(obj=locked, by=by, now=now or timezone.now())
    return locked
