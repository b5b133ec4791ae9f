from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_noop

from casework.models import AuditAlert, AuditRead, OrganisationKind, ReadAction, Role, User
from casework.request_info import client_ip

# Whom to tell about a user's unusual reading, by the kind of organisation they work in;
# anyone else (referrers, analysts, heads themselves) is reported to the administrators.
ALERT_RECIPIENTS = {
    OrganisationKind.GUARDIANSHIP: frozenset({Role.GUARDIANSHIP_HEAD}),
    OrganisationKind.FSC: frozenset({Role.FSC_HEAD}),
    OrganisationKind.KDN: frozenset({Role.KDN_SECRETARY}),
}
# pg_try_advisory_xact_lock key: one sweep at a time, across every worker.
ALERT_SWEEP_LOCK = 7_201_001


def audit_read_record(
    *, request: HttpRequest, obj: models.Model, action: str = ReadAction.VIEW
) -> AuditRead:
    """Record that the request's user read `obj`'s personal data.

    Written in the request's transaction: if the log cannot be written, the page fails
    rather than showing data unlogged.
    """
    return AuditRead.objects.create(**_read_of(request, obj, action))


def audit_reads_record(
    *, request: HttpRequest, objs: list[models.Model], action: str = ReadAction.VIEW
) -> list[AuditRead]:
    """Record that the request's user read each of `objs` (a page showing several files),
    in one statement."""
    return AuditRead.objects.bulk_create(
        AuditRead(**_read_of(request, obj, action)) for obj in objs
    )


def _read_of(request: HttpRequest, obj: models.Model, action: str) -> dict:
    return {
        "user": request.user,
        "action": action,
        "content_type": ContentType.objects.get_for_model(obj),
        "object_id": str(obj.pk),
        "object_repr": str(obj)[:300],
        "path": request.get_full_path()[:500],
        "ip": client_ip(request),
    }


def audit_read_history_record(
    *,
    user: User,
    obj: models.Model,
    at: datetime,
    path: str,
    action: str = ReadAction.VIEW,
    ip: str | None = None,
) -> AuditRead:
    """A read that happened before it was loaded (the demo's lived-in history). Rows
    stay append-only: this only chooses the time of a new row."""
    return AuditRead.objects.create(
        user=user,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        path=path[:500],
        ip=ip,
        at=at,
    )


# The partial covering index `auditread_views_by_time` answers this from the index
# alone. EXPLAIN ANALYZE on 403,120 reads over 30 days, 3,486 of them views in the last
# hour, one user with 120 distinct files (`python scripts/audit_explain.py`):
#
#   GroupAggregate (actual time=1.363..9.392 rows=1 loops=1)
#     Group Key: user_id
#     Filter: (count(DISTINCT ROW(content_type_id, object_id)) > 50)
#     Rows Removed by Filter: 199
#     ->  Sort (actual time=0.990..1.362 rows=3486 loops=1)
#           Sort Key: user_id
#           ->  Index Only Scan using <auditread_views_by_time> on casework_auditread
#                 Index Cond: ((at > (now() - '01:00:00'::interval)) AND (at <= now()))
#                 Heap Fetches: 0
#   Execution Time: 9.440 ms
_DISTINCT_VIEWS = """
    SELECT user_id, COUNT(DISTINCT (content_type_id, object_id)) AS files
    FROM casework_auditread
    WHERE action = 'view' AND at > %(since)s AND at <= %(until)s
      AND (%(user_id)s::bigint IS NULL OR user_id = %(user_id)s::bigint)
    GROUP BY user_id
    HAVING COUNT(DISTINCT (content_type_id, object_id)) > %(threshold)s
"""


def _distinct_views(
    *, since: datetime, until: datetime, threshold: int, user_id: int | None = None
) -> dict[int, int]:
    """Users who viewed more than `threshold` distinct files in (since, until]."""
    params = {"since": since, "until": until, "threshold": threshold, "user_id": user_id}
    with connection.cursor() as cursor:
        cursor.execute(_DISTINCT_VIEWS, params)
        return dict(cursor.fetchall())


@transaction.atomic
def audit_unusual_reads_alert(*, now: datetime | None = None) -> int:
    """Tell the heads when someone opened more than AUDIT_READS_PER_HOUR_ALERT distinct
    files in the last hour; returns the number of new alerts.

    Safe to run twice and side by side: sweeps take turns on an advisory lock (a sweep
    that finds another running returns 0), one alert per user per clock hour is a
    unique constraint, and once a user has been reported only files opened after the
    alert count towards the next one, so one long session is one alert an hour.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [ALERT_SWEEP_LOCK])
        if not cursor.fetchone()[0]:
            return 0
    now = now or timezone.now()
    threshold = settings.AUDIT_READS_PER_HOUR_ALERT
    since = now - timedelta(hours=1)
    counts = _distinct_views(since=since, until=now, threshold=threshold)
    if not counts:
        return 0
    reported = dict(
        AuditAlert.objects.filter(user_id__in=counts, detected_at__gt=since)
        .values("user_id")
        .annotate(last=Max("detected_at"))
        .values_list("user_id", "last")
    )
    window_start = now.replace(minute=0, second=0, microsecond=0)
    created = 0
    for user_id, count in sorted(counts.items()):
        counted_from = reported.get(user_id, since)
        if user_id in reported:
            count = _distinct_views(
                since=counted_from, until=now, threshold=threshold, user_id=user_id
            ).get(user_id)
            if count is None:
                continue
        alert, is_new = AuditAlert.objects.get_or_create(
            user_id=user_id,
            window_start=window_start,
            defaults={
                "counted_from": counted_from,
                "detected_at": now,
                "count": count,
                "threshold": threshold,
            },
        )
        if is_new:
            _alert_notify(alert)
            created += 1
    return created


def alert_recipients(*, user: User) -> list[User]:
    """The heads of the user's organisations (never the user); administrators when the
    user has none."""
    from casework import selectors
    from casework.permissions import active_memberships

    recipients = []
    for membership in active_memberships().filter(user=user).select_related("organisation"):
        roles = ALERT_RECIPIENTS.get(membership.organisation.kind)
        if roles:
            recipients += selectors.organisation_staff(
                organisation_id=membership.organisation_id, roles=roles
            )
    recipients = [r for r in recipients if r.pk != user.pk]
    if recipients:
        return recipients
    administrators = active_memberships().filter(role=Role.ADMINISTRATOR).values("user_id")
    return list(
        User.objects.filter(is_active=True, pk__in=administrators)
        .exclude(pk=user.pk)
        .order_by("pk")
    )


def _alert_notify(alert: AuditAlert) -> None:
    from casework.services.notifications import notify_users

    user = User.objects.get(pk=alert.user_id)
    notify_users(
        alert_recipients(user=user),
        message=gettext_noop(
            "Unusual activity: %(user)s opened %(count)s files between %(start)s and %(end)s "
            "(the alert threshold is %(threshold)s files an hour)."
        ),
        params={
            "user": user.full_name,
            "count": alert.count,
            "start": f"{timezone.localtime(alert.counted_from):%d.%m.%Y %H:%M}",
            "end": f"{timezone.localtime(alert.detected_at):%H:%M}",
            "threshold": alert.threshold,
        },
        link=f"/staff/{user.pk}/",
    )
