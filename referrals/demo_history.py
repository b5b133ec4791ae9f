"""A year of past police notices for the demo, so dashboards show a lived-in trend.

Each notice goes the whole way through the real services at its own moment in the past:
registered, transferred by guardianship in time (or forwarded by the sweep at the deadline,
with a breach), picked up by the FSC, its case closed and guardianship informed. Nothing is
left open, so today's worklists and inboxes are not flooded with old work.
"""

import random
from datetime import timedelta

from django.db.models import Max
from django.utils import timezone

from casework.models import Case, ClosureOutcome, Notification, Organisation, Role
from casework.permissions import active_memberships
from casework.services import case_notices, cases
from casework.services.notifications import notifications_file_away
from casework.services.timers import timers_sweep
from casework.working_days import ALMATY

from . import services
from .demo import FAMILY, _service_account
from .models import ReferralKind

HISTORY_MONTHS = 11  # the months before the current one
DISTRICTS = ("ALM-ALM", "ALM-BOS")
# How often each district transferred in time: the dashboards compare them.
IN_TIME_SHARE = {"ALM-ALM": 0.85, "ALM-BOS": 0.7}


def seed_notice_history(*, organisations: dict[str, Organisation]) -> int:
    """Past notices for the demo districts (idempotent: keyed by external reference)."""
    rng = random.Random(31)
    staff = {
        (code, role): _first_staff(organisations[f"{code}:{kind}"], role)
        for code in DISTRICTS
        for kind, role in (
            ("guardianship", Role.GUARDIANSHIP_SPECIALIST),
            ("fsc", Role.FSC_SPECIALIST),
        )
    }
    today = timezone.now().astimezone(ALMATY).replace(hour=10, minute=0, second=0, microsecond=0)
    created = 0
    before = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    for months_ago in range(HISTORY_MONTHS, 0, -1):
        month = (today.replace(day=1) - timedelta(days=31 * (months_ago - 1) + 1)).replace(day=1)
        for code in DISTRICTS:
            for number in range(rng.randrange(3, 6)):
                registered = month.replace(day=rng.randrange(2, 26), hour=rng.randrange(9, 17))
                in_time = rng.random() < IN_TIME_SHARE[code]
                reference = f"HIST-{code}-{registered:%Y%m}-{number}"
                family = rng.choice(FAMILY)
                created += _notice(
                    organisations, staff, code, reference, registered, in_time, family
                )
    # The reminders and breach alerts of past months are old news to the demo's users.
    notifications_file_away(
        notification_ids=Notification.objects.filter(pk__gt=before).values("pk")
    )
    return created


def _notice(organisations, staff, code, reference, registered, in_time, family) -> int:
    police = organisations[f"{code}:police"]
    guardianship = organisations[f"{code}:guardianship"]
    referral, created = services.referral_create(
        data=services.ReferralInput(
            kind=ReferralKind.POLICE_NOTICE,
            district=guardianship.district,
            channel="api",
            source_organisation=police,
            external_reference=reference,
            family_name=family,
            narrative="Синтетическое уведомление прошлых месяцев (демо).",
            registered_at=registered,
            police_unit=str(police),
            inspector="инспектор (демо)",
            ground="Профилактический учёт (демо)",
        ),
        by=_service_account(police, printed_key=code == "ALM-ALM"),
        now=registered,
    )
    if not created:
        return 0
    if in_time:
        transferred_at = registered + timedelta(hours=3)
        services.referral_transfer(
            referral=referral,
            by=staff[code, Role.GUARDIANSHIP_SPECIALIST],
            now=transferred_at,
        )
    else:
        transferred_at = referral.transfer_due_at + timedelta(minutes=1)
        timers_sweep(now=transferred_at)
        referral.refresh_from_db()
    _work_through(referral, staff[code, Role.FSC_SPECIALIST], transferred_at)
    return 1


def _work_through(referral, specialist, transferred_at) -> None:
    """The FSC's part: pickup, a closed case, guardianship told of each step in time."""
    picked_up = transferred_at + timedelta(hours=2)
    services.referral_pick_up(referral=referral, by=specialist, now=picked_up)
    case = Case.objects.get(referral=referral)
    case_notices.case_inform_guardianship(
        case=case, by=specialist, now=picked_up + timedelta(hours=1)
    )
    closed = picked_up + timedelta(days=20)
    cases.case_close(
        case=case, by=specialist, outcome=ClosureOutcome.LEFT_DIFFICULT_SITUATION, now=closed
    )
    case_notices.case_inform_guardianship(case=case, by=specialist, now=closed + timedelta(hours=1))


def _first_staff(organisation: Organisation, role: str):
    membership = (
        active_memberships()
        .filter(organisation=organisation, role=role)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user
