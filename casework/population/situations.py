"""Difficult life situations and police preventive registrations (`families` app), with
the children's status categories they imply."""

from datetime import timedelta

from children.models import StatusCategory
from families.models import DifficultSituation, PoliceRegistration

from . import people
from .households import Household
from .part import Part
from .registry import status_add

DIFFICULT_SITUATION_SHARE = 0.025  # of families with parents
# About 7,700 families registered with the police in the country: ~0.3% of families,
# far more often among families in a difficult situation.
POLICE_SHARE, POLICE_SHARE_IN_DIFFICULTY = 0.002, 0.05
POLICE_GROUNDS = [
    "Ненадлежащее исполнение родительских обязанностей",
    "Употребление алкоголя родителями",
    "Бытовое насилие в семье",
    "Самовольные уходы ребёнка из дома",
    "Правонарушение несовершеннолетнего",
]
INSPECTOR_RANKS = ["ст. лейтенант полиции", "капитан полиции", "майор полиции"]


def situations_fill(part: Part, home: Household) -> None:
    if home.without_care or not home.parents:
        return
    if part.chance(DIFFICULT_SITUATION_SHARE):
        _difficult_situation(part, home)
    if part.chance(POLICE_SHARE_IN_DIFFICULTY if home.in_difficult_situation else POLICE_SHARE):
        police_registration_add(part, home, registered_on=None)


def _difficult_situation(part: Part, home: Household) -> None:
    """`difficult_situation_recognise`, and for some families its end."""
    rng = part.rng
    opened = part.day(home.opened_at)
    latest = part.today - timedelta(days=5)
    if opened >= latest:
        return
    recognised = opened + timedelta(days=rng.randint(0, (latest - opened).days))
    ended = None
    if rng.random() < 0.3:
        ended = recognised + timedelta(days=rng.randint(60, 500))
        if ended >= part.today:
            ended = None
    situation = part.add(
        DifficultSituation,
        family=home.family,
        other_ground="",
        recognised_on=recognised,
        recognised_by=home.specialist,
        ended_on=ended,
        end_note="Семья вышла из трудной жизненной ситуации" if ended else "",
    )
    for ground in rng.sample(part.world.grounds, rng.randint(1, 3)):
        part.add(
            DifficultSituation.grounds.through,
            difficultsituation=situation,
            difficultsituationground=ground,
        )
    for kid in home.kids:
        if kid.born <= recognised:
            status_add(part, kid, StatusCategory.DIFFICULT_SITUATION, recognised, ended)
    home.in_difficult_situation = ended is None


def police_registration_add(part: Part, home: Household, *, registered_on, referral=None):
    """`police_registration_add`: the family, or a teenager of it, on the preventive
    register; a teenager is then a child in conflict with the law."""
    rng = part.rng
    if registered_on is None:
        opened = part.day(home.opened_at)
        latest = part.today - timedelta(days=2)
        if opened >= latest:
            return None
        registered_on = opened + timedelta(days=rng.randint(0, (latest - opened).days))
    teenagers = [kid for kid in home.kids if kid.age(registered_on) >= 14]
    kid = rng.choice(teenagers) if teenagers and rng.random() < 0.5 else None
    person = kid.person if kid else (rng.choice(home.parents)[0] if home.parents else None)
    deregistered = None
    if rng.random() < 0.35:
        deregistered = registered_on + timedelta(days=rng.randint(90, 400))
        if deregistered >= part.today:
            deregistered = None
    inspector = people.family_name(rng)
    part.add(
        PoliceRegistration,
        family=home.family,
        person=person,
        referral=referral,
        registered_on=registered_on,
        police_unit=home.district.police_name,
        inspector=f"{rng.choice(INSPECTOR_RANKS)} {inspector.male} {rng.choice(people.MEN)[0]}.",
        ground=rng.choice(POLICE_GROUNDS),
        deregistered_on=deregistered,
        deregistration_reason="Исправление поведения, снят с учёта" if deregistered else "",
    )
    if kid is not None:
        status_add(part, kid, StatusCategory.CONFLICT_WITH_LAW, registered_on, deregistered)
    home.police_registered = True
    return registered_on
