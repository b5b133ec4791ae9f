"""Rows of a part, their ids and their COPY into PostgreSQL.

A part adds rows with `Rows.add(Model, field=value, ...)` and gets back a local number
(0, 1, 2... per table). A value that points at another row of the same part is written
`Local(Model, number)`; everything shared (districts, staff) already has its real id. Once
the part knows how many rows each table gets, it reserves that many ids from each table's
sequence (`ids_reserve`) and `copy_all` writes each table with one COPY, turning local
numbers into ids on the way.
"""

import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from django.contrib.postgres.fields import ArrayField
from django.db import models

NULL = "\\N"
# COPY's text format: backslash, tab and line breaks are escaped.
TEXT_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


@dataclass(frozen=True, slots=True)
class Local:
    """A row of this part not yet given its id."""

    model: type[models.Model]
    number: int


@dataclass(frozen=True, slots=True)
class Numbered:
    """A text that names a row of this part by its number (`№ 000123`) or id, written
    once the row has its id: `template % {"number": "000123", "id": 123}`."""

    template: str
    ref: Local
    width: int = 6

    def render(self, starts: dict) -> str:
        number = starts[self.ref.model] + self.ref.number
        values = {"number": f"{number:0{self.width}d}", "id": number}
        return (self.template % values).translate(TEXT_ESCAPES)


def _text(value) -> str:
    return str(value).translate(TEXT_ESCAPES)


def _boolean(value) -> str:
    return "t" if value else "f"


def _moment(value) -> str:
    # Aware datetimes only: PostgreSQL keeps the instant, whatever the offset.
    if isinstance(value, datetime) and value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r}")
    return value.isoformat()


def _array_element(value: str) -> str:
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _array(value) -> str:
    return ("{" + ",".join(_array_element(v) for v in value) + "}").translate(TEXT_ESCAPES)


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False).translate(TEXT_ESCAPES)


def _number(value) -> str:
    return str(int(value))


def _converter(field: models.Field) -> Callable[[object], str]:
    if isinstance(field, ArrayField):
        return _array
    if isinstance(field, models.BooleanField):
        return _boolean
    if isinstance(field, models.DateTimeField):
        return _moment
    if isinstance(field, models.DateField):
        return date.isoformat
    if isinstance(field, models.JSONField):
        return _json
    if isinstance(field, (models.IntegerField, models.AutoField, models.ForeignKey)):
        return _number
    if isinstance(field, models.UUIDField):
        return lambda value: str(UUID(str(value)))
    return _text


class Table:
    """The rows of one model in one part, in the order the fields were first given."""

    def __init__(self, model: type[models.Model], names: Iterable[str]):
        self.model = model
        self.names = tuple(names)
        fields = [model._meta.get_field(name) for name in self.names]
        self.columns = ["id", *(field.column for field in fields)]
        self.converters = [_converter(field) for field in fields]
        self.rows: list[tuple] = []

    def add(self, values: dict) -> int:
        if values.keys() != set(self.names):
            raise ValueError(f"{self.model.__name__}: fields {sorted(values)} != {self.names}")
        self.rows.append(tuple(values[name] for name in self.names))
        return len(self.rows) - 1

    def copy_text(self, starts: dict[type, int]) -> io.StringIO:
        """The rows in COPY's text format, local numbers turned into ids."""
        first = starts[self.model]
        converters = self.converters
        lines = []
        append = lines.append
        for number, row in enumerate(self.rows):
            cells = [str(first + number)]
            for convert, value in zip(converters, row, strict=True):
                if value is None:
                    cells.append(NULL)
                elif type(value) is Local:
                    cells.append(str(starts[value.model] + value.number))
                elif type(value) is Numbered:
                    cells.append(value.render(starts))
                else:
                    cells.append(convert(value))
            append("\t".join(cells))
        lines.append("")
        return io.StringIO("\n".join(lines))


class Rows:
    """Every table of one part."""

    def __init__(self):
        self.tables: dict[type[models.Model], Table] = {}

    def add(self, model: type[models.Model], **values) -> Local:
        table = self.tables.get(model)
        if table is None:
            table = self.tables[model] = Table(model, values)
        return Local(model, table.add(values))

    def counts(self) -> dict[type[models.Model], int]:
        return {model: len(table.rows) for model, table in self.tables.items()}

    def get(self, ref: Local) -> dict:
        """A row added earlier, as a dict (for the few rows a part reads back)."""
        table = self.tables[ref.model]
        return dict(zip(table.names, table.rows[ref.number], strict=True))

    def update(self, ref: Local, **values) -> None:
        """Change fields of a row not written yet (a state decided after the row)."""
        table = self.tables[ref.model]
        row = list(table.rows[ref.number])
        for name, value in values.items():
            row[table.names.index(name)] = value
        table.rows[ref.number] = tuple(row)


def sequence_name(cursor, model: type[models.Model]) -> str:
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [model._meta.db_table])
    return cursor.fetchone()[0]


def ids_reserve(cursor, counts: dict[type[models.Model], int]) -> dict[type[models.Model], int]:
    """Take a block of `count` consecutive ids from each table's sequence; the first id
    of each block. Nothing else inserts while the population is generated; ids the
    application takes later come after the blocks."""
    starts = {}
    for model, count in counts.items():
        if not count:
            starts[model] = 0
            continue
        sequence = sequence_name(cursor, model)
        cursor.execute("SELECT nextval(%s)", [sequence])
        first = cursor.fetchone()[0]
        if count > 1:
            cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
        starts[model] = first
    return starts


def copy_all(cursor, rows: Rows, starts: dict[type[models.Model], int]) -> None:
    """One COPY per table. Foreign keys are checked when the transaction commits
    (Django makes them deferrable), so the order of the tables does not matter."""
    for model, table in rows.tables.items():
        if not table.rows:
            continue
        columns = ", ".join(f'"{column}"' for column in table.columns)
        cursor.copy_expert(
            f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN', table.copy_text(starts)
        )
