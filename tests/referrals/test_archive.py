"""A duplicate or mistaken referral is archived by the district's guardianship with a
reason on its timeline; it leaves the lists, the worklist and the dashboards; a police
notice's transfer deadline stops with it and comes back, as the law set it, on restore."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from rest_framework.test import APIClient

from casework.dashboards.common import clock_at
from casework.dashboards.guardianship import guardianship_dashboard
from casework.models import ArchiveEvent, Breach, Timer, TimerKind, TimerStatus
from casework.selectors import worklist
from casework.services.timers import timers_sweep
from referrals import services
from referrals.models import Attachment, EventKind, Status
from tests.referrals.conftest import almaty

REASON = "Дубликат направления № 000001: школа отправила дважды"
REGISTERED = almaty(2026, 3, 20, 16, 0)  # due Thursday 26.03 18:30 (Nauryz in between)
DUE = almaty(2026, 3, 26, 18, 30)
PDF = b"%PDF-1.4\n%synthetic\n"


def _english(user):
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    return user


@pytest.fixture
def concern(make_concern):
    return make_concern()


@pytest.fixture
def notice(make_notice, alice):
    return make_notice(registered_at=REGISTERED, by=alice)


def test_a_specialist_archives_a_duplicate_and_the_timeline_says_why(concern, alice, client_for):
    response = client_for(alice).post(f"/referrals/{concern.pk}/archive/", {"reason": REASON})
    assert response.status_code == 302
    concern.refresh_from_db()
    assert (concern.archived_by, concern.archive_reason, concern.status) == (
        alice,
        REASON,
        Status.RECEIVED,
    )
    event = concern.events.get(kind=EventKind.ARCHIVED)
    assert (event.actor, event.note) == (alice, REASON)
    assert (
        ArchiveEvent.objects.filter(object_id=concern.pk, content_type__model="referral").count()
        == 1
    )


def test_the_reason_is_required(concern, alice, client_for):
    response = client_for(alice).post(f"/referrals/{concern.pk}/archive/", {"reason": " "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    concern.refresh_from_db()
    assert concern.archived_at is None
    assert not concern.events.filter(kind=EventKind.ARCHIVED).exists()


def test_an_archived_referral_leaves_the_list_and_the_search(
    concern, make_concern, alice, client_for
):
    kept = make_concern(child_name="Томирис Омарова")
    services.referral_archive(referral=concern, by=alice, reason=REASON)
    client = client_for(alice)
    assert [r.pk for r in client.get("/referrals/").context["page"]] == [kept.pk]
    assert [r.pk for r in client.get("/referrals/", {"q": str(concern.pk)}).context["page"]] == []
    assert client.get(f"/referrals/{concern.pk}/").status_code == 200


def test_the_archived_page_has_the_banner_and_no_actions(concern, alice, hanna, client_for):
    services.referral_archive(
        referral=concern, by=alice, reason=REASON, now=almaty(2026, 4, 6, 10, 0)
    )
    page = client_for(_english(alice)).get(f"/referrals/{concern.pk}/")
    text = page.content.decode()
    assert f"Archived on 06.04.2026 by {alice.full_name}: {REASON}" in text
    assert page.context["actions"] == []
    assert f"/referrals/{concern.pk}/attach/" not in text
    assert f"/referrals/{concern.pk}/restore/" not in text
    head = client_for(hanna).get(f"/referrals/{concern.pk}/").content.decode()
    assert f'action="/referrals/{concern.pk}/restore/"' in head


def test_nothing_can_be_done_to_an_archived_referral(concern, alice, client_for):
    services.referral_archive(referral=concern, by=alice, reason=REASON)
    client = client_for(_english(alice))
    refused = [
        client.post(f"/referrals/{concern.pk}/triage/", {"decision": Status.CASEWORK}),
        client.post(f"/referrals/{concern.pk}/transfer/"),
        client.post(
            f"/referrals/{concern.pk}/attach/",
            {"attachments": SimpleUploadedFile("a.pdf", PDF)},
        ),
        client.post(f"/referrals/{concern.pk}/link-child/", {"child": "1"}),
    ]
    assert [r.status_code for r in refused] == [403] * 4
    assert "it can be read but not changed" in refused[0].content.decode()
    concern.refresh_from_db()
    assert concern.status == Status.RECEIVED


def test_only_the_districts_guardianship_archives_and_only_its_head_restores(
    concern, alice, hanna, fatima, rita, oscar, fsc, client_for
):
    archive = f"/referrals/{concern.pk}/archive/"
    assert client_for(rita).post(archive, {"reason": "x"}).status_code == 403  # the sender
    assert client_for(oscar).post(archive, {"reason": "x"}).status_code == 404
    services.referral_transfer(referral=concern, by=alice)
    services.referral_return(referral=concern, by=fatima, reason="Не наш профиль")
    assert client_for(fatima).post(archive, {"reason": "x"}).status_code == 404  # returned
    assert client_for(alice).post(archive, {"reason": REASON}).status_code == 302
    restore = f"/referrals/{concern.pk}/restore/"
    assert client_for(alice).post(restore).status_code == 403
    assert client_for(oscar).post(restore).status_code == 404
    assert client_for(hanna).post(restore).status_code == 302
    concern.refresh_from_db()
    assert concern.archived_at is None
    assert concern.events.filter(kind=EventKind.RESTORED, actor=hanna).count() == 1


def test_a_referral_the_fsc_has_is_closed_there_not_archived(concern, alice, fsc, client_for):
    services.referral_transfer(referral=concern, by=alice)
    with translation.override("en"), pytest.raises(ValidationError, match="the FSC has it"):
        services.referral_archive(referral=concern, by=alice, reason=REASON)
    response = client_for(alice).post(f"/referrals/{concern.pk}/archive/", {"reason": REASON})
    assert response.status_code == 200  # refused on the form, with the reason kept
    assert response.context["form"]["reason"].value() == REASON
    concern.refresh_from_db()
    assert concern.archived_at is None


# --- a police notice: the one-working-day deadline ------------------------------------------


def test_an_archived_notice_is_neither_forwarded_nor_breached(notice, alice, hanna):
    assert f"/referrals/{notice.pk}/" in [i.url for i in worklist(user=hanna)["items"]]
    services.referral_archive(referral=notice, by=alice, reason=REASON, now=almaty(2026, 3, 23, 9))
    timer = Timer.objects.get(kind=TimerKind.REFERRAL_TRANSFER, subject_id=notice.pk)
    assert timer.status == TimerStatus.CANCELLED
    assert f"/referrals/{notice.pk}/" not in [i.url for i in worklist(user=hanna)["items"]]
    assert timers_sweep(now=DUE) == {"reminded": 0, "expired": 0}
    notice.refresh_from_db()
    assert notice.status == Status.REGISTERED
    assert not Breach.objects.exists()


def test_a_notice_restored_after_its_deadline_is_forwarded_and_breached_at_once(
    notice, alice, hanna, fsc, guardianship
):
    services.referral_archive(referral=notice, by=alice, reason=REASON, now=almaty(2026, 3, 23, 9))
    services.referral_restore(referral=notice, by=hanna, now=almaty(2026, 3, 27, 10))
    timer = Timer.objects.get(kind=TimerKind.REFERRAL_TRANSFER, status=TimerStatus.OPEN)
    assert (timer.due_at, timer.organisation, timer.responsible) == (DUE, guardianship, alice)
    assert timers_sweep(now=almaty(2026, 3, 27, 10, 1))["expired"] == 1
    notice.refresh_from_db()
    assert (notice.status, notice.fsc) == (Status.TRANSFERRED, fsc)
    assert Breach.objects.get().due_at == DUE


def test_the_dashboard_does_not_count_archived_referrals(make_concern, notice, alice, guardianship):
    duplicate = make_concern()
    make_concern(child_name="Алихан Сапаров")
    before = guardianship_dashboard(organisation=guardianship, clock=clock_at()).referrals
    assert (before["awaiting_triage"], before["awaiting_transfer"]) == (2, 1)
    services.referral_archive(referral=duplicate, by=alice, reason=REASON)
    services.referral_archive(referral=notice, by=alice, reason=REASON)
    after = guardianship_dashboard(organisation=guardianship, clock=clock_at()).referrals
    assert (after["awaiting_triage"], after["awaiting_transfer"]) == (1, 0)


def test_the_sender_still_sees_its_referral_through_the_api_marked_archived(notice, alice, pavel):
    services.referral_archive(referral=notice, by=alice, reason=REASON)
    client = APIClient()
    client.force_authenticate(pavel)
    body = client.get(f"/api/v1/referrals/{notice.pk}/").json()
    assert body["archived_at"] is not None
    assert [r["id"] for r in client.get("/api/v1/referrals/").json()["results"]] == [notice.pk]


# --- attachments ------------------------------------------------------------------------


@pytest.fixture
def attachment(settings, tmp_path, concern, rita):
    settings.MEDIA_ROOT = tmp_path
    return services.referral_attachment_add(
        referral=concern, by=rita, upload=SimpleUploadedFile("wrong-child.pdf", PDF)
    )


def test_a_wrong_attachment_is_archived_and_restored(attachment, alice, hanna, rita, client_for):
    referral = attachment.referral
    url = f"/referrals/{referral.pk}/files/{attachment.pk}/"
    assert f"{url}archive/" in client_for(alice).get(f"/referrals/{referral.pk}/").content.decode()
    assert client_for(rita).post(f"{url}archive/", {"reason": "x"}).status_code == 403
    assert client_for(alice).post(f"{url}archive/", {"reason": "Чужой документ"}).status_code == 302
    attachment.refresh_from_db()
    assert (attachment.archived_by, attachment.archive_reason) == (alice, "Чужой документ")
    page = client_for(alice).get(f"/referrals/{referral.pk}/")
    assert page.context["referral"].files == []
    assert referral.events.filter(kind=EventKind.ATTACHMENT_ARCHIVED).count() == 1
    assert b"".join(client_for(hanna).get(url).streaming_content) == PDF  # kept

    assert client_for(alice).post(f"{url}restore/").status_code == 403
    assert client_for(hanna).post(f"{url}restore/").status_code == 302
    assert [
        f.pk for f in client_for(alice).get(f"/referrals/{referral.pk}/").context["referral"].files
    ] == [attachment.pk]
    assert Attachment.objects.filter(pk=attachment.pk, archived_at__isnull=True).exists()
