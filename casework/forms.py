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
