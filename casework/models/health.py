from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """The last run of a periodic job, for the operator's status page: one row per job."""

    name = models.CharField(_("job"), max_length=100, unique=True)
    at = models.DateTimeField(_("last run"))
    detail = models.JSONField(_("result"), default=dict)

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name}: {self.at:%d.%m.%Y %H:%M:%S}"
