import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


# Password hashes and login times are not personal-data changes worth an audit row,
# and a hash has no business in a history table.
@pghistory.track(exclude=["password", "last_login"])
class User(AbstractUser):
    patronymic = models.CharField(_("patronymic"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    preferred_language = models.CharField(
        _("interface language"), max_length=8, choices=settings.LANGUAGES, blank=True
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        triggers = [
            # Nothing about a person is hard-deleted: deactivate instead.
            pgtrigger.Protect(name="user_no_delete", operation=pgtrigger.Delete),
        ]

    @property
    def full_name(self) -> str:
        parts = [self.last_name, self.first_name, self.patronymic]
        return " ".join(part for part in parts if part) or self.username

    def __str__(self) -> str:
        return self.full_name
