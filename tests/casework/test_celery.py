"""Celery with a real Redis broker and a real worker: notifications are delivered once."""

import socket
import threading
import time
from contextlib import contextmanager

from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core import mail
from django.db import transaction

from casework.models import Notification
from casework.services.notifications import (
    notification_create,
    notification_deliver,
    notify_users,
)
from casework.tasks import notifications_send_pending
from tests.conftest import celery_app_on, fails_after


def test_a_real_worker_delivers_a_notification(transactional_db, celery_app, alice):
    finished = threading.Event()

    def on_finished(sender=None, **kwargs):
        if sender.name == "casework.tasks.notification_send":
            finished.set()

    task_postrun.connect(on_finished, weak=False)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            with transaction.atomic():
                notification = notification_create(recipient=alice, subject="Test", body="Body")
            assert finished.wait(timeout=90), "the worker did not run the task"
    finally:
        task_postrun.disconnect(on_finished)
    notification.refresh_from_db()
    assert notification.sent_at is not None
    assert [m.to for m in mail.outbox] == [[alice.email]]


def test_delivering_twice_sends_once(db, alice):
    notification = Notification.objects.create(recipient=alice, subject="S", body="B")
    assert notification_deliver(notification_id=notification.pk)
    assert not notification_deliver(notification_id=notification.pk)
    assert len(mail.outbox) == 1


def test_the_sweep_delivers_what_the_broker_missed(db, alice, bob):
    Notification.objects.create(recipient=alice, subject="A", body="A")
    Notification.objects.create(recipient=bob, subject="B", body="B")
    assert notifications_send_pending() == 2
    assert notifications_send_pending() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([alice.email, bob.email])


@contextmanager
def _redis_that_never_answers():
    """A port that takes connections and never replies: a hung Redis (or a half-dead
    network path), which is worse than a stopped one that refuses at once."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(64)  # the kernel completes the handshakes; nobody ever reads
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    # Closing the listening socket resets the connections still waiting in its backlog.


def test_a_hung_redis_does_not_hold_up_the_request_that_notifies(
    worker_id,
    project_celery_app_restored,
    django_capture_on_commit_callbacks,
    alice,
    bob,
    hanna,
    fatima,
    farida,
):
    recipients = [alice, bob, hanna, fatima, farida]
    with _redis_that_never_answers() as url:
        celery_app_on(url, worker_id)
        with fails_after(20, "the publish to the hung Redis"):
            with django_capture_on_commit_callbacks(execute=True):
                notify_users(recipients, message="Urgent referral", params={}, link="/")
                started = time.monotonic()  # the publish runs as this block "commits"
            took = time.monotonic() - started
    # One bounded wait (about 2 s), not one per recipient.
    assert took < 3.5, took
    # Nothing lost: the rows wait for the sweep.
    assert Notification.objects.filter(sent_at__isnull=True).count() == len(recipients)
