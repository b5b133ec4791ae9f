"""Short lists read as columns of their parent's row.

A file page shows many short lists (a child's statuses, disabilities, views, ...), and a
prefetch reads each in a query of its own: a page of ten lists costs ten queries. Here a
list is one column of the parent's query instead, a PostgreSQL ARRAY of JSON objects (a
correlated subquery, filtered, ordered and sliced like any queryset), turned back into
model instances when read. Related objects named in the fields ("heard_by__last_name")
come with them, as with select_related; fields not read are deferred (reading one would
cost a query per row, which the query budgets catch: tests/test_query_budgets.py).

For lists of a few rows, with no long text: each row travels as JSON in the parent's row.
"""

from collections import defaultdict
from decimal import Decimal
from typing import TypeVar

from django.contrib.postgres.expressions import ArraySubquery
from django.db import models
from django.db.models import F, QuerySet
from django.db.models.functions import JSONObject

M = TypeVar("M", bound=models.Model)


def rows_column(queryset: QuerySet, *fields: str, **lists: ArraySubquery) -> ArraySubquery:
    """`fields` of each row of `queryset` (tied to the outer query with OuterRef), as one
    array column. A field is a concrete field's attname, or a path through foreign keys
    to one; a related object is built from the fields named under it, its primary key
    among them ("heard_by__id"). `lists` are rows_columns of each row's own short lists
    (a situation's grounds), read back with rows_of(..., lists={name: model})."""
    row = {name: F(name) for name in fields} | lists
    return ArraySubquery(queryset.values(row=JSONObject(**row)))


def every_field(model: type[models.Model], under: str = "") -> list[str]:
    """The attnames of `model`'s concrete fields, for rows_column; under a foreign key's
    path if given."""
    prefix = f"{under}__" if under else ""
    return [prefix + field.attname for field in model._meta.concrete_fields]


def fields_with(model: type[models.Model], *related: str) -> list[str]:
    """Every field of `model` and of the objects at each foreign-key path of `related`
    ("carer", "carer__person"), as select_related(*related) reads them."""
    names = every_field(model)
    for path in related:
        target = model
        for step in path.split("__"):
            target = target._meta.get_field(step).related_model
        names += every_field(target, under=path)
    return names


USER_NAME_FIELDS = ("id", "username", "last_name", "first_name", "patronymic")


def user_name(under: str) -> list[str]:
    """What a user's full_name reads, under the foreign key `under`."""
    return [f"{under}__{name}" for name in USER_NAME_FIELDS]


def rows_of(
    model: type[M], rows: list[dict] | None, lists: dict[str, type[models.Model]] | None = None
) -> list[M]:
    """The instances of `model` from a `rows_column`; each of its `lists` (name: model)
    set on every instance as a list of instances under that name."""
    lists = lists or {}
    instances = []
    for row in rows or ():
        obj = _instance(model, {k: v for k, v in row.items() if k not in lists})
        for name, list_model in lists.items():
            setattr(obj, name, rows_of(list_model, row.get(name)))
        instances.append(obj)
    return instances


def _instance(model: type[M], values: dict) -> M:
    own: dict[str, object] = {}
    related: dict[str, dict] = defaultdict(dict)
    for key, value in values.items():
        name, _sep, rest = key.partition("__")
        if rest:
            related[name][rest] = value
        else:
            own[name] = value
    fields = {f.attname: f for f in model._meta.concrete_fields}
    fields.update({f.name: f for f in model._meta.concrete_fields})
    given = {fields[name].attname: _python(fields[name], value) for name, value in own.items()}
    attnames = [f.attname for f in model._meta.concrete_fields if f.attname in given]
    obj = model.from_db("default", attnames, [given[name] for name in attnames])
    for name, sub in related.items():
        field = model._meta.get_field(name)
        target = field.related_model
        pk = sub.get(target._meta.pk.attname, sub.get("pk"))
        field.set_cached_value(obj, None if pk is None else _instance(target, sub))
    return obj


def _python(field: models.Field, value):
    """The field's Python value from its JSON one (dates and times come as ISO text)."""
    if value is None:
        return None
    if isinstance(field, models.DecimalField):
        return Decimal(str(value))
    return field.to_python(value)
