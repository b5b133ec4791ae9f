"""Fault: two `celery beat` processes run at once (a second one started by mistake, or
the old one not stopped in a deploy), each with its own schedule file, and two workers
take their messages. Every sweep and every pending-mail run is sent twice over and
more; an overdue notice is still forwarded once, breached once, and each recipient
notified and e-mailed once.

(tests/referrals/test_end_to_end.py races two beats too, but as threads of the test
process; here they are real beat processes with the project's schedule.)
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from casework.models import Breach, Notification
from referrals.models import EventKind, Status

from .conftest import queue_drained
from .servers import celery_command, mail_delivered, worker_command

pytestmark = pytest.mark.faults

SENDS_EACH = 4  # sweeps each beat must have sent


def _sweeps_sent(beat) -> int:
    return len(re.findall(r"Sending due task timers-sweep", beat.log()))


@pytest.mark.django_db(transaction=True)
def test_two_beats_at_once_still_forward_breach_and_notify_once(
    redis_server, broker, processes, mail_dir, make_notice, fsc, hanna, fatima, tmp_path
):
    notice = make_notice(registered_at=timezone.now() - timedelta(days=10))
    for n in range(2):
        processes.start(f"worker-{n}", worker_command(f"w{n}"))
    beats = []
    for n in range(2):
        command = celery_command(
            "beat", "--loglevel=INFO", f"--schedule={tmp_path / f'beat-{n}'}",
            app="tests.faults.fast_beat",
        )  # fmt: skip
        beats.append(processes.start(f"beat-{n}", command))
    processes.wait_for(
        lambda: all(_sweeps_sent(beat) >= SENDS_EACH for beat in beats),
        timeout=60,
        what=f"each beat to send {SENDS_EACH} sweeps",
    )
    for beat in beats:
        beat.stop()
    client = redis_server.client()
    queue = broker.conf.task_default_queue
    processes.wait_for(
        lambda: queue_drained(client, queue), timeout=60, what="the workers to take every message"
    )
    processes.stop_all()

    notice.refresh_from_db()
    assert (notice.status, notice.fsc) == (Status.TRANSFERRED, fsc)
    assert notice.events.filter(kind=EventKind.AUTO_TRANSFERRED).count() == 1
    assert notice.events.filter(kind=EventKind.BREACHED).count() == 1
    assert Breach.objects.count() == 1
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == [
        "fatima",
        "hanna",
    ]
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
    sent = Notification.objects.values_list("recipient__email", "subject")
    assert mail_delivered(mail_dir) == dict.fromkeys(sent, 1)
