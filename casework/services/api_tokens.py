import hashlib
import hmac
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import ApiToken, Organisation, Role, User
from casework.models.organisations import ROLE_ORGANISATION_KINDS
from casework.permissions import access_columns, access_remember

from .staff import membership_create

PREFIX_LENGTH = 8


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, organisation: Organisation, name: str, by: User | None, key: str | None = None
) -> tuple[ApiToken, str]:
    """Create a token for a referrer organisation; returns the token and the key (once).

    `key` is for demo data only, where a known key lets people try the API.
    """
    if organisation.kind not in ROLE_ORGANISATION_KINDS[Role.REFERRER]:
        raise ValidationError(_("Only referring organisations get API tokens."))
    service_account = _service_account(organisation)
    key = key or secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        organisation=organisation,
        user=service_account,
        name=name,
        prefix=key[:PREFIX_LENGTH],
        key_hash=_hash(key),
        created_by=by,
    )
    return token, key


def _service_account(organisation: Organisation) -> User:
    user, created = User.objects.get_or_create(
        username=f"api-{organisation.pk}",
        defaults={"first_name": "API", "last_name": str(organisation)[:150]},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    membership_create(user=user, organisation=organisation, role=Role.REFERRER)
    return user


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def api_token_authenticate(key: str) -> ApiToken | None:
    """The live token for `key`, compared in constant time; None when unknown or revoked.
    Its user comes with what the access checks read about them (one query, not three)."""
    token = (
        ApiToken.objects.select_related("user", "organisation")
        .annotate(**access_columns("user_id"))
        .filter(prefix=key[:PREFIX_LENGTH], revoked_at__isnull=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.key_hash, _hash(key)):
        return None
    access_remember(token.user, token)
    now = timezone.now()
    # At most one write a minute per token: the API must not turn reads into writes.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
