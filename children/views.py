from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from casework.archive_views import archive_form_response, restore_response
from casework.audit_views import object_audit_response
from casework.form_errors import add_service_errors, section_form_response
from casework.htmx import render_page_or_fragment
from casework.models import ReadAction
from casework.pagination import BoundedPaginator
from casework.permissions import (
    ARCHIVE,
    RESTORE,
    can,
    refuse_if_archived,
    scope_for,
    visible_to,
)
from casework.services.audit import audit_read_record
from casework.uploads import stored_file_response

from . import forms, permissions, selectors
from .models import Child, ChildShare, StatusCategory
from .services import archive as archive_services
from .services import carers as carer_services
from .services import files, placements
from .services.merge import person_merge
from .services.people import IINMismatch, person_update


def _registry_scope(request):
    scope = scope_for(request.user)
    if not permissions.may_use_registry(scope):
        raise PermissionDenied
    return scope


@login_required
def child_list(request):
    _registry_scope(request)
    query = request.GET.get("q", "")[:100]
    category = request.GET.get("category", "")
    category = category if category in StatusCategory.values else ""
    paginator = BoundedPaginator(
        selectors.child_list(user=request.user, query=query, category=category), selectors.PAGE_SIZE
    )
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render_page_or_fragment(
        request,
        page="children/list.html",
        fragment="children/_list_results.html",
        context={
            "page": page,
            "search": query,
            "category": category,
            "categories": StatusCategory.choices,
            "query": params.urlencode(),
            "may_see_archive": may_see_archive(request.user),
        },
    )


def may_see_archive(user) -> bool:
    return bool(scope_for(user).districts_with(permissions.HEADS))


def _person_step(request, form, create):
    """Shared by the child and carer forms: IIN checks, then likely duplicates, then save.

    Returns the created object, or None with the form (and candidates) to show again.
    """
    data = form.person_input()
    candidates = []
    if not form.cleaned_data["confirm_new"]:
        candidates = selectors.duplicate_candidates(
            last_name=data.last_name,
            first_name=data.first_name,
            patronymic=data.patronymic,
            iin=data.iin,
            birth_date=data.birth_date,
        )
    if candidates:
        return None, candidates
    try:
        return create(data), []
    except IINMismatch as warning:
        form.add_error("confirm_mismatch", warning.messages)
    except ValidationError as error:
        add_service_errors(form, error)
    return None, []


@login_required
def child_create(request):
    scope = _registry_scope(request)
    districts = scope.districts_with(permissions.GUARDIANSHIP)
    form = forms.PersonForm(request.POST or None, districts=districts)
    candidates = []
    if request.method == "POST" and form.is_valid():
        child, candidates = _person_step(
            request,
            form,
            lambda data: files.child_register(
                data=data, by=request.user, confirm_mismatch=form.cleaned_data["confirm_mismatch"]
            ),
        )
        if child is not None:
            messages.success(request, _("Child's file opened."))
            return redirect("child_file", pk=child.pk)
    return render(
        request,
        "children/person_form.html",
        {
            "form": form,
            "candidates": _visible_candidates(request.user, candidates),
            "title": _("New child"),
        },
    )


def _visible_candidates(user, candidates):
    """Candidates from other districts are named only by initials, birth year and district."""
    ids = [c.pk for c in candidates]
    visible = set(
        visible_to(user, permissions.PEOPLE).filter(pk__in=ids).values_list("pk", flat=True)
    )
    files = {
        person_id: (pk, archived_at)
        for person_id, pk, archived_at in Child.objects.filter(person_id__in=ids).values_list(
            "person_id", "pk", "archived_at"
        )
    }
    for candidate in candidates:
        candidate.is_visible = candidate.pk in visible
        candidate.child_id_if_any, candidate.file_archived_at = files.get(
            candidate.pk, (None, None)
        )
    return candidates


