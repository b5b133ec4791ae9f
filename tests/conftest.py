"""Personas (DESIGN.md section 2) in two districts of one city and one of another region.

alice   guardianship specialist, Almaly district
bob     guardianship specialist, Almaly (alice's colleague)
hanna   head of Almaly guardianship
oscar   guardianship specialist, Bostandyk district (outsider)
fatima  FSC specialist, Almaly
gulnara FSC head, Almaly
farida  FSC specialist, Almaly (fatima's colleague)
kairat  KDN member, Almaly
rita    referrer (school), Almaly
sam     referrer (school), Bostandyk
nina    analyst (city analytics)
adam    administrator (operator)
"""

import signal
import uuid
from contextlib import contextmanager
from datetime import datetime

import pytest
from celery import Celery
from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.account_selectors import two_factor_required
from casework.models import OrganisationKind, Role
from casework.working_days import ALMATY
from referrals import services as referral_services
from referrals.models import ConcernCategory, ReferralKind
from tests.factories import DistrictFactory, OrganisationFactory, RegionFactory, staff

PASSWORD = "correct-horse-battery"

# Every persona has a real password, hashed cheaply: production's PBKDF2 costs about half
# a second a user, which made fixtures slower than the tests. (Production keeps Django's
# default hashers; tests/casework/test_settings.py checks that.)
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def region(db):
    return RegionFactory(code="ALM", name_ru="город Алматы")


@pytest.fixture
def almaly(region):
    return DistrictFactory(region=region, code="ALM-ALM", name_ru="Алмалинский район")


@pytest.fixture
def bostandyk(region):
    return DistrictFactory(region=region, code="ALM-BOS", name_ru="Бостандыкский район")


def _org(kind, district=None, region=None):
    return OrganisationFactory(kind=kind, district=district, region=region or district.region)


@pytest.fixture
def guardianship(almaly):
    return _org(OrganisationKind.GUARDIANSHIP, almaly)


@pytest.fixture
def other_guardianship(bostandyk):
    return _org(OrganisationKind.GUARDIANSHIP, bostandyk)


@pytest.fixture
def fsc(almaly):
    return _org(OrganisationKind.FSC, almaly)


@pytest.fixture
def kdn(almaly):
    return _org(OrganisationKind.KDN, almaly)


@pytest.fixture
def school(almaly):
    return _org(OrganisationKind.SCHOOL, almaly)


@pytest.fixture
def other_school(bostandyk):
    return _org(OrganisationKind.SCHOOL, bostandyk)


@pytest.fixture
def alice(guardianship):
    return staff(
        Role.GUARDIANSHIP_SPECIALIST, guardianship, username="alice", phone="+7 701 000 00 01"
    )


@pytest.fixture
def bob(guardianship):
    return staff(Role.GUARDIANSHIP_SPECIALIST, guardianship, username="bob")


@pytest.fixture
def hanna(guardianship):
    return staff(Role.GUARDIANSHIP_HEAD, guardianship, username="hanna")


@pytest.fixture
def oscar(other_guardianship):
    return staff(Role.GUARDIANSHIP_SPECIALIST, other_guardianship, username="oscar")


@pytest.fixture
def fatima(fsc):
    return staff(Role.FSC_SPECIALIST, fsc, username="fatima")


@pytest.fixture
def gulnara(fsc):
    """FSC head, Almaly."""
    return staff(Role.FSC_HEAD, fsc, username="gulnara")


@pytest.fixture
def farida(fsc):
    """A second FSC specialist, Almaly (not on fatima's cases)."""
    return staff(Role.FSC_SPECIALIST, fsc, username="farida")


@pytest.fixture
def kairat(kdn):
    return staff(Role.KDN_MEMBER, kdn, username="kairat")


@pytest.fixture
def rita(school):
    return staff(Role.REFERRER, school, username="rita")


@pytest.fixture
def sam(other_school):
    return staff(Role.REFERRER, other_school, username="sam")


