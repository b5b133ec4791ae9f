"""Referrals in every state (`referrals` app), each with the timeline
`referrals.services` writes: one event per step, the transfer and pickup timers, the
sweep's reminders, breaches and automatic forwarding, the notifications."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from casework.models import TimerKind
from casework.working_days import ALMATY
from referrals.models import (
    TRANSITIONS,
    Channel,
    ConcernCategory,
    EventKind,
    Referral,
    ReferralEvent,
    ReferralKind,
    Status,
)

from . import cases, people
from .households import Household, Kid
from .notifications import notify
from .part import Part
from .plan import DistrictWorld, local
from .situations import police_registration_add
from .timers import breach_add, timer_add

REFERRALS_PER_CHILD = 0.01
NOTICE_SHARE = 0.4
CHILD_LINKED_SHARE = 0.9
# Where referrals are now, of all ever received (the open ones are the recent few).
CONCERN_STATES = {
    Status.RECEIVED: 5, Status.NO_ACTION: 14, Status.CASEWORK: 12, Status.SENT_TO_KDN: 6,
    Status.TRANSFERRED: 5, Status.PICKED_UP: 4, Status.IN_WORK: 14, Status.CLOSED: 34,
    Status.RETURNED: 6,
}  # fmt: skip
NOTICE_STATES = {
    Status.REGISTERED: 6, Status.TRANSFERRED: 6, Status.PICKED_UP: 5, Status.IN_WORK: 18,
    Status.CLOSED: 58, Status.RETURNED: 7,
}  # fmt: skip
# Without a Family Support Center in the district a referral stays with guardianship.
NO_FSC_CONCERN_STATES = {Status.RECEIVED: 8, Status.NO_ACTION: 40, Status.CASEWORK: 40, Status.SENT_TO_KDN: 12}  # fmt: skip
TRIAGED = {Status.NO_ACTION, Status.CASEWORK, Status.SENT_TO_KDN}
TRANSFERRED_IN_TIME_SHARE = 0.8
RETURNED_AFTER_PICKUP_SHARE = 0.3
TRIAGED_AFTER_RETURN_SHARE = 0.12
SOURCES = {"school": 45, "preschool": 10, "clinic": 15, "ngo": 5, "citizen": 25}
NARRATIVES = {
    ConcernCategory.SCHOOL_ABSENCE: "Ребёнок не посещает занятия более двух недель, родители на связь не выходят.",
    ConcernCategory.NEGLECT: "Ребёнок приходит голодным, в неопрятной одежде; дома нет присмотра.",
    ConcernCategory.VIOLENCE: "На теле ребёнка замечены синяки; ребёнок боится идти домой.",
    ConcernCategory.CRUEL_TREATMENT: "Со слов ребёнка, его наказывают, запирая одного в квартире.",
    ConcernCategory.BULLYING: "Ребёнка систематически травят одноклассники, в том числе в сети.",
    ConcernCategory.WITNESS: "Ребёнок стал свидетелем семейного конфликта с вызовом полиции.",
    ConcernCategory.DISABILITY_WITHOUT_SERVICES: "Ребёнок с инвалидностью не получает положенных услуг.",
    ConcernCategory.HOMELESSNESS: "Семья осталась без жилья, живёт у знакомых.",
    ConcernCategory.OTHER: "Соседи сообщают о постоянных ссорах и криках в квартире.",
}  # fmt: skip
NOTICE_NARRATIVE = "Семья поставлена на профилактический учёт в органах внутренних дел (синтетические данные)."  # fmt: skip
NO_ACTION_REASONS = [
    "Ситуация разрешена в школе, угрозы ребёнку нет.",
    "Сведения не подтвердились при посещении семьи.",
    "Семья уже получает помощь по месту жительства.",
]
RETURN_REASONS = cases.RETURN_REASONS
CLOSE_NOTE = "Семья вышла из трудной жизненной ситуации."


@dataclass
class Timeline:
    """The referral's events in the making, and where it stands."""

    part: Part
    referral: object
    status: str
    events: list[tuple] = field(default_factory=list)
    last: datetime | None = None

    def add(self, kind: str, at: datetime, actor, *, to: str = "", note: str = "") -> None:
        """An event; with `to`, a move the transition map allows."""
        before = ""
        if to and kind != EventKind.CREATED:
            if to not in TRANSITIONS[self.status]:
                raise ValueError(f"{self.status} -> {to} is not a referral transition")
            before, self.status = self.status, to
        self.events.append((at, kind, actor, before, to, note))
        self.last = at if self.last is None else max(self.last, at)

    def write(self) -> None:
        for at, kind, actor, before, to, note in sorted(self.events, key=lambda e: e[0]):
            self.part.add(ReferralEvent, referral=self.referral, at=at, kind=kind, actor=actor, from_status=before, to_status=to, note=note)  # fmt: skip


