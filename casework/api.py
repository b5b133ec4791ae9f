"""Shared pieces of the REST API."""

from rest_framework import serializers
from rest_framework.settings import api_settings


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