@pytest.fixture
def nina(region):
    analytics = _org(OrganisationKind.ANALYTICS, region=region)
    return staff(Role.ANALYST, analytics, username="nina")


@pytest.fixture
def adam(db):
    operator = OrganisationFactory(kind=OrganisationKind.OPERATOR, district=None, region=None)
    return staff(Role.ADMINISTRATOR, operator, username="adam")


@pytest.fixture(scope="session", autouse=True)
def celery_queue_of_the_test_run(worker_id):
    """Tasks that tests enqueue without a worker of their own (a notification's e-mail)
    go to a queue of this test process, emptied at the end, never to the deployment's
    queue, where a developer's `make run` worker would take them."""
    from casework.celery import app as project_app

    queue = f"qamqor-test-run-{worker_id}-{uuid.uuid4().hex[:8]}"
    before = project_app.conf.task_default_queue
    project_app.conf.task_default_queue = queue
    yield queue
    project_app.conf.task_default_queue = before
    try:
        with project_app.connection_for_write() as connection:
            connection.default_channel.client.delete(queue)
    except Exception:  # noqa: S110 - Redis already gone (a fault test): nothing to empty
        pass


@pytest.fixture
def client_for():
    """A signed-in client. Personas whose role requires a second factor have an
    authenticator and a session that has passed it, as after a real sign-in."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        if two_factor_required(user=user):
            pass_second_factor(client, user)
        return client

    return make


def pass_second_factor(client: Client, user) -> None:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


class _Overtime(BaseException):
    """Not an Exception: the code under test may catch those (a broker outage must not
    fail a request) and carry on into the next wait."""


@contextmanager
def fails_after(seconds: int, what: str):
    """Fail, rather than hang, when the block takes longer than `seconds` (the alarm
    interrupts even a blocking socket read; main thread only)."""

    def alarm(signum, frame):
        raise _Overtime

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    except _Overtime:
        raise AssertionError(f"{what} took {seconds} s or more") from None
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def celery_app_on(broker_url: str, worker_id: str) -> Celery:
    """A Celery app (the current one from now on) with the project's settings, on
    `broker_url`, with a queue of its own."""
    app = Celery("qamqor-test", set_as_current=True)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.broker_url = broker_url
    # A queue per test: nothing left over by one test can reach another's worker.
    app.conf.task_default_queue = f"qamqor-test-{worker_id}-{uuid.uuid4().hex[:8]}"
    app.conf.beat_schedule = {}
    import casework.tasks  # noqa: F401 - registers the shared tasks on this app

    app.finalize()
    return app


@pytest.fixture
def project_celery_app_restored():
    """Whatever Celery app a test makes current, the project's is current again after."""
    yield
    from casework.celery import app as project_app

    project_app.set_current()


@pytest.fixture
def celery_app(worker_id, project_celery_app_restored):
    """A Celery app on the real Redis, with a queue of its own per test process, so that
    parallel test processes (and a running `make run`) never take each other's tasks."""
    app = celery_app_on(settings.REDIS_URL, worker_id)
    yield app
    with app.connection_for_write() as connection:
        connection.default_channel.client.delete(app.conf.task_default_queue)


# --- referrals, registered through the real services (timers and events as in production)


@pytest.fixture
def police(almaly):
    return OrganisationFactory(kind=OrganisationKind.POLICE, district=almaly)


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
        referral, _created = referral_services.referral_create(
            data=referral_services.ReferralInput(**data), by=by or rita, now=now
        )
        return referral

    return make


@pytest.fixture
def make_notice(almaly, guardianship, police, pavel, fsc):
    def make(*, registered_at: datetime | None = None, by=None, now=None, **fields):
        registered_at = registered_at or datetime(2026, 4, 6, 11, 0, tzinfo=ALMATY)
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
        referral, _created = referral_services.referral_create(
            data=referral_services.ReferralInput(**data), by=by or pavel, now=now or registered_at
        )
        return referral

    return make