def referrals_fill(part: Part, homes: list[Household]) -> None:
    """About one referral per hundred children, about children of this part; the first
    ones go through every state (so even a small part has each), the rest at random."""
    candidates = [(home, kid) for home in homes for kid in home.kids if not home.without_care]
    with_fsc = [(home, kid) for home, kid in candidates if home.district.fsc]
    if not candidates:
        return
    count = round(sum(len(home.kids) for home in homes) * REFERRALS_PER_CHILD)
    every_state = [(True, state) for state in NOTICE_STATES] + [(False, state) for state in CONCERN_STATES]  # fmt: skip
    for number in range(max(count, len(every_state) if with_fsc else 0)):
        if number < len(every_state) and with_fsc:
            notice, target = every_state[number]
            home, kid = part.rng.choice(with_fsc)
            # In work means planning or support at the FSC: one of each.
            stage = (cases.SUPPORT if notice else cases.PLANNING) if target == Status.IN_WORK else None  # fmt: skip
            referral_add(part, home, kid, notice=notice, target=target, stage=stage)
        else:
            home, kid = part.rng.choice(candidates)
            referral_add(part, home, kid)


def referral_add(part: Part, home: Household, kid: Kid, *, notice=None, target=None, stage=None) -> None:  # fmt: skip
    rng, d = part.rng, home.district
    if notice is None:
        notice = rng.random() < NOTICE_SHARE
        if notice:
            states = NOTICE_STATES if d.fsc else {Status.REGISTERED: 1}
        else:
            states = CONCERN_STATES if d.fsc else NO_FSC_CONCERN_STATES
        target = rng.choices(list(states), weights=list(states.values()))[0]
    if notice:
        _notice(part, home, kid, target, stage)
    else:
        _concern(part, home, kid, target, stage)


def _received_at(part: Part, target: str) -> datetime:
    if target in {Status.RECEIVED, Status.TRANSFERRED, Status.PICKED_UP}:
        return part.ago(0.02, 10)
    if target == Status.IN_WORK:
        return part.ago(10, 180)
    return part.ago(3, 365)


def _subject(part: Part, home: Household, kid: Kid, received: datetime) -> dict:
    # Linked to the child's file when the file was there already.
    linked = kid.opened_at < received and part.chance(CHILD_LINKED_SHARE)
    return {
        "child_name": kid.name,
        "child_birth_date": kid.born if part.chance(0.7) else None,
        "child_age": kid.age(part.today),
        "family_name": home.surname.family,
        "address": f"{home.address['street']}, {home.address['house']}",
        "child": kid.child if linked else None,
    }


def _base(part: Part, d: DistrictWorld, **fields) -> dict:
    base = {
        "archived_at": None, "archived_by": None, "archive_reason": "", "external_reference": "",
        "source_person": "", "threat_to_life": False, "categories": [], "registered_at": None,
        "police_unit": "", "inspector": "", "ground": "", "registration_number": "", "transfer_due_at": None,
        "fsc": None, "transferred_at": None, "transferred_automatically": False, "assigned_to": None,
        "picked_up_at": None, "district": d.id,
    }  # fmt: skip
    base.update(fields)
    return base


