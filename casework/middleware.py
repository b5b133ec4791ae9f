from django.utils import translation
from pghistory.middleware import HistoryMiddleware

from .request_info import client_ip


class UserLanguageMiddleware:
    """A signed-in user's saved interface language wins over browser and cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = getattr(user, "preferred_language", "") if user and user.is_authenticated else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


class AuditContextMiddleware(HistoryMiddleware):
    """Attach who, from where and through which address to every change history row."""

    def get_context(self, request):
        return {**super().get_context(request), "ip": client_ip(request)}
