import io

from django.core.management import call_command
from django.test import Client

from casework.management.commands.seed_demo import DEMO_LOGINS, DEMO_PASSWORD
from casework.models import Organisation, OrganisationKind, Role, StaffMembership, User


def _counts():
    return (User.objects.count(), Organisation.objects.count(), StaffMembership.objects.count())


def test_it_seeds_every_role_and_kind_and_is_idempotent(db):
    call_command("seed_demo", stdout=io.StringIO())
    first = _counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == first
    assert set(StaffMembership.objects.values_list("role", flat=True)) == set(Role.values)
    assert set(Organisation.objects.values_list("kind", flat=True)) == set(OrganisationKind.values)


def test_every_demo_login_reaches_its_home_page(db):
    call_command("seed_demo", stdout=io.StringIO())
    for login in DEMO_LOGINS:
        client = Client()
        response = client.post(
            "/accounts/login/", {"username": login.username, "password": DEMO_PASSWORD}, follow=True
        )
        assert response.redirect_chain[-1][0] == "/", login.username
        assert str(Role(login.role).label) in response.content.decode(), login.username
