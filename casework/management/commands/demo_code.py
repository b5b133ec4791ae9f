"""Print the current two-factor code of a demo login, for trying the demo without a phone."""

from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.services.two_factor import current_code, demo_two_factor_key


class Command(BaseCommand):
    help = "Print the current authenticator code of a demo login (demo keys only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
        # Only the published demo keys: this command never reveals a real user's code.
        if device is None or device.key != demo_two_factor_key(username):
            raise CommandError(f"{username} has no demo authenticator.")
        self.stdout.write(current_code(device=device))
