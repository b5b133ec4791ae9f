"""Signing in: lockout after repeated failures, strong passwords, the second factor
(mandatory for heads, the commission and administrators, optional for the others)."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.models import Notification
from casework.services.two_factor import current_code
from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"


def sign_in(client: Client, user, password=PASSWORD, ip="10.0.0.1", next_url=""):
    target = f"{LOGIN}?next={next_url}" if next_url else LOGIN
    return client.post(
        target,
        {"username": user.username, "password": password, "next": next_url},
        REMOTE_ADDR=ip,
        HTTP_ACCEPT_LANGUAGE="ru",
    )


def code_after(device: TOTPDevice, steps: int = 0) -> str:
    """The code the device's app shows now, or `steps` time steps later."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + steps * device.step
    return f"{totp.token():06d}"


# --- lockout ---------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_username_on_that_computer_for_15_minutes(alice):
    client = Client()
    for _ in range(4):
        assert sign_in(client, alice, "wrong-password-123").status_code == 200
    assert sign_in(client, alice, "wrong-password-123").status_code == 429  # the fifth
    locked = sign_in(client, alice)  # even the right password
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "заблокирован" in page and "15" in page
    assert "_auth_user_id" not in client.session
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert sign_in(Client(), alice).status_code == 302


def test_the_lockout_is_per_username_and_address(alice, bob):
    for _ in range(5):
        sign_in(Client(), alice, "wrong-password-123", ip="10.0.0.1")
    assert sign_in(Client(), alice, ip="10.0.0.1").status_code == 429
    assert sign_in(Client(), alice, ip="10.0.0.2").status_code == 302
    assert sign_in(Client(), bob, ip="10.0.0.1").status_code == 302


def test_a_successful_sign_in_clears_the_failures(alice):
    for _ in range(4):
        sign_in(Client(), alice, "wrong-password-123")
    assert sign_in(Client(), alice).status_code == 302
    for _ in range(4):
        sign_in(Client(), alice, "wrong-password-123")
    assert sign_in(Client(), alice).status_code == 302


def test_the_lockout_page_speaks_kazakh(alice):
    for _ in range(5):
        sign_in(Client(), alice, "wrong-password-123")
    page = Client().post(
        LOGIN,
        {"username": alice.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_ACCEPT_LANGUAGE="kk",
    )
    assert page.status_code == 429
    assert 'lang="kk"' in page.content.decode()
    assert "бұғатталды" in page.content.decode()


# --- passwords ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password", ["short-pw-1", "123456789012345", "password1234", "qwertyuiop12"]
)
def test_weak_passwords_are_refused_with_a_reason_in_russian(alice, password):
    with translation.override("ru"), pytest.raises(ValidationError) as refused:
        validate_password(password, user=alice)
    assert any(ch in " ".join(refused.value.messages) for ch in "аеиоу")


def test_a_long_unusual_passphrase_is_accepted(alice):
    validate_password("tulip-steppe-kettle-2026", user=alice)


# --- the second factor -------------------------------------------------------------------


def test_a_head_sets_up_the_authenticator_at_the_first_sign_in(hanna):
    client = Client()
    response = sign_in(client, hanna, next_url="/referrals/")
    assert response.status_code == 302
    # Nothing but the second-factor pages until it is done.
    blocked = client.get("/referrals/")
    assert blocked.status_code == 302
    assert blocked["Location"].startswith(reverse("two_factor_setup"))
    setup = client.get(blocked["Location"])
    assert setup.status_code == 200
    assert "data:image/svg+xml;base64," in setup.content.decode()
    device = TOTPDevice.objects.get(user=hanna, confirmed=False)

    wrong = client.post(reverse("two_factor_setup"), {"token": "000000", "next": "/referrals/"})
    assert wrong.status_code == 200
    assert "не подходит" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=hanna, confirmed=True).exists()

    # The wrong code slowed the device down for a second: the next code comes later.
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        accepted = client.post(
            reverse("two_factor_setup"), {"token": code_after(device), "next": "/referrals/"}
        )
        assert accepted.status_code == 302
        assert accepted["Location"] == "/referrals/"
        assert client.get("/referrals/").status_code == 200
    assert TOTPDevice.objects.get(user=hanna).confirmed


def test_a_head_with_an_authenticator_enters_its_code_at_every_sign_in(hanna):
    device = TOTPDevice.objects.create(user=hanna, name="authenticator", confirmed=True)
    client = Client()
    sign_in(client, hanna)
    to_verify = client.get("/")
    assert to_verify["Location"].startswith(reverse("two_factor_verify"))
    assert client.post(reverse("two_factor_verify"), {"token": "12ab56"}).status_code == 200
    assert client.post(reverse("two_factor_verify"), {"token": code_after(device)}).status_code == (
        302
    )
    assert client.get("/").status_code == 200


