"""Moments of the casework timers, computed once from the working-day calendar."""

from datetime import date, datetime, time, timedelta

from django.conf import settings

from casework.selectors import calendar_around
from casework.working_days import ALMATY, working_days_deadline


def assessment_due_at(picked_up_at: datetime, *, urgent: bool) -> datetime:
    days = settings.ASSESSMENT_URGENT_WORKING_DAYS if urgent else settings.ASSESSMENT_WORKING_DAYS
    calendar = calendar_around(picked_up_at.date())
    return working_days_deadline(picked_up_at, days, calendar, closes_at=settings.WORKDAY_ENDS_AT)


def guardianship_notice_due_at(event_at: datetime) -> datetime:
    return event_at + timedelta(hours=settings.GUARDIANSHIP_NOTICE_HOURS)


def end_of_day(day: date) -> datetime:
    """A deadline given as a date (a plan measure, a commission's instruction) holds
    until the end of that day in Almaty."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=ALMATY)


def review_until(held_at: datetime) -> datetime:
    return held_at + timedelta(days=settings.KDN_REVIEW_DAYS_AFTER_MEETING)
