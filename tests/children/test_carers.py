"""Carers: approval schedules the annual reliability check and the inspection; a failed
check suspends the carer and alerts the district's guardianship staff."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from casework.models import Notification, Timer, TimerKind, TimerStatus
from casework.services.timers import timers_sweep
from children.models import Carer, CarerKind, Inspection, ReliabilityCheck
from children.selectors import carer_list
from children.services.carers import carer_register, inspection_record, reliability_check_record
from tests.children.conftest import almaty

APPROVED = date(2026, 2, 10)  # a Tuesday; 10.02.2027 is a Wednesday
ALL_OK = {"income_ok": True, "health_ok": True, "housing_ok": True, "no_criminal_record": True}


@pytest.fixture
def carer(make_carer):
    return make_carer(CarerKind.GUARDIAN, approved_on=APPROVED)


def _timers(carer, kind, status=None):
    timers = Timer.objects.filter(
        kind=kind, subject_type=ContentType.objects.get_for_model(Carer), subject_id=carer.pk
    )
    return timers.filter(status=status) if status else timers


def _check(carer, by, checked_on=date(2027, 2, 3), **items):
    return reliability_check_record(
        carer=carer, by=by, checked_on=checked_on, **{**ALL_OK, **items}
    )


def test_approval_schedules_the_reliability_check_a_year_later(carer, guardianship):
    assert carer.check_due_on == date(2027, 2, 10)
    timer = _timers(carer, TimerKind.CARER_CHECK).get()
    assert timer.status == TimerStatus.OPEN
    assert timer.due_at == almaty(2027, 2, 10, 18, 30)
    assert timer.remind_at == almaty(2027, 1, 27, 18, 30)
    assert timer.organisation == guardianship


def test_approval_schedules_the_inspection(carer):
    assert carer.inspection_due_on == date(2027, 2, 10)
    assert _timers(carer, TimerKind.CARER_INSPECTION, TimerStatus.OPEN).get().due_at == almaty(
        2027, 2, 10, 18, 30
    )


def test_a_check_due_on_a_day_off_is_due_the_working_day_before(make_carer):
    carer = make_carer(approved_on=date(2026, 3, 22))  # 22.03.2027 is Nauryz
    due = _timers(carer, TimerKind.CARER_CHECK).get().due_at
    assert due == almaty(2027, 3, 19, 18, 30)


def test_a_person_is_registered_as_a_carer_once(carer, almaly):
    with pytest.raises(ValidationError):
        carer_register(
            person=carer.person, kind=CarerKind.FOSTER, district=almaly, approved_on=APPROVED
        )
    assert Carer.objects.count() == 1


@pytest.mark.parametrize("failing", sorted(ALL_OK))
def test_a_failed_check_suspends_the_carer_and_alerts_guardianship(
    carer, alice, hanna, oscar, rita, failing
):
    check = _check(carer, alice, **{failing: False})
    assert check.passed is False
    carer.refresh_from_db()
    assert carer.suspended_at is not None
    for user in (alice, hanna):
        subjects = list(
            Notification.objects.filter(recipient=user).values_list("subject", flat=True)
        )
        assert len(subjects) == 1
        assert carer.person.full_name in subjects[0]
    assert not Notification.objects.filter(recipient__in=[oscar, rita]).exists()


def test_a_passing_check_moves_the_next_check_a_year_on(carer, alice, hanna):
    check = _check(carer, alice, checked_on=date(2027, 2, 3))
    assert check.passed and check.checked_by == alice
    carer.refresh_from_db()
    assert carer.check_due_on == date(2028, 2, 3)
    assert carer.suspended_at is None
    open_timer = _timers(carer, TimerKind.CARER_CHECK, TimerStatus.OPEN).get()
    assert open_timer.due_at == almaty(2028, 2, 3, 18, 30)
    assert _timers(carer, TimerKind.CARER_CHECK, TimerStatus.DONE).count() == 1
    assert not Notification.objects.exists()


def test_two_checks_leave_one_open_check_timer(carer, alice):
    _check(carer, alice, checked_on=date(2027, 2, 3))
    _check(carer, alice, checked_on=date(2028, 2, 1))
    assert _timers(carer, TimerKind.CARER_CHECK, TimerStatus.OPEN).count() == 1
    assert _timers(carer, TimerKind.CARER_CHECK).count() == 3
    assert Carer.objects.get(pk=carer.pk).check_due_on == date(2029, 2, 1)


def test_a_check_needs_every_item(carer, alice):
    with pytest.raises(ValidationError):
        reliability_check_record(
            carer=carer, by=alice, checked_on=date(2027, 2, 3), income_ok=None, health_ok=True,
            housing_ok=True, no_criminal_record=True,
        )  # fmt: skip
    assert not ReliabilityCheck.objects.exists()
    assert Carer.objects.get(pk=carer.pk).check_due_on == date(2027, 2, 10)


def test_an_inspection_needs_findings(carer, alice):
    with pytest.raises(ValidationError) as caught:
        inspection_record(
            carer=carer, by=alice, inspected_on=date(2026, 8, 4), conditions_ok=True, findings=" "
        )
    assert "findings" in caught.value.message_dict
    assert not Inspection.objects.exists()
    assert Carer.objects.get(pk=carer.pk).inspection_due_on == date(2027, 2, 10)


def test_an_inspection_reschedules_the_next_one(carer, alice, hanna):
    inspection = inspection_record(
        carer=carer,
        by=alice,
        inspected_on=date(2026, 8, 4),
        conditions_ok=True,
        findings="Условия проживания удовлетворительные.",
    )
    assert inspection.inspected_by == alice
    carer.refresh_from_db()
    assert carer.inspection_due_on == date(2027, 8, 4)
    timer = _timers(carer, TimerKind.CARER_INSPECTION, TimerStatus.OPEN).get()
    assert timer.due_at == almaty(2027, 8, 4, 18, 30)
    assert _timers(carer, TimerKind.CARER_INSPECTION).count() == 2
    assert not Notification.objects.exists()


def test_unacceptable_living_conditions_alert_the_head(carer, alice, hanna):
    inspection_record(
        carer=carer,
        by=alice,
        inspected_on=date(2026, 8, 4),
        conditions_ok=False,
        findings="Нет отопления.",
    )
    assert Notification.objects.filter(recipient=hanna).count() == 1
    assert not Notification.objects.filter(recipient=alice).exists()


def test_carer_list_is_scoped_and_searchable(
    carer, make_carer, alice, oscar, bostandyk, other_guardianship
):
    theirs = make_carer(district=bostandyk, last_name="Омарбекова")
    assert list(carer_list(user=alice)) == [carer]
    assert list(carer_list(user=oscar)) == [theirs]
    latin = carer.person.last_name_latin
    assert list(carer_list(user=alice, query=latin)) == [carer]
    assert list(carer_list(user=alice, query="Омарбекова")) == []


def test_the_sweep_reminds_guardianship_of_a_check_two_weeks_ahead_once(carer, alice, hanna):
    remind_at = almaty(2027, 1, 27, 18, 30)
    # The inspection falls due on the same day: both timers remind together.
    assert timers_sweep(now=remind_at)["reminded"] == 2
    assert timers_sweep(now=remind_at)["reminded"] == 0
    assert Notification.objects.filter(recipient=alice).count() == 2
    assert Notification.objects.filter(recipient=hanna).count() == 2
    assert _timers(carer, TimerKind.CARER_CHECK, TimerStatus.OPEN).get().reminded_at == remind_at
