"""The administrator issues and revokes referrer organisations' API keys in the admin."""

from rest_framework.test import APIClient

from casework.models import ApiToken
from casework.services.organisations import administrator_enable_admin_site


def test_an_administrator_issues_a_key_shown_once_and_revokes_it(adam, client_for, school):
    administrator_enable_admin_site(user=adam)
    admin = client_for(adam)
    response = admin.post(
        "/admin/casework/apitoken/add/",
        {"organisation": school.pk, "name": "School information system"},
        follow=True,
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    shown = [str(m) for m in response.context["messages"] if token.prefix in str(m)]
    assert len(shown) == 1
    key = shown[0].rsplit(" ", 1)[-1]
    assert key not in token.key_hash and len(token.key_hash) == 64

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/me/").status_code == 200

    admin.post(
        "/admin/casework/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api.get("/api/v1/me/").status_code == 401


def test_other_staff_cannot_reach_the_token_admin(alice, client_for):
    response = client_for(alice).get("/admin/casework/apitoken/add/")
    assert response.status_code == 302 and "/admin/login/" in response.url
