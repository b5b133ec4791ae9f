from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from casework.archive_views import archive_form_response, restore_response
from casework.form_errors import add_service_errors
from casework.htmx import render_page_or_fragment, wants_fragment
from casework.models import ReadAction, Role
from casework.pagination import BoundedPaginator
from casework.permissions import ARCHIVE, RESTORE, refuse_if_archived, scope_for
from casework.permissions import can as core_can
from casework.selectors import calendar_around
from casework.services.audit import audit_read_record
from casework.uploads import stored_file_response

from . import permissions, selectors, services
from .forms import AttachmentForm, OutcomeForm, ReasonForm, ReferralForm, TriageForm
from .models import Channel


@login_required
def referral_list(request):
    if not permissions.may_list_referrals(scope_for(request.user)):
        raise PermissionDenied
    filters = selectors.referral_list(user=request.user, params=request.GET)
    paginator = BoundedPaginator(filters.qs, selectors.PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    calendar = calendar_around(timezone.localdate())
    scope = scope_for(request.user)
    for referral in page:
        referral.time_left = selectors.transfer_time_left(referral, calendar=calendar)
        referral.may_transfer = permissions.may_transfer_from_list(scope, referral)
    query = request.GET.copy()
    query.pop("page", None)
    return render_page_or_fragment(
        request,
        page="referrals/list.html",
        fragment="referrals/_list_results.html",
        context={
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "may_see_archive": bool(scope.districts_with(permissions.GUARDIANSHIP_HEADS)),
        },
    )


@login_required
def referral_create(request):
    scope = scope_for(request.user)
    if not permissions.may_create_referrals(scope):
        raise PermissionDenied
    organisation = _referring_organisation(scope)
    form = ReferralForm(
        request.POST or None, request.FILES or None, scope=scope, organisation=organisation
    )
    if request.method == "POST" and form.is_valid():
        try:
            referral, _created = services.referral_create(
                data=_input_from(form.cleaned_data, organisation),
                by=request.user,
                attachments=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Referral № %(number)s registered.") % {"number": referral.number}
            )
            return redirect("referral_detail", pk=referral.pk)
    if request.method == "POST" and request.FILES:
        messages.warning(
            request, _("Choose the attachments again: browsers do not keep files after an error.")
        )
    return render(request, "referrals/form.html", {"form": form})


def _referring_organisation(scope):
    """Referrers send as their organisation; guardianship staff log on others' behalf."""
    if scope.has_any_role(permissions.GUARDIANSHIP):
        return None
    from casework.models import Organisation

    ids = scope.organisations_with(frozenset({Role.REFERRER}))
    return Organisation.objects.filter(pk__in=ids).order_by("pk").first()


def _input_from(data: dict, organisation) -> services.ReferralInput:
    fields = {
        name: data[name]
        for name in services.ReferralInput.__dataclass_fields__
        if name in data and data[name] is not None
    }
    fields.pop("attachments", None)
    if organisation is not None:
        fields.update(source_organisation=organisation, channel=Channel.WEB)
    return services.ReferralInput(**fields)


@login_required
def referral_detail(request, pk: int):
    referral = selectors.referral_detail(user=request.user, pk=pk)
    audit_read_record(request=request, obj=referral)
    actions = permissions.actions_for(request.user, referral)
    may_archive = core_can(request.user, permissions.REFERRALS, referral, ARCHIVE)
    may_restore = referral.is_archived and core_can(
        request.user, permissions.REFERRALS, referral, RESTORE
    )
    context = {
        "referral": referral,
        "actions": actions,
        "time_left": selectors.transfer_time_left(referral),
        "triage_form": TriageForm(),
        "reason_form": ReasonForm(),
        "outcome_form": OutcomeForm(),
        "attachment_form": AttachmentForm(),
        "may_attach": permissions.can_attach(request.user, referral),
        "may_link": core_can(request.user, permissions.REFERRALS, referral, permissions.TRIAGE),
        "may_open_child": referral.district_id
        in scope_for(request.user).districts_with(permissions.GUARDIANSHIP),
        "may_archive": may_archive and referral.status in services.ARCHIVABLE_STATUSES,
        "may_archive_files": may_archive,
        "restore_url": reverse("referral_restore", args=[referral.pk]) if may_restore else "",
        "case": _case_of(request.user, referral),
    }
    return render(request, "referrals/detail.html", context)


def _case_of(user, referral):
    """The FSC case opened from the referral, for those who may see it."""
    from casework.case_permissions import CASES
    from casework.permissions import visible_to

    return visible_to(user, CASES).filter(referral=referral).first()


def _triage(request, referral):
    form = TriageForm(request.POST)
    form.is_valid()
    return services.referral_triage(
        referral=referral,
        by=request.user,
        decision=form.cleaned_data.get("decision", ""),
        reason=form.cleaned_data.get("reason", ""),
    )


def _field(form, name: str) -> str:
    """The cleaned value, or "" so the service gives its own translated message."""
    return form.cleaned_data[name] if form.is_valid() else ""


ACTIONS = {
    permissions.TRIAGE: (_triage, gettext_lazy("Triage decision recorded.")),
    permissions.TRANSFER: (
        lambda request, r: services.referral_transfer(referral=r, by=request.user),
        gettext_lazy("Transferred to the Family Support Center."),
    ),
    permissions.PICK_UP: (
        lambda request, r: services.referral_pick_up(referral=r, by=request.user),
        gettext_lazy("You picked up this referral."),
    ),
    permissions.START_WORK: (
        lambda request, r: services.referral_start_work(referral=r, by=request.user),
        gettext_lazy("Work started."),
    ),
    permissions.CLOSE: (
        lambda request, r: services.referral_close(
            referral=r, by=request.user, outcome=_field(OutcomeForm(request.POST), "outcome")
        ),
        gettext_lazy("Referral closed."),
    ),
    permissions.RETURN: (
        lambda request, r: services.referral_return(
            referral=r, by=request.user, reason=_field(ReasonForm(request.POST), "reason")
        ),
        gettext_lazy("Referral returned to guardianship."),
    ),
}


@login_required
@require_POST
def referral_act(request, pk: int, action: str):
    """Every status change from the referral page and the FSC inbox."""
    if action not in ACTIONS:
        raise Http404
    referral = permissions.get_referral_for_user_or_404(request.user, pk, action)
    perform, done = ACTIONS[action]
    refused = []
    try:
        perform(request, referral)
    except ValidationError as error:
        refused = error.messages
    came_from = request.POST.get("from")
    if ROW_ACTIONS.get(action) != came_from:
        came_from = None
    if came_from and wants_fragment(request):
        return _row_fragment(request, referral.pk, came_from, refused=refused, done=done)
    for message in refused:
        messages.error(request, message)
    if not refused:
        messages.success(request, done)
    if came_from == "inbox":
        return redirect("fsc_inbox")
    if came_from == "list":
        query = QueryDict(request.POST.get("query", "")).urlencode()
        return redirect(reverse("referral_list") + (f"?{query}" if query else ""))
    return redirect("referral_detail", pk=referral.pk)


# Actions a list row offers in place, and the list they come from.
ROW_ACTIONS = {permissions.PICK_UP: "inbox", permissions.TRANSFER: "list"}


def _row_fragment(request, pk: int, came_from: str, *, refused: list[str], done):
    """The row after the action, re-read: what the user did, or why it was refused (a
    colleague who picked it up first, a notice the system already forwarded)."""
    referral = selectors.referral_row(user=request.user, pk=pk)
    context = {"r": referral, "refused": refused, "message": " ".join(refused) or done}
    if came_from == "inbox":
        context["picked_up"] = not refused
        context["case"] = _case_of(request.user, referral) if not refused else None
        return render(request, "referrals/_inbox_row.html", context)
    referral.time_left = selectors.transfer_time_left(referral)
    referral.may_transfer = permissions.may_transfer_from_list(scope_for(request.user), referral)
    context["query"] = QueryDict(request.POST.get("query", "")).urlencode()
    return render(request, "referrals/_list_row.html", context)


@login_required
@require_POST
def referral_attach(request, pk: int):
    referral = permissions.get_referral_for_user_or_404(request.user, pk, permissions.ATTACH)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("referral_detail", pk=referral.pk)
    try:
        for upload in form.cleaned_data["attachments"]:
            services.referral_attachment_add(referral=referral, by=request.user, upload=upload)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Attachment added."))
    return redirect("referral_detail", pk=referral.pk)


@login_required
@require_POST
def referral_link_child(request, pk: int):
    """Guardianship links the referral to the child's file in the registry."""
    from children.permissions import get_child_for_user_or_404

    referral = permissions.get_referral_for_user_or_404(request.user, pk, permissions.TRIAGE)
    number = request.POST.get("child", "").strip()
    if not (number.isascii() and number.isdigit()):
        messages.error(request, _("Enter the number of the child's file."))
        return redirect("referral_detail", pk=referral.pk)
    try:
        child = get_child_for_user_or_404(request.user, int(number))
    except Http404:
        messages.error(request, _("No child's file with this number that you may see."))
        return redirect("referral_detail", pk=referral.pk)
    try:
        services.referral_link_child(referral=referral, child=child, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Linked to the child's file."))
    return redirect("referral_detail", pk=referral.pk)


@login_required
def referral_archive(request, pk: int):
    """Guardianship of the district archives a duplicate or mistaken referral."""
    referral = permissions.get_referral_for_user_or_404(request.user, pk, ARCHIVE)
    return archive_form_response(
        request,
        perform=lambda reason: services.referral_archive(
            referral=referral, by=request.user, reason=reason
        ),
        done_url=reverse("referral_detail", args=[referral.pk]),
        title=_("Archive the referral № %(number)s") % {"number": referral.number},
        record=referral,
    )


@login_required
@require_POST
def referral_restore(request, pk: int):
    referral = permissions.get_referral_for_user_or_404(request.user, pk, RESTORE)
    return restore_response(
        request,
        perform=lambda: services.referral_restore(referral=referral, by=request.user),
        record_url=reverse("referral_detail", args=[referral.pk]),
    )


def _attachment_of(referral, attachment_id: int):
    attachment = referral.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    return attachment


@login_required
def attachment_archive(request, pk: int, attachment_id: int):
    referral = permissions.get_referral_for_user_or_404(request.user, pk, ARCHIVE)
    attachment = _attachment_of(referral, attachment_id)
    refuse_if_archived(attachment)
    return archive_form_response(
        request,
        perform=lambda reason: services.attachment_archive(
            attachment=attachment, by=request.user, reason=reason
        ),
        done_url=reverse("referral_detail", args=[referral.pk]),
        title=_("Archive the attachment “%(name)s”") % {"name": attachment.original_name},
        record=referral,
    )


@login_required
@require_POST
def attachment_restore(request, pk: int, attachment_id: int):
    referral = permissions.get_referral_for_user_or_404(request.user, pk, RESTORE)
    attachment = _attachment_of(referral, attachment_id)
    return restore_response(
        request,
        perform=lambda: services.attachment_restore(attachment=attachment, by=request.user),
        record_url=reverse("referral_detail", args=[referral.pk]),
    )


@login_required
def attachment_download(request, pk: int, attachment_id: int):
    referral = permissions.get_referral_for_user_or_404(request.user, pk)
    attachment = (
        permissions.attachments_for(request.user, referral).filter(pk=attachment_id).first()
    )
    if attachment is None:
        raise Http404
    audit_read_record(request=request, obj=referral, action=ReadAction.EXPORT)
    return stored_file_response(attachment)


@login_required
def fsc_inbox(request):
    if not scope_for(request.user).has_any_role(permissions.FSC):
        raise PermissionDenied
    paginator = BoundedPaginator(selectors.fsc_inbox(user=request.user), selectors.PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "referrals/inbox.html", {"page": page, "query": ""})
