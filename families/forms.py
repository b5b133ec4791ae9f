from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms import DATE_BOUNDS
from casework.models import District

from .models import DifficultSituationGround, Relation

DATE = {"help_text": _("DD.MM.YYYY"), "validators": DATE_BOUNDS}


class FamilyForm(forms.Form):
    name = forms.CharField(label=_("Family"), max_length=300, help_text=_("Usually the surname."))
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none())
    locality = forms.CharField(label=_("Locality"), max_length=150, required=False)
    street = forms.CharField(label=_("Street"), max_length=200, required=False)
    house = forms.CharField(label=_("House"), max_length=20, required=False)
    flat = forms.CharField(label=_("Flat"), max_length=20, required=False)

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.filter(pk__in=districts)
        if len(districts) == 1:
            self.fields["district"].initial = next(iter(districts))


class MemberForm(forms.Form):
    person = forms.IntegerField(
        label=_("Person's record number"),
        min_value=1,
        help_text=_("From the person's file or search."),
    )
    relation = forms.ChoiceField(label=_("Relation"), choices=Relation.choices)
    since = forms.DateField(label=_("Since"), required=False, **DATE)


class DifficultSituationForm(forms.Form):
    grounds = forms.ModelMultipleChoiceField(
        label=_("Grounds (Social Code)"),
        queryset=DifficultSituationGround.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    other_ground = forms.CharField(label=_("Other ground"), max_length=300, required=False)
    recognised_on = forms.DateField(label=_("Recognised on"), **DATE)


class EndSituationForm(forms.Form):
    ended_on = forms.DateField(label=_("Left the situation on"), **DATE)
    note = forms.CharField(label=_("How it ended"), max_length=300, required=False)


class PoliceRegistrationForm(forms.Form):
    registered_on = forms.DateField(label=_("Registered on"), **DATE)
    police_unit = forms.CharField(label=_("Police unit"), max_length=300)
    inspector = forms.CharField(label=_("Inspector"), max_length=300, required=False)
    ground = forms.CharField(label=_("Ground"), max_length=500)
    referral = forms.IntegerField(
        label=_("Police notice number in Qamqor"), required=False, min_value=1
    )


class DeregisterForm(forms.Form):
    on = forms.DateField(label=_("Deregistered on"), **DATE)
    reason = forms.CharField(label=_("Reason"), max_length=300)
