"""Demo referrals for `seed_demo`: synthetic children in every state of the flow."""

import random
from datetime import timedelta

from django.utils import timezone

from casework.models import ApiToken, Organisation, User
from casework.services.api_tokens import api_token_create

from . import services
from .models import ConcernCategory, Referral, ReferralKind, Status

# A demo key, printed on purpose so people can try the API.
DEMO_POLICE_KEY = "demo-police-key-qamqor-2026"

CHILD_FIRST = ["Алихан", "Аружан", "Томирис", "Данияр", "Айлин", "Мирас", "Амина", "Санжар"]
FAMILY = ["Сапаровы", "Омаровы", "Нуртасовы", "Кенжеевы", "Бекмырзаевы", "Алтынбековы"]
STREETS = ["ул. Толе би", "ул. Жамбыла", "пр. Абая", "ул. Гагарина", "мкр. Аксай-2"]


def seed_referrals(*, organisations: dict[str, Organisation], users: dict[str, User]) -> None:
    rng = random.Random(11)
    now = timezone.now()
    almaly = organisations["ALM-ALM:guardianship"].district
    school, police = organisations["ALM-ALM:school"], organisations["ALM-ALM:police"]
    clinic = organisations["ALM-ALM:clinic"]
    plans = [
        # (reference, kind, source, days ago, status to reach, urgent)
        ("DEMO-01", ReferralKind.CONCERN, school, 0.1, Status.RECEIVED, False),
        ("DEMO-02", ReferralKind.CONCERN, clinic, 0.3, Status.RECEIVED, True),
        ("DEMO-03", ReferralKind.CONCERN, school, 6, Status.NO_ACTION, False),
        ("DEMO-04", ReferralKind.CONCERN, school, 9, Status.CASEWORK, False),
        ("DEMO-05", ReferralKind.CONCERN, clinic, 12, Status.SENT_TO_KDN, False),
        ("DEMO-06", ReferralKind.POLICE_NOTICE, police, 0.05, Status.REGISTERED, False),
        ("DEMO-07", ReferralKind.POLICE_NOTICE, police, 1.2, Status.REGISTERED, True),
        (
            "DEMO-08",
            ReferralKind.POLICE_NOTICE,
            police,
            5,
            Status.REGISTERED,
            False,
        ),  # the sweep forwards it
        ("DEMO-09", ReferralKind.POLICE_NOTICE, police, 3, Status.TRANSFERRED, False),
        ("DEMO-10", ReferralKind.CONCERN, school, 4, Status.TRANSFERRED, True),
        ("DEMO-11", ReferralKind.POLICE_NOTICE, police, 8, Status.IN_WORK, False),
        ("DEMO-12", ReferralKind.POLICE_NOTICE, police, 20, Status.CLOSED, False),
        ("DEMO-13", ReferralKind.CONCERN, school, 7, Status.RETURNED, False),
    ]
    specialist, fsc_worker = users["opeka"], users["cps"]
    for reference, kind, source, days_ago, target, urgent in plans:
        received = now - timedelta(days=days_ago)
        sender = _service_account(source)
        data = services.ReferralInput(
            kind=kind,
            district=almaly,
            channel="api",
            source_organisation=source,
            external_reference=reference,
            child_name=f"{rng.choice(CHILD_FIRST)} {rng.choice(FAMILY)[:-1]}",
            child_age=rng.randrange(3, 17),
            family_name=rng.choice(FAMILY),
            address=f"{rng.choice(STREETS)}, {rng.randrange(1, 200)}",
            categories=rng.sample(list(ConcernCategory.values), 2),
            threat_to_life=urgent,
            narrative="Синтетическое демонстрационное сообщение: описание ситуации в семье.",
            registered_at=received - timedelta(hours=2)
            if kind == ReferralKind.POLICE_NOTICE
            else None,
            police_unit=str(police) if kind == ReferralKind.POLICE_NOTICE else "",
            inspector="ст. лейтенант полиции (демо)" if kind == ReferralKind.POLICE_NOTICE else "",
            ground="Профилактический учёт (демо)" if kind == ReferralKind.POLICE_NOTICE else "",
            registration_number=f"{reference}-П" if kind == ReferralKind.POLICE_NOTICE else "",
        )
        referral, created = services.referral_create(data=data, by=sender, now=received)
        if created:
            _advance(referral, target, specialist, fsc_worker)


def _advance(referral, target, specialist, fsc_worker) -> None:
    steps = {
        Status.NO_ACTION: lambda r: services.referral_triage(
            referral=r,
            by=specialist,
            decision=Status.NO_ACTION,
            reason="Ситуация разрешена в школе (демо).",
        ),
        Status.CASEWORK: lambda r: services.referral_triage(
            referral=r, by=specialist, decision=Status.CASEWORK
        ),
        Status.SENT_TO_KDN: lambda r: services.referral_triage(
            referral=r, by=specialist, decision=Status.SENT_TO_KDN
        ),
    }
    if target in steps:
        steps[target](referral)
        return
    if target in {Status.TRANSFERRED, Status.IN_WORK, Status.CLOSED, Status.RETURNED}:
        referral = services.referral_transfer(referral=referral, by=specialist)
    if target in {Status.IN_WORK, Status.CLOSED}:
        referral = services.referral_pick_up(referral=referral, by=fsc_worker)
        referral = services.referral_start_work(referral=referral, by=fsc_worker)
    if target == Status.CLOSED:
        services.referral_close(
            referral=referral, by=fsc_worker, outcome="Семья вышла из трудной ситуации (демо)."
        )
    if target == Status.RETURNED:
        services.referral_return(
            referral=referral, by=fsc_worker, reason="Семья переехала в другой район (демо)."
        )


def _service_account(organisation: Organisation, *, printed_key: bool = True) -> User:
    """The organisation's API account; Almaly's police gets the key the README prints."""
    token = ApiToken.objects.filter(organisation=organisation).select_related("user").first()
    if token is None:
        key = DEMO_POLICE_KEY if organisation.kind == "police" and printed_key else None
        token, _key = api_token_create(organisation=organisation, name="Demo", by=None, key=key)
    return token.user


def seed_archived_referral(
    *, organisations: dict[str, Organisation], users: dict[str, User]
) -> None:
    """The school sent its first demo concern twice: the copy is archived as a duplicate,
    so `opeka.head` finds it on the archive page. Found by its reference: added once."""
    school = organisations["ALM-ALM:school"]
    original = Referral.objects.filter(
        source_organisation=school, external_reference="DEMO-01"
    ).first()
    if original is None:
        return
    data = services.ReferralInput(
        kind=ReferralKind.CONCERN,
        district=original.district,
        channel="api",
        source_organisation=school,
        external_reference="DEMO-01-BIS",
        child_name=original.child_name,
        child_age=original.child_age,
        family_name=original.family_name,
        address=original.address,
        categories=original.categories,
        narrative=original.narrative,
    )
    copy, created = services.referral_create(
        data=data, by=_service_account(school), now=original.received_at + timedelta(minutes=4)
    )
    if created:
        services.referral_archive(
            referral=copy,
            by=users["opeka"],
            reason=f"Дубликат направления № {original.number}: школа отправила его дважды (демо).",
        )
