from django.contrib.auth.backends import ModelBackend

from .account_selectors import signed_in_user


class UserBackend(ModelBackend):
    """Django's model backend, reading the signed-in user of each request with their
    scope, authenticators and unread count in one query (account_selectors)."""

    def get_user(self, user_id):
        user = signed_in_user(user_id=user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
