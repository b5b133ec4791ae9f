from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms import DATE_BOUNDS, DATETIME_BOUNDS
from casework.models import District, Organisation, OrganisationKind

from .models import (
    CarerKind,
    Disability,
    PlacementEndReason,
    PlacementForm,
    Sex,
    StatusCategory,
)
from .services.people import PersonInput

DATE = {"help_text": _("DD.MM.YYYY"), "validators": DATE_BOUNDS}
DATETIME = {"help_text": _("DD.MM.YYYY HH:MM"), "validators": DATETIME_BOUNDS}


class PersonForm(forms.Form):
    last_name = forms.CharField(label=_("Surname"), max_length=150)
    first_name = forms.CharField(label=_("Name"), max_length=150)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=150, required=False)
    iin = forms.CharField(
        label=_("IIN"), max_length=12, min_length=12, required=False,
        help_text=_("12 digits; leave empty if not known yet"),
    )  # fmt: skip
    birth_date = forms.DateField(label=_("Birth date"), required=False, **DATE)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices], required=False)
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none())
    locality = forms.CharField(label=_("Locality"), max_length=150, required=False)
    street = forms.CharField(label=_("Street"), max_length=200, required=False)
    house = forms.CharField(label=_("House"), max_length=20, required=False)
    flat = forms.CharField(label=_("Flat"), max_length=20, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    last_name_latin = forms.CharField(
        label=_("Surname (Latin, as in the passport)"), max_length=150, required=False,
        help_text=_("Filled in automatically when empty"),
    )  # fmt: skip
    first_name_latin = forms.CharField(label=_("Name (Latin)"), max_length=150, required=False)
    confirm_mismatch = forms.BooleanField(
        label=_("I checked: the birth date and sex are right although the IIN says otherwise"),
        required=False,
    )
    confirm_new = forms.BooleanField(
        label=_("None of the people found is this person: create a new record"), required=False
    )

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.filter(pk__in=districts)
        if len(districts) == 1:
            self.fields["district"].initial = next(iter(districts))

    def clean_iin(self) -> str:
        value = self.cleaned_data["iin"].strip()
        if value and not (value.isascii() and value.isdigit()):
            raise forms.ValidationError(_("An IIN is 12 digits."))
        return value

    def person_input(self) -> PersonInput:
        data = self.cleaned_data
        return PersonInput(
            last_name=data["last_name"].strip(),
            first_name=data["first_name"].strip(),
            patronymic=data["patronymic"].strip(),
            iin=data["iin"],
            birth_date=data["birth_date"],
            sex=data["sex"],
            district=data["district"],
            locality=data["locality"],
            street=data["street"],
            house=data["house"],
            flat=data["flat"],
            phones=[data["phone"]] if data["phone"] else [],
            last_name_latin=data["last_name_latin"],
            first_name_latin=data["first_name_latin"],
        )


def person_initial(person) -> dict:
    return {
        "last_name": person.last_name,
        "first_name": person.first_name,
        "patronymic": person.patronymic,
        "iin": person.iin or "",
        "birth_date": person.birth_date,
        "sex": person.sex,
        "district": person.district_id,
        "locality": person.locality,
        "street": person.street,
        "house": person.house,
        "flat": person.flat,
        "phone": person.phones[0] if person.phones else "",
        "last_name_latin": person.last_name_latin,
        "first_name_latin": person.first_name_latin,
    }


class CarerForm(PersonForm):
    kind = forms.ChoiceField(label=_("Carer kind"), choices=CarerKind.choices)
    approved_on = forms.DateField(label=_("Approved on"), **DATE)


class StatusForm(forms.Form):
    category = forms.ChoiceField(label=_("Status category"), choices=StatusCategory.choices)
    started_on = forms.DateField(label=_("From"), **DATE)


class DisabilityForm(forms.ModelForm):
    class Meta:
        model = Disability
        fields = [
            "group",
            "established_on",
            "valid_until",
            "rehabilitation_programme",
            "special_services",
            "inclusive_education",
        ]
        widgets = {
            "rehabilitation_programme": forms.Textarea(attrs={"rows": 2}),
            "special_services": forms.Textarea(attrs={"rows": 2}),
        }


class ChildViewForm(forms.Form):
    heard_on = forms.DateField(label=_("Heard on"), **DATE)
    decision = forms.CharField(label=_("Decision being prepared"), max_length=300)
    words = forms.CharField(
        label=_("What the child said, in the child's words"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class PlacementStartForm(forms.Form):
    form = forms.ChoiceField(label=_("Form"), choices=PlacementForm.choices)
    carer = forms.ModelChoiceField(label=_("Carer"), queryset=None, required=False)
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None, required=False)
    started_on = forms.DateField(label=_("From"), **DATE)

    def __init__(self, *args, carers, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carer"].queryset = carers.select_related("person")
        self.fields["organisation"].queryset = Organisation.objects.filter(
            district_id__in=districts,
            kind__in=[OrganisationKind.CHILDRENS_INSTITUTION, OrganisationKind.CLINIC],
            archived_at__isnull=True,
        )


class PlacementEndForm(forms.Form):
    ended_on = forms.DateField(label=_("Until"), **DATE)
    reason = forms.ChoiceField(label=_("End reason"), choices=PlacementEndReason.choices)


class WithoutCareForm(forms.Form):
    identified_at = forms.DateTimeField(
        label=_("Identified as left without parental care at"), **DATETIME
    )


class DatabankForm(forms.Form):
    number = forms.CharField(label=_("Data bank registration number"), max_length=50)
    registered_on = forms.DateField(label=_("Registered on"), **DATE)


class RemovalForm(forms.Form):
    removed_at = forms.DateTimeField(label=_("Removed at"), **DATETIME)
    reason = forms.CharField(
        label=_("Reason for removal"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    accompanied_by = forms.CharField(
        label=_("Who accompanied the child"), max_length=300, required=False
    )
    explained_to_child = forms.BooleanField(
        label=_(
            "The reasons and next steps were explained to the child in child-friendly language"
        ),
        required=False,
    )
    psychologist_present = forms.BooleanField(label=_("A psychologist was present"), required=False)
    psychologist_absence_reason = forms.CharField(
        label=_("If not, why"), max_length=300, required=False
    )
    taken_to = forms.CharField(label=_("Where the child was taken"), max_length=300, required=False)
    prosecutor_notified_at = forms.DateTimeField(
        label=_("Prosecutor notified at"), required=False, **DATETIME
    )


class ShareForm(forms.Form):
    district = forms.ModelChoiceField(
        label=_("Share with district"), queryset=District.objects.all()
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ReliabilityCheckForm(forms.Form):
    checked_on = forms.DateField(label=_("Checked on"), **DATE)
    income_ok = forms.BooleanField(label=_("Income sufficient"), required=False)
    health_ok = forms.BooleanField(label=_("Health allows care"), required=False)
    housing_ok = forms.BooleanField(label=_("Housing suitable"), required=False)
    no_criminal_record = forms.BooleanField(label=_("No criminal record"), required=False)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class InspectionForm(forms.Form):
    inspected_on = forms.DateField(label=_("Inspected on"), **DATE)
    conditions_ok = forms.BooleanField(label=_("Living conditions acceptable"), required=False)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}))


class MergeForm(forms.Form):
    duplicate = forms.IntegerField(label=_("Number of the duplicate record"), min_value=1)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    upload = forms.FileField(
        label=_("File (PDF, JPEG, PNG; up to 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class CourtClaimForm(forms.Form):
    filed_on = forms.DateField(label=_("Court claim filed on"), **DATE)
