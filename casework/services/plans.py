"""The individual support plan: drafting, the head's approval, the family's signature,
revisions that keep earlier versions readable, and each measure tracked to done."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import deadlines
from casework.models import (
    Case,
    CaseEventKind,
    CaseStatus,
    MeasureStatus,
    Organisation,
    PlanMeasure,
    PlanStatus,
    SupportPlan,
    SupportType,
    TimerKind,
    User,
)
from casework.services.cases import case_event, case_move
from casework.services.timers import timer_cancel, timer_complete, timer_start


def _lock_plan(plan: SupportPlan) -> SupportPlan:
    return SupportPlan.objects.select_for_update().select_related("case").get(pk=plan.pk)


def _require(plan: SupportPlan, status: str) -> None:
    if plan.status != status:
        raise ValidationError(
            _("This version of the plan is %(status)s: this step is not possible now.")
            % {"status": plan.get_status_display()}
        )


def _require_open_case(case: Case) -> None:
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("The case is closed: reopen it first."))


@transaction.atomic
def measure_add(
    *,
    plan: SupportPlan,
    by: User,
    support_type: str,
    description: str,
    responsible_organisation: Organisation,
    owner: User | None,
    due_on: date,
) -> PlanMeasure:
    locked = _lock_plan(plan)
    _require(locked, PlanStatus.DRAFT)
    if support_type not in SupportType.values:
        raise ValidationError({"support_type": _("Choose the type of support.")})
    if not description.strip():
        raise ValidationError({"description": _("Describe the measure.")})
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("The due date cannot be in the past.")})
    return PlanMeasure.objects.create(
        plan=locked,
        support_type=support_type,
        description=description.strip(),
        responsible_organisation=responsible_organisation,
        owner=owner,
        due_on=due_on,
    )


@transaction.atomic
def measure_drop(*, measure: PlanMeasure, by: User) -> PlanMeasure:
    """Take a measure out of a draft (kept, marked cancelled: nothing is deleted)."""
    _require(_lock_plan(measure.plan), PlanStatus.DRAFT)
    PlanMeasure.objects.filter(pk=measure.pk).update(status=MeasureStatus.CANCELLED)
    measure.refresh_from_db()
    return measure


@transaction.atomic
def plan_update_goal(*, plan: SupportPlan, by: User, goal: str) -> SupportPlan:
    locked = _lock_plan(plan)
    _require(locked, PlanStatus.DRAFT)
    locked.goal = goal.strip()
    locked.save(update_fields=["goal"])
    return locked


@transaction.atomic
def plan_submit(*, plan: SupportPlan, by: User) -> SupportPlan:
    locked = _lock_plan(plan)
    _require(locked, PlanStatus.DRAFT)
    _require_open_case(locked.case)
    if not locked.measures.filter(status=MeasureStatus.PLANNED).exists():
        raise ValidationError(_("Add at least one measure before submitting the plan."))
    locked.status = PlanStatus.SUBMITTED
    locked.save(update_fields=["status"])
    case_event(locked.case, CaseEventKind.PLAN_SUBMITTED, by=by, note=f"v{locked.version}")
    return locked


@transaction.atomic
def plan_return(*, plan: SupportPlan, by: User, note: str) -> SupportPlan:
    """The head sends the draft back with remarks."""
    if not note.strip():
        raise ValidationError({"note": _("Say what should change.")})
    locked = _lock_plan(plan)
    _require(locked, PlanStatus.SUBMITTED)
    locked.status, locked.return_note = PlanStatus.DRAFT, note.strip()
    locked.save(update_fields=["status", "return_note"])
    case_event(locked.case, CaseEventKind.PLAN_RETURNED, by=by, note=note.strip())
    return locked


@transaction.atomic
def plan_approve(*, plan: SupportPlan, by: User, now: datetime | None = None) -> SupportPlan:
    """The FSC head approves: the version before is superseded and the measures' clocks
    start (a revision's carried-over measures keep their due dates)."""
    now = now or timezone.now()
    locked = _lock_plan(plan)
    _require(locked, PlanStatus.SUBMITTED)
    _require_open_case(locked.case)
    for earlier in SupportPlan.objects.select_for_update().filter(
        case=locked.case, status=PlanStatus.APPROVED
    ):
        earlier.status = PlanStatus.SUPERSEDED
        earlier.save(update_fields=["status"])
        for measure in earlier.measures.filter(status=MeasureStatus.PLANNED):
            timer_cancel(kind=TimerKind.PLAN_MEASURE, subject=measure, now=now)
    locked.status, locked.approved_by, locked.approved_at = PlanStatus.APPROVED, by, now
    locked.return_note = ""
    locked.save(update_fields=["status", "approved_by", "approved_at", "return_note"])
    measure_timers_start(plan=locked, now=now)
    note = f"v{locked.version}"
    if locked.case.status == CaseStatus.PLANNING:
        case_move(
            locked.case,
            to=CaseStatus.SUPPORT,
            kind=CaseEventKind.PLAN_APPROVED,
            by=by,
            at=now,
            note=note,
        )
    else:
        case_event(locked.case, CaseEventKind.PLAN_APPROVED, by=by, at=now, note=note)
    return locked


def measure_timers_start(*, plan: SupportPlan, now: datetime) -> None:
    for measure in plan.measures.filter(status=MeasureStatus.PLANNED).select_related("plan__case"):
        timer_start(
            kind=TimerKind.PLAN_MEASURE,
            subject=measure,
            organisation=plan.case.organisation,
            responsible=measure.owner or plan.case.lead,
            started_at=now,
            due_at=deadlines.end_of_day(measure.due_on),
        )


@transaction.atomic
def plan_sign(*, plan: SupportPlan, by: User, signed_on: date) -> SupportPlan:
    locked = _lock_plan(plan)
    _require(locked, PlanStatus.APPROVED)
    if locked.signed_by_family_on:
        raise ValidationError(_("The family has already signed this version."))
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("The date cannot be in the future.")})
    if signed_on < timezone.localdate(locked.approved_at):
        raise ValidationError({"signed_on": _("The family signs after the head approves.")})
    locked.signed_by_family_on = signed_on
    locked.save(update_fields=["signed_by_family_on"])
    case_event(
        locked.case,
        CaseEventKind.PLAN_SIGNED,
        by=by,
        note=f"v{locked.version} {signed_on:%d.%m.%Y}",
    )
    return locked


