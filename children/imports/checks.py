"""The dry run: every row of the workbook checked against the rules the services apply,
the rest of the file and the registry, without writing anything.

Problems are stored as message ids with parameters and translated when shown, so the
report reads in the language of whoever opens it.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext_noop

from casework.iin import InvalidIIN, parse_iin
from casework.models import District, Organisation, OrganisationKind

from ..models import (
    ADDITION_FORMS,
    ORGANISATION_FORMS,
    CarerKind,
    Child,
    ChildShare,
    Person,
    Placement,
    PlacementForm,
)
from ..services.placements import PROFESSIONAL_FOSTER_LIMIT, _all_siblings
from .layout import CARERS, CHILDREN, CHOICES, PLACEMENTS, Sheet, normalise
from .layout import in_every_language as spellings_of
from .reading import Notice, Row, Workbook

ERROR, WARNING = "error", "warning"
NEW, PRESENT, ERRORS = "new", "present", "errors"
PLACEMENT_ORGANISATION_KINDS = [OrganisationKind.CHILDRENS_INSTITUTION, OrganisationKind.CLINIC]
PROBLEMS_KEPT = 2000

M_REQUIRED = gettext_noop("Required.")
M_IIN_REQUIRED = gettext_noop("Required: the import finds people by their IIN.")
M_IIN_INVALID = gettext_noop("This is not a valid IIN: check the 12 digits.")
M_TOO_LONG = gettext_noop("At most %(max)s characters.")
M_DATE = gettext_noop("Enter the date as DD.MM.YYYY.")
M_FUTURE = gettext_noop("The date cannot be in the future.")
M_CHOICE = gettext_noop("Unknown value “%(value)s”: choose one from the list.")
M_IIN_BIRTH = gettext_noop("The IIN encodes the birth date %(date)s, not %(given)s.")
M_IIN_SEX = gettext_noop("The IIN encodes the other sex.")
M_DUPLICATE_ROW = gettext_noop("This IIN is already on row %(row)s of this sheet.")
M_OTHER_DISTRICT = gettext_noop(
    "A person with this IIN is registered in another district: ask that district to share the file."
)
M_OTHER_NAME = gettext_noop(
    "The registry already has this IIN as %(name)s: the registry record is kept as it is."
)
M_SAME_AS_NO_IIN = gettext_noop(
    "The registry has %(name)s, born on the same day, without an IIN: check that it is not the same person."
)
M_STATUS_SINCE = gettext_noop("Required when a status category is given.")
M_CHILD_ROW_NAME = gettext_noop(
    "This IIN is on row %(row)s of the children's sheet with another name."
)
M_OTHER_KIND = gettext_noop(
    "Already registered as a carer of another kind: the registry record is kept as it is."
)
M_NO_CHILD = gettext_noop("No child with this IIN on the children's sheet or in your district.")
M_NO_CARER = gettext_noop("No carer with this IIN on the carers' sheet or in your district.")
M_CARER_NEEDED = gettext_noop("Required for a placement in a family.")
M_ORGANISATION_NEEDED = gettext_noop("Required for a placement in an organisation.")
M_NOT_BOTH = gettext_noop("Fill in either the carer's IIN or the organisation, not both.")
M_NO_ORGANISATION = gettext_noop(
    "No organisation with this name in your district: choose one from the list."
)
M_END_BEFORE_START = gettext_noop("The end cannot be before the start.")
M_END_REASON = gettext_noop("Choose why the placement ended.")
M_END_DATE = gettext_noop("Fill in the end date too.")
M_DUPLICATE_PLACEMENT = gettext_noop("This placement is already on row %(row)s of this sheet.")
M_NEEDS_PROFESSIONAL = gettext_noop(
    "A professional foster family placement needs a professional foster parent."
)
M_SUSPENDED = gettext_noop(
    "This carer failed the reliability check: no child can be placed with them."
)
M_CLOSED = gettext_noop("The child's file is closed.")
M_ARCHIVED = gettext_noop("The child's file is archived: restore the file first.")
M_CARER_ARCHIVED = gettext_noop("This carer's record is archived.")
M_ACTIVE = gettext_noop(
    "The child already has an active placement: end it before starting another."
)
M_CAPACITY = gettext_noop(
    "A professional foster family may hold at most 4 children at once, unless they are siblings."
)


@dataclass
class Problem:
    sheet: str
    row: int
    column: str  # a column key, or "" for the whole row
    letter: str
    message: str  # a message id, translated when shown
    params: dict = field(default_factory=dict)
    level: str = ERROR

    def as_json(self) -> dict:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "letter": self.letter,
            "message": self.message,
            "params": self.params,
            "level": self.level,
        }


@dataclass
class PersonRow:
    number: int
    iin: str
    fields: dict  # PersonInput fields except the district
    present: bool = False
    valid: bool = True


@dataclass
class ChildRow(PersonRow):
    status: str = ""
    status_since: date | None = None


@dataclass
class CarerRow(PersonRow):
    kind: str = ""
    approved_on: date | None = None


@dataclass
class PlacementRow:
    number: int
    child_iin: str
    form: str
    carer_iin: str
    organisation: Organisation | None
    started_on: date | None
    ended_on: date | None
    end_reason: str
    present: bool = False
    valid: bool = True


@dataclass
class Plan:
    """What the import would do, row by row, and every problem found."""

    children: list[ChildRow] = field(default_factory=list)
    carers: list[CarerRow] = field(default_factory=list)
    placements: list[PlacementRow] = field(default_factory=list)  # in the order of writing
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.level == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.level == WARNING)

    @property
    def rows(self) -> int:
        return len(self.children) + len(self.carers) + len(self.placements)

    def counts(self) -> dict:
        counts = {}
        for key, rows in (
            (CHILDREN.key, self.children),
            (CARERS.key, self.carers),
            (PLACEMENTS.key, self.placements),
        ):
            counts[key] = {
                NEW: sum(1 for r in rows if r.valid and not r.present),
                PRESENT: sum(1 for r in rows if r.valid and r.present),
                ERRORS: sum(1 for r in rows if not r.valid),
            }
        return counts

    def report(self) -> dict:
        ordered = sorted(
            self.problems,
            key=lambda p: (
                [CHILDREN.key, CARERS.key, PLACEMENTS.key].index(p.sheet),
                p.row,
                p.letter,
            ),
        )
        return {
            "problems": [p.as_json() for p in ordered[:PROBLEMS_KEPT]],
            "problems_left_out": max(0, len(ordered) - PROBLEMS_KEPT),
            "errors": self.errors,
            "warnings": self.warnings,
        }


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return value.strftime("%d.%m.%Y")
    return " ".join(str(value).split())


def _iin_text(value) -> str:
    # Excel turns an IIN typed into a number cell into a number and drops the leading
    # zero of everyone born in 2000-2009: put it back.
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and 0 < value < 10**12:
        return f"{value:012d}"
    return _text(value).replace(" ", "")


def _date_or_none(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return datetime.strptime(_text(value), "%d.%m.%Y").date()  # noqa: DTZ007 - a day
    except ValueError:
        return None


def _iin_birth_date(iin: str) -> date | None:
    try:
        return parse_iin(iin).birth_date
    except InvalidIIN:
        return None


def _choice_lookup(choices_key: str) -> dict[str, str]:
    lookup = {}
    for value, label in CHOICES[choices_key].choices:
        lookup[normalise(value)] = value
        for spelling in spellings_of(label):
            lookup[spelling] = value
    return lookup


class _Checker:
    def __init__(self, district: District, workbook: Workbook, today: date):
        self.district = district
        self.workbook = workbook
        self.today = today
        self.plan = Plan()
        self.lookups = {key: _choice_lookup(key) for key in CHOICES}
        self.organisations = self._organisations()

    # --- cells -------------------------------------------------------------------------

    def problem(self, sheet: Sheet, at: Row, column: str, message: str, level=ERROR, **params):
        letter = self.workbook.sheets[sheet.key].letters.get(column, "") if column else ""
        self.plan.problems.append(
            Problem(sheet.key, at.number, column, letter, message, params, level)
        )

    def text(self, sheet: Sheet, row: Row, key: str) -> str:
        column = sheet.column(key)
        value = _text(row.values.get(key))
        if column.required and not value:
            self.problem(sheet, row, key, M_REQUIRED)
        elif len(value) > column.max_length:
            self.problem(sheet, row, key, M_TOO_LONG, max=column.max_length)
            return ""
        return value

    def iin(self, sheet: Sheet, row: Row, key: str) -> str:
        value = _iin_text(row.values.get(key))
        if not value:
            if sheet.column(key).required:
                self.problem(sheet, row, key, M_IIN_REQUIRED)
            return ""
        try:
            parse_iin(value)
        except InvalidIIN:
            self.problem(sheet, row, key, M_IIN_INVALID)
            return ""
        return value

    def date(self, sheet: Sheet, row: Row, key: str, *, past=True) -> date | None:
        raw = row.values.get(key)
        if _text(raw):
            value = _date_or_none(raw)
            if value is None:
                self.problem(sheet, row, key, M_DATE)
                return None
        else:
            if sheet.column(key).required:
                self.problem(sheet, row, key, M_REQUIRED)
            return None
        if past and value > self.today:
            self.problem(sheet, row, key, M_FUTURE)
            return None
        return value

    def choice(self, sheet: Sheet, row: Row, key: str) -> str:
        column = sheet.column(key)
        value = _text(row.values.get(key))
        if not value:
            if column.required:
                self.problem(sheet, row, key, M_REQUIRED)
            return ""
        found = self.lookups[column.choices].get(normalise(value))
        if found is None:
            self.problem(sheet, row, key, M_CHOICE, value=value[:100])
            return ""
        return found

    # --- the registry ------------------------------------------------------------------

    def _organisations(self) -> dict[str, Organisation]:
        found = {}
        for organisation in Organisation.objects.filter(
            district=self.district,
            kind__in=PLACEMENT_ORGANISATION_KINDS,
            archived_at__isnull=True,
        ):
            for name in (organisation.name_ru, organisation.name_kk, organisation.name_en):
                if name:
                    found.setdefault(normalise(name), organisation)
        return found

    def _load_registry(self) -> None:
        iins = set()
        for key, columns in (
            (CHILDREN.key, ["iin"]),
            (CARERS.key, ["iin"]),
            (PLACEMENTS.key, ["child_iin", "carer_iin"]),
        ):
            found = self.workbook.sheets.get(key)
            for row in found.rows if found else []:
                iins.update(_iin_text(row.values.get(c)) for c in columns)
        iins.discard("")
        self.people = {
            p.iin: p for p in Person.objects.filter(iin__in=iins).select_related("child", "carer")
        }
        children = [p.child for p in self.people.values() if _child(p)]
        self.shared = set(
            ChildShare.objects.filter(
                district=self.district, child__in=[c.pk for c in children]
            ).values_list("child_id", flat=True)
        )
        self.placements = {}
        for child_id, form, started_on, ended_on, is_addition in Placement.objects.filter(
            child__in=[c.pk for c in children]
        ).values_list("child_id", "form", "started_on", "ended_on", "is_addition"):
            self.placements.setdefault(child_id, []).append(
                (form, started_on, ended_on, is_addition)
            )
        carers = [p.carer for p in self.people.values() if _carer(p)]
        self.fostered = {}
        for carer_id, person_id in Placement.objects.filter(
            carer__in=[c.pk for c in carers], ended_on__isnull=True, is_addition=False
        ).values_list("carer_id", "child__person_id"):
            self.fostered.setdefault(carer_id, set()).add(person_id)
        days = {
            _date_or_none(row.values.get("birth_date"))
            for key in (CHILDREN.key, CARERS.key)
            for row in (self.workbook.sheets[key].rows if key in self.workbook.sheets else [])
        }
        days |= {
            _iin_birth_date(_iin_text(row.values.get("iin")))
            for key in (CHILDREN.key, CARERS.key)
            for row in (self.workbook.sheets[key].rows if key in self.workbook.sheets else [])
        }
        days.discard(None)
        self.without_iin = {}
        for person in Person.objects.filter(
            district=self.district, iin__isnull=True, merged_into__isnull=True, birth_date__in=days
        ).only("last_name", "first_name", "patronymic", "birth_date"):
            key = (normalise(person.last_name), normalise(person.first_name), person.birth_date)
            self.without_iin[key] = person

    def visible_child(self, person: Person | None) -> Child | None:
        child = _child(person)
        if child and (child.district_id == self.district.pk or child.pk in self.shared):
            return child
        return None

    # --- sheets ------------------------------------------------------------------------

    def run(self) -> Plan:
        self._load_registry()
        for notice in self.workbook.notices:
            self.plan.problems.append(_notice_problem(notice))
        self.child_rows, self.children_by_iin = {}, {}
        if CHILDREN.key in self.workbook.sheets:
            for row in self.workbook.sheets[CHILDREN.key].rows:
                self.plan.children.append(found := self.child_row(row))
                self.children_by_iin.setdefault(found.iin, found)
        self.carer_rows, self.carers_by_iin = {}, {}
        if CARERS.key in self.workbook.sheets:
            for row in self.workbook.sheets[CARERS.key].rows:
                self.plan.carers.append(found := self.carer_row(row))
                self.carers_by_iin.setdefault(found.iin, found)
        if PLACEMENTS.key in self.workbook.sheets:
            rows = [self.placement_row(row) for row in self.workbook.sheets[PLACEMENTS.key].rows]
            self.simulate_placements(rows)
        return self.plan

    def _errors_since(self, mark: int) -> bool:
        return any(p.level == ERROR for p in self.plan.problems[mark:])

    def person_fields(self, sheet: Sheet, row: Row) -> tuple[str, dict]:
        iin = self.iin(sheet, row, "iin")
        fields = {
            key: self.text(sheet, row, key)
            for key in (
                "last_name", "first_name", "patronymic", "locality", "street", "house", "flat",
            )
        }  # fmt: skip
        phone = self.text(sheet, row, "phone")
        fields["phones"] = [phone] if phone else []
        fields["birth_date"] = self.date(sheet, row, "birth_date")
        fields["sex"] = self.choice(sheet, row, "sex")
        if iin:
            facts = parse_iin(iin)
            if fields["birth_date"] and fields["birth_date"] != facts.birth_date:
                self.problem(
                    sheet, row, "birth_date", M_IIN_BIRTH, WARNING,
                    date=facts.birth_date.strftime("%d.%m.%Y"),
                    given=fields["birth_date"].strftime("%d.%m.%Y"),
                )  # fmt: skip
            if fields["sex"] and fields["sex"] != facts.sex:
                self.problem(sheet, row, "sex", M_IIN_SEX, WARNING)
            fields["birth_date"] = fields["birth_date"] or facts.birth_date
            fields["sex"] = fields["sex"] or facts.sex
        return iin, fields

    def person_known(self, sheet: Sheet, row: Row, iin: str, fields: dict, seen: dict) -> None:
        """Duplicates within the sheet, the registry's record under another name, and a
        record without an IIN that may be the same person."""
        if not iin:
            return
        if iin in seen:
            self.problem(sheet, row, "iin", M_DUPLICATE_ROW, row=seen[iin])
            return
        seen[iin] = row.number
        person = self.people.get(iin)
        if person is not None:
            if (normalise(person.last_name), normalise(person.first_name)) != (
                normalise(fields["last_name"]),
                normalise(fields["first_name"]),
            ) and self._may_see(person):
                self.problem(sheet, row, "last_name", M_OTHER_NAME, WARNING, name=person.full_name)
            return
        twin = self.without_iin.get(
            (normalise(fields["last_name"]), normalise(fields["first_name"]), fields["birth_date"])
        )
        if twin is not None:
            self.problem(sheet, row, "iin", M_SAME_AS_NO_IIN, WARNING, name=twin.full_name)

    def _may_see(self, person: Person) -> bool:
        return person.district_id == self.district.pk or self.visible_child(person) is not None

    def child_row(self, row: Row) -> ChildRow:
        mark = len(self.plan.problems)
        iin, fields = self.person_fields(CHILDREN, row)
        status = self.choice(CHILDREN, row, "status")
        since = self.date(CHILDREN, row, "status_since")
        if status and since is None and not _text(row.values.get("status_since")):
            self.problem(CHILDREN, row, "status_since", M_STATUS_SINCE)
        result = ChildRow(row.number, iin, fields, status=status, status_since=since)
        self.person_known(CHILDREN, row, iin, fields, self.child_rows)
        person = self.people.get(iin)
        if person is not None:
            if self.visible_child(person):
                result.present = True
            elif _child(person) or person.district_id != self.district.pk:
                self.problem(CHILDREN, row, "iin", M_OTHER_DISTRICT)
        result.valid = not self._errors_since(mark)
        return result

    def carer_row(self, row: Row) -> CarerRow:
        mark = len(self.plan.problems)
        iin, fields = self.person_fields(CARERS, row)
        kind = self.choice(CARERS, row, "kind")
        approved_on = self.date(CARERS, row, "approved_on")
        result = CarerRow(row.number, iin, fields, kind=kind, approved_on=approved_on)
        self.person_known(CARERS, row, iin, fields, self.carer_rows)
        child_row = self.children_by_iin.get(iin) if iin else None
        if child_row is not None and (
            normalise(child_row.fields["last_name"]),
            normalise(child_row.fields["first_name"]),
        ) != (normalise(fields["last_name"]), normalise(fields["first_name"])):
            self.problem(CARERS, row, "last_name", M_CHILD_ROW_NAME, row=child_row.number)
        person = self.people.get(iin)
        if person is not None:
            carer = _carer(person)
            if carer is not None and carer.district_id == self.district.pk:
                result.present = True
                if kind and carer.kind != kind:
                    self.problem(CARERS, row, "kind", M_OTHER_KIND, WARNING)
            elif carer is not None or not self._may_see(person):
                self.problem(CARERS, row, "iin", M_OTHER_DISTRICT)
        result.valid = not self._errors_since(mark)
        return result

    def placement_row(self, row: Row) -> tuple[PlacementRow, Row]:
        mark = len(self.plan.problems)
        sheet = PLACEMENTS
        child_iin = self.iin(sheet, row, "child_iin")
        form = self.choice(sheet, row, "form")
        carer_iin = self.iin(sheet, row, "carer_iin")
        organisation_name = self.text(sheet, row, "organisation")
        started_on = self.date(sheet, row, "started_on")
        ended_on = self.date(sheet, row, "ended_on")
        end_reason = self.choice(sheet, row, "end_reason")
        organisation = None
        if child_iin and not (
            child_iin in self.child_rows or self.visible_child(self.people.get(child_iin))
        ):
            self.problem(sheet, row, "child_iin", M_NO_CHILD)
        carer_given = bool(_iin_text(row.values.get("carer_iin")))
        if carer_given and organisation_name:
            self.problem(sheet, row, "organisation", M_NOT_BOTH)
        elif form in ORGANISATION_FORMS and not organisation_name:
            self.problem(sheet, row, "organisation", M_ORGANISATION_NEEDED)
        elif form and form not in ORGANISATION_FORMS and not carer_given:
            self.problem(sheet, row, "carer_iin", M_CARER_NEEDED)
        if organisation_name and not carer_given:
            organisation = self.organisations.get(normalise(organisation_name))
            if organisation is None:
                self.problem(sheet, row, "organisation", M_NO_ORGANISATION)
        if carer_iin:
            self.carer_facts(row, carer_iin, form)
        if ended_on and started_on and ended_on < started_on:
            self.problem(sheet, row, "ended_on", M_END_BEFORE_START)
        if ended_on and not end_reason and not _text(row.values.get("end_reason")):
            self.problem(sheet, row, "end_reason", M_END_REASON)
        if end_reason and not ended_on and not _text(row.values.get("ended_on")):
            self.problem(sheet, row, "ended_on", M_END_DATE)
        result = PlacementRow(
            row.number, child_iin, form, carer_iin, organisation, started_on, ended_on, end_reason
        )
        child = self.visible_child(self.people.get(child_iin))
        if child is not None and form and started_on:
            result.present = any(
                (f, s) == (form, started_on) for f, s, _e, _a in self.placements.get(child.pk, [])
            )
        result.valid = not self._errors_since(mark)
        return result, row

    def carer_facts(self, row: Row, carer_iin: str, form: str) -> None:
        carer_row = self.carers_by_iin.get(carer_iin)
        person = self.people.get(carer_iin)
        carer = _carer(person)
        if carer_row is not None:
            kind, suspended = carer_row.kind, False
        elif carer is not None and carer.district_id == self.district.pk:
            kind, suspended = carer.kind, carer.suspended_at is not None
            if carer.archived_at is not None:
                self.problem(PLACEMENTS, row, "carer_iin", M_CARER_ARCHIVED)
                return
        else:
            self.problem(PLACEMENTS, row, "carer_iin", M_NO_CARER)
            return
        if suspended:
            self.problem(PLACEMENTS, row, "carer_iin", M_SUSPENDED)
        if form == PlacementForm.PROFESSIONAL_FOSTER and kind != CarerKind.PROFESSIONAL_FOSTER:
            self.problem(PLACEMENTS, row, "carer_iin", M_NEEDS_PROFESSIONAL)

    def simulate_placements(self, checked: list[tuple[PlacementRow, Row]]) -> None:
        """Replay the new placements in the order the import writes them (by start date,
        ended ones first), with the rules `placement_start` applies at each step."""
        seen = {}
        for result, row in checked:
            key = (result.child_iin, result.form, result.started_on)
            if all(key) and key in seen:
                self.problem(PLACEMENTS, row, "started_on", M_DUPLICATE_PLACEMENT, row=seen[key])
                result.valid = False
            elif all(key):
                seen[key] = row.number
        order = sorted(
            checked,
            key=lambda pair: (
                pair[0].started_on or date.min,
                pair[0].ended_on is None,
                pair[0].number,
            ),
        )
        closed, active, fostered = {}, {}, {}
        for result, row in order:
            self.plan.placements.append(result)
            if not result.valid or result.present:
                continue
            mark = len(self.plan.problems)
            iin = result.child_iin
            child = self.visible_child(self.people.get(iin))
            if child is not None and child.archived_at is not None:
                self.problem(PLACEMENTS, row, "child_iin", M_ARCHIVED)
                result.valid = False
                continue
            if iin not in closed:
                closed[iin] = bool(child and child.closed_at)
                active[iin] = bool(child) and any(
                    e is None and not a for _f, _s, e, a in self.placements.get(child.pk, [])
                )
            addition = result.form in ADDITION_FORMS
            if closed[iin]:
                self.problem(PLACEMENTS, row, "child_iin", M_CLOSED)
            elif not addition and active[iin]:
                self.problem(PLACEMENTS, row, "started_on", M_ACTIVE)
            elif result.form == PlacementForm.PROFESSIONAL_FOSTER and result.carer_iin:
                holding = self._fostered(fostered, result.carer_iin)
                if len(holding) >= PROFESSIONAL_FOSTER_LIMIT and not self._siblings(holding, iin):
                    self.problem(PLACEMENTS, row, "carer_iin", M_CAPACITY)
                elif result.ended_on is None:
                    holding.add(iin)
            if self._errors_since(mark):
                result.valid = False
                continue
            if not addition and result.ended_on is None:
                active[iin] = True
            if result.form == PlacementForm.ADOPTION:
                closed[iin] = True

    def _fostered(self, fostered: dict, carer_iin: str) -> set[str]:
        """IINs (or person ids, for children without one) the carer holds at this step."""
        if carer_iin not in fostered:
            carer = _carer(self.people.get(carer_iin))
            fostered[carer_iin] = set(self.fostered.get(carer.pk, set())) if carer else set()
        return fostered[carer_iin]

    def _siblings(self, holding: set, iin: str) -> bool:
        ids = []
        for item in [*holding, iin]:
            if isinstance(item, int):
                ids.append(item)
            elif (person := self.people.get(item)) is not None:
                ids.append(person.pk)
            else:
                return False  # a child new to the registry has no family in it yet
        return _all_siblings(ids)


def _child(person: Person | None) -> Child | None:
    return getattr(person, "child", None) if person is not None else None


def _carer(person: Person | None):
    return getattr(person, "carer", None) if person is not None else None


def _notice_problem(notice: Notice) -> Problem:
    return Problem(
        notice.sheet, notice.row, "", notice.letter, notice.message, notice.params, WARNING
    )


def registry_import_check(*, district: District, workbook: Workbook, today=None) -> Plan:
    """The dry run: reads the registry, writes nothing."""
    return _Checker(district, workbook, today or timezone.localdate()).run()
