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


def section_form_response(
    request, *, form: Form, perform, done_url, context: dict, done_message=None
):
    """The "add to a file" flow every file page shares: validate, call the service, show
    its refusal on the form (keeping what was typed), or go on. `done_url` and
    `done_message` may be functions of what the service returned (the new record)."""
    if request.method == "POST" and form.is_valid():
        try:
            result = perform(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            message = done_message(result) if callable(done_message) else done_message
            messages.success(request, message or _("Saved."))
            return redirect(done_url(result) if callable(done_url) else done_url)
    return render(request, "children/section_form.html", {"form": form, **context})
