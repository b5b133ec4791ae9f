"""Two people archiving (or restoring) the same record at the same moment: exactly one
archive, one event; the other is told it already happened."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from casework.models import ArchiveAction, ArchiveEvent, Role
from children.models import Child, PlacementForm
from children.services import archive, placements
from referrals import services as referral_services
from referrals.models import EventKind
from tests.factories import staff

pytestmark = pytest.mark.django_db(transaction=True)


def race(actions) -> list:
    """Run the actions at the same moment; return what each one ended in."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(n, action):
        try:
            barrier.wait(timeout=10)
            action()
            outcomes[n] = "done"
        except ValidationError as refused:
            outcomes[n] = refused.messages[0]
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def _events(obj, action):
    return ArchiveEvent.objects.filter(
        object_id=obj.pk, content_type__model=obj._meta.model_name, action=action
    )


def test_two_specialists_archiving_one_file_at_once_archive_it_once(make_child, alice, bob):
    child = make_child()
    outcomes = race(
        [
            lambda u=u: archive.child_archive(child=child, by=u, reason=f"Дубликат ({u})")
            for u in (alice, bob)
        ]
    )
    assert sorted(o == "done" for o in outcomes) == [False, True]
    assert _events(child, ArchiveAction.ARCHIVED).count() == 1
    child.refresh_from_db()
    assert child.archived_by == _events(child, ArchiveAction.ARCHIVED).get().actor


def test_two_heads_restoring_at_once_restore_once(make_child, alice, hanna, guardianship):
    second_head = staff(Role.GUARDIANSHIP_HEAD, guardianship, username="aigerim")
    child = make_child()
    archive.child_archive(child=child, by=alice, reason="Дубликат")
    outcomes = race(
        [lambda h=h: archive.child_restore(child=child, by=h) for h in (hanna, second_head)]
    )
    assert sorted(o == "done" for o in outcomes) == [False, True]
    assert _events(child, ArchiveAction.RESTORED).count() == 1


def test_a_placement_and_an_archive_at_once_never_leave_a_placed_child_archived(
    make_child, alice, bob, institution
):
    child = make_child()
    race(
        [
            lambda: archive.child_archive(child=child, by=alice, reason="Дубликат"),
            lambda: placements.placement_start(
                child=child,
                form=PlacementForm.ORGANISATION,
                organisation=institution,
                started_on=date(2026, 1, 10),
            ),
        ]
    )
    child = Child.objects.get(pk=child.pk)
    placed = child.placements.filter(ended_on__isnull=True).exists()
    assert placed != (child.archived_at is not None)  # exactly one of the two happened


def test_two_specialists_archiving_one_referral_write_one_timeline_event(make_concern, alice, bob):
    referral = make_concern()
    outcomes = race(
        [
            lambda u=u: referral_services.referral_archive(referral=referral, by=u, reason="Дубль")
            for u in (alice, bob)
        ]
    )
    assert sorted(o == "done" for o in outcomes) == [False, True]
    assert referral.events.filter(kind=EventKind.ARCHIVED).count() == 1
    assert _events(referral, ArchiveAction.ARCHIVED).count() == 1
