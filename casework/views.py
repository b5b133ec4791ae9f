from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.http import require_POST
from rest_framework.exceptions import NotFound, ParseError

from . import account_selectors, health, permissions, selectors
from .forms import LanguageForm, StaffProfileForm, StaffSearchForm
from .htmx import wants_fragment
from .services.audit import audit_read_record
from .services.notifications import notification_mark_read
from .services.notifications import notifications_mark_read as notifications_mark_read_service
from .services.staff import staff_profile_update, user_language_set
from .working_days import is_working_day, next_working_day


@login_required
def home(request):
    scope = permissions.scope_for(request.user)
    today = timezone.localdate()
    calendar = selectors.calendar_around(today)
    context = {
        "memberships": selectors.staff_profile(
            user=request.user, pk=request.user.pk
        ).all_memberships,
        "roles": sorted(scope.roles),
        "today": today,
        "today_is_working_day": is_working_day(today, calendar),
        "next_working_day": next_working_day(today, calendar),
        "unread_notifications": selectors.notifications_for(user=request.user, limit=5),
        "work": selectors.worklist(user=request.user),
        "meetings": _meetings_to_read(request.user, scope),
    }
    return render(request, "casework/home.html", context)


def _meetings_to_read(user, scope) -> list:
    """A commission member's work: the agendas open to them now."""
    from casework.case_permissions import KDN
    from casework.kdn_selectors import meeting_list

    if not scope.organisations_with(KDN):
        return []
    return list(meeting_list(user=user).filter(status__in=["planned", "published"])[:5])


@login_required
def worklist(request):
    return render(
        request, "casework/worklist.html", {"work": selectors.worklist(user=request.user)}
    )


@login_required
def staff_list(request):
    form = StaffSearchForm(request.GET or None)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    paginator = Paginator(
        selectors.staff_list(user=request.user, search=search), selectors.STAFF_PAGE_SIZE
    )
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request, "casework/staff_list.html", {"form": form, "page": page, "search": search}
    )


@login_required
def staff_detail(request, pk: int):
    profile = selectors.staff_profile(user=request.user, pk=pk)
    audit_read_record(request=request, obj=profile)
    can_change = permissions.can(request.user, permissions.STAFF, profile, permissions.CHANGE)
    context = {"profile": profile, "can_change": can_change}
    is_administrator = permissions.scope_for(request.user).is_administrator
    if profile.pk == request.user.pk or is_administrator:
        context["two_factor_on"] = account_selectors.two_factor_enabled(user=profile)
        context["can_reset_two_factor"] = is_administrator and profile.pk != request.user.pk
    return render(request, "casework/staff_detail.html", context)


@login_required
def staff_edit(request, pk: int):
    profile = selectors.staff_profile(user=request.user, pk=pk, action=permissions.CHANGE)
    form = StaffProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        staff_profile_update(profile=profile, data=form.cleaned_data)
        messages.success(request, _("Profile saved."))
        return redirect("staff_detail", pk=profile.pk)
    if request.method == "GET":
        audit_read_record(request=request, obj=profile)
    return render(request, "casework/staff_edit.html", {"profile": profile, "form": form})


@require_POST
def language_switch(request):
    """Switch the interface language; remembered on the profile for signed-in users."""
    form = LanguageForm(request.POST)
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if not form.is_valid():
        messages.error(request, _("Unknown language."))
        return response
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        user_language_set(user=request.user, language=language)
    translation.activate(language)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return response


@login_required
def calendar_current(request):
    return redirect("calendar_year", year=timezone.localdate().year)


@login_required
def calendar_year(request, year: int):
    if not 2000 <= year <= 2100:
        raise Http404
    language = translation.get_language() or settings.LANGUAGE_CODE
    calendar = selectors.working_calendar(first_year=year, last_year=year)
    names = selectors.holiday_names(year=year, language=language)
    overrides = {o.day: o for o in selectors.calendar_overrides(year=year)}
    days = sorted(calendar.days_off | calendar.working_weekend_days | set(overrides))
    rows = [
        {
            "day": day,
            "working": is_working_day(day, calendar),
            "name": names.get(day, ""),
            "override": overrides.get(day),
        }
        for day in days
    ]
    context = {"year": year, "rows": rows, "previous": year - 1, "following": year + 1}
    return render(request, "casework/calendar.html", context)


@login_required
def notification_list(request):
    items = selectors.notifications_for(user=request.user, limit=100)
    return render(request, "casework/notifications.html", {"items": items})


@login_required
@require_POST
def notifications_mark_read(request):
    """Mark all notifications read, or the one posted as `notification`. For htmx, in
    place: the list or the row, with the bell's count."""
    if "notification" in request.POST:
        return _notification_mark_read(request, request.POST["notification"])
    notifications_mark_read_service(user=request.user)
    if not wants_fragment(request):
        return redirect("notification_list")
    context = {
        "items": selectors.notifications_for(user=request.user, limit=100),
        "message": _("All notifications are marked as read."),
    }
    return render(request, "casework/_notifications.html", context)


def _notification_mark_read(request, number: str):
    if not (number.isascii() and number.isdigit() and len(number) < 16):
        raise Http404
    notification = notification_mark_read(user=request.user, notification_id=int(number))
    if notification is None:
        raise Http404
    if not wants_fragment(request):
        return redirect("notification_list")
    context = {"n": notification, "message": _("Marked as read.")}
    return render(request, "casework/_notification_row.html", context)


def page_not_found(request, exception):
    """An API client gets JSON for an address that does not exist, as for an object it may
    not see, in the language it asked for; people get the usual page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception):
    """A request Django refuses before any view (a body over DATA_UPLOAD_MAX_MEMORY_SIZE,
    too many fields): JSON for an API client, the usual page for people."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(ParseError.default_detail)}, status=400)
    return defaults.bad_request(request, exception)


def healthz(request):
    """For the load balancer: 200 when the database and Redis answer, 503 otherwise."""
    checks = {
        "database": "ok" if health.database_reachable() else "unreachable",
        "redis": "ok" if health.redis_reachable() else "unreachable",
    }
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "failing",
            **checks,
            "date": timezone.localdate().isoformat(),
        },
        status=200 if healthy else 503,
    )


@login_required
def system_status(request):
    """The operator's view: dependencies, the deadline sweep, the queue, the workers."""
    if not permissions.scope_for(request.user).is_administrator:
        raise PermissionDenied
    return render(request, "casework/status.html", {"status": health.system_status()})
