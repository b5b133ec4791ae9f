"""End to end on the real services: a notice registered through the API, two Celery
beats racing, two real `celery worker` processes on Redis, PostgreSQL underneath."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from celery.beat import EmbeddedService
from celery.signals import before_task_publish
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from casework.models import Breach, Notification
from casework.services.api_tokens import api_token_create
from referrals.models import EventKind, Referral, Status

ROOT = Path(__file__).resolve().parents[2]


def _worker_process(queue: str, name: str) -> subprocess.Popen:
    """A real worker process on this test's database and queue."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_QUEUE": queue,
        "DEBUG": "1",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "casework", "worker", "--pool=solo",
        "--without-mingle", "--without-gossip", "--loglevel=WARNING", f"--hostname={name}@%h",
    ]  # fmt: skip
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def _wait_for(predicate, timeout: float = 90) -> bool:
    """Wait for a condition that other processes make true (so it is polled)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


class SentSweeps:
    """Counts sweep messages the beats publish."""

    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()

    def __call__(self, sender=None, **kwargs):
        if sender == "casework.tasks.timers_sweep":
            with self.lock:
                self.count += 1


@pytest.mark.django_db(transaction=True)
def test_an_overdue_notice_is_forwarded_and_breached_exactly_once(
    celery_app, tmp_path, police, guardianship, fsc, hanna, fatima
):
    _token, key = api_token_create(organisation=police, name="police system", by=None)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.post(
        "/api/v1/referrals/create/",
        {
            "kind": "police_notice",
            "external_reference": "KUI-2026-1",
            "family_name": "Синтетиковы",
            "narrative": "Профилактический учёт.",
            "registered_at": (timezone.now() - timezone.timedelta(days=10)).isoformat(),
            "police_unit": "ОП Алмалинского района",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    referral = Referral.objects.get(pk=response.json()["id"])
    assert referral.transfer_due_at < timezone.now()

    queue = celery_app.conf.task_default_queue
    redis = celery_app.connection_for_write().default_channel.client
    celery_app.conf.beat_schedule = {
        "sweep": {"task": "casework.tasks.timers_sweep", "schedule": 0.3}
    }
    celery_app.conf.beat_max_loop_interval = 0.3
    sent = SentSweeps()
    before_task_publish.connect(sent, weak=False)
    beats = [
        EmbeddedService(celery_app, thread=True, schedule_filename=str(tmp_path / f"beat{n}"))
        for n in range(2)
    ]
    workers = [_worker_process(queue, f"w{n}") for n in range(2)]
    try:
        for beat in beats:
            beat.start()
        assert _wait_for(lambda: Breach.objects.exists()), "no sweep forwarded the notice"
        after_breach = sent.count
        assert _wait_for(lambda: sent.count >= after_breach + 8), "the beats stopped"
        for beat in beats:
            beat.stop()
            beat.join(timeout=10)
        assert _wait_for(lambda: redis.llen(queue) == 0), "the workers stopped"
    finally:
        before_task_publish.disconnect(sent)
        for beat in beats:
            beat.stop()
        for worker in workers:
            worker.terminate()  # warm shutdown: a sweep under way finishes first
        for worker in workers:
            worker.wait(timeout=60)
        redis.delete(queue)

    referral.refresh_from_db()
    assert referral.status == Status.TRANSFERRED
    assert (referral.fsc, referral.transferred_automatically) == (fsc, True)
    assert Breach.objects.count() == 1
    assert referral.events.filter(kind=EventKind.AUTO_TRANSFERRED).count() == 1
    assert referral.events.filter(kind=EventKind.BREACHED).count() == 1
    assert Notification.objects.filter(recipient=hanna).count() == 1
    assert Notification.objects.filter(recipient=fatima).count() == 1

    # ... and the FSC specialist picks it up from the inbox.
    client = Client()
    client.force_login(fatima)
    assert referral.number in client.get("/fsc/inbox/").content.decode()
    client.post(f"/referrals/{referral.pk}/pick_up/", {"from": "inbox"})
    referral.refresh_from_db()
    assert (referral.status, referral.assigned_to) == (Status.PICKED_UP, fatima)
