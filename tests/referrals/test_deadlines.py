"""The one-working-day transfer deadline on real Kazakh calendar cases."""

import io
from datetime import UTC, datetime, time, timedelta

import pytest
from django.core.management import call_command

from casework.models import CalendarOverrideKind
from casework.services.calendar import calendar_override_set
from casework.working_days import (
    build_calendar,
    subtract_working_time,
    working_time_between,
)
from referrals.deadlines import pickup_due_at, transfer_due_at, transfer_remind_at
from tests.referrals.conftest import almaty


@pytest.mark.parametrize(
    ("registered", "due"),
    [
        # Friday before Nauryz 2026: 21-25 March are days off.
        (almaty(2026, 3, 20, 16, 0), almaty(2026, 3, 26, 18, 30)),
        (almaty(2025, 3, 20, 16, 0), almaty(2025, 3, 26, 18, 30)),
        # Friday 3 May 2024: Saturday 4 May was a working day by transfer.
        (almaty(2024, 5, 3, 10, 0), almaty(2024, 5, 4, 18, 30)),
        # Registered on a holiday (2 January 2025): 3rd off, 5th (Sunday) worked.
        (almaty(2025, 1, 2, 9, 0), almaty(2025, 1, 5, 18, 30)),
        # A plain Tuesday.
        (almaty(2026, 11, 17, 23, 59), almaty(2026, 11, 18, 18, 30)),
        # Registered on a Saturday evening: Monday.
        (almaty(2026, 11, 21, 20, 0), almaty(2026, 11, 23, 18, 30)),
        # Before the 1 March 2024 time-zone change (UTC+6).
        (almaty(2024, 2, 27, 12, 0), almaty(2024, 2, 28, 18, 30)),
    ],
)
def test_it_sets_the_transfer_deadline(db, registered, due):
    assert transfer_due_at(registered) == due


def test_it_takes_the_almaty_date_not_the_utc_date(db):
    # 21:00 UTC on Thursday 19 November 2026 is Friday 02:00 in Almaty.
    registered = datetime(2026, 11, 19, 21, 0, tzinfo=UTC)
    assert transfer_due_at(registered) == almaty(2026, 11, 23, 18, 30)


def test_an_override_moves_the_deadline(db):
    calendar_override_set(
        day=almaty(2026, 11, 23, 0, 0).date(),
        kind=CalendarOverrideKind.DAY_OFF,
        legal_basis="Synthetic decree for the test",
        by=None,
    )
    assert transfer_due_at(almaty(2026, 11, 20, 10, 0)) == almaty(2026, 11, 24, 18, 30)


def test_the_reminder_comes_three_working_hours_before(db):
    assert transfer_remind_at(almaty(2026, 3, 26, 18, 30)) == almaty(2026, 3, 26, 15, 30)


def test_pickup_escalates_after_one_working_day(db):
    assert pickup_due_at(almaty(2026, 3, 20, 11, 0)) == almaty(2026, 3, 26, 18, 30)


def test_the_command_prints_iso_deadlines_with_the_almaty_offset(db):
    out = io.StringIO()
    call_command("transfer_due", "2025-03-20T16:00", "2024-05-03T10:00+05:00", stdout=out)
    assert out.getvalue().splitlines() == [
        "2025-03-26T18:30:00+05:00",
        "2024-05-04T18:30:00+05:00",
    ]


def test_the_command_rejects_a_malformed_moment(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="ISO 8601"):
        call_command("transfer_due", "20.03.2025", stdout=io.StringIO())


CALENDAR = build_calendar(
    first_year=2026,
    last_year=2026,
    package_days_off=[],
    package_working_days=[],
    overrides={},
)
OPEN, CLOSE = time(9, 0), time(18, 30)


def test_working_time_is_subtracted_across_nights_and_weekends():
    # Monday 09:30 minus 3 working hours: Friday 16:00.
    moment = subtract_working_time(
        almaty(2026, 11, 23, 9, 30), timedelta(hours=3), CALENDAR, opens_at=OPEN, closes_at=CLOSE
    )
    assert moment == almaty(2026, 11, 20, 16, 0)


def test_working_time_between_counts_office_hours_only():
    left = working_time_between(
        almaty(2026, 11, 20, 17, 0),
        almaty(2026, 11, 23, 10, 0),
        CALENDAR,
        opens_at=OPEN,
        closes_at=CLOSE,
    )
    assert left == timedelta(hours=2, minutes=30)
    assert working_time_between(
        almaty(2026, 11, 23, 10, 0),
        almaty(2026, 11, 20, 17, 0),
        CALENDAR,
        opens_at=OPEN,
        closes_at=CLOSE,
    ) == timedelta(0)
