"""Reads for signing in: whether a user has or needs a second factor, and form drafts."""

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import permissions
from .models import FormDraft, User


def two_factor_enabled(*, user: User) -> bool:
    """Has the user set up an authenticator (a confirmed TOTP device)?"""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def two_factor_required(*, user: User) -> bool:
    """Must the user sign in with a second factor? Heads, the commission and
    administrators always (TWO_FACTOR_ROLES); everyone with TWO_FACTOR_REQUIRED_FOR_ALL."""
    if settings.TWO_FACTOR_REQUIRED_FOR_ALL:
        return True
    return permissions.scope_for(user).has_any_role(settings.TWO_FACTOR_ROLES)


def form_draft_for(*, user: User, key: str) -> FormDraft | None:
    return FormDraft.objects.filter(user=user, key=key).first()
