"""Registry fixtures: synthetic people, children and carers created through the real
services (so search keys, timers and notifications exist as in production)."""

import random
from datetime import date, datetime

import pytest

from casework.iin import synthetic_iin
from casework.models import OrganisationKind, Role
from casework.working_days import ALMATY
from children.models import CarerKind, Sex
from children.services.carers import carer_register
from children.services.files import child_register
from children.services.people import PersonInput, person_create
from referrals import services as referral_services
from referrals.models import ConcernCategory, ReferralKind
from tests.factories import OrganisationFactory, staff

BIRTH = date(2015, 6, 14)
CARER_SURNAMES = [
    "Сейтжанова", "Омарбекова", "Тулегенова", "Жаксылыкова", "Ермекова", "Бекболатова",
    "Касымжанова", "Нуржанова", "Абилкасова", "Даулетова", "Мухтарова", "Сагындыкова",
]  # fmt: skip


def almaty(*args) -> datetime:
    return datetime(*args, tzinfo=ALMATY)


def iin_for(birth_date: date = BIRTH, sex: str = Sex.MALE, seed: int = 1) -> str:
    return synthetic_iin(birth_date, sex, random.Random(seed))


def person_input(district, **fields) -> PersonInput:
    data = {"last_name": "Нурланов", "first_name": "Ерлан", "district": district, **fields}
    return PersonInput(**data)


@pytest.fixture
def make_person(almaly, alice):
    def make(*, by=None, confirm_mismatch=False, **fields):
        fields.setdefault("district", almaly)
        return person_create(
            data=person_input(**fields), by=by or alice, confirm_mismatch=confirm_mismatch
        )

    return make


@pytest.fixture
def make_child(almaly, guardianship, alice):
    def make(*, by=None, confirm_mismatch=False, **fields):
        fields.setdefault("district", almaly)
        return child_register(
            data=person_input(**fields), by=by or alice, confirm_mismatch=confirm_mismatch
        )

    return make


@pytest.fixture
def make_carer(almaly, guardianship, make_person):
    surnames = iter(CARER_SURNAMES)

    def make(kind=CarerKind.FOSTER, *, district=None, approved_on=date(2026, 2, 10), **fields):
        fields.setdefault("last_name", next(surnames))
        fields.setdefault("first_name", "Гүлнар")
        fields.setdefault("district", district or almaly)
        person = make_person(**fields)
        return carer_register(
            person=person, kind=kind, district=district or almaly, approved_on=approved_on
        )

    return make


@pytest.fixture
def institution(almaly):
    return OrganisationFactory(kind=OrganisationKind.CHILDRENS_INSTITUTION, district=almaly)


@pytest.fixture
def police(almaly):
    return OrganisationFactory(kind=OrganisationKind.POLICE, district=almaly)


@pytest.fixture
def pavel(police):
    """Juvenile police inspector (referrer), Almaly."""
    return staff(Role.REFERRER, police, username="pavel")


@pytest.fixture
def make_notice(almaly, guardianship, police, pavel):
    """A police registration notice, registered through the referral services."""

    def make(*, registered_at=None, **fields):
        registered_at = registered_at or almaty(2026, 4, 6, 11, 0)
        data = {
            "kind": ReferralKind.POLICE_NOTICE,
            "district": almaly,
            "source_organisation": police,
            "channel": "api",
            "family_name": "Нурлановы",
            "narrative": "Семья поставлена на профилактический учёт.",
            "registered_at": registered_at,
            "police_unit": "ОП Алмалинского района",
            "inspector": "Инспектор (синтетический)",
            "ground": "Профилактический учёт",
            **fields,
        }
        referral, _created = referral_services.referral_create(
            data=referral_services.ReferralInput(**data), by=pavel, now=registered_at
        )
        return referral

    return make


@pytest.fixture
def make_concern(almaly, guardianship, school, rita):
    def make(**fields):
        data = {
            "kind": ReferralKind.CONCERN,
            "district": almaly,
            "source_organisation": school,
            "child_name": "Нурланов Ерлан",
            "categories": [ConcernCategory.SCHOOL_ABSENCE],
            "narrative": "Не посещает школу две недели.",
            **fields,
        }
        referral, _created = referral_services.referral_create(
            data=referral_services.ReferralInput(**data), by=rita
        )
        return referral

    return make
