"""Time a request in-process, capture its SQL, and measure that SQL's own cost."""

import json
import statistics
from dataclasses import dataclass, field
from time import perf_counter

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

# Statements EXPLAIN cannot run; they still count as queries.
NOT_EXPLAINABLE = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK", "BEGIN", "COMMIT", "SET ")


@dataclass
class Figures:
    times_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    floors_ms: list[float] = field(default_factory=list)
    slowest_sql: str = ""
    slowest_sql_ms: float = 0.0

    def summary(self) -> dict:
        return {
            "p50_ms": round(percentile(self.times_ms, 50), 1),
            "p95_ms": round(percentile(self.times_ms, 95), 1),
            "queries": max(self.queries),
            "queries_min": min(self.queries),
            "floor_ms": round(statistics.median(self.floors_ms), 1),
            "samples": len(self.times_ms),
        }


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    # Nearest rank: the p95 of 60 timings is the 57th, a timing that happened.
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def timed_get(client: Client, url: str) -> float:
    started = perf_counter()
    response = client.get(url)
    elapsed = (perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return elapsed


def captured_get(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return [query["sql"] for query in captured.captured_queries]


def explain_ms(sql: str) -> float:
    """Planning plus execution time of one statement, as PostgreSQL measures it. Writes
    run inside a transaction rolled back, so measuring changes nothing."""
    if sql.lstrip().upper().startswith(NOT_EXPLAINABLE):
        return 0.0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        (plan,) = cursor.fetchone()
        transaction.set_rollback(True)
    plan = plan if isinstance(plan, list) else json.loads(plan)
    return plan[0]["Planning Time"] + plan[0]["Execution Time"]


def explain_text(sql: str) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY ON) " + sql)
        lines = [row[0] for row in cursor.fetchall()]
        transaction.set_rollback(True)
    return "\n".join(lines)


def floor_of(queries: list[str], figures: Figures) -> float:
    total = 0.0
    for sql in queries:
        spent = explain_ms(sql)
        total += spent
        if spent > figures.slowest_sql_ms:
            figures.slowest_sql, figures.slowest_sql_ms = sql, spent
    return total
