"""Query budgets (issue #8): every page and API GET of the project runs a fixed number of
SQL queries whatever the data size, at most MAX_QUERIES, pinned here.

Generated from the permission matrix (tests/permission_matrix.py): every GET row that some
persona is declared to get (OK) is requested as each of those personas on the matrix's
world grown once, then grown again (tests/query_budget_growth.py: more of every kind of
row the pages list or show; growing once brings a row of every kind a page may read a
query for, so the counts are those of a page showing all it can). Each persona's count
must be the same on both worlds, and the largest is the row's budget, declared in BUDGETS.
A GET row without a budget fails, as a URL without a row fails the matrix.

What is counted: every statement the request sends, after a first request of the same
(content types cached). The sessions are made at the moment the pages are asked, so the
idle clock's write of the session (IdleTimeoutMiddleware: at most once a minute per
user) is not in the counts. Downloads (files, CSV, XLSX, the PDF packet) are budgeted
like pages, their content read to the end.
"""

from collections.abc import Iterator
from dataclasses import replace

import pytest
import time_machine
from django.conf import settings
from django.db import connection, reset_queries, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.permission_matrix import GET, OK, ROWS, Row, pk
from tests.permission_matrix_world import ANONYMOUS, PERSONAS, TOKEN_PERSONAS, World, build_world
from tests.query_budget_growth import grow_world
from tests.test_permission_matrix import outcome, path_of, signed_in

MAX_QUERIES = 12

# The matrix's pages of a case and of an agenda item, asked again about the grown world's
# fullest file: a case about a registry child and family, on the agenda (the matrix's
# case came from a police notice, with neither, and its item shows no child or family).
FULL_FILE_ROWS = [
    replace(row, kwargs=pk(subject), variant="-".join(filter(None, [row.variant, "full-file"])))
    for row in ROWS
    for name, subject in (
        ("case_detail", "full_case"),
        ("case_plan", "full_case"),
        ("kdn_item", "full_item"),
        ("kdn_packet", "full_item"),
    )
    if row.name == name and row.method == GET and row.at is None
]
ALL_ROWS = [*ROWS, *FULL_FILE_ROWS]

