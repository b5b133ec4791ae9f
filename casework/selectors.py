"""Reads for the core: querysets already scoped to the user, calendars, notifications."""

import functools
from collections import defaultdict
from datetime import date

import holidays
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone as tz

from . import permissions
from . import timers as timer_handlers
from .holiday_names import translate_holiday_name
from .models import (
    ACTIVE_TIMER_STATUSES,
    CalendarOverride,
    CalendarOverrideKind,
    CommissionDecision,
    Notification,
    Organisation,
    Role,
    StaffMembership,
    Timer,
    TimerKind,
    TimerStatus,
    User,
)
from .working_days import WorkingCalendar, build_calendar

STAFF_PAGE_SIZE = 25


@functools.lru_cache(maxsize=16)
def _package_calendar(first_year: int, last_year: int) -> tuple[frozenset, frozenset]:
    """The law's days off and transferred working days, as the package computes them: the
    same for a process's lifetime, and costly enough (a few ms) to do once per year span,
    not once per police notice. Overrides are read fresh from the database each time."""
    package = holidays.country_holidays("KZ", years=range(first_year, last_year + 1))
    return frozenset(package.keys()), frozenset(package.weekend_workdays)


def working_calendar(*, first_year: int, last_year: int) -> WorkingCalendar:
    """The Kazakh working-day calendar for the given years, overrides applied."""
    days_off, working_days = _package_calendar(first_year, last_year)
    overrides = CalendarOverride.objects.filter(
        day__gte=date(first_year, 1, 1), day__lte=date(last_year, 12, 31)
    ).values_list("day", "kind")
    return build_calendar(
        first_year=first_year,
        last_year=last_year,
        package_days_off=days_off,
        package_working_days=working_days,
        overrides={day: kind == CalendarOverrideKind.WORKING_DAY for day, kind in overrides},
    )


def calendar_around(day: date) -> WorkingCalendar:
    """A calendar wide enough for any statutory timer started on `day`."""
    return working_calendar(first_year=day.year - 1, last_year=day.year + 1)


def holiday_names(*, year: int, language: str) -> dict[date, str]:
    """Names of the year's days off in the user's language.

    The package names holidays in Kazakh and English; Russian names come from our own
    catalog, keyed by the English name (see `casework.holiday_names`).
    """
    if language.startswith("kk"):
        return dict(holidays.country_holidays("KZ", years=year, language="kk").items())
    package = holidays.country_holidays("KZ", years=year, language="en_US")
    return {day: translate_holiday_name(name) for day, name in package.items()}


def calendar_overrides(*, year: int) -> QuerySet[CalendarOverride]:
    return CalendarOverride.objects.filter(day__year=year).order_by("day")


def _membership_prefetch() -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=permissions.active_memberships().select_related("organisation__district__region"),
        to_attr="active_memberships",
    )


def staff_list(*, user: User, search: str = "") -> QuerySet[User]:
    """Staff profiles the user may see, with their current memberships, for one page."""
    queryset = permissions.visible_to(user, permissions.STAFF).filter(is_active=True)
    for word in search.split():
        queryset = queryset.filter(
            Q(last_name__icontains=word)
            | Q(first_name__icontains=word)
            | Q(patronymic__icontains=word)
            | Q(username__icontains=word)
        )
    return queryset.prefetch_related(_membership_prefetch()).order_by(
        "last_name", "first_name", "pk"
    )


def staff_profile(*, user: User, pk: object, action: str = permissions.VIEW) -> User:
    profile = permissions.get_staff_for_user_or_404(user, pk, action)
    memberships = (
        StaffMembership.objects.filter(user=profile)
        .select_related("organisation__district__region")
        .order_by("-started_on")
    )
    profile.all_memberships = list(memberships)
    return profile


def notifications_for(*, user: User, limit: int = 20) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user).order_by("-created_at")[:limit])


def notifications_pending(*, limit: int = 200) -> list[int]:
    return list(
        Notification.objects.filter(sent_at__isnull=True)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


def district_organisation(*, district_id: int, kind: str) -> Organisation | None:
    """The district's (first active) organisation of a kind: its guardianship authority,
    its Family Support Center."""
    return (
        Organisation.objects.filter(district_id=district_id, kind=kind, archived_at__isnull=True)
        .order_by("pk")
        .first()
    )


def organisation_staff(*, organisation_id: int, roles: frozenset[str] | set[str]) -> list[User]:
    return list(
        organisation_staff_choices(organisation_id=organisation_id, roles=roles).order_by("pk")
    )


def organisation_staff_choices(
    *, organisation_id: int, roles: frozenset[str] | set[str]
) -> QuerySet[User]:
    """The organisation's active staff in `roles`, as a form's choices (by name)."""
    return User.objects.filter(
        is_active=True,
        pk__in=permissions.active_memberships()
        .filter(organisation_id=organisation_id, role__in=roles)
        .values("user_id"),
    ).order_by("last_name", "first_name", "pk")


def notifications_unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


WORKLIST_LIMIT = 200


def timers_with_links(timers, *, now) -> list[Timer]:
    """Running timers as the worklist shows them: a link to each subject, overdue and
    due-today flags. One query per kind of subject, whatever the number of timers."""
    items = list(timers)
    by_kind = defaultdict(list)
    for item in items:
        by_kind[item.kind].append(item.subject_id)
    handlers = timer_handlers.registered_handlers()
    urls = {
        kind: handlers[kind].subject_urls(ids) for kind, ids in by_kind.items() if kind in handlers
    }
    today = now.astimezone(tz.get_current_timezone()).date()
    for item in items:
        item.url = urls.get(item.kind, {}).get(item.subject_id, "")
        item.overdue = item.status == TimerStatus.OVERDUE or item.due_at <= now
        item.due_today = (
            not item.overdue and item.due_at.astimezone(tz.get_current_timezone()).date() == today
        )
    return items


def worklist(*, user: User, now=None) -> dict:
    """The user's running statutory deadlines, across every kind of timer, soonest first.

    Heads see every open timer of the organisations they head; other staff see those
    assigned to them and the unassigned ones of their organisations.
    """
    now = now or tz.now()
    scope = permissions.scope_for(user)
    headed = scope.organisations_with(permissions.HEAD_ROLES)
    mine = Q(organisation_id__in=headed) | Q(responsible=user)
    mine |= Q(organisation_id__in=scope.organisation_ids, responsible__isnull=True)
    commissions = scope.organisations_with(frozenset({Role.KDN_SECRETARY}))
    if commissions:
        # The secretary tracks the execution of the commission's instructions.
        decided = CommissionDecision.objects.filter(item__commission_id__in=commissions)
        mine |= Q(kind=TimerKind.KDN_DECISION, subject_id__in=decided.values("pk"))
    items = timers_with_links(
        Timer.objects.filter(mine, status__in=ACTIVE_TIMER_STATUSES)
        .select_related("responsible")
        .order_by("due_at", "pk")[:WORKLIST_LIMIT],
        now=now,
    )
    return {
        "items": items,
        "overdue": sum(item.overdue for item in items),
        "due_today": sum(item.due_today for item in items),
        "truncated": len(items) == WORKLIST_LIMIT,
    }
