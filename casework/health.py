"""Reads for health checks: can we reach the database and Redis, when did the deadline
sweep last run, how long is the task queue, which Celery workers answer."""

from dataclasses import dataclass
from datetime import datetime

import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from casework.models import Heartbeat

SWEEP = "timers_sweep"
CHECK_TIMEOUT = 1.0  # seconds: a load balancer must not hang on a sick dependency


def database_reachable() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def _redis():
    return redis.Redis.from_url(
        settings.REDIS_URL, socket_timeout=CHECK_TIMEOUT, socket_connect_timeout=CHECK_TIMEOUT
    )


def redis_reachable() -> bool:
    try:
        return bool(_redis().ping())
    except redis.RedisError:
        return False


@dataclass(frozen=True)
class SystemStatus:
    database: bool
    redis: bool
    last_sweep: datetime | None
    sweep_result: dict
    sweep_late: bool
    queue_length: int | None
    workers: list[str]


def system_status(*, now: datetime | None = None) -> SystemStatus:
    now = now or timezone.now()
    heartbeat = Heartbeat.objects.filter(name=SWEEP).first()
    reachable = redis_reachable()
    last = heartbeat.at if heartbeat else None
    return SystemStatus(
        database=True,  # this page was read from it
        redis=reachable,
        last_sweep=last,
        sweep_result=heartbeat.detail if heartbeat else {},
        # Beat runs the sweep every minute: three missed runs mean beat or workers are down.
        sweep_late=last is None or (now - last).total_seconds() > 180,
        queue_length=_queue_length() if reachable else None,
        workers=_workers() if reachable else [],
    )


def _queue_length() -> int | None:
    try:
        return int(_redis().llen(settings.CELERY_TASK_DEFAULT_QUEUE))
    except redis.RedisError:
        return None


def _workers() -> list[str]:
    from casework.celery import app

    replies = app.control.ping(timeout=CHECK_TIMEOUT) or []
    return sorted(name for reply in replies for name in reply)
