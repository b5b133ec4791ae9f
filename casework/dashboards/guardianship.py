"""The district guardianship head: what is open, what is late, how the district keeps the
one-working-day transfer rule, and how its staffing compares to the national norm."""

import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from casework.charts import BarChart, LineChart, bar_chart, line_chart
from casework.models import Breach, Organisation, Role, Timer, TimerStatus
from casework.permissions import active_memberships
from casework.selectors import timers_with_links
from referrals.models import Referral, Status

from .common import (
    LIST_LIMIT,
    Clock,
    monthly_compliance,
    overdue_q,
    rate,
    timer_counts,
)

AWAITING_TRIAGE = [Status.RECEIVED, Status.RETURNED]
AT_THE_FSC = [Status.TRANSFERRED, Status.PICKED_UP, Status.IN_WORK]


@dataclass
class Staffing:
    children: int
    specialists: int
    norm: int  # children per specialist
    needed: int
    children_per_specialist: int | None

    @property
    def short_by(self) -> int:
        return max(self.needed - self.specialists, 0)


@dataclass
class GuardianshipDashboard:
    organisation: Organisation
    referrals: dict
    timers: dict
    overdue: list[Timer]
    breaches_this_month: int
    breaches: list[Breach]
    compliance: float | None
    compliance_detail: tuple[int, int]
    trend: LineChart
    staffing: Staffing
    staffing_chart: BarChart
    caseload: list[dict]
    caseload_chart: BarChart


def guardianship_dashboard(*, organisation: Organisation, clock: Clock) -> GuardianshipDashboard:
    timers = Timer.objects.filter(organisation=organisation)
    months = monthly_compliance(timers, clock)
    done = sum(row[1] for row in months)
    due = sum(row[2] for row in months)
    staffing, caseload = _staffing(organisation, clock)
    breaches = Breach.objects.filter(
        organisation=organisation, recorded_at__gte=clock.month_start
    ).order_by("-recorded_at")
    return GuardianshipDashboard(
        organisation=organisation,
        referrals=_open_referrals(organisation),
        timers=timer_counts(timers, clock),
        overdue=timers_with_links(
            timers.filter(overdue_q(clock))
            .select_related("responsible")
            .order_by("due_at", "pk")[:LIST_LIMIT],
            now=clock.now,
        ),
        breaches_this_month=breaches.count(),
        breaches=list(breaches[:LIST_LIMIT]),
        compliance=rate(done, due),
        compliance_detail=(done, due),
        trend=compliance_chart(months),
        staffing=staffing,
        staffing_chart=bar_chart(
            [(_("children per specialist"), staffing.children_per_specialist or 0)],
            reference=staffing.norm,
            reference_label=_("norm"),
        ),
        caseload=caseload,
        caseload_chart=bar_chart([(row["name"], row["open"]) for row in caseload]),
    )


def compliance_chart(months) -> LineChart:
    return line_chart(
        [
            (
                month.strftime("%m.%y"),
                rate(done, total),
                _("%(done)s of %(total)s in time") % {"done": done, "total": total},
            )
            for month, done, total in months
        ],
        target=100,
        target_label=_("the law: every notice in time"),
    )


def _open_referrals(organisation: Organisation) -> dict:
    live = Referral.objects.filter(district_id=organisation.district_id, archived_at__isnull=True)
    return live.aggregate(
        awaiting_triage=Count("pk", filter=Q(status__in=AWAITING_TRIAGE)),
        awaiting_transfer=Count("pk", filter=Q(status=Status.REGISTERED)),
        at_the_fsc=Count("pk", filter=Q(status__in=AT_THE_FSC)),
    )


def _staffing(organisation: Organisation, clock: Clock) -> tuple[Staffing, list[dict]]:
    """Specialists against the norm of one per N children of the district, and each
    specialist's running deadlines."""
    specialists = list(
        active_memberships()
        .filter(organisation=organisation, role=Role.GUARDIANSHIP_SPECIALIST)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    loads = {
        row["responsible_id"]: row
        for row in Timer.objects.filter(
            organisation=organisation,
            status__in=[TimerStatus.OPEN, TimerStatus.OVERDUE],
        )
        .values("responsible_id")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=overdue_q(clock)))
    }
    caseload = [
        {"name": m.user.full_name, **_counts(loads.get(m.user_id, {}))} for m in specialists
    ]
    if None in loads:  # deadlines nobody has taken: the head's to hand out
        caseload.append({"name": _("Not assigned"), **_counts(loads[None])})
    children = organisation.district.child_population
    norm = settings.CHILDREN_PER_GUARDIANSHIP_SPECIALIST
    count = len(specialists)
    staffing = Staffing(
        children=children,
        specialists=count,
        norm=norm,
        needed=math.ceil(children / norm) if children else 0,
        children_per_specialist=round(children / count) if count else None,
    )
    return staffing, caseload


def _counts(load: dict) -> dict:
    return {"open": load.get("open", 0), "overdue": load.get("overdue", 0)}
