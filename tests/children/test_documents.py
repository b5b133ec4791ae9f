"""Documents in the child's file: checked by content, downloads audited, scoped."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.models import AuditRead
from children.models import Document

PDF = b"%PDF-1.4\n%synthetic\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_a_document_is_added_to_the_file_and_downloaded_with_an_audit_row(
    media, make_child, alice, client_for
):
    child = make_child()
    client = client_for(alice)
    response = client.post(
        f"/registry/children/{child.pk}/document/",
        {"title": "Решение суда", "upload": SimpleUploadedFile("court.pdf", PDF)},
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.title, document.content_type, document.child) == (
        "Решение суда",
        "application/pdf",
        child,
    )
    page = client.get(f"/registry/children/{child.pk}/").content.decode()
    assert "Решение суда" in page
    download = client.get(f"/registry/children/{child.pk}/documents/{document.pk}/")
    assert b"".join(download.streaming_content) == PDF
    assert AuditRead.objects.filter(action="export", object_id=str(child.pk)).count() == 1


def test_a_file_that_is_not_a_pdf_or_image_is_refused(media, make_child, alice, client_for):
    child = make_child()
    response = client_for(alice).post(
        f"/registry/children/{child.pk}/document/",
        {"title": "x", "upload": SimpleUploadedFile("x.pdf", b"MZ\x90\x00")},
    )
    assert response.status_code == 200
    assert "не является PDF, JPEG или PNG" in response.content.decode()
    assert not Document.objects.exists()
    assert not any(media.rglob("*"))


def test_another_district_cannot_download(media, make_child, alice, oscar, client_for):
    child = make_child()
    client_for(alice).post(
        f"/registry/children/{child.pk}/document/",
        {"title": "Акт", "upload": SimpleUploadedFile("a.pdf", PDF)},
    )
    document = Document.objects.get()
    assert (
        client_for(oscar).get(f"/registry/children/{child.pk}/documents/{document.pk}/").status_code
        == 404
    )
