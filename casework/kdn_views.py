"""The commission's pages: the secretary's meetings and queue, the members' agenda with
each file's one-page summary and PDF packet, decisions and their execution."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from casework import case_forms as forms
from casework import kdn_selectors as selectors
from casework import selectors as core
from casework.case_permissions import (
    AGENDA_ITEMS,
    DECISIONS,
    EXECUTE,
    FSC,
    GUARDIANSHIP,
    KDN,
    MANAGE,
    MEETINGS,
    SECRETARY,
    get_agenda_item_for_user_or_404,
    get_decision_for_user_or_404,
    get_meeting_for_user_or_404,
    may_use_kdn,
)
from casework.form_errors import add_service_errors, section_form_response
from casework.models import (
    DecisionKind,
    MeetingStatus,
    Organisation,
    ReadAction,
    User,
)
from casework.permissions import active_memberships, can, scope_for
from casework.services import kdn
from casework.services.audit import audit_reads_record


@login_required
def kdn_home(request):
    scope = scope_for(request.user)
    if not may_use_kdn(scope):
        raise PermissionDenied
    is_secretary = bool(scope.organisations_with(SECRETARY))
    return render(
        request,
        "kdn/home.html",
        {
            "meetings": selectors.meeting_list(user=request.user)[:50],
            "queue": selectors.submitted_queue(user=request.user)[:100] if is_secretary else [],
            "decisions": selectors.decision_list(user=request.user, open_only=True)[:50]
            if is_secretary
            else [],
            "is_secretary": is_secretary,
        },
    )


def _commission_for(scope) -> Organisation:
    ids = scope.organisations_with(SECRETARY)
    if not ids:
        raise PermissionDenied
    return Organisation.objects.filter(pk__in=ids).order_by("pk").first()


@login_required
def meeting_create(request):
    commission = _commission_for(scope_for(request.user))
    staff = core.organisation_staff_choices(organisation_id=commission.pk, roles=KDN)
    form = forms.MeetingForm(
        request.POST or None,
        staff=staff,
        initial={"members": list(staff), "quorum": staff.count() // 2 + 1},
    )
    return section_form_response(
        request,
        form=form,
        perform=lambda d: kdn.meeting_create(commission=commission, by=request.user, **d),
        done_url=lambda meeting: reverse("kdn_meeting", args=[meeting.pk]),
        done_message=_("Meeting planned. Now put files on its agenda."),
        context={
            "title": _("Plan a meeting"),
            "back_url": reverse("kdn_home"),
            "back_label": _("Commission"),
        },
    )


@login_required
def meeting_detail(request, pk: int):
    meeting = selectors.meeting_detail(user=request.user, pk=pk)
    manage = can(request.user, MEETINGS, meeting, MANAGE)
    context = {
        "meeting": meeting,
        "manage": manage,
        "seat": selectors.seat_of(meeting=meeting, user=request.user),
    }
    if manage and meeting.status in {MeetingStatus.PLANNED, MeetingStatus.PUBLISHED}:
        context["schedule_form"] = forms.ScheduleForm(
            items=selectors.submitted_queue(user=request.user).filter(
                commission_id=meeting.commission_id
            )
        )
    return render(request, "kdn/meeting.html", context)


MEETING_ACTIONS = {
    "publish": (kdn.meeting_publish, gettext_lazy("The agenda is published; the members were told.")),
    "cancel": (kdn.meeting_cancel, gettext_lazy("The meeting is cancelled; its files went back to the queue.")),
    "close": (kdn.meeting_close, gettext_lazy("The meeting is marked as held.")),
}  # fmt: skip


@login_required
@require_POST
def meeting_act(request, pk: int, action: str):
    meeting = get_meeting_for_user_or_404(request.user, pk, MANAGE)
    try:
        if action in MEETING_ACTIONS:
            service, done = MEETING_ACTIONS[action]
            service(meeting=meeting, by=request.user)
        elif action == "attendance":
            present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
            kdn.meeting_attendance_record(meeting=meeting, by=request.user, present_ids=present)
            done = _("Attendance recorded.")
        elif action == "schedule":
            done = _schedule(request, meeting)
        else:
            raise Http404
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("kdn_meeting", pk=meeting.pk)


def _schedule(request, meeting) -> str:
    form = forms.ScheduleForm(
        request.POST,
        items=selectors.submitted_queue(user=request.user).filter(
            commission_id=meeting.commission_id
        ),
    )
    if not form.is_valid():
        raise ValidationError(_("Choose a file from the queue."))
    kdn.agenda_item_schedule(item=form.cleaned_data["item"], meeting=meeting, by=request.user)
    return _("The file is on the agenda.")


@login_required
@require_POST
def item_unschedule(request, pk: int):
    item = get_agenda_item_for_user_or_404(request.user, pk, MANAGE)
    meeting_id = item.meeting_id
    try:
        kdn.agenda_item_unschedule(item=item, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("kdn_meeting", pk=meeting_id) if meeting_id else redirect("kdn_home")


def _readable_item(request, pk: int):
    return selectors.agenda_item_summarised(user=request.user, pk=pk)


def _audit_item(request, item, summary, action=ReadAction.VIEW) -> None:
    """The read is logged on the agenda item and on each registry file it shows."""
    files = [obj for obj in (item, summary.child, summary.family, summary.case) if obj]
    audit_reads_record(request=request, objs=files, action=action)


@login_required
def item_summary(request, pk: int):
    item, summary = _readable_item(request, pk)
    _audit_item(request, item, summary)
    manage = can(request.user, AGENDA_ITEMS, item, MANAGE)
    return render(
        request,
        "kdn/summary.html",
        {"item": item, "s": summary, "manage": manage, "decisions": summary.decisions},
    )


@login_required
def item_packet(request, pk: int):
    """The printable packet: the one-page summary and the file's details, as a PDF."""
    from weasyprint import HTML

    item, summary = _readable_item(request, pk)
    _audit_item(request, item, summary, action=ReadAction.PRINT)
    html = render_to_string("kdn/packet.html", {"item": item, "s": summary}, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="kdn-{item.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def decision_create(request, pk: int):
    item = get_agenda_item_for_user_or_404(request.user, pk, MANAGE)
    if item.meeting_id is None:
        raise Http404
    district_orgs = Organisation.objects.filter(
        district_id=item.commission.district_id, archived_at__isnull=True
    ).order_by("kind", "name_ru")
    people_ids = active_memberships().filter(organisation__in=district_orgs).values("user_id")
    form = forms.DecisionForm(
        request.POST or None,
        organisations=district_orgs,
        people=User.objects.filter(is_active=True, pk__in=people_ids).order_by("last_name"),
        initial={"kind": DecisionKind.INSTRUCTION},
    )
    return section_form_response(
        request,
        form=form,
        perform=lambda d: kdn.decision_record(item=item, by=request.user, **d),
        done_url=reverse("kdn_meeting", args=[item.meeting_id]),
        context={
            "title": _("Decision on item %(n)s") % {"n": item.position},
            "back_url": reverse("kdn_item", args=[item.pk]),
            "back_label": str(item),
            "intro": item.question,
        },
    )


@login_required
def decision_detail(request, pk: int):
    decision = get_decision_for_user_or_404(request.user, pk)
    may_execute = decision.is_tracked and decision.executed_at is None
    may_execute = may_execute and can(request.user, DECISIONS, decision, EXECUTE)
    form = forms.ExecuteForm(request.POST or None)
    if request.method == "POST":
        if not may_execute:
            raise PermissionDenied
        if form.is_valid():
            try:
                kdn.decision_execute(
                    decision=decision, by=request.user, note=form.cleaned_data["note"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The execution is reported."))
                return redirect("kdn_decision", pk=decision.pk)
    return render(
        request,
        "kdn/decision.html",
        {"decision": decision, "form": form, "may_execute": may_execute},
    )


@login_required
def submit_file(request, kind: str, pk: int):
    """Guardianship puts a child's or a family's file before the district commission."""
    scope = scope_for(request.user)
    if not scope.organisations_with(GUARDIANSHIP | FSC):
        raise PermissionDenied
    if kind == "child":
        from children.permissions import get_child_for_user_or_404

        subject = {"child": get_child_for_user_or_404(request.user, pk, "change")}
        back = reverse("child_file", args=[pk])
    elif kind == "family":
        from families.permissions import get_family_for_user_or_404

        subject = {"family": get_family_for_user_or_404(request.user, pk, "change")}
        back = reverse("family_file", args=[pk])
    else:
        raise Http404
    obj = next(iter(subject.values()))
    organisation = Organisation.objects.filter(
        pk__in=scope.organisations_with(GUARDIANSHIP), district_id=obj.district_id
    ).first()
    if organisation is None:
        raise PermissionDenied
    return section_form_response(
        request,
        form=forms.SubmitToKdnForm(request.POST or None),
        perform=lambda d: kdn.agenda_item_submit(
            by=request.user, organisation=organisation, question=d["question"], **subject
        ),
        done_url=back,
        context={"title": _("Submit to the commission"), "back_url": back, "back_label": str(obj)},
    )
