"""The demo: every role lived-in, idempotent. Seeding is the slow part, so it runs once
for this module, inside a transaction rolled back at the end; each test runs in a
savepoint of its own on top of it."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from casework.management.commands.seed_demo import DEMO_LOGINS, DEMO_PASSWORD
from casework.models import (
    AuditAlert,
    AuditRead,
    Notification,
    Organisation,
    OrganisationKind,
    Role,
    StaffMembership,
    User,
)
from tests.conftest import pass_second_factor


def _counts():
    from casework.models import ArchiveEvent
    from children.models import Child
    from referrals.models import Referral

    return (
        User.objects.count(),
        Organisation.objects.count(),
        StaffMembership.objects.count(),
        AuditRead.objects.count(),
        AuditAlert.objects.count(),
        Notification.objects.count(),
        Child.objects.count(),
        Referral.objects.count(),
        ArchiveEvent.objects.count(),
    )


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("seed_demo", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_it_seeds_every_role_and_kind_and_is_idempotent(demo, db):
    first = _counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == first
    assert set(StaffMembership.objects.values_list("role", flat=True)) == set(Role.values)
    assert set(Organisation.objects.values_list("kind", flat=True)) == set(OrganisationKind.values)
    # One archived duplicate referral and one archived duplicate child's file in Almaly,
    # on the head's archive page.
    client = Client()
    client.force_login(User.objects.get(username="opeka.head"))
    pass_second_factor(client, User.objects.get(username="opeka.head"))
    rows = client.get("/registry/archive/").context["rows"]
    assert sorted(row.kind for row in rows) == ["child", "referral"]
    assert all(row.reason and row.archived_by.username == "opeka" for row in rows)


def test_every_demo_login_reaches_its_home_page(demo, db):
    for login in DEMO_LOGINS:
        client = Client()
        response = client.post(
            "/accounts/login/", {"username": login.username, "password": DEMO_PASSWORD}, follow=True
        )
        if login.role in settings.TWO_FACTOR_ROLES:
            # The demo's heads, commission and administrator pass the second factor with
            # the code `make code LOGIN=...` prints.
            assert response.redirect_chain[-1][0].startswith("/accounts/two-factor/")
            code = io.StringIO()
            call_command("demo_code", login.username, stdout=code)
            response = client.post(
                "/accounts/two-factor/", {"token": code.getvalue().strip()}, follow=True
            )
        assert response.redirect_chain[-1][0] == "/", login.username
        assert str(Role(login.role).label) in response.content.decode(), login.username


def test_the_demo_dashboards_show_a_year_of_history_without_flooding_anyone(demo, db):
    from casework.dashboards import dashboards_for
    from casework.models import Notification

    head = User.objects.get(username="opeka.head")
    [panel] = dashboards_for(user=head).guardianship
    measured = [p.value for p in panel.trend.points if p.value is not None]
    assert len(measured) >= 11 and min(measured) < 100  # a real trend, with late months
    assert panel.staffing.short_by > 0
    [area] = dashboards_for(user=User.objects.get(username="analyst")).analyst
    assert area.national_rate is not None
    # The past months' reminders and breach alerts are filed away, not waiting unread.
    assert Notification.objects.filter(recipient=head, read_at__isnull=True).count() < 10


def test_the_demo_head_sees_a_lived_in_who_viewed_and_one_unusual_activity_alert(demo, db):
    from django.urls import reverse

    from children.models import Child

    call_command("seed_demo", stdout=io.StringIO())  # a second run adds no second alert
    head = User.objects.get(username="opeka.head")
    client = Client()
    client.force_login(head)
    pass_second_factor(client, head)
    child = Child.objects.filter(district__code="ALM-ALM").order_by("pk").first()
    page = client.get(reverse("child_audit", args=[child.pk])).content.decode()
    readers = {"opeka", "opeka2", "kdn", "kdn.secretary"}
    for username in readers:
        assert User.objects.get(username=username).full_name in page, username
    assert reverse("audit_export") in page  # in the menu
    [alert] = AuditAlert.objects.all()
    assert alert.user.username == "opeka2"
    assert alert.count > alert.threshold
    [notice] = Notification.objects.filter(recipient=head, subject__contains=alert.user.full_name)
    assert notice.read_at is None
