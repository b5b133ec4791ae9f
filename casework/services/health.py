"""Writes for the operator's view of the system's health."""

from django.utils import timezone

from casework.models import Heartbeat


def heartbeat_record(*, name: str, detail: dict, now=None) -> Heartbeat:
    """A periodic job finished: remember when and with what result (one row per job)."""
    heartbeat, _created = Heartbeat.objects.update_or_create(
        name=name, defaults={"at": now or timezone.now(), "detail": detail}
    )
    return heartbeat
