"""The Family Support Center head: how long referrals wait in the inbox, which primary
assessments are due, which plan measures are late, and who carries which cases."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Min, Q

from casework.charts import BarChart, bar_chart
from casework.models import (
    OPEN_CASE_STATUSES,
    Case,
    CaseStatus,
    Organisation,
    Role,
    Timer,
    TimerKind,
)
from casework.permissions import active_memberships
from casework.selectors import timers_with_links
from referrals.models import Referral, Status

from .common import LIST_LIMIT, Clock, due_today_q, overdue_q, timer_counts


@dataclass
class FscDashboard:
    organisation: Organisation
    inbox: dict
    assessments: dict
    measures: dict
    late: list[Timer]
    cases: list[tuple[str, int]]
    caseload: list[dict]
    caseload_chart: BarChart


def fsc_dashboard(*, organisation: Organisation, clock: Clock) -> FscDashboard:
    timers = Timer.objects.filter(organisation=organisation)
    assessments = timers.filter(kind=TimerKind.CASE_ASSESSMENT)
    measures = timers.filter(kind=TimerKind.PLAN_MEASURE)
    caseload = _caseload(organisation)
    return FscDashboard(
        organisation=organisation,
        inbox=_inbox_age(organisation, clock),
        assessments={
            **timer_counts(assessments, clock),
            "next_3_days": assessments.filter(
                Q(status="open", due_at__gte=clock.tomorrow_start)
                & Q(due_at__lt=clock.tomorrow_start + timedelta(days=3))
            ).count(),
        },
        measures=timer_counts(measures, clock),
        late=timers_with_links(
            timers.filter(
                Q(kind__in=[TimerKind.CASE_ASSESSMENT, TimerKind.PLAN_MEASURE])
                & (overdue_q(clock) | due_today_q(clock))
            )
            .select_related("responsible")
            .order_by("due_at", "pk")[:LIST_LIMIT],
            now=clock.now,
        ),
        cases=_cases_by_status(organisation),
        caseload=caseload,
        caseload_chart=bar_chart([(row["name"], row["cases"]) for row in caseload]),
    )


def _inbox_age(organisation: Organisation, clock: Clock) -> dict:
    """Waiting referrals by how long they have waited since the transfer."""
    day_ago = clock.now - timedelta(days=1)
    three_days_ago = clock.now - timedelta(days=3)
    return Referral.objects.filter(fsc=organisation, status=Status.TRANSFERRED).aggregate(
        total=Count("pk"),
        under_a_day=Count("pk", filter=Q(transferred_at__gt=day_ago)),
        one_to_three_days=Count(
            "pk", filter=Q(transferred_at__lte=day_ago, transferred_at__gt=three_days_ago)
        ),
        over_three_days=Count("pk", filter=Q(transferred_at__lte=three_days_ago)),
        threat_to_life=Count("pk", filter=Q(threat_to_life=True)),
        oldest=Min("transferred_at"),
    )


def _cases_by_status(organisation: Organisation) -> list[tuple[str, int]]:
    counts = dict(
        Case.objects.filter(organisation=organisation, status__in=OPEN_CASE_STATUSES)
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return [(CaseStatus(status).label, counts.get(status, 0)) for status in OPEN_CASE_STATUSES]


def _caseload(organisation: Organisation) -> list[dict]:
    """Open cases led by each specialist of the center."""
    staff = list(
        active_memberships()
        .filter(organisation=organisation, role__in=[Role.FSC_SPECIALIST, Role.FSC_HEAD])
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    led = dict(
        Case.objects.filter(
            organisation=organisation,
            status__in=OPEN_CASE_STATUSES,
            lead_id__in=[m.user_id for m in staff],
        )
        .values_list("lead_id")
        .annotate(n=Count("pk"))
    )
    seen, rows = set(), []
    for membership in staff:
        if membership.user_id in seen:  # a head may also hold a specialist membership
            continue
        seen.add(membership.user_id)
        rows.append({"name": membership.user.full_name, "cases": led.get(membership.user_id, 0)})
    return rows
