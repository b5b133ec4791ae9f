"""docs/BENCHMARKS.md and var/bench.json from one run's figures, with each budget of
issue #8 checked beside its figure."""

import json
import os
import platform
from pathlib import Path

from django.db import connection

PAGE_P95_MS = 100
PAGE_FLOOR_FACTOR = 3
DASHBOARD_P95_MS = 1000
MAX_QUERIES = 12
API_FLOOR_SHARE = 0.5
SWEEP_NONE_DUE_MS = 20
SWEEP_DUE_SECONDS = 30


def page_verdict(budget: str, figures: dict) -> list[str]:
    """The budgets a page's figures break; empty when all hold."""
    broken = []
    if figures["queries"] > MAX_QUERIES:
        broken.append(f"{figures['queries']} queries > {MAX_QUERIES}")
    if figures["queries"] != figures["queries_min"]:
        broken.append(f"query count varies ({figures['queries_min']}-{figures['queries']})")
    if budget == "page":
        if figures["p95_ms"] > PAGE_P95_MS:
            broken.append(f"p95 > {PAGE_P95_MS} ms")
        if figures["p95_ms"] > PAGE_FLOOR_FACTOR * figures["floor_ms"]:
            broken.append(f"p95 > {PAGE_FLOOR_FACTOR}x floor")
    elif figures["p95_ms"] > DASHBOARD_P95_MS:
        broken.append(f"p95 > {DASHBOARD_P95_MS} ms")
    return broken


def api_verdict(api: dict, floor: dict) -> list[str]:
    broken = []
    if api["rps"] < API_FLOOR_SHARE * floor["rps"]:
        broken.append(f"{api['rps']} req/s < half the floor's {floor['rps']}")
    if api["errors"] or floor["errors"]:
        broken.append(f"non-2xx answers: API {api['errors']}, floor {floor['errors']}")
    return broken


def sweep_verdicts(none_due: dict, due: dict) -> tuple[list[str], list[str]]:
    idle = [f"p95 > {SWEEP_NONE_DUE_MS} ms"] if none_due["p95_ms"] > SWEEP_NONE_DUE_MS else []
    busy = []
    if due["seconds"] > SWEEP_DUE_SECONDS:
        busy.append(f"{due['seconds']} s > {SWEEP_DUE_SECONDS} s")
    if not due["due"] == due["expired"] == due["forwarded"] == due["breaches"]:
        busy.append("not every due notice was forwarded and breached")
    if due["notifications"] < due["due"]:
        busy.append("fewer notifications than due notices")
    return idle, busy


def machine() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (pg_version,) = cursor.fetchone()
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        (size,) = cursor.fetchone()
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "postgresql": pg_version,
        "database_size": size,
    }


def write_json(path: Path, results: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


def _cell(broken: list[str]) -> str:
    return "holds" if not broken else "**fails**: " + "; ".join(broken)


def write_markdown(path: Path, run: dict) -> None:
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python manage.py bench`); do not edit by hand.",
        "",
        f"Run: {run['date']}, population: {run['population']}.",
        "",
        "Machine: " + ", ".join(f"{k} {v}" for k, v in run["machine"].items()) + ".",
        "",
        "Pages are requested in-process through the whole middleware stack with production "
        "settings (DEBUG off, cached templates), as a signed-in user of the district with the "
        "most children, over several districts and different files. **Server time** is the "
        "request's wall time; **floor** is what PostgreSQL itself spends on the same "
        "queries (planning + execution from EXPLAIN ANALYZE, median over the samples).",
        "",
        "## Pages",
        "",
        "| page | p50 ms | p95 ms | queries | floor ms | samples | budget |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for name, row in run["pages"].items():
        f = row["figures"]
        lines.append(
            f"| {row['title']} (`{name}`) | {f['p50_ms']} | {f['p95_ms']} | {f['queries']} "
            f"| {f['floor_ms']} | {f['samples']} | {_cell(row['broken'])} |"
        )
    if "api" in run:
        api, floor = run["api"]["api"], run["api"]["floor"]
        lines += [
            "",
            "## Referral-create API",
            "",
            f"gunicorn, 2 sync workers; wrk, {run['api']['connections']} connections, "
            f"{run['api']['seconds']} s each; the body is a police registration notice. The "
            "floor is a bare Django JSON view in the same gunicorn that stores the same body "
            "as one row in one transaction.",
            "",
            "| | requests/s | p50 ms | p99 ms | non-2xx |",
            "|---|---:|---:|---:|---:|",
            f"| API `POST /api/v1/referrals/create/` | {api['rps']} | {api['p50_ms']} "
            f"| {api['p99_ms']} | {api['errors']} |",
            f"| floor `POST /bench/floor/` | {floor['rps']} | {floor['p50_ms']} "
            f"| {floor['p99_ms']} | {floor['errors']} |",
            "",
            f"Budget (at least half the floor's throughput): {_cell(run['api']['broken'])}.",
        ]
    if "sweep" in run:
        s = run["sweep"]
        lines += [
            "",
            "## Deadline sweep",
            "",
            f"{s['none_due']['open_notices']:,} open police notices.",
            "",
            "| run | figure | budget |",
            "|---|---|---|",
            f"| nothing due ({s['none_due']['runs']} runs) | p50 {s['none_due']['p50_ms']} ms, "
            f"p95 {s['none_due']['p95_ms']} ms | {_cell(s['broken_idle'])} |",
            f"| {s['due']['due']} notices fall due at once | {s['due']['seconds']} s: "
            f"{s['due']['forwarded']} forwarded, {s['due']['breaches']} breaches, "
            f"{s['due']['notifications']} notifications | {_cell(s['broken_due'])} |",
        ]
    lines += ["", "## Plans", "", "The slowest query of each page, as PostgreSQL ran it.", ""]
    for name, plan in run["plans"].items():
        lines += [
            f"### {name}",
            "",
            "```sql",
            plan["sql"],
            "```",
            "",
            "```",
            plan["plan"],
            "```",
            "",
        ]
    path.write_text("\n".join(lines).rstrip() + "\n")
