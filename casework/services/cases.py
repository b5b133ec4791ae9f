"""The FSC case: opening, assignment, primary assessment, closure and reopening.

Every change locks the case row, checks the transition map, and writes a `CaseEvent` in
the same transaction. Key events start the 24-hour timer to inform the guardianship
authority (see `casework.services.case_notices`).
"""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import deadlines
from casework import selectors as core
from casework.models import (
    ACTIVE_TIMER_STATUSES,
    CASE_TRANSITIONS,
    KEY_EVENTS,
    Assessment,
    AssessmentDomain,
    Case,
    CaseEvent,
    CaseEventKind,
    CaseStatus,
    ClosureOutcome,
    DomainRating,
    Organisation,
    OrganisationKind,
    PlanStatus,
    Role,
    SupportPlan,
    Timer,
    TimerKind,
    User,
)
from casework.services.timers import timer_cancel, timer_complete, timer_start

FSC_ROLES = frozenset({Role.FSC_SPECIALIST, Role.FSC_HEAD})


@transaction.atomic
def case_open(
    *,
    organisation: Organisation,
    by: User,
    lead: User | None = None,
    family=None,
    child=None,
    referral=None,
    title: str = "",
    threat_to_life: bool = False,
    now: datetime | None = None,
) -> Case:
    """Open a case at a Family Support Center; the primary assessment clock starts now."""
    now = now or timezone.now()
    if organisation.kind != OrganisationKind.FSC:
        raise ValidationError(_("Cases are opened at a Family Support Center."))
    if family is None and child is None and referral is None and not title.strip():
        # A family that came to the center itself may not be in the registry yet.
        raise ValidationError({"title": _("Name the family the case is about.")})
    lead = lead or by
    _check_staff(organisation, [lead], field="lead")
    district_id = organisation.district_id
    for subject in (family, child):
        if subject is not None and subject.district_id != district_id:
            raise ValidationError(_("The family or child belongs to another district."))
    title = (title or _title_for(family, child, referral)).strip()[:300]
    urgent = threat_to_life or bool(referral and referral.threat_to_life)
    case = Case.objects.create(
        organisation=organisation,
        district_id=district_id,
        title=title,
        family=family,
        child=child or (referral.child if referral else None),
        referral=referral,
        threat_to_life=urgent,
        lead=lead,
        opened_at=now,
        opened_by=by,
    )
    assessment = Assessment.objects.create(
        case=case, due_at=deadlines.assessment_due_at(now, urgent=urgent)
    )
    _start_assessment_timer(case, assessment, now)
    case_event(case, CaseEventKind.OPENED, by=by, at=now, to_status=case.status)
    return case


def _title_for(family, child, referral) -> str:
    if family is not None:
        return family.name
    if child is not None:
        return str(child.person)
    return referral.child_name or referral.family_name or str(referral)


def _start_assessment_timer(case: Case, assessment: Assessment, now: datetime) -> Timer:
    return timer_start(
        kind=TimerKind.CASE_ASSESSMENT,
        subject=case,
        organisation=case.organisation,
        responsible=case.lead,
        started_at=now,
        due_at=assessment.due_at,
    )


@transaction.atomic
def case_assign(*, case: Case, by: User, lead: User, team: list[User]) -> Case:
    locked = _lock(case)
    _check_staff(locked.organisation, [lead, *team], field="lead")
    changed = locked.lead_id != lead.pk or set(locked.team.values_list("pk", flat=True)) != {
        u.pk for u in team
    }
    if not changed:
        return locked
    locked.lead = lead
    locked.save(update_fields=["lead", "updated_at"])
    locked.team.set(team)
    # The lead answers for the case's running deadlines from now on.
    Timer.objects.filter(
        Q(subject_type=ContentType.objects.get_for_model(Case), subject_id=locked.pk)
        | Q(
            subject_type=ContentType.objects.get_for_model(CaseEvent),
            subject_id__in=locked.events.values("pk"),
        ),
        status__in=ACTIVE_TIMER_STATUSES,
    ).update(responsible=lead)
    names = ", ".join(str(u) for u in [lead, *team])
    case_event(locked, CaseEventKind.ASSIGNED, by=by, note=names)
    return locked