@login_required
def child_file(request, pk: int):
    child = selectors.child_file(user=request.user, pk=pk)
    audit_read_record(request=request, obj=child)
    return render(
        request,
        "children/file.html",
        {
            "child": child,
            "person": child.person,
            "sections": SECTIONS,
            "end_form": forms.PlacementEndForm(),
            "may_audit": permissions.CHILDREN.can(
                scope_for(request.user), child, permissions.AUDIT
            ),
            "may_merge": not child.is_archived
            and permissions.PEOPLE.can(scope_for(request.user), child.person, permissions.MERGE),
            "may_archive": can(request.user, permissions.CHILDREN, child, ARCHIVE),
            "restore_url": _restore_url(request.user, permissions.CHILDREN, child, "child_restore"),
            "now": timezone.now(),
        },
    )


def _restore_url(user, policy, record, url_name: str) -> str:
    """Where the banner's Restore button posts, for those who may restore."""
    if record.archived_at is None or not can(user, policy, record, RESTORE):
        return ""
    return reverse(url_name, args=[record.pk])


@login_required
def child_archive(request, pk: int):
    child = permissions.get_child_for_user_or_404(request.user, pk, ARCHIVE)
    return archive_form_response(
        request,
        perform=lambda reason: archive_services.child_archive(
            child=child, by=request.user, reason=reason
        ),
        done_url=reverse("child_file", args=[child.pk]),
        title=_("Archive the child's file"),
        record=child,
        warnings=archive_services.child_archive_blockers(child),
    )


@login_required
@require_POST
def child_restore(request, pk: int):
    child = permissions.get_child_for_user_or_404(request.user, pk, RESTORE)
    return restore_response(
        request,
        perform=lambda: archive_services.child_restore(child=child, by=request.user),
        record_url=reverse("child_file", args=[child.pk]),
    )


def _document_of(child, document_id: int):
    document = child.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404
    return document


@login_required
def document_archive(request, pk: int, document_id: int):
    """Whoever may add to the file may archive a document put in it by mistake."""
    child = permissions.get_child_for_user_or_404(request.user, pk, permissions.CHANGE)
    document = _document_of(child, document_id)
    refuse_if_archived(document)
    return archive_form_response(
        request,
        perform=lambda reason: archive_services.document_archive(
            document=document, by=request.user, reason=reason
        ),
        done_url=reverse("child_file", args=[child.pk]),
        title=_("Archive the document “%(title)s”") % {"title": document.title},
        record=child,
    )


@login_required
@require_POST
def document_restore(request, pk: int, document_id: int):
    child = permissions.get_child_for_user_or_404(request.user, pk, RESTORE)
    document = _document_of(child, document_id)
    return restore_response(
        request,
        perform=lambda: archive_services.document_restore(document=document, by=request.user),
        record_url=reverse("child_file", args=[child.pk]),
    )


@login_required
def child_audit(request, pk: int):
    """Who viewed the child's file: its district's heads only. Document downloads and
    the commission's summaries and packets are logged against the child too, so they
    show here (as exported and printed)."""
    child = permissions.get_child_for_user_or_404(request.user, pk, permissions.AUDIT)
    return object_audit_response(
        request,
        obj=child,
        title=child.person.full_name,
        back_url=reverse("child_file", args=[child.pk]),
    )


@login_required
def child_edit(request, pk: int):
    child = permissions.get_child_for_user_or_404(request.user, pk, permissions.CHANGE)
    scope = scope_for(request.user)
    districts = scope.districts_with(permissions.GUARDIANSHIP) | {child.person.district_id}
    form = forms.PersonForm(
        request.POST or None, districts=districts, initial=forms.person_initial(child.person)
    )
    if request.method == "POST" and form.is_valid():
        try:
            person_update(
                person=child.person,
                data=form.person_input(),
                confirm_mismatch=form.cleaned_data["confirm_mismatch"],
            )
        except IINMismatch as warning:
            form.add_error("confirm_mismatch", warning.messages)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("child_file", pk=child.pk)
    elif request.method == "GET":
        audit_read_record(request=request, obj=child)
    return render(
        request,
        "children/person_form.html",
        {"form": form, "title": child.person.full_name, "editing": True},
    )


def _status(request, child, data):
    return files.child_status_add(
        child=child, category=data["category"], started_on=data["started_on"]
    )


def _disability(request, child, data):
    return files.disability_add(child=child, by=request.user, **data)


def _view(request, child, data):
    return files.child_view_record(child=child, by=request.user, **data)


