from datetime import date, datetime

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from .models import User
from .working_days import ALMATY


class _Day(date):
    """A bound shown in Django's "greater/less than or equal" message as people write it."""

    def __str__(self) -> str:
        return self.strftime("%d.%m.%Y")


class _Moment(datetime):
    def __str__(self) -> str:
        return self.strftime("%d.%m.%Y %H:%M")


# Dates people type into Qamqor lie between 1900 and 2100: births, placements, inspections,
# deadlines. Beyond them a typing error would crash the deadline arithmetic (year 0 or
# 10000) instead of being shown on the form.
DATE_BOUNDS = [MinValueValidator(_Day(1900, 1, 1)), MaxValueValidator(_Day(2100, 12, 31))]
DATETIME_BOUNDS = [
    MinValueValidator(_Moment(1900, 1, 1, tzinfo=ALMATY)),
    MaxValueValidator(_Moment(2100, 12, 31, 23, 59, tzinfo=ALMATY)),
]


class StaffProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["last_name", "first_name", "patronymic", "email", "phone", "preferred_language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["last_name"].required = True
        self.fields["first_name"].required = True

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        digits = "".join(ch for ch in phone if ch.isdigit())
        if phone and not (10 <= len(digits) <= 15):
            raise forms.ValidationError(
                _("Enter a phone number with 10 to 15 digits, e.g. +7 701 000 00 00.")
            )
        return phone


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = forms.CharField(required=False)


class StaffSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several uploads in one field (attachments); each is checked by content later."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class OneTimeCodeForm(forms.Form):
    """The six digits an authenticator app shows."""

    token = forms.CharField(
        label=_("Code from the authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not (token.isascii() and token.isdigit()):
            raise forms.ValidationError(_("Enter the digits the app shows, e.g. 123456."))
        return token


class FormDraftForm(forms.Form):
    key = forms.CharField(max_length=300)
    data = forms.JSONField()

    def clean_key(self) -> str:
        key = self.cleaned_data["key"]
        if not key.startswith("/"):
            raise forms.ValidationError(_("A draft belongs to a page of Qamqor."))
        return key

    def clean_data(self) -> dict:
        data = self.cleaned_data["data"]
        if not isinstance(data, dict):
            raise forms.ValidationError(_("A draft is a set of form fields."))
        return data


class AuditPeriodForm(forms.Form):
    """The period of an audit export: whole days, Almaty time, at most a year or so."""

    date_from = forms.DateField(label=_("From"), help_text=_("DD.MM.YYYY"))
    date_to = forms.DateField(label=_("Until"), help_text=_("DD.MM.YYYY"))

    def __init__(self, *args, max_days: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_days = max_days

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("date_from"), cleaned.get("date_to")
        if first and last:
            if first > last:
                self.add_error("date_to", _("The end cannot be before the start."))
            elif (last - first).days + 1 > self.max_days:
                self.add_error(
                    "date_to",
                    forms.ValidationError(
                        _("A period may be at most %(days)s days."),
                        code="period_too_long",
                        params={"days": self.max_days},
                    ),
                )
        return cleaned


class ArchiveForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it archived?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: a duplicate of file № 123, or registered by mistake."),
        error_messages={"required": _("Say why the record is archived.")},
    )
