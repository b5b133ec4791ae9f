"""The referral timers' moments, computed once from the working-day calendar."""

from datetime import datetime, timedelta

from django.conf import settings

from casework.selectors import calendar_around
from casework.working_days import subtract_working_time, working_days_deadline


def transfer_due_at(registered_at: datetime) -> datetime:
    """End of the first working day after the Almaty-local date of police registration."""
    calendar = calendar_around(registered_at.date())
    return working_days_deadline(registered_at, 1, calendar, closes_at=settings.WORKDAY_ENDS_AT)


def transfer_remind_at(due_at: datetime) -> datetime:
    calendar = calendar_around(due_at.date())
    return subtract_working_time(
        due_at,
        timedelta(hours=settings.TRANSFER_REMINDER_WORKING_HOURS),
        calendar,
        opens_at=settings.WORKDAY_STARTS_AT,
        closes_at=settings.WORKDAY_ENDS_AT,
    )


def pickup_due_at(transferred_at: datetime) -> datetime:
    calendar = calendar_around(transferred_at.date())
    return working_days_deadline(
        transferred_at,
        settings.PICKUP_ESCALATION_WORKING_DAYS,
        calendar,
        closes_at=settings.WORKDAY_ENDS_AT,
    )
