"""Writes of the import: the dry run stored as an import record, the move to the queue,
and the import itself (run by a Celery task), which goes through the registry's own
services so timers, history and checks behave as for manual entry."""

import hashlib
import logging
import secrets
import time
from datetime import datetime, timedelta
from io import BytesIO

import pghistory
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from casework.models import District, User
from casework.uploads import files_removed_on_failure

from ..models import (
    IMPORT_TRANSITIONS,
    Carer,
    Child,
    ImportStatus,
    Person,
    Placement,
    RegistryImport,
)
from ..services.carers import carer_register
from ..services.files import child_open_for, child_register, child_status_add
from ..services.people import PersonInput, person_create
from ..services.placements import placement_end, placement_start
from .checks import (
    ERROR,
    ERRORS,
    M_NO_CARER,
    M_NO_CHILD,
    NEW,
    PRESENT,
    CarerRow,
    ChildRow,
    PlacementRow,
    Plan,
    registry_import_check,
)
from .layout import CARERS, CHILDREN, PLACEMENTS
from .reading import workbook_read, xlsx_check

logger = logging.getLogger(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A running import reports progress at least this often; one silent for longer lost its
# worker and may be taken over (the writes are idempotent, so resuming is safe).
STALE_AFTER = timedelta(minutes=10)
PROGRESS_EVERY_ROWS = 10
PROGRESS_EVERY_SECONDS = 1.0
M_STOPPED = gettext_noop(
    "The import stopped because of an unexpected error. Rows already written stay; importing the same file again continues where it stopped."
)


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@transaction.atomic
def registry_import_create(
    *, district: District, by: User, upload: UploadedFile, language: str
) -> RegistryImport:
    """Check an uploaded workbook (the dry run) and keep it with its report.

    A file that is not a usable XLSX raises a translated ValidationError and leaves
    nothing behind; a readable one is stored as checked or rejected. The registry is
    only read.
    """
    name = upload.name or "registry.xlsx"
    xlsx_check(upload, name=name, size=upload.size)
    workbook = workbook_read(upload, name=name)
    plan = registry_import_check(district=district, workbook=workbook)
    record = RegistryImport(
        district=district,
        status=ImportStatus.REJECTED if plan.errors else ImportStatus.CHECKED,
        sha256=_sha256(upload),
        language=language,
        token=secrets.token_hex(16),
        original_name=name[:255],
        content_type=XLSX,
        size=upload.size,
        uploaded_by=by,
        rows_total=plan.rows,
        counts=plan.counts(),
        report=plan.report(),
    )
    with files_removed_on_failure() as written:
        record.file.save(record.token, upload, save=False)
        written.append(record.file)
        record.save()
    return record


def registry_import_done_before(*, registry_import: RegistryImport) -> RegistryImport | None:
    """An earlier, finished import of the very same file in the district."""
    return (
        RegistryImport.objects.filter(
            district_id=registry_import.district_id,
            sha256=registry_import.sha256,
            status=ImportStatus.DONE,
        )
        .exclude(pk=registry_import.pk)
        .order_by("-finished_at")
        .first()
    )


def _move(pk: int, *, source: str, target: str, **fields) -> bool:
    """Compare-and-set: the move happens once, whoever else tries at the same time."""
    if target not in IMPORT_TRANSITIONS[source]:
        raise ValueError(f"{source} -> {target} is not a move of an import")
    return RegistryImport.objects.filter(pk=pk, status=source).update(status=target, **fields) == 1


def _enqueue(import_id: int) -> None:
    from children.tasks import registry_import_run as task

    # A broker outage must not fail the request: the import stays queued and
    # pressing "Import" again sends it once more.
    try:
        task.delay(import_id)
    except Exception:
        logger.warning("broker unavailable; registry import %s stays queued", import_id)


@transaction.atomic
def registry_import_queue(
    *, registry_import: RegistryImport, by: User, enqueue: bool = True
) -> RegistryImport:
    """The user pressed "Import": queue the checked file for a worker.

    Pressing it again while the import waits sends it again (a lost message must not
    leave it waiting forever); the worker's compare-and-set runs it once.
    """
    pk = registry_import.pk
    moved = _move(
        pk,
        source=ImportStatus.CHECKED,
        target=ImportStatus.QUEUED,
        started_by=by,
        queued_at=timezone.now(),
    )
    current = RegistryImport.objects.get(pk=pk)
    if not moved and current.status != ImportStatus.QUEUED:
        if current.status == ImportStatus.REJECTED:
            raise ValidationError(_("Fix the problems in the file and upload it again."))
        raise ValidationError(_("This import has already been started."))
    if enqueue:
        transaction.on_commit(lambda: _enqueue(pk))
    return current


def registry_import_run(*, import_id: int, now: datetime | None = None) -> bool:
    """Import a queued file. Safe to run twice and in parallel: only the run that moves
    the record from queued to running (or takes over a stale one) writes anything."""
    now = now or timezone.now()
    claimed = (
        RegistryImport.objects.filter(pk=import_id)
        .filter(
            Q(status=ImportStatus.QUEUED)
            | Q(status=ImportStatus.RUNNING, progress_at__lt=now - STALE_AFTER)
        )
        .update(
            status=ImportStatus.RUNNING,
            started_at=Coalesce("started_at", now),
            progress_at=now,
        )
    )
    if not claimed:
        return False
    record = RegistryImport.objects.select_related("district", "started_by", "uploaded_by").get(
        pk=import_id
    )
    by = record.started_by or record.uploaded_by
    with (
        translation.override(record.language),
        pghistory.context(user=by.pk, url=f"/registry/imports/{record.pk}/"),
    ):
        try:
            _Importer(record, by).run()
        except Exception:
            _finish(
                record,
                ImportStatus.FAILED,
                report={"problems": [_whole_file(M_STOPPED)], "errors": 1, "warnings": 0},
            )
            raise
    return True


def _whole_file(message: str, text: str = "") -> dict:
    return {
        "sheet": "", "row": 0, "column": "", "letter": "", "message": message,
        "params": {}, "level": ERROR, "text": text,
    }  # fmt: skip


def _finish(record: RegistryImport, status: str, **fields) -> bool:
    return _move(
        record.pk,
        source=ImportStatus.RUNNING,
        target=status,
        finished_at=timezone.now(),
        progress_at=timezone.now(),
        **fields,
    )


class _Importer:
    def __init__(self, record: RegistryImport, by: User):
        self.record = record
        self.by = by
        self.district = record.district
        self.done = 0
        self.reported_at = time.monotonic()
        self.counts = {
            sheet.key: {NEW: 0, PRESENT: 0, ERRORS: 0} for sheet in (CHILDREN, CARERS, PLACEMENTS)
        }
        self.problems: list[dict] = []

    def run(self) -> None:
        with self.record.file.open("rb") as stored:
            content = BytesIO(stored.read())
        try:
            workbook = workbook_read(content, name=self.record.original_name)
        except ValidationError as refusal:
            _finish(
                self.record,
                ImportStatus.FAILED,
                report={
                    "problems": [_whole_file("", text) for text in refusal.messages],
                    "errors": len(refusal.messages),
                    "warnings": 0,
                },
            )
            return
        # The registry may have changed since the dry run: check again, write nothing
        # if the file no longer fits.
        plan = registry_import_check(district=self.district, workbook=workbook)
        if plan.errors:
            _finish(self.record, ImportStatus.FAILED, counts=plan.counts(), report=plan.report())
            return
        RegistryImport.objects.filter(pk=self.record.pk).update(
            rows_total=plan.rows, rows_done=0, progress_at=timezone.now()
        )
        self.write(plan)
        report = plan.report()
        report["problems"] = report["problems"] + self.problems
        report["errors"] = len(self.problems)
        _finish(self.record, ImportStatus.DONE, counts=self.counts, report=report)

    def write(self, plan: Plan) -> None:
        for sheet, rows, perform in (
            (CHILDREN, plan.children, self.child),
            (CARERS, plan.carers, self.carer),
            (PLACEMENTS, plan.placements, self.placement),
        ):
            for row in rows:
                try:
                    with transaction.atomic():
                        outcome = perform(row)
                except ValidationError as refusal:
                    outcome = ERRORS
                    self.problems.append(
                        {
                            **_whole_file("", " ".join(refusal.messages)),
                            "sheet": sheet.key,
                            "row": row.number,
                        }
                    )
                self.counts[sheet.key][outcome] += 1
                self.done += 1
                self.progress()
        self.progress(force=True)

    def progress(self, force: bool = False) -> None:
        due = time.monotonic() - self.reported_at >= PROGRESS_EVERY_SECONDS
        if force or due or self.done % PROGRESS_EVERY_ROWS == 0:
            RegistryImport.objects.filter(pk=self.record.pk).update(
                rows_done=self.done, progress_at=timezone.now()
            )
            self.reported_at = time.monotonic()

    def _person_input(self, row: ChildRow | CarerRow) -> PersonInput:
        return PersonInput(district=self.district, iin=row.iin, **row.fields)

    def child(self, row: ChildRow) -> str:
        person = Person.objects.filter(iin=row.iin).first()
        if person is not None and Child.objects.filter(person=person).exists():
            return PRESENT
        if person is None:
            child = child_register(
                data=self._person_input(row),
                by=self.by,
                district=self.district,
                confirm_mismatch=True,  # the user saw the dry run's warnings
            )
        else:
            child = child_open_for(person=person, by=self.by, district=self.district)
        if row.status:
            child_status_add(child=child, category=row.status, started_on=row.status_since)
        return NEW

    def carer(self, row: CarerRow) -> str:
        person = Person.objects.filter(iin=row.iin).first()
        if person is not None and Carer.objects.filter(person=person).exists():
            return PRESENT
        if person is None:
            person = person_create(data=self._person_input(row), by=self.by, confirm_mismatch=True)
        carer_register(
            person=person, kind=row.kind, district=self.district, approved_on=row.approved_on
        )
        return NEW

    def placement(self, row: PlacementRow) -> str:
        child = Child.objects.filter(person__iin=row.child_iin).first()
        if child is None:
            raise ValidationError(_(M_NO_CHILD))
        if Placement.objects.filter(child=child, form=row.form, started_on=row.started_on).exists():
            return PRESENT
        carer = None
        if row.carer_iin:
            carer = Carer.objects.filter(person__iin=row.carer_iin).first()
            if carer is None:
                raise ValidationError(_(M_NO_CARER))
        placement = placement_start(
            child=child,
            form=row.form,
            started_on=row.started_on,
            carer=carer,
            organisation=row.organisation,
        )
        if row.ended_on:
            placement_end(placement=placement, ended_on=row.ended_on, reason=row.end_reason)
        return NEW