def _concern(part: Part, home: Household, kid: Kid, target: str, stage: str | None) -> None:
    rng, d = part.rng, home.district
    source = rng.choices(list(SOURCES), weights=list(SOURCES.values()))[0]
    specialist = rng.choice(d.specialists)
    if source == "citizen":
        organisation, by, channel = None, specialist, Channel.PHONE
        person = f"{rng.choice(people.WOMEN)}, соседка, тел. {people.phone(rng)}"
    else:
        organisation = rng.choice(getattr(d, source + "s"))
        by, channel, person = d.referrers[organisation], Channel.WEB, ""
    categories = rng.sample(list(NARRATIVES), rng.choice((1, 1, 2)))
    received = _received_at(part, target)
    referral = part.add(
        Referral,
        **_base(part, d),
        kind=ReferralKind.CONCERN,
        status=Status.RECEIVED,
        channel=channel,
        source_organisation=organisation,
        created_by=by,
        received_at=received,
        narrative=" ".join(NARRATIVES[c] for c in categories),
        updated_at=received,
        **_subject(part, home, kid, received),
    )
    part.rows.update(referral, source_person=person, categories=categories, threat_to_life=part.chance(0.08))  # fmt: skip
    line = Timeline(part, referral, Status.RECEIVED)
    line.add(EventKind.CREATED, received, by, to=Status.RECEIVED)
    _link(part, line, referral, received, specialist)
    if target == Status.RECEIVED:
        return _finish(part, line, referral)
    if target in TRIAGED and (not d.fsc or not part.chance(TRIAGED_AFTER_RETURN_SHARE)):
        at = _soon(part, received, 1, 5 * 24)
        _triage(part, line, target, at, specialist)
        return _finish(part, line, referral)
    transferred_at = _soon(part, received, 1, 4 * 24)
    line.add(EventKind.TRANSFERRED, transferred_at, specialist, to=Status.TRANSFERRED)
    _at_the_fsc(part, home, kid, line, referral, target, transferred_at, stage)


