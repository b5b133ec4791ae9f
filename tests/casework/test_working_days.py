"""The working-day calendar: Kazakh holidays 2024-2026, transfers, overrides, Almaty time."""

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

import pytest

from casework import selectors
from casework.models import CalendarOverrideKind
from casework.services.calendar import calendar_override_set
from casework.working_days import (
    ALMATY,
    CalendarRangeError,
    WorkingCalendar,
    add_working_days,
    build_calendar,
    end_of_working_day,
    is_working_day,
    next_working_day,
    working_days_between,
    working_days_deadline,
)

CLOSE = time(18, 30)


@pytest.fixture
def kz(db) -> WorkingCalendar:
    return selectors.working_calendar(first_year=2023, last_year=2027)


def test_it_treats_plain_weekends_as_days_off(kz):
    assert not is_working_day(date(2025, 11, 22), kz)  # Saturday
    assert not is_working_day(date(2025, 11, 23), kz)  # Sunday
    assert is_working_day(date(2025, 11, 24), kz)  # Monday


@pytest.mark.parametrize(
    "day",
    [
        date(2024, 1, 1),
        date(2024, 1, 2),
        date(2024, 3, 8),
        date(2024, 3, 21),
        date(2024, 3, 22),
        date(2024, 3, 25),  # Nowruz on Saturday 23 March -> Monday off
        date(2024, 5, 1),
        date(2024, 5, 7),
        date(2024, 5, 9),
        date(2024, 7, 8),  # Capital Day on Saturday -> Monday off
        date(2024, 8, 30),  # Constitution Day, still a holiday in 2024
        date(2024, 10, 25),
        date(2024, 12, 16),
        date(2025, 1, 7),
        date(2025, 3, 10),  # 8 March on Saturday -> Monday off
        date(2025, 3, 24),
        date(2025, 3, 25),
        date(2025, 9, 1),  # Constitution Day on Saturday 30 August 2025 -> Monday off
        date(2025, 10, 27),
        date(2026, 3, 9),
        date(2026, 3, 23),
        date(2026, 5, 11),
        date(2026, 10, 26),
        date(2026, 12, 16),
    ],
)
def test_it_knows_public_holidays_and_their_substitutes(kz, day):
    assert not is_working_day(day, kz)


def test_it_knows_ministerial_day_off_transfers(kz):
    # 2024: Saturday 4 May worked, Wednesday 8 May off.
    assert is_working_day(date(2024, 5, 4), kz)
    assert not is_working_day(date(2024, 5, 8), kz)
    # 2025: Sunday 5 January worked, Friday 3 January off.
    assert is_working_day(date(2025, 1, 5), kz)
    assert not is_working_day(date(2025, 1, 3), kz)


def test_it_drops_constitution_day_from_2026(kz):
    # 30 August 2026 is a Sunday; before 2026 it would have moved the day off to Monday.
    assert is_working_day(date(2026, 8, 31), kz)
    assert not is_working_day(date(2025, 9, 1), kz)


def test_it_finds_the_next_working_day_across_a_transfer(kz):
    # Registered Friday 3 May 2024: the next working day is the working Saturday.
    assert next_working_day(date(2024, 5, 3), kz) == date(2024, 5, 4)
    # Registered Thursday 2 January 2025 (a holiday): 3rd off, 4th Saturday, 5th worked.
    assert next_working_day(date(2025, 1, 2), kz) == date(2025, 1, 5)
    # Nowruz 2026: Friday 20 March -> Thursday 26 March.
    assert next_working_day(date(2026, 3, 20), kz) == date(2026, 3, 26)


def test_it_adds_working_days(kz):
    assert add_working_days(date(2026, 11, 20), 0, kz) == date(2026, 11, 20)
    assert add_working_days(date(2026, 11, 20), 3, kz) == date(2026, 11, 25)
    assert add_working_days(date(2026, 12, 15), 1, kz) == date(2026, 12, 17)
    with pytest.raises(ValueError):
        add_working_days(date(2026, 11, 20), -1, kz)


def test_it_counts_working_days_between_dates(kz):
    assert working_days_between(date(2026, 11, 20), date(2026, 11, 25), kz) == 3
    assert working_days_between(date(2026, 11, 25), date(2026, 11, 20), kz) == -3
    assert working_days_between(date(2026, 11, 21), date(2026, 11, 22), kz) == 0


