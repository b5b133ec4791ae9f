from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest

from casework.models import AuditRead, ReadAction
from casework.request_info import client_ip


def audit_read_record(
    *, request: HttpRequest, obj: models.Model, action: str = ReadAction.VIEW
) -> AuditRead:
    """Record that the request's user read `obj`'s personal data.

    Written in the request's transaction: if the log cannot be written, the page fails
    rather than showing data unlogged.
    """
    return AuditRead.objects.create(
        user=request.user,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        path=request.get_full_path()[:500],
        ip=client_ip(request),
    )
