"""Make sure PostgreSQL (with pg_trgm) and Redis answer before the app or the tests start.

Usage: python scripts/services.py [--create-db]
       python scripts/services.py --chromium   (the browser tests' Chromium and chromedriver)
       python scripts/services.py --wrk        (the API benchmark's load generator)

Reads DATABASE_URL and REDIS_URL (defaults: the local servers). When a local server does
not answer and this is a Debian-family machine where we are root, installs and starts it
from Debian's packages; otherwise says exactly what is missing and how to get it.
"""

import argparse
import glob
import os
import shutil
import socket
import subprocess
import sys
import time
from urllib.parse import unquote, urlparse

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/qamqor"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", ""}
WAIT_SECONDS = 60


def say(message: str) -> None:
    print(f"[services] {message}", flush=True)


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host or "127.0.0.1", port), timeout=2):
            return True
    except OSError:
        return False


def wait_until_answers(host: str, port: int) -> bool:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if answers(host, port):
            return True
        time.sleep(0.5)  # polling a port that is starting; no event to wait on
    return False


def can_install() -> bool:
    return os.geteuid() == 0 and shutil.which("apt-get") is not None


def apt_install(*packages: str) -> None:
    say(f"installing {' '.join(packages)} from Debian's packages")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *packages], check=True, env=env)


def start_postgres() -> None:
    if shutil.which("pg_ctlcluster") is None:
        apt_install("postgresql", "postgresql-contrib")
    versions = sorted(os.path.basename(p) for p in glob.glob("/etc/postgresql/*"))
    if not versions:
        apt_install("postgresql", "postgresql-contrib")
        versions = sorted(os.path.basename(p) for p in glob.glob("/etc/postgresql/*"))
    version = versions[-1]
    _trust_local_tcp(version)
    say(f"starting PostgreSQL {version}")
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=False
    )


def _trust_local_tcp(version: str) -> None:
    """A development server we installed ourselves: let local TCP clients in as postgres.

    Debian asks for a password on 127.0.0.1 by default; our default DATABASE_URL has none.
    """
    hba = f"/etc/postgresql/{version}/main/pg_hba.conf"
    marker = "# qamqor: local development trust"
    with open(hba, encoding="utf-8") as handle:
        current = handle.read()
    if marker in current:
        return
    lines = f"{marker}\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n"
    with open(hba, "w", encoding="utf-8") as handle:
        handle.write(lines + current)
    say(f"allowed passwordless local TCP connections in {hba} (development machine)")


def start_redis(port: int) -> None:
    if shutil.which("redis-server") is None:
        apt_install("redis-server")
    say("starting Redis")
    subprocess.run(
        [
            "redis-server",
            "--daemonize",
            "yes",
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        check=False,
    )


def ensure_server(name: str, host: str, port: int, start, how_to: str) -> bool:
    if answers(host, port):
        return True
    if host in LOCAL_HOSTS and can_install():
        say(f"{name} does not answer at {host}:{port}; setting it up on this machine")
        start()
        if wait_until_answers(host, port):
            say(f"{name} is up at {host}:{port}")
            return True
    say(f"MISSING: {name} does not answer at {host}:{port}.")
    say(f"  {how_to}")
    return False


def check_postgres(url, create_db: bool) -> bool:
    import psycopg2
    from psycopg2 import sql

    params = {
        "host": url.hostname or "127.0.0.1",
        "port": url.port or 5432,
        "user": unquote(url.username or "postgres"),
        "password": unquote(url.password) if url.password else None,
    }
    database = url.path.lstrip("/") or "qamqor"
    try:
        connection = psycopg2.connect(dbname="postgres", connect_timeout=5, **params)
    except psycopg2.OperationalError as exc:
        say(f"MISSING: cannot log in to PostgreSQL as {params['user']}: {exc}".strip())
        say(
            "  Check the user and password in DATABASE_URL (postgres://USER:PASSWORD@HOST:PORT/DB)."
        )
        return False
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if cursor.fetchone() is None:
            say("MISSING: the pg_trgm extension is not available on this PostgreSQL server.")
            say(
                "  Install the server's contrib package "
                "(Debian: apt-get install postgresql-contrib)."
            )
            return False
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
        if cursor.fetchone() is None and create_db:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
            say(f"created database {database}")
    connection.close()
    return True


def check_redis(redis_url: str) -> bool:
    import redis

    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=5).ping()
    except redis.RedisError as exc:
        say(f"MISSING: Redis at {redis_url} refused PING: {exc}")
        return False
    return True


