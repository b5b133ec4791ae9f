"""Referral personas: the Bostandyk FSC and its specialist. The police unit, the inspector,
the referral helpers and the Almaly FSC staff are shared in tests/conftest.py."""

from datetime import datetime

import pytest
from django.utils import timezone

from casework.models import OrganisationKind, Role
from casework.working_days import ALMATY
from tests.factories import OrganisationFactory, staff


@pytest.fixture
def other_fsc(bostandyk):
    return OrganisationFactory(kind=OrganisationKind.FSC, district=bostandyk)


@pytest.fixture
def omar(other_fsc):
    """FSC specialist in Bostandyk: an FSC that receives nothing from Almaly."""
    return staff(Role.FSC_SPECIALIST, other_fsc, username="omar")


def almaty(*args) -> datetime:
    return datetime(*args, tzinfo=ALMATY)


@pytest.fixture
def now():
    return timezone.now()
