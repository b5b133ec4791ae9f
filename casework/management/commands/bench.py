"""`make bench`: see casework/bench. Runs against the database in DATABASE_URL, which
`make bench` points at a benchmark database of its own, never the demo's."""

import random
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.account_selectors import two_factor_required
from casework.bench import api, measure, report, sweep
from casework.bench.pages import PAGES, busiest_district_ids
from children.models import Child

MIN_TIMINGS = 40
# The backend a real sign-in goes through (after axes), which reads each request's user.
BACKEND = "casework.auth_backends.UserBackend"


class Command(BaseCommand):
    help = "Benchmark pages, the referral API and the deadline sweep on a generated population."

    def add_arguments(self, parser):
        parser.add_argument("--children", type=int, default=1_000_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--only", default="", help="comma-separated page names")
        parser.add_argument("--skip-api", action="store_true")
        parser.add_argument("--skip-sweep", action="store_true")
        parser.add_argument("--out", default=str(settings.BASE_DIR / "docs" / "BENCHMARKS.md"))

    def handle(self, *args, **options):
        population = self.ensure_population(options["children"], options["seed"])
        rng = random.Random(options["seed"])
        only = {name for name in options["only"].split(",") if name}
        run = {
            "date": timezone.localtime().strftime("%d.%m.%Y %H:%M"),
            "population": f"{population:,} children (generate_population --seed {options['seed']})",
            "machine": report.machine(),
            "pages": {},
            "plans": {},
        }
        results = {}
        for page in PAGES:
            if only and page.name not in only:
                continue
            figures = self.bench_page(page, rng)
            summary = figures.summary()
            broken = report.page_verdict(page.budget, summary)
            run["pages"][page.name] = {"title": page.title, "figures": summary, "broken": broken}
            run["plans"][page.name] = {
                "sql": figures.slowest_sql,
                "plan": measure.explain_text(figures.slowest_sql) if figures.slowest_sql else "",
            }
            results[page.name] = {
                k: summary[k] for k in ("p50_ms", "p95_ms", "queries", "floor_ms")
            }
            self.say(page.name, summary, broken)
        if not options["skip_api"] and not only:
            self.bench_api(run, results)
        if not options["skip_sweep"] and not only:
            self.bench_sweep(run, results)
        report.write_json(settings.BASE_DIR / "var" / "bench.json", results)
        report.write_markdown(Path(options["out"]), run)
        self.stdout.write(Path(options["out"]).read_text().split("## Plans")[0])

    def ensure_population(self, children: int, seed: int) -> int:
        present = Child.objects.count()
        if present >= children * 0.99:
            return present
        if present:
            raise CommandError(
                f"This database holds {present:,} children, not {children:,}: point "
                "BENCH_DATABASE_URL at an empty database, or set BENCH_CHILDREN to its size."
            )
        self.stdout.write(f"Generating {children:,} children (once; later runs reuse them)...")
        call_command("generate_population", children=children, open_notices=children, seed=seed)
        return Child.objects.count()

    def bench_page(self, page, rng) -> measure.Figures:
        samples = page.samples(rng)
        clients = {}
        for user, url in samples:  # the first request of a session warms its caches
            if user.pk not in clients:
                clients[user.pk] = signed_in(user)
            measure.timed_get(clients[user.pk], url)
        figures = measure.Figures()
        repeat = max(1, -(-MIN_TIMINGS // len(samples)))
        for _ in range(repeat):
            for user, url in samples:
                figures.times_ms.append(measure.timed_get(clients[user.pk], url))
        for user, url in samples:
            queries = measure.captured_get(clients[user.pk], url)
            figures.queries.append(len(queries))
            figures.floors_ms.append(measure.floor_of(queries, figures))
        return figures

    def bench_api(self, run, results) -> None:
        figures = api.bench_api(busiest_district_ids()[0])
        broken = report.api_verdict(figures["api"], figures["floor"])
        run["api"] = {
            **figures,
            "broken": broken,
            "connections": api.CONNECTIONS,
            "seconds": api.SECONDS,
        }
        results["referral_create_api"] = {**figures["api"], "floor_rps": figures["floor"]["rps"]}
        self.say("referral_create_api", figures, broken)

    def bench_sweep(self, run, results) -> None:
        none_due = sweep.bench_none_due()
        for number, sql in enumerate(none_due.pop("sql"), start=1):
            run["plans"][f"sweep, nothing due: query {number}"] = {
                "sql": sql,
                "plan": measure.explain_text(sql),
            }
        due = sweep.bench_due()
        idle, busy = report.sweep_verdicts(none_due, due)
        run["sweep"] = {"none_due": none_due, "due": due, "broken_idle": idle, "broken_due": busy}
        results["sweep_none_due"] = {"p50_ms": none_due["p50_ms"], "p95_ms": none_due["p95_ms"]}
        results["sweep_1000_due"] = due
        self.say("sweep", {"none_due": none_due, "due": due}, idle + busy)

    def say(self, name, figures, broken) -> None:
        verdict = "ok" if not broken else "FAILS: " + "; ".join(broken)
        self.stdout.write(f"{name}: {figures} -> {verdict}")


def signed_in(user) -> Client:
    """A session as after a real sign-in, second factor included where the role needs it."""
    client = Client(secure=True)
    client.force_login(user, backend=BACKEND)
    if two_factor_required(user=user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="make bench", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
