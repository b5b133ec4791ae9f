"""Shared pieces of the REST API."""

from django.utils.translation import gettext_lazy
from rest_framework import serializers
from rest_framework.exceptions import APIException, ErrorDetail
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


class InputSerializer(serializers.Serializer):
    """The body of an API request: a JSON object.

    DRF answers a `null` body with an English-only "No data provided"; we answer it as any
    other body that is not an object, with DRF's translated "Expected a dictionary" message.
    """

    def validate_empty_values(self, data):
        if data is None:
            message = self.error_messages["invalid"].format(datatype="null")
            raise serializers.ValidationError(
                {api_settings.NON_FIELD_ERRORS_KEY: [message]}, code="invalid"
            )
        return super().validate_empty_values(data)


# DRF writes these messages in English, outside its translation catalog; the client gets
# them in its language like every other message (the part after the prefix is the parser's
# or Django's own detail).
_HARD_CODED_MESSAGES = [
    ("JSON parse error - ", gettext_lazy("JSON parse error - {detail}"), "detail"),
    (
        "Multipart form parse error - ",
        gettext_lazy("Multipart form parse error - {detail}"),
        "detail",
    ),
    ("CSRF Failed: ", gettext_lazy("CSRF Failed: {reason}"), "reason"),
]


def exception_handler(exc, context):
    """DRF's handler, with its hard-coded English messages translated."""
    detail = getattr(exc, "detail", None)
    if isinstance(exc, APIException) and isinstance(detail, str):
        for prefix, message, name in _HARD_CODED_MESSAGES:
            if detail.startswith(prefix):
                text = str(message).format(**{name: detail.removeprefix(prefix)})
                exc.detail = ErrorDetail(text, code=getattr(detail, "code", None))
                break
    return drf_exception_handler(exc, context)
