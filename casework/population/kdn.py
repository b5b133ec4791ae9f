"""The commissions (`casework.KdnMeeting` and its agenda), made after the parts from the
files they submitted: cases with a "submitted to the KDN" event and referrals triaged to
the KDN. Meetings every three weeks for the last year and the next month: held ones with
attendance and decisions (instructions tracked by their timers), the next one published,
later ones planned, a few cancelled; files wait for the first meeting after them."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from casework.models import (
    AgendaItem,
    AgendaItemStatus,
    CaseEvent,
    CaseEventKind,
    CommissionDecision,
    DecisionKind,
    KdnMeeting,
    MeetingMember,
    MeetingStatus,
    TimerKind,
)
from referrals.models import EventKind, ReferralEvent, Status

from .part import Part
from .plan import DistrictWorld, local
from .timers import timer_add

MEETING_EVERY_DAYS = 21
WITHDRAWN_SHARE = 0.03
CANCELLED_SHARE = 0.05
DECISIONS = {
    DecisionKind.INSTRUCTION: 45,
    DecisionKind.REFER_TO_FSC: 15,
    DecisionKind.COURT_PETITION: 5,
    DecisionKind.PLACEMENT_QUESTION: 10,
    DecisionKind.DEREGISTRATION: 10,
    DecisionKind.OTHER: 15,
}
DECISION_TEXTS = {
    DecisionKind.INSTRUCTION: "Органу опеки обследовать условия жизни ребёнка и доложить комиссии.",
    DecisionKind.REFER_TO_FSC: "Направить семью в Центр поддержки семьи для сопровождения.",
    DecisionKind.COURT_PETITION: "Направить в суд ходатайство об ограничении родительских прав.",
    DecisionKind.PLACEMENT_QUESTION: "Органу опеки рассмотреть вопрос о временном устройстве ребёнка.",
    DecisionKind.DEREGISTRATION: "Снять семью с профилактического учёта.",
    DecisionKind.OTHER: "Принять информацию к сведению, повторно рассмотреть через три месяца.",
}  # fmt: skip
QUESTION = "Рассмотреть положение ребёнка и меры, принятые органом опеки."


@dataclass
class File:
    district: DistrictWorld
    submitted_at: datetime
    submitted_by: int
    organisation: int
    question: str
    case: int | None = None
    child: int | None = None
    family: int | None = None


def files_submitted(part: Part) -> list[File]:
    """What the parts put before the commissions, oldest first."""
    districts = {d.id: d for d in part.world.districts}
    files = []
    events = CaseEvent.objects.filter(
        kind=CaseEventKind.SUBMITTED_TO_KDN, case__district_id__in=list(districts)
    ).values_list(
        "case_id", "case__child_id", "case__family_id", "case__district_id", "case__organisation_id", "at", "actor_id", "note",
    )  # fmt: skip
    for case, child, family, district, organisation, at, actor, note in events.order_by("pk"):
        files.append(File(districts[district], at, actor, organisation, note or QUESTION, case, child, family))  # fmt: skip
    triaged = ReferralEvent.objects.filter(
        kind=EventKind.TRIAGED,
        to_status=Status.SENT_TO_KDN,
        referral__status=Status.SENT_TO_KDN,
        referral__child__isnull=False,
        referral__district_id__in=list(districts),
    ).values_list("referral__child_id", "referral__district_id", "at", "actor_id")
    for child, district, at, actor in triaged.order_by("pk"):
        d = districts[district]
        at = min(at + timedelta(hours=part.rng.uniform(0.5, 48)), part.now - timedelta(minutes=1))
        files.append(File(d, at, actor, d.guardianship, QUESTION, child=child))
    return sorted(files, key=lambda f: (f.submitted_at, f.case or 0, f.child or 0))


def commissions_fill(part: Part) -> None:
    files = files_submitted(part)
    for d in part.world.districts:
        _commission(part, d, [f for f in files if f.district is d])


def _meeting_days(part: Part) -> list[datetime]:
    days, day = [], part.today - timedelta(days=365)
    while day <= part.today + timedelta(days=30):
        while not part.deadlines.is_working_day(day):
            day += timedelta(days=1)
        days.append(local(day, 10))
        day += timedelta(days=MEETING_EVERY_DAYS)
    return days


def _commission(part: Part, d: DistrictWorld, files: list[File]) -> None:
    rng = part.rng
    members = [d.kdn_secretary, *d.kdn_members]
    quorum = len(members) // 2 + 1
    meetings = []
    upcoming = 0
    for held_at in _meeting_days(part):
        past = held_at + timedelta(hours=4) < part.now  # the decisions are recorded by then
        cancelled = rng.random() < CANCELLED_SHARE
        published_at = held_at - timedelta(days=rng.uniform(3, 7))
        if past:
            status = MeetingStatus.CANCELLED if cancelled else MeetingStatus.HELD
        else:
            upcoming += 1
            status = MeetingStatus.PUBLISHED if upcoming == 1 and published_at <= part.now else MeetingStatus.PLANNED  # fmt: skip
        review_until = part.deadlines.review_until(held_at)
        if status == MeetingStatus.CANCELLED:
            review_until = held_at - timedelta(days=rng.uniform(1, 3))
        elif status == MeetingStatus.PLANNED:
            published_at, review_until = None, None
        meeting = part.add(
            KdnMeeting,
            commission=d.kdn,
            held_at=held_at,
            place=f"Акимат, зал заседаний ({d.name_ru})",
            quorum=quorum,
            status=status,
            published_at=published_at if status != MeetingStatus.CANCELLED else None,
            review_until=review_until,
            created_by=d.kdn_secretary,
        )
        present = set()
        if status == MeetingStatus.HELD:
            present = set(rng.sample(members, rng.randint(quorum, len(members))))
        for user in members:
            part.add(MeetingMember, meeting=meeting, user=user, present=(user in present) if status == MeetingStatus.HELD else None)  # fmt: skip
        meetings.append((meeting, held_at, status, len(present)))
    positions: dict[int, int] = {}
    waiting: set[tuple] = set()
    for f in files:
        key = (f.case, f.child, f.family)
        if key in waiting:
            continue  # `agenda_item_submit` refuses a file already waiting
        target = next(
            (m for m in meetings if m[2] != MeetingStatus.CANCELLED and m[1] >= f.submitted_at + timedelta(days=2)),
            None,
        )  # fmt: skip
        withdrawn = rng.random() < WITHDRAWN_SHARE
        status = AgendaItemStatus.WITHDRAWN if withdrawn else AgendaItemStatus.SUBMITTED
        meeting = position = None
        if target is not None and not withdrawn:
            meeting, held_at, meeting_status, present = target
            positions[meeting.number] = position = positions.get(meeting.number, 0) + 1
            status = AgendaItemStatus.DECIDED if meeting_status == MeetingStatus.HELD else AgendaItemStatus.SCHEDULED  # fmt: skip
        if status in {AgendaItemStatus.SUBMITTED, AgendaItemStatus.SCHEDULED}:
            waiting.add(key)
        item = part.add(
            AgendaItem,
            commission=d.kdn,
            meeting=meeting,
            position=position,
            status=status,
            child=f.child,
            family=f.family,
            case=f.case,
            question=f.question,
            submitted_by=f.submitted_by,
            submitting_organisation=f.organisation,
            submitted_at=f.submitted_at,
        )
        if status == AgendaItemStatus.DECIDED:
            _decision(part, d, item, held_at, present)


def _decision(part: Part, d: DistrictWorld, item, held_at: datetime, present: int) -> None:
    rng = part.rng
    kind = rng.choices(list(DECISIONS), weights=list(DECISIONS.values()))[0]
    recorded_at = held_at + timedelta(minutes=rng.uniform(20, 180))
    votes_for = rng.randint(present // 2 + 1, present)
    against = rng.randint(0, present - votes_for)
    owner_organisation = owner = deadline = due = None
    if kind == DecisionKind.INSTRUCTION:
        at_fsc = d.fsc is not None and rng.random() < 0.4
        owner_organisation = d.fsc if at_fsc else d.guardianship
        staff = d.fsc_staff if at_fsc else d.specialists
        owner = rng.choice(staff) if rng.random() < 0.7 else None
        deadline = part.day(held_at) + timedelta(days=rng.randint(14, 45))
        due = part.deadlines.end_of_day(deadline)
    executed_at = None
    if due is not None:
        if due < part.now:
            executed_at = part.between(recorded_at, due) if rng.random() < 0.8 else None
        elif rng.random() < 0.4:
            executed_at = part.between(recorded_at, part.now)
    decision = part.add(
        CommissionDecision,
        item=item,
        kind=kind,
        text=DECISION_TEXTS[kind],
        votes_for=votes_for,
        votes_against=against,
        votes_abstained=present - votes_for - against,
        owner_organisation=owner_organisation,
        owner=owner,
        deadline=deadline,
        due_at=due,
        executed_at=executed_at,
        execution_note="Обследование проведено, акт направлен в комиссию." if executed_at else "",
        recorded_by=d.kdn_secretary,
        recorded_at=recorded_at,
    )
    if due is not None:
        timer_add(
            part, kind=TimerKind.KDN_DECISION, subject=decision,
            subject_model="casework.CommissionDecision", organisation=owner_organisation,
            started_at=recorded_at, due_at=due, responsible=owner, done_at=executed_at,
        )  # fmt: skip