def _placement(request, child, data):
    return placements.placement_start(child=child, **data)


def _without_care(request, child, data):
    return files.child_identify_without_care(
        child=child, identified_at=data["identified_at"], by=request.user
    )


def _databank(request, child, data):
    return files.child_databank_register(child=child, **data)


def _removal(request, child, data):
    return placements.removal_record(child=child, by=request.user, **data)


def _document(request, child, data):
    return files.child_document_add(
        child=child, by=request.user, title=data["title"], upload=data["upload"]
    )


def _share(request, child, data):
    if not permissions.CHILDREN.can(scope_for(request.user), child, permissions.SHARE):
        raise PermissionDenied
    ChildShare.objects.get_or_create(
        child=child,
        district=data["district"],
        defaults={"granted_by": request.user, "reason": data["reason"]},
    )


# section -> (title, form, service call)
SECTIONS = {
    "status": (gettext_lazy("Add a status category"), forms.StatusForm, _status),
    "disability": (gettext_lazy("Record a disability"), forms.DisabilityForm, _disability),
    "view": (gettext_lazy("Record the child's views"), forms.ChildViewForm, _view),
    "placement": (gettext_lazy("Start a placement"), forms.PlacementStartForm, _placement),
    "without-care": (
        gettext_lazy("Identified as left without parental care"),
        forms.WithoutCareForm,
        _without_care,
    ),
    "databank": (gettext_lazy("Registered in the data bank"), forms.DatabankForm, _databank),
    "removal": (gettext_lazy("Record a removal from the family"), forms.RemovalForm, _removal),
    "document": (gettext_lazy("Add a document"), forms.DocumentForm, _document),
    "share": (gettext_lazy("Share the file with another district"), forms.ShareForm, _share),
}


def _section_form(section, user, data=None, files=None):
    form_class = SECTIONS[section][1]
    if form_class is forms.PlacementStartForm:
        return form_class(
            data,
            carers=visible_to(user, permissions.CARERS).filter(archived_at__isnull=True),
            districts=scope_for(user).districts_with(permissions.GUARDIANSHIP),
        )
    return form_class(data, files)


@login_required
def child_section(request, pk: int, section: str):
    """Every "add to the file" form: one view, one template, the section's own service."""
    if section not in SECTIONS:
        raise Http404
    child = permissions.get_child_for_user_or_404(request.user, pk, permissions.CHANGE)
    title, _form_class, perform = SECTIONS[section]
    return section_form_response(
        request,
        form=_section_form(section, request.user, request.POST or None, request.FILES or None),
        perform=lambda data: perform(request, child, data),
        done_url=reverse("child_file", args=[child.pk]),
        context={"title": title, "child": child},
    )


@login_required
def document_download(request, pk: int, document_id: int):
    child = permissions.get_child_for_user_or_404(request.user, pk)
    document = child.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404
    audit_read_record(request=request, obj=child, action=ReadAction.EXPORT)
    return stored_file_response(document)


