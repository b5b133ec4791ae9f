"""Referral transitions: every allowed move works, every other is refused and changes nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from casework.models import Timer, TimerKind, TimerStatus
from referrals import services
from referrals.models import TRANSITIONS, EventKind, Referral, ReferralEvent, Status
from tests.referrals.conftest import almaty

TRIAGE = {Status.NO_ACTION, Status.CASEWORK, Status.SENT_TO_KDN}


def _force_status(referral: Referral, status: str, fsc=None, assigned=None) -> Referral:
    """Put a referral straight into a state (test setup only: bypasses the services)."""
    Referral.objects.filter(pk=referral.pk).update(status=status, fsc=fsc, assigned_to=assigned)
    referral.refresh_from_db()
    return referral


def _perform(target: str, referral: Referral, people: dict) -> Referral:
    if target in TRIAGE:
        return services.referral_triage(
            referral=referral, by=people["alice"], decision=target, reason="Причина"
        )
    return {
        Status.TRANSFERRED: lambda: services.referral_transfer(
            referral=referral, by=people["alice"]
        ),
        Status.PICKED_UP: lambda: services.referral_pick_up(referral=referral, by=people["fatima"]),
        Status.IN_WORK: lambda: services.referral_start_work(
            referral=referral, by=people["fatima"]
        ),
        Status.CLOSED: lambda: services.referral_close(
            referral=referral, by=people["fatima"], outcome="Итог"
        ),
        Status.RETURNED: lambda: services.referral_return(
            referral=referral, by=people["fatima"], reason="Причина"
        ),
    }[target]()


ALL_PAIRS = [
    (source, target)
    for source in TRANSITIONS
    for target in Status.values
    if target not in {Status.RECEIVED, Status.REGISTERED}
]


@pytest.mark.parametrize(("source", "target"), ALL_PAIRS)
def test_every_transition_is_allowed_or_refused_by_the_map(
    source, target, make_concern, alice, fatima, fsc
):
    referral = _force_status(make_concern(), source, fsc=fsc, assigned=fatima)
    events_before = ReferralEvent.objects.filter(referral=referral).count()
    people = {"alice": alice, "fatima": fatima}
    if target in TRANSITIONS[source]:
        moved = _perform(target, referral, people)
        assert moved.status == target
        event = ReferralEvent.objects.filter(referral=referral).latest("pk")
        assert (event.from_status, event.to_status) == (source, target)
    else:
        with translation.override("ru"), pytest.raises(services.TransitionRefused) as refused:
            _perform(target, referral, people)
        assert "нельзя" in refused.value.messages[0] or "уже" in refused.value.messages[0]
        referral.refresh_from_db()
        assert referral.status == source
        assert ReferralEvent.objects.filter(referral=referral).count() == events_before


def test_a_concern_starts_received_with_an_event(make_concern, rita):
    referral = make_concern()
    assert referral.status == Status.RECEIVED
    event = referral.events.get()
    assert (event.kind, event.actor, event.to_status) == (EventKind.CREATED, rita, Status.RECEIVED)
    assert not Timer.objects.exists()


def test_a_notice_stores_its_deadline_and_starts_a_timer(make_notice, guardianship):
    referral = make_notice(registered_at=almaty(2026, 3, 20, 16, 0))
    assert referral.status == Status.REGISTERED
    assert referral.transfer_due_at == almaty(2026, 3, 26, 18, 30)
    timer = Timer.objects.get(kind=TimerKind.REFERRAL_TRANSFER)
    assert (timer.subject_id, timer.organisation, timer.due_at) == (
        referral.pk,
        guardianship,
        referral.transfer_due_at,
    )
    assert timer.remind_at == almaty(2026, 3, 26, 15, 30)


def test_a_manual_transfer_stops_the_transfer_timer_and_starts_the_pickup_timer(
    make_notice, alice, fatima, fsc
):
    referral = make_notice(registered_at=timezone.now() - timezone.timedelta(hours=1))
    referral = services.referral_transfer(referral=referral, by=alice)
    assert (referral.fsc, referral.transferred_automatically) == (fsc, False)
    transfer = Timer.objects.get(kind=TimerKind.REFERRAL_TRANSFER)
    assert transfer.status == TimerStatus.DONE
    pickup = Timer.objects.get(kind=TimerKind.REFERRAL_PICKUP)
    assert (pickup.status, pickup.organisation) == (TimerStatus.OPEN, fsc)
    services.referral_pick_up(referral=referral, by=fatima)
    pickup.refresh_from_db()
    assert pickup.status == TimerStatus.DONE


def test_a_notice_needs_its_registration_time(almaly, guardianship, police, pavel):
    data = services.ReferralInput(
        kind="police_notice", district=almaly, narrative="x", family_name="Ф"
    )
    with pytest.raises(ValidationError) as error:
        services.referral_create(data=data, by=pavel)
    assert "registered_at" in error.value.message_dict
    assert not Referral.objects.exists()


def test_a_notice_cannot_be_registered_in_the_future(make_notice):
    with pytest.raises(ValidationError):
        make_notice(registered_at=timezone.now() + timezone.timedelta(hours=1), now=timezone.now())
    assert not Referral.objects.exists()


def test_no_action_needs_a_reason(make_concern, alice):
    referral = make_concern()
    with pytest.raises(ValidationError) as error:
        services.referral_triage(referral=referral, by=alice, decision=Status.NO_ACTION, reason=" ")
    assert "reason" in error.value.message_dict
    referral.refresh_from_db()
    assert referral.status == Status.RECEIVED


def test_return_and_close_need_their_text(make_concern, alice, fatima):
    referral = services.referral_transfer(referral=make_concern(), by=alice)
    with pytest.raises(ValidationError):
        services.referral_return(referral=referral, by=fatima, reason="")
    referral = services.referral_pick_up(referral=referral, by=fatima)
    referral = services.referral_start_work(referral=referral, by=fatima)
    with pytest.raises(ValidationError):
        services.referral_close(referral=referral, by=fatima, outcome="")
    referral.refresh_from_db()
    assert referral.status == Status.IN_WORK


def test_a_returned_referral_leaves_the_fsc_and_can_be_transferred_again(
    make_concern, alice, fatima, fsc
):
    referral = services.referral_transfer(referral=make_concern(), by=alice)
    referral = services.referral_return(referral=referral, by=fatima, reason="Не наш профиль")
    assert (referral.status, referral.fsc, referral.assigned_to) == (Status.RETURNED, None, None)
    referral = services.referral_transfer(referral=referral, by=alice)
    assert referral.fsc == fsc


def test_resubmission_with_the_same_reference_returns_the_first(make_concern):
    first = make_concern(external_reference="SCH-1")
    second = make_concern(external_reference="SCH-1")
    assert first.pk == second.pk
    assert Referral.objects.count() == 1


def test_an_urgent_referral_alerts_the_guardianship_authority(make_concern, alice, hanna):
    make_concern(threat_to_life=True)
    assert {
        n.recipient
        for n in __import__("casework.models", fromlist=["Notification"]).Notification.objects.all()
    } >= {alice, hanna}


PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_attachments_are_checked_by_content(make_concern, rita, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    referral = make_concern()
    pdf = services.referral_attachment_add(
        referral=referral, by=rita, upload=SimpleUploadedFile("letter.png", PDF)
    )
    assert pdf.content_type == "application/pdf"
    png = services.referral_attachment_add(
        referral=referral, by=rita, upload=SimpleUploadedFile("photo", PNG)
    )
    assert png.content_type == "image/png"
    with pytest.raises(ValidationError, match="PDF, JPEG"):
        services.referral_attachment_add(
            referral=referral,
            by=rita,
            upload=SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf"),
        )
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError, match="10"):
        services.referral_attachment_add(referral=referral, by=rita, upload=big)
    assert referral.attachments.count() == 2
    assert referral.events.filter(kind=EventKind.ATTACHMENT_ADDED).count() == 2
