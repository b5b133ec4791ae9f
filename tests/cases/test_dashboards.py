"""Dashboards per role: what a district head, an FSC head, the commission's secretary and
an analyst see at a glance, computed from the same records the specialists work on."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext

from casework.charts import bar_chart, line_chart
from casework.dashboards import dashboards_for
from casework.models import CaseStatus, OrganisationKind, Role, Timer, TimerKind
from casework.services.timers import timers_sweep
from referrals import services as referral_services
from tests.cases.conftest import almaty, at_meeting, decide
from tests.factories import DistrictFactory, OrganisationFactory, staff

pytestmark = pytest.mark.django_db

# Monday 20 April 2026, noon in Almaty.
NOW = almaty(2026, 4, 20, 12, 0)


@pytest.fixture
def district_notices(make_notice, alice):
    """Police notices of Almaly in every state a head cares about."""
    in_time = make_notice(registered_at=almaty(2026, 4, 6, 11, 0))
    referral_services.referral_transfer(referral=in_time, by=alice, now=almaty(2026, 4, 6, 12, 0))
    march = make_notice(registered_at=almaty(2026, 3, 2, 11, 0))
    referral_services.referral_transfer(referral=march, by=alice, now=almaty(2026, 3, 3, 9, 0))
    make_notice(registered_at=almaty(2026, 4, 6, 11, 0))  # nobody transfers it
    timers_sweep(now=almaty(2026, 4, 7, 18, 31))  # the system forwards it: a breach
    return {
        "overdue": make_notice(registered_at=almaty(2026, 4, 15, 10, 0)),  # due 16.04
        "due_today": make_notice(registered_at=almaty(2026, 4, 17, 10, 0)),  # due 20.04
        "waiting": make_notice(registered_at=almaty(2026, 4, 20, 9, 0)),  # due 21.04
    }


def _guardianship(user):
    dashboards = dashboards_for(user=user, now=NOW)
    [panel] = dashboards.guardianship
    return panel


def test_it_shows_the_district_head_what_is_open_late_and_breached(district_notices, hanna):
    panel = _guardianship(hanna)
    assert panel.timers == {"overdue": 1, "due_today": 1}
    assert panel.referrals == {"awaiting_triage": 0, "awaiting_transfer": 3, "at_the_fsc": 3}
    assert panel.breaches_this_month == 1
    assert [t.subject_id for t in panel.overdue] == [district_notices["overdue"].pk]
    assert panel.overdue[0].url.endswith(f"/referrals/{district_notices['overdue'].pk}/")


def test_it_measures_transfer_compliance_month_by_month(district_notices, hanna):
    panel = _guardianship(hanna)
    # March: 1 of 1 in time; April: 1 of 2 (the other was forwarded by the system).
    assert panel.compliance_detail == (2, 3)
    assert panel.compliance == 66.7
    by_month = {p.label: p.value for p in panel.trend.points}
    assert len(panel.trend.points) == 12
    assert (by_month["03.26"], by_month["04.26"], by_month["02.26"]) == (100.0, 50.0, None)
    months = list(by_month)
    assert (months[0], months[-1]) == ("05.25", "04.26")


def test_it_compares_staffing_with_the_norm_of_one_specialist_per_5000_children(
    almaly, hanna, alice, bob
):
    almaly.child_population = 12_000
    almaly.save(update_fields=["child_population"])
    staffing = _guardianship(hanna).staffing
    assert (staffing.specialists, staffing.needed, staffing.short_by) == (2, 3, 1)
    assert staffing.children_per_specialist == 6000


def test_it_counts_running_deadlines_per_specialist_and_those_nobody_holds(
    district_notices, hanna, alice, bob
):
    rows = {row["name"]: row for row in _guardianship(hanna).caseload}
    nobody = rows[gettext("Not assigned")]  # in the active language, like the dashboard
    assert rows[alice.full_name] == {"name": alice.full_name, "open": 0, "overdue": 0}
    assert nobody["open"] == 3 and nobody["overdue"] == 1


def test_a_head_of_another_district_sees_none_of_it(district_notices, other_guardianship):
    head = staff(Role.GUARDIANSHIP_HEAD, other_guardianship, username="other_head")
    panel = _guardianship(head)
    assert panel.timers == {"overdue": 0, "due_today": 0}
    assert panel.referrals["awaiting_transfer"] == 0
    assert panel.breaches_this_month == 0 and panel.compliance is None


def test_the_fsc_head_sees_inbox_age_assessments_and_late_measures(
    make_notice, alice, gulnara, fatima, case
):
    waiting = make_notice(registered_at=almaty(2026, 4, 20, 9, 0))
    referral_services.referral_transfer(referral=waiting, by=alice, now=almaty(2026, 4, 20, 9, 30))
    old = make_notice(registered_at=almaty(2026, 4, 13, 9, 0))
    referral_services.referral_transfer(referral=old, by=alice, now=almaty(2026, 4, 13, 9, 30))
    [panel] = dashboards_for(user=gulnara, now=NOW).fsc
    assert panel.inbox["total"] == 2
    assert (panel.inbox["under_a_day"], panel.inbox["over_three_days"]) == (1, 1)
    # The case picked up on 06.04 was due for assessment on 09.04.
    assert panel.assessments["overdue"] == 1
    assert [t.subject_id for t in panel.late] == [case.assessment.pk]
    assert {row["name"]: row["cases"] for row in panel.caseload}[fatima.full_name] == 1
    assert dict(panel.cases)[CaseStatus.ASSESSMENT.label] == 1


def test_the_fsc_head_sees_overdue_plan_measures(supported_case, gulnara):
    measure = supported_case.plans.get().measures.get()
    due = Timer.objects.get(kind=TimerKind.PLAN_MEASURE, subject_id=measure.pk).due_at
    timers_sweep(now=due + timedelta(minutes=1))
    [panel] = dashboards_for(user=gulnara, now=due + timedelta(hours=1)).fsc
    assert panel.measures["overdue"] == 1
    assert measure.pk in [t.subject_id for t in panel.late]


def test_the_secretary_sees_coming_meetings_the_queue_and_overdue_decisions(
    published, item, saule, kairat, marat
):
    [panel] = dashboards_for(user=saule).kdn
    assert [m.pk for m in panel.meetings] == [published.pk]
    assert panel.meetings[0].item_count == 1
    assert panel.queue == 0
    at_meeting(published, saule, [kairat, marat])
    decision = decide(item, saule)
    [panel] = dashboards_for(user=saule, now=decision.due_at + timedelta(hours=1)).kdn
    assert panel.decisions["overdue"] == 1
    assert [d.pk for d in panel.overdue] == [decision.pk]


def test_the_analyst_sees_aggregates_with_small_cells_hidden(district_notices, nina, almaly):
    [panel] = dashboards_for(user=nina, now=NOW).analyst
    rows = {row.name: row for row in panel.rows}
    almaly_row = rows[str(almaly)]
    # 6 open referrals (shown), 3 notices due (a small cell) so no rate, 1 breach hidden.
    assert almaly_row.open_referrals == 6
    assert almaly_row.cells[:4] == ["6", "<5", "—", "<5"]
    assert [r.is_total for r in panel.rows][-2:] == [True, True]
    # The monthly trend hides months with fewer than 5 notices.
    assert all(p.value is None for p in panel.trend.points)


def test_the_analyst_page_names_nobody(district_notices, nina, client_for):
    page = client_for(nina).get("/dashboard/").content.decode()
    assert "Синтетиковы" not in page
    assert f"/referrals/{district_notices['overdue'].pk}/" not in page
    assert "&lt;5" in page


def test_a_national_analyst_sees_every_region_and_the_country(district_notices, region):
    ministry = OrganisationFactory(kind=OrganisationKind.ANALYTICS, district=None, region=None)
    national = staff(Role.ANALYST, ministry, username="ministry")
    other = DistrictFactory(code="AST-1", name_ru="Синтетический район").region
    [panel] = dashboards_for(user=national, now=NOW).analyst
    names = [row.name for row in panel.rows]
    assert str(region) in names and str(other) in names
    assert panel.rows[-1].is_total and panel.rows[-1].open_referrals == 6


@pytest.mark.parametrize("persona", ["alice", "fatima", "kairat", "rita", "adam"])
def test_roles_without_a_dashboard_are_refused(persona, request, client_for):
    user = request.getfixturevalue(persona)
    assert client_for(user).get("/dashboard/").status_code == 403


def test_it_asks_a_stranger_to_sign_in(client):
    response = client.get("/dashboard/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["hanna", "gulnara", "saule", "nina"])
def test_the_page_draws_its_charts_and_links_for_each_role(persona, request, client_for):
    user = request.getfixturevalue(persona)
    response = client_for(user).get("/dashboard/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dashboard" in page or "Панель" in page
    if persona in ("hanna", "nina"):
        assert "<svg" in page and 'role="img"' in page
        assert "," not in page.split("<svg", 1)[1].split("</svg>", 1)[0].split("<title")[0]


def test_the_dashboard_costs_the_same_queries_however_much_there_is(
    make_notice, alice, hanna, client_for
):
    client = client_for(hanna)
    client.get("/dashboard/")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/dashboard/").status_code == 200
        return len(captured)

    before = queries()
    for day in range(6, 11):
        make_notice(registered_at=almaty(2026, 4, day, 10, 0))
    timers_sweep(now=almaty(2026, 4, 20, 12, 0))
    assert queries() == before


def test_a_line_chart_breaks_where_there_is_nothing_to_measure():
    chart = line_chart([("01", 50, ""), ("02", None, ""), ("03", 100, ""), ("04", 80, "")])
    assert len(chart.segments) == 2
    assert chart.segments[0].count("L") == 0 and chart.segments[1].count("L") == 1
    assert chart.points[2].y < chart.points[0].y  # higher is better, drawn higher


def test_bars_past_the_norm_are_marked():
    chart = bar_chart([("A", 6000), ("B", 3000)], reference=5000)
    assert [bar.over for bar in chart.bars] == [True, False]
    assert chart.bars[0].length == 2 * chart.bars[1].length
