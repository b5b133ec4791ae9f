import functools
import time
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware
from django_otp.plugins.otp_totp.models import TOTPDevice
from pghistory.middleware import HistoryMiddleware

from .request_info import client_ip


class OTPMiddleware(DjangoOTPMiddleware):
    """django-otp's middleware, without its query for the session's authenticator.

    The user was read with the ids of their confirmed authenticators
    (account_selectors.signed_in_user): the session's authenticator verifies them if it is
    among those, the very checks django-otp makes on the row it reads (the user's own,
    confirmed). The device itself is read only if something uses it."""

    def _verify_user_sync(self, request, user):
        confirmed = getattr(user, "confirmed_device_ids", None)
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
        if confirmed is None or not persistent_id:
            return super()._verify_user_sync(request, user)
        persistent_id = self._normalize_persistent_id(persistent_id)
        label, _slash, pk = persistent_id.partition("/")
        if label != TOTPDevice.model_label():
            return super()._verify_user_sync(request, user)
        self._init_user_fields(user)
        if pk.isdigit() and int(pk) in confirmed:
            user.otp_device = SimpleLazyObject(
                functools.partial(TOTPDevice.from_persistent_id, persistent_id)
            )
        else:  # reset or not confirmed: as django-otp, the session forgets it
            del request.session[DEVICE_ID_SESSION_KEY]
        return user


class UserLanguageMiddleware:
    """A signed-in user's saved interface language wins over browser and cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = getattr(user, "preferred_language", "") if user and user.is_authenticated else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


class AuditContextMiddleware(HistoryMiddleware):
    """Attach who, from where and through which address to every change history row."""

    def get_context(self, request):
        return {**super().get_context(request), "ip": client_ip(request)}


class IdleTimeoutMiddleware:
    """Sign a user out after IDLE_TIMEOUT_SECONDS without activity.

    The page warns IDLE_WARNING_SECONDS before (static/js/session.js) and keeps the
    session alive while the user types; what was typed into a long form is saved as a
    draft on the way (FormDraftMiddleware), so the timeout loses no work. Requests marked
    `X-Qamqor-Background` (a progress bar polling) are not activity. The last activity is
    written at most once a minute, not on every request.
    """

    SESSION_KEY = "qamqor_last_activity"
    WRITE_EVERY_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(self.SESSION_KEY)
            if last is not None and now - last > settings.IDLE_TIMEOUT_SECONDS:
                logout(request)
                return signed_out_response(request)
            background = request.headers.get("X-Qamqor-Background") == "1"
            write_every = min(self.WRITE_EVERY_SECONDS, settings.IDLE_TIMEOUT_SECONDS // 30)
            if last is None or (not background and now - last >= write_every):
                request.session[self.SESSION_KEY] = now
        return self.get_response(request)


def signed_out_response(request, next_path: str | None = None) -> HttpResponse:
    """Back to the sign-in page, then to where the user was."""
    messages.info(
        request,
        _(
            "You were signed out after %(minutes)s minutes without activity. Sign in again: "
            "what you typed in a form is kept."
        )
        % {"minutes": settings.IDLE_TIMEOUT_SECONDS // 60},
    )
    return _to(request, reverse(settings.LOGIN_URL), next_path)


def _to(request, url: str, next_path: str | None = None) -> HttpResponse:
    """A redirect that keeps the user's place; htmx and the API get theirs in their terms."""
    if next_path is None:
        next_path = request.get_full_path() if request.method == "GET" else _referer_path(request)
    target = f"{url}?{urlencode({'next': next_path})}" if next_path else url
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": _("Sign in again.")}, status=401)
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return HttpResponseRedirect(target)


def _referer_path(request) -> str:
    """After a refused POST, return to the page the form was on (its GET address)."""
    referer = urlsplit(request.headers.get("Referer", ""))
    if referer.netloc and referer.netloc != request.get_host():
        return ""
    return referer.path + (f"?{referer.query}" if referer.query else "")


class TwoFactorMiddleware:
    """A signed-in user who has two-factor sign-in, or whose role requires it, reaches
    nothing but the second-factor pages (and signing out) until the code is entered."""

    OPEN_URL_NAMES = (
        "two_factor_verify",
        "two_factor_setup",
        "logout",
        "login",
        "language_switch",
        "session_keepalive",
        "session_end_idle",
        "healthz",
    )
    SESSION_KEY = "qamqor_two_factor_not_needed"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not user.is_authenticated or user.is_verified() or self._open(request):
            return self.get_response(request)
        if request.session.get(self.SESSION_KEY) == user.pk:  # noted at sign-in
            return self.get_response(request)
        from .account_selectors import two_factor_enabled, two_factor_required

        if two_factor_enabled(user=user):
            return _to(request, reverse("two_factor_verify"))
        if two_factor_required(user=user):
            return _to(request, reverse("two_factor_setup"))
        request.session[self.SESSION_KEY] = user.pk
        return self.get_response(request)

    def _open(self, request) -> bool:
        path = request.path_info
        return path.startswith(settings.STATIC_URL) or path in _open_paths(self.OPEN_URL_NAMES)


@functools.cache
def _open_paths(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(reverse(name) for name in names)


class FormDraftMiddleware:
    """A long form's draft is dropped once the form is accepted.

    The browser saves what the user types (static/js/drafts.js) under the form's address.
    A POST to that address that the app accepts (a redirect, not to the sign-in page) is
    the end of the draft; a refused one (the form again, with errors) keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method == "POST"
            and request.POST.get("_draft") == "1"
            and response.status_code in (302, 303)
            and request.user.is_authenticated
            and not response.get("Location", "").startswith(reverse(settings.LOGIN_URL))
        ):
            from .services.drafts import form_draft_discard

            form_draft_discard(user=request.user, key=request.path)
        return response


def session_start(sender, request, user, **kwargs) -> None:
    """At sign-in, note the moment (the idle clock starts) and whether this user needs a
    second factor at all, so later pages pay nothing for either check."""
    from .account_selectors import two_factor_enabled, two_factor_required

    request.session[IdleTimeoutMiddleware.SESSION_KEY] = int(time.time())
    if not two_factor_enabled(user=user) and not two_factor_required(user=user):
        request.session[TwoFactorMiddleware.SESSION_KEY] = user.pk
