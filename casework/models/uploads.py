from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def stored_file_path(instance: "StoredFile", filename: str) -> str:
    # A random name on disk: the original name may hold personal data.
    return f"{instance.storage_folder()}/{instance.token}"


class StoredFile(models.Model):
    """An uploaded file (checked by content, see `casework.uploads`) and who uploaded it."""

    token = models.CharField(max_length=64, unique=True)
    file = models.FileField(_("file"), upload_to=stored_file_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=64)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name

    def storage_folder(self) -> str:
        raise NotImplementedError
