"""The official statistics page and its XLSX and CSV exports."""

import csv
from io import BytesIO

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.disclosure import SMALL_CELL, suppressed
from casework.models import District, Role
from casework.permissions import Scope, scope_for

from .permissions import GUARDIANSHIP
from .statistics import Table, statistics_table

ANALYSTS = frozenset({Role.ANALYST})


def statistics_districts(scope: Scope):
    """Districts whose figures the user may see: guardianship its own, an analyst its
    region (or the country, for a national body)."""
    district_ids = set(scope.districts_with(GUARDIANSHIP))
    for membership in scope.memberships:
        if membership.role != Role.ANALYST:
            continue
        regional = District.objects.all()
        if membership.region_id:
            regional = regional.filter(region_id=membership.region_id)
        district_ids |= set(regional.values_list("pk", flat=True))
    return (
        District.objects.filter(pk__in=district_ids)
        .select_related("region")
        .order_by("region__name_ru", "name_ru")
    )


class StatisticsForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("On"), help_text=gettext_lazy("DD.MM.YYYY"))
    district = forms.ModelChoiceField(
        label=gettext_lazy("District"),
        queryset=District.objects.none(),
        required=False,
        empty_label=gettext_lazy("All my districts"),
    )

    def __init__(self, data, *, districts):
        super().__init__(data)
        self.fields["district"].queryset = districts


def _table(request) -> tuple[StatisticsForm, Table | None, bool]:
    scope = scope_for(request.user)
    districts = statistics_districts(scope)
    if not districts.exists():
        raise PermissionDenied
    data = request.GET.copy()
    data.setdefault("on", timezone.localdate().strftime("%d.%m.%Y"))
    form = StatisticsForm(data, districts=districts)
    if not form.is_valid():
        return form, None, False
    chosen = form.cleaned_data["district"]
    ids = [chosen.pk] if chosen else list(districts.values_list("pk", flat=True))
    table = statistics_table(day=form.cleaned_data["on"], district_ids=ids)
    # Guardianship sees its own district in full; an analyst sees aggregates with small
    # cells hidden.
    return form, table, bool(scope.roles & ANALYSTS) and not scope.districts_with(GUARDIANSHIP)


@login_required
def statistics_page(request):
    form, table, suppress = _table(request)
    query = request.GET.urlencode()
    return render(
        request,
        "children/statistics.html",
        {
            "form": form,
            "table": table,
            "lines": _lines(table, suppress) if table else [],
            "suppress": suppress,
            "small_cell": SMALL_CELL,
            "query": query,
        },
    )


def _header(table: Table) -> list[str]:
    return [
        _("District"),
        _("Total"),
        *[str(label) for _key, label in table.columns],
        _("Secondary orphanhood since 1 January"),
        _("Children with disabilities"),
        _("of them receiving special social services"),
        _("Share, %"),
    ]


def _lines(table: Table, suppress: bool) -> list[list[str]]:
    show = suppressed if suppress else (lambda v: str(v))
    lines = []
    for row in [*table.rows, table.total]:
        share = row.served_share
        lines.append(
            [
                str(row.district) if row.district else _("Total"),
                show(row.total),
                *[show(row.cells.get(key, 0)) for key, _label in table.columns],
                show(row.secondary_orphanhood),
                show(row.disabled),
                show(row.disabled_served),
                "—"
                if share is None or (suppress and row.disabled < SMALL_CELL)
                else f"{share * 100:.1f}",
            ]
        )
    return lines


@login_required
def statistics_export(request, fmt: str):
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    _form, table, suppress = _table(request)
    if table is None:
        return statistics_page(request)
    lines = [_header(table), *_lines(table, suppress)]
    name = f"qamqor-statistics-{table.on:%Y-%m-%d}"
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        response.write("\ufeff")  # Excel opens UTF-8 Cyrillic correctly with a BOM
        writer = csv.writer(response, delimiter=";")
        writer.writerow(
            [
                _("Orphans and children left without parental care on %(date)s")
                % {"date": f"{table.on:%d.%m.%Y}"}
            ]
        )
        writer.writerows(lines)
        return response
    return _xlsx(table, lines, name)


def _xlsx(table: Table, lines: list[list[str]], name: str) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = f"{table.on:%d.%m.%Y}"
    sheet.append(
        [
            _("Orphans and children left without parental care on %(date)s")
            % {"date": f"{table.on:%d.%m.%Y}"}
        ]
    )
    sheet["A1"].font = Font(bold=True)
    for n, line in enumerate(lines):
        sheet.append([int(v) if v.isdigit() else v for v in line])
        if n == 0:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 32
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
