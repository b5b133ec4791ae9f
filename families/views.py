from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from casework.archive_views import archive_form_response, restore_response
from casework.audit_views import object_audit_response
from casework.form_errors import add_service_errors, section_form_response
from casework.pagination import BoundedPaginator
from casework.permissions import ARCHIVE, RESTORE, can, scope_for, visible_to
from casework.services.audit import audit_read_record
from children.permissions import HEADS, PEOPLE
from referrals.permissions import REFERRALS

from . import forms, services
from .models import Family
from .permissions import AUDIT, FAMILIES, GUARDIANSHIP, get_family_for_user_or_404

PAGE_SIZE = 25


def _districts(request):
    districts = scope_for(request.user).districts_with(GUARDIANSHIP)
    if not districts:
        raise PermissionDenied
    return districts


@login_required
def family_list(request):
    _districts(request)
    query = request.GET.get("q", "")[:100]
    families = (
        visible_to(request.user, FAMILIES)
        .filter(archived_at__isnull=True)
        .select_related("district")
        .order_by("name", "pk")
    )
    if query:
        families = families.filter(name__icontains=query)
    page = BoundedPaginator(families, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "families/list.html",
        {
            "page": page,
            "search": query,
            "may_see_archive": bool(scope_for(request.user).districts_with(HEADS)),
        },
    )


@login_required
def family_create(request):
    form = forms.FamilyForm(request.POST or None, districts=_districts(request))
    if request.method == "POST" and form.is_valid():
        try:
            family = services.family_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("family_file", pk=family.pk)
    return render(request, "children/section_form.html", {"form": form, "title": _("New family")})


@login_required
def family_file(request, pk: int):
    family = get_family_for_user_or_404(
        request.user, pk, queryset=Family.objects.select_related("district", "archived_by")
    )
    audit_read_record(request=request, obj=family)
    may_restore = family.is_archived and can(request.user, FAMILIES, family, RESTORE)
    context = {
        "family": family,
        "members": family.members.select_related("person__child").order_by(
            "left_on", "relation", "pk"
        ),
        "situations": family.difficult_situations.prefetch_related("grounds").select_related(
            "recognised_by"
        ),
        "registrations": family.police_registrations.select_related("referral"),
        "sections": SECTIONS,
        "may_audit": FAMILIES.can(scope_for(request.user), family, AUDIT),
        "may_archive": can(request.user, FAMILIES, family, ARCHIVE),
        "restore_url": reverse("family_restore", args=[family.pk]) if may_restore else "",
    }
    return render(request, "families/file.html", context)


@login_required
def family_audit(request, pk: int):
    """Who viewed the family's file (the commission's summaries included): the
    district's guardianship heads only."""
    family = get_family_for_user_or_404(request.user, pk, AUDIT)
    return object_audit_response(
        request, obj=family, title=family.name, back_url=reverse("family_file", args=[family.pk])
    )


@login_required
def family_archive(request, pk: int):
    family = get_family_for_user_or_404(request.user, pk, ARCHIVE)
    return archive_form_response(
        request,
        perform=lambda reason: services.family_archive(
            family=family, by=request.user, reason=reason
        ),
        done_url=reverse("family_file", args=[family.pk]),
        title=_("Archive the family's file"),
        record=family,
        warnings=services.family_archive_blockers(family),
    )


@login_required
@require_POST
def family_restore(request, pk: int):
    family = get_family_for_user_or_404(request.user, pk, RESTORE)
    return restore_response(
        request,
        perform=lambda: services.family_restore(family=family, by=request.user),
        record_url=reverse("family_file", args=[family.pk]),
    )


def _member(request, family, data):
    person = visible_to(request.user, PEOPLE).filter(pk=data["person"]).first()
    if person is None:
        raise ValidationError({"person": _("No record with this number that you may see.")})
    return services.family_member_add(
        family=family, person=person, relation=data["relation"], since=data["since"]
    )


def _situation(request, family, data):
    return services.difficult_situation_recognise(
        family=family, grounds=list(data["grounds"]), other_ground=data["other_ground"],
        recognised_on=data["recognised_on"], by=request.user,
    )  # fmt: skip


def _end_situation(request, family, data):
    situation = family.difficult_situations.filter(ended_on__isnull=True).first()
    if situation is None:
        raise ValidationError(_("The family is not in a recognised difficult life situation."))
    return services.difficult_situation_end(
        situation=situation, ended_on=data["ended_on"], note=data["note"]
    )


def _police(request, family, data):
    referral = None
    if data.get("referral"):
        referral = (
            visible_to(request.user, REFERRALS)
            .filter(pk=data["referral"], kind="police_notice", archived_at__isnull=True)
            .first()
        )
        if referral is None:
            raise ValidationError(
                {"referral": _("No police notice with this number that you may see.")}
            )
    fields = {k: v for k, v in data.items() if k != "referral"}
    return services.police_registration_add(family=family, referral=referral, **fields)


SECTIONS = {
    "member": (gettext_lazy("Add a family member"), forms.MemberForm, _member),
    "situation": (
        gettext_lazy("Recognise a difficult life situation"),
        forms.DifficultSituationForm,
        _situation,
    ),
    "situation-end": (
        gettext_lazy("End of the difficult life situation"),
        forms.EndSituationForm,
        _end_situation,
    ),
    "police": (
        gettext_lazy("Police preventive registration"),
        forms.PoliceRegistrationForm,
        _police,
    ),
}


@login_required
def family_section(request, pk: int, section: str):
    if section not in SECTIONS:
        raise Http404
    family = get_family_for_user_or_404(request.user, pk, "change")
    title, form_class, perform = SECTIONS[section]
    return section_form_response(
        request,
        form=form_class(request.POST or None),
        perform=lambda data: perform(request, family, data),
        done_url=reverse("family_file", args=[family.pk]),
        context={"title": title, "family": family},
    )


@login_required
def police_deregister(request, pk: int, registration_id: int):
    family = get_family_for_user_or_404(request.user, pk, "change")
    registration = family.police_registrations.filter(pk=registration_id).first()
    if registration is None:
        raise Http404
    form = forms.DeregisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.police_deregister(registration=registration, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("family_file", pk=family.pk)
    return render(
        request,
        "children/section_form.html",
        {"form": form, "title": _("Deregistration"), "family": family},
    )
