"""The downloadable XLSX template, in the user's language.

Row 1 of each data sheet holds the translated headers (required ones marked *), row 2
the stable column keys (hidden): `reading` finds columns by those keys, or by a header
in any of the three languages, so the language the template was downloaded in does
not matter. Choice columns offer drop-down lists from a hidden sheet.
"""

import random
from datetime import date
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from casework.iin import synthetic_iin
from casework.models import District, Organisation

from ..models import CarerKind, PlacementForm, Sex, StatusCategory
from .checks import PLACEMENT_ORGANISATION_KINDS
from .layout import CARERS, CHILDREN, CHOICES, DATE, IIN, ORGANISATION, PLACEMENTS, SHEETS
from .reading import SHEET_TITLE_LIMIT

FORMATTED_ROWS = 1000
LISTS = "lists"
HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")


def _examples() -> dict[str, list]:
    """One synthetic row per sheet (never a real person)."""
    rng = random.Random(2026)  # noqa: S311 - synthetic example data
    child_iin = synthetic_iin(date(2015, 6, 14), Sex.MALE, rng)
    carer_iin = synthetic_iin(date(1979, 5, 5), Sex.FEMALE, rng)
    return {
        CHILDREN.key: [
            child_iin, "Нурланов", "Ерлан", "Маратович", "14.06.2015", Sex.MALE.label,
            "Алматы", "ул. Толе би", "12", "5", "+7 701 000 00 00",
            StatusCategory.WITHOUT_CARE.label, "01.02.2024",
        ],
        CARERS.key: [
            carer_iin, "Бекова", "Сауле", "", "05.05.1979", Sex.FEMALE.label,
            "Алматы", "пр. Абая", "40", "", "", CarerKind.FOSTER.label, "10.01.2024",
        ],
        PLACEMENTS.key: [
            child_iin, PlacementForm.FOSTER_FAMILY.label, carer_iin, "", "15.02.2024", "", "",
        ],
    }  # fmt: skip


def _organisation_names(district: District) -> list[str]:
    return [
        str(o)
        for o in Organisation.objects.filter(
            district=district, kind__in=PLACEMENT_ORGANISATION_KINDS, archived_at__isnull=True
        )
    ]


def import_template_build(*, district: District) -> bytes:
    book = Workbook()
    guide = book.active
    guide.title = _("How to fill in")[:31]
    lists = book.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    ranges = {}
    values = {
        key: [str(label) for _v, label in choices.choices] for key, choices in CHOICES.items()
    }
    values[ORGANISATION] = _organisation_names(district)
    for n, (key, items) in enumerate(values.items(), start=1):
        letter = get_column_letter(n)
        for row, item in enumerate(items, start=1):
            lists.cell(row=row, column=n, value=item)
        if items:
            ranges[key] = f"{LISTS}!${letter}$1:${letter}${len(items)}"
    examples = _examples()
    for sheet in SHEETS:
        _data_sheet(book, sheet, ranges)
    _guide(guide, examples)
    book.move_sheet(lists, offset=len(book.sheetnames))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _data_sheet(book: Workbook, sheet, ranges: dict) -> None:
    worksheet = book.create_sheet(str(sheet.label)[:SHEET_TITLE_LIMIT])
    for n, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(n)
        header = worksheet.cell(
            row=1, column=n, value=f"{column.label}{' *' if column.required else ''}"
        )
        header.font = Font(bold=True)
        header.fill = HEADER_FILL
        header.alignment = Alignment(wrap_text=True, vertical="top")
        if column.note:
            header.comment = Comment(str(column.note), "Qamqor", width=260, height=90)
        worksheet.cell(row=2, column=n, value=column.key).font = Font(color="999999", size=8)
        worksheet.column_dimensions[letter].width = 16 if column.kind in (IIN, DATE) else 22
        number_format = {IIN: "@", DATE: "DD.MM.YYYY"}.get(column.kind)
        if number_format:
            for row in range(3, FORMATTED_ROWS + 3):
                worksheet.cell(row=row, column=n).number_format = number_format
        if column.choices and column.choices in ranges:
            validation = DataValidation(
                type="list",
                formula1=ranges[column.choices],
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=_("Choose from the list"),
                error=_("Choose one of the values in the list."),
            )
            validation.add(f"{letter}3:{letter}{FORMATTED_ROWS + 2}")
            worksheet.add_data_validation(validation)
    # The keys row tells the import which column is which, whatever the language.
    worksheet.row_dimensions[2].hidden = True
    worksheet.row_dimensions[1].height = 32
    worksheet.freeze_panes = "A3"


def _guide(worksheet, examples: dict) -> None:
    lines = [
        _("Importing an existing registry into Qamqor"),
        "",
        _("1. Fill in one row per child, carer or placement on the sheets %(sheets)s, below the headers. Columns marked * are required; do not rename or delete the headers.")
        % {"sheets": ", ".join(f"“{sheet.label}”" for sheet in SHEETS)},
        _("2. People are found by their IIN, so the IIN is required on every row. A child or carer already in the registry is left as it is."),
        _("3. Dates: DD.MM.YYYY (for example 14.06.2015) or dates entered in Excel."),
        _("4. Columns with a list: choose a value from the drop-down list."),
        _("5. A placement names the child and the carer by IIN: they must be on the sheets of this file or already in your district's registry. An organisation is named as in Qamqor."),
        _("6. Upload the file in Qamqor (Children → Import). Qamqor first checks every row and lists the problems, changing nothing. The import starts only when you press “Import”. Importing the same file again changes nothing."),
        "",
        _("Example rows (synthetic, do not copy):"),
    ]  # fmt: skip
    for line in lines:
        worksheet.append([line])
    worksheet["A1"].font = Font(bold=True, size=13)
    for sheet in SHEETS:
        worksheet.append([])
        worksheet.append([str(sheet.label)])
        worksheet.cell(row=worksheet.max_row, column=1).font = Font(bold=True)
        worksheet.append([str(column.label) for column in sheet.columns])
        for cell in worksheet[worksheet.max_row]:
            cell.font = Font(italic=True)
        worksheet.append([str(v) for v in examples[sheet.key]])
    worksheet.column_dimensions["A"].width = 24
