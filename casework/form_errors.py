"""How pages show a service's refusal, and the shared "add to a file" form flow."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _


def add_service_errors(form: Form, error: ValidationError) -> None:
    """Show a service's refusal on the form: per field where it names one, else on top."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def section_form_response(request, *, form: Form, perform, done_url: str, context: dict):
    """The "add to a file" flow every file page shares: validate, call the service, show
    its refusal on the form (keeping what was typed), or go back to the file."""
    if request.method == "POST" and form.is_valid():
        try:
            perform(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(done_url)
    return render(request, "children/section_form.html", {"form": form, **context})
