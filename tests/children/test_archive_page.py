"""The heads' archive page (/registry/archive/): every archived record of the district,
with who, when and why, a Restore button, paginated, at a fixed number of queries."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.models import Role
from children.models import CarerKind
from children.services import archive, files
from families import services as family_services
from referrals import services as referral_services
from tests.children.conftest import almaty
from tests.factories import staff

PDF = b"%PDF-1.4\n%synthetic\n"
ARCHIVE = "/registry/archive/"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _archive_one_of_each(n, *, make_child, make_carer, make_concern, almaly, alice, rita):
    """n archived records of every kind, as the services archive them."""
    for k in range(n):
        at = almaty(2026, 4, 6, 9, k)
        child = make_child(last_name=f"Дубликатов{k}")
        document = files.child_document_add(
            child=make_child(last_name=f"Документов{k}"), by=alice, title=f"Скан {k}",
            upload=SimpleUploadedFile("s.pdf", PDF),
        )  # fmt: skip
        archive.document_archive(document=document, by=alice, reason=f"Чужой скан {k}", now=at)
        archive.child_archive(child=child, by=alice, reason=f"Дубликат {k}", now=at)
        archive.carer_archive(
            carer=make_carer(CarerKind.MENTOR, last_name=f"Наставникова{k}"), by=alice,
            reason=f"Ошибка {k}", now=at,
        )  # fmt: skip
        family = family_services.family_create(name=f"Дубликатовы {k}", district=almaly, by=alice)
        family_services.family_archive(family=family, by=alice, reason=f"Дубль {k}", now=at)
        concern = make_concern(child_name=f"Ребёнок {k}")
        attachment = referral_services.referral_attachment_add(
            referral=concern, by=rita, upload=SimpleUploadedFile("a.pdf", PDF)
        )
        referral_services.attachment_archive(
            attachment=attachment, by=alice, reason=f"Не тот файл {k}", now=at
        )
        referral_services.referral_archive(
            referral=make_concern(child_name=f"Дубль {k}"), by=alice, reason=f"Повтор {k}", now=at
        )


@pytest.fixture
def archived(media, make_child, make_carer, make_concern, almaly, alice, rita):
    def make(n):
        _archive_one_of_each(
            n, make_child=make_child, make_carer=make_carer, make_concern=make_concern,
            almaly=almaly, alice=alice, rita=rita,
        )  # fmt: skip

    return make


def test_the_head_sees_every_kind_of_archived_record_with_who_when_and_why(
    archived, hanna, alice, client_for
):
    archived(1)
    page = client_for(hanna).get(ARCHIVE)
    assert page.status_code == 200
    rows = page.context["rows"]
    assert sorted(row.kind for row in rows) == sorted(
        ["child", "family", "carer", "referral", "document", "attachment"]
    )
    assert {row.reason for row in rows} == {
        "Дубликат 0", "Дубль 0", "Ошибка 0", "Повтор 0", "Чужой скан 0", "Не тот файл 0",
    }  # fmt: skip
    assert {row.archived_by for row in rows} == {alice}
    text = page.content.decode()
    assert "06.04.2026 09:00" in text and alice.full_name in text
    for row in rows:
        assert f'action="{row.restore_url}"' in text
        assert f'href="{row.url}"' in text


def test_restoring_from_the_archive_page_comes_back_to_it(archived, hanna, client_for):
    archived(1)
    client = client_for(hanna)
    child_row = next(r for r in client.get(ARCHIVE).context["rows"] if r.kind == "child")
    response = client.post(child_row.restore_url, {"from": "archive"})
    assert response["Location"] == ARCHIVE
    child_row.record.refresh_from_db()
    assert child_row.record.archived_at is None
    assert "child" not in [r.kind for r in client.get(ARCHIVE).context["rows"]]


def test_the_kind_filter_shows_one_kind(archived, hanna, client_for):
    archived(1)
    rows = client_for(hanna).get(ARCHIVE, {"kind": "carer"}).context["rows"]
    assert [row.kind for row in rows] == ["carer"]


def test_specialists_and_other_districts_do_not_open_the_archive(
    archived, alice, oscar, other_guardianship, fatima, client_for
):
    archived(1)
    assert client_for(alice).get(ARCHIVE).status_code == 403
    assert client_for(oscar).get(ARCHIVE).status_code == 403
    assert client_for(fatima).get(ARCHIVE).status_code == 403
    other_head = staff(Role.GUARDIANSHIP_HEAD, other_guardianship, username="bahyt")
    page = client_for(other_head).get(ARCHIVE)
    assert page.status_code == 200
    assert page.context["rows"] == []


def test_the_archive_is_paginated(media, make_child, alice, hanna, client_for):
    for k in range(27):
        archive.child_archive(
            child=make_child(last_name=f"Дубликатов{k}"), by=alice, reason="Дубликат",
            now=almaty(2026, 4, 6, 9, k),
        )  # fmt: skip
    client = client_for(hanna)
    first = client.get(ARCHIVE)
    assert len(first.context["rows"]) == 25
    assert first.context["rows"][0].name.startswith("Дубликатов26")  # newest first
    second = client.get(ARCHIVE, {"page": 2})
    assert [row.name.split()[0] for row in second.context["rows"]] == ["Дубликатов1", "Дубликатов0"]


# session, the user (with their roles, authenticators and unread notifications), the
# count, the page's entries, and one query per kind of record on the page (6)
ARCHIVE_PAGE_QUERIES = 10


def test_the_archive_page_costs_the_same_for_few_and_many_records(archived, hanna, client_for):
    client = client_for(hanna)

    def measure() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(ARCHIVE).status_code == 200
        return len(queries)

    archived(1)
    few = measure()
    archived(3)
    many = measure()
    assert few == many == ARCHIVE_PAGE_QUERIES
