"""Show how PostgreSQL runs the audit's two hot queries on a realistically large log.

Usage: DEBUG=1 python scripts/audit_explain.py [rows]   (default 400,000)

Copies the shape of `casework_auditread` (columns and every index) into a temporary
table, fills it with `rows` synthetic reads over 30 days (about 3,000 in the last hour,
one user far above the alert threshold), vacuums it as autovacuum would, and prints
EXPLAIN ANALYZE of the unusual-activity sweep and of one page of "who viewed this file".
Nothing outside the temporary table is touched; it disappears with the connection.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")

import django

django.setup()

from django.db import connection  # noqa: E402

from casework.services.audit import _DISTINCT_VIEWS  # noqa: E402

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 400_000
TABLE = "audit_explain_reads"


def main() -> None:
    connection.ensure_connection()
    connection.connection.autocommit = True  # VACUUM cannot run in a transaction
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE {TABLE} (LIKE casework_auditread INCLUDING DEFAULTS INCLUDING IDENTITY "
            "INCLUDING INDEXES)"
        )
        # 200 users and 20,000 files over 30 days; the last hour gets ~3,000 views and
        # user 7 opens 120 different files in it.
        cursor.execute(
            f"""
            INSERT INTO {TABLE} (at, action, object_id, object_repr, path, ip,
                                 content_type_id, user_id)
            SELECT now() - (random() * interval '30 days'),
                   (ARRAY['view','view','view','view','export','print'])[1 + (n %% 6)],
                   (n %% 20000)::text, '—', '/registry/children/' || (n %% 20000) || '/',
                   '10.0.0.1', 1 + (n %% 3), 1 + (n %% 200)
            FROM generate_series(1, %s) AS n
            """,
            [ROWS],
        )
        cursor.execute(
            f"""
            INSERT INTO {TABLE} (at, action, object_id, object_repr, path, ip,
                                 content_type_id, user_id)
            SELECT now() - (random() * interval '59 minutes'), 'view',
                   (n % 5000)::text, '—', '/x/', '10.0.0.2'::inet, 1, 1 + (n % 200)
            FROM generate_series(1, 3000) AS n
            UNION ALL
            SELECT now() - (n * interval '20 seconds'), 'view', (50000 + n)::text, '—', '/y/',
                   '10.0.0.3'::inet, 1, 7
            FROM generate_series(1, 120) AS n
            """
        )
        cursor.execute(f"VACUUM ANALYZE {TABLE}")
        sweep = _DISTINCT_VIEWS.replace("casework_auditread", TABLE)
        params = {"threshold": 50, "user_id": None}
        cursor.execute(
            f"EXPLAIN (ANALYZE, COSTS OFF) {sweep}".replace(
                "%(since)s", "now() - interval '1 hour'"
            ).replace("%(until)s", "now()"),
            params,
        )
        print("-- unusual-activity sweep, last hour, threshold 50")
        print("\n".join(row[0] for row in cursor.fetchall()))
        cursor.execute(
            f"EXPLAIN (ANALYZE, COSTS OFF) SELECT * FROM {TABLE} "
            "WHERE content_type_id = 1 AND object_id = '42' ORDER BY at DESC, id DESC LIMIT 25"
        )
        print("\n-- who viewed this file, first page")
        print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
