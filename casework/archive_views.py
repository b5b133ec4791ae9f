"""Archive, never delete: the shared archive and restore flow of every file page, and the
heads' archive page listing what was archived in their district (`/registry/archive/`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from . import archive_selectors as selectors
from .form_errors import section_form_response
from .forms import ArchiveForm
from .permissions import scope_for


def archive_form_response(request, *, perform, done_url: str, title, record, warnings=()):
    """The "Archive" page of a record: the reason is required; a refusal (a live
    placement, a running deadline) comes back on the form with what was typed."""
    return section_form_response(
        request,
        form=ArchiveForm(request.POST or None),
        perform=lambda data: perform(data["reason"]),
        done_url=done_url,
        done_message=_("Archived. A head of guardianship can restore it from the archive."),
        context={
            "title": title,
            "back_url": done_url,
            "back_label": str(record),
            "intro": _(
                "The record leaves the lists, searches and figures but is kept, read-only, "
                "with your reason. Only a head of guardianship can restore it."
            ),
            "warnings": warnings,
            "submit_label": _("Archive"),
        },
    )


def restore_response(request, *, perform, record_url: str):
    """A head's "Restore" button, from the record's page or the archive page."""
    try:
        perform()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Restored: the record is back in the lists."))
    if request.POST.get("from") == "archive":
        return redirect("archive_list")
    return redirect(record_url)


@login_required
def archive_list(request):
    """What was archived in the head's districts, newest first, with who, when and why."""
    districts = scope_for(request.user).districts_with(selectors.HEADS)
    if not districts:
        raise PermissionDenied
    kind = request.GET.get("kind", "")
    kind = kind if kind in selectors.ARCHIVE_KINDS else ""
    paginator = Paginator(
        selectors.archived_records(district_ids=districts, kind=kind), selectors.PAGE_SIZE
    )
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "casework/archive.html",
        {
            "page": page,
            "rows": selectors.archive_rows(page.object_list),
            "kinds": [(key, spec.label) for key, spec in selectors.ARCHIVE_KINDS.items()],
            "kind": kind,
            "query": f"kind={kind}" if kind else "",
            "archive_url": reverse("archive_list"),
        },
    )