def test_it_ends_a_working_day_at_the_configured_time_in_almaty(kz):
    moment = end_of_working_day(date(2026, 11, 23), kz, closes_at=CLOSE)
    assert moment == datetime(2026, 11, 23, 13, 30, tzinfo=UTC)
    with pytest.raises(ValueError):
        end_of_working_day(date(2026, 11, 22), kz, closes_at=CLOSE)


def test_it_sets_the_one_working_day_deadline_from_the_local_date(kz):
    # 20:00 UTC on Monday 2 March 2026 is already Tuesday 01:00 in Almaty.
    registered = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)
    assert working_days_deadline(registered, 1, kz, closes_at=CLOSE) == datetime(
        2026, 3, 4, 18, 30, tzinfo=ALMATY
    )
    with pytest.raises(ValueError):
        working_days_deadline(datetime(2026, 3, 2, 12, 0), 1, kz, closes_at=CLOSE)


def test_it_uses_utc_plus_6_before_and_utc_plus_5_after_1_march_2024(kz):
    before = end_of_working_day(date(2024, 2, 29), kz, closes_at=CLOSE)
    after = end_of_working_day(date(2024, 3, 1), kz, closes_at=CLOSE)
    assert before.utcoffset() == timedelta(hours=6)
    assert after.utcoffset() == timedelta(hours=5)
    assert before.astimezone(UTC).time() == time(12, 30)
    assert after.astimezone(UTC).time() == time(13, 30)


def test_it_reads_time_zones_from_the_pinned_tzdata_package():
    # settings clear the system search path, so an outdated OS database cannot win.
    assert zoneinfo.TZPATH == ()
    assert datetime(2025, 6, 1, tzinfo=zoneinfo.ZoneInfo("Asia/Almaty")).utcoffset() == timedelta(
        hours=5
    )


def test_it_refuses_dates_outside_the_calendar(kz):
    with pytest.raises(CalendarRangeError):
        is_working_day(date(2031, 1, 1), kz)


def test_overrides_win_over_the_package():
    package_off = {date(2026, 12, 16)}
    calendar = build_calendar(
        first_year=2026,
        last_year=2026,
        package_days_off=package_off,
        package_working_days={date(2026, 1, 3)},
        overrides={
            date(2026, 12, 16): True,  # a decree makes a holiday a working day
            date(2026, 1, 3): False,  # ... and takes back a working Saturday
            date(2026, 12, 18): False,  # ... and adds a day off
            date(2026, 12, 19): True,  # ... and a working Saturday
        },
    )
    assert is_working_day(date(2026, 12, 16), calendar)
    assert not is_working_day(date(2026, 1, 3), calendar)
    assert not is_working_day(date(2026, 12, 18), calendar)
    assert is_working_day(date(2026, 12, 19), calendar)


def test_an_admin_override_changes_deadlines_without_a_deploy(db):
    registered = datetime(2026, 12, 17, 10, 0, tzinfo=ALMATY)  # Thursday
    before = working_days_deadline(
        registered, 1, selectors.calendar_around(registered.date()), closes_at=CLOSE
    )
    assert before.date() == date(2026, 12, 18)
    calendar_override_set(
        day=date(2026, 12, 18),
        kind=CalendarOverrideKind.DAY_OFF,
        legal_basis="Synthetic test decree No. 1",
        by=None,
    )
    after = working_days_deadline(
        registered, 1, selectors.calendar_around(registered.date()), closes_at=CLOSE
    )
    assert after.date() == date(2026, 12, 21)


def test_an_override_can_be_changed_in_place(db):
    calendar_override_set(
        day=date(2026, 12, 19), kind=CalendarOverrideKind.WORKING_DAY, legal_basis="A", by=None
    )
    calendar_override_set(
        day=date(2026, 12, 19), kind=CalendarOverrideKind.DAY_OFF, legal_basis="B", by=None
    )
    calendar = selectors.working_calendar(first_year=2026, last_year=2026)
    assert not is_working_day(date(2026, 12, 19), calendar)
    assert selectors.calendar_overrides(year=2026).get().legal_basis == "B"
