"""The commission's secretary: the coming meetings, the queue of submitted files, and the
instructions whose execution is late."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q

from casework.models import (
    AgendaItem,
    AgendaItemStatus,
    CommissionDecision,
    KdnMeeting,
    MeetingStatus,
    Organisation,
)

from .common import LIST_LIMIT, Clock


@dataclass
class KdnDashboard:
    organisation: Organisation
    meetings: list[KdnMeeting]
    queue: int
    decisions: dict
    overdue: list[CommissionDecision]


def kdn_dashboard(*, organisation: Organisation, clock: Clock) -> KdnDashboard:
    decisions = CommissionDecision.objects.filter(
        item__commission=organisation, executed_at__isnull=True, due_at__isnull=False
    )
    return KdnDashboard(
        organisation=organisation,
        meetings=list(
            KdnMeeting.objects.filter(
                commission=organisation,
                status__in=[MeetingStatus.PLANNED, MeetingStatus.PUBLISHED],
                held_at__gte=clock.today_start,
            )
            .annotate(item_count=Count("items"))
            .order_by("held_at", "pk")[:LIST_LIMIT]
        ),
        queue=AgendaItem.objects.filter(
            commission=organisation, status=AgendaItemStatus.SUBMITTED
        ).count(),
        decisions=decisions.aggregate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(due_at__lte=clock.now)),
            due_this_week=Count(
                "pk",
                filter=Q(due_at__gt=clock.now, due_at__lt=clock.tomorrow_start + timedelta(days=7)),
            ),
        ),
        overdue=list(
            decisions.filter(due_at__lte=clock.now)
            .select_related("owner_organisation", "owner", "item")
            .order_by("due_at", "pk")[:LIST_LIMIT]
        ),
    )
