import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from casework.models import Notification, User

logger = logging.getLogger(__name__)


@transaction.atomic
def notification_create(*, recipient: User, subject: str, body: str) -> Notification:
    """Store a notification and ask a worker to e-mail it once the transaction commits."""
    from casework.tasks import notification_send

    notification = Notification.objects.create(recipient=recipient, subject=subject, body=body)
    transaction.on_commit(lambda: _enqueue(notification_send, notification.pk))
    return notification


def _enqueue(task, *args) -> None:
    # A broker outage must not fail the user's request: the row is stored and the
    # periodic sweep delivers it once Redis is back.
    try:
        task.delay(*args)
    except Exception:
        logger.warning("broker unavailable; %s(%s) left to the sweep", task.name, args)


def notification_deliver(*, notification_id: int) -> bool:
    """E-mail one notification exactly once, however many workers try at the same time.

    The row lock (SKIP LOCKED) lets one worker in; the others see nothing to do. If the
    mail server fails, the transaction rolls back and the sweep retries later.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .select_related("recipient")
            .filter(pk=notification_id, sent_at__isnull=True)
            .first()
        )
        if notification is None:
            return False
        if notification.recipient.email:
            send_mail(
                notification.subject,
                notification.body,
                settings.DEFAULT_FROM_EMAIL,
                [notification.recipient.email],
            )
        notification.sent_at = timezone.now()
        notification.save(update_fields=["sent_at"])
    return True


def notifications_mark_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notification_mark_read(*, user: User, notification_id: int) -> Notification | None:
    """Mark one of the user's own notifications read; None when it is not theirs."""
    mine = Notification.objects.filter(recipient=user, pk=notification_id)
    mine.filter(read_at__isnull=True).update(read_at=timezone.now())
    return mine.first()


def notify_users(users, *, message: str, params: dict, link: str) -> None:
    """Tell each user, in their own language. `message` is marked with gettext_noop and
    lazy `params` are translated per recipient too."""
    from django.utils import translation
    from django.utils.translation import gettext as _

    seen = set()
    for user in users:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subject = _(message) % {key: str(value) for key, value in params.items()}
            body = f"{subject}\n\n{_('Open')}: {settings.SITE_URL}{link}"
        notification_create(recipient=user, subject=subject[:300], body=body)


def notifications_file_away(*, notification_ids, now=None) -> int:
    """Mark notifications read and delivered without sending them: for history loaded
    after the fact (demo history, imports), whose recipients need no alert today."""
    now = now or timezone.now()
    pending = Notification.objects.filter(pk__in=notification_ids)
    pending.filter(sent_at__isnull=True).update(sent_at=now)
    return pending.filter(read_at__isnull=True).update(read_at=now)
