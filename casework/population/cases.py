"""The Family Support Center's cases (`casework.Case` and its file) as
`casework.services.cases` and `.plans` leave them: a case in every status, the primary
assessment with its timer, support plans (draft, submitted, approved, superseded) with
measures and their timers, visits, the closure; each key event told to guardianship
within 24 hours (or by the sweep, with a breach)."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from casework.models import (
    CASE_TRANSITIONS,
    KEY_EVENTS,
    Assessment,
    AssessmentDomain,
    Case,
    CaseContact,
    CaseEvent,
    CaseEventKind,
    CaseStatus,
    ClosureOutcome,
    ContactKind,
    DomainRating,
    MeasureStatus,
    PlanMeasure,
    PlanStatus,
    SupportPlan,
    SupportType,
    TimerKind,
)
from casework.working_days import ALMATY

from .households import Household, Kid
from .part import Part
from .plan import local
from .rows import Local
from .timers import breach_add, timer_add

# The furthest a case has come.
ASSESSMENT, PLANNING, SUPPORT, CLOSED, RETURNED = "assessment", "planning", "support", "closed", "returned"  # fmt: skip
SELF_REFERRED_PER_CHILD = 0.0008  # families that came to the center themselves
SELF_REFERRED_STAGES = {ASSESSMENT: 10, PLANNING: 10, SUPPORT: 35, CLOSED: 45}
CLOSED_AFTER = {ASSESSMENT: 15, PLANNING: 15, SUPPORT: 70}
OUTCOMES = {
    ClosureOutcome.LEFT_DIFFICULT_SITUATION: 55,
    ClosureOutcome.MOVED_AWAY: 12,
    ClosureOutcome.REFERRED_TO_KDN: 10,
    ClosureOutcome.CHILD_REMOVED: 4,
    ClosureOutcome.OTHER: 19,
}
OTHER_OUTCOME_NOTES = ["Семья отказалась от помощи.", "Ребёнок достиг совершеннолетия."]
RETURN_REASONS = ["Семья переехала в другой район.", "Случай не относится к компетенции ЦПС."]
INFORMED_IN_TIME_SHARE = 0.9
KDN_SUBMITTED_SHARE = 0.08
REVISED_SHARE = 0.12
FINDINGS = {
    AssessmentDomain.SAFETY: "Со слов матери, в семье бывают конфликты.",
    AssessmentDomain.HEALTH: "Ребёнок наблюдается в поликлинике, прививки по графику.",
    AssessmentDomain.EDUCATION: "Пропуски занятий без уважительной причины.",
    AssessmentDomain.HOUSING: "Съёмная квартира, условия удовлетворительные.",
    AssessmentDomain.INCOME: "Доход ниже прожиточного минимума.",
    AssessmentDomain.PARENTING: "Мать не контролирует посещение школы.",
    AssessmentDomain.VIOLENCE: "Признаков насилия не выявлено.",
    AssessmentDomain.DISABILITY: "Инвалидности нет.",
}
MEASURES = {
    SupportType.PSYCHOLOGICAL: "Консультации психолога для матери и ребёнка",
    SupportType.BENEFITS: "Помочь оформить адресную социальную помощь",
    SupportType.EDUCATIONAL: "Согласовать со школой план ликвидации пропусков",
    SupportType.EMPLOYMENT: "Направить мать в центр занятости",
    SupportType.MEDICAL: "Организовать обследование ребёнка в поликлинике",
    SupportType.LEGAL: "Консультация юриста по алиментам",
    SupportType.SOCIAL: "Патронаж семьи специалистом ЦПС",
    SupportType.HOUSING: "Помочь встать в очередь на жильё",
}
CONCLUSION = "Семья нуждается в поддержке: составить индивидуальный план помощи."
KDN_QUESTION = "Рассмотреть положение ребёнка в семье и меры поддержки семьи."


@dataclass
class Work:
    """What the case did to its referral: work started (the assessment) and closure."""

    assessed_at: datetime | None = None
    closed_at: datetime | None = None
    outcome: str = ""


@dataclass
class CaseFile:
    part: Part
    case: Local
    lead: int
    organisation: int
    events: list[tuple] = field(default_factory=list)
    measures: list = field(default_factory=list)

    def event(self, kind: str, at: datetime, actor, *, to: str = "", note: str = "") -> None:
        """An event; with `to`, a move (checked against the map in time order)."""
        self.events.append((at, kind, actor, "", to, note))


def case_for_referral(
    part: Part, *, home: Household, kid: Kid, referral: Local, lead: int, opened_at: datetime,
    urgent: bool, stage: str, child,
) -> Work:  # fmt: skip
    """`referral_pick_up` opens the case; it goes as far as `stage`."""
    title = " ".join((kid.last_name, kid.first_name, kid.patronymic)) if child else kid.name
    return _case(part, home, title=title, family=None, child=child, referral=referral, lead=lead, opened_at=opened_at, urgent=urgent, stage=stage)  # fmt: skip


def cases_self_referred(part: Part, homes: list[Household]) -> None:
    """Families that came to the center themselves: cases without a referral."""
    candidates = [h for h in homes if h.district.fsc and h.parents]
    count = round(sum(len(h.kids) for h in homes) * SELF_REFERRED_PER_CHILD)
    for _ in range(min(count, len(candidates))):
        home = part.rng.choice(candidates)
        stage = part.rng.choices(list(SELF_REFERRED_STAGES), weights=list(SELF_REFERRED_STAGES.values()))[0]  # fmt: skip
        opened_at = part.ago(0.05, 8) if stage == ASSESSMENT else part.ago(10, 365)
        if home.opened_at >= opened_at:
            continue  # the family's file came later
        lead = part.rng.choice(home.district.fsc_staff)
        _case(part, home, title=home.surname.family, family=home.family, child=None, referral=None, lead=lead, opened_at=opened_at, urgent=False, stage=stage)  # fmt: skip


def _soon(part: Part, start: datetime, low_hours: float, high_hours: float) -> datetime:
    at = start + timedelta(hours=part.rng.uniform(low_hours, high_hours))
    return start + (part.now - start) * part.rng.uniform(0.3, 0.9) if at >= part.now else at


def _case(part: Part, home: Household, *, title, family, child, referral, lead, opened_at, urgent, stage) -> Work:  # fmt: skip
    rng, d, labels = part.rng, home.district, part.world.messages
    final = stage
    if stage == CLOSED:
        stage = rng.choices(list(CLOSED_AFTER), weights=list(CLOSED_AFTER.values()))[0]
    elif stage == RETURNED:
        stage = ASSESSMENT
    case = part.add(
        Case,
        organisation=d.fsc,
        district=d.id,
        status=CaseStatus.ASSESSMENT,
        title=title[:300],
        family=family,
        child=child,
        referral=referral,
        threat_to_life=urgent,
        lead=lead,
        opened_at=opened_at,
        opened_by=lead,
        closed_at=None,
        outcome="",
        outcome_note="",
        updated_at=opened_at,
    )
    file = CaseFile(part, case, lead, d.fsc)
    file.event(CaseEventKind.OPENED, opened_at, lead, to=CaseStatus.ASSESSMENT)
    due = part.deadlines.assessment_due(opened_at, urgent=urgent)
    work = Work()
    assessed_at = None if stage == ASSESSMENT else _soon(part, opened_at, 2, 96)
    closed_at = None
    last = assessed_at or opened_at
    plan_end = None
    if stage in {PLANNING, SUPPORT}:
        plan_end = _plans(part, file, home, assessed_at, stage, open_case=final not in {CLOSED, RETURNED})  # fmt: skip
        last = plan_end or last
    if final in {CLOSED, RETURNED}:
        closed_at = _soon(part, last, 1, 5 * 24) if final == RETURNED else _soon(part, last, 24 * 7, 24 * 150)  # fmt: skip
        if final == RETURNED:
            outcome, note = ClosureOutcome.OTHER, rng.choice(RETURN_REASONS)
        else:
            outcome = rng.choices(list(OUTCOMES), weights=list(OUTCOMES.values()))[0]
            note = rng.choice(OTHER_OUTCOME_NOTES) if outcome == ClosureOutcome.OTHER else ""
        label = labels[f"outcome:{outcome}"]
        file.event(CaseEventKind.CLOSED, closed_at, lead, to=CaseStatus.CLOSED, note=label + (f": {note}" if note else ""))  # fmt: skip
        part.rows.update(case, closed_at=closed_at, outcome=outcome, outcome_note=note)
        work.outcome = note or label
        if outcome == ClosureOutcome.REFERRED_TO_KDN:
            file.event(CaseEventKind.SUBMITTED_TO_KDN, part.between(last, closed_at), lead, note=KDN_QUESTION)  # fmt: skip
    _assessment(part, file, opened_at, due, assessed_at, closed_at)
    if stage == SUPPORT and final not in {CLOSED, RETURNED} and part.chance(KDN_SUBMITTED_SHARE):
        file.event(CaseEventKind.SUBMITTED_TO_KDN, _soon(part, last, 24, 24 * 20), lead, note=KDN_QUESTION)  # fmt: skip
    _measures_close(part, file, closed_at)
    _write(part, file)
    work.assessed_at, work.closed_at = assessed_at, closed_at
    return work


def _assessment(part: Part, file: CaseFile, opened_at, due, assessed_at, closed_at) -> None:
    rng = part.rng
    assessment = part.add(
        Assessment,
        case=file.case,
        due_at=due,
        completed_at=assessed_at,
        completed_by=file.lead if assessed_at else None,
        in_difficult_situation=None,
        other_ground="",
        conclusion="",
    )
    domains = list(AssessmentDomain) if assessed_at else rng.sample(list(AssessmentDomain), rng.randint(0, 5))  # fmt: skip
    for domain in domains:
        part.add(DomainRating, assessment=assessment, domain=domain, rating=rng.randint(0, 3), narrative=FINDINGS[domain])  # fmt: skip
    if assessed_at:
        difficult = rng.random() < 0.7
        part.rows.update(assessment, in_difficult_situation=difficult, conclusion=CONCLUSION)
        if difficult:
            for ground in rng.sample(part.world.grounds, rng.randint(1, 2)):
                part.add(Assessment.grounds.through, assessment=assessment, difficultsituationground=ground)  # fmt: skip
    timer_add(
        part, kind=TimerKind.CASE_ASSESSMENT, subject=file.case, subject_model="casework.Case",
        organisation=file.organisation, started_at=opened_at, due_at=due, responsible=file.lead,
        done_at=assessed_at, cancelled_at=None if assessed_at else closed_at,
    )  # fmt: skip
    if assessed_at:
        file.event(
            CaseEventKind.ASSESSMENT_COMPLETED, assessed_at, file.lead, to=CaseStatus.PLANNING
        )


@dataclass
class _Measure:
    support_type: str
    description: str
    organisation: int
    owner: int | None
    due_on: object
    done_at: datetime | None
    rows: list = field(default_factory=list)  # (plan version, measure Local, planned from)


def _plans(part: Part, file: CaseFile, home: Household, assessed_at, stage, *, open_case: bool):
    """Version 1 drafted after the assessment; for a case in support, submitted and
    approved, its measures running; sometimes revised into version 2. Returns the
    moment of the last step."""
    rng, d = part.rng, home.district
    head = d.fsc_head
    plan = part.add(SupportPlan, case=file.case, version=1, status=PlanStatus.DRAFT, goal="Вывести семью из трудной жизненной ситуации", revision_reason="", created_by=file.lead, created_at=assessed_at, approved_by=None, approved_at=None, signed_by_family_on=None, return_note="")  # fmt: skip
    measures = [_measure(part, file, home, drafted=assessed_at) for _ in range(rng.randint(2, 5))]
    file.measures = measures
    if stage == PLANNING:
        for m in measures:
            part.add(PlanMeasure, **_measure_fields(m, plan, MeasureStatus.PLANNED, None))
        state = rng.choices(("draft", "submitted", "returned"), weights=(50, 35, 15))[0]
        if state == "draft":
            return assessed_at
        submitted = _soon(part, assessed_at, 4, 240)
        file.event(CaseEventKind.PLAN_SUBMITTED, submitted, file.lead, note="v1")
        if state == "submitted":
            part.rows.update(plan, status=PlanStatus.SUBMITTED)
            return submitted
        returned = _soon(part, submitted, 1, 72)
        note = "Уточнить сроки мер и ответственных."
        part.rows.update(plan, return_note=note)
        file.event(CaseEventKind.PLAN_RETURNED, returned, head, note=note)
        return returned
    submitted = _soon(part, assessed_at, 4, 240)
    approved = _soon(part, submitted, 1, 72)
    file.event(CaseEventKind.PLAN_SUBMITTED, submitted, file.lead, note="v1")
    file.event(CaseEventKind.PLAN_APPROVED, approved, head, to=CaseStatus.SUPPORT, note="v1")
    part.rows.update(plan, status=PlanStatus.APPROVED, approved_by=head, approved_at=approved)
    last = approved
    if rng.random() < 0.7:
        signed_on = min(part.day(approved) + timedelta(days=rng.randint(0, 5)), part.today)
        at = min(max(local(signed_on, 15), approved + timedelta(minutes=5)), part.now)
        part.rows.update(plan, signed_by_family_on=signed_on)
        file.event(CaseEventKind.PLAN_SIGNED, at, file.lead, note=f"v1 {signed_on:%d.%m.%Y}")
    for m in measures:
        m.done_at = _done_at(part, m, approved)
    revised = None
    if open_case and part.now - approved > timedelta(days=20) and rng.random() < REVISED_SHARE:
        revised = part.between(approved + timedelta(days=10), part.now - timedelta(days=5))
    plans = [(plan, approved)]
    if revised:
        reason = "Изменилась ситуация в семье: мать трудоустроена."
        v2 = part.add(SupportPlan, case=file.case, version=2, status=PlanStatus.APPROVED, goal="Вывести семью из трудной жизненной ситуации", revision_reason=reason, created_by=file.lead, created_at=revised, approved_by=head, approved_at=None, signed_by_family_on=None, return_note="")  # fmt: skip
        file.event(CaseEventKind.PLAN_REVISED, revised, file.lead, note=f"v2: {reason}")
        submitted2 = _soon(part, revised, 2, 96)
        approved2 = _soon(part, submitted2, 1, 48)
        file.event(CaseEventKind.PLAN_SUBMITTED, submitted2, file.lead, note="v2")
        file.event(CaseEventKind.PLAN_APPROVED, approved2, head, note="v2")
        part.rows.update(plan, status=PlanStatus.SUPERSEDED)
        part.rows.update(v2, approved_at=approved2)
        plans.append((v2, approved2))
        extra = _measure(part, file, home, drafted=revised)
        extra.done_at = _done_at(part, extra, approved2)
        last = approved2
    _measure_rows(part, file, measures, plans, extra if revised else None)
    return last


def _measure(part: Part, file: CaseFile, home: Household, *, drafted: datetime) -> _Measure:
    """A measure as `measure_add` takes it: due some days or months after drafting."""
    rng, d = part.rng, home.district
    support_type = rng.choice(list(MEASURES))
    partner = d.fsc if rng.random() < 0.7 else rng.choice(d.schools + d.clinics)
    owner = (file.lead if rng.random() < 0.8 else rng.choice(d.fsc_staff)) if partner == d.fsc else None  # fmt: skip
    due_on = part.day(drafted) + timedelta(days=rng.randint(10, 120))
    return _Measure(support_type, MEASURES[support_type], partner, owner, due_on, None)


def _done_at(part: Part, m: _Measure, approved: datetime):
    """When the measure was done (mostly around its due date), or None: not yet."""
    rng = part.rng
    deadline = local(m.due_on, 17)
    if deadline < part.now:
        return part.between(approved, min(deadline + timedelta(days=5), part.now)) if rng.random() < 0.85 else None  # fmt: skip
    return part.between(approved, part.now) if rng.random() < 0.35 else None


def _measure_fields(m: _Measure, plan: Local, status: str, done_at, carried_from=None) -> dict:
    return {
        "plan": plan, "support_type": m.support_type, "description": m.description,
        "responsible_organisation": m.organisation, "owner": m.owner, "due_on": m.due_on, "status": status,
        "done_on": done_at.astimezone(ALMATY).date() if done_at else None,
        "result": "Выполнено" if done_at else "", "carried_from": carried_from,
    }  # fmt: skip


def _measure_rows(part: Part, file: CaseFile, measures, plans, extra) -> None:
    """The measures of each approved version, and their timers: a version's clocks start
    at its approval; a revision's approval cancels the clocks of the one it replaces."""
    (v1, approved1), *rest = plans
    v2, approved2 = rest[0] if rest else (None, None)
    for m in measures:
        done_in_v1 = m.done_at if m.done_at and (approved2 is None or m.done_at < approved2) else None  # fmt: skip
        row = part.add(PlanMeasure, **_measure_fields(m, v1, MeasureStatus.DONE if done_in_v1 else MeasureStatus.PLANNED, done_in_v1))  # fmt: skip
        m.rows.append((v1, row, approved1, done_in_v1, approved2 if not done_in_v1 else None))
        if v2 is not None:
            done = m.done_at if m.done_at and not done_in_v1 else None
            copy = part.add(PlanMeasure, **_measure_fields(m, v2, MeasureStatus.DONE if (done_in_v1 or done) else MeasureStatus.PLANNED, done_in_v1 or done, carried_from=row))  # fmt: skip
            if not done_in_v1:
                m.rows.append((v2, copy, approved2, done, None))
    if extra is not None:
        row = part.add(PlanMeasure, **_measure_fields(extra, v2, MeasureStatus.DONE if extra.done_at else MeasureStatus.PLANNED, extra.done_at))  # fmt: skip
        extra.rows.append((v2, row, approved2, extra.done_at, None))
        measures.append(extra)


