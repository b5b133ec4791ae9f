"""Generate a synthetic national population into the current database (see
`casework.population`)."""

import os
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from casework.management.commands.seed_demo import DEMO_PASSWORD
from casework.population.plan import DEFAULT_PART_SIZE, Options
from casework.population.runner import PopulationRefused, population_generate


class Command(BaseCommand):
    help = (
        "Generate a synthetic, internally consistent national dataset: districts, "
        "organisations, staff, N children with families, placements, referrals, cases and "
        "commission meetings. Synthetic people only. Refuses a database with case data "
        "unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--children", type=int, required=True, help="children's files")
        parser.add_argument("--seed", type=int, default=1, help="same seed, same data")
        parser.add_argument(
            "--open-notices",
            type=int,
            default=0,
            help="also this many police notices awaiting transfer, due after now",
        )
        parser.add_argument(
            "--workers", type=int, default=os.cpu_count() or 2, help="parallel processes"
        )
        parser.add_argument(
            "--part-size", type=int, default=DEFAULT_PART_SIZE, help="children per part"
        )
        parser.add_argument(
            "--now",
            type=datetime.fromisoformat,
            default=None,
            help="the moment of generation, ISO 8601 with offset (default: now)",
        )
        parser.add_argument(
            "--force", action="store_true", help="add to a database that holds case data"
        )

    def handle(self, *args, children, seed, open_notices, workers, part_size, now, force, **options):  # fmt: skip
        if children < 1 or open_notices < 0 or workers < 1 or part_size < 1:
            raise CommandError("--children, --workers and --part-size must be positive.")
        if now is not None and now.tzinfo is None:
            raise CommandError("--now needs a UTC offset, e.g. 2026-04-06T11:00:00+05:00.")
        options = Options(
            children=children,
            seed=seed,
            open_notices=open_notices,
            workers=workers,
            part_size=part_size,
            now=now,
        )
        try:
            report = population_generate(options, force=force, say=self.stdout.write)
        except PopulationRefused as refused:
            raise CommandError(str(refused)) from refused
        width = max(len(label) for label in report.rows)
        self.stdout.write("\nRows generated:")
        for label, count in sorted(report.rows.items()):
            self.stdout.write(f"  {label.ljust(width)}  {count:>12,}")
        self.stdout.write(f"  {'total'.ljust(width)}  {sum(report.rows.values()):>12,}")
        self.stdout.write(
            f"(and as many pghistory rows for the tracked tables)\n"
            f"Database size: {report.database_bytes / 2**30:.2f} GiB\n"
            + self.style.SUCCESS(f"Done in {report.seconds:.0f} s ({report.seconds / 60:.1f} min).")
        )
        self.stdout.write(
            "Logins (password for all: "
            f"{DEMO_PASSWORD}): r01d01.opeka.head, r01d01.opeka01, r01d01.cps.head, "
            "r01d01.cps01, r01d01.kdn.secretary, r01.analyst, kz.analyst, kz.admin "
            "(district r01d01 has a Family Support Center; `make code LOGIN=...` prints "
            "the second-factor code of heads and the commission)."
        )
