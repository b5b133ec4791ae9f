"""Reads for signing in: whether a user has or needs a second factor, and form drafts."""

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import permissions
from .models import FormDraft, Notification, User


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


def signed_in_user(*, user_id) -> User | None:
    """The user of a request, read with what every page asks of them in the same query:
    their memberships (the access scope), their confirmed authenticators (the second
    factor of the session), their unread notifications (the bell) and the objects shared
    with them (which lists add to their jurisdiction). Each would be a
    query of its own on every page."""
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    user = (
        User.objects.annotate(
            **permissions.access_columns(),
            confirmed_device_ids=ArraySubquery(
                TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True).values("pk")
            ),
            unread_notifications=Coalesce(Subquery(unread, output_field=IntegerField()), 0),
        )
        .filter(pk=user_id)
        .first()
    )
    if user is not None:
        permissions.access_remember(user, user)
    return user