@login_required
@require_POST
def court_claim_filed(request, pk: int, removal_id: int):
    child = permissions.get_child_for_user_or_404(request.user, pk, permissions.CHANGE)
    removal = child.removals.filter(pk=removal_id).first()
    if removal is None:
        raise Http404
    form = forms.CourtClaimForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([m for errors in form.errors.values() for m in errors])
        placements.removal_court_claim_filed(
            removal=removal, filed_on=form.cleaned_data["filed_on"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Court claim recorded."))
    return redirect("child_file", pk=child.pk)


@login_required
@require_POST
def placement_end(request, pk: int, placement_id: int):
    child = permissions.get_child_for_user_or_404(request.user, pk, permissions.CHANGE)
    placement = child.placements.filter(pk=placement_id).first()
    if placement is None:
        raise Http404
    form = forms.PlacementEndForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("child_file", pk=child.pk)
    try:
        placements.placement_end(
            placement=placement,
            ended_on=form.cleaned_data["ended_on"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Placement ended."))
    return redirect("child_file", pk=child.pk)


@login_required
def person_merge_view(request, pk: int):
    """A head merges a duplicate record into this child's person record."""
    child = permissions.get_child_for_user_or_404(request.user, pk)
    refuse_if_archived(child)
    keep = permissions.get_person_for_user_or_404(request.user, child.person_id, permissions.MERGE)
    form = forms.MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            duplicate = permissions.get_person_for_user_or_404(
                request.user, form.cleaned_data["duplicate"]
            )
        except Http404:
            form.add_error("duplicate", _("No record with this number that you may see."))
        else:
            try:
                merge = person_merge(keep=keep, duplicate=duplicate, by=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("Records merged: %(moved)s") % {"moved": merge.moved or "—"}
                )
                return redirect("child_file", pk=child.pk)
    return render(
        request,
        "children/section_form.html",
        {"form": form, "title": _("Merge a duplicate record"), "child": child},
    )


@login_required
def carer_list(request):
    _registry_scope(request)
    query = request.GET.get("q", "")[:100]
    page = Paginator(
        selectors.carer_list(user=request.user, query=query), selectors.PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "children/carer_list.html",
        {"page": page, "search": query, "may_see_archive": may_see_archive(request.user)},
    )


@login_required
def carer_create(request):
    scope = _registry_scope(request)
    form = forms.CarerForm(
        request.POST or None, districts=scope.districts_with(permissions.GUARDIANSHIP)
    )
    candidates = []
    if request.method == "POST" and form.is_valid():

        def create(data):
            from .services.people import person_create

            person = person_create(
                data=data, by=request.user, confirm_mismatch=form.cleaned_data["confirm_mismatch"]
            )
            return carer_services.carer_register(
                person=person, kind=form.cleaned_data["kind"], district=data.district,
                approved_on=form.cleaned_data["approved_on"],
            )  # fmt: skip

        carer, candidates = _person_step(request, form, create)
        if carer is not None:
            messages.success(request, _("Carer registered."))
            return redirect("carer_file", pk=carer.pk)
    return render(
        request,
        "children/person_form.html",
        {
            "form": form,
            "candidates": _visible_candidates(request.user, candidates),
            "title": _("New carer"),
        },
    )


@login_required
def carer_file(request, pk: int):
    carer = selectors.carer_file(user=request.user, pk=pk)
    audit_read_record(request=request, obj=carer)
    return render(
        request,
        "children/carer_file.html",
        {
            "carer": carer,
            "may_archive": can(request.user, permissions.CARERS, carer, ARCHIVE),
            "restore_url": _restore_url(request.user, permissions.CARERS, carer, "carer_restore"),
        },
    )


@login_required
def carer_archive(request, pk: int):
    carer = permissions.get_carer_for_user_or_404(request.user, pk, ARCHIVE)
    blocked = carer.placements.filter(ended_on__isnull=True).exists()
    return archive_form_response(
        request,
        perform=lambda reason: archive_services.carer_archive(
            carer=carer, by=request.user, reason=reason
        ),
        done_url=reverse("carer_file", args=[carer.pk]),
        title=_("Archive the carer"),
        record=carer.person,
        warnings=[_("Children are placed with this carer: end their placements first.")]
        if blocked
        else [],
    )


@login_required
@require_POST
def carer_restore(request, pk: int):
    carer = permissions.get_carer_for_user_or_404(request.user, pk, RESTORE)
    return restore_response(
        request,
        perform=lambda: archive_services.carer_restore(carer=carer, by=request.user),
        record_url=reverse("carer_file", args=[carer.pk]),
    )


CARER_SECTIONS = {
    "check": (
        gettext_lazy("Annual reliability check"),
        forms.ReliabilityCheckForm,
        carer_services.reliability_check_record,
    ),
    "inspection": (
        gettext_lazy("Living-conditions inspection"),
        forms.InspectionForm,
        carer_services.inspection_record,
    ),
}


@login_required
def carer_section(request, pk: int, section: str):
    if section not in CARER_SECTIONS:
        raise Http404
    carer = permissions.get_carer_for_user_or_404(request.user, pk, permissions.CHANGE)
    title, form_class, perform = CARER_SECTIONS[section]
    return section_form_response(
        request,
        form=form_class(request.POST or None),
        perform=lambda data: perform(carer=carer, by=request.user, **data),
        done_url=reverse("carer_file", args=[carer.pk]),
        context={"title": title, "carer": carer},
    )