# WeasyPrint draws the KDN packets with Pango (and subsets fonts with HarfBuzz).
PDF_LIBRARIES = {"pango-1.0": "libpango-1.0-0", "pangoft2-1.0": "libpangoft2-1.0-0",
                 "harfbuzz-subset": "libharfbuzz-subset0"}  # fmt: skip
PDF_FONTS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def check_pdf_libraries() -> bool:
    import ctypes.util

    missing = [pkg for lib, pkg in PDF_LIBRARIES.items() if ctypes.util.find_library(lib) is None]
    if not os.path.exists(PDF_FONTS):
        missing.append("fonts-dejavu-core")
    if not missing:
        return True
    if can_install():
        apt_install(*missing)
        return True
    say(
        "the PDF packets need Pango, HarfBuzz and the DejaVu fonts: "
        f"install {' '.join(missing)} (Debian) or your system's equivalents."
    )
    return False


# The browser tests drive Debian's Chromium through Debian's chromedriver: the two
# packages are built together, so the driver always matches the browser.
CHROMIUM_PACKAGES = {"chromium": "/usr/bin/chromium", "chromium-driver": "/usr/bin/chromedriver"}


def check_chromium() -> bool:
    missing = [pkg for pkg, path in CHROMIUM_PACKAGES.items() if not os.path.exists(path)]
    if missing and can_install():
        apt_install(*missing)
        missing = [pkg for pkg, path in CHROMIUM_PACKAGES.items() if not os.path.exists(path)]
    if not missing:
        say("Chromium and chromedriver for the browser tests are installed")
        return True
    say(f"MISSING: the browser tests need {' and '.join(missing)}.")
    say(f"  Install them as root: apt-get install {' '.join(missing)} (Debian/Ubuntu).")
    return False


def check_load_generator() -> bool:
    """wrk drives the API benchmark from a second process (Debian's package)."""
    if shutil.which("wrk") is None and can_install():
        apt_install("wrk")
    if shutil.which("wrk"):
        say("wrk for the API benchmark is installed")
        return True
    say("MISSING: the API benchmark needs wrk. Install it as root: apt-get install wrk.")
    return False


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--create-db", action="store_true", help="create the database if missing")
    parser.add_argument(
        "--chromium",
        action="store_true",
        help="only check (and install) the browser tests' Chromium",
    )
    parser.add_argument(
        "--wrk", action="store_true", help="only check (and install) the benchmarks' wrk"
    )
    args = parser.parse_args()
    if args.wrk:
        return 0 if check_load_generator() else 1
    if args.chromium:
        return 0 if check_chromium() else 1
    database_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    redis_url = os.environ.get("REDIS_URL", DEFAULT_REDIS_URL)
    pg, rd = urlparse(database_url), urlparse(redis_url)
    pg_host, pg_port = pg.hostname or "127.0.0.1", pg.port or 5432
    rd_host, rd_port = rd.hostname or "127.0.0.1", rd.port or 6379

    ok = ensure_server(
        "PostgreSQL",
        pg_host,
        pg_port,
        start_postgres,
        "Install PostgreSQL 15+ with its contrib package (Debian: apt-get install postgresql "
        "postgresql-contrib), start it, or set DATABASE_URL to a server that runs.",
    )
    ok = (
        ensure_server(
            "Redis",
            rd_host,
            rd_port,
            lambda: start_redis(rd_port),
            "Install Redis 7+ (Debian: apt-get install redis-server), start it "
            "(redis-server --daemonize yes), or set REDIS_URL to a server that runs.",
        )
        and ok
    )
    if ok:
        ok = check_postgres(pg, args.create_db) and check_redis(redis_url)
    ok = check_pdf_libraries() and ok
    if ok:
        say(f"PostgreSQL {pg_host}:{pg_port} and Redis {rd_host}:{rd_port} answer")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
