"""Loaded into a Celery worker with `-I tests.faults.sweep_pause` by the test that kills
a worker in the middle of a sweep; production never loads it.

Once the sweep has recorded FAULTS_PAUSE_AFTER breaches, the next notification it writes
(the FSC's, about the notice just forwarded) stops the worker right there: inside that
timer's transaction, with the timer row locked and the breach, the forward and the
notification written but not committed. It says where it stopped on the Redis key
FAULTS_PAUSED_KEY and waits to be killed.
"""

import json
import os

import redis
from django.conf import settings
from django.db import connection
from django.db.models.signals import post_save

PAUSE_AFTER = int(os.environ["FAULTS_PAUSE_AFTER"])
PAUSED_KEY = os.environ["FAULTS_PAUSED_KEY"]
_seen = {"breaches": 0, "timer": None, "paused": False}


def _count_breach(sender, instance, created, **kwargs):
    if created:
        _seen["breaches"] += 1
        _seen["timer"] = instance.timer_id


def _pause(sender, instance, created, **kwargs):
    if not created or _seen["paused"] or _seen["breaches"] != PAUSE_AFTER:
        return
    _seen["paused"] = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend,) = cursor.fetchone()
    client = redis.Redis.from_url(settings.REDIS_URL)
    where = {"timer": _seen["timer"], "backend": backend, "pid": os.getpid()}
    client.set(PAUSED_KEY, json.dumps(where))
    client.blpop([f"{PAUSED_KEY}:never"], timeout=300)  # the test kills us long before
    raise RuntimeError("the fault test did not kill the paused worker")


# Lazy model references: this module may be imported before the app registry is ready.
post_save.connect(_count_breach, sender="casework.Breach", dispatch_uid="faults-count-breach")
post_save.connect(_pause, sender="casework.Notification", dispatch_uid="faults-pause")
