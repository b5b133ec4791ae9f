"""Signing in: the second factor, staying signed in while working, drafts of long forms."""

import base64
import io
import time

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import account_selectors, permissions, selectors
from .forms import FormDraftForm, OneTimeCodeForm
from .services import drafts, two_factor


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a sign-in while the username and IP address are locked."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)


@login_required
def two_factor_verify(request):
    """The second step of signing in: the code from the user's authenticator app."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not account_selectors.two_factor_enabled(user=request.user):
        return redirect("two_factor_setup")
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = two_factor.two_factor_wait_seconds(user=request.user)
        if not wait and two_factor.two_factor_verify(
            request=request, token=form.cleaned_data["token"]
        ):
            return HttpResponseRedirect(_code_accepted(request))
        _refuse(form, wait)
    return render(request, "registration/two_factor_verify.html", {"form": form, **_next(request)})


@login_required
def two_factor_setup(request):
    """Set up an authenticator app: scan the QR code (or type the key), enter a code."""
    if account_selectors.two_factor_enabled(user=request.user):
        if not request.user.is_verified():
            return redirect("two_factor_verify")
        return render(request, "registration/two_factor_on.html", _on_context(request.user))
    device = two_factor.two_factor_setup_device(user=request.user)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        wait = two_factor.two_factor_wait_seconds(user=request.user)
        if not wait and two_factor.two_factor_confirm(request=request, device=device, token=token):
            messages.success(request, _("Two-factor sign-in is on."))
            return HttpResponseRedirect(_code_accepted(request))
        _refuse(form, wait)
    context = {
        "form": form,
        "qr_code": _qr_data_uri(device.config_url),
        "key": _grouped(base64.b32encode(device.bin_key).decode()),
        "required": account_selectors.two_factor_required(user=request.user),
        **_next(request),
    }
    return render(request, "registration/two_factor_setup.html", context)


@login_required
@require_POST
def two_factor_turn_off(request):
    """Only users whose role does not require a second factor may stop using one."""
    if account_selectors.two_factor_required(user=request.user):
        raise PermissionDenied
    if not request.user.is_verified():
        return redirect("two_factor_verify")
    two_factor.two_factor_turn_off(user=request.user)
    messages.success(request, _("Two-factor sign-in is off."))
    return redirect("staff_detail", pk=request.user.pk)


@login_required
@require_POST
def two_factor_reset(request, pk: int):
    """An administrator resets the authenticator of a user who lost their phone."""
    profile = selectors.staff_profile(user=request.user, pk=pk)
    if not permissions.scope_for(request.user).is_administrator:
        raise PermissionDenied
    two_factor.two_factor_reset(user=profile, by=request.user)
    messages.success(
        request,
        _("Two-factor sign-in of %(name)s was reset: they set it up again at the next sign-in.")
        % {"name": profile.full_name},
    )
    return redirect("staff_detail", pk=profile.pk)


def _code_accepted(request) -> str:
    from .middleware import TwoFactorMiddleware

    request.session.pop(TwoFactorMiddleware.SESSION_KEY, None)
    return _next_url(request)


def _refuse(form, wait: int) -> None:
    """Why the code was refused: still waiting after wrong codes, or a wrong code."""
    if wait:
        form.add_error(
            "token",
            _("Too many wrong codes. Wait %(seconds)s seconds and enter the new code.")
            % {"seconds": wait},
        )
    else:
        form.add_error(
            "token",
            _("This code is not right or has expired. Enter the code the app shows now."),
        )


def _next(request) -> dict:
    return {"next": _next_url(request)}


def _on_context(user) -> dict:
    return {"required": account_selectors.two_factor_required(user=user)}


def _qr_data_uri(config_url: str) -> str:
    buffer = io.BytesIO()
    segno.make(config_url, error="m").save(buffer, kind="svg", scale=5, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _grouped(key: str) -> str:
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


# --- staying signed in and drafts -----------------------------------------------------


@login_required
@require_POST
def session_keepalive(request):
    """The user is still working (pressed "Stay signed in", or is typing): the idle
    clock restarts now, exactly, whatever the middleware's write-once-a-minute."""
    from .middleware import IdleTimeoutMiddleware

    request.session[IdleTimeoutMiddleware.SESSION_KEY] = int(time.time())
    return JsonResponse({"idle_timeout": settings.IDLE_TIMEOUT_SECONDS})


@require_POST
def session_end_idle(request):
    """The page's idle clock ran out: sign out here and now (the server's own check may be
    a moment behind), then back to the sign-in page, which returns to the page."""
    from .middleware import signed_out_response

    next_path = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_path, {request.get_host()}, request.is_secure()):
        next_path = ""
    logout(request)
    return signed_out_response(request, next_path=next_path)


@login_required
@require_POST
def form_draft_save(request):
    form = FormDraftForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    draft = drafts.form_draft_save(
        user=request.user, key=form.cleaned_data["key"], data=form.cleaned_data["data"]
    )
    return JsonResponse({"saved_at": draft.saved_at.isoformat()})


@login_required
@require_GET
def form_draft_load(request):
    draft = account_selectors.form_draft_for(user=request.user, key=request.GET.get("key", ""))
    if draft is None:
        return JsonResponse({"data": None})
    return JsonResponse({"data": draft.data, "saved_at": draft.saved_at.isoformat()})


@login_required
@require_POST
def form_draft_discard(request):
    drafts.form_draft_discard(user=request.user, key=request.POST.get("key", ""))
    return JsonResponse({"discarded": True})
