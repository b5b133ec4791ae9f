"""Print the police-notice transfer deadline for registration moments.

    python manage.py transfer_due 2025-03-20T16:00 2024-05-03T10:00+05:00

A moment without an offset is Almaty time. Uses the same function as the app,
calendar overrides included.
"""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from casework.working_days import ALMATY
from referrals.deadlines import transfer_due_at


class Command(BaseCommand):
    help = "Print the one-working-day transfer deadline for each police registration moment."

    def add_arguments(self, parser) -> None:
        parser.add_argument("moments", nargs="+", metavar="ISO_DATETIME")

    def handle(self, *args, moments: list[str], **options) -> None:
        for text in moments:
            try:
                moment = datetime.fromisoformat(text)
            except ValueError as exc:
                raise CommandError(f"not an ISO 8601 date and time: {text!r}") from exc
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=ALMATY)
            self.stdout.write(transfer_due_at(moment).astimezone(ALMATY).isoformat())
