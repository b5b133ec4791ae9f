"""The case page, the plan page and the commission's summary cost a fixed number of
queries, however much the file holds."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.kdn_selectors import agenda_summary
from casework.models import ContactKind, SupportType
from casework.services import cases, contacts, plans
from casework.services import kdn as kdn_services
from tests.cases.conftest import rate_everything

pytestmark = pytest.mark.django_db
# Session, the user (roles, grants and bell with it), the case,
# team, plans, contacts (with their files), events, commission items (with their
# decisions), timers, the audit row.
CASE_PAGE_QUERIES = 10


def grow(case, by, head, n: int) -> None:
    for k in range(n):
        contacts.contact_record(
            case=case, by=by, kind=ContactKind.VISIT, occurred_on=date(2026, 4, 7), findings=f"{k}"
        )
    if case.status == "assessment":
        rate_everything(case, by)
        cases.assessment_complete(case=case, by=by)
    plan = case.plans.get()
    for k in range(n):
        plans.measure_add(
            plan=plan,
            by=by,
            support_type=list(SupportType)[k % 8],
            description=f"Мера {k}",
            responsible_organisation=case.organisation,
            owner=None,
            due_on=timezone.localdate() + timedelta(days=5 + k),
        )
    plans.plan_submit(plan=plan, by=by)
    plans.plan_approve(plan=plan, by=head)


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_case_and_plan_pages_cost_the_same_for_a_small_and_a_large_file(
    make_case, fatima, gulnara, client_for
):
    small, large = make_case(), make_case()
    grow(small, fatima, gulnara, 1)
    grow(large, fatima, gulnara, 12)
    client = client_for(fatima)
    count(client, f"/cases/{small.pk}/")  # warm content types and the session
    for page in ("", "plan/"):
        assert count(client, f"/cases/{small.pk}/{page}") == count(
            client, f"/cases/{large.pk}/{page}"
        )
    assert count(client, f"/cases/{large.pk}/") == CASE_PAGE_QUERIES


def test_the_summary_is_bounded(make_case, fatima, gulnara, kdn, saule):
    small, large = make_case(), make_case()
    grow(small, fatima, gulnara, 1)
    grow(large, fatima, gulnara, 12)
    items = [
        kdn_services.agenda_item_submit(
            by=fatima, organisation=c.organisation, case=c, question="?"
        )
        for c in (small, large)
    ]
    sizes = []
    for item in items:
        with CaptureQueriesContext(connection) as queries:
            agenda_summary(item=item)
        sizes.append(len(queries))
    assert sizes == [1, 1]  # the item with every part of its summary: casework.array_rows
