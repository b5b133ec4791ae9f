from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from casework.backups import BackupError, backup_create


class Command(BaseCommand):
    help = "Write a full backup of the database (pg_dump, custom format) to var/backups/."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(Path(settings.BASE_DIR) / "var" / "backups"))

    def handle(self, *args, **options):
        try:
            path = backup_create(directory=Path(options["dir"]))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backup written: {path}"))
