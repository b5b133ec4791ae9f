"""The children's registry beyond the people (`children` app): status categories,
children left without parental care with their data-bank registration, placements,
carers with their annual checks and inspections, removals, disabilities. Each with the
timers `children.services` start and the state the sweep leaves them in."""

from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta

from casework.models import TimerKind
from casework.working_days import ALMATY
from children.models import (
    Carer,
    CarerKind,
    ChildStatus,
    Disability,
    Inspection,
    Placement,
    PlacementEndReason,
    PlacementForm,
    ReliabilityCheck,
    Removal,
    StatusCategory,
)
from children.services.carers import CHECK_MONTHS
from children.services.placements import COURT_CLAIM_DAYS

from . import people
from .households import Household, Kid, adult_add
from .part import Part
from .plan import DistrictWorld, local
from .rows import Local
from .timers import timer_add

DISABILITY_SHARE = 0.0085  # about 58,000 of 6.9 million children
# Forms of care of children without parental care (shares of the children).
FORMS = {
    "guardianship": 52,  # guardianship under 14, trusteeship from 14
    PlacementForm.FOSTER_FAMILY: 10,
    PlacementForm.PATRONAGE: 5,
    PlacementForm.PROFESSIONAL_FOSTER: 4,
    PlacementForm.ORGANISATION: 13,
    PlacementForm.BABY_HOME: 2,
    PlacementForm.HEALTH_FACILITY: 1,
    PlacementForm.ADOPTION: 6,
}
NOT_YET_PLACED_SHARE = 0.04  # identified in the last days, not placed yet
CARER_KIND = {
    PlacementForm.GUARDIANSHIP: CarerKind.GUARDIAN,
    PlacementForm.TRUSTEESHIP: CarerKind.GUARDIAN,
    PlacementForm.FOSTER_FAMILY: CarerKind.FOSTER,
    PlacementForm.PATRONAGE: CarerKind.PATRONAGE,
    PlacementForm.PROFESSIONAL_FOSTER: CarerKind.PROFESSIONAL_FOSTER,
    # Adoptive parents are recorded like guardians: a carer record the placement names.
    PlacementForm.ADOPTION: CarerKind.GUARDIAN,
    PlacementForm.GUEST_FAMILY: CarerKind.GUEST_FAMILY,
    PlacementForm.MENTOR: CarerKind.MENTOR,
}
INSTITUTION_FORMS = {PlacementForm.ORGANISATION, PlacementForm.BABY_HOME, PlacementForm.HEALTH_FACILITY}  # fmt: skip
SECONDARY_ORPHANHOOD_SHARE = 0.15  # of children now in organisations
ADDITION_SHARE = 0.12  # children in organisations with a guest family or mentor
ADOPTED = "Усыновлён(а)"
DISABILITY_GROUPS = ["I группа", "II группа", "III группа"]
REHABILITATION = [
    "ИПР: медицинская и социальная реабилитация, ЛФК",
    "ИПР: логопед, дефектолог, психолог",
    "ИПР: санаторно-курортное лечение, технические средства",
]
SERVICES = ["Логопед, ЛФК", "Специальные социальные услуги на дому", "Дневной стационар", "Массаж, бассейн"]  # fmt: skip


def registry_fill(part: Part, home: Household) -> None:
    if home.without_care:
        _without_care(part, home)
    for kid in home.kids:
        if part.chance(DISABILITY_SHARE):
            _disability(part, home, kid)


def status_add(part: Part, kid: Kid, category: str, started_on: date, ended_on=None) -> None:
    """`child_status_add`: at most one open status of a category."""
    if category in kid.open_statuses:
        return
    if ended_on is None:
        kid.open_statuses.add(category)
    part.add(ChildStatus, child=kid.child, category=category, started_on=started_on, ended_on=ended_on)  # fmt: skip


# --- children left without parental care ------------------------------------------------


