from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Casework core")

    def ready(self) -> None:
        from . import schema  # noqa: F401 - registers the OpenAPI auth extension
        from .case_timers import register_all

        register_all()