# Row id (tests/permission_matrix.py) -> the most queries any persona's request costs.
BUDGETS: dict[str, int] = {
    "home-GET": 9,
    "login-GET": 0,
    "password_change-GET": 2,
    "password_change_done-GET": 2,
    "worklist-GET": 5,
    "dashboard-GET": 11,
    "staff_list-GET": 5,
    "staff_detail-GET": 6,
    "staff_edit-GET": 6,
    "calendar_year-GET": 4,
    "notification_list-GET": 3,
    "healthz-GET": 3,
    "two_factor_setup-GET": 8,
    "form_draft_load-GET": 3,
    "system_status-GET": 3,
    "archive_list-GET": 10,
    "audit_export-GET": 2,
    "api_me-GET": 2,
    "api_schema-GET": 2,
    "api_docs-GET": 3,
    "api_referral_list-GET": 4,
    "api_referral_detail-concern-GET": 4,
    "api_referral_detail-notice-GET": 4,
    "referral_list-GET": 6,
    "referral_create-GET": 4,
    "fsc_inbox-GET": 4,
    "referral_detail-concern-GET": 7,
    "referral_attachment-concern-GET": 5,
    "referral_archive-concern-GET": 3,
    "referral_attachment_archive-concern-GET": 4,
    "referral_detail-notice-GET": 7,
    "referral_attachment-notice-GET": 5,
    "referral_archive-notice-GET": 3,
    "referral_attachment_archive-notice-GET": 4,
    "referral_attachment-notice-guardianship-scan-GET": 5,
    "child_list-GET": 6,
    "child_create-GET": 4,
    "child_file-GET": 10,
    "child_audit-GET": 9,
    "child_edit-GET": 7,
    "person_merge-GET": 6,
    "child_document-GET": 7,
    "child_archive-GET": 9,
    "child_document_archive-GET": 6,
    "child_section-status-GET": 5,
    "child_section-disability-GET": 5,
    "child_section-view-GET": 5,
    "child_section-placement-GET": 7,
    "child_section-without-care-GET": 5,
    "child_section-databank-GET": 5,
    "child_section-removal-GET": 5,
    "child_section-document-GET": 5,
    "child_section-share-GET": 6,
    "carer_list-GET": 4,
    "carer_create-GET": 4,
    "carer_file-GET": 8,
    "carer_archive-GET": 5,
    "carer_section-check-GET": 4,
    "carer_section-inspection-GET": 4,
    "family_list-GET": 4,
    "family_create-GET": 3,
    "family_file-GET": 8,
    "family_audit-GET": 7,
    "family_archive-GET": 5,
    "family_section-member-GET": 3,
    "family_section-situation-GET": 4,
    "family_section-situation-end-GET": 3,
    "family_section-police-GET": 3,
    "police_deregister-GET": 4,
    "registry_import_list-GET": 4,
    "registry_import_upload-GET": 3,
    "registry_import_template-GET": 4,
    "registry_import-GET": 6,
    "statistics-GET": 10,
    "statistics_export-csv-GET": 9,
    "statistics_export-xlsx-GET": 9,
    "case_list-GET": 4,
    "case_open-GET": 4,
    "case_detail-GET": 10,
    "case_audit-GET": 7,
    "case_assign-GET": 6,
    "case_assessment-GET": 9,
    "case_plan-GET": 9,
    "case_plan_version-GET": 7,
    "measure_done-GET": 4,
    "contact_add-GET": 4,
    "case_attachment-GET": 5,
    "kdn_home-GET": 5,
    "kdn_meeting_create-GET": 5,
    "kdn_meeting-GET": 9,
    "kdn_item-GET": 4,
    "kdn_item-after-review-window-GET": 4,
    "kdn_meeting-after-review-window-GET": 9,
    "kdn_packet-GET": 4,
    "kdn_decide-GET": 7,
    "kdn_decision-GET": 8,
    "kdn_submit-child-GET": 6,
    "kdn_submit-family-GET": 4,
    "admin:casework_region_changelist-GET": 7,
    "admin:casework_region_add-GET": 4,
    "admin:casework_region_change-GET": 5,
    "admin:casework_region_history-GET": 6,
    "admin:casework_district_changelist-GET": 8,
    "admin:casework_district_add-GET": 5,
    "admin:casework_district_change-GET": 6,
    "admin:casework_district_history-GET": 6,
    "admin:casework_organisation_changelist-GET": 8,
    "admin:casework_organisation_add-GET": 4,
    "admin:casework_organisation_change-GET": 7,
    "admin:casework_organisation_history-GET": 6,
    "admin:casework_user_changelist-GET": 8,
    "admin:casework_user_add-GET": 4,
    "admin:casework_user_change-GET": 10,
    "admin:casework_user_history-GET": 6,
    "admin:casework_calendaroverride_changelist-GET": 9,
    "admin:casework_calendaroverride_add-GET": 4,
    "admin:casework_calendaroverride_change-GET": 5,
    "admin:casework_calendaroverride_history-GET": 6,
    "admin:casework_calendaroverride_delete-GET": 5,
    "admin:casework_breach_changelist-GET": 7,
    "admin:casework_breach_change-GET": 7,
    "admin:casework_breach_history-GET": 7,
    "admin:casework_apitoken_changelist-GET": 7,
    "admin:casework_apitoken_add-GET": 4,
    "admin:casework_apitoken_change-GET": 6,
    "admin:casework_apitoken_history-GET": 7,
    "admin:axes_accessattempt_changelist-GET": 10,
    "admin:axes_accessattempt_change-GET": 6,
    "admin:axes_accessattempt_history-GET": 6,
    "admin:axes_accessattempt_delete-GET": 6,
    "admin:axes_accesslog_changelist-GET": 10,
    "admin:axes_accesslog_change-GET": 5,
    "admin:axes_accesslog_history-GET": 6,
    "admin:index-GET": 5,
    "admin:password_change-GET": 4,
    "admin:password_change_done-GET": 4,
    "admin:jsi18n-GET": 2,
    "admin:auth_user_password_change-GET": 5,
    "admin:app_list-casework-GET": 4,
    "case_detail-full-file-GET": 10,
    "case_plan-full-file-GET": 8,
    "kdn_item-full-file-GET": 4,
    "kdn_packet-full-file-GET": 4,
}

# GET rows not budgeted, each with the reason. None: the downloads are budgeted too.
EXCLUDED: dict[str, str] = {}


def budgeted_rows(rows: list[Row] = ALL_ROWS) -> list[Row]:
    """The GET rows some persona gets an answer from (not a refusal, not a redirect)."""
    return [
        row
        for row in rows
        if row.method == GET and OK in row.expect.values() and row.id not in EXCLUDED
    ]


def personas_of(row: Row) -> list[str]:
    return [persona for persona in PERSONAS if row.expect[persona] == OK]


# --- counting ----------------------------------------------------------------------------------


def sessions_at(world: World) -> dict[str, str]:
    """A session of every signed-in persona, made now (time is frozen by the caller)."""
    return {
        persona: signed_in(world.users[persona]).cookies[settings.SESSION_COOKIE_NAME].value
        for persona in PERSONAS
        if persona != ANONYMOUS
    }