def _measures_close(part: Part, file: CaseFile, closed_at) -> None:
    """Each measure's timer from its version's approval; closing the case cancels the
    ones still running (and a done measure after closure never happened)."""
    for m in file.measures:
        for _plan, row, started, done_at, replaced_at in m.rows:
            if closed_at and done_at and done_at > closed_at:
                done_at = None
                part.rows.update(row, status=MeasureStatus.PLANNED, done_on=None, result="")
            cancelled = replaced_at or closed_at
            fate = timer_add(
                part, kind=TimerKind.PLAN_MEASURE, subject=row, subject_model="casework.PlanMeasure",
                organisation=file.organisation, started_at=started,
                due_at=part.deadlines.end_of_day(m.due_on), responsible=m.owner or file.lead,
                done_at=done_at, cancelled_at=None if done_at else cancelled,
            )  # fmt: skip
            label = f"{part.world.messages['support:' + m.support_type]}: {m.description[:60]}"
            if fate.expired_at:
                file.event(CaseEventKind.MEASURE_ESCALATED, fate.expired_at, None, note=label)
            if done_at:
                file.event(CaseEventKind.MEASURE_DONE, done_at, m.owner or file.lead, note=label)
    _contacts(part, file, closed_at)


def _contacts(part: Part, file: CaseFile, closed_at) -> None:
    rng = part.rng
    start = next((e[0] for e in file.events if e[1] == CaseEventKind.PLAN_APPROVED), None)
    if start is None:
        return
    end = closed_at or part.now
    for _ in range(rng.randint(1, 4)):
        recorded_at = part.between(start, end)
        kind = rng.choice([ContactKind.VISIT, ContactKind.CONTACT, ContactKind.SERVICE])
        occurred = part.day(recorded_at)
        part.add(CaseContact, case=file.case, kind=kind, occurred_on=occurred, participants="мать, ребёнок, специалист ЦПС", findings="Семья выполняет план; условия проживания удовлетворительные.", measure=None, recorded_by=file.lead, recorded_at=recorded_at)  # fmt: skip
        file.event(CaseEventKind.CONTACT, recorded_at, file.lead, note=f"{part.world.messages['contact:' + kind]} {occurred:%d.%m.%Y}")  # fmt: skip


