from django import forms
from django.utils.translation import gettext_lazy as _

from casework.models import District

from .reading import MAX_BYTES


class ImportUploadForm(forms.Form):
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none())
    upload = forms.FileField(
        label=_("Filled-in template (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["upload"].help_text = _("An Excel workbook, at most %(size)s MB.") % {
            "size": MAX_BYTES // (1024 * 1024)
        }
        self.fields["district"].queryset = District.objects.filter(pk__in=districts)
        self.only_district = None
        if len(districts) == 1:
            # Imports go into the user's own district: nothing to choose.
            del self.fields["district"]
            self.only_district = District.objects.get(pk=next(iter(districts)))

    def chosen_district(self) -> District:
        return self.only_district or self.cleaned_data["district"]


class ImportStartForm(forms.Form):
    confirm_warnings = forms.BooleanField(
        label=_("I have read the warnings: import the file as it is"), required=False
    )

    def __init__(self, *args, warnings: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.warnings = warnings
        if not warnings:
            del self.fields["confirm_warnings"]

    def clean(self):
        data = super().clean()
        if self.warnings and not data.get("confirm_warnings"):
            self.add_error("confirm_warnings", _("Read the warnings and tick the box first."))
        return data
