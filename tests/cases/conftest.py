"""Casework personas: the FSC head, a second specialist, the commission's secretary and
members, and a case opened the way it is in life: a police notice picked up from the
FSC inbox."""

from datetime import datetime

import pytest

from casework.models import AssessmentDomain, Case, Role
from casework.services import cases
from casework.working_days import ALMATY
from families.models import DifficultSituationGround
from families.reference import difficult_situation_grounds_ensure
from referrals import services as referral_services
from tests.children.conftest import make_child  # noqa: F401 - shared fixture
from tests.factories import staff

# Monday 6 April 2026, 11:00 in Almaty: an ordinary working week.
PICKUP = datetime(2026, 4, 6, 11, 0, tzinfo=ALMATY)


def almaty(*args) -> datetime:
    return datetime(*args, tzinfo=ALMATY)


@pytest.fixture(autouse=True)
def grounds(db):
    difficult_situation_grounds_ensure()


@pytest.fixture
def saule(kdn):
    """The commission's secretary, Almaly."""
    return staff(Role.KDN_SECRETARY, kdn, username="saule")


@pytest.fixture
def marat(kdn):
    """A second KDN member, Almaly."""
    return staff(Role.KDN_MEMBER, kdn, username="marat")


@pytest.fixture
def dana(kdn):
    """A KDN member who does not sit on the meeting under test."""
    return staff(Role.KDN_MEMBER, kdn, username="dana")


@pytest.fixture
def make_case(make_notice, alice, fatima, fsc, guardianship, gulnara):
    """A police notice transferred by alice and picked up by fatima, which opens the case."""

    def make(*, at: datetime = PICKUP, **fields) -> Case:
        notice = make_notice(registered_at=at, **fields)
        referral_services.referral_transfer(referral=notice, by=alice, now=at)
        referral_services.referral_pick_up(referral=notice, by=fatima, now=at)
        return Case.objects.get(referral=notice)

    return make


@pytest.fixture
def case(make_case) -> Case:
    return make_case()


def rate_everything(case, by, *, in_situation=True):
    ground = DifficultSituationGround.objects.filter(is_other=False).first()
    cases.assessment_save(
        case=case,
        by=by,
        ratings={d.value: (2, f"Синтетическое наблюдение: {d.label}") for d in AssessmentDomain},
        in_difficult_situation=in_situation,
        grounds=[ground] if in_situation else [],
        conclusion="Семья нуждается в поддержке.",
    )
