"""Notifications (`casework.Notification`) as `notify_users` writes them: the subject in
the recipient's language (Russian here), the link under it. All are delivered (a worker
would otherwise e-mail the whole history at its next sweep); most are read."""

from datetime import datetime, timedelta

from django.conf import settings

from casework.models import Notification

from .part import Part
from .rows import Local, Numbered

READ_SHARE = 0.85


def notify(part: Part, users, *, message: str, about: Local, link: str, at: datetime, **params) -> None:  # fmt: skip
    """`message` is a Russian catalogue text with %(number)s for the referral's number;
    `link` a path with %(id)s for its id; other %(...)s are filled from `params`."""
    subject = message % {"number": "%(number)s", **params}
    body = f"{subject}\n\n{part.world.messages['open']}: {settings.SITE_URL}{link}"
    for user in dict.fromkeys(u for u in users if u):
        read_at = None
        if part.chance(READ_SHARE):
            read_at = min(at + timedelta(minutes=part.rng.uniform(5, 3 * 24 * 60)), part.now)
        part.add(
            Notification,
            recipient=user,
            subject=Numbered(subject[:300], about),
            body=Numbered(body, about),
            created_at=at,
            sent_at=min(at + timedelta(seconds=part.rng.uniform(2, 90)), part.now),
            read_at=read_at,
        )
