"""Drafts of long forms, so that a timeout or a lost connection loses no typing."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from casework.models import FormDraft, User

MAX_FIELDS = 200
MAX_VALUE_LENGTH = 100_000


def form_draft_save(*, user: User, key: str, data: dict) -> FormDraft:
    """Keep what the user typed into the form at `key` (its address), replacing the last
    copy. Only text values are kept: never files, passwords or the CSRF token."""
    fields = {
        str(name)[:100]: [str(value)[:MAX_VALUE_LENGTH] for value in _as_list(values)]
        for name, values in list(data.items())[:MAX_FIELDS]
        if name not in {"csrfmiddlewaretoken", "password", "_draft"}
    }
    draft, _created = FormDraft.objects.update_or_create(
        user=user, key=key[:300], defaults={"data": fields, "saved_at": timezone.now()}
    )
    return draft


def _as_list(values) -> list:
    return list(values) if isinstance(values, list | tuple) else [values]


def form_draft_discard(*, user: User, key: str) -> int:
    deleted, _rows = FormDraft.objects.filter(user=user, key=key[:300]).delete()
    return deleted


def form_drafts_expire(*, now=None) -> int:
    """Drafts nobody came back to within FORM_DRAFT_DAYS go away."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.FORM_DRAFT_DAYS)
    deleted, _rows = FormDraft.objects.filter(saved_at__lt=cutoff).delete()
    return deleted
