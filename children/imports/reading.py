"""Reading an uploaded workbook: the file is checked by what it contains (a real XLSX of
a bounded size), then each known sheet becomes a list of rows keyed by column key."""

import zipfile
from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from .layout import SHEETS, Sheet, in_every_language, normalise

MAX_BYTES = 5 * 1024 * 1024
# A zip can unpack to far more than it weighs: refuse before openpyxl unpacks it.
MAX_UNPACKED_BYTES = 80 * 1024 * 1024
MAX_ROWS = 10_000
ZIP_SIGNATURE = b"PK\x03\x04"
SHEET_TITLE_LIMIT = 31


@dataclass
class Row:
    number: int  # as Excel shows it
    values: dict[str, object]


@dataclass
class SheetRows:
    sheet: Sheet
    rows: list[Row] = field(default_factory=list)
    letters: dict[str, str] = field(default_factory=dict)  # column key -> letter


@dataclass
class Notice:
    """A remark about the file's layout (not a row), kept for the report."""

    sheet: str
    row: int
    letter: str
    message: str
    params: dict


@dataclass
class Workbook:
    sheets: dict[str, SheetRows]
    notices: list[Notice]

    @property
    def row_count(self) -> int:
        return sum(len(s.rows) for s in self.sheets.values())


def xlsx_check(upload: IO[bytes], *, name: str, size: int) -> None:
    """Refuse, with a translated message, anything that is not a sane XLSX."""
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    if size > MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is larger than %(size)s MB: split the registry into several files.")
            % {"name": name, "size": MAX_BYTES // (1024 * 1024)},
            code="too_large",
        )
    not_xlsx = ValidationError(
        _("“%(name)s” is not an Excel workbook (.xlsx): download the template and fill it in.")
        % {"name": name},
        code="bad_type",
    )
    upload.seek(0)
    if upload.read(4) != ZIP_SIGNATURE:
        raise not_xlsx
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            unpacked = sum(member.file_size for member in members)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise not_xlsx from exc
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise not_xlsx
    if unpacked > MAX_UNPACKED_BYTES:
        raise ValidationError(
            _("“%(name)s” unpacks to more than %(size)s MB: split the registry into several files.")
            % {"name": name, "size": MAX_UNPACKED_BYTES // (1024 * 1024)},
            code="too_large",
        )


def workbook_read(upload: IO[bytes], *, name: str) -> Workbook:
    """The known sheets' rows. Layout problems that make the file unusable (no known
    sheet, a required column missing, too many rows) refuse the file."""
    upload.seek(0)
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise ValidationError(
            _("“%(name)s” could not be read as an Excel workbook: save it again as .xlsx.")
            % {"name": name},
            code="unreadable",
        ) from exc
    try:
        return _read(book)
    finally:
        book.close()


def _sheet_for(title: str) -> Sheet | None:
    wanted = normalise(title)
    for sheet in SHEETS:
        # Excel cuts sheet names at 31 characters.
        if wanted == sheet.key or wanted in in_every_language(sheet.label, SHEET_TITLE_LIMIT):
            return sheet
    return None


def _read(book) -> Workbook:
    sheets: dict[str, SheetRows] = {}
    notices: list[Notice] = []
    refusals: list[str] = []
    total = 0
    for worksheet in book.worksheets:
        sheet = _sheet_for(worksheet.title)
        if sheet is None or sheet.key in sheets:
            continue
        try:
            raw = [tuple(row) for row in worksheet.iter_rows(values_only=True)]
        except Exception as exc:
            raise ValidationError(
                _("The sheet “%(sheet)s” could not be read: save the file again as .xlsx.")
                % {"sheet": worksheet.title},
                code="unreadable",
            ) from exc
        found = _sheet_rows(sheet, raw, notices, refusals)
        total += len(found.rows)
        if total > MAX_ROWS:
            raise ValidationError(
                _("The file has more than %(max)s rows: split the registry into several files.")
                % {"max": f"{MAX_ROWS:,}".replace(",", " ")},
                code="too_many_rows",
            )
        sheets[sheet.key] = found
    if refusals:
        raise ValidationError(refusals, code="bad_headers")
    if not sheets:
        raise ValidationError(
            _("The file has none of the sheets %(names)s: download the template and fill it in.")
            % {"names": ", ".join(f"“{sheet.label}”" for sheet in SHEETS)},
            code="bad_headers",
        )
    if not any(found.rows for found in sheets.values()):
        raise ValidationError(
            _("The file has no rows to import: fill in the sheets below their headers."),
            code="no_rows",
        )
    return Workbook(sheets=sheets, notices=notices)


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _sheet_rows(sheet: Sheet, raw: list[tuple], notices: list, refusals: list) -> SheetRows:
    keys = {column.key for column in sheet.columns}
    found = SheetRows(sheet=sheet)
    if not raw:
        refusals.append(_("The sheet “%(sheet)s” has no header row.") % {"sheet": sheet.label})
        return found
    # The hidden row of keys, wherever sorting may have moved it.
    key_rows = [
        index
        for index, row in enumerate(raw)
        if index > 0
        and (cells := [normalise(v) for v in row if not _is_blank(v)])
        and all(c in keys for c in cells)
        and len(cells) >= 2
    ]
    key_row = raw[key_rows[0]] if key_rows else ()
    labels = {
        column.key: in_every_language(column.label) | {column.key} for column in sheet.columns
    }
    columns: dict[int, str] = {}
    header = raw[0]
    for index in range(max(len(header), len(key_row))):
        by_key = normalise(key_row[index]) if index < len(key_row) and key_row[index] else ""
        title = header[index] if index < len(header) else None
        key = by_key if by_key in keys else ""
        if not key and not _is_blank(title):
            key = next((k for k, spellings in labels.items() if normalise(title) in spellings), "")
        letter = get_column_letter(index + 1)
        if not key:
            if not _is_blank(title):
                notices.append(
                    Notice(
                        sheet.key, 1, letter,
                        gettext_noop("The column “%(header)s” is not in the template: it is ignored."),
                        {"header": str(title)[:100]},
                    )
                )  # fmt: skip
            continue
        if key in found.letters:
            refusals.append(
                _("The sheet “%(sheet)s” has two columns “%(column)s” (%(first)s and %(second)s).")
                % {
                    "sheet": sheet.label,
                    "column": sheet.column(key).label,
                    "first": found.letters[key],
                    "second": letter,
                }
            )
            continue
        columns[index] = key
        found.letters[key] = letter
    missing = [c for c in sheet.columns if c.required and c.key not in found.letters]
    if missing:
        refusals.append(
            _("The sheet “%(sheet)s” has no column %(columns)s: use the headers of the template.")
            % {"sheet": sheet.label, "columns": ", ".join(f"“{c.label}”" for c in missing)}
        )
        return found
    skip = set(key_rows)
    for index, row in enumerate(raw[1:], start=1):
        if index in skip:
            continue
        values = {key: row[i] for i, key in columns.items() if i < len(row)}
        if all(_is_blank(v) for v in values.values()):
            continue
        found.rows.append(Row(number=index + 1, values=values))
    return found
