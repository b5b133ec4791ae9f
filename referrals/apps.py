from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = _("Referrals")

    def ready(self) -> None:
        from casework import timers
        from casework.models import TimerKind

        from .services import PickupTimerHandler, TransferTimerHandler

        timers.register(TimerKind.REFERRAL_TRANSFER, TransferTimerHandler())
        timers.register(TimerKind.REFERRAL_PICKUP, PickupTimerHandler())
