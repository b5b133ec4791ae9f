"""OpenAPI description of our token authentication and of the API's error responses
(drf-spectacular)."""

from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse
from drf_spectacular.views import SpectacularSwaggerSplitView


class OrganisationTokenScheme(OpenApiAuthenticationExtension):
    target_class = "casework.authentication.OrganisationTokenAuthentication"
    name = "OrganisationToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Token <key>, issued to a referring organisation by the administrator.",
        }


_MESSAGES = {"type": "array", "items": {"type": "string"}}

# What DRF really sends: {"field": ["message", ...]} for a field, {"field": {"0": [...]}} for
# an item of a list, {"non_field_errors": [...]} and {"detail": "..."} for a body that could
# not be parsed. Messages follow Accept-Language (ru, kk, en).
_VALIDATION_ERROR = {
    "type": "object",
    "minProperties": 1,
    "additionalProperties": {
        "anyOf": [
            _MESSAGES,
            {"type": "object", "additionalProperties": _MESSAGES},
            {"type": "string"},
        ]
    },
}

_DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}

_ERRORS = {
    400: OpenApiResponse(
        _VALIDATION_ERROR,
        description="Invalid input: translated messages for each field that was refused. "
        "Nothing was written.",
    ),
    401: OpenApiResponse(_DETAIL, description="No token, or an invalid or revoked one."),
    403: OpenApiResponse(_DETAIL, description="The organisation may not do this."),
    404: OpenApiResponse(
        _DETAIL, description="No such object among those visible to you, or no such page."
    ),
    415: OpenApiResponse(
        _DETAIL, description="The body is neither JSON, nor a form, nor multipart form data."
    ),
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """The documented error responses for an operation: `responses={200: X, **error_responses(400, 401)}`."""
    return {code: _ERRORS[code] for code in codes}


@method_decorator(csp_update({"style-src": ["'unsafe-inline'"]}), name="dispatch")
class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI under the content security policy: its start-up script is a file of
    its own (no inline script); the UI sets inline styles, allowed on this page only."""
