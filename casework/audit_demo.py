"""Demo audit for `seed_demo`: three weeks of reads of the first Almaly child's file (the
one on the commission's agenda), and one afternoon when a specialist opened far more
files than usual, which the unusual-activity sweep reported to the head."""

import random
from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from casework.models import AgendaItem, AuditAlert, Organisation, ReadAction, User
from casework.services.audit import audit_read_history_record, audit_unusual_reads_alert


def seed_audit(*, organisations: dict[str, Organisation], users: dict[str, User]) -> None:
    from children.models import Child
    from referrals.models import Referral

    specialist = users["opeka2"]
    if AuditAlert.objects.filter(user=specialist).exists():
        return  # seeded once; a second run adds nothing
    district = organisations["ALM-ALM:guardianship"].district
    child = Child.objects.filter(district=district).order_by("pk").first()
    if child is None:
        return
    rng = random.Random(17)
    now = timezone.now()
    _file_reads(child, users, now, rng)
    referrals = list(Referral.objects.filter(district=district).order_by("pk")[:200])
    afternoon = _afternoon(now - timedelta(days=1))
    opened = min(len(referrals), settings.AUDIT_READS_PER_HOUR_ALERT + 14)
    for n, referral in enumerate(rng.sample(referrals, opened)):
        audit_read_history_record(
            user=specialist,
            obj=referral,
            at=afternoon + timedelta(seconds=35 * n + rng.randrange(20)),
            path=f"/referrals/{referral.pk}/",
            ip="10.20.1.12",
        )
    audit_unusual_reads_alert(now=afternoon + timedelta(seconds=35 * opened + 300))


def _afternoon(day: datetime) -> datetime:
    local = timezone.localtime(day)
    return datetime.combine(local.date(), time(15, 10), tzinfo=local.tzinfo)


def _file_reads(child, users: dict[str, User], now: datetime, rng: random.Random) -> None:
    """About thirty reads over three weeks, as a busy file gets them."""
    base = f"/registry/children/{child.pk}/"
    item = AgendaItem.objects.filter(child=child).order_by("pk").first()
    visits = [
        (users["opeka"], base, ReadAction.VIEW, "10.20.1.11", 14),
        (users["opeka"], f"{base}edit/", ReadAction.VIEW, "10.20.1.11", 3),
        (users["opeka2"], base, ReadAction.VIEW, "10.20.1.12", 6),
        (users["opeka.head"], base, ReadAction.VIEW, "10.20.1.5", 3),
    ]
    if item is not None:
        visits += [
            (users["kdn"], f"/kdn/items/{item.pk}/", ReadAction.VIEW, "10.20.3.7", 2),
            (users["kdn"], f"/kdn/items/{item.pk}/packet.pdf", ReadAction.PRINT, "10.20.3.7", 1),
            (users["kdn.secretary"], f"/kdn/items/{item.pk}/", ReadAction.VIEW, "10.20.3.2", 2),
        ]
    for user, path, action, ip, count in visits:
        for _ in range(count):
            day = now - timedelta(days=rng.randrange(1, 22))
            at = _afternoon(day) - timedelta(hours=rng.randrange(0, 6), minutes=rng.randrange(60))
            audit_read_history_record(user=user, obj=child, at=at, path=path, action=action, ip=ip)
