"""Pages of the import: template, upload with dry run, report, progress, history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.form_errors import add_service_errors
from casework.models import District
from casework.permissions import scope_for

from ..models import ImportStatus
from . import forms, permissions, selectors, services
from .checks import ERRORS, NEW, PRESENT, WARNING
from .layout import SHEETS
from .services import XLSX
from .template import import_template_build

SHEETS_BY_KEY = {sheet.key: sheet for sheet in SHEETS}
IN_PROGRESS = {ImportStatus.QUEUED, ImportStatus.RUNNING}


def _import_districts(request) -> frozenset[int]:
    districts = permissions.import_districts(scope_for(request.user))
    if not districts:
        raise PermissionDenied
    return districts


@login_required
def import_list(request):
    _import_districts(request)
    page = Paginator(
        selectors.registry_import_list(user=request.user), selectors.PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(request, "children/import_list.html", {"page": page})


@login_required
def import_template(request):
    districts = _import_districts(request)
    district = District.objects.filter(pk__in=districts).order_by("pk").first()
    response = HttpResponse(import_template_build(district=district), content_type=XLSX)
    name = f"qamqor-registry-import-{get_language()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def import_upload(request):
    districts = _import_districts(request)
    form = forms.ImportUploadForm(request.POST or None, request.FILES or None, districts=districts)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.registry_import_create(
                district=form.chosen_district(),
                by=request.user,
                upload=form.cleaned_data["upload"],
                language=get_language(),
            )
        except ValidationError as refusal:
            add_service_errors(form, ValidationError({"upload": refusal.messages}))
        else:
            return redirect("registry_import", pk=record.pk)
    return render(request, "children/import_upload.html", {"form": form})


def report_lines(report: dict) -> list[dict]:
    """The stored problems in the viewer's language: sheet, row, column, message."""
    lines = []
    for problem in report.get("problems", []):
        sheet = SHEETS_BY_KEY.get(problem.get("sheet", ""))
        column = ""
        if sheet and problem.get("column"):
            column = str(sheet.column(problem["column"]).label)
        letter = problem.get("letter", "")
        if problem.get("text"):
            message = problem["text"]
        else:
            message = _(problem["message"])
            if problem.get("params"):
                message = message % problem["params"]
        lines.append(
            {
                "sheet": sheet.label if sheet else "",
                "row": problem.get("row") or "",
                "column": f"{column} ({letter})" if column and letter else column or letter,
                "message": message,
                "warning": problem.get("level") == WARNING,
            }
        )
    return lines


def _counts(record) -> list[dict]:
    return [
        {
            "label": sheet.label,
            "new": record.counts.get(sheet.key, {}).get(NEW, 0),
            "present": record.counts.get(sheet.key, {}).get(PRESENT, 0),
            "errors": record.counts.get(sheet.key, {}).get(ERRORS, 0),
        }
        for sheet in SHEETS
    ]


def _context(request, record, start_form=None) -> dict:
    report = record.report or {}
    return {
        "record": record,
        "counts": _counts(record),
        "lines": report_lines(report),
        "left_out": report.get("problems_left_out", 0),
        "errors": report.get("errors", 0),
        "warnings": report.get("warnings", 0),
        "in_progress": record.status in IN_PROGRESS,
        "finished": record.status in {ImportStatus.DONE, ImportStatus.FAILED},
        "may_start": record.status in {ImportStatus.CHECKED, ImportStatus.QUEUED},
        "start_form": start_form
        or forms.ImportStartForm(
            warnings=report.get("warnings", 0) if record.status == ImportStatus.CHECKED else 0
        ),
        "earlier": services.registry_import_done_before(registry_import=record),
        "now": timezone.now(),
    }


@login_required
def import_detail(request, pk: int):
    record = permissions.get_registry_import_for_user_or_404(request.user, pk)
    context = _context(request, record)
    if request.htmx:
        # The progress block polls itself every second until the import has finished.
        return render(request, "children/import_progress.html", context)
    return render(request, "children/import_detail.html", context)


@login_required
@require_POST
def import_start(request, pk: int):
    record = permissions.get_registry_import_for_user_or_404(request.user, pk, permissions.CHANGE)
    warnings = (record.report or {}).get("warnings", 0)
    form = forms.ImportStartForm(
        request.POST, warnings=warnings if record.status == ImportStatus.CHECKED else 0
    )
    if form.is_valid():
        try:
            services.registry_import_queue(registry_import=record, by=request.user)
        except ValidationError as refusal:
            for message in refusal.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The import has started."))
        return redirect("registry_import", pk=record.pk)
    return render(request, "children/import_detail.html", _context(request, record, form))