@transaction.atomic
def plan_revise(*, case: Case, by: User, reason: str, now: datetime | None = None) -> SupportPlan:
    """Start a new version from the approved one; the approved one stays in force (and
    readable) until the new one is approved."""
    now = now or timezone.now()
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the plan is revised.")})
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_open_case(case)
    current = case.plans.filter(status=PlanStatus.APPROVED).first()
    if current is None:
        raise ValidationError(_("Only an approved plan can be revised."))
    if case.plans.filter(status__in=[PlanStatus.DRAFT, PlanStatus.SUBMITTED]).exists():
        raise ValidationError(_("A revision is already being drafted."))
    version = case.plans.aggregate(last=Max("version"))["last"] + 1
    revision = SupportPlan.objects.create(
        case=case,
        version=version,
        goal=current.goal,
        revision_reason=reason.strip(),
        created_by=by,
        created_at=now,
    )
    PlanMeasure.objects.bulk_create(
        PlanMeasure(
            plan=revision,
            support_type=m.support_type,
            description=m.description,
            responsible_organisation_id=m.responsible_organisation_id,
            owner_id=m.owner_id,
            due_on=m.due_on,
            status=m.status,
            done_on=m.done_on,
            result=m.result,
            carried_from=m,
        )
        for m in current.measures.exclude(status=MeasureStatus.CANCELLED)
    )
    case_event(
        case, CaseEventKind.PLAN_REVISED, by=by, at=now, note=f"v{version}: {reason.strip()}"
    )
    return revision


@transaction.atomic
def measure_complete(
    *, measure: PlanMeasure, by: User, done_on: date, result: str, now: datetime | None = None
) -> PlanMeasure:
    now = now or timezone.now()
    locked = PlanMeasure.objects.select_for_update().select_related("plan__case").get(pk=measure.pk)
    if locked.plan.status != PlanStatus.APPROVED:
        raise ValidationError(_("Measures are marked done in the approved plan."))
    _require_open_case(locked.plan.case)
    if locked.status != MeasureStatus.PLANNED:
        raise ValidationError(
            _("This measure is already %(status)s.") % {"status": locked.get_status_display()}
        )
    if not result.strip():
        raise ValidationError({"result": _("Describe the result.")})
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("The date cannot be in the future.")})
    locked.status, locked.done_on, locked.result = MeasureStatus.DONE, done_on, result.strip()
    locked.save(update_fields=["status", "done_on", "result"])
    # A revision being drafted carries this measure: it is done there too.
    PlanMeasure.objects.filter(carried_from=locked, status=MeasureStatus.PLANNED).update(
        status=MeasureStatus.DONE, done_on=done_on, result=locked.result
    )
    timer_complete(kind=TimerKind.PLAN_MEASURE, subject=locked, now=now)
    case_event(locked.plan.case, CaseEventKind.MEASURE_DONE, by=by, at=now, note=str(locked))
    return locked
