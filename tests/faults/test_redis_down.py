"""Fault: Redis is down (or hung) while a police notice is submitted through the API.

The notice, its deadline timer and its notifications are in the database, the request
answers at once; once Redis is back a real worker's sweep forwards the notice, records
the breach and delivers every notification exactly once, from what the database holds.
"""

import time

import pytest
from django.utils import timezone

from casework.models import Breach, Notification, Timer, TimerKind, TimerStatus
from casework.services import notifications
from referrals.models import EventKind, Referral, Status
from tests.conftest import fails_after

from .conftest import queue_drained
from .servers import mail_delivered, worker_command

pytestmark = pytest.mark.faults


@pytest.fixture
def publishing(monkeypatch) -> list[float]:
    """How long each on-commit publish of the request took, in seconds (the request as a
    whole also pays for a cold start on a busy machine)."""
    took = []
    publish = notifications._enqueue_deliveries

    def timed(ids):
        started = time.monotonic()
        try:
            publish(ids)
        finally:
            took.append(time.monotonic() - started)

    monkeypatch.setattr(notifications, "_enqueue_deliveries", timed)
    return took


def _notice(reference: str) -> dict:
    return {
        "kind": "police_notice",
        "external_reference": reference,
        "family_name": "Синтетиковы",
        "narrative": "Профилактический учёт; угроза здоровью ребёнка.",
        # Registered ten days ago: the three-hour transfer deadline is long past, so the
        # first sweep after the outage must forward it.
        "registered_at": (timezone.now() - timezone.timedelta(days=10)).isoformat(),
        "police_unit": "ОП Алмалинского района",
        # Urgent: guardianship staff are notified as the notice is saved, which is what
        # publishes to Redis inside the request.
        "threat_to_life": True,
    }


@pytest.mark.django_db(transaction=True)
def test_a_notice_submitted_while_redis_is_down_is_kept_and_forwarded_once_redis_is_back(
    redis_server,
    broker,
    processes,
    mail_dir,
    police_api,
    publishing,
    fsc,
    alice,
    bob,
    hanna,
    fatima,
):
    # The web process has talked to Redis before the outage: its pooled connection goes stale.
    assert police_api.get("/api/v1/me/").status_code == 200
    broker.send_task("casework.tasks.notifications_send_pending")
    redis_server.stop()

    response = police_api.post("/api/v1/referrals/create/", _notice("KUI-2026-77"), format="json")

    assert response.status_code == 201, response.content
    # Three recipients, the publish refused at once (it used to retry for 0.6 s each).
    assert len(publishing) == 1 and publishing[0] < 0.5, publishing
    referral = Referral.objects.get(pk=response.json()["id"])
    assert referral.status == Status.REGISTERED
    timer = Timer.objects.get(kind=TimerKind.REFERRAL_TRANSFER, subject_id=referral.pk)
    assert timer.status == TimerStatus.OPEN and timer.due_at < timezone.now()
    urgent = Notification.objects.filter(sent_at__isnull=True)
    assert sorted(urgent.values_list("recipient__username", flat=True)) == [
        "alice",
        "bob",
        "hanna",
    ]

    redis_server.start()  # the same port, empty: every message of the outage is gone
    processes.start("worker", worker_command("w1"))
    # What beat sends every minute.
    broker.send_task("casework.tasks.timers_sweep")
    broker.send_task("casework.tasks.notifications_send_pending")
    client = redis_server.client()
    queue = broker.conf.task_default_queue

    def done() -> bool:
        return (
            Notification.objects.count() == 5
            and not Notification.objects.filter(sent_at__isnull=True).exists()
            and queue_drained(client, queue)
        )

    processes.wait_for(done, timeout=60, what="the sweep and the deliveries after the outage")
    processes.stop_all()

    referral.refresh_from_db()
    assert (referral.status, referral.fsc, referral.transferred_automatically) == (
        Status.TRANSFERRED,
        fsc,
        True,
    )
    assert referral.events.filter(kind=EventKind.AUTO_TRANSFERRED).count() == 1
    assert referral.events.filter(kind=EventKind.BREACHED).count() == 1
    assert Breach.objects.filter(timer=timer).count() == Breach.objects.count() == 1
    # alice and bob: the urgent notice; hanna: that and the breach; fatima: her inbox.
    sent = Notification.objects.values_list("recipient__email", "subject")
    assert sorted(r for r, _ in sent) == sorted(
        [alice.email, bob.email, hanna.email, hanna.email, fatima.email]
    )
    assert mail_delivered(mail_dir) == dict.fromkeys(sent, 1)


@pytest.mark.django_db
def test_a_hung_redis_does_not_hold_up_the_submit(
    redis_server,
    broker,
    police_api,
    publishing,
    django_capture_on_commit_callbacks,
    alice,
    bob,
    hanna,
):
    assert police_api.get("/api/v1/me/").status_code == 200
    broker.send_task("casework.tasks.notifications_send_pending")  # a pooled connection
    redis_server.pause()  # accepts connections, never answers
    try:
        # The test's transaction stands for the request's: the publish runs as it commits.
        with (
            fails_after(20, "the submit to the hung Redis"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            response = police_api.post(
                "/api/v1/referrals/create/", _notice("KUI-2026-78"), format="json"
            )
    finally:
        redis_server.resume()

    assert response.status_code == 201, response.content
    # One bounded wait (BROKER_SOCKET_TIMEOUT, 2 s) for the three recipients together.
    assert len(publishing) == 1 and publishing[0] < 3.5, publishing
    assert Referral.objects.filter(external_reference="KUI-2026-78").exists()
    assert Notification.objects.filter(recipient=hanna, sent_at__isnull=True).count() == 1
