"""Pages: login, role home, staff profiles with audited reads, editing, language, calendar."""

import pytest
from django.urls import reverse
from pghistory.models import Events

from casework.models import AuditRead, User


def test_it_serves_the_login_page_to_anonymous_users(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    page = client.get(response.url)
    assert page.status_code == 200
    assert "Войти" in page.content.decode()  # Russian by default


def test_it_logs_in_with_a_password_and_lands_on_home(alice, client):
    response = client.post(
        reverse("login"), {"username": "alice", "password": "correct-horse-battery"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Специалист органа опеки" in response.content.decode()


def test_a_wrong_password_is_a_clear_error(alice, client):
    response = client.post(reverse("login"), {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert "Неверное имя пользователя или пароль" in response.content.decode()


def test_opening_a_profile_writes_an_audit_row(alice, bob, client_for):
    response = client_for(alice).get(reverse("staff_detail", args=[bob.pk]), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    assert bob.last_name in response.content.decode()
    row = AuditRead.objects.get()
    assert (row.user, row.object_id, row.action, row.ip) == (alice, str(bob.pk), "view", "10.1.2.3")
    assert row.path == reverse("staff_detail", args=[bob.pk])


def test_a_user_of_another_district_gets_404_and_no_data(oscar, alice, client_for):
    response = client_for(oscar).get(reverse("staff_detail", args=[alice.pk]))
    assert response.status_code == 404
    assert alice.phone not in response.content.decode()
    assert not AuditRead.objects.exists()


def test_editing_someone_elses_profile_is_403(alice, bob, client_for):
    client = client_for(alice)
    assert client.get(reverse("staff_edit", args=[bob.pk])).status_code == 403
    assert client.post(reverse("staff_edit", args=[bob.pk]), {"last_name": "X"}).status_code == 403
    bob.refresh_from_db()
    assert bob.last_name != "X"


def _profile_form(user, **changes):
    data = {
        "last_name": user.last_name,
        "first_name": user.first_name,
        "patronymic": user.patronymic,
        "email": user.email,
        "phone": user.phone,
        "preferred_language": user.preferred_language,
    }
    return {**data, **changes}


def test_a_bad_phone_is_a_translated_error_that_keeps_the_input(alice, client_for):
    response = client_for(alice).post(
        reverse("staff_edit", args=[alice.pk]),
        _profile_form(alice, phone="12", last_name="Новая"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "от 10 до 15 цифр" in page
    assert 'value="Новая"' in page
    alice.refresh_from_db()
    assert alice.last_name != "Новая"


def test_a_profile_change_is_recorded_with_old_and_new_values_and_who(alice, hanna, client_for):
    old_phone = alice.phone
    response = client_for(hanna).post(
        reverse("staff_edit", args=[alice.pk]),
        _profile_form(alice, phone="+7 701 555 55 55"),
        REMOTE_ADDR="10.9.8.7",
    )
    assert response.status_code == 302
    event = Events.objects.references(alice).filter(pgh_label="update").get()
    assert event.pgh_diff == {"phone": [old_phone, "+7 701 555 55 55"]}
    assert event.pgh_context["user"] == hanna.pk
    assert event.pgh_context["ip"] == "10.9.8.7"


def test_bulk_updates_are_recorded_too(alice):
    User.objects.filter(pk=alice.pk).update(phone="+7 702 000 00 00")
    assert Events.objects.references(alice).filter(pgh_label="update").count() == 1


def test_the_staff_list_is_scoped_and_paginated(alice, oscar, client_for, guardianship):
    from casework.models import Role
    from tests.factories import staff

    for number in range(30):
        staff(Role.GUARDIANSHIP_SPECIALIST, guardianship, username=f"colleague{number}")
    client = client_for(alice)
    first = client.get(reverse("staff_list"))
    assert first.status_code == 200
    assert len(first.context["page"].object_list) == 25
    assert first.context["page"].paginator.count == 31
    assert oscar.username not in first.content.decode()
    second = client.get(reverse("staff_list"), {"page": 2})
    assert len(second.context["page"].object_list) == 6


def test_the_staff_list_costs_a_fixed_number_of_queries(
    alice, client_for, guardianship, django_assert_max_num_queries
):
    from casework.models import Role
    from tests.factories import staff

    for number in range(20):
        staff(Role.GUARDIANSHIP_SPECIALIST, guardianship, username=f"c{number}")
    client = client_for(alice)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("staff_list")).status_code == 200


def test_the_staff_list_searches_by_name(alice, bob, client_for):
    response = client_for(alice).get(reverse("staff_list"), {"q": bob.last_name})
    names = [person.pk for person in response.context["page"].object_list]
    assert bob.pk in names and alice.pk not in names


def test_the_language_switch_is_remembered_on_the_profile(alice, client_for):
    client = client_for(alice)
    response = client.post(reverse("language_switch"), {"language": "kk", "next": "/staff/"})
    assert response.status_code == 302 and response.url == "/staff/"
    alice.refresh_from_db()
    assert alice.preferred_language == "kk"
    fresh = client_for(alice)  # a new browser: the profile decides, not a cookie
    assert fresh.get(reverse("home")).headers["Content-Language"] == "kk"


def test_the_language_switch_refuses_unknown_languages_and_foreign_redirects(alice, client_for):
    client = client_for(alice)
    response = client.post(
        reverse("language_switch"), {"language": "xx", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response.url == "/"
    alice.refresh_from_db()
    assert alice.preferred_language == ""


def test_the_calendar_page_lists_days_off_and_working_weekends(alice, client_for):
    response = client_for(alice).get(reverse("calendar_year", args=[2024]))
    page = response.content.decode()
    assert "04.05.2024" in page  # the working Saturday
    assert "08.05.2024" in page
    assert "День Победы" in page


def test_the_calendar_page_rejects_absurd_years(alice, client_for):
    assert client_for(alice).get("/calendar/1200/").status_code == 404


@pytest.mark.parametrize("name", ["home", "staff_list", "calendar_current", "notification_list"])
def test_pages_require_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and reverse("login") in response.url


def test_the_api_says_who_i_am(alice, client_for, guardianship):
    response = client_for(alice).get(reverse("api_me"))
    assert response.status_code == 200
    assert response.json()["memberships"] == [
        {
            "organisation_id": guardianship.pk,
            "role": "guardianship_specialist",
            "district_id": guardianship.district_id,
        }
    ]


def test_the_api_refuses_anonymous_callers(client):
    response = client.get(reverse("api_me"))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"


def test_healthz_answers(client, db):
    assert client.get(reverse("healthz")).json()["status"] == "ok"
