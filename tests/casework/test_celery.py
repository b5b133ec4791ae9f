"""Celery with a real Redis broker and a real worker: notifications are delivered once."""

import threading

from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core import mail
from django.db import transaction

from casework.models import Notification
from casework.services.notifications import notification_create, notification_deliver
from casework.tasks import notifications_send_pending


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
