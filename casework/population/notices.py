"""Police notices waiting for their transfer (`--open-notices`): registered by the police
API in the last working day or so, each with its open transfer timer due at the close of
the next working day, after the moment of generation. None is due and none reminded yet,
so the deadline sweep starts with nothing to do; they are in districts with a Family
Support Center, so the sweep can forward them once they are due."""

from datetime import timedelta

from casework.models import TimerKind
from referrals.models import Channel, EventKind, Referral, ReferralEvent, ReferralKind, Status

from . import people
from .part import Part
from .referrals import NOTICE_NARRATIVE, registration_window
from .timers import timer_add


def open_notices_fill(part: Part, count: int) -> None:
    rng = part.rng
    districts = [d for d in part.world.districts if d.fsc]
    weights = [d.share for d in districts]
    start, end = registration_window(part, before_reminder=True)
    for _ in range(count):
        d = rng.choices(districts, weights=weights)[0]
        registered = part.between(start, end)
        received = min(registered + timedelta(minutes=rng.uniform(1, 90)), part.now - timedelta(minutes=1))  # fmt: skip
        received = max(received, registered)
        due = part.deadlines.transfer_due(registered)
        family = people.family_name(rng)
        female = rng.random() < 0.49
        first = rng.choice(people.GIRLS if female else people.BOYS)
        number = f"{d.code}/O{part.index:03d}-{part.next_number('notice'):07d}"
        referral = part.add(
            Referral,
            kind=ReferralKind.POLICE_NOTICE,
            status=Status.REGISTERED,
            channel=Channel.API,
            district=d.id,
            source_organisation=d.police,
            source_person="",
            external_reference=f"POP-{number}",
            created_by=d.police_account,
            received_at=received,
            child_name=f"{family.female if female else family.male} {first}",
            child_birth_date=None,
            child_age=rng.randrange(1, 18),
            family_name=family.family,
            address=f"{rng.choice(people.STREETS)}, {rng.randrange(1, 220)}",
            child=None,
            categories=[],
            threat_to_life=False,
            narrative=NOTICE_NARRATIVE,
            registered_at=registered,
            police_unit=d.police_name,
            inspector=f"ст. лейтенант полиции {people.family_name(rng).male} {rng.choice(people.MEN)[0]}.",
            ground="Профилактический учёт: ненадлежащее исполнение родительских обязанностей",
            registration_number=number,
            transfer_due_at=due,
            fsc=None,
            transferred_at=None,
            transferred_automatically=False,
            assigned_to=None,
            picked_up_at=None,
            updated_at=received,
            archived_at=None,
            archived_by=None,
            archive_reason="",
        )  # fmt: skip
        part.add(ReferralEvent, referral=referral, at=received, kind=EventKind.CREATED, actor=d.police_account, from_status="", to_status=Status.REGISTERED, note="")  # fmt: skip
        timer_add(
            part, kind=TimerKind.REFERRAL_TRANSFER, subject=referral, subject_model="referrals.Referral",
            organisation=d.guardianship, started_at=received, due_at=due,
            remind_at=part.deadlines.transfer_remind(due), expiry_resolves=True,
        )  # fmt: skip
