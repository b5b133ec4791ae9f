"""Uploads are accepted by what they contain, not by what they are called."""

import secrets
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse
from django.utils.translation import gettext as _

from casework.models.uploads import StoredFile

MAX_BYTES = 10 * 1024 * 1024
SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
]


def attachment_content_type(upload: UploadedFile) -> str:
    """The real type of an upload (PDF, JPEG or PNG), or a translated ValidationError."""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is larger than 10 MB.") % {"name": upload.name}, code="too_large"
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": upload.name}, code="empty")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    raise ValidationError(
        _("“%(name)s” is not a PDF, JPEG or PNG file.") % {"name": upload.name},
        code="bad_type",
    )


def stored_file_fill(stored: StoredFile, upload: UploadedFile, *, by) -> StoredFile:
    """Check an upload by content and write it to storage under a random name.

    The caller saves the row; wrap both in `files_removed_on_failure` so a failed
    transaction leaves no file behind.
    """
    stored.content_type = attachment_content_type(upload)
    stored.token = secrets.token_hex(16)
    stored.original_name = upload.name[:255]
    stored.size = upload.size
    stored.uploaded_by = by
    stored.file.save(stored.token, upload, save=False)
    return stored


@contextmanager
def files_removed_on_failure():
    """Files are not transactional: delete what was written if the transaction fails,
    so no personal data stays on disk without a record."""
    written: list = []
    try:
        yield written
    except BaseException:
        for stored in written:
            stored.storage.delete(stored.name)
        raise


def stored_file_response(stored: StoredFile) -> FileResponse:
    return FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type,
    )
