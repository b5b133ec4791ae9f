"""FSC case pages. Every write goes through `casework.services.*`; every page that shows
a family's data records the read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from casework import case_forms as forms
from casework import case_selectors as selectors
from casework import selectors as core
from casework.audit_views import object_audit_response
from casework.case_permissions import (
    APPROVE,
    ASSIGN,
    AUDIT,
    CASES,
    CHANGE,
    FSC,
    get_case_for_user_or_404,
    may_list_cases,
    may_open_cases,
    may_submit_to_kdn,
)
from casework.form_errors import add_service_errors, section_form_response
from casework.htmx import wants_fragment
from casework.models import (
    Case,
    CaseAttachment,
    CaseStatus,
    MeasureStatus,
    Organisation,
    PlanMeasure,
    PlanStatus,
    SupportPlan,
)
from casework.permissions import can, scope_for
from casework.services import case_notices, cases, contacts, kdn, plans
from casework.services.audit import audit_read_record
from casework.uploads import stored_file_response

from .pagination import BoundedPaginator


def _staff(organisation_id: int):
    return core.organisation_staff_choices(organisation_id=organisation_id, roles=FSC)


@login_required
def case_list(request):
    scope = scope_for(request.user)
    if not may_list_cases(scope):
        raise PermissionDenied
    status = request.GET.get("status", "open")
    if status not in {"open", "", *CaseStatus.values}:
        status = "open"
    cases_qs = selectors.case_list(
        user=request.user,
        status=status,
        mine=request.GET.get("mine") == "1",
        query=request.GET.get("q", ""),
    )
    page = BoundedPaginator(cases_qs, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/list.html",
        {
            "page": page,
            "status": status,
            "statuses": CaseStatus.choices,
            "query": query.urlencode(),
            "may_open": may_open_cases(scope),
        },
    )


@login_required
def case_open(request):
    scope = scope_for(request.user)
    centers = scope.organisations_with(FSC)
    if not centers:
        raise PermissionDenied
    organisation = Organisation.objects.filter(pk__in=centers).order_by("pk").first()
    form = forms.CaseOpenForm(
        request.POST or None, staff=_staff(organisation.pk), initial={"lead": request.user.pk}
    )

    def perform(data):
        child, family = _subject_by_iin(data["child_iin"], organisation)
        return cases.case_open(
            organisation=organisation,
            by=request.user,
            lead=data["lead"],
            child=child,
            family=family,
            title=data["title"],
            threat_to_life=data["threat_to_life"],
        )

    return section_form_response(
        request,
        form=form,
        perform=perform,
        done_url=lambda case: reverse("case_detail", args=[case.pk]),
        done_message=lambda case: _("Case № %(number)s opened.") % {"number": case.pk},
        context={
            "title": _("Open a case"),
            "back_url": reverse("case_list"),
            "back_label": _("Cases"),
        },
    )


def _subject_by_iin(iin: str, organisation: Organisation):
    """The child (and the child's family) in the center's district, found by exact IIN
    only: an FSC does not browse the registry."""
    if not iin:
        return None, None
    from children.models import Child
    from families.models import FamilyMember

    child = (
        Child.objects.select_related("person")
        .filter(
            person__iin=iin,
            district_id=organisation.district_id,
            closed_at__isnull=True,
            archived_at__isnull=True,
        )
        .first()
    )
    if child is None:
        raise ValidationError(
            {
                "child_iin": _(
                    "No child with this IIN in the district's registry. Ask guardianship to register the child, or leave the IIN empty."
                )
            }
        )
    membership = (
        FamilyMember.objects.filter(person=child.person, left_on__isnull=True)
        .select_related("family")
        .first()
    )
    return child, membership.family if membership else None


@login_required
def case_detail(request, pk: int):
    case = selectors.case_file(user=request.user, pk=pk)
    audit_read_record(request=request, obj=case)
    user = request.user
    context = {
        "case": case,
        "may_change": can(user, CASES, case, CHANGE),
        "may_assign": can(user, CASES, case, ASSIGN),
        "may_approve": can(user, CASES, case, APPROVE),
        "pending_notices": case.pending_notices,
        "close_form": forms.CloseForm(),
        "inform_form": forms.InformForm(),
        "kdn_form": forms.SubmitToKdnForm(),
        "reason_form": forms.ReasonForm(),
        "may_submit_to_kdn": may_submit_to_kdn(scope_for(user)) and can(user, CASES, case, CHANGE),
        "may_audit": CASES.can(scope_for(user), case, AUDIT),
    }
    return render(request, "cases/detail.html", context)


@login_required
def case_audit(request, pk: int):
    """Who viewed the case: the center's heads and the district's guardianship heads."""
    case = get_case_for_user_or_404(request.user, pk, AUDIT)
    return object_audit_response(
        request,
        obj=case,
        title=f"{_('Case')} № {case.pk}",
        back_url=reverse("case_detail", args=[case.pk]),
    )


def _changeable(request, pk: int, action: str = CHANGE) -> Case:
    return get_case_for_user_or_404(request.user, pk, action)


@login_required
def case_assign(request, pk: int):
    case = _changeable(request, pk, ASSIGN)
    form = forms.AssignForm(
        request.POST or None,
        staff=_staff(case.organisation_id),
        initial={"lead": case.lead_id, "team": list(case.team.values_list("pk", flat=True))},
    )
    return section_form_response(
        request,
        form=form,
        perform=lambda d: cases.case_assign(
            case=case, by=request.user, lead=d["lead"], team=list(d["team"])
        ),
        done_url=reverse("case_detail", args=[case.pk]),
        context=_back(case, _("Lead specialist and team")),
    )


def _back(case: Case, title) -> dict:
    return {
        "title": title,
        "back_url": reverse("case_detail", args=[case.pk]),
        "back_label": str(case),
    }


@login_required
def case_assessment(request, pk: int):
    case = get_case_for_user_or_404(request.user, pk)
    assessment = case.assessment
    editable = assessment.completed_at is None and can(request.user, CASES, case, CHANGE)
    if request.method == "POST" and not editable:
        raise PermissionDenied
    form = forms.AssessmentForm(request.POST or None, initial=_assessment_initial(assessment))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cases.assessment_save(
                case=case,
                by=request.user,
                ratings=form.ratings(),
                in_difficult_situation=data["in_difficult_situation"],
                grounds=list(data["grounds"]),
                other_ground=data["other_ground"],
                conclusion=data["conclusion"],
            )
            if "complete" in request.POST:
                cases.assessment_complete(case=case, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            done = "complete" in request.POST
            messages.success(request, _("Assessment completed.") if done else _("Draft saved."))
            return redirect("case_detail" if done else "case_assessment", pk=case.pk)
    audit_read_record(request=request, obj=case)
    return render(
        request,
        "cases/assessment.html",
        {"case": case, "assessment": assessment, "form": form, "editable": editable},
    )


def _assessment_initial(assessment) -> dict:
    initial = {
        "in_difficult_situation": {True: "yes", False: "no"}.get(
            assessment.in_difficult_situation, ""
        ),
        "grounds": list(assessment.grounds.values_list("pk", flat=True)),
        "other_ground": assessment.other_ground,
        "conclusion": assessment.conclusion,
    }
    for rating in assessment.ratings.all():
        initial[f"{rating.domain}_rating"] = rating.rating
        initial[f"{rating.domain}_narrative"] = rating.narrative
    return initial


# --- plan --------------------------------------------------------------------------------


@login_required
def case_plan(request, pk: int, version: int | None = None):
    """The plan in force and the draft being worked on; or one earlier version, read-only."""
    case = selectors.case_with_plans(user=request.user, pk=pk)
    versions = case.plan_list
    if version is not None:
        shown = [p for p in versions if p.version == version]
        if not shown:
            raise Http404
    else:
        shown = [
            p
            for p in versions
            if p.status in {PlanStatus.APPROVED, PlanStatus.DRAFT, PlanStatus.SUBMITTED}
        ]
    for plan in selectors.plans_with_measures(plans=shown):
        plan.groups = selectors.plan_measures_by_type(plan)
    audit_read_record(request=request, obj=case)
    may_change = can(request.user, CASES, case, CHANGE) and case.status != CaseStatus.CLOSED
    draft = next((p for p in shown if p.status == PlanStatus.DRAFT), None)
    context = {
        "case": case,
        "plans": shown,
        "versions": versions,
        "single_version": version is not None,
        "may_change": may_change,
        "may_approve": can(request.user, CASES, case, APPROVE),
        "note_form": forms.NoteForm(),
        "sign_form": forms.SignForm(),
        "reason_form": forms.ReasonForm(),
        "goal_form": forms.GoalForm(initial={"goal": draft.goal}) if draft else None,
        "measure_form": _measure_form(case) if draft and may_change else None,
        "draft": draft,
    }
    return render(request, "cases/plan.html", context)


def _measure_form(case: Case, data=None):
    return forms.MeasureForm(
        data,
        organisations=Organisation.objects.filter(
            Q(district_id=case.district_id)
            | Q(district__isnull=True, region_id=case.organisation.region_id),
            archived_at__isnull=True,
        ).order_by("kind", "name_ru"),
        staff=_staff(case.organisation_id),
        initial={"responsible_organisation": case.organisation_id},
    )


@login_required
@require_POST
def measure_add(request, pk: int):
    case = _changeable(request, pk)
    plan = get_object_or_404(SupportPlan, case=case, status=PlanStatus.DRAFT)
    form = _measure_form(case, request.POST)
    if form.is_valid():
        try:
            plans.measure_add(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Measure added."))
            return redirect("case_plan", pk=case.pk)
    return render(
        request, "children/section_form.html", {"form": form, **_back(case, _("Add a measure"))}
    )


PLAN_ACTIONS = {
    # action: (permission, form, service call, success message)
    "goal": (CHANGE, forms.GoalForm, lambda plan, by, d: plans.plan_update_goal(plan=plan, by=by, goal=d["goal"]), gettext_lazy("Saved.")),
    "submit": (CHANGE, None, lambda plan, by, d: plans.plan_submit(plan=plan, by=by), gettext_lazy("The plan was sent to the head for approval.")),
    "approve": (APPROVE, None, lambda plan, by, d: plans.plan_approve(plan=plan, by=by), gettext_lazy("The plan is approved.")),
    "return": (APPROVE, forms.NoteForm, lambda plan, by, d: plans.plan_return(plan=plan, by=by, note=d["note"]), gettext_lazy("The plan was returned for changes.")),
    "sign": (CHANGE, forms.SignForm, lambda plan, by, d: plans.plan_sign(plan=plan, by=by, signed_on=d["signed_on"]), gettext_lazy("The family's signature is recorded.")),
}  # fmt: skip


@login_required
@require_POST
def plan_act(request, pk: int, plan_id: int, action: str):
    if action not in PLAN_ACTIONS:
        raise Http404
    permission, form_class, perform, done = PLAN_ACTIONS[action]
    case = _changeable(request, pk, permission)
    plan = get_object_or_404(SupportPlan, case=case, pk=plan_id)
    form = (form_class or forms.forms.Form)(request.POST)
    return _act_response(
        request,
        form=form,
        perform=lambda d: perform(plan, request.user, d),
        done=done,
        done_url=reverse("case_plan", args=[case.pk]),
        context=_back(case, _("Support plan")),
    )


def _act_response(request, *, form, perform, done, done_url: str, context: dict):
    """A one-button action posted from a file page. A refusal is shown on the action's
    own form page with what was typed kept."""
    if form.is_valid():
        try:
            perform(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(done_url)
    if not form.fields:  # nothing to correct: show why on the file page
        for message in form.non_field_errors():
            messages.error(request, message)
        return redirect(done_url)
    return render(request, "children/section_form.html", {"form": form, **context})


@login_required
@require_POST
def plan_revise(request, pk: int):
    case = _changeable(request, pk)
    return _act_response(
        request,
        form=forms.ReasonForm(request.POST),
        perform=lambda d: plans.plan_revise(case=case, by=request.user, reason=d["reason"]),
        done=_("A new version of the plan was started."),
        done_url=reverse("case_plan", args=[case.pk]),
        context=_back(case, _("Revise the plan")),
    )


def _measure(case: Case, measure_id: int) -> PlanMeasure:
    return get_object_or_404(
        PlanMeasure.objects.select_related("plan", "owner", "responsible_organisation"),
        plan__case=case,
        pk=measure_id,
    )


@login_required
def measure_done(request, pk: int, measure_id: int):
    case = _changeable(request, pk)
    measure = _measure(case, measure_id)
    if wants_fragment(request):
        return _measure_done_in_place(request, case, measure)
    return section_form_response(
        request,
        form=forms.MeasureDoneForm(request.POST or None),
        perform=lambda d: plans.measure_complete(measure=measure, by=request.user, **d),
        done_url=reverse("case_plan", args=[case.pk]),
        context={**_back(case, _("Measure done")), "intro": measure.description},
    )


def _measure_done_in_place(request, case: Case, measure: PlanMeasure):
    """The plan's row becomes the form and back: the result is recorded without leaving
    the plan, and a refusal keeps what was typed, in the row."""
    may_change = case.status != CaseStatus.CLOSED  # the gate has checked the user may change it
    context = {"case": case, "plan": measure.plan, "m": measure, "may_change": may_change}
    if request.method == "GET" and "cancel" in request.GET:
        return render(request, "cases/_measure_row.html", context)
    form = forms.MeasureDoneForm(
        request.POST or None,
        auto_id=f"measure-{measure.pk}-%s",
        initial={"done_on": timezone.localdate()},
    )
    form.fields["done_on"].widget.attrs["autofocus"] = True
    if request.method == "POST" and form.is_valid():
        try:
            done = plans.measure_complete(measure=measure, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            context.update(m=_measure(case, done.pk), message=_("Measure done."))
            return render(request, "cases/_measure_row.html", context)
    # A refusal is announced by the form's own role="alert" summary.
    return render(request, "cases/_measure_row.html", {**context, "form": form})


@login_required
@require_POST
def measure_drop(request, pk: int, measure_id: int):
    case = _changeable(request, pk)
    measure = _measure(case, measure_id)
    return _act_response(
        request,
        form=forms.forms.Form(request.POST),
        perform=lambda d: plans.measure_drop(measure=measure, by=request.user),
        done=_("The measure was taken out of the draft."),
        done_url=reverse("case_plan", args=[case.pk]),
        context={},
    )


# --- contacts, closure, guardianship, KDN -----------------------------------------------


@login_required
def contact_add(request, pk: int):
    case = _changeable(request, pk)
    measures = PlanMeasure.objects.filter(
        plan__case=case, plan__status=PlanStatus.APPROVED, status=MeasureStatus.PLANNED
    )
    form = forms.ContactForm(request.POST or None, request.FILES or None, measures=measures)
    if request.method == "POST" and request.FILES and not form.is_valid():
        messages.warning(
            request, _("Choose the attachments again: browsers do not keep files after an error.")
        )
    return section_form_response(
        request,
        form=form,
        perform=lambda d: contacts.contact_record(case=case, by=request.user, **d),
        done_url=reverse("case_detail", args=[case.pk]),
        context=_back(case, _("Visit, contact, service or note")),
    )


@login_required
def case_attachment(request, pk: int, attachment_id: int):
    case = get_case_for_user_or_404(request.user, pk)
    attachment = get_object_or_404(CaseAttachment, pk=attachment_id, contact__case=case)
    from casework.models import ReadAction

    audit_read_record(request=request, obj=case, action=ReadAction.EXPORT)
    return stored_file_response(attachment)


CASE_ACTIONS = {
    "close": (CHANGE, forms.CloseForm, lambda case, by, d: cases.case_close(case=case, by=by, outcome=d["outcome"], note=d["note"]), gettext_lazy("The case is closed.")),
    "reopen": (CHANGE, forms.ReasonForm, lambda case, by, d: cases.case_reopen(case=case, by=by, reason=d["reason"]), gettext_lazy("The case is reopened.")),
    "inform": (CHANGE, forms.InformForm, lambda case, by, d: case_notices.case_inform_guardianship(case=case, by=by, message=d["message"]), gettext_lazy("Guardianship is informed.")),
    "kdn": (CHANGE, forms.SubmitToKdnForm, lambda case, by, d: kdn.agenda_item_submit(case=case, by=by, organisation=case.organisation, question=d["question"]), gettext_lazy("The file was submitted to the commission.")),
}  # fmt: skip


CASE_ACTION_TITLES = {
    "close": gettext_lazy("Close the case"),
    "reopen": gettext_lazy("Reopen the case"),
    "inform": gettext_lazy("Inform the guardianship authority"),
    "kdn": gettext_lazy("Submit to the commission"),
}


@login_required
@require_POST
def case_act(request, pk: int, action: str):
    if action not in CASE_ACTIONS:
        raise Http404
    permission, form_class, perform, done = CASE_ACTIONS[action]
    case = _changeable(request, pk, permission)
    return _act_response(
        request,
        form=form_class(request.POST),
        perform=lambda d: perform(case, request.user, d),
        done=done,
        done_url=reverse("case_detail", args=[case.pk]),
        context=_back(case, CASE_ACTION_TITLES[action]),
    )
