"""Fault: PostgreSQL restarts under a running web app (gunicorn, persistent connections,
`CONN_MAX_AGE=60`).

With the connection health checks of our settings, the very next request after the
restart answers 200: Django sees the pooled connection is dead and opens a new one.
A second server without the health checks shows what they prevent: its first request
after the restart fails (500, or 503 from /healthz/), and only the one after recovers.
The database server is a private one that the test starts, restarts and removes.
"""

import http.client
import subprocess
import sys
import time

import pytest
from django.db import connection
from django.test import Client

from casework.models import Notification

from .servers import PG_BIN, PostgresServer, free_port

pytestmark = pytest.mark.faults

SUBJECT = "Проверка после перезапуска базы"


@pytest.fixture
def postgres():
    server = PostgresServer()
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.remove()


def _copy_test_database(into: PostgresServer, name: str) -> None:
    """The test database, schema and rows, into the private server: seconds, where
    running the migrations takes over a minute."""
    db = connection.settings_dict
    dump = subprocess.run(
        [
            PG_BIN / "pg_dump", "-h", db["HOST"], "-p", str(db["PORT"]), "-U", db["USER"],
            "--format=custom", "--no-owner", db["NAME"],
        ],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    subprocess.run(
        [PG_BIN / "createdb", "-h", "127.0.0.1", "-p", str(into.port), "-U", "postgres", name],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    subprocess.run(
        [PG_BIN / "pg_restore", "--no-owner", "--exit-on-error", "-d", into.url(name)],
        input=dump.stdout, check=True, capture_output=True, timeout=120,
    )  # fmt: skip


def _get(port: int, path: str, session: str | None = None) -> tuple[int, str]:
    request = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"Cookie": f"sessionid={session}"} if session else {}
        request.request("GET", path, headers=headers)
        response = request.getresponse()
        return response.status, response.read().decode(errors="replace")
    finally:
        request.close()


def _answers(port: int) -> bool:
    try:
        return _get(port, "/healthz/")[0] == 200
    except OSError:
        return False


def _gunicorn(port: int) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "casework.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "60",
    ]  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_the_web_app_serves_again_right_after_postgresql_restarts(postgres, processes, alice):
    Notification.objects.create(recipient=alice, subject=SUBJECT, body="")
    browser = Client()
    browser.force_login(alice)  # the session row goes into the copy
    session = browser.cookies["sessionid"].value
    started = time.monotonic()
    _copy_test_database(postgres, "qamqor")
    copied_in = time.monotonic() - started
    assert copied_in < 60, copied_in

    database = {"DATABASE_URL": postgres.url("qamqor"), "CONN_MAX_AGE": "60"}
    checked, unchecked = free_port(), free_port()
    processes.start(
        "web-checked", _gunicorn(checked), DJANGO_SETTINGS_MODULE="casework.settings", **database
    )
    processes.start(
        "web-unchecked", _gunicorn(unchecked), FAULTS_CONN_HEALTH_CHECKS="0", **database
    )
    for port in (checked, unchecked):
        processes.wait_for(lambda port=port: _answers(port), timeout=60, what="gunicorn")
        # A page that reads the database (session, user, notifications) over the one
        # persistent connection of the single worker.
        status, page = _get(port, "/notifications/", session)
        assert status == 200 and SUBJECT in page, status

    postgres.restart()
    status, page = _get(checked, "/notifications/", session)
    assert status == 200 and SUBJECT in page, page[:2000]
    assert _get(unchecked, "/notifications/", session)[0] == 500
    assert _get(unchecked, "/notifications/", session)[0] == 200  # the broken one was dropped

    postgres.restart()
    status, health = _get(checked, "/healthz/")
    assert status == 200 and '"database": "ok"' in health, health
    status, health = _get(unchecked, "/healthz/")
    assert status == 503 and '"database": "unreachable"' in health, health
    assert _get(unchecked, "/healthz/")[0] == 200
