"""Registry fixtures: synthetic people, children and carers created through the real
services (so search keys, timers and notifications exist as in production)."""

import random
from datetime import date, datetime

import pytest

from casework.iin import synthetic_iin
from casework.models import OrganisationKind
from casework.working_days import ALMATY
from children.models import CarerKind, Sex
from children.services.carers import carer_register
from children.services.files import child_register
from children.services.people import PersonInput, person_create
from tests.factories import OrganisationFactory

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
