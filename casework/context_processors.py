from django.conf import settings

from .navigation import navigation_for
from .permissions import scope_for
from .selectors import notifications_unread_count


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_for(user)
    return {
        "nav_items": navigation_for(scope),
        "user_roles": scope.roles,
        "unread_count": _unread_count(request, user),
        "idle_timeout": settings.IDLE_TIMEOUT_SECONDS,
        "idle_warning": settings.IDLE_WARNING_SECONDS,
        "idle_minutes": settings.IDLE_TIMEOUT_SECONDS // 60,
    }


def _unread_count(request, user) -> int:
    """The bell's count. A GET shows the count read with the user at the start of the
    request (account_selectors.signed_in_user); a POST may just have marked some read."""
    counted = getattr(user, "unread_notifications", None)
    if counted is not None and request.method in ("GET", "HEAD"):
        return counted
    return notifications_unread_count(user=user)
