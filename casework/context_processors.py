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
    }