def _write(part: Part, file: CaseFile) -> None:
    """The events in time order; each key event's 24-hour clock to tell guardianship."""
    rng, labels = part.rng, part.world.messages
    informed = []
    events = sorted(file.events, key=lambda e: e[0])
    status = None
    for at, kind, actor, _before, to, note in events:
        before = ""
        if to:
            if status is not None and to not in CASE_TRANSITIONS[status]:
                raise ValueError(f"case {status} -> {to} is not a case transition")
            before, status = status or "", to
        event = part.add(CaseEvent, case=file.case, at=at, kind=kind, actor=actor, from_status=before, to_status=to, note=note)  # fmt: skip
        if kind not in KEY_EVENTS:
            continue
        due = part.deadlines.guardianship_notice_due(at)
        told = at + timedelta(minutes=rng.uniform(5, 22 * 60)) if rng.random() < INFORMED_IN_TIME_SHARE else None  # fmt: skip
        if told and told > part.now:
            told = None
        fate = timer_add(
            part, kind=TimerKind.GUARDIANSHIP_NOTICE, subject=event, subject_model="casework.CaseEvent",
            organisation=file.organisation, started_at=at, due_at=due, responsible=file.lead,
            done_at=told, expiry_resolves=True,
        )  # fmt: skip
        if fate.expired_at:
            # The sweep told guardianship itself and recorded the FSC's breach.
            breach_add(part, fate, organisation=file.organisation, kind=TimerKind.GUARDIANSHIP_NOTICE, due_at=due)  # fmt: skip
            informed.append((fate.expired_at, None, labels[f"case:{kind}"]))
        elif told:
            informed.append((told, file.lead, labels[f"case:{kind}"]))
    for at, actor, what in informed:
        part.add(CaseEvent, case=file.case, at=at, kind=CaseEventKind.GUARDIANSHIP_INFORMED, actor=actor, from_status="", to_status="", note=what)  # fmt: skip
    last = max(e[0] for e in events)
    last = max([last, *(i[0] for i in informed)])
    part.rows.update(file.case, status=status, updated_at=last)
