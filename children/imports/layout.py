"""What the import file holds: its sheets, their columns and the lists of choices."""

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ..models import CarerKind, PlacementEndReason, PlacementForm, Sex, StatusCategory

TEXT, DATE, CHOICE, IIN = "text", "date", "choice", "iin"


@dataclass(frozen=True)
class Column:
    key: str  # stable: the hidden row 2 of the template, and the report's column
    label: object  # lazily translated header
    kind: str = TEXT
    required: bool = False
    max_length: int = 150
    choices: str = ""  # a key of `CHOICES`, or "organisation"
    note: object = ""


@dataclass(frozen=True)
class Sheet:
    key: str
    label: object
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


ORGANISATION = "organisation"
CHOICES = {
    "sex": Sex,
    "status": StatusCategory,
    "carer_kind": CarerKind,
    "placement_form": PlacementForm,
    "end_reason": PlacementEndReason,
}

DATE_NOTE = _("DD.MM.YYYY")


def _person_columns() -> tuple[Column, ...]:
    return (
        Column(
            "iin", _("IIN"), IIN, required=True, max_length=12,
            note=_("Required: the import finds people by their IIN. 12 digits."),
        ),
        Column("last_name", _("Surname"), required=True),
        Column("first_name", _("First name"), required=True),
        Column("patronymic", _("Patronymic")),
        Column("birth_date", _("Birth date"), DATE, note=_("DD.MM.YYYY; when empty, taken from the IIN")),
        Column("sex", _("Sex"), CHOICE, choices="sex", note=_("When empty, taken from the IIN")),
        Column("locality", _("Locality")),
        Column("street", _("Street"), max_length=200),
        Column("house", _("House"), max_length=20),
        Column("flat", _("Flat"), max_length=20),
        Column("phone", _("Phone"), max_length=32),
    )  # fmt: skip


CHILDREN = Sheet(
    "children",
    _("Children"),
    (
        *_person_columns(),
        Column("status", _("Status category"), CHOICE, choices="status"),
        Column(
            "status_since", _("Status category from"), DATE,
            note=_("DD.MM.YYYY; required when a status category is given"),
        ),
    ),
)  # fmt: skip
CARERS = Sheet(
    "carers",
    _("Carers"),
    (
        *_person_columns(),
        Column("kind", _("Carer kind"), CHOICE, required=True, choices="carer_kind"),
        Column("approved_on", _("Approved on"), DATE, required=True, note=DATE_NOTE),
    ),
)  # fmt: skip
PLACEMENTS = Sheet(
    "placements",
    _("Placements"),
    (
        Column(
            "child_iin", _("Child's IIN"), IIN, required=True, max_length=12,
            note=_("The child is on the Children sheet or already in the registry"),
        ),
        Column("form", _("Form of placement"), CHOICE, required=True, choices="placement_form"),
        Column(
            "carer_iin", _("Carer's IIN"), IIN, max_length=12,
            note=_("For a placement in a family: the carer is on the Carers sheet or already in the registry"),
        ),
        Column(
            "organisation", _("Organisation"), CHOICE, max_length=300, choices=ORGANISATION,
            note=_("For an organisation, a baby home or a health facility: its name as in Qamqor"),
        ),
        Column("started_on", _("Placed on"), DATE, required=True, note=DATE_NOTE),
        Column("ended_on", _("Placement ended on"), DATE, note=_("DD.MM.YYYY; empty while it lasts")),
        Column("end_reason", _("End reason"), CHOICE, choices="end_reason"),
    ),
)  # fmt: skip
SHEETS = (CHILDREN, CARERS, PLACEMENTS)
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


def normalise(value: object) -> str:
    """How headers and choices are compared: case, spacing and the required mark ignored."""
    text = " ".join(str(value).replace("*", " ").split())
    return text.casefold().replace("ё", "е")


def in_every_language(label, limit: int | None = None) -> set[str]:
    spellings = set()
    for language in LANGUAGES:
        with translation.override(language):
            spellings.add(normalise(str(label)[:limit]))
    return spellings