def _check_staff(organisation: Organisation, users: list[User], *, field: str) -> None:
    staff = {
        u.pk for u in core.organisation_staff(organisation_id=organisation.pk, roles=FSC_ROLES)
    }
    if any(u.pk not in staff for u in users):
        raise ValidationError(
            {field: _("Choose specialists of %(fsc)s.") % {"fsc": organisation.name}}
        )


# --- assessment -------------------------------------------------------------------------


@transaction.atomic
def assessment_save(
    *,
    case: Case,
    by: User,
    ratings: dict[str, tuple[int | None, str]],
    in_difficult_situation: bool | None,
    grounds: list,
    other_ground: str = "",
    conclusion: str = "",
) -> Assessment:
    """Save the assessment as far as it goes; completing it is a separate step."""
    locked = _lock(case)
    assessment = Assessment.objects.select_for_update().get(case=locked)
    if assessment.completed_at is not None:
        raise ValidationError(_("The assessment is completed and can no longer be changed."))
    for domain, (rating, narrative) in ratings.items():
        if rating is None and not narrative.strip():
            continue  # not assessed yet: a draft may be saved part-way
        if rating is None or not narrative.strip():
            raise ValidationError(
                _("%(domain)s: give both a rating and what you found.")
                % {"domain": AssessmentDomain(domain).label}
            )
        DomainRating.objects.update_or_create(
            assessment=assessment,
            domain=domain,
            defaults={"rating": rating, "narrative": narrative.strip()},
        )
    assessment.in_difficult_situation = in_difficult_situation
    assessment.other_ground = other_ground.strip()
    assessment.conclusion = conclusion.strip()
    assessment.save(update_fields=["in_difficult_situation", "other_ground", "conclusion"])
    assessment.grounds.set(grounds)
    return assessment


@transaction.atomic
def assessment_complete(*, case: Case, by: User, now: datetime | None = None) -> Assessment:
    now = now or timezone.now()
    locked = _lock(case)
    assessment = Assessment.objects.select_for_update().get(case=locked)
    if assessment.completed_at is not None:
        raise ValidationError(_("The assessment is already completed."))
    _check_assessment_complete(assessment)
    assessment.completed_at, assessment.completed_by = now, by
    assessment.save(update_fields=["completed_at", "completed_by"])
    timer_complete(kind=TimerKind.CASE_ASSESSMENT, subject=locked, now=now)
    case_move(
        locked, to=CaseStatus.PLANNING, kind=CaseEventKind.ASSESSMENT_COMPLETED, by=by, at=now
    )
    if not locked.plans.exists():
        SupportPlan.objects.create(case=locked, version=1, created_by=by, created_at=now)
    _referral_in_work(locked, by)
    return assessment


def _check_assessment_complete(assessment: Assessment) -> None:
    rated = set(assessment.ratings.values_list("domain", flat=True))
    missing = [AssessmentDomain(d).label for d in AssessmentDomain if d not in rated]
    if missing:
        raise ValidationError(
            _("Rate every domain before completing: %(missing)s.")
            % {"missing": ", ".join(str(m) for m in missing)}
        )
    if assessment.in_difficult_situation is None:
        raise ValidationError(
            {
                "in_difficult_situation": _(
                    "Conclude whether the family is in a difficult life situation."
                )
            }
        )
    if assessment.in_difficult_situation:
        grounds = list(assessment.grounds.all())
        if not grounds:
            raise ValidationError(
                {"grounds": _("Name the grounds of the difficult life situation.")}
            )
        if any(g.is_other for g in grounds) and not assessment.other_ground:
            raise ValidationError({"other_ground": _('Describe the "other" ground.')})
    if not assessment.conclusion:
        raise ValidationError({"conclusion": _("Write the conclusion.")})


def _referral_in_work(case: Case, by: User) -> None:
    if case.referral_id is None:
        return
    from referrals.models import Status
    from referrals.services import referral_start_work

    if case.referral.status == Status.PICKED_UP:
        referral_start_work(referral=case.referral, by=by)


# --- closure and reopening -------------------------------------------------------------


