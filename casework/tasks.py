"""Thin Celery tasks: take ids, call a service, safe to run twice and in parallel."""

from celery import shared_task

from casework import selectors
from casework.health import SWEEP
from casework.services.audit import audit_unusual_reads_alert as run_unusual_reads_alert
from casework.services.drafts import form_drafts_expire as expire_form_drafts
from casework.services.health import heartbeat_record
from casework.services.notifications import notification_deliver
from casework.services.timers import timers_sweep as run_timers_sweep


@shared_task(name="casework.tasks.notification_send")
def notification_send(notification_id: int) -> bool:
    return notification_deliver(notification_id=notification_id)


@shared_task(name="casework.tasks.notifications_send_pending")
def notifications_send_pending() -> int:
    """Deliver whatever is still unsent: covers messages lost while the broker was down."""
    return sum(notification_deliver(notification_id=pk) for pk in selectors.notifications_pending())


@shared_task(name="casework.tasks.timers_sweep")
def timers_sweep() -> dict[str, int]:
    """Every minute: reminders, automatic forwards, breaches and escalations that are due."""
    result = run_timers_sweep()
    heartbeat_record(name=SWEEP, detail=result)
    return result


@shared_task(name="casework.tasks.form_drafts_expire")
def form_drafts_expire() -> int:
    """Hourly: drafts nobody came back to within FORM_DRAFT_DAYS go away."""
    return expire_form_drafts()


@shared_task(name="casework.tasks.audit_unusual_reads_alert")
def audit_unusual_reads_alert() -> int:
    """Every 5 minutes: tell the heads of anyone who opened unusually many files."""
    return run_unusual_reads_alert()
