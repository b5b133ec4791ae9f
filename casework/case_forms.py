from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms import DATE_BOUNDS, DATETIME_BOUNDS, MultipleFileField
from casework.models import (
    AssessmentDomain,
    ClosureOutcome,
    ContactKind,
    DecisionKind,
    Organisation,
    Rating,
    SupportType,
    User,
)
from families.models import DifficultSituationGround

DATE = {"help_text": _("DD.MM.YYYY"), "validators": DATE_BOUNDS}
DATETIME = {"help_text": _("DD.MM.YYYY HH:MM"), "validators": DATETIME_BOUNDS}
TEXT = {"widget": forms.Textarea(attrs={"rows": 3})}


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name


class CaseOpenForm(forms.Form):
    child_iin = forms.CharField(
        label=_("Child's IIN"), max_length=12, min_length=12, required=False,
        help_text=_("Links the child's registry file and family; leave empty for a family not in the registry"),
    )  # fmt: skip
    title = forms.CharField(
        label=_("Family"), max_length=300, required=False,
        help_text=_("Surname of the family; filled from the registry when the IIN is found"),
    )  # fmt: skip
    threat_to_life = forms.BooleanField(
        label=_("Threat to life or health (assessment within 1 working day)"), required=False
    )
    lead = StaffChoiceField(label=_("Lead specialist"), queryset=User.objects.none())

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = staff

    def clean_child_iin(self) -> str:
        value = self.cleaned_data["child_iin"].strip()
        if value and not (value.isascii() and value.isdigit()):
            raise forms.ValidationError(_("An IIN is 12 digits."))
        return value


class AssignForm(forms.Form):
    lead = StaffChoiceField(label=_("Lead specialist"), queryset=User.objects.none())
    team = StaffMultipleChoiceField(
        label=_("Team"), queryset=User.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = staff
        self.fields["team"].queryset = staff


class AssessmentForm(forms.Form):
    """One rating and narrative per domain, then the conclusion."""

    in_difficult_situation = forms.TypedChoiceField(
        label=_("Is the family in a difficult life situation?"),
        choices=[("", _("Not concluded yet")), ("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None, required=False,
    )  # fmt: skip
    grounds = forms.ModelMultipleChoiceField(
        label=_("Grounds (Social Code)"), queryset=DifficultSituationGround.objects.none(),
        required=False, widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    other_ground = forms.CharField(label=_("Other ground"), max_length=300, required=False)
    conclusion = forms.CharField(label=_("Conclusion"), required=False, **TEXT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grounds"].queryset = DifficultSituationGround.objects.filter(active=True)
        domain_fields = {}
        for domain in AssessmentDomain:
            domain_fields[f"{domain}_rating"] = forms.TypedChoiceField(
                label=domain.label,
                choices=[("", "—"), *Rating.choices],
                coerce=int,
                empty_value=None,
                required=False,
            )
            domain_fields[f"{domain}_narrative"] = forms.CharField(
                label=_("What we found"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        # Domains first, in the order of the assessment form.
        self.fields = {**domain_fields, **self.fields}

    def domain_rows(self):
        return [
            (domain, self[f"{domain}_rating"], self[f"{domain}_narrative"])
            for domain in AssessmentDomain
        ]

    def ratings(self) -> dict:
        data = self.cleaned_data
        return {
            domain.value: (data.get(f"{domain}_rating"), data.get(f"{domain}_narrative", ""))
            for domain in AssessmentDomain
        }


class MeasureForm(forms.Form):
    support_type = forms.ChoiceField(label=_("Type of support"), choices=SupportType.choices)
    description = forms.CharField(label=_("Measure"), **TEXT)
    responsible_organisation = forms.ModelChoiceField(
        label=_("Responsible organisation"), queryset=Organisation.objects.none()
    )
    owner = StaffChoiceField(
        label=_("Owner"), queryset=User.objects.none(), required=False,
        help_text=_("The specialist who follows it up; the lead when empty"),
    )  # fmt: skip
    due_on = forms.DateField(label=_("Due"), **DATE)

    def __init__(self, *args, organisations, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_organisation"].queryset = organisations
        self.fields["owner"].queryset = staff


class GoalForm(forms.Form):
    goal = forms.CharField(label=_("Goal of the support"), required=False, **TEXT)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Remarks"), **TEXT)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), **TEXT)


class SignForm(forms.Form):
    signed_on = forms.DateField(label=_("Signed by the family on"), **DATE)


class MeasureDoneForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), **DATE)
    result = forms.CharField(label=_("Result"), **TEXT)


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label=_("What"), choices=ContactKind.choices)
    occurred_on = forms.DateField(label=_("Date"), **DATE)
    participants = forms.CharField(label=_("Participants"), max_length=500, required=False)
    findings = forms.CharField(label=_("Findings"), **TEXT)
    measure = forms.ModelChoiceField(
        label=_("Support measure"), queryset=None, required=False,
        help_text=_("When the contact delivered a measure of the plan"),
    )  # fmt: skip
    attachments = MultipleFileField(
        label=_("Attachments (PDF, JPEG, PNG; up to 10 MB each)"), required=False
    )

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ClosureOutcome.choices)
    note = forms.CharField(label=_("Note"), required=False, **TEXT)


class InformForm(forms.Form):
    message = forms.CharField(label=_("Message to guardianship"), required=False, **TEXT)


class SubmitToKdnForm(forms.Form):
    question = forms.CharField(label=_("Question for the commission"), **TEXT)


# --- KDN -------------------------------------------------------------------------------


class MeetingForm(forms.Form):
    held_at = forms.DateTimeField(label=_("Date and time"), **DATETIME)
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    quorum = forms.IntegerField(label=_("Quorum"), min_value=1, max_value=100)
    members = StaffMultipleChoiceField(
        label=_("Commission members"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = staff


class ScheduleForm(forms.Form):
    item = forms.ModelChoiceField(label=_("File"), queryset=None)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Decision"), choices=DecisionKind.choices)
    text = forms.CharField(label=_("Text of the decision"), **TEXT)
    votes_for = forms.IntegerField(label=_("For"), min_value=0)
    votes_against = forms.IntegerField(label=_("Against"), min_value=0, initial=0)
    votes_abstained = forms.IntegerField(label=_("Abstained"), min_value=0, initial=0)
    owner_organisation = forms.ModelChoiceField(
        label=_("Organisation to execute"), queryset=Organisation.objects.none(), required=False,
        help_text=_("For an instruction"),
    )  # fmt: skip
    owner = StaffChoiceField(
        label=_("Responsible person"), queryset=User.objects.none(), required=False,
        help_text=_("For an instruction; must work at the organisation"),
    )  # fmt: skip
    deadline = forms.DateField(label=_("Deadline"), required=False, **DATE)

    def __init__(self, *args, organisations, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_organisation"].queryset = organisations
        self.fields["owner"].queryset = people


class ExecuteForm(forms.Form):
    note = forms.CharField(label=_("How it was executed"), **TEXT)
