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
    notification = Notification.objects.create(recipient=recipient, subject=subject, body=body)
    transaction.on_commit(lambda: _enqueue_deliveries([notification.pk]))
    return notification


def _enqueue_deliveries(notification_ids: list[int]) -> None:
    """Ask a worker to send each one. A broker outage must not fail, nor hold up, the
    user's request: the rows are stored and the periodic sweep delivers them once Redis
    is back. After the first refused publish the others are not tried: each would wait
    for Redis as long again (settings bound one wait to about a second)."""
    from casework.tasks import notification_send

    for position, pk in enumerate(notification_ids):
        try:
            notification_send.delay(pk)
        except Exception:
            logger.warning(
                "broker unavailable; notifications %s left to the sweep",
                notification_ids[position:],
            )
            return


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


@transaction.atomic
def notify_users(users, *, message: str, params: dict, link: str) -> list[Notification]:
    """Tell each user, in their own language. `message` is marked with gettext_noop and
    lazy `params` are translated per recipient too. The e-mails are queued together once
    the transaction commits."""
    from django.utils import translation
    from django.utils.translation import gettext as _

    seen = set()
    notifications = []
    for user in users:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subject = _(message) % {key: str(value) for key, value in params.items()}
            body = f"{subject}\n\n{_('Open')}: {settings.SITE_URL}{link}"
        notifications.append(
            Notification.objects.create(recipient=user, subject=subject[:300], body=body)
        )
    ids = [notification.pk for notification in notifications]
    if ids:
        transaction.on_commit(lambda: _enqueue_deliveries(ids))
    return notifications


def notifications_file_away(*, notification_ids, now=None) -> int:
    """Mark notifications read and delivered without sending them: for history loaded
    after the fact (demo history, imports), whose recipients need no alert today."""
    now = now or timezone.now()
    pending = Notification.objects.filter(pk__in=notification_ids)
    pending.filter(sent_at__isnull=True).update(sent_at=now)
    return pending.filter(read_at__isnull=True).update(read_at=now)
