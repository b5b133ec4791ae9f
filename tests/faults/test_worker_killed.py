"""Fault: a Celery worker is killed (SIGKILL, the whole process group) in the middle of a
sweep over 30 overdue police notices, with one timer's transaction open.

The timers the sweep had finished stay finished, the open one rolls back with its row
lock released, and a fresh worker finishes the sweep: every notice is forwarded once,
breached once, and each of its recipients notified (and e-mailed) once. None is lost.
"""

import json
import re
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from casework.models import Breach, Notification, Timer, TimerKind, TimerStatus
from referrals.models import EventKind, Referral, ReferralEvent, Status

from .conftest import queue_drained
from .servers import mail_delivered, worker_command

pytestmark = pytest.mark.faults

NOTICES = 30
PAUSE_AFTER = 12  # breaches: the 12th timer's transaction is open when the worker dies
PAUSED_KEY = "faults:sweep:paused"  # where tests.faults.sweep_pause says it has stopped


def _backend_state(pid: int) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT state FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return row[0] if row else None


def _locked(timer_pk: int) -> bool:
    with transaction.atomic():
        free = Timer.objects.select_for_update(skip_locked=True).filter(pk=timer_pk)
        return not free.exists()


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_sweep_loses_and_repeats_nothing(
    redis_server, broker, processes, mail_dir, make_notice, fsc, hanna, fatima
):
    registered = timezone.now() - timedelta(days=10)
    notices = [make_notice(registered_at=registered + timedelta(minutes=n)) for n in range(NOTICES)]
    client = redis_server.client()
    queue = broker.conf.task_default_queue

    # The doomed worker takes only the first sweep (from a queue of its own); the fresh
    # one works the main queue from the start: it delivers what the doomed sweep commits
    # and, after the kill, runs the sweep beat sends next.
    sweep_queue = f"{queue}-doomed"
    doomed = processes.start(
        "doomed-worker",
        worker_command("doomed", f"--queues={sweep_queue}", "--include=tests.faults.sweep_pause"),
        FAULTS_PAUSE_AFTER=str(PAUSE_AFTER),
        FAULTS_PAUSED_KEY=PAUSED_KEY,
    )
    processes.start("fresh-worker", worker_command("fresh"))
    broker.send_task("casework.tasks.timers_sweep", queue=sweep_queue)
    processes.wait_for(lambda: client.exists(PAUSED_KEY), timeout=60, what="the sweep to pause")
    paused = json.loads(client.get(PAUSED_KEY))

    # In the middle: eleven timers committed, the twelfth open and locked.
    assert Breach.objects.count() == PAUSE_AFTER - 1
    assert _backend_state(paused["backend"]) == "idle in transaction"
    assert _locked(paused["timer"])

    doomed.kill()
    # The sweep it took is never acknowledged (Redis would hand it out again after the
    # visibility timeout; beat sends a new one every minute anyway).
    dead_deliveries = frozenset(
        tag for tag, message in client.hgetall("unacked").items() if sweep_queue.encode() in message
    )
    assert len(dead_deliveries) == 1
    # PostgreSQL sees the client gone and rolls its transaction back.
    processes.wait_for(
        lambda: _backend_state(paused["backend"]) is None, timeout=15, what="the backend to end"
    )
    assert not _locked(paused["timer"])
    interrupted = Timer.objects.get(pk=paused["timer"])
    assert interrupted.status == TimerStatus.OPEN
    assert Referral.objects.get(pk=interrupted.subject_id).status == Status.REGISTERED
    assert Breach.objects.count() == PAUSE_AFTER - 1
    forwarded = ReferralEvent.objects.filter(kind=EventKind.AUTO_TRANSFERRED)
    assert forwarded.count() == PAUSE_AFTER - 1

    # What beat sends every minute.
    broker.send_task("casework.tasks.timers_sweep")
    broker.send_task("casework.tasks.notifications_send_pending")

    def done() -> bool:
        return (
            Breach.objects.count() == NOTICES
            and Notification.objects.count() == 2 * NOTICES
            and not Notification.objects.filter(sent_at__isnull=True).exists()
            and queue_drained(client, queue, dead=dead_deliveries)
        )

    processes.wait_for(done, timeout=90, what="the fresh worker to finish the sweep")
    processes.stop_all()

    transfers = Timer.objects.filter(kind=TimerKind.REFERRAL_TRANSFER)
    assert set(transfers.values_list("status", flat=True)) == {TimerStatus.EXPIRED}
    assert Counter(Breach.objects.values_list("timer_id", flat=True)) == dict.fromkeys(
        transfers.values_list("pk", flat=True), 1
    )
    for kind in (EventKind.AUTO_TRANSFERRED, EventKind.BREACHED):
        per_notice = Counter(
            ReferralEvent.objects.filter(kind=kind).values_list("referral_id", flat=True)
        )
        assert per_notice == {notice.pk: 1 for notice in notices}, kind
    assert set(Referral.objects.values_list("status", "fsc")) == {(Status.TRANSFERRED, fsc.pk)}

    # Each notice: one breach alert to the head of guardianship, one inbox alert to the
    # FSC specialist; each e-mailed once.
    notified = Counter(
        (recipient, re.search(r"№ (\S+)", subject).group(1))
        for recipient, subject in Notification.objects.values_list("recipient", "subject")
    )
    assert notified == {
        (user.pk, notice.number): 1 for notice in notices for user in (hanna, fatima)
    }
    sent = Notification.objects.values_list("recipient__email", "subject")
    assert mail_delivered(mail_dir) == dict.fromkeys(sent, 1)
