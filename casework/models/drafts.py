from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FormDraft(models.Model):
    """What a user typed into a long form and has not submitted yet.

    Kept on the server, not in the browser: the text is often a child's personal data,
    which stays in the database (in Kazakhstan), readable only by its author, and goes
    away when the form is submitted or after FORM_DRAFT_DAYS. A draft is a scratch pad,
    not case data, so it is deleted rather than archived.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    key = models.CharField(_("form address"), max_length=300)
    data = models.JSONField(_("fields"), default=dict)
    saved_at = models.DateTimeField(_("saved at"))

    class Meta:
        verbose_name = _("form draft")
        verbose_name_plural = _("form drafts")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="formdraft_one_per_form"),
        ]
        indexes = [models.Index(fields=["saved_at"], name="formdraft_saved_at")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}"
