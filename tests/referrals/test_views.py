"""Referral pages: the intake form, attachments, the detail page and its audit, the list
with its filters, the FSC inbox, triage and the notification bell."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from casework.models import AuditRead, Notification
from casework.selectors import calendar_around
from casework.working_days import ALMATY, next_working_day
from referrals import services
from referrals.models import (
    Attachment,
    ConcernCategory,
    EventKind,
    Referral,
    ReferralEvent,
    ReferralKind,
    Status,
)

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
REQUIRED_RU = "Обязательное поле."  # Django's own Russian catalog
BAD_TYPE_RU = "Файл «x.pdf» не является PDF, JPEG или PNG."
CHOOSE_AGAIN_RU = "Выберите вложения снова: после ошибки браузер не сохраняет файлы."


def almaty(*args) -> datetime:
    return datetime(*args, tzinfo=ALMATY)


def detail_url(referral) -> str:
    return reverse("referral_detail", args=[referral.pk])


def act_url(referral, action: str) -> str:
    return reverse("referral_act", args=[referral.pk, action])


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def in_russian(label) -> str:
    with translation.override("ru"):
        return str(label)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def concern_form(almaly, **changes) -> dict:
    data = {
        "kind": ReferralKind.CONCERN,
        "district": almaly.pk,
        "child_name": "Айдана Тестовая",
        "categories": [ConcernCategory.NEGLECT, ConcernCategory.SCHOOL_ABSENCE],
        "narrative": "Ребёнок приходит в школу голодным.",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


# --- intake form -------------------------------------------------------------------------


def test_a_school_referrer_sends_only_concerns_as_its_school(rita, client_for):
    response = client_for(rita).get(reverse("referral_create"))
    assert response.status_code == 200
    form = response.context["form"]
    assert "source_organisation" not in form.fields
    assert "channel" not in form.fields
    assert "source_person" not in form.fields
    assert [value for value, _label in form.fields["kind"].choices] == [ReferralKind.CONCERN]
    page = response.content.decode()
    assert 'name="source_organisation"' not in page
    assert 'value="police_notice"' not in page


def test_a_police_referrer_may_send_a_police_notice(pavel, client_for):
    response = client_for(pavel).get(reverse("referral_create"))
    assert response.status_code == 200
    form = response.context["form"]
    kinds = [value for value, _label in form.fields["kind"].choices]
    assert ReferralKind.POLICE_NOTICE in kinds
    assert ReferralKind.CONCERN in kinds
    assert "source_organisation" not in form.fields
    assert 'value="police_notice"' in response.content.decode()


def test_guardianship_logs_a_referral_for_any_source_and_channel(
    alice, school, police, other_school, client_for
):
    response = client_for(alice).get(reverse("referral_create"))
    assert response.status_code == 200
    form = response.context["form"]
    assert {"source_organisation", "channel", "source_person"} <= set(form.fields)
    # Sources are the referring organisations of alice's district only.
    assert set(form.fields["source_organisation"].queryset) == {school, police}
    assert {value for value, _label in form.fields["channel"].choices} == {"web", "phone"}
    page = response.content.decode()
    assert 'name="source_organisation"' in page
    assert 'name="channel"' in page


def test_a_referrer_registers_a_concern_as_its_school(
    guardianship, rita, school, almaly, client_for
):
    response = client_for(rita).post(reverse("referral_create"), concern_form(almaly))
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response.url == detail_url(referral)
    assert referral.source_organisation == school
    assert referral.created_by == rita
    assert referral.channel == "web"
    assert referral.kind == ReferralKind.CONCERN
    assert referral.status == Status.RECEIVED
    assert referral.district == almaly
    assert referral.child_name == "Айдана Тестовая"
    assert sorted(referral.categories) == ["neglect", "school_absence"]
    assert referral.events.get().kind == EventKind.CREATED


def test_a_referrer_cannot_pose_as_another_organisation(
    guardianship, rita, school, other_school, almaly, client_for
):
    client_for(rita).post(
        reverse("referral_create"),
        concern_form(almaly, source_organisation=other_school.pk, channel="phone"),
    )
    referral = Referral.objects.get()
    assert referral.source_organisation == school
    assert referral.channel == "web"


def test_a_district_without_guardianship_authority_is_a_form_error(rita, almaly, client_for):
    """The service's refusal lands on the form's district field, not in a 500."""
    response = client_for(rita).post(reverse("referral_create"), concern_form(almaly))
    assert response.status_code == 200
    assert response.context["form"].errors["district"] == [
        "В этом районе нет органа опеки в Qamqor."
    ]
    assert not Referral.objects.exists()


def test_a_bad_submit_shows_russian_errors_keeps_the_input_and_saves_nothing(
    guardianship, rita, almaly, client_for
):
    response = client_for(rita).post(
        reverse("referral_create"),
        concern_form(almaly, narrative="", categories=None, child_name="Тимур Введённый"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert REQUIRED_RU in page
    assert "Выберите хотя бы одну проблему." in page
    assert "Исправьте ошибки ниже. Ничего не сохранено." in page
    assert 'value="Тимур Введённый"' in page
    form = response.context["form"]
    assert form.errors["narrative"] == [REQUIRED_RU]
    assert "categories" in form.errors
    assert not Referral.objects.exists()


def test_a_police_notice_logged_by_guardianship_is_due_at_the_close_of_the_next_working_day(
    alice, police, almaly, client_for
):
    client = client_for(alice)
    response = client.post(
        reverse("referral_create"),
        {
            "kind": ReferralKind.POLICE_NOTICE,
            "district": almaly.pk,
            "channel": "phone",
            "source_organisation": police.pk,
            "family_name": "Семья Тестовых",
            "narrative": "Поставлены на профилактический учёт.",
            "registered_at": "20.03.2026 10:00",
            "police_unit": "ОП Алмалинского района",
            "registration_number": "ПУ-17",
        },
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response.url == detail_url(referral)
    assert referral.status == Status.REGISTERED
    assert referral.source_organisation == police
    assert referral.channel == "phone"
    assert referral.registered_at == almaty(2026, 3, 20, 10, 0)
    # Friday; 21-25 March are the Nauryz days off, so Thursday 26 March closes it.
    assert referral.transfer_due_at == almaty(2026, 3, 26, 18, 30)
    page = client.get(detail_url(referral)).content.decode()
    assert "26.03.2026 18:30" in page
    assert "20.03.2026 10:00" in page


def test_a_police_notice_needs_the_registration_time_and_unit(alice, police, almaly, client_for):
    response = client_for(alice).post(
        reverse("referral_create"),
        {
            "kind": ReferralKind.POLICE_NOTICE,
            "district": almaly.pk,
            "channel": "web",
            "family_name": "Семья Тестовых",
            "narrative": "Поставлены на учёт.",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert {"registered_at", "police_unit"} <= set(form.errors)
    assert not Referral.objects.exists()


def test_a_police_referrer_files_a_notice_through_the_form(
    pavel, police, almaly, guardianship, client_for
):
    response = client_for(pavel).post(
        reverse("referral_create"),
        {
            "kind": ReferralKind.POLICE_NOTICE,
            "district": almaly.pk,
            "family_name": "Семья Тестовых",
            "narrative": "Поставлены на учёт.",
            "registered_at": "20.03.2026 10:00",
            "police_unit": "ОП Алмалинского района",
        },
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert (referral.kind, referral.status) == (ReferralKind.POLICE_NOTICE, Status.REGISTERED)
    assert (referral.source_organisation, referral.created_by) == (police, pavel)
    assert referral.transfer_due_at == almaty(2026, 3, 26, 18, 30)


def test_a_school_cannot_send_a_police_notice_by_editing_the_form(
    rita, almaly, guardianship, client_for
):
    response = client_for(rita).post(
        reverse("referral_create"),
        concern_form(
            almaly,
            kind=ReferralKind.POLICE_NOTICE,
            registered_at="20.03.2026 10:00",
            police_unit="ОП",
        ),
    )
    assert response.status_code == 200
    assert "kind" in response.context["form"].errors
    assert not Referral.objects.exists()


def test_guardianship_cannot_file_for_another_district_or_its_organisations(
    alice, almaly, bostandyk, guardianship, other_guardianship, other_school, client_for
):
    client = client_for(alice)
    response = client.post(reverse("referral_create"), concern_form(bostandyk, channel="web"))
    assert response.status_code == 200
    assert "district" in response.context["form"].errors
    response = client.post(
        reverse("referral_create"),
        concern_form(almaly, channel="web", source_organisation=other_school.pk),
    )
    assert response.status_code == 200
    assert "source_organisation" in response.context["form"].errors
    assert not Referral.objects.exists()


def test_a_registration_time_in_the_future_is_refused(alice, police, almaly, client_for):
    tomorrow = timezone.localtime() + timedelta(days=1)
    response = client_for(alice).post(
        reverse("referral_create"),
        {
            "kind": ReferralKind.POLICE_NOTICE,
            "district": almaly.pk,
            "channel": "web",
            "family_name": "Семья Тестовых",
            "narrative": "Поставлены на учёт.",
            "registered_at": tomorrow.strftime("%d.%m.%Y %H:%M"),
            "police_unit": "ОП",
        },
    )
    assert response.status_code == 200
    assert "registered_at" in response.context["form"].errors
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("registered_at", "refused"),
    [
        # The form's own bound on dates (1900-2100) comes first...
        ("01.01.0001 00:00", "Убедитесь, что это значение больше либо равно 01.01.1900 00:00."),
        # ...then the service's: the calendar of deadlines starts in 2000.
        ("31.12.1999 23:59", "The registration time is before 2000."),
    ],
)
def test_a_registration_time_before_2000_is_refused(
    alice, police, almaly, client_for, registered_at, refused
):
    response = client_for(alice).post(
        reverse("referral_create"),
        {
            "kind": ReferralKind.POLICE_NOTICE,
            "district": almaly.pk,
            "channel": "web",
            "family_name": "Семья Тестовых",
            "narrative": "Поставлены на учёт.",
            "registered_at": registered_at,
            "police_unit": "ОП",
        },
    )
    assert response.status_code == 200
    with translation.override("ru"):
        expected = translation.gettext(refused)
    assert response.context["form"].errors["registered_at"] == [expected]
    assert registered_at in response.content.decode()
    assert not Referral.objects.exists()


# --- attachments -------------------------------------------------------------------------


def test_a_pdf_sent_with_the_form_is_stored(guardianship, rita, almaly, media_root, client_for):
    upload = SimpleUploadedFile("справка.pdf", PDF, content_type="application/octet-stream")
    response = client_for(rita).post(
        reverse("referral_create"), {**concern_form(almaly), "attachments": upload}
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.referral == referral
    assert attachment.content_type == "application/pdf"  # by content, not by the browser
    assert attachment.original_name == "справка.pdf"
    assert attachment.size == len(PDF)
    assert attachment.uploaded_by == rita
    assert "справка" not in attachment.file.name  # stored under a random name
    assert (media_root / attachment.file.name).read_bytes() == PDF
    assert referral.events.filter(kind=EventKind.ATTACHMENT_ADDED, note="справка.pdf").exists()


def test_an_executable_named_pdf_is_refused_and_nothing_is_registered(
    guardianship, rita, almaly, media_root, client_for
):
    upload = SimpleUploadedFile("x.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64)
    response = client_for(rita).post(
        reverse("referral_create"), {**concern_form(almaly), "attachments": upload}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert BAD_TYPE_RU in page
    assert BAD_TYPE_RU in response.context["form"].non_field_errors()
    assert CHOOSE_AGAIN_RU in messages_of(response)
    assert 'value="Айдана Тестовая"' in page
    assert not Referral.objects.exists()
    assert not Attachment.objects.exists()
    assert not ReferralEvent.objects.exists()
    assert not [path for path in media_root.rglob("*") if path.is_file()]


def test_several_files_sent_with_the_form_are_all_stored(rita, almaly, guardianship, client_for):
    uploads = [
        SimpleUploadedFile("one.pdf", PDF),
        SimpleUploadedFile("two.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 32),
    ]
    response = client_for(rita).post(
        reverse("referral_create"), {**concern_form(almaly), "attachments": uploads}
    )
    assert response.status_code == 302
    stored = {a.original_name: a.content_type for a in Referral.objects.get().attachments.all()}
    assert stored == {"one.pdf": "application/pdf", "two.jpg": "image/jpeg"}


def test_a_refused_submission_leaves_no_file_on_disk(
    rita, almaly, guardianship, media_root, client_for
):
    """A good PDF followed by a bad file: the whole submission is refused, so the PDF
    (personal data) must not stay in MEDIA_ROOT with no row pointing at it."""
    uploads = [
        SimpleUploadedFile("ok.pdf", PDF),
        SimpleUploadedFile("x.pdf", b"MZ\x90\x00" + b"\x00" * 32),
    ]
    response = client_for(rita).post(
        reverse("referral_create"), {**concern_form(almaly), "attachments": uploads}
    )
    assert response.status_code == 200
    assert BAD_TYPE_RU in response.content.decode()
    assert not Referral.objects.exists()
    assert not Attachment.objects.exists()
    assert not [path for path in media_root.rglob("*") if path.is_file()]


def test_an_upload_over_10_mb_is_refused(guardianship, rita, almaly, client_for):
    size = 10 * 1024 * 1024 + 1
    upload = SimpleUploadedFile("big.pdf", PDF + b"\x00" * (size - len(PDF)))
    assert upload.size == size
    response = client_for(rita).post(
        reverse("referral_create"), {**concern_form(almaly), "attachments": upload}
    )
    assert response.status_code == 200
    assert "Файл «big.pdf» больше 10 МБ." in response.context["form"].errors["attachments"]
    assert "Файл «big.pdf» больше 10 МБ." in response.content.decode()
    assert not Referral.objects.exists()
    assert not Attachment.objects.exists()


def test_an_upload_of_exactly_10_mb_is_accepted(guardianship, rita, almaly, client_for):
    size = 10 * 1024 * 1024
    upload = SimpleUploadedFile("edge.pdf", PDF + b"\x00" * (size - len(PDF)))
    response = client_for(rita).post(
        reverse("referral_create"), {**concern_form(almaly), "attachments": upload}
    )
    assert response.status_code == 302
    assert Attachment.objects.get().size == size


@pytest.fixture
def with_attachment(make_concern, rita):
    referral = make_concern()
    services.referral_attachment_add(
        referral=referral,
        by=rita,
        upload=SimpleUploadedFile("акт обследования.pdf", PDF),
    )
    return referral


def test_downloading_an_attachment_is_audited_as_an_export(with_attachment, alice, client_for):
    attachment = with_attachment.attachments.get()
    url = reverse("referral_attachment", args=[with_attachment.pk, attachment.pk])
    response = client_for(alice).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    row = AuditRead.objects.get()
    assert (row.user, row.action, row.object_id) == (alice, "export", str(with_attachment.pk))
    assert row.path == url


def test_another_districts_user_cannot_download_an_attachment(with_attachment, oscar, client_for):
    attachment = with_attachment.attachments.get()
    url = reverse("referral_attachment", args=[with_attachment.pk, attachment.pk])
    response = client_for(oscar).get(url)
    assert response.status_code == 404
    assert PDF not in response.content
    assert not AuditRead.objects.exists()


def test_an_attachment_is_reachable_only_through_its_own_referral(
    with_attachment, make_concern, alice, client_for
):
    other = make_concern(child_name="Другой Ребёнок")
    attachment = with_attachment.attachments.get()
    url = reverse("referral_attachment", args=[other.pk, attachment.pk])
    assert client_for(alice).get(url).status_code == 404
    assert not AuditRead.objects.exists()


def test_a_file_is_attached_from_the_detail_page(make_concern, alice, client_for):
    referral = make_concern()
    response = client_for(alice).post(
        reverse("referral_attach", args=[referral.pk]),
        {"attachments": SimpleUploadedFile("фото.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)},
    )
    assert response.status_code == 302
    assert response.url == detail_url(referral)
    assert referral.attachments.get().content_type == "image/png"


def test_a_bad_file_attached_from_the_detail_page_is_refused_with_a_message(
    make_concern, alice, client_for
):
    referral = make_concern()
    response = client_for(alice).post(
        reverse("referral_attach", args=[referral.pk]),
        {"attachments": SimpleUploadedFile("x.pdf", b"MZ\x90\x00" + b"\x00" * 32)},
        follow=True,
    )
    assert response.status_code == 200
    assert BAD_TYPE_RU in messages_of(response)
    assert not referral.attachments.exists()


# --- detail page -------------------------------------------------------------------------


def test_the_detail_page_is_audited_and_shows_the_timeline(
    make_concern, alice, fsc, rita, client_for
):
    referral = make_concern()
    services.referral_transfer(referral=referral, by=alice)
    response = client_for(alice).get(detail_url(referral), REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 200
    row = AuditRead.objects.get()
    assert (row.user, row.action, row.object_id, row.ip) == (
        alice,
        "view",
        str(referral.pk),
        "10.9.8.7",
    )
    assert row.path == detail_url(referral)
    timeline = response.context["referral"].timeline
    assert [event.kind for event in timeline] == [EventKind.CREATED, EventKind.TRANSFERRED]
    page = response.content.decode()
    assert referral.narrative in page
    assert referral.child_name in page
    timeline_html = page[page.index('class="timeline"') :]
    assert in_russian(EventKind.CREATED.label) in timeline_html
    assert in_russian(EventKind.TRANSFERRED.label) in timeline_html
    assert rita.full_name in timeline_html
    assert alice.full_name in timeline_html
    created_at = timezone.localtime(timeline[0].at).strftime("%d.%m.%Y %H:%M")
    assert f"<time>{created_at}</time>" in timeline_html


def test_the_detail_page_escapes_what_the_sender_wrote(make_concern, alice, client_for):
    referral = make_concern(
        child_name="<b>Имя</b>", narrative='<script>alert("x")</script>\nвторая строка'
    )
    page = client_for(alice).get(detail_url(referral)).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>вторая строка" in page
    assert "<b>Имя</b>" not in page


def test_each_view_of_the_detail_page_is_a_new_audit_row(make_concern, alice, bob, client_for):
    referral = make_concern()
    client_for(alice).get(detail_url(referral))
    client_for(bob).get(detail_url(referral))
    client_for(alice).get(detail_url(referral))
    assert AuditRead.objects.filter(action="view", object_id=str(referral.pk)).count() == 3
    assert AuditRead.objects.filter(user=bob).count() == 1


# --- list and filters --------------------------------------------------------------------


def listed(client, **params) -> list[int]:
    response = client.get(reverse("referral_list"), params)
    assert response.status_code == 200
    return [referral.pk for referral in response.context["page"]]


@pytest.fixture
def mixed(make_concern, make_notice, alice, fsc, now):
    """Almaly referrals of different kinds, statuses, urgency and deadlines."""
    plain = make_concern(child_name="Алия Обычная")
    urgent = make_concern(child_name="Берик Срочный", threat_to_life=True)
    transferred = make_concern(child_name="Ержан Переданный")
    services.referral_transfer(referral=transferred, by=alice)
    overdue = make_notice(registered_at=almaty(2026, 3, 2, 10, 0), family_name="Давние")
    late_but_sent = make_notice(registered_at=almaty(2026, 3, 2, 11, 0), family_name="Отправленные")
    services.referral_transfer(referral=late_but_sent, by=alice)
    fresh = make_notice(registered_at=now, family_name="Свежие", registration_number="КУСП-ЯЯ")
    return {
        "plain": plain,
        "urgent": urgent,
        "transferred": transferred,
        "overdue": overdue,
        "late_but_sent": late_but_sent,
        "fresh": fresh,
    }


def pks(mixed, *names) -> set[int]:
    return {mixed[name].pk for name in names}


def test_the_list_filters_by_status(mixed, alice, client_for):
    client = client_for(alice)
    assert set(listed(client, status="transferred")) == pks(mixed, "transferred", "late_but_sent")
    assert set(listed(client, status="registered")) == pks(mixed, "overdue", "fresh")
    assert set(listed(client, status="received")) == pks(mixed, "plain", "urgent")


def test_the_list_filters_by_kind(mixed, alice, client_for):
    client = client_for(alice)
    assert set(listed(client, kind="police_notice")) == pks(
        mixed, "overdue", "late_but_sent", "fresh"
    )
    assert set(listed(client, kind="concern")) == pks(mixed, "plain", "urgent", "transferred")


def test_the_list_filters_urgent_referrals(mixed, alice, client_for):
    client = client_for(alice)
    assert listed(client, urgent="yes") == [mixed["urgent"].pk]
    assert {mixed["urgent"].pk, mixed["plain"].pk} <= set(listed(client))


def test_the_list_filters_by_source_organisation(mixed, alice, client_for, school, police):
    client = client_for(alice)
    from referrals.models import Referral

    by_school = set(listed(client, source=school.pk))
    assert by_school and by_school == set(
        Referral.objects.filter(source_organisation=school, district=school.district).values_list(
            "pk", flat=True
        )
    )
    response = client.get("/referrals/")
    offered = {org.pk for org in response.context["filters"].form.fields["source"].queryset}
    assert {school.pk, police.pk} <= offered


def test_the_source_filter_offers_the_districts_referrers_and_a_referrers_own(
    alice, rita, client_for, school, police, other_school, oscar
):
    def offered(user):
        response = client_for(user).get("/referrals/")
        return {org.pk for org in response.context["filters"].form.fields["source"].queryset}

    assert other_school.pk not in offered(alice)
    assert school.pk not in offered(oscar)
    assert offered(rita) == {school.pk}


def test_the_list_filters_overdue_notices_still_awaiting_transfer(mixed, alice, client_for):
    assert listed(client_for(alice), due="overdue") == [mixed["overdue"].pk]


def test_the_list_combines_filters(mixed, alice, client_for):
    client = client_for(alice)
    assert listed(client, kind="police_notice", status="transferred") == [mixed["late_but_sent"].pk]
    assert listed(client, kind="concern", urgent="yes", status="transferred") == []


def test_the_list_searches_by_child_name_and_by_number(mixed, alice, client_for):
    client = client_for(alice)
    assert listed(client, q="Берик") == [mixed["urgent"].pk]
    assert listed(client, q="срочный берик") == [mixed["urgent"].pk]
    assert listed(client, q=mixed["plain"].number) == [mixed["plain"].pk]
    assert listed(client, q=str(mixed["transferred"].pk)) == [mixed["transferred"].pk]
    assert listed(client, q="кусп-яя") == [mixed["fresh"].pk]
    assert listed(client, q="Никого-Такого") == []


def test_the_list_search_stays_within_what_the_user_may_see(mixed, oscar, client_for):
    assert listed(client_for(oscar), q=mixed["plain"].number) == []


@pytest.mark.parametrize("q", ["²", "٣", "1" * 40, "№ 12", "%", "'"])
def test_any_search_text_is_answered_not_a_500(q, mixed, alice, client_for):
    client = client_for(alice)
    client.raise_request_exception = False
    response = client.get(reverse("referral_list"), {"q": q})
    assert response.status_code == 200


def test_an_unknown_filter_value_is_reported_not_a_500(mixed, alice, client_for):
    response = client_for(alice).get(reverse("referral_list"), {"status": "bogus"})
    assert response.status_code == 200
    assert response.context["filters"].errors


def test_overdue_notices_are_marked_on_the_list(mixed, alice, client_for):
    page = client_for(alice).get(reverse("referral_list")).content.decode()
    assert page.count("ПРОСРОЧЕНО на ") == 1
    assert "OVERDUE" not in page
    row_start = page.index(f'href="{detail_url(mixed["overdue"])}"')
    row = page[row_start : page.index("</tr>", row_start)]
    assert 'class="badge overdue"' in row
    assert "ПРОСРОЧЕНО на " in row
    fresh_start = page.index(f'href="{detail_url(mixed["fresh"])}"')
    fresh_row = page[fresh_start : page.index("</tr>", fresh_start)]
    assert "ПРОСРОЧЕНО" not in fresh_row
    assert 'class="badge' in fresh_row  # time left, not overdue


def test_the_detail_page_of_an_overdue_notice_says_so(mixed, alice, client_for):
    response = client_for(alice).get(detail_url(mixed["overdue"]))
    assert response.context["time_left"]["overdue"] is True
    assert "ПРОСРОЧЕНО на " in response.content.decode()
    assert "03.03.2026 18:30" in response.content.decode()


def _next_working_noon() -> datetime:
    today = timezone.localdate()
    day = next_working_day(today, calendar_around(today))
    return datetime.combine(day, time(12, 0), tzinfo=ALMATY)


def test_the_list_filters_notices_due_today(make_notice, alice, fsc, client_for):
    noon = _next_working_noon()
    with time_machine.travel(noon, tick=False):
        due_today = make_notice(registered_at=noon - timedelta(days=1), family_name="Сегодня")
        due_later = make_notice(registered_at=noon, family_name="Завтра")
        overdue = make_notice(registered_at=almaty(2026, 3, 2, 10, 0), family_name="Давние")
        sent_today = make_notice(registered_at=noon - timedelta(days=1), family_name="Ушли")
        services.referral_transfer(referral=sent_today, by=alice)
        assert timezone.localtime(due_today.transfer_due_at) == noon.replace(hour=18, minute=30)
        assert due_later.transfer_due_at > noon.replace(hour=23, minute=59)
        client = client_for(alice)
        assert listed(client, due="today") == [due_today.pk]
        assert listed(client, due="overdue") == [overdue.pk]
        page = client.get(reverse("referral_list")).content.decode()
        assert 'class="badge today"' in page


def test_the_list_pages_by_25_and_keeps_filters_in_the_page_links(
    make_concern, make_notice, alice, now, client_for
):
    for number in range(26):
        make_concern(child_name=f"Ребёнок {number:02d}")
    make_notice(registered_at=now)
    client = client_for(alice)
    first = client.get(reverse("referral_list"), {"kind": "concern", "status": "received"})
    assert len(first.context["page"]) == 25
    assert first.context["page"].paginator.count == 26
    page = first.content.decode()
    assert "26 направлений" in page
    assert 'href="?kind=concern&amp;status=received&amp;page=2"' in page
    second = client.get(
        reverse("referral_list"), {"kind": "concern", "status": "received", "page": 2}
    )
    assert len(second.context["page"]) == 1
    assert 'href="?kind=concern&amp;status=received&amp;page=1"' in second.content.decode()
    # Newest first: the first concern registered is alone on the last page.
    assert second.context["page"][0].child_name == "Ребёнок 00"


def test_the_list_pagination_escapes_search_text_in_links(make_concern, alice, client_for):
    for number in range(26):
        make_concern(child_name=f"Ребёнок {number:02d} & Ко")
    response = client_for(alice).get(reverse("referral_list"), {"q": "Ребёнок &"})
    page = response.content.decode()
    assert len(response.context["page"]) == 25
    assert "page=2" in page
    assert "q=%D0%A0%D0%B5%D0%B1%D1%91%D0%BD%D0%BE%D0%BA+%26&amp;page=2" in page


# --- FSC inbox ---------------------------------------------------------------------------


@pytest.fixture
def inbox(make_concern, alice, fsc):
    """Three referrals transferred one hour apart; the last one is life-threatening."""
    start = timezone.now() - timedelta(hours=5)
    first = make_concern(child_name="Первый")
    second = make_concern(child_name="Второй")
    urgent = make_concern(child_name="Срочный", threat_to_life=True)
    for offset, referral in enumerate([second, first, urgent]):
        services.referral_transfer(referral=referral, by=alice, now=start + timedelta(hours=offset))
    untransferred = make_concern(child_name="Непереданный")
    return {"first": first, "second": second, "urgent": urgent, "untransferred": untransferred}


def test_the_inbox_puts_threats_to_life_first_then_the_longest_waiting(inbox, fatima, client_for):
    response = client_for(fatima).get(reverse("fsc_inbox"))
    assert response.status_code == 200
    assert [r.pk for r in response.context["page"]] == [
        inbox["urgent"].pk,
        inbox["second"].pk,
        inbox["first"].pk,
    ]
    page = response.content.decode()
    assert page.index("Срочный") < page.index("Второй") < page.index("Первый")
    assert "Непереданный" not in page


def test_picking_up_from_the_inbox_assigns_the_specialist(inbox, fatima, client_for):
    referral = inbox["first"]
    response = client_for(fatima).post(act_url(referral, "pick_up"), {"from": "inbox"})
    assert response.status_code == 302
    assert response.url == reverse("fsc_inbox")
    referral.refresh_from_db()
    assert referral.status == Status.PICKED_UP
    assert referral.assigned_to == fatima
    assert referral.picked_up_at is not None
    inbox_now = client_for(fatima).get(reverse("fsc_inbox")).context["page"]
    assert referral.pk not in [r.pk for r in inbox_now]


def test_a_second_pick_up_is_told_who_has_it(inbox, fatima, farida, client_for):
    referral = inbox["first"]
    client_for(fatima).post(act_url(referral, "pick_up"), {"from": "inbox"})
    response = client_for(farida).post(act_url(referral, "pick_up"), {"from": "inbox"}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(reverse("fsc_inbox"), 302)]
    errors = [m for m in response.context["messages"] if m.level_tag == "error"]
    assert len(errors) == 1
    referral.refresh_from_db()
    picked_at = timezone.localtime(referral.picked_up_at).strftime("%d.%m.%Y %H:%M")
    assert str(errors[0]) == (
        f"{fatima.full_name} уже принял(а) это направление в работу в {picked_at}."
    )
    assert fatima.full_name in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.PICKED_UP
    assert referral.assigned_to == fatima
    assert referral.events.filter(kind=EventKind.PICKED_UP).count() == 1


def test_picking_up_from_the_detail_page_returns_there(inbox, fatima, client_for):
    referral = inbox["urgent"]
    response = client_for(fatima).post(act_url(referral, "pick_up"))
    assert response.status_code == 302
    assert response.url == detail_url(referral)


# --- triage ------------------------------------------------------------------------------


def test_no_action_without_a_reason_is_refused(make_concern, alice, client_for):
    referral = make_concern()
    response = client_for(alice).post(
        act_url(referral, "triage"), {"decision": "no_action", "reason": "  "}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain == [(detail_url(referral), 302)]
    errors = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
    assert errors == ["Укажите, почему меры не требуются."]
    referral.refresh_from_db()
    assert referral.status == Status.RECEIVED
    assert not referral.events.filter(kind=EventKind.TRIAGED).exists()


def test_no_action_with_a_reason_is_recorded_on_the_timeline(make_concern, alice, client_for):
    referral = make_concern()
    response = client_for(alice).post(
        act_url(referral, "triage"),
        {"decision": "no_action", "reason": "Ребёнок болел, есть справка."},
        follow=True,
    )
    assert response.status_code == 200
    referral.refresh_from_db()
    assert referral.status == Status.NO_ACTION
    event = referral.events.get(kind=EventKind.TRIAGED)
    assert (event.actor, event.from_status, event.to_status, event.note) == (
        alice,
        Status.RECEIVED,
        Status.NO_ACTION,
        "Ребёнок болел, есть справка.",
    )
    assert "Ребёнок болел, есть справка." in response.content.decode()


def test_an_unknown_triage_decision_is_refused(make_concern, alice, client_for):
    referral = make_concern()
    response = client_for(alice).post(
        act_url(referral, "triage"), {"decision": "closed", "reason": "x"}, follow=True
    )
    assert [m for m in response.context["messages"] if m.level_tag == "error"]
    referral.refresh_from_db()
    assert referral.status == Status.RECEIVED


def test_casework_needs_no_reason(make_concern, alice, client_for):
    referral = make_concern()
    client_for(alice).post(act_url(referral, "triage"), {"decision": "casework"})
    referral.refresh_from_db()
    assert referral.status == Status.CASEWORK


# --- notifications -----------------------------------------------------------------------


def test_a_transfer_rings_the_fsc_bell_until_read(
    make_concern, alice, fatima, farida, gulnara, client_for
):
    referral = make_concern()
    alice_client = client_for(alice)
    alice_client.post(act_url(referral, "transfer"))
    referral.refresh_from_db()
    assert referral.status == Status.TRANSFERRED

    for user in (fatima, farida, gulnara):
        notification = Notification.objects.get(recipient=user)
        assert referral.number in notification.subject
        assert notification.read_at is None
    assert not Notification.objects.filter(recipient=alice).exists()

    client = client_for(fatima)
    page = client.get(reverse("home")).content.decode()
    assert 'class="bell unread"' in page
    assert '<span class="count">1</span>' in page

    response = client.post(reverse("notifications_mark_read"))
    assert response.status_code == 302
    assert response.url == reverse("notification_list")
    assert Notification.objects.get(recipient=fatima).read_at is not None
    assert Notification.objects.get(recipient=gulnara).read_at is None  # only one's own

    page = client.get(reverse("home")).content.decode()
    assert 'class="bell unread"' not in page
    assert '<span class="count">' not in page


def test_the_bell_counts_only_unread_notifications(make_concern, alice, fatima, fsc, client_for):
    for _number in range(3):
        services.referral_transfer(referral=make_concern(), by=alice)
    client = client_for(fatima)
    assert '<span class="count">3</span>' in client.get(reverse("fsc_inbox")).content.decode()
    client.post(reverse("notifications_mark_read"))
    services.referral_transfer(referral=make_concern(), by=alice)
    assert '<span class="count">1</span>' in client.get(reverse("fsc_inbox")).content.decode()


def test_marking_notifications_read_needs_post(alice, client_for):
    assert client_for(alice).get(reverse("notifications_mark_read")).status_code == 405
