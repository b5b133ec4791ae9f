"""Visits, contacts, services and notes in a case, with their attachments."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import (
    Case,
    CaseAttachment,
    CaseContact,
    CaseEventKind,
    CaseStatus,
    ContactKind,
    PlanMeasure,
    User,
)
from casework.services.cases import case_event
from casework.uploads import attachment_content_type, files_removed_on_failure, stored_file_fill


def contact_record(
    *,
    case: Case,
    by: User,
    kind: str,
    occurred_on: date,
    findings: str,
    participants: str = "",
    measure: PlanMeasure | None = None,
    attachments: list[UploadedFile] = (),
) -> CaseContact:
    if kind not in ContactKind.values:
        raise ValidationError({"kind": _("Choose what it was.")})
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("The date cannot be in the future.")})
    if not findings.strip():
        raise ValidationError({"findings": _("Write what was found or done.")})
    if measure is not None and measure.plan.case_id != case.pk:
        raise ValidationError({"measure": _("Choose a measure of this case's plan.")})
    for upload in attachments:
        attachment_content_type(upload)  # refuse a bad file before anything is written
    with transaction.atomic(), files_removed_on_failure() as written:
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.status == CaseStatus.CLOSED:
            raise ValidationError(_("The case is closed: reopen it first."))
        contact = CaseContact.objects.create(
            case=locked,
            kind=kind,
            occurred_on=occurred_on,
            participants=participants.strip(),
            findings=findings.strip(),
            measure=measure,
            recorded_by=by,
            recorded_at=timezone.now(),
        )
        for upload in attachments:
            stored = stored_file_fill(CaseAttachment(contact=contact), upload, by=by)
            stored.save()
            written.append(stored.file)
        case_event(
            locked,
            CaseEventKind.CONTACT,
            by=by,
            note=f"{contact.get_kind_display()} {occurred_on:%d.%m.%Y}",
        )
    return contact
