import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")

app = Celery("qamqor")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic schedules live in code, not in a database: one beat process runs them.
app.conf.beat_schedule = {
    "timers-sweep": {"task": "casework.tasks.timers_sweep", "schedule": 60.0},
    "notifications-send-pending": {
        "task": "casework.tasks.notifications_send_pending",
        "schedule": 60.0,
    },
    "form-drafts-expire": {"task": "casework.tasks.form_drafts_expire", "schedule": 3600.0},
    "audit-unusual-reads-alert": {
        "task": "casework.tasks.audit_unusual_reads_alert",
        "schedule": 300.0,
    },
}