def queries_of(row: Row, persona: str, world: World, sessions: dict[str, str]) -> list[str]:
    """The statements of `persona`'s request of `row`, after a first request of the same;
    each inside a savepoint rolled back after it: no request changes the world, nor the
    session, so each finds them as the last did."""
    client = Client()
    headers = dict(row.headers)
    if row.api and persona in TOKEN_PERSONAS:
        headers["authorization"] = f"Token {world.tokens[persona]}"
    elif persona != ANONYMOUS:
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions[persona]
    path = path_of(row, world)
    for _warm_up_then_count in range(2):
        # The log holds the last 9,000 statements: a full one would capture nothing.
        reset_queries()
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            response = client.get(path, row.data(world), headers=headers)
            if response.streaming:
                b"".join(response.streaming_content)  # a download reads as it is sent
            transaction.set_rollback(True)
        answer = outcome(response, row, path)
        assert answer == OK, f"{row.id} as {persona}: {answer}"
    return [query["sql"] for query in captured.captured_queries]


def count_every_row(world: World, rows: list[Row]) -> Iterator[tuple[str, str, list[str]]]:
    """(row id, persona, statements) of every row and persona, each row asked now or at
    its own moment (`Row.at`, with sessions of that moment, made and dropped with it:
    signing in then cleans up what is expired then, as axes does)."""
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        sessions = sessions_at(world)
    for row in rows:
        moment = row.at(world) if row.at else now
        with time_machine.travel(moment, tick=False), transaction.atomic():
            for persona in personas_of(row):
                at_its_moment = sessions_at(world) if row.at else sessions
                yield row.id, persona, queries_of(row, persona, world, at_its_moment)
            transaction.set_rollback(True)


@pytest.fixture(scope="module")
def counts(django_db_setup, django_db_blocker, tmp_path_factory):
    """{(row id, persona): (statements on the world grown once, grown twice)}, in a
    transaction rolled back at the end."""
    rows = budgeted_rows()
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            MEDIA_ROOT=tmp_path_factory.mktemp("budget-media"),
        ),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = build_world()
            grow_world(world)
            small = {
                (row_id, persona): sql for row_id, persona, sql in count_every_row(world, rows)
            }
            grow_world(world)
            large = {
                (row_id, persona): sql for row_id, persona, sql in count_every_row(world, rows)
            }
            yield {key: (small[key], large[key]) for key in small}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# --- the budgets -------------------------------------------------------------------------------


def test_every_page_costs_its_budget_whatever_the_data_size(counts, db):
    wrong = []
    by_row: dict[str, list[int]] = {}
    for (row_id, persona), (small, large) in counts.items():
        by_row.setdefault(row_id, []).append(len(small))
        if len(small) != len(large):
            grown = "\n      ".join(sql[:160] for sql in _difference(small, large))
            wrong.append(
                f"{row_id} as {persona}: {len(small)} queries, {len(large)} on the grown "
                f"world; the extra ones:\n      {grown}"
            )
    for row_id, sizes in sorted(by_row.items()):
        if max(sizes) != BUDGETS.get(row_id):
            wrong.append(f"{row_id}: budget {BUDGETS.get(row_id)}, costs {max(sizes)}")
    assert not wrong, "\n".join(wrong)


def _difference(small: list[str], large: list[str]) -> list[str]:
    remaining = list(small)
    extra = []
    for sql in large:
        shape = _shape(sql)
        match = next((s for s in remaining if _shape(s) == shape), None)
        if match is None:
            extra.append(sql)
        else:
            remaining.remove(match)
    return extra


def _shape(sql: str) -> str:
    """A statement without its literal values, to pair the statements of two requests."""
    return sql.split(" WHERE ")[0]


def test_no_budget_is_over_the_limit():
    over = {row_id: n for row_id, n in BUDGETS.items() if n > MAX_QUERIES}
    assert not over, f"pages over {MAX_QUERIES} queries: {over}"


def test_every_get_row_has_a_budget_and_every_budget_a_row():
    undeclared, stale = undeclared_and_stale()
    assert not undeclared, (
        "GET rows of the permission matrix without a query budget (tests/test_query_budgets.py "
        "BUDGETS): " + ", ".join(sorted(undeclared))
    )
    assert not stale, "Budgets naming no GET row: " + ", ".join(sorted(stale))


def undeclared_and_stale(rows: list[Row] = ALL_ROWS, budgets=BUDGETS) -> tuple[set[str], set[str]]:
    ids = {row.id for row in budgeted_rows(rows)}
    return ids - set(budgets), set(budgets) - ids


def test_a_new_page_without_a_budget_and_a_budget_without_its_page_are_both_caught():
    new = Row("brand_new", dict.fromkeys(PERSONAS, OK))
    refused = Row("brand_new_refused", dict.fromkeys(PERSONAS, 403))
    budgets = {**BUDGETS, "page_that_was_removed-GET": 3}
    assert undeclared_and_stale([*ALL_ROWS, new, refused], budgets) == (
        {"brand_new-GET"},
        {"page_that_was_removed-GET"},
    )
