"""Audit review pages: who viewed a file, and the export of a period (CSV, XLSX)."""

import csv
import tempfile
from collections.abc import Iterator
from datetime import date

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from . import audit_selectors as selectors
from .forms import AuditPeriodForm
from .models import AuditRead, ReadAction
from .services.audit import audit_read_record

FORMATS = {"csv", "xlsx"}


def object_audit_response(request, *, obj: models.Model, title: str, back_url: str):
    """The "who viewed this file" page of any file. Opening it is itself a read of the
    file, so it is logged first (and shows as the newest row)."""
    audit_read_record(request=request, obj=obj)
    page = Paginator(selectors.object_reads(obj=obj), selectors.AUDIT_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "casework/object_audit.html",
        {
            "title": title,
            "back_url": back_url,
            "page": page,
            "reads": selectors.with_reader_roles(page),
        },
    )


@login_required
def audit_export(request):
    """Guardianship heads (their districts) and administrators (everything, metadata
    only) export the reads and changes of a period. See `casework.audit_selectors`."""
    scope = selectors.export_scope(user=request.user)
    if scope is None:
        raise PermissionDenied
    today = timezone.localdate()
    form = AuditPeriodForm(
        request.GET or None,
        max_days=selectors.EXPORT_MAX_DAYS,
        initial={"date_from": today.replace(day=1), "date_to": today},
    )
    fmt = request.GET.get("format", "")
    if form.is_valid() and fmt in FORMATS:
        first, last = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
        # The export is itself a read: of the audit log, for the period in the address.
        audit_read_record(
            request=request,
            obj=ContentType.objects.get_for_model(AuditRead),
            action=ReadAction.EXPORT,
        )
        lines = _lines(scope, first, last, translation.get_language())
        name = f"qamqor-audit-{first:%Y-%m-%d}-{last:%Y-%m-%d}"
        return _csv(lines, name) if fmt == "csv" else _xlsx(lines, name)
    return render(
        request,
        "casework/audit_export.html",
        {
            "form": form,
            "administrator": not scope.shows_names,
            "max_rows": selectors.EXPORT_MAX_ROWS,
            "max_days": selectors.EXPORT_MAX_DAYS,
        },
    )


def _header() -> list[str]:
    return [
        _("Time"),
        _("User"),
        _("Name"),
        _("Organisation"),
        _("Role"),
        _("Action"),
        capfirst(_("object type")),
        capfirst(_("object id")),
        _("Object"),
        _("What changed"),
        capfirst(_("address")),
        _("IP address"),
    ]


def _lines(scope, first: date, last: date, language: str) -> Iterator[list[str]]:
    """Header, the reads, then the changes; each part stops at the row cap with a line
    saying so. Runs while the response streams, so the language is set again here."""
    with translation.override(language):
        yield _header()
        readers = selectors.Readers()
        parts = [
            selectors.export_read_rows(
                scope=scope, reads=selectors.export_reads(scope=scope, first=first, last=last)
            ),
            selectors.export_change_rows(scope=scope, first=first, last=last),
        ]
        change = _("Change")
        for part in parts:
            for count, (row, (username, name, organisations, roles)) in enumerate(
                selectors.with_readers(part, readers), start=1
            ):
                if count > selectors.EXPORT_MAX_ROWS:
                    yield [
                        _("The export stops at %(limit)s rows: choose a shorter period.")
                        % {"limit": selectors.EXPORT_MAX_ROWS}
                    ]
                    break
                yield [
                    f"{timezone.localtime(row.at):%d.%m.%Y %H:%M:%S}",
                    username,
                    name,
                    organisations,
                    roles,
                    row.action if row.record == "read" else f"{change} ({row.action})",
                    row.object_type,
                    row.object_id,
                    row.object_name,
                    row.fields,
                    row.path,
                    row.ip,
                ]


class _Echo:
    """csv.writer writes into this and gets the line back, to stream it."""

    def write(self, value: str) -> str:
        return value


def _csv(lines: Iterator[list[str]], name: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo(), delimiter=";")

    def stream():
        yield "\ufeff"  # Excel opens UTF-8 Cyrillic correctly with a BOM
        for line in lines:
            yield writer.writerow(line)

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response["Cache-Control"] = "no-store"
    return response


def _xlsx(lines: Iterator[list[str]], name: str) -> FileResponse:
    """openpyxl's write-only mode keeps rows out of memory; the file is built on disk
    and streamed from there."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title="audit")
    for line in lines:
        sheet.append(line)
    file = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    book.save(file)
    file.seek(0)
    response = FileResponse(
        file,
        as_attachment=True,
        filename=f"{name}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Cache-Control"] = "no-store"
    return response
