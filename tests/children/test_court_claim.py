"""The 7-day court-claim timer after a removal is closed by recording the filing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from casework.models import Timer, TimerKind, TimerStatus
from children.models import Removal
from children.services.placements import removal_court_claim_filed, removal_record


@pytest.fixture
def removal(make_child, alice):
    child = make_child()
    now = timezone.now()
    return removal_record(
        child=child, by=alice, removed_at=now - timedelta(days=1), reason="Угроза жизни",
        accompanied_by="Специалист", explained_to_child=True, psychologist_present=True,
        psychologist_absence_reason="", taken_to="Центр поддержки детей", prosecutor_notified_at=now,
    )  # fmt: skip


def test_recording_the_filing_closes_the_timer(removal, alice, client_for):
    timer = Timer.objects.get(kind=TimerKind.COURT_CLAIM)
    assert timer.status == TimerStatus.OPEN
    today = timezone.localdate()
    response = client_for(alice).post(
        f"/registry/children/{removal.child_id}/removals/{removal.pk}/court-claim/",
        {"filed_on": today.strftime("%d.%m.%Y")},
    )
    assert response.status_code == 302
    timer.refresh_from_db()
    assert timer.status == TimerStatus.DONE
    assert Removal.objects.get(pk=removal.pk).court_claim_filed_on == today


def test_a_filing_before_the_removal_or_twice_is_refused(removal):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        removal_court_claim_filed(
            removal=removal, filed_on=removal.removed_at.date() - timedelta(days=3)
        )
    removal_court_claim_filed(removal=removal, filed_on=timezone.localdate())
    with pytest.raises(ValidationError):
        removal_court_claim_filed(removal=removal, filed_on=timezone.localdate())


def test_another_district_cannot_record_it(removal, oscar, client_for):
    response = client_for(oscar).post(
        f"/registry/children/{removal.child_id}/removals/{removal.pk}/court-claim/",
        {"filed_on": timezone.localdate().strftime("%d.%m.%Y")},
    )
    assert response.status_code == 404
    assert Timer.objects.get(kind=TimerKind.COURT_CLAIM).status == TimerStatus.OPEN


def test_a_new_disability_conclusion_closes_the_re_examination(make_child, alice):
    from children.services.files import disability_add

    child = make_child()
    today = timezone.localdate()
    disability_add(
        child=child,
        by=alice,
        group="II",
        established_on=today - timedelta(days=300),
        valid_until=today + timedelta(days=20),
    )
    disability_add(
        child=child,
        by=alice,
        group="II",
        established_on=today,
        valid_until=today + timedelta(days=365),
    )
    timers = Timer.objects.filter(kind=TimerKind.DISABILITY_REEXAMINATION)
    assert sorted(timers.values_list("status", flat=True)) == [TimerStatus.DONE, TimerStatus.OPEN]
