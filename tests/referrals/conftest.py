"""Referral fixtures: a police unit, FSC head, and helpers that register referrals
through the real services (so timers and events exist as in production)."""

from datetime import datetime

import pytest
from django.utils import timezone

from casework.models import OrganisationKind, Role
from casework.working_days import ALMATY
from referrals import services
from referrals.models import ConcernCategory, ReferralKind
from tests.factories import OrganisationFactory, staff


@pytest.fixture
def police(almaly):
    return OrganisationFactory(kind=OrganisationKind.POLICE, district=almaly)


@pytest.fixture
def other_fsc(bostandyk):
    return OrganisationFactory(kind=OrganisationKind.FSC, district=bostandyk)


@pytest.fixture
def gulnara(fsc):
    """FSC head, Almaly."""
    return staff(Role.FSC_HEAD, fsc, username="gulnara")


@pytest.fixture
def farida(fsc):
    """A second FSC specialist, Almaly."""
    return staff(Role.FSC_SPECIALIST, fsc, username="farida")


@pytest.fixture
def omar(other_fsc):
    """FSC specialist in Bostandyk: an FSC that receives nothing from Almaly."""
    return staff(Role.FSC_SPECIALIST, other_fsc, username="omar")


@pytest.fixture
def pavel(police):
    """Juvenile police inspector (referrer), Almaly."""
    return staff(Role.REFERRER, police, username="pavel")


@pytest.fixture
def make_concern(almaly, guardianship, school, rita):
    def make(*, by=None, now=None, **fields):
        data = {
            "kind": ReferralKind.CONCERN,
            "district": almaly,
            "source_organisation": school,
            "child_name": "Аружан Синтетикова",
            "categories": [ConcernCategory.SCHOOL_ABSENCE],
            "narrative": "Не посещает школу две недели.",
            **fields,
        }
        referral, _created = services.referral_create(
            data=services.ReferralInput(**data), by=by or rita, now=now
        )
        return referral

    return make


@pytest.fixture
def make_notice(almaly, guardianship, police, pavel, fsc):
    def make(*, registered_at: datetime, by=None, now=None, **fields):
        data = {
            "kind": ReferralKind.POLICE_NOTICE,
            "district": almaly,
            "source_organisation": police,
            "channel": "api",
            "family_name": "Синтетиковы",
            "narrative": "Семья поставлена на профилактический учёт.",
            "registered_at": registered_at,
            "police_unit": "ОП Алмалинского района",
            "inspector": "Инспектор (синтетический)",
            "ground": "Профилактический учёт",
            **fields,
        }
        referral, _created = services.referral_create(
            data=services.ReferralInput(**data), by=by or pavel, now=now or registered_at
        )
        return referral

    return make


def almaty(*args) -> datetime:
    return datetime(*args, tzinfo=ALMATY)


@pytest.fixture
def now():
    return timezone.now()
