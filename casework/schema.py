"""OpenAPI description of our token authentication (drf-spectacular)."""

from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.extensions import OpenApiAuthenticationExtension
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


@method_decorator(csp_update({"style-src": ["'unsafe-inline'"]}), name="dispatch")
class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI under the content security policy: its start-up script is a file of
    its own (no inline script); the UI sets inline styles, allowed on this page only."""
