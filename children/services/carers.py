"""Carers: approval, the annual reliability check and living-condition inspections."""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from casework.models import District, Role, TimerKind, User
from casework.services.timers import timer_complete, timer_start

from ..models import Carer, Inspection, Person, ReliabilityCheck
from .files import end_of_day, guardianship_of
from .notify import notify_district

CHECK_MONTHS = 12


def _inspection_months() -> int:
    return getattr(settings, "CARER_INSPECTION_MONTHS", 12)


def _schedule(carer: Carer, kind: str, due_on: date) -> None:
    due = end_of_day(due_on)
    timer_complete(kind=kind, subject=carer)
    timer_start(
        kind=kind,
        subject=carer,
        organisation=guardianship_of(carer.district_id),
        started_at=timezone.now(),
        due_at=due,
        remind_at=due - relativedelta(days=14),
    )


def carer_timers_start(carer: Carer) -> None:
    """The annual check and the inspection, due on the carer's stored dates."""
    if carer.check_due_on:
        _schedule(carer, TimerKind.CARER_CHECK, carer.check_due_on)
    if carer.inspection_due_on:
        _schedule(carer, TimerKind.CARER_INSPECTION, carer.inspection_due_on)


@transaction.atomic
def carer_register(*, person: Person, kind: str, district: District, approved_on: date) -> Carer:
    if Carer.objects.filter(person=person).exists():
        raise ValidationError(_("This person is already registered as a carer."))
    carer = Carer.objects.create(
        person=person,
        kind=kind,
        district=district,
        approved_on=approved_on,
        check_due_on=approved_on + relativedelta(months=CHECK_MONTHS),
        inspection_due_on=approved_on + relativedelta(months=_inspection_months()),
    )
    carer_timers_start(carer)
    return carer


@transaction.atomic
def reliability_check_record(*, carer: Carer, by: User, **data) -> ReliabilityCheck:
    """Record the annual check. A failed check raises an immediate-removal alert."""
    locked = Carer.objects.select_for_update().get(pk=carer.pk)
    check = ReliabilityCheck(carer=locked, checked_by=by, **data)
    check.full_clean(exclude=["carer", "checked_by"])
    check.save()
    locked.check_due_on = check.checked_on + relativedelta(months=CHECK_MONTHS)
    fields = ["check_due_on"]
    if not check.passed:
        locked.suspended_at = timezone.now()
        fields.append("suspended_at")
        notify_district(
            locked.district_id,
            {Role.GUARDIANSHIP_HEAD, Role.GUARDIANSHIP_SPECIALIST},
            gettext_noop(
                "Carer %(name)s failed the reliability check: consider immediate removal of the children"
            ),
            {"name": locked.person.full_name},
            link=f"/registry/carers/{locked.pk}/",
        )
    locked.save(update_fields=fields)
    _schedule(locked, TimerKind.CARER_CHECK, locked.check_due_on)
    return check


@transaction.atomic
def inspection_record(
    *, carer: Carer, by: User, inspected_on: date, conditions_ok: bool, findings: str
) -> Inspection:
    if not findings.strip():
        raise ValidationError({"findings": _("Describe what the inspection found.")})
    locked = Carer.objects.select_for_update().get(pk=carer.pk)
    inspection = Inspection.objects.create(
        carer=locked,
        inspected_by=by,
        inspected_on=inspected_on,
        conditions_ok=conditions_ok,
        findings=findings,
    )
    locked.inspection_due_on = inspected_on + relativedelta(months=_inspection_months())
    locked.save(update_fields=["inspection_due_on"])
    _schedule(locked, TimerKind.CARER_INSPECTION, locked.inspection_due_on)
    if not conditions_ok:
        notify_district(
            locked.district_id,
            {Role.GUARDIANSHIP_HEAD},
            gettext_noop("Inspection of carer %(name)s found unacceptable living conditions"),
            {"name": locked.person.full_name},
            link=f"/registry/carers/{locked.pk}/",
        )
    return inspection
