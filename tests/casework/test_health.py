"""Health: the load balancer's check and the operator's status page, on the real services."""

import threading

from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.test import override_settings

from casework.health import SWEEP, system_status
from casework.models import Heartbeat
from casework.tasks import timers_sweep

# A port where nothing listens: Redis "down" without touching the real server.
NOWHERE = "redis://127.0.0.1:1/0"


def test_healthz_says_ok_when_database_and_redis_answer(client, db):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() | {"date": None} == {
        "status": "ok",
        "database": "ok",
        "redis": "ok",
        "date": None,
    }


def test_healthz_fails_when_redis_does_not_answer(client, db):
    with override_settings(REDIS_URL=NOWHERE):
        response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["redis"] == "unreachable" and response.json()["status"] == "failing"


def test_the_sweep_task_leaves_a_heartbeat(db):
    assert timers_sweep() == {"reminded": 0, "expired": 0}
    beat = Heartbeat.objects.get(name=SWEEP)
    assert beat.detail == {"reminded": 0, "expired": 0}
    first = beat.at
    timers_sweep()
    assert Heartbeat.objects.get(name=SWEEP).at >= first
    assert Heartbeat.objects.count() == 1


def test_the_status_page_is_for_administrators_only(client_for, adam, alice, hanna):
    assert client_for(alice).get("/status/").status_code == 403
    assert client_for(hanna).get("/status/").status_code == 403
    page = client_for(adam).get("/status/")
    assert page.status_code == 200
    assert page.context["status"].sweep_late  # no sweep has run in this test database


def test_the_status_shows_a_live_worker_and_the_last_sweep(transactional_db, celery_app):
    finished = threading.Event()

    def on_finished(sender=None, **kwargs):
        if sender.name == "casework.tasks.timers_sweep":
            finished.set()

    task_postrun.connect(on_finished, weak=False)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False) as worker:
            celery_app.send_task("casework.tasks.timers_sweep")
            assert finished.wait(timeout=90), "the worker did not run the sweep"
            status = system_status()
            assert worker.hostname in status.workers
    finally:
        task_postrun.disconnect(on_finished)
    assert not status.sweep_late and status.last_sweep is not None
    assert status.redis and status.queue_length is not None


def test_the_status_says_redis_is_down_without_failing(client_for, adam):
    with override_settings(REDIS_URL=NOWHERE):
        page = client_for(adam).get("/status/")
    assert page.status_code == 200
    assert page.context["status"].redis is False and page.context["status"].workers == []
