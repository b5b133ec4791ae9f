"""`make bench`: server time, SQL queries and their floor for the pages specialists open
all day, the referral API's throughput and the deadline sweep, on a national-size
population (`generate_population`). Results: docs/BENCHMARKS.md and var/bench.json.

Measured, never asserted in tests: a timed test fails on a busy machine and passes on a
fast one, and tells nothing either way.
"""
