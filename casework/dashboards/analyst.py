"""The analyst: regional and national aggregates only. No names, no numbers of files, and
small cells hidden, so that no child or family can be recognised from the figures."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from casework.charts import LineChart, line_chart
from casework.disclosure import SMALL_CELL, suppressed
from casework.models import (
    OPEN_CASE_STATUSES,
    Breach,
    Case,
    District,
    Region,
    Timer,
    TimerStatus,
)
from referrals.models import OPEN_STATUSES, Referral

from .common import Clock, monthly_compliance, overdue_q, rate, transfer_outcomes


@dataclass
class AreaRow:
    name: str
    open_referrals: int = 0
    notices_in_time: int = 0
    notices_due: int = 0
    breaches: int = 0
    open_cases: int = 0
    overdue: int = 0
    is_total: bool = False

    @property
    def cells(self) -> list[str]:
        """The row as shown: counts below SMALL_CELL hidden, rates only over enough notices."""
        in_time = rate(self.notices_in_time, self.notices_due, minimum=SMALL_CELL)
        return [
            suppressed(self.open_referrals),
            suppressed(self.notices_due),
            "—" if in_time is None else f"{in_time:g} %",
            suppressed(self.breaches),
            suppressed(self.open_cases),
            suppressed(self.overdue),
        ]

    def add(self, other: "AreaRow") -> None:
        for name in FIGURES:
            setattr(self, name, getattr(self, name) + getattr(other, name))


FIGURES = ("open_referrals", "notices_in_time", "notices_due", "breaches", "open_cases", "overdue")


@dataclass
class AnalystDashboard:
    area: str
    rows: list[AreaRow]
    trend: LineChart
    national_rate: float | None


def analyst_dashboard(*, region: Region | None, clock: Clock) -> AnalystDashboard:
    """A regional analyst sees the region's districts, the region and the country; a
    national analyst sees every region and the country. Every figure is counted by
    district once; a region's row is the sum of its districts' (each figure is counted
    where a district is known, so nothing is left out of the sums)."""
    districts = list(District.objects.order_by("name_ru"))
    by_district = _district_rows(clock, districts)
    by_region = {r.pk: AreaRow(name=str(r)) for r in Region.objects.order_by("name_ru")}
    for district in districts:
        by_region[district.region_id].add(by_district[district.pk])
    national = AreaRow(name=_("Kazakhstan"), is_total=True)
    for row in by_region.values():
        national.add(row)
    if region is None:
        rows = [*by_region.values(), national]
        months = monthly_compliance(Timer.objects.all(), clock)
        area = _("Kazakhstan")
    else:
        rows = [by_district[d.pk] for d in districts if d.region_id == region.pk]
        regional = by_region[region.pk]
        regional.is_total = True
        rows += [regional, national]
        months = monthly_compliance(
            Timer.objects.filter(organisation__district__region=region), clock
        )
        area = str(region)
    national_rate = rate(national.notices_in_time, national.notices_due, minimum=SMALL_CELL)
    return AnalystDashboard(
        area=area,
        rows=rows,
        trend=_suppressed_trend(months, national_rate),
        national_rate=national_rate,
    )


def _suppressed_trend(months, national_rate: float | None) -> LineChart:
    return line_chart(
        [
            (
                month.strftime("%m.%y"),
                rate(done, total, minimum=SMALL_CELL),
                _("%(total)s notices") % {"total": suppressed(total)},
            )
            for month, done, total in months
        ],
        target=national_rate,
        target_label=_("Kazakhstan, 12 months"),
    )


def _district_rows(clock: Clock, districts) -> dict:
    """One row per district, each figure counted by one grouped query."""
    rows = {district.pk: AreaRow(name=str(district)) for district in districts}

    def fill(queryset, key, **figures):
        for line in queryset.values(key).annotate(**figures):
            row = rows.get(line[key])
            if row is None:
                continue
            for name in figures:
                setattr(row, name, line[name])

    fill(
        Referral.objects.filter(status__in=OPEN_STATUSES, archived_at__isnull=True),
        "district_id",
        open_referrals=Count("pk"),
    )
    fill(
        transfer_outcomes(Timer.objects.all(), clock),
        "organisation__district_id",
        notices_in_time=Count("pk", filter=Q(status=TimerStatus.DONE)),
        notices_due=Count("pk"),
    )
    fill(
        Breach.objects.filter(recorded_at__gte=clock.trend_start),
        "organisation__district_id",
        breaches=Count("pk"),
    )
    fill(
        Case.objects.filter(status__in=OPEN_CASE_STATUSES),
        "district_id",
        open_cases=Count("pk"),
    )
    fill(
        Timer.objects.filter(overdue_q(clock)),
        "organisation__district_id",
        overdue=Count("pk"),
    )
    return rows
