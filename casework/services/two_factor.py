"""Two-factor sign-in with a time-based code (TOTP, RFC 6238) from an authenticator app."""

import hashlib

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.models import User

from .notifications import notify_users

DEVICE_NAME = "authenticator"


@transaction.atomic
def two_factor_setup_device(*, user: User) -> TOTPDevice:
    """The authenticator the user is setting up: made once, so a reload shows the same
    key, and not active until a code from it is confirmed."""
    User.objects.select_for_update().filter(pk=user.pk).first()  # one device for two tabs
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def two_factor_confirm(*, request: HttpRequest, device: TOTPDevice, token: str) -> bool:
    """Activate `device` when `token` is its current code; the session is then verified.
    Any older authenticator of the user stops working: one phone at a time."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if not device.verify_is_allowed()[0] or not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    otp_login(request, device)
    return True


def two_factor_verify(*, request: HttpRequest, token: str) -> bool:
    """Verify the session with a code from the user's authenticator. django-otp slows
    down guessing: after each wrong code the device refuses codes for longer."""
    for device in TOTPDevice.objects.devices_for_user(request.user, confirmed=True):
        if device.verify_is_allowed()[0] and device.verify_token(token):
            otp_login(request, device)
            return True
    return False


def two_factor_wait_seconds(*, user: User, now=None) -> int:
    """How long the user's authenticator refuses codes after wrong ones (0: it does not)."""
    waits = []
    for device in TOTPDevice.objects.devices_for_user(user, confirmed=None):
        allowed, details = device.verify_is_allowed()
        if not allowed and details and details.get("locked_until"):
            left = (details["locked_until"] - (now or timezone.now())).total_seconds()
            waits.append(max(1, round(left)))
    return max(waits, default=0)


@transaction.atomic
def two_factor_turn_off(*, user: User) -> None:
    """A user whose role does not require it may stop using a second factor."""
    TOTPDevice.objects.filter(user=user).delete()


@transaction.atomic
def two_factor_reset(*, user: User, by: User) -> None:
    """An administrator resets a user's lost authenticator: the user sets up a new one at
    the next sign-in. The user is told, so a reset they did not ask for is noticed."""
    TOTPDevice.objects.filter(user=user).delete()
    notify_users(
        [user],
        message=gettext_noop(
            "%(admin)s reset your two-factor sign-in. At your next sign-in, set up your "
            "authenticator app again. If you did not ask for this, tell your administrator."
        ),
        params={"admin": by.full_name},
        link=reverse("two_factor_setup"),
    )


def demo_two_factor_key(username: str) -> str:
    """The published authenticator key of a demo login (hex): synthetic, never a real
    user's. `manage.py demo_code` prints codes only for devices with such a key."""
    return hashlib.sha1(f"qamqor-demo-totp:{username}".encode()).hexdigest()  # noqa: S324


@transaction.atomic
def demo_two_factor_ensure(*, user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=DEVICE_NAME, key=demo_two_factor_key(user.username), confirmed=True
        )
    return device


def current_code(*, device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"