@transaction.atomic
def case_close(
    *, case: Case, by: User, outcome: str, note: str = "", now: datetime | None = None
) -> Case:
    now = now or timezone.now()
    if outcome not in ClosureOutcome.values:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    if outcome == ClosureOutcome.OTHER and not note.strip():
        raise ValidationError({"note": _('Describe the outcome when it is "other".')})
    locked = case_move(
        case,
        to=CaseStatus.CLOSED,
        kind=CaseEventKind.CLOSED,
        by=by,
        at=now,
        note=ClosureOutcome(outcome).label + (f": {note.strip()}" if note.strip() else ""),
        closed_at=now,
        outcome=outcome,
        outcome_note=note.strip(),
    )
    _stop_case_timers(locked, now)
    _referral_closed(locked, by, note.strip() or str(ClosureOutcome(outcome).label))
    return locked


def _stop_case_timers(case: Case, now: datetime) -> None:
    from casework.models import MeasureStatus, PlanMeasure

    timer_cancel(kind=TimerKind.CASE_ASSESSMENT, subject=case, now=now)
    planned = PlanMeasure.objects.filter(plan__case=case, status=MeasureStatus.PLANNED)
    for measure in planned:
        timer_cancel(kind=TimerKind.PLAN_MEASURE, subject=measure, now=now)


def _referral_closed(case: Case, by: User, outcome: str) -> None:
    if case.referral_id is None:
        return
    from referrals.models import Status
    from referrals.services import referral_close, referral_start_work

    referral = case.referral
    if referral.status == Status.PICKED_UP:
        referral = referral_start_work(referral=referral, by=by)
    if referral.status == Status.IN_WORK:
        referral_close(referral=referral, by=by, outcome=outcome)


@transaction.atomic
def case_reopen(*, case: Case, by: User, reason: str, now: datetime | None = None) -> Case:
    """Reopen where the work stopped: support with an approved plan, planning after the
    assessment, else a new assessment clock."""
    now = now or timezone.now()
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the case is reopened.")})
    locked = _lock(case)
    assessment = locked.assessment
    if locked.plans.filter(status=PlanStatus.APPROVED).exists():
        target = CaseStatus.SUPPORT
    elif assessment.completed_at:
        target = CaseStatus.PLANNING
    else:
        target = CaseStatus.ASSESSMENT
    locked = case_move(
        locked,
        to=target,
        kind=CaseEventKind.REOPENED,
        by=by,
        at=now,
        note=reason.strip(),
        closed_at=None,
        outcome="",
        outcome_note="",
    )
    if target == CaseStatus.ASSESSMENT:
        assessment.due_at = deadlines.assessment_due_at(now, urgent=locked.threat_to_life)
        assessment.save(update_fields=["due_at"])
        _start_assessment_timer(locked, assessment, now)
    if target == CaseStatus.SUPPORT:
        from casework.services.plans import measure_timers_start

        measure_timers_start(plan=locked.plans.get(status=PlanStatus.APPROVED), now=now)
    return locked


# --- internals ---------------------------------------------------------------------------


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("organisation").get(pk=case.pk)


def case_move(
    case: Case, *, to: str, kind: str, by: User | None, at=None, note="", **fields
) -> Case:
    """Change status under a row lock, or refuse with a reason and change nothing."""
    at = at or timezone.now()
    locked = _lock(case)
    if to not in CASE_TRANSITIONS[locked.status]:
        raise ValidationError(
            _("The case is %(status)s: this step is not possible now.")
            % {"status": locked.get_status_display()}
        )
    from_status = locked.status
    locked.status = to
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=["status", "updated_at", *fields])
    case_event(locked, kind, by=by, at=at, from_status=from_status, to_status=to, note=note)
    return locked


def case_event(
    case: Case,
    kind: str,
    *,
    by: User | None,
    at: datetime | None = None,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
) -> CaseEvent:
    """Record an event; a key event starts the clock to inform guardianship."""
    at = at or timezone.now()
    event = CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=by,
        at=at,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )
    if kind in KEY_EVENTS:
        timer_start(
            kind=TimerKind.GUARDIANSHIP_NOTICE,
            subject=event,
            organisation=case.organisation,
            responsible=case.lead,
            started_at=at,
            due_at=deadlines.guardianship_notice_due_at(at),
        )
    return event
