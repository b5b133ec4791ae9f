from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Casework core")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import schema  # noqa: F401 - registers the OpenAPI auth extension
        from .case_timers import register_all
        from .middleware import session_start

        register_all()
        user_logged_in.connect(session_start, dispatch_uid="qamqor_session_start")
