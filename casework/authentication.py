from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .services.api_tokens import api_token_authenticate


class OrganisationTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <key>` for referrer organisations' systems."""

    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        token = api_token_authenticate(header[1])
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        return token.user, token

    def authenticate_header(self, request) -> str:
        return self.keyword
