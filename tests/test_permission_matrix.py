"""The generated permission matrix (issue #7): every URL pattern of the project, the REST
API and the admin site included, times every persona; each cell asserts the outcome
declared in tests/permission_matrix.py. A URL without a declared row fails.

The world (tests/permission_matrix_world.py) is built once per test process inside a
transaction that is rolled back at the end; every cell runs in a savepoint of its own that
is rolled back after the request, so each request sees the world as it was built, whatever
the previous POST did."""

import time
from contextlib import nullcontext
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse
from django.urls.resolvers import RegexPattern

from casework import case_views, kdn_views
from casework.account_selectors import two_factor_required
from children import views as children_views
from families import views as families_views
from referrals import views as referrals_views
from tests import permission_matrix as matrix
from tests.conftest import pass_second_factor
from tests.permission_matrix import CANARIES, GET, LOGIN, OK, POST, REDIRECT, ROWS, Row
from tests.permission_matrix_world import ANONYMOUS, PERSONAS, TOKEN_PERSONAS, build_world

# Patterns that are not the application's pages: none today. Static and media files are
# served by WhiteNoise and the web server, outside the URLconf; a debug toolbar or the
# like would be listed here, each with the reason.
EXCLUDED: dict[str, str] = {}


def url_patterns(resolver=None, prefix="", namespace=""):
    """(key, route) of every pattern reachable from the root URLconf, through includes.
    The key is the namespaced name, or for an unnamed pattern its full route."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from url_patterns(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield (name or route), route


def undeclared_and_stale(resolver=None, rows=ROWS) -> tuple[set[str], set[str]]:
    """URLs of the project without a row, and rows that name no URL of the project."""
    found = {key for key, _route in url_patterns(resolver)} - set(EXCLUDED)
    declared = {row.name for row in rows}
    return found - declared, declared - found


# --- running a cell --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world and each persona's session, built once, rolled back at the end."""
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            MEDIA_ROOT=tmp_path_factory.mktemp("matrix-media"),
            # The sessions are made once, and each cell's activity is rolled back with it:
            # a long run must not idle them out (test_sessions.py covers the timeout).
            IDLE_TIMEOUT_SECONDS=24 * 3600,
        ),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            started = time.perf_counter()
            world = build_world()
            world.sessions = {}
            for persona in PERSONAS[1:]:
                client = signed_in(world.users[persona])
                world.sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
            world.built_in = time.perf_counter() - started
            yield world
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def signed_in(user) -> Client:
    """A session as after a real sign-in, second factor included where the role needs it."""
    client = Client()
    client.force_login(user)
    if two_factor_required(user=user):
        pass_second_factor(client, user)
    return client


def path_of(row: Row, world) -> str:
    kwargs = row.kwargs(world)
    if row.route:
        return row.route.format(**kwargs)
    return reverse(row.name, kwargs=kwargs or None)


def answer(row: Row, persona: str, world) -> tuple[object, str]:
    """What the application answers `persona` at `row`, as an outcome of the matrix, and
    the text of the answer (HTML, JSON or CSV; "" for anything else)."""
    path = path_of(row, world)
    client = Client()
    headers = dict(row.headers)
    try:
        with (
            transaction.atomic(),
            time_machine.travel(row.at(world), tick=False) if row.at else nullcontext(),
        ):
            if row.api and persona in TOKEN_PERSONAS:
                headers["authorization"] = f"Token {world.tokens[persona]}"
            elif row.at and persona != ANONYMOUS:
                client = signed_in(world.users[persona])  # a session of that moment
            elif persona != ANONYMOUS:
                client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[persona]
            if row.method == GET:
                response = client.get(path, row.data(world), headers=headers)
            elif row.api:
                response = client.post(
                    path, row.data(world), content_type="application/json", headers=headers
                )
            else:
                response = client.post(path, row.data(world), headers=headers)
            transaction.set_rollback(True)
    except Exception as error:  # a 500: reported as the cell's answer
        return f"{type(error).__name__}: {error}", ""
    return outcome(response, row, path), text_of(response)


def text_of(response) -> str:
    content_type = response.get("Content-Type", "")
    if response.streaming or not content_type.startswith(TEXT_TYPES):
        return ""
    return response.content.decode("utf-8", errors="replace")


