"""Archive, never delete: a child's file, a carer or a document registered by mistake is
archived with a reason by the district's guardianship staff, kept read-only, out of the
lists, searches and figures, and restored only by the district's head."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from casework.models import ArchiveAction, ArchiveEvent, Timer, TimerKind, TimerStatus
from children.models import CarerKind, ChildShare, Document, PlacementForm, StatusCategory
from children.selectors import child_list, duplicate_candidates
from children.services import archive, files, placements
from children.services.files import end_of_day
from children.statistics import statistics_table
from tests.children.conftest import almaty, iin_for

PDF = b"%PDF-1.4\n%synthetic\n"
REASON = "Повторная регистрация: ребёнок уже есть в реестре, файл № 1"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def duplicate(make_child):
    return make_child(last_name="Дубликатов", first_name="Арман", iin=iin_for(seed=7))


def _english(user):
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    return user


def _events(obj, action=None):
    events = ArchiveEvent.objects.filter(object_id=obj.pk, content_type__model=obj._meta.model_name)
    return events.filter(action=action) if action else events


# --- archiving and restoring the child's file ---------------------------------------------


def test_a_specialist_archives_a_duplicate_file_with_a_reason(duplicate, alice, client_for):
    response = client_for(alice).post(
        f"/registry/children/{duplicate.pk}/archive/", {"reason": f"  {REASON}  "}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/registry/children/{duplicate.pk}/"
    duplicate.refresh_from_db()
    assert (duplicate.archived_by, duplicate.archive_reason) == (alice, REASON)
    assert duplicate.archived_at is not None
    [event] = _events(duplicate)
    assert (event.action, event.actor, event.reason) == (ArchiveAction.ARCHIVED, alice, REASON)
    # The change history of the file records it too (pghistory).
    assert duplicate.history.filter(archive_reason=REASON).exists()


def test_an_archive_without_a_reason_comes_back_with_the_error_and_changes_nothing(
    duplicate, alice, client_for
):
    response = client_for(_english(alice)).post(
        f"/registry/children/{duplicate.pk}/archive/", {"reason": "   "}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["Say why the record is archived."]
    duplicate.refresh_from_db()
    assert duplicate.archived_at is None
    assert not _events(duplicate).exists()


def test_the_service_refuses_an_empty_reason_too(duplicate, alice):
    with translation.override("en"), pytest.raises(ValidationError, match="Say why"):
        archive.child_archive(child=duplicate, by=alice, reason=" ")
    assert not _events(duplicate).exists()


def test_an_archived_file_leaves_the_list_and_the_search_but_its_page_stays(
    duplicate, make_child, alice, bob, client_for
):
    kept = make_child()
    archive.child_archive(child=duplicate, by=alice, reason=REASON)
    listed = client_for(bob).get("/registry/children/")
    assert [c.pk for c in listed.context["page"]] == [kept.pk]
    assert list(child_list(user=bob, query="Дубликатов")) == []
    assert list(child_list(user=bob, query=duplicate.person.iin)) == []
    assert client_for(bob).get(f"/registry/children/{duplicate.pk}/").status_code == 200


def test_the_archived_page_says_when_by_whom_and_why_and_only_the_head_may_restore(
    duplicate, alice, hanna, client_for
):
    archive.child_archive(child=duplicate, by=alice, reason=REASON, now=almaty(2026, 4, 6, 10, 0))
    restore = f'action="/registry/children/{duplicate.pk}/restore/"'
    page = client_for(_english(alice)).get(f"/registry/children/{duplicate.pk}/")
    text = page.content.decode()
    assert f"Archived on 06.04.2026 by {alice.full_name}: {REASON}" in text
    assert restore not in text
    assert client_for(hanna).post(f"/registry/children/{duplicate.pk}/restore/").status_code == 302
    head_page = client_for(hanna).get(f"/registry/children/{duplicate.pk}/").content.decode()
    assert restore not in head_page  # restored: no banner any more


def test_the_head_sees_the_restore_button_on_the_archived_page(duplicate, alice, hanna, client_for):
    archive.child_archive(child=duplicate, by=alice, reason=REASON)
    page = client_for(hanna).get(f"/registry/children/{duplicate.pk}/").content.decode()
    assert f'action="/registry/children/{duplicate.pk}/restore/"' in page


def test_a_specialist_may_not_restore(duplicate, alice, bob, client_for):
    archive.child_archive(child=duplicate, by=alice, reason=REASON)
    assert client_for(bob).post(f"/registry/children/{duplicate.pk}/restore/").status_code == 403
    duplicate.refresh_from_db()
    assert duplicate.archived_at is not None


def test_the_head_restores_the_file_and_it_is_back_in_the_list(duplicate, alice, hanna, client_for):
    archive.child_archive(child=duplicate, by=alice, reason=REASON)
    response = client_for(hanna).post(f"/registry/children/{duplicate.pk}/restore/")
    assert response["Location"] == f"/registry/children/{duplicate.pk}/"
    duplicate.refresh_from_db()
    assert (duplicate.archived_at, duplicate.archived_by, duplicate.archive_reason) == (
        None,
        None,
        "",
    )
    assert [e.action for e in _events(duplicate).order_by("at", "pk")] == [
        ArchiveAction.ARCHIVED,
        ArchiveAction.RESTORED,
    ]
    assert _events(duplicate, ArchiveAction.RESTORED).get().actor == hanna
    assert duplicate.pk in [c.pk for c in child_list(user=alice)]


def test_restoring_a_file_that_is_not_archived_is_refused(duplicate, hanna):
    with translation.override("en"), pytest.raises(ValidationError, match="not archived"):
        archive.child_restore(child=duplicate, by=hanna)
    assert not _events(duplicate).exists()


def test_archiving_twice_is_refused_and_leaves_one_event(duplicate, alice, bob):
    archive.child_archive(child=duplicate, by=alice, reason=REASON)
    with translation.override("en"), pytest.raises(ValidationError, match="already archived"):
        archive.child_archive(child=duplicate, by=bob, reason="Ещё раз")
    assert _events(duplicate).count() == 1


def test_an_outsider_gets_not_found(duplicate, alice, oscar, client_for):
    client = client_for(oscar)
    assert client.get(f"/registry/children/{duplicate.pk}/archive/").status_code == 404
    assert (
        client.post(f"/registry/children/{duplicate.pk}/archive/", {"reason": "x"}).status_code
        == 404
    )
    archive.child_archive(child=duplicate, by=alice, reason=REASON)
    assert client.get(f"/registry/children/{duplicate.pk}/").status_code == 404
    assert client.post(f"/registry/children/{duplicate.pk}/restore/").status_code == 404


def test_a_district_the_file_was_shared_with_reads_it_but_may_not_archive_it(
    duplicate, hanna, oscar, bostandyk, client_for
):
    ChildShare.objects.create(
        child=duplicate, district=bostandyk, granted_by=hanna, reason="Переезд"
    )
    client = client_for(oscar)
    assert client.get(f"/registry/children/{duplicate.pk}/").status_code == 200
    assert (
        client.post(f"/registry/children/{duplicate.pk}/archive/", {"reason": "x"}).status_code
        == 403
    )
    duplicate.refresh_from_db()
    assert duplicate.archived_at is None


# --- an archived file is read-only ------------------------------------------------------


def test_every_change_to_an_archived_file_is_refused_with_the_reason(
    duplicate, alice, institution, client_for
):
    archive.child_archive(child=duplicate, by=alice, reason=REASON, now=almaty(2026, 4, 6, 10))
    client = client_for(_english(alice))
    pk = duplicate.pk
    attempts = [
        client.get(f"/registry/children/{pk}/edit/"),
        client.post(f"/registry/children/{pk}/status/", {"category": "orphan", "started_on": "01.04.2026"}),
        client.post(
            f"/registry/children/{pk}/placement/",
            {"form": PlacementForm.ORGANISATION, "organisation": institution.pk, "started_on": "01.04.2026"},
        ),
        client.post(f"/registry/children/{pk}/view/", {"heard_on": "01.04.2026", "decision": "x", "words": "y"}),
        client.get(f"/registry/children/{pk}/merge/"),
        client.get(f"/registry/children/{pk}/archive/"),
        client.post(f"/kdn/submit/child/{pk}/", {"question": "?"}),
    ]  # fmt: skip
    assert [r.status_code for r in attempts] == [403] * len(attempts)
    assert all(
        "archived on 06.04.2026: it can be read but not changed" in r.content.decode()
        for r in attempts
    )
    assert not duplicate.statuses.exists() and not duplicate.placements.exists()


def test_the_archived_page_offers_no_changes(duplicate, alice, client_for):
    archive.child_archive(child=duplicate, by=alice, reason=REASON)
    page = client_for(alice).get(f"/registry/children/{duplicate.pk}/").content.decode()
    for url in (
        f"/registry/children/{duplicate.pk}/edit/",
        f"/registry/children/{duplicate.pk}/status/",
        f"/registry/children/{duplicate.pk}/archive/",
        f"/kdn/submit/child/{duplicate.pk}/",
    ):
        assert url not in page


def test_the_live_page_offers_the_archive_action(duplicate, alice, client_for):
    page = client_for(alice).get(f"/registry/children/{duplicate.pk}/").content.decode()
    assert f"/registry/children/{duplicate.pk}/archive/" in page


# --- nothing live vanishes with an archived file -----------------------------------------


def test_a_file_with_an_active_placement_is_not_archived(duplicate, alice, institution, client_for):
    placements.placement_start(
        child=duplicate, form=PlacementForm.ORGANISATION, organisation=institution,
        started_on=date(2026, 1, 10),
    )  # fmt: skip
    client = client_for(_english(alice))
    form_page = client.get(f"/registry/children/{duplicate.pk}/archive/")
    assert "The child has an active placement: end it first." in form_page.content.decode()
    response = client.post(f"/registry/children/{duplicate.pk}/archive/", {"reason": REASON})
    assert response.status_code == 200  # refused on the form, the reason kept
    assert response.context["form"]["reason"].value() == REASON
    assert "The child has an active placement: end it first." in response.content.decode()
    duplicate.refresh_from_db()
    assert duplicate.archived_at is None


def test_a_file_with_a_running_deadline_is_not_archived_and_the_timer_keeps_running(
    duplicate, alice
):
    files.child_identify_without_care(
        child=duplicate, identified_at=almaty(2026, 4, 6, 10), by=alice
    )
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="Deadlines are running on this file"),
    ):
        archive.child_archive(child=duplicate, by=alice, reason=REASON)
    timer = Timer.objects.get(kind=TimerKind.DATABANK_REGISTRATION, subject_id=duplicate.pk)
    assert timer.status == TimerStatus.OPEN
    assert not _events(duplicate).exists()


def test_once_the_deadline_is_met_the_file_can_be_archived(duplicate, alice):
    files.child_identify_without_care(
        child=duplicate, identified_at=almaty(2026, 4, 6, 10), by=alice
    )
    files.child_databank_register(child=duplicate, number="DB-1", registered_on=date(2026, 4, 6))
    archive.child_archive(child=duplicate, by=alice, reason=REASON)
    duplicate.refresh_from_db()
    assert duplicate.archived_at is not None


def test_no_placement_can_be_started_on_an_archived_file(duplicate, alice, institution):
    archive.child_archive(child=duplicate, by=alice, reason=REASON)
    with translation.override("en"), pytest.raises(ValidationError, match="archived"):
        placements.placement_start(
            child=duplicate, form=PlacementForm.ORGANISATION, organisation=institution,
            started_on=date(2026, 1, 10),
        )  # fmt: skip


# --- the figures and the duplicate check --------------------------------------------------


def test_an_archived_file_is_not_counted_in_the_official_statistics(
    make_child, alice, almaly, institution
):
    counted = make_child(last_name="Сапаров")
    duplicate = make_child(last_name="Сапаров", first_name="Дубль")
    for child in (counted, duplicate):
        files.child_status_add(
            child=child, category=StatusCategory.ORPHAN, started_on=date(2026, 1, 5)
        )
    day = date(2026, 4, 6)
    assert statistics_table(day=day, district_ids=[almaly.pk]).total.total == 2
    archive.child_archive(child=duplicate, by=alice, reason=REASON)
    assert statistics_table(day=day, district_ids=[almaly.pk]).total.total == 1


def test_the_duplicate_check_still_finds_a_person_whose_file_is_archived(
    duplicate, alice, client_for, almaly
):
    """The person is still one record: registering them again would make a second one.
    The form says the file is archived, so the user asks the head to restore it."""
    archive.child_archive(child=duplicate, by=alice, reason=REASON)
    found = duplicate_candidates(last_name="Дубликатов", first_name="Арман")
    assert [p.pk for p in found] == [duplicate.person_id]
    response = client_for(_english(alice)).post(
        "/registry/children/new/",
        {"last_name": "Дубликатов", "first_name": "Арман", "district": almaly.pk},
    )
    text = response.content.decode()
    assert f"/registry/children/{duplicate.pk}/" in text
    assert "archived: ask the head of guardianship to restore it" in text


# --- carers -------------------------------------------------------------------------------


def _carer_timers(carer, status=None):
    timers = Timer.objects.filter(
        subject_id=carer.pk, kind__in=[TimerKind.CARER_CHECK, TimerKind.CARER_INSPECTION]
    )
    return timers.filter(status=status) if status else timers


def test_archiving_a_carer_stops_their_checks_and_restoring_starts_them_again(
    make_carer, alice, hanna, client_for
):
    carer = make_carer(CarerKind.FOSTER)
    assert _carer_timers(carer, TimerStatus.OPEN).count() == 2
    response = client_for(alice).post(
        f"/registry/carers/{carer.pk}/archive/", {"reason": "Зарегистрирована по ошибке"}
    )
    assert response.status_code == 302
    assert _carer_timers(carer, TimerStatus.OPEN).count() == 0
    assert _carer_timers(carer, TimerStatus.CANCELLED).count() == 2
    worklist = client_for(hanna).get("/work/").content.decode()
    assert f"/registry/carers/{carer.pk}/" not in worklist
    assert carer.pk not in [
        c.pk for c in client_for(alice).get("/registry/carers/").context["page"]
    ]

    assert client_for(alice).post(f"/registry/carers/{carer.pk}/restore/").status_code == 403
    assert client_for(hanna).post(f"/registry/carers/{carer.pk}/restore/").status_code == 302
    carer.refresh_from_db()
    assert carer.archived_at is None
    running = _carer_timers(carer, TimerStatus.OPEN)
    assert sorted(running.values_list("kind", flat=True)) == [
        TimerKind.CARER_CHECK,
        TimerKind.CARER_INSPECTION,
    ]
    due = dict(running.values_list("kind", "due_at"))
    assert due[TimerKind.CARER_CHECK] == end_of_day(carer.check_due_on)
    assert due[TimerKind.CARER_INSPECTION] == end_of_day(carer.inspection_due_on)


def test_a_carer_with_a_child_placed_is_not_archived(make_carer, make_child, alice):
    carer = make_carer(CarerKind.FOSTER)
    placements.placement_start(
        child=make_child(),
        form=PlacementForm.FOSTER_FAMILY,
        carer=carer,
        started_on=date(2026, 2, 11),
    )
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="Children are placed with this carer"),
    ):
        archive.carer_archive(carer=carer, by=alice, reason="Ошибка")
    assert _carer_timers(carer, TimerStatus.OPEN).count() == 2


def test_no_child_is_placed_with_an_archived_carer(make_carer, make_child, alice, client_for):
    carer = make_carer(CarerKind.FOSTER)
    child = make_child()
    archive.carer_archive(carer=carer, by=alice, reason="Ошибка")
    form = client_for(alice).get(f"/registry/children/{child.pk}/placement/").context["form"]
    assert carer not in form.fields["carer"].queryset
    with translation.override("en"), pytest.raises(ValidationError, match="archived"):
        placements.placement_start(
            child=child, form=PlacementForm.FOSTER_FAMILY, carer=carer, started_on=date(2026, 2, 11)
        )


def test_an_archived_carer_is_read_only(make_carer, alice, client_for):
    carer = make_carer(CarerKind.FOSTER)
    archive.carer_archive(carer=carer, by=alice, reason="Ошибка")
    client = client_for(alice)
    page = client.get(f"/registry/carers/{carer.pk}/")
    assert page.status_code == 200
    assert f"/registry/carers/{carer.pk}/check/" not in page.content.decode()
    response = client.post(
        f"/registry/carers/{carer.pk}/inspection/",
        {"inspected_on": "01.04.2026", "conditions_ok": "on", "findings": "x"},
    )
    assert response.status_code == 403
    assert not carer.inspections.exists()


def test_an_outsider_may_not_archive_a_carer(make_carer, oscar, client_for):
    carer = make_carer(CarerKind.FOSTER)
    assert (
        client_for(oscar).post(f"/registry/carers/{carer.pk}/archive/", {"reason": "x"}).status_code
        == 404
    )


# --- documents ----------------------------------------------------------------------------


@pytest.fixture
def document(media, make_child, alice):
    return files.child_document_add(
        child=make_child(), by=alice, title="Чужой скан", upload=SimpleUploadedFile("s.pdf", PDF)
    )


def test_a_wrong_scan_is_archived_from_the_file_and_restored_by_the_head(
    document, alice, bob, hanna, client_for
):
    child_url = f"/registry/children/{document.child_id}/"
    url = f"{child_url}documents/{document.pk}/"
    assert f"{url}archive/" in client_for(bob).get(child_url).content.decode()
    assert client_for(bob).post(f"{url}archive/", {"reason": ""}).status_code == 200
    assert (
        client_for(bob).post(f"{url}archive/", {"reason": "Скан другого ребёнка"}).status_code
        == 302
    )
    document.refresh_from_db()
    assert (document.archived_by, document.archive_reason) == (bob, "Скан другого ребёнка")
    assert "Чужой скан" not in client_for(alice).get(child_url).content.decode()
    # Kept, and still reachable by its address for the district's staff.
    assert b"".join(client_for(alice).get(url).streaming_content) == PDF

    assert client_for(alice).post(f"{url}restore/").status_code == 403
    assert client_for(hanna).post(f"{url}restore/").status_code == 302
    document.refresh_from_db()
    assert document.archived_at is None
    assert "Чужой скан" in client_for(alice).get(child_url).content.decode()
    assert Document.objects.filter(pk=document.pk).exists()


def test_a_document_of_an_archived_file_is_restored_with_the_file_first(document, alice, hanna):
    archive.document_archive(document=document, by=alice, reason="Ошибка")
    archive.child_archive(child=document.child, by=alice, reason=REASON)
    with translation.override("en"), pytest.raises(ValidationError, match="restore the file first"):
        archive.document_restore(document=document, by=hanna)
    archive.child_restore(child=document.child, by=hanna)
    archive.document_restore(document=document, by=hanna)
    document.refresh_from_db()
    assert document.archived_at is None


def test_an_outsider_may_not_archive_a_document(document, oscar, client_for):
    url = f"/registry/children/{document.child_id}/documents/{document.pk}/archive/"
    assert client_for(oscar).post(url, {"reason": "x"}).status_code == 404


def test_an_archived_duplicate_is_still_merged_into_the_live_file_but_not_the_reverse(
    duplicate, make_child, alice, hanna
):
    from children.services.merge import person_merge

    live = make_child(last_name="Дубликатов", first_name="Арман")
    other = make_child(last_name="Дубликатов", first_name="Арман", patronymic="Ерланович")
    archive.child_archive(child=duplicate, by=alice, reason=REASON)
    with translation.override("en"), pytest.raises(ValidationError, match="restore it first"):
        person_merge(keep=duplicate.person, duplicate=other.person, by=hanna)
    person_merge(keep=live.person, duplicate=duplicate.person, by=hanna)
    duplicate.person.refresh_from_db()
    assert duplicate.person.merged_into == live.person