def _without_care(part: Part, home: Household) -> None:
    rng = part.rng
    d = home.district
    youngest = max(kid.born for kid in home.kids)
    recent = part.chance(NOT_YET_PLACED_SHARE)
    if recent:
        identified_at = part.ago(0.05, 8)
    else:
        earliest = max(local(youngest, 12) + timedelta(days=30), part.now - timedelta(days=9 * 365))
        identified_at = part.between(earliest, part.now - timedelta(days=15))
    identified_at = max(identified_at, max(kid.opened_at for kid in home.kids))
    orphans = part.chance(0.3)
    form = None if recent else rng.choices(list(FORMS), weights=list(FORMS.values()))[0]
    identified_on = identified_at.astimezone(ALMATY).date()
    start = min(identified_on + timedelta(days=rng.randint(1, 40)), part.today)
    carer = None
    if form is not None and form not in INSTITUTION_FORMS:
        kind = CARER_KIND.get(form, CarerKind.GUARDIAN)
        relative = home.surname if kind == CarerKind.GUARDIAN and rng.random() < 0.6 else None
        carer = carer_add(part, d, kind=kind, approved_on=start - timedelta(days=rng.randint(5, 60)), surname=relative)  # fmt: skip
    removal = recent or (form in INSTITUTION_FORMS and identified_at > part.now - timedelta(days=730) and part.chance(0.3))  # fmt: skip
    for kid in home.kids:
        kid_form = form
        if form == "guardianship":
            kid_form = (
                PlacementForm.TRUSTEESHIP if kid.age(start) >= 14 else PlacementForm.GUARDIANSHIP
            )
        if kid_form == PlacementForm.BABY_HOME and kid.age(start) >= 4:
            kid_form = PlacementForm.ORGANISATION
        adopted = kid_form == PlacementForm.ADOPTION
        # An adopted child has a family for good: the statuses end with the adoption.
        _identify(part, home, kid, identified_at, orphans, ended_on=start if adopted else None)
        if removal:
            _removal(part, home, kid, identified_at)
        if kid_form is None:
            continue
        _place(part, home, kid, kid_form, start, carer)
        if adopted:
            part.rows.update(
                kid.child, closed_at=min(local(start, 15), part.now), closed_reason=ADOPTED
            )
        if kid_form in INSTITUTION_FORMS and part.chance(ADDITION_SHARE):
            addition = rng.choice([PlacementForm.GUEST_FAMILY, PlacementForm.MENTOR])
            since = min(start + timedelta(days=rng.randint(30, 400)), part.today)
            mentor = carer_add(part, d, kind=CARER_KIND[addition], approved_on=since - timedelta(days=20), surname=None)  # fmt: skip
            part.add(Placement, child=kid.child, form=addition, is_addition=True, carer=mentor, organisation=None, started_on=since, ended_on=None, end_reason="", secondary_orphanhood=False)  # fmt: skip


def _identify(part: Part, home: Household, kid: Kid, identified_at: datetime, orphan: bool, *, ended_on) -> None:  # fmt: skip
    """`child_identify_without_care` and, mostly, `child_databank_register`."""
    d = home.district
    due = part.deadlines.databank_due(identified_at)
    registered_at = identified_at + timedelta(hours=part.rng.uniform(1, 30))
    if registered_at > part.now or part.chance(0.03):
        registered_at = None
    identified_on = identified_at.astimezone(ALMATY).date()
    part.rows.update(
        kid.child,
        identified_without_care_at=identified_at,
        databank_due_at=due,
        databank_registered_on=registered_at.astimezone(ALMATY).date() if registered_at else None,
        databank_number=f"РБД-{d.code}-{part.index:02d}{kid.child.number:06d}" if registered_at else "",
    )  # fmt: skip
    timer_add(
        part, kind=TimerKind.DATABANK_REGISTRATION, subject=kid.child, subject_model="children.Child",
        organisation=d.guardianship, started_at=identified_at, due_at=due, responsible=home.specialist,
        done_at=registered_at,
    )  # fmt: skip
    status_add(part, kid, StatusCategory.WITHOUT_CARE, identified_on, ended_on)
    if orphan:
        status_add(part, kid, StatusCategory.ORPHAN, identified_on, ended_on)
    elif part.chance(0.4):
        status_add(part, kid, StatusCategory.SOCIAL_ORPHAN, identified_on, ended_on)