TEXT_TYPES = ("text/html", "application/json", "text/csv")


def outcome(response, row: Row, path: str) -> object:
    status = response.status_code
    if status in (301, 302, 303):
        location = urlsplit(response["Location"])
        nexts = parse_qs(location.query).get("next")
        # The gates send to a login page with ?next= the page asked for; a login page
        # without it is an ordinary redirect (where signing out ends).
        if location.path == reverse("login") and nexts:
            return LOGIN if nexts == [path] else f"login with next={nexts}"
        if location.path == reverse("admin:login") and nexts:
            return matrix.ADMIN_LOGIN if nexts == [path] else f"admin login with next={nexts}"
        return OK if row.method == POST else REDIRECT
    if 200 <= status < 300:
        return OK
    if status == 400 and row.api and row.method == POST:
        return OK  # DRF read the body and refused it: access control let it through
    return status


def mismatches(row: Row, world) -> list[str]:
    lines = []
    for persona in PERSONAS:
        expected = row.expect[persona]
        actual, text = answer(row, persona, world)
        if actual != expected:
            lines.append(f"  {persona:<10} declared {expected!s:<12} got {actual}")
        for word, allowed in CANARIES.items():
            if word in text and persona not in allowed:
                lines.append(f"  {persona:<10} was shown {word!r}")
    return lines


# --- the matrix ------------------------------------------------------------------------------


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_every_persona_gets_the_declared_answer(row, world, db):
    wrong = mismatches(row, world)
    assert not wrong, f"{row.method} {path_of(row, world)}\n" + "\n".join(wrong)


def test_every_url_of_the_project_has_a_row_and_every_row_names_one():
    undeclared, stale = undeclared_and_stale()
    assert not undeclared, (
        "URLs without a row in tests/permission_matrix.py (declare who gets what): "
        + ", ".join(sorted(undeclared))
    )
    assert not stale, "Rows naming no URL of the project: " + ", ".join(sorted(stale))


def test_a_new_url_without_a_row_and_a_row_without_its_url_are_both_caught():
    import casework.urls
    from casework.views import home

    patterns = [*casework.urls.urlpatterns, path("brand-new/", home, name="brand_new")]
    extended = URLResolver(RegexPattern(r"^/"), patterns)
    gone = Row("page_that_was_removed", matrix.EVERYONE_OK)
    assert undeclared_and_stale(extended, [*ROWS, gone]) == ({"brand_new"}, {gone.name})


# Every value a slug of the URL takes in the views, and the rows that try it.
SLUGS = {
    ("child_section", "section"): set(children_views.SECTIONS),
    ("carer_section", "section"): set(children_views.CARER_SECTIONS),
    ("family_section", "section"): set(families_views.SECTIONS),
    ("referral_act", "action"): set(referrals_views.ACTIONS),
    ("case_act", "action"): set(case_views.CASE_ACTIONS),
    ("plan_act", "action"): set(case_views.PLAN_ACTIONS),
    ("kdn_meeting_act", "action"): {*kdn_views.MEETING_ACTIONS, "attendance", "schedule"},
    ("kdn_submit", "kind"): {"child", "family"},
    ("statistics_export", "fmt"): {"csv", "xlsx"},
}


def test_the_rows_try_every_section_and_action_a_url_takes(world, db):
    for (name, slug), values in SLUGS.items():
        tried = {row.kwargs(world)[slug] for row in ROWS if row.name == name}
        assert values <= tried, f"{name}: no row for {slug}={sorted(values - tried)}"


def test_urls_that_take_only_a_post_answer_a_get_with_405(world, db):
    wrong = []
    for row in [r for r in ROWS if r.post_only]:
        get = replace(row, method=GET, data=lambda w: {})
        for persona in (ANONYMOUS, "alice"):
            # Signing in is asked first (the login page, or DRF's 401), then the method.
            expected = row.expect[persona] if row.expect[persona] in (LOGIN, 401) else 405
            actual, _text = answer(get, persona, world)
            if actual != expected:
                wrong.append(
                    f"GET {path_of(row, world)} {persona}: declared {expected}, got {actual}"
                )
    assert not wrong, "\n".join(wrong)
