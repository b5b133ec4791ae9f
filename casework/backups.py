"""Backups with PostgreSQL's own tools: `pg_dump` in its custom format, `pg_restore` into a
new database, and a comparison that proves the copy holds the same data.

A backup is the whole database (schema, data, triggers such as the append-only guards),
so a restore needs nothing else. Restores go into a database that does not exist yet, so
a mistyped command can never overwrite the live one.
"""

import hashlib
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import psycopg2
from django.conf import settings
from django.utils import timezone

# The tables whose content is compared row by row; every table is compared by count.
KEY_TABLES = [
    "children_person",
    "children_child",
    "children_placement",
    "families_family",
    "referrals_referral",
    "referrals_referralevent",
    "casework_case",
    "casework_caseevent",
    "casework_timer",
    "casework_breach",
    "casework_auditread",
]


DATABASE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class Connection:
    host: str
    port: str
    user: str
    password: str
    name: str

    @classmethod
    def from_settings(cls, name: str | None = None) -> "Connection":
        db = settings.DATABASES["default"]
        return cls(
            host=str(db.get("HOST") or "127.0.0.1"),
            port=str(db.get("PORT") or "5432"),
            user=str(db.get("USER") or "postgres"),
            password=str(db.get("PASSWORD") or ""),
            name=name or db["NAME"],
        )

    def args(self) -> list[str]:
        return ["--host", self.host, "--port", self.port, "--username", self.user]

    def env(self) -> dict:
        return {**os.environ, "PGPASSWORD": self.password}

    def connect(self):
        return psycopg2.connect(
            host=self.host, port=self.port, user=self.user, password=self.password, dbname=self.name
        )


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return path


def backup_create(
    *, directory: Path, source: Connection | None = None, now: datetime | None = None
) -> Path:
    source = source or Connection.from_settings()
    directory.mkdir(parents=True, exist_ok=True)
    stamp = (now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    target = directory / f"{source.name}-{stamp}.dump"
    run = subprocess.run(  # noqa: S603 - fixed tool, arguments as a list, no shell
        [
            _tool("pg_dump"),
            *source.args(),
            "--format=custom",
            "--no-owner",
            f"--file={target}",
            source.name,
        ],
        env=source.env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        target.unlink(missing_ok=True)
        raise BackupError(run.stderr.strip())
    return target


def backup_restore(*, dump: Path, into: str, server: Connection | None = None) -> Connection:
    """Restore `dump` into a new database `into`, in one transaction: all or nothing."""
    server = server or Connection.from_settings()
    if not DATABASE_NAME.match(into):
        raise BackupError(f"{into!r} is not a plain database name (letters, digits, _).")
    if not dump.is_file():
        raise BackupError(f"No backup file at {dump}.")
    target = Connection(**{**server.__dict__, "name": into})
    admin = Connection(**{**server.__dict__, "name": "postgres"}).connect()
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [into])
            if cursor.fetchone():
                raise BackupError(f"Database {into} already exists: restore into a new one.")
            cursor.execute(f'CREATE DATABASE "{into}"')  # checked against DATABASE_NAME
    finally:
        admin.close()
    run = subprocess.run(  # noqa: S603 - fixed tool, arguments as a list, no shell
        [
            _tool("pg_restore"),
            *target.args(),
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={into}",
            str(dump),
        ],
        env=target.env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        raise BackupError(run.stderr.strip())
    return target


def fingerprint(connection: Connection) -> dict[str, tuple[int, str]]:
    """Every table's row count, and for the key tables a checksum of all their rows."""
    result = {}
    with connection.connect() as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        for (table,) in cursor.fetchall():
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - catalog names
            count = cursor.fetchone()[0]
            digest = ""
            if table in KEY_TABLES:
                cursor.execute(
                    f"SELECT md5(string_agg(t::text, '|' ORDER BY t.id)) FROM \"{table}\" t"  # noqa: S608
                )
                digest = cursor.fetchone()[0] or hashlib.md5(b"", usedforsecurity=False).hexdigest()
            result[table] = (count, digest)
    return result


def fingerprint_differences(a: dict, b: dict) -> list[str]:
    return [
        f"{table}: {a.get(table)} != {b.get(table)}"
        for table in sorted(set(a) | set(b))
        if a.get(table) != b.get(table)
    ]


def database_drop(*, name: str, server: Connection | None = None) -> None:
    """For the restore test and for throw-away verification copies only."""
    server = server or Connection.from_settings()
    admin = Connection(**{**server.__dict__, "name": "postgres"}).connect()
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.close()