def _place(part: Part, home: Household, kid: Kid, form: str, start: date, carer: Local | None) -> None:  # fmt: skip
    d = home.district
    if form in INSTITUTION_FORMS and part.chance(SECONDARY_ORPHANHOOD_SHARE) and start < part.today - timedelta(days=200):  # fmt: skip
        # A family placement that broke down: the child went back to an organisation.
        ended = min(
            start + timedelta(days=part.rng.randint(120, 700)), part.today - timedelta(days=3)
        )
        foster = carer_add(part, d, kind=CarerKind.FOSTER, approved_on=start - timedelta(days=20), surname=None)  # fmt: skip
        part.add(Placement, child=kid.child, form=PlacementForm.FOSTER_FAMILY, is_addition=False, carer=foster, organisation=None, started_on=start, ended_on=ended, end_reason=PlacementEndReason.RETURNED_TO_ORGANISATION, secondary_orphanhood=True)  # fmt: skip
        start = ended
    organisation = d.institution if form in INSTITUTION_FORMS else None
    part.add(Placement, child=kid.child, form=form, is_addition=False, carer=None if organisation else carer, organisation=organisation, started_on=start, ended_on=None, end_reason="", secondary_orphanhood=False)  # fmt: skip


def _removal(part: Part, home: Household, kid: Kid, removed_at: datetime) -> None:
    """`removal_record`: the protocol, and the court claim due in seven days."""
    d = home.district
    due = removed_at + timedelta(days=COURT_CLAIM_DAYS)
    filed = None
    if part.chance(0.92):
        filed = removed_at + timedelta(days=part.rng.uniform(1, 6.5))
        if filed > part.now:
            filed = None
    removal = part.add(
        Removal,
        child=kid.child,
        removed_at=removed_at,
        reason="Угроза жизни и здоровью ребёнка: родители не осуществляют уход (синтетические данные).",
        accompanied_by="Специалист органа опеки, инспектор ПДН",
        explained_to_child=True,
        psychologist_present=part.chance(0.8),
        psychologist_absence_reason="",
        taken_to=f"Центр поддержки детей ({d.name_ru})",
        prosecutor_notified_at=removed_at + timedelta(hours=part.rng.uniform(0.5, 12)),
        court_claim_due_at=due,
        court_claim_filed_on=filed.astimezone(ALMATY).date() if filed else None,
        recorded_by=home.specialist,
    )
    if not part.rows.get(removal)["psychologist_present"]:
        part.rows.update(removal, psychologist_absence_reason="Психолог был на другом выезде")
    timer_add(
        part, kind=TimerKind.COURT_CLAIM, subject=removal, subject_model="children.Removal",
        organisation=d.guardianship, started_at=removed_at, due_at=due,
        remind_at=due - timedelta(days=2), responsible=home.specialist, done_at=filed,
    )  # fmt: skip


# --- carers ---------------------------------------------------------------------------


def carer_add(part: Part, d: DistrictWorld, *, kind: str, approved_on: date, surname) -> Local:
    """`carer_register`, then every annual reliability check and inspection since."""
    rng = part.rng
    female = rng.random() < 0.8
    surname = surname or people.family_name(rng)
    born = approved_on - timedelta(days=rng.uniform(28, 60) * 365.25)
    address = {"locality": d.locality, "street": rng.choice(people.STREETS), "house": str(rng.randrange(1, 220)), "flat": ""}  # fmt: skip
    specialist = rng.choice(d.specialists)
    approved_at = local(approved_on, 11)
    person = adult_add(
        part, d, first=rng.choice(people.WOMEN if female else people.MEN),
        last=surname.female if female else surname.male,
        middle=people.patronymic(rng.choice(people.MEN), female, surname.kazakh_patronymics),
        sex="F" if female else "M", born=born, address=address, created_by=specialist,
        created_at=min(approved_at, part.now),
    )  # fmt: skip
    carer = part.add(
        Carer,
        person=person,
        kind=kind,
        district=d.id,
        approved_on=approved_on,
        check_due_on=None,
        inspection_due_on=None,
        suspended_at=None,
        archived_at=None,
        archived_by=None,
        archive_reason="",
    )
    check_due = _cycles(part, d, carer, specialist, approved_on, TimerKind.CARER_CHECK)
    inspection_due = _cycles(part, d, carer, specialist, approved_on, TimerKind.CARER_INSPECTION)
    part.rows.update(carer, check_due_on=check_due, inspection_due_on=inspection_due)
    return carer