def test_a_code_cannot_be_used_twice(hanna):
    device = TOTPDevice.objects.create(user=hanna, name="authenticator", confirmed=True)
    code = code_after(device)
    first, second = Client(), Client()
    sign_in(first, hanna)
    sign_in(second, hanna)
    assert first.post(reverse("two_factor_verify"), {"token": code}).status_code == 302
    replay = second.post(reverse("two_factor_verify"), {"token": code})
    assert replay.status_code == 200
    assert second.get("/").status_code == 302


def test_wrong_codes_slow_down_guessing(hanna):
    device = TOTPDevice.objects.create(user=hanna, name="authenticator", confirmed=True)
    client = Client()
    sign_in(client, hanna)
    with time_machine.travel(timezone.now(), tick=False):
        client.post(reverse("two_factor_verify"), {"token": "000000"})
        refused = client.post(reverse("two_factor_verify"), {"token": code_after(device)})
    assert refused.status_code == 200
    assert "Подождите" in refused.content.decode()
    assert client.get("/").status_code == 302


def test_the_commission_and_the_administrator_need_a_second_factor_too(kairat, adam):
    for user in (kairat, adam):
        client = Client()
        sign_in(client, user)
        assert client.get("/")["Location"].startswith(reverse("two_factor_setup"))


def test_the_admin_site_goes_through_the_same_sign_in(adam):
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/admin/"
    client = Client()
    sign_in(client, adam)
    assert client.get("/admin/")["Location"].startswith(reverse("two_factor_setup"))


def test_an_unverified_session_gets_no_api_data(hanna):
    client = Client()
    sign_in(client, hanna)
    response = client.get("/api/v1/me/")
    assert response.status_code == 401


def test_a_specialist_signs_in_with_the_password_alone(alice):
    client = Client()
    assert sign_in(client, alice)["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.get(f"/staff/{alice.pk}/").status_code == 200


def test_a_specialist_may_turn_the_second_factor_on_and_off(alice):
    client = Client()
    sign_in(client, alice)
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=alice)
    assert client.post(reverse("two_factor_setup"), {"token": code_after(device)}).status_code == (
        302
    )
    later = Client()
    sign_in(later, alice)
    assert later.get("/")["Location"].startswith(reverse("two_factor_verify"))
    later.post(reverse("two_factor_verify"), {"token": code_after(device, steps=1)})
    assert later.post(reverse("two_factor_turn_off")).status_code == 302
    assert not TOTPDevice.objects.filter(user=alice).exists()


def test_a_head_may_not_turn_it_off(hanna, client_for):
    assert client_for(hanna).post(reverse("two_factor_turn_off")).status_code == 403
    assert TOTPDevice.objects.filter(user=hanna).exists()


def test_it_can_be_required_of_everyone(alice, settings):
    settings.TWO_FACTOR_REQUIRED_FOR_ALL = True
    client = Client()
    sign_in(client, alice)
    assert client.get("/")["Location"].startswith(reverse("two_factor_setup"))


def test_an_administrator_resets_a_lost_authenticator_and_the_user_is_told(adam, hanna, client_for):
    client_for(hanna)  # hanna has an authenticator
    page = client_for(adam).get(f"/staff/{hanna.pk}/")
    assert reverse("two_factor_reset", args=[hanna.pk]) in page.content.decode()
    response = client_for(adam).post(reverse("two_factor_reset", args=[hanna.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=hanna).exists()
    assert Notification.objects.filter(recipient=hanna, subject__contains="сброс").exists()
    client = Client()
    sign_in(client, hanna)
    assert client.get("/")["Location"].startswith(reverse("two_factor_setup"))


def test_only_an_administrator_resets_it(hanna, alice, client_for):
    client_for(hanna)
    assert client_for(alice).post(reverse("two_factor_reset", args=[hanna.pk])).status_code == 403
    assert TOTPDevice.objects.filter(user=hanna).exists()


def test_the_demo_code_command_prints_only_demo_codes(hanna, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from casework.services.two_factor import demo_two_factor_ensure

    with pytest.raises(CommandError):
        call_command("demo_code", hanna.username)  # no demo key
    device = demo_two_factor_ensure(user=hanna)
    call_command("demo_code", hanna.username)
    assert capsys.readouterr().out.strip() == current_code(device=device)
    device.key = "ab" * 20
    device.save(update_fields=["key"])
    with pytest.raises(CommandError):
        call_command("demo_code", hanna.username)