def _notice(part: Part, home: Household, kid: Kid, target: str, stage: str | None) -> None:
    rng, d = part.rng, home.district
    api = rng.random() < 0.85
    specialist = rng.choice(d.specialists)
    by = d.police_account if api else specialist
    if target == Status.REGISTERED:
        # Still waiting for its transfer: registered recently, its deadline ahead.
        registered = part.between(*registration_window(part))
    else:
        registered = _received_at(part, target) - timedelta(hours=rng.uniform(0.1, 6))
    received = min(registered + timedelta(minutes=rng.uniform(2, 180)), part.now - timedelta(minutes=1))  # fmt: skip
    due = part.deadlines.transfer_due(registered)
    number = f"{d.code}/{part.kind[0].upper()}{part.index:03d}-{part.next_number('notice'):06d}"
    referral = part.add(
        Referral,
        **_base(part, d),
        kind=ReferralKind.POLICE_NOTICE,
        status=Status.REGISTERED,
        channel=Channel.API if api else Channel.PHONE,
        source_organisation=d.police,
        created_by=by,
        received_at=received,
        narrative=NOTICE_NARRATIVE,
        updated_at=received,
        **_subject(part, home, kid, received),
    )
    part.rows.update(
        referral, registered_at=registered, police_unit=d.police_name,
        inspector=f"ст. лейтенант полиции {people.family_name(rng).male} {rng.choice(people.MEN)[0]}.",
        ground="Профилактический учёт: ненадлежащее исполнение родительских обязанностей",
        registration_number=number, transfer_due_at=due,
        external_reference=f"POP-{number}" if api else "", threat_to_life=part.chance(0.05),
    )  # fmt: skip
    if rng.random() < 0.5:
        police_registration_add(part, home, registered_on=part.day(registered), referral=referral)
    line = Timeline(part, referral, Status.REGISTERED)
    line.add(EventKind.CREATED, received, by, to=Status.REGISTERED)
    _link(part, line, referral, received, specialist)
    transferred_at = None
    # A deadline still ahead means guardianship transferred it itself (or will).
    if target != Status.REGISTERED and (due > part.now or rng.random() < TRANSFERRED_IN_TIME_SHARE):
        earliest, latest = (
            received + timedelta(minutes=1),
            min(due, part.now) - timedelta(minutes=1),
        )
        transferred_at = (
            part.between(earliest, latest) if latest > earliest else min(earliest, part.now)
        )
    fate = timer_add(
        part, kind=TimerKind.REFERRAL_TRANSFER, subject=referral, subject_model="referrals.Referral",
        organisation=d.guardianship, started_at=received, due_at=due,
        remind_at=part.deadlines.transfer_remind(due),
        responsible=None if api else specialist, done_at=transferred_at, expiry_resolves=True,
    )  # fmt: skip
    if fate.reminded_at:
        line.add(EventKind.REMINDED, fate.reminded_at, None)
        heads = [d.head] + ([] if api else [specialist])
        notify(part, heads, message=part.world.messages["remind"], about=referral, link="/referrals/%(id)s/", at=fate.reminded_at, due=f"{due.astimezone(ALMATY):%d.%m.%Y %H:%M}")  # fmt: skip
    if fate.expired_at:
        # The sweep at the deadline: a breach, and the notice forwarded by Qamqor itself.
        breach_add(part, fate, organisation=d.guardianship, kind=TimerKind.REFERRAL_TRANSFER, due_at=due)  # fmt: skip
        line.add(EventKind.BREACHED, fate.expired_at, None, note=_organisation_name(d))
        if d.fsc:
            transferred_at = fate.expired_at
            line.add(EventKind.AUTO_TRANSFERRED, transferred_at, None, to=Status.TRANSFERRED)
            part.rows.update(referral, transferred_automatically=True)
            notify(part, [d.head], message=part.world.messages["breach"], about=referral, link="/referrals/%(id)s/", at=transferred_at)  # fmt: skip
    elif transferred_at:
        line.add(EventKind.TRANSFERRED, transferred_at, specialist, to=Status.TRANSFERRED)
    if transferred_at is None:
        return _finish(part, line, referral)
    _at_the_fsc(part, home, kid, line, referral, target, transferred_at, stage)


def _organisation_name(d: DistrictWorld) -> str:
    return f"Отдел опеки и попечительства ({d.name_ru})"


def registration_window(part: Part, *, before_reminder: bool = False) -> tuple[datetime, datetime]:  # fmt: skip
    """Registration moments whose transfer deadline (and, if asked, its reminder) is still
    ahead: from the start of the earliest such day until a few minutes ago. The deadline
    depends only on the day of registration."""
    key = f"_window_{before_reminder}"
    if hasattr(part, key):
        return getattr(part, key)

    def waiting(day) -> bool:
        due = part.deadlines.transfer_due(local(day, 12))
        if before_reminder:
            return part.deadlines.transfer_remind(due) > part.now
        return due > part.now

    day = part.today
    while waiting(day - timedelta(days=1)):
        day -= timedelta(days=1)
    window = (local(day, 0), part.now - timedelta(minutes=5))
    setattr(part, key, window)
    return window


def _link(part: Part, line: Timeline, referral, received: datetime, specialist: int) -> None:
    if part.rows.get(referral)["child"] is not None:
        at = min(received + timedelta(minutes=part.rng.uniform(5, 360)), part.now)
        line.add(EventKind.CHILD_LINKED, at, specialist, note=part.rows.get(referral)["child_name"])


def _soon(part: Part, start: datetime, low_hours: float, high_hours: float) -> datetime:
    """A moment a few hours or days after `start`, never in the future."""
    at = start + timedelta(hours=part.rng.uniform(low_hours, high_hours))
    return min(at, start + (part.now - start) * 0.9) if at >= part.now else at


