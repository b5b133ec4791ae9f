"""Notifications are marked read in place (htmx) with the bell's count updated out of
band, and still by a plain form post without JavaScript."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from casework.models import Notification
from casework.services.notifications import notification_create

HTMX = {"HTTP_HX_REQUEST": "true"}
URL = "/notifications/read/"


def in_russian(text: str) -> str:
    with translation.override("ru"):
        return translation.gettext(text)


def bell_count(html: str) -> str | None:
    bell = re.search(r'<a id="bell"[^>]*>.*?</a>', html, re.S)
    assert bell, "the bell is in the answer"
    count = re.search(r'<span class="count">(\d+)</span>', bell.group(0))
    return count.group(1) if count else None


@pytest.fixture
def three(alice):
    return [
        notification_create(recipient=alice, subject=f"Тема {n}", body="Текст") for n in range(3)
    ]


def test_the_url_is_the_one_the_page_posts_to():
    assert reverse("notifications_mark_read") == URL


def test_it_marks_one_read_in_place_and_updates_the_bell(three, alice, client_for):
    client = client_for(alice)
    assert bell_count(client.get(reverse("notification_list")).content.decode()) == "3"

    response = client.post(URL, {"notification": three[0].pk}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.startswith(f'<tr id="notification-{three[0].pk}">')
    assert "<strong>" not in html.split("</tr>")[0]
    assert in_russian("Marked as read.") in html
    assert 'hx-swap-oob="true"' in html
    assert bell_count(html) == "2"
    three[0].refresh_from_db()
    assert three[0].read_at is not None
    assert Notification.objects.filter(recipient=alice, read_at__isnull=True).count() == 2


def test_it_marks_all_read_in_place(three, alice, client_for):
    response = client_for(alice).post(URL, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.startswith('<div id="notifications">')
    assert in_russian("All notifications are marked as read.") in html
    assert in_russian("Mark all as read") not in html
    assert bell_count(html) is None
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()


def test_without_javascript_it_marks_one_and_returns_to_the_list(three, alice, client_for):
    response = client_for(alice).post(URL, {"notification": three[1].pk})
    assert response.status_code == 302
    assert response.url == reverse("notification_list")
    assert list(
        Notification.objects.filter(recipient=alice, read_at__isnull=False).values_list(
            "pk", flat=True
        )
    ) == [three[1].pk]


def test_the_page_offers_both_in_place(three, alice, client_for):
    page = client_for(alice).get(reverse("notification_list")).content.decode()
    assert page.count('hx-target="closest tr"') == 3
    assert 'hx-target="#notifications"' in page
    assert f'name="notification" value="{three[2].pk}"' in page


@pytest.mark.parametrize("headers", [HTMX, {}])
def test_another_users_notification_is_not_found_and_stays_unread(
    headers, three, oscar, client_for
):
    response = client_for(oscar).post(URL, {"notification": three[0].pk}, **headers)
    assert response.status_code == 404
    three[0].refresh_from_db()
    assert three[0].read_at is None


@pytest.mark.parametrize("value", ["abc", "-1", "1" * 30, ""])
def test_a_malformed_number_is_not_found(value, alice, client_for):
    assert client_for(alice).post(URL, {"notification": value}, **HTMX).status_code == 404


def test_marking_all_read_touches_only_ones_own(three, oscar, client_for):
    notification_create(recipient=oscar, subject="Чужое", body="")
    client_for(oscar).post(URL, **HTMX)
    assert Notification.objects.filter(read_at__isnull=True).count() == 3


def test_an_anonymous_visitor_is_sent_to_sign_in(three, client):
    response = client.post(URL, {"notification": three[0].pk}, **HTMX)
    assert response.status_code == 302
    assert "/login" in response.url or "login" in response.url
    three[0].refresh_from_db()
    assert three[0].read_at is None
