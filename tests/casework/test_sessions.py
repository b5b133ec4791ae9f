"""Idle sign-out after 30 minutes (with a warning on the page), drafts of long forms kept
across it, and the browser-side protections: content security policy, secure cookies."""

import json
import re
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.middleware import IdleTimeoutMiddleware
from casework.models import FormDraft
from casework.services.drafts import form_drafts_expire

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
KEY = IdleTimeoutMiddleware.SESSION_KEY


def idle_for(client, seconds: int) -> None:
    session = client.session
    session[KEY] = int(time.time()) - seconds
    session.save()


# --- idle sign-out ------------------------------------------------------------------


def test_after_30_idle_minutes_the_next_page_asks_to_sign_in_again(alice, client_for):
    client = client_for(alice)
    assert client.get("/referrals/").status_code == 200
    idle_for(client, 30 * 60 + 1)
    response = client.get("/referrals/?status=new", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Freferrals%2F%3Fstatus%3Dnew"
    assert "_auth_user_id" not in client.session
    login_page = client.get(response["Location"]).content.decode()
    assert "30 минут" in login_page


def test_29_idle_minutes_are_not_enough(alice, client_for):
    client = client_for(alice)
    client.get("/")
    idle_for(client, 29 * 60)
    assert client.get("/referrals/").status_code == 200
    assert time.time() - client.session[KEY] < 5  # the activity was recorded


def test_htmx_and_the_api_are_told_in_their_own_terms(alice, client_for):
    client = client_for(alice)
    client.get("/")
    idle_for(client, 31 * 60)
    fragment = client.get("/referrals/", HTTP_HX_REQUEST="true")
    assert fragment.status_code == 204
    assert fragment["HX-Redirect"].startswith("/accounts/login/?next=")
    api = client_for(alice)
    api.get("/")
    idle_for(api, 31 * 60)
    assert api.get("/api/v1/me/").status_code == 401


def test_a_polling_progress_bar_does_not_keep_the_session_alive(alice, client_for):
    client = client_for(alice)
    client.get("/")
    idle_for(client, 10 * 60)
    client.get("/", HTTP_X_QAMQOR_BACKGROUND="1")
    assert time.time() - client.session[KEY] >= 10 * 60


def test_stay_signed_in_keeps_the_session(alice, client_for):
    client = client_for(alice)
    client.get("/")
    idle_for(client, 28 * 60)
    response = client.post(reverse("session_keepalive"))
    assert response.json() == {"idle_timeout": 1800}
    assert time.time() - client.session[KEY] < 5


def test_the_page_ends_the_session_when_its_clock_runs_out(alice, client_for):
    client = client_for(alice)
    response = client.post(reverse("session_end_idle"), {"next": "/referrals/new/"})
    assert response["Location"] == "/accounts/login/?next=%2Freferrals%2Fnew%2F"
    assert "_auth_user_id" not in client.session
    foreign = client_for(alice).post(reverse("session_end_idle"), {"next": "https://evil.example/"})
    assert foreign["Location"] == "/accounts/login/"


def test_the_timeout_is_configurable(alice, client_for, settings):
    settings.IDLE_TIMEOUT_SECONDS = 600
    client = client_for(alice)
    client.get("/")
    idle_for(client, 601)
    assert client.get("/").status_code == 302


def test_every_page_carries_the_warning_and_its_timing(alice, client_for):
    page = client_for(alice).get("/").content.decode()
    assert 'data-idle-timeout="1800"' in page and 'data-idle-warning="120"' in page
    assert '<dialog id="idle-warning"' in page
    assert "js/session.js" in page and "js/drafts.js" in page


# --- drafts -------------------------------------------------------------------------


def save_draft(client, key, **fields):
    return client.post(reverse("form_draft_save"), {"key": key, "data": json.dumps(fields)})


def test_a_draft_is_saved_and_given_back_to_its_author_only(alice, bob, client_for):
    client = client_for(alice)
    response = save_draft(
        client,
        "/referrals/new/",
        narrative=["Ребёнок часто пропускает занятия"],
        csrfmiddlewaretoken=["secret"],
    )
    assert response.status_code == 200
    loaded = client.get(reverse("form_draft_load"), {"key": "/referrals/new/"}).json()
    assert loaded["data"] == {"narrative": ["Ребёнок часто пропускает занятия"]}
    other = client_for(bob).get(reverse("form_draft_load"), {"key": "/referrals/new/"})
    assert other.json() == {"data": None}


def test_an_accepted_form_drops_its_draft_and_a_refused_one_keeps_it(alice, client_for):
    client = client_for(alice)
    key = "/referrals/new/"
    save_draft(client, key, narrative=["Черновик"])
    refused = client.post(key, {"_draft": "1", "kind": "concern"})
    assert refused.status_code == 200
    assert FormDraft.objects.filter(user=alice, key=key).exists()
    save_draft(client, f"/staff/{alice.pk}/edit/", phone=["+7 701 000 00 02"])
    accepted = client.post(
        f"/staff/{alice.pk}/edit/",
        {"_draft": "1", "last_name": "Синтетова", "first_name": "Алия", "phone": ""},
    )
    assert accepted.status_code == 302
    assert not FormDraft.objects.filter(user=alice, key=f"/staff/{alice.pk}/edit/").exists()
    assert FormDraft.objects.filter(user=alice, key=key).exists()


def test_a_draft_survives_the_idle_sign_out(alice, client_for):
    client = client_for(alice)
    save_draft(client, "/referrals/new/", narrative=["Набранный текст"])
    client.get("/")
    idle_for(client, 31 * 60)
    client.post("/referrals/new/", {"_draft": "1", "narrative": "Набранный текст"})
    again = client_for(alice)
    loaded = again.get(reverse("form_draft_load"), {"key": "/referrals/new/"}).json()
    assert loaded["data"] == {"narrative": ["Набранный текст"]}


def test_a_bad_draft_is_refused_and_changes_nothing(alice, client_for):
    client = client_for(alice)
    assert client.post(reverse("form_draft_save"), {"key": "x", "data": "{}"}).status_code == 400
    bad_json = client.post(reverse("form_draft_save"), {"key": "/a/", "data": "{not json"})
    assert bad_json.status_code == 400
    listed = client.post(reverse("form_draft_save"), {"key": "/a/", "data": "[1, 2]"})
    assert listed.status_code == 400
    assert not FormDraft.objects.exists()


def test_old_drafts_expire(alice, client_for):
    save_draft(client_for(alice), "/referrals/new/", narrative=["старое"])
    assert form_drafts_expire(now=timezone.now() + timedelta(days=6)) == 0
    assert form_drafts_expire(now=timezone.now() + timedelta(days=8)) == 1


def test_the_long_forms_keep_drafts(alice, client_for):
    page = client_for(alice).get("/referrals/new/").content.decode()
    assert re.search(r'<form method="post" data-draft', page)


def test_drafts_are_not_kept_for_anonymous_visitors(client, db):
    response = client.post(reverse("form_draft_save"), {"key": "/a/", "data": "{}"})
    assert response.status_code == 302
    assert not FormDraft.objects.exists()


# --- browser-side protections -------------------------------------------------------


def test_pages_carry_a_strict_content_security_policy(alice, client_for):
    policy = client_for(alice).get("/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


# Rendered to PDF by WeasyPrint on the server, never shown by a browser.
PDF_TEMPLATES = {"kdn/packet.html"}


@pytest.mark.parametrize(
    "template",
    [
        t
        for t in sorted(TEMPLATES.rglob("*.html"))
        if str(t.relative_to(TEMPLATES)) not in PDF_TEMPLATES
    ],
    ids=str,
)
def test_no_template_has_inline_script_or_style(template):
    """The policy refuses inline code: a template that needs it would silently break."""
    text = template.read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text)
    assert not re.search(r"\son[a-z]+=", text)
    assert "<style" not in text and " style=" not in text


def test_the_api_docs_load_their_start_up_script_from_a_file(alice, client_for):
    client = client_for(alice)
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    assert "<script>" not in page.content.decode().replace(" ", "")
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