def _triage(part: Part, line: Timeline, decision: str, at: datetime, by: int) -> None:
    reason = part.rng.choice(NO_ACTION_REASONS) if decision == Status.NO_ACTION else ""
    line.add(EventKind.TRIAGED, at, by, to=decision, note=reason)


def _at_the_fsc(part: Part, home: Household, kid: Kid, line: Timeline, referral, target: str, transferred_at: datetime, stage: str | None) -> None:  # fmt: skip
    """From the FSC's inbox on: pickup (or return), the case, the closure."""
    rng, d = part.rng, home.district
    part.rows.update(referral, fsc=d.fsc, transferred_at=transferred_at)
    notify(part, d.fsc_team(), message=part.world.messages["inbox"], about=referral, link="/referrals/%(id)s/", at=transferred_at)  # fmt: skip
    due = part.deadlines.pickup_due(transferred_at)
    picker = rng.choice(d.fsc_staff)
    picked_up_at = None
    returned_early = target in TRIAGED or (target == Status.RETURNED and rng.random() > RETURNED_AFTER_PICKUP_SHARE)  # fmt: skip
    end = None
    if target != Status.TRANSFERRED:
        end = _soon(part, transferred_at, 0.3, 30)
        if not returned_early:
            picked_up_at = end
    fate = timer_add(
        part, kind=TimerKind.REFERRAL_PICKUP, subject=referral, subject_model="referrals.Referral",
        organisation=d.fsc, started_at=transferred_at, due_at=due, done_at=end,
    )  # fmt: skip
    if fate.expired_at:
        line.add(EventKind.ESCALATED, fate.expired_at, None)
    if returned_early:
        _return(part, line, referral, end, picker, home, part.rng.choice(RETURN_REASONS))
        if target in TRIAGED:
            _triage(part, line, target, _soon(part, end, 1, 48), rng.choice(d.specialists))
        return _finish(part, line, referral)
    if picked_up_at is None:
        return _finish(part, line, referral)
    line.add(EventKind.PICKED_UP, picked_up_at, picker, to=Status.PICKED_UP)
    part.rows.update(referral, assigned_to=picker, picked_up_at=picked_up_at)
    stage = (
        stage
        or {
            Status.PICKED_UP: cases.ASSESSMENT,
            Status.IN_WORK: rng.choice((cases.PLANNING, cases.SUPPORT, cases.SUPPORT)),
            Status.CLOSED: cases.CLOSED,
            Status.RETURNED: cases.RETURNED,
        }[target]
    )
    urgent = part.rows.get(referral)["threat_to_life"]
    work = cases.case_for_referral(
        part, home=home, kid=kid, referral=referral, lead=picker, opened_at=picked_up_at,
        urgent=urgent, stage=stage, child=part.rows.get(referral)["child"],
    )  # fmt: skip
    if work.assessed_at:
        line.add(EventKind.WORK_STARTED, work.assessed_at, picker, to=Status.IN_WORK)
    if target == Status.RETURNED:
        _return(part, line, referral, work.closed_at, picker, home, work.outcome)
    elif work.closed_at:
        if line.status == Status.PICKED_UP:
            line.add(EventKind.WORK_STARTED, work.closed_at, picker, to=Status.IN_WORK)
        line.add(EventKind.CLOSED, work.closed_at, picker, to=Status.CLOSED, note=work.outcome)
    _finish(part, line, referral)


def _return(part: Part, line: Timeline, referral, at: datetime, by: int, home: Household, reason: str) -> None:  # fmt: skip
    line.add(EventKind.RETURNED, at, by, to=Status.RETURNED, note=reason)
    part.rows.update(referral, fsc=None, assigned_to=None)
    d = home.district
    notify(part, d.guardianship_staff(), message=part.world.messages["returned"], about=referral, link="/referrals/%(id)s/", at=at)  # fmt: skip


def _finish(part: Part, line: Timeline, referral) -> None:
    part.rows.update(referral, status=line.status, updated_at=line.last)
    line.write()
