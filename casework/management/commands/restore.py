from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from casework.backups import (
    BackupError,
    Connection,
    backup_restore,
    fingerprint,
    fingerprint_differences,
)


class Command(BaseCommand):
    help = (
        "Restore a backup into a NEW database and compare it with the live one (row counts "
        "of every table, checksums of the key tables). Never overwrites an existing database."
    )

    def add_arguments(self, parser):
        parser.add_argument("dump", help="a .dump file written by `manage.py backup`")
        parser.add_argument("--into", required=True, help="name of the new database")
        parser.add_argument(
            "--compare", action="store_true", help="compare with the live database afterwards"
        )

    def handle(self, *args, **options):
        try:
            restored = backup_restore(dump=Path(options["dump"]), into=options["into"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Restored into database {restored.name}."))
        if options["compare"]:
            differences = fingerprint_differences(
                fingerprint(Connection.from_settings()), fingerprint(restored)
            )
            if differences:
                raise CommandError("The restored copy differs:\n" + "\n".join(differences))
            self.stdout.write(self.style.SUCCESS("Same rows and checksums as the live database."))
