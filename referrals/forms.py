from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.forms import DATE_BOUNDS, DATETIME_BOUNDS, MultipleFileField
from casework.models import District, Organisation, OrganisationKind
from casework.models.organisations import ROLE_ORGANISATION_KINDS, Role
from casework.uploads import MAX_BYTES

from .models import Channel, ConcernCategory, ReferralKind, Status

REFERRER_KINDS = ROLE_ORGANISATION_KINDS[Role.REFERRER]


class ReferralForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=ReferralKind.choices, initial=ReferralKind.CONCERN
    )
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none())
    channel = forms.ChoiceField(
        label=_("Received by"),
        choices=[(Channel.WEB, Channel.WEB.label), (Channel.PHONE, Channel.PHONE.label)],
    )
    source_organisation = forms.ModelChoiceField(
        label=_("Source organisation"), queryset=Organisation.objects.none(), required=False
    )
    source_person = forms.CharField(
        label=_("Reported by (citizen or caller)"), max_length=300, required=False
    )
    child_name = forms.CharField(label=_("Child's name"), max_length=300, required=False)
    child_birth_date = forms.DateField(
        label=_("Child's birth date"),
        required=False,
        help_text=_("DD.MM.YYYY"),
        validators=DATE_BOUNDS,
    )
    child_age = forms.IntegerField(
        label=_("Approximate age"), min_value=0, max_value=17, required=False
    )
    family_name = forms.CharField(label=_("Family"), max_length=300, required=False)
    address = forms.CharField(label=_("Address"), max_length=500, required=False)
    categories = forms.MultipleChoiceField(
        label=_("Concern"),
        choices=ConcernCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    threat_to_life = forms.BooleanField(label=_("Threat to life or health"), required=False)
    narrative = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000
    )
    registered_at = forms.DateTimeField(
        label=_("Police registration: date and time"),
        required=False,
        help_text=_("DD.MM.YYYY HH:MM"),
        validators=DATETIME_BOUNDS,
    )
    police_unit = forms.CharField(label=_("Police unit"), max_length=300, required=False)
    inspector = forms.CharField(label=_("Inspector"), max_length=300, required=False)
    ground = forms.CharField(label=_("Ground for registration"), max_length=500, required=False)
    registration_number = forms.CharField(
        label=_("Registration number"), max_length=100, required=False
    )
    attachments = MultipleFileField(
        label=_("Attachments (PDF, JPEG, PNG; up to 10 MB each)"), required=False
    )

    def __init__(self, *args, scope, organisation: Organisation | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation  # set for referrers: they send as their organisation
        if organisation is not None:
            for name in ("channel", "source_organisation", "source_person"):
                del self.fields[name]
            self.fields["district"].queryset = District.objects.filter(
                region_id=organisation.region_id
            )
            self.fields["district"].initial = organisation.district_id
            if organisation.kind != OrganisationKind.POLICE:
                self.fields["kind"].choices = [(ReferralKind.CONCERN, ReferralKind.CONCERN.label)]
        else:
            districts = scope.districts_with(
                frozenset({Role.GUARDIANSHIP_SPECIALIST, Role.GUARDIANSHIP_HEAD})
            )
            self.fields["district"].queryset = District.objects.filter(pk__in=districts)
            if len(districts) == 1:
                self.fields["district"].initial = next(iter(districts))
            self.fields["source_organisation"].queryset = Organisation.objects.filter(
                district_id__in=districts, kind__in=REFERRER_KINDS, archived_at__isnull=True
            ).order_by("name_ru")

    def clean_registered_at(self):
        value = self.cleaned_data["registered_at"]
        if value and value > timezone.now():
            raise forms.ValidationError(_("The registration time is in the future."))
        return value

    def clean_attachments(self):
        files = self.cleaned_data["attachments"]
        for upload in files:
            if upload.size > MAX_BYTES:
                raise forms.ValidationError(
                    _("“%(name)s” is larger than 10 MB.") % {"name": upload.name}
                )
        return files

    def clean(self):
        data = super().clean()
        if data.get("kind") == ReferralKind.POLICE_NOTICE:
            for name in ("registered_at", "police_unit"):
                # A value refused by its own field already says why; "required" would not.
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Required for a police registration notice."))
        elif "categories" in data and not data["categories"]:
            self.add_error("categories", _("Choose at least one concern."))
        if not (data.get("child_name") or data.get("family_name") or data.get("address")):
            self.add_error(
                "child_name", _("Give at least the child's name, the family or an address.")
            )
        return data


class TriageForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(s, s.label) for s in (Status.NO_ACTION, Status.CASEWORK, Status.SENT_TO_KDN)],
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class AttachmentForm(forms.Form):
    attachments = MultipleFileField(label=_("Attachments (PDF, JPEG, PNG; up to 10 MB each)"))