def _cycles(part: Part, d: DistrictWorld, carer: Local, specialist: int, approved_on: date, kind: str) -> date:  # fmt: skip
    """Each year's check (or inspection) done a little before or after its due date, and
    the timer of the next one running. Returns the current due date."""
    rng = part.rng
    last_on, last_at = approved_on, local(approved_on, 11)
    while True:
        due_on = last_on + relativedelta(months=CHECK_MONTHS)
        due = part.deadlines.registry_end_of_day(due_on)
        done_on = due_on + timedelta(days=rng.randint(-25, 6))
        done_at = local(done_on, rng.randint(9, 17))
        if done_at > part.now - timedelta(days=1):
            done_at = None  # not done yet: this is the running timer
        timer_add(
            part, kind=kind, subject=carer, subject_model="children.Carer",
            organisation=d.guardianship, started_at=min(last_at, part.now), due_at=due,
            remind_at=due - relativedelta(days=14), done_at=done_at,
        )  # fmt: skip
        if done_at is None:
            return due_on
        if kind == TimerKind.CARER_CHECK:
            part.add(ReliabilityCheck, carer=carer, checked_on=done_on, income_ok=True, health_ok=True, housing_ok=True, no_criminal_record=True, notes="", checked_by=specialist)  # fmt: skip
        else:
            ok = rng.random() < 0.97
            findings = "Условия проживания удовлетворительные." if ok else "Требуется ремонт жилья; повторный визит через месяц."  # fmt: skip
            part.add(Inspection, carer=carer, inspected_on=done_on, conditions_ok=ok, findings=findings, inspected_by=specialist)  # fmt: skip
        last_on, last_at = done_on, done_at


# --- disabilities ----------------------------------------------------------------------


def _disability(part: Part, home: Household, kid: Kid) -> None:
    """`disability_add` for the first conclusion and each re-examination since; the
    re-examination timer of the current one runs."""
    rng = part.rng
    earliest = kid.born + timedelta(days=60)
    if earliest >= part.today - timedelta(days=10):
        return
    established = earliest + timedelta(days=rng.randint(0, (part.today - timedelta(days=10) - earliest).days))  # fmt: skip
    status_add(part, kid, StatusCategory.DISABILITY, established)
    lifelong = rng.random() < 0.3
    served = rng.random() < 0.65
    while True:
        valid_until = None if lifelong else established + timedelta(days=rng.randint(365, 3 * 365))
        age = (established - kid.born).days // 365
        disability = part.add(
            Disability,
            child=kid.child,
            group="Ребёнок с инвалидностью до 16 лет" if age < 16 else rng.choice(DISABILITY_GROUPS),
            established_on=established,
            valid_until=valid_until,
            rehabilitation_programme=rng.choice(REHABILITATION),
            special_services=rng.choice(SERVICES) if served else "",
            inclusive_education=rng.random() < 0.4,
        )  # fmt: skip
        if valid_until is None:
            return
        renewed = valid_until < part.today - timedelta(days=5)
        due = part.deadlines.registry_end_of_day(valid_until)
        timer_add(
            part, kind=TimerKind.DISABILITY_REEXAMINATION, subject=disability,
            subject_model="children.Disability", organisation=home.district.guardianship,
            started_at=min(local(established, 12), part.now), due_at=due,
            remind_at=due - timedelta(days=30),
            done_at=local(valid_until, 12) if renewed else None,
        )  # fmt: skip
        if not renewed:
            return
        established = valid_until
