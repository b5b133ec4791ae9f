"""The transfer deadline enforced by the sweep: reminders, automatic forward, breach,
pickup escalation; exactly once, however often and however concurrently it runs."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections

from casework.models import Breach, Notification, Timer, TimerKind, TimerStatus
from casework.services.timers import timers_sweep
from referrals import services
from referrals.models import EventKind, Referral, Status
from tests.referrals.conftest import almaty

REGISTERED = almaty(2026, 3, 20, 16, 0)  # Friday before Nauryz: due Thursday 26.03 18:30
DUE = almaty(2026, 3, 26, 18, 30)


@pytest.fixture
def notice(make_notice, alice, hanna, fatima, gulnara):
    # alice registers it, so she is the responsible specialist; hanna heads guardianship.
    return make_notice(registered_at=REGISTERED, by=alice)


def _subjects(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("subject", flat=True))


def test_nothing_happens_before_the_reminder(notice):
    assert timers_sweep(now=almaty(2026, 3, 26, 15, 29)) == {"reminded": 0, "expired": 0}
    assert not Notification.objects.exists()


def test_it_reminds_the_specialist_and_the_head_once(notice, alice, hanna):
    assert timers_sweep(now=almaty(2026, 3, 26, 15, 30))["reminded"] == 1
    assert timers_sweep(now=almaty(2026, 3, 26, 15, 31))["reminded"] == 0
    assert len(_subjects(alice)) == 1 and len(_subjects(hanna)) == 1
    assert "26.03.2026 18:30" in _subjects(hanna)[0]
    assert notice.events.filter(kind=EventKind.REMINDED).count() == 1


def test_at_the_deadline_it_forwards_breaches_and_tells_the_head(notice, hanna, fsc, guardianship):
    result = timers_sweep(now=DUE)
    assert result["expired"] == 1
    notice.refresh_from_db()
    assert (notice.status, notice.fsc, notice.transferred_automatically) == (
        Status.TRANSFERRED,
        fsc,
        True,
    )
    breach = Breach.objects.get()
    assert (breach.organisation, breach.due_at, breach.recorded_at) == (guardianship, DUE, DUE)
    assert any("нарушение" in s for s in _subjects(hanna))
    kinds = list(notice.events.values_list("kind", flat=True))
    assert kinds[-2:] == [EventKind.BREACHED, EventKind.AUTO_TRANSFERRED]
    assert Timer.objects.get(kind=TimerKind.REFERRAL_TRANSFER).status == TimerStatus.EXPIRED


def test_one_sweep_handles_more_due_notices_than_a_batch(make_notice, alice, monkeypatch):
    monkeypatch.setattr("casework.services.timers.SWEEP_BATCH", 2)
    notices = [make_notice(registered_at=REGISTERED, by=alice) for _ in range(5)]
    assert timers_sweep(now=DUE)["expired"] == 5
    assert {n.status for n in Referral.objects.filter(pk__in=[n.pk for n in notices])} == {
        Status.TRANSFERRED
    }
    assert Breach.objects.count() == 5


def test_a_sweep_stops_after_its_cap_and_the_next_one_goes_on(make_notice, alice, monkeypatch):
    monkeypatch.setattr("casework.services.timers.SWEEP_BATCH", 1)
    monkeypatch.setattr("casework.services.timers.SWEEP_MAX_BATCHES", 2)
    for _ in range(3):
        make_notice(registered_at=REGISTERED, by=alice)
    assert timers_sweep(now=DUE)["expired"] == 2
    assert timers_sweep(now=DUE)["expired"] == 1


def test_a_second_sweep_changes_nothing(notice, hanna):
    timers_sweep(now=DUE)
    counts = (Breach.objects.count(), Notification.objects.count(), notice.events.count())
    assert timers_sweep(now=DUE + timedelta(minutes=1)) == {"reminded": 0, "expired": 0}
    assert (Breach.objects.count(), Notification.objects.count(), notice.events.count()) == counts


def test_a_notice_transferred_in_time_is_not_breached(notice, alice):
    services.referral_transfer(referral=notice, by=alice, now=almaty(2026, 3, 26, 12, 0))
    timers_sweep(now=DUE + timedelta(hours=1))
    assert not Breach.objects.exists()
    notice.refresh_from_db()
    assert notice.transferred_automatically is False


def test_a_sweep_killed_half_way_leaves_nothing_and_the_next_one_finishes(
    notice, hanna, monkeypatch
):
    from referrals import services as referral_services

    def crash(*args, **kwargs):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(referral_services, "_notify", crash)
    with pytest.raises(RuntimeError):
        timers_sweep(now=DUE)
    notice.refresh_from_db()
    assert notice.status == Status.REGISTERED
    assert not Breach.objects.exists()
    assert Timer.objects.get(kind=TimerKind.REFERRAL_TRANSFER).status == TimerStatus.OPEN
    monkeypatch.undo()
    assert timers_sweep(now=DUE)["expired"] == 1
    assert Breach.objects.count() == 1


def test_pickup_not_done_in_a_working_day_goes_to_the_fsc_head(notice, gulnara, fatima):
    timers_sweep(now=DUE)  # forwarded at 26.03 18:30; pickup due end of 27.03
    before = len(_subjects(gulnara))
    timers_sweep(now=almaty(2026, 3, 27, 18, 29))
    assert len(_subjects(gulnara)) == before
    timers_sweep(now=almaty(2026, 3, 27, 18, 30))
    assert len(_subjects(gulnara)) == before + 1
    assert notice.events.filter(kind=EventKind.ESCALATED).count() == 1
    assert len(_subjects(fatima)) == 1  # told of the new inbox item, not escalated to


def test_the_sweep_reads_only_open_timers_through_their_partial_index(notice, guardianship):
    """With a long history of closed timers, PostgreSQL plans the sweep on the small
    partial index of open timers: its cost follows what is open, not all history."""
    template = Timer.objects.get()
    history = [
        Timer(
            kind=template.kind,
            status=TimerStatus.DONE,
            subject_type=template.subject_type,
            subject_id=10_000 + n,
            organisation=guardianship,
            started_at=template.started_at,
            due_at=template.due_at - timedelta(days=n % 300),
        )
        for n in range(20_000)
    ]
    Timer.objects.bulk_create(history, batch_size=5_000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE casework_timer")
    query = (
        Timer.objects.filter(status=TimerStatus.OPEN, due_at__lte=DUE)
        .order_by("due_at")
        .values("pk")[:500]
    )
    plan = query.explain()
    assert "timer_open_due" in plan, plan
    assert "Seq Scan" not in plan, plan


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_racing_leave_one_forward_one_breach_one_message(
    make_notice, alice, hanna, fatima
):
    referral = make_notice(registered_at=REGISTERED, by=alice)
    barrier = threading.Barrier(4)
    errors = []

    def sweep():
        try:
            barrier.wait(timeout=10)
            timers_sweep(now=DUE)
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    referral.refresh_from_db()
    assert referral.status == Status.TRANSFERRED
    assert Breach.objects.count() == 1
    assert referral.events.filter(kind=EventKind.AUTO_TRANSFERRED).count() == 1
    assert Notification.objects.filter(recipient=hanna, subject__contains="нарушение").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_pickup_has_exactly_one_winner(make_concern, alice, fsc):
    from casework.models import Role
    from tests.factories import staff

    specialists = [staff(Role.FSC_SPECIALIST, fsc, username=f"fsc{n}") for n in range(5)]
    referral = services.referral_transfer(referral=make_concern(), by=alice)
    barrier = threading.Barrier(len(specialists))
    outcomes = {}

    def pick(user):
        try:
            barrier.wait(timeout=10)
            services.referral_pick_up(referral=referral, by=user)
            outcomes[user.pk] = "won"
        except services.TransitionRefused as refused:
            outcomes[user.pk] = refused.messages[0]
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pick, args=(user,)) for user in specialists]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    winners = [pk for pk, outcome in outcomes.items() if outcome == "won"]
    assert len(winners) == 1 and len(outcomes) == len(specialists)
    winner = Referral.objects.get(pk=referral.pk).assigned_to
    assert winner.pk == winners[0]
    for pk, outcome in outcomes.items():
        if pk != winner.pk:
            assert winner.full_name in outcome
    assert Referral.objects.get(pk=referral.pk).events.filter(kind=EventKind.PICKED_UP).count() == 1
