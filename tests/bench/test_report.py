"""The bench's arithmetic and verdicts: a budget that breaks must say so."""

import random

from casework.bench import api, report
from casework.bench.measure import percentile
from casework.bench.pages import with_typo

PAGE = {"p50_ms": 20.0, "p95_ms": 30.0, "queries": 9, "queries_min": 9, "floor_ms": 12.0}


def test_percentile_is_a_timing_that_happened():
    timings = [float(n) for n in range(1, 101)]
    assert percentile(timings, 50) == 50.0
    assert percentile(timings, 95) == 95.0
    assert percentile([7.0], 95) == 7.0


def test_a_page_within_every_budget_holds():
    assert report.page_verdict("page", PAGE) == []


def test_each_page_budget_is_checked():
    assert report.page_verdict("page", {**PAGE, "p95_ms": 101.0}) == [
        "p95 > 100 ms",
        "p95 > 3x floor",
    ]
    assert report.page_verdict("page", {**PAGE, "floor_ms": 9.0}) == ["p95 > 3x floor"]
    assert report.page_verdict("page", {**PAGE, "queries": 13}) == [
        "13 queries > 12",
        "query count varies (9-13)",
    ]


def test_dashboards_have_a_second_and_no_floor_factor():
    slow = {**PAGE, "p95_ms": 900.0}
    assert report.page_verdict("dashboard", slow) == []
    assert report.page_verdict("dashboard", {**slow, "p95_ms": 1001.0}) == ["p95 > 1000 ms"]


def test_the_api_needs_half_its_floor_and_no_errors():
    floor = {"rps": 400.0, "errors": 0}
    assert report.api_verdict({"rps": 200.0, "errors": 0}, floor) == []
    assert report.api_verdict({"rps": 199.0, "errors": 3}, floor) == [
        "199.0 req/s < half the floor's 400.0",
        "non-2xx answers: API 3, floor 0",
    ]


def test_the_sweep_must_handle_every_due_notice_in_time():
    idle = {"p95_ms": 3.0}
    due = {"due": 1000, "expired": 1000, "forwarded": 1000, "breaches": 1000}
    assert report.sweep_verdicts(idle, {**due, "seconds": 12.0, "notifications": 2000}) == (
        [],
        [],
    )
    broken = report.sweep_verdicts(
        {"p95_ms": 25.0}, {**due, "forwarded": 999, "seconds": 31.0, "notifications": 10}
    )
    assert broken == (
        ["p95 > 20 ms"],
        [
            "31.0 s > 30 s",
            "not every due notice was forwarded and breached",
            "fewer notifications than due notices",
        ],
    )


def test_wrk_output_is_read():
    out = """Running 15s test @ http://127.0.0.1:8765
  Latency Distribution
     50%    5.10ms
     75%    7.00ms
     90%   10.00ms
     99%    1.27s
  8301 requests in 15.00s, 2.1MB read
  Non-2xx or 3xx responses: 4
Requests/sec:    553.40
"""
    assert api.parse_wrk(out) == {"rps": 553.4, "errors": 4, "p50_ms": 5.1, "p99_ms": 1270.0}


def test_a_typo_swaps_two_neighbouring_letters_inside_the_word():
    typo = with_typo("Синтетикова", random.Random(3))
    assert typo != "Синтетикова"
    assert sorted(typo) == sorted("Синтетикова")
    assert typo[0] == "С" and typo[-1] == "а"
    assert with_typo("Ли", random.Random(3)) == "Ли"
