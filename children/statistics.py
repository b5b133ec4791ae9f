"""Official statistics from the registry, in the Bureau of National Statistics breakdown.

Orphans and children left without parental care (an orphan or without-care status, or a
substitute-care placement, on the date) in a territory, by where they live: under guardianship or trusteeship, in a foster family, in patronage, in a
professional foster family, in organisations (by system), and "other" (not yet placed,
adopted on that day, temporary), so the parts always add up to the total. Each figure is
one grouped query over the registry: no row is loaded into Python.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from casework.models import District

from .models import Child, ChildStatus, Disability, Placement, PlacementForm, StatusCategory

# Columns of the table, in the Bureau's order, and the placement forms each one counts.
COLUMNS: list[tuple[str, object, frozenset[str]]] = [
    (
        "guardianship",
        _("Under guardianship or trusteeship"),
        frozenset({PlacementForm.GUARDIANSHIP, PlacementForm.TRUSTEESHIP}),
    ),
    ("foster", _("Foster family"), frozenset({PlacementForm.FOSTER_FAMILY})),
    ("patronage", _("Patronage"), frozenset({PlacementForm.PATRONAGE})),
    (
        "professional",
        _("Professional foster family"),
        frozenset({PlacementForm.PROFESSIONAL_FOSTER}),
    ),
    ("education", _("In organisations of education"), frozenset({PlacementForm.ORGANISATION})),
    (
        "health",
        _("In organisations of health care"),
        frozenset({PlacementForm.BABY_HOME, PlacementForm.HEALTH_FACILITY}),
    ),
]
OTHER = ("other", _("Other (not yet placed, temporary)"))
WITHOUT_CARE = [StatusCategory.ORPHAN, StatusCategory.WITHOUT_CARE]


@dataclass
class Row:
    district: District | None
    total: int = 0
    cells: dict[str, int] = field(default_factory=dict)
    disabled: int = 0
    disabled_served: int = 0
    secondary_orphanhood: int = 0

    @property
    def served_share(self) -> float | None:
        return self.disabled_served / self.disabled if self.disabled else None


@dataclass
class Table:
    on: date
    rows: list[Row]
    total: Row
    columns: list[tuple[str, object]]


def _active_on(day: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}started_on__lte": day}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": day})
    )


def _children_without_care(day: date, district_ids) -> "Child.objects":
    # Driven from the few thousand statuses and placements, not from the district's tens
    # of thousands of children: as a union the planner knows how few they are, where two
    # ORed EXISTS made it read every person of the country (a second a table).
    with_status = (
        ChildStatus.objects.filter(category__in=WITHOUT_CARE)
        .filter(_active_on(day))
        .values("child_id")
    )
    placed = Placement.objects.filter(is_addition=False).filter(_active_on(day))
    in_care = placed.exclude(form=PlacementForm.ADOPTION).values("child_id")
    main_placement = (
        placed.filter(child=OuterRef("pk")).order_by("-started_on", "-pk").values("form")[:1]
    )
    # A child in substitute care is without parental care even if no status was entered.
    return Child.objects.filter(
        pk__in=with_status.union(in_care),
        district_id__in=district_ids,
        person__merged_into__isnull=True,
        archived_at__isnull=True,  # a duplicate or mistaken file is not a child
    ).annotate(form=Subquery(main_placement))


def statistics_table(*, day: date, district_ids: list[int]) -> Table:
    """The table for `day` over the districts, one row each, and the total row."""
    districts = {d.pk: d for d in District.objects.filter(pk__in=district_ids).order_by("name_ru")}
    rows = {pk: Row(district=d) for pk, d in districts.items()}
    counts = (
        _children_without_care(day, list(districts))
        .values("district_id", "form")
        .annotate(n=Count("pk"))
    )
    column_of = {form: key for key, _label, forms in COLUMNS for form in forms}
    for line in counts:
        row = rows[line["district_id"]]
        key = column_of.get(line["form"], OTHER[0])
        row.cells[key] = row.cells.get(key, 0) + line["n"]
        row.total += line["n"]
    _add_disabilities(rows, day)
    _add_secondary_orphanhood(rows, day)
    total = Row(district=None)
    for row in rows.values():
        total.total += row.total
        total.disabled += row.disabled
        total.disabled_served += row.disabled_served
        total.secondary_orphanhood += row.secondary_orphanhood
        for key, value in row.cells.items():
            total.cells[key] = total.cells.get(key, 0) + value
    columns = [(key, label) for key, label, _forms in COLUMNS] + [OTHER]
    return Table(on=day, rows=list(rows.values()), total=total, columns=columns)


def _add_disabilities(rows: dict[int, Row], day: date) -> None:
    valid = Q(established_on__lte=day) & (Q(valid_until__isnull=True) | Q(valid_until__gte=day))
    current = Disability.objects.filter(valid)
    served = current.filter(child=OuterRef("pk")).exclude(special_services="")
    lines = (
        Child.objects.filter(
            pk__in=current.values("child_id"),
            district_id__in=list(rows),
            person__merged_into__isnull=True,
            archived_at__isnull=True,
        )
        .annotate(served=Exists(served))
        .values("district_id", "served")
        .annotate(n=Count("pk"))
    )
    for line in lines:
        rows[line["district_id"]].disabled += line["n"]
        if line["served"]:
            rows[line["district_id"]].disabled_served += line["n"]


def _add_secondary_orphanhood(rows: dict[int, Row], day: date) -> None:
    """Returns from a family to an organisation in the calendar year up to `day`."""
    lines = (
        Placement.objects.filter(
            secondary_orphanhood=True,
            child__district_id__in=list(rows),
            child__archived_at__isnull=True,
            ended_on__gte=date(day.year, 1, 1),
            ended_on__lte=day,
        )
        .values("child__district_id")
        .annotate(n=Count("pk"))
    )
    for line in lines:
        rows[line["child__district_id"]].secondary_orphanhood = line["n"]
