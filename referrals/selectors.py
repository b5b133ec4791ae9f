"""Reads of referrals, always scoped to the user through the access core."""

from datetime import datetime, timedelta

import django_filters
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import Organisation, Role
from casework.models.organisations import ROLE_ORGANISATION_KINDS
from casework.permissions import get_object_for_user_or_404, scope_for, visible_to
from casework.selectors import calendar_around
from casework.working_days import ALMATY, working_time_between

from .models import ConcernCategory, Referral, ReferralKind, Status
from .permissions import (
    FSC,
    REFERRALS,
    attachments_for,
    sees_the_work,
    sender_ids,
)

PAGE_SIZE = 25
LIST_RELATED = ["district", "source_organisation", "fsc", "assigned_to"]


def referral_list(*, user, params=None) -> "ReferralFilter":
    """The referrals the user may see, filtered by the list page's parameters."""
    queryset = (
        visible_to(user, REFERRALS)
        .filter(archived_at__isnull=True)
        .select_related(*LIST_RELATED)
        .order_by("-received_at", "-pk")
    )
    return ReferralFilter(params or None, queryset=queryset, user=user)


def referral_detail(*, user, pk, action: str = "view") -> Referral:
    referral = get_object_for_user_or_404(
        user, REFERRALS, pk, action, queryset=Referral.objects.select_related(*LIST_RELATED)
    )
    referral.timeline = list(referral.events.select_related("actor").order_by("at", "pk"))
    # Archived attachments leave the page; the timeline says which, when and why.
    referral.files = list(
        attachments_for(user, referral)
        .filter(archived_at__isnull=True)
        .order_by("uploaded_at", "pk")
    )
    referral.sees_the_work = sees_the_work(user, referral)
    if not referral.sees_the_work:
        # The sender follows the steps, not who took them or what they noted.
        senders = set(sender_ids(referral).values_list("user_id", flat=True))
        for event in referral.timeline:
            if event.actor_id is not None and event.actor_id not in senders:
                event.actor, event.actor_withheld, event.note = None, True, ""
    return referral


def fsc_inbox(*, user) -> QuerySet[Referral]:
    """Transferred, not yet picked up: life-threatening first, then oldest due first.
    (A referral at the FSC cannot be archived, so the inbox never holds one.)"""
    return (
        visible_to(user, REFERRALS)
        .filter(fsc_id__in=scope_for(user).organisations_with(FSC), status=Status.TRANSFERRED)
        .select_related(*LIST_RELATED)
        .order_by("-threat_to_life", "transferred_at", "pk")
    )


def transfer_time_left(
    referral: Referral, now: datetime | None = None, calendar=None
) -> dict | None:
    """What the pages show about the transfer deadline: working time left, or overdue.

    Lists pass one `calendar` for the whole page rather than reading it per row.
    """
    if referral.transfer_due_at is None or referral.status != Status.REGISTERED:
        return None
    now = now or timezone.now()
    due = referral.transfer_due_at
    if now >= due:
        return {"overdue": True, "late_by": now - due, "due": due}
    left = working_time_between(
        now,
        due,
        calendar or calendar_around(due.astimezone(ALMATY).date()),
        opens_at=settings.WORKDAY_STARTS_AT,
        closes_at=settings.WORKDAY_ENDS_AT,
    )
    return {
        "overdue": False,
        "working_left": left,
        "due": due,
        "due_today": due.astimezone(ALMATY).date() == now.astimezone(ALMATY).date(),
    }


def _today_bounds(now: datetime) -> tuple[datetime, datetime]:
    local = now.astimezone(ALMATY)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


def source_choices(user) -> QuerySet[Organisation]:
    """The organisations the source filter offers: those that refer in the districts
    whose referrals the user works on, and a referrer's own. Read from the organisations,
    not from the referrals: a district with tens of thousands of them would scan them
    all on every page of the list."""
    scope = scope_for(user)
    working = frozenset(scope.roles) - {Role.REFERRER}
    return Organisation.objects.filter(
        Q(
            district_id__in=scope.districts_with(working),
            kind__in=ROLE_ORGANISATION_KINDS[Role.REFERRER],
            archived_at__isnull=True,
        )
        | Q(pk__in=scope.organisations_with(frozenset({Role.REFERRER})))
    ).order_by("name_ru")


class ReferralFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ReferralKind.choices)
    source = django_filters.ModelChoiceFilter(
        label=_("Source organisation"),
        field_name="source_organisation",
        queryset=Organisation.objects.none(),
    )
    category = django_filters.ChoiceFilter(
        label=_("Concern"), choices=ConcernCategory.choices, method="filter_category"
    )
    urgent = django_filters.ChoiceFilter(
        label=_("Threat to life or health"),
        choices=[("yes", _("Only threats to life or health"))],
        method="filter_urgent",
    )
    due = django_filters.ChoiceFilter(
        label=_("Transfer deadline"),
        choices=[("today", _("Due today")), ("overdue", _("Overdue"))],
        method="filter_due",
    )

    class Meta:
        model = Referral
        fields: list[str] = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["source"].queryset = source_choices(user)

    def filter_urgent(self, queryset, name, value):
        return queryset.filter(threat_to_life=True)

    def filter_search(self, queryset, name, value):
        for word in value.split()[:5]:
            condition = (
                Q(child_name__icontains=word)
                | Q(family_name__icontains=word)
                | Q(address__icontains=word)
                | Q(registration_number__icontains=word)
            )
            if word.isascii() and word.isdigit() and len(word) <= 12:
                condition |= Q(pk=int(word))
            queryset = queryset.filter(condition)
        return queryset

    def filter_category(self, queryset, name, value):
        return queryset.filter(categories__contains=[value])

    def filter_due(self, queryset, name, value):
        now = timezone.now()
        awaiting = queryset.filter(status=Status.REGISTERED)
        if value == "overdue":
            return awaiting.filter(transfer_due_at__lte=now)
        start, end = _today_bounds(now)
        return awaiting.filter(transfer_due_at__gte=start, transfer_due_at__lt=end)


def referral_row(*, user, pk: int) -> Referral:
    """One row of the list or the inbox, re-read after an action taken in place."""
    return get_object_for_user_or_404(
        user, REFERRALS, pk, queryset=Referral.objects.select_related(*LIST_RELATED)
    )
