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
        "unread_count": notifications_unread_count(user=user),
        "idle_timeout": settings.IDLE_TIMEOUT_SECONDS,
        "idle_warning": settings.IDLE_WARNING_SECONDS,
        "idle_minutes": settings.IDLE_TIMEOUT_SECONDS // 60,
    }
