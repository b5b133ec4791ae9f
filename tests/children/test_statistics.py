"""Official statistics: the Bureau's breakdown adds up, follows the date, stays within the
user's territory, hides small cells from analysts, exports to XLSX and CSV, and matches
a hand count of the demo data."""

import csv
import io
from datetime import date, datetime

import pytest
import time_machine
from django.core.management import call_command
from openpyxl import load_workbook

from casework.models import District
from casework.working_days import ALMATY
from children.models import PlacementEndReason, PlacementForm, StatusCategory
from children.services import files, placements
from children.statistics import statistics_table

pytestmark = pytest.mark.django_db
DAY = date(2026, 6, 1)


@pytest.fixture
def registry(make_child, make_carer, institution, alice):
    """Five children without care in Almaly, placed as a hand count expects."""
    foster = make_carer()
    kids = [make_child(first_name=name) for name in ("Аян", "Бота", "Дина", "Ерас", "Жан")]
    placements.placement_start(
        child=kids[0], form=PlacementForm.GUARDIANSHIP, carer=foster, started_on=date(2026, 2, 1)
    )
    placements.placement_start(
        child=kids[1], form=PlacementForm.FOSTER_FAMILY, carer=foster, started_on=date(2026, 3, 1)
    )
    back = placements.placement_start(
        child=kids[2], form=PlacementForm.FOSTER_FAMILY, carer=foster, started_on=date(2026, 2, 15)
    )
    placements.placement_end(
        placement=back,
        ended_on=date(2026, 4, 1),
        reason=PlacementEndReason.RETURNED_TO_ORGANISATION,
    )
    placements.placement_start(
        child=kids[2], form=PlacementForm.ORGANISATION, organisation=institution,
        started_on=date(2026, 4, 1),
    )  # fmt: skip
    files.child_status_add(
        child=kids[3], category=StatusCategory.ORPHAN, started_on=date(2026, 1, 5)
    )
    files.disability_add(
        child=kids[4], by=alice, group="II", established_on=date(2025, 9, 1), valid_until=None,
        rehabilitation_programme="", special_services="Логопед", inclusive_education=False,
    )  # fmt: skip
    return kids


def test_the_parts_add_up_to_the_total(registry, almaly):
    table = statistics_table(day=DAY, district_ids=[almaly.pk])
    row = table.rows[0]
    assert row.cells == {"guardianship": 1, "foster": 1, "education": 1, "other": 1}
    assert row.total == sum(row.cells.values()) == 4
    assert row.secondary_orphanhood == 1
    assert (row.disabled, row.disabled_served) == (1, 1)
    assert table.total.total == 4


def test_the_table_follows_the_date(registry, almaly):
    before = statistics_table(day=date(2026, 3, 10), district_ids=[almaly.pk]).rows[0]
    # On 10 March the third child was still in the foster family, the second just placed.
    assert before.cells == {"guardianship": 1, "foster": 2, "other": 1}
    assert before.secondary_orphanhood == 0


def test_a_district_sees_only_its_own_figures(registry, oscar, alice, client_for):
    page = client_for(oscar).get("/statistics/?on=01.06.2026")
    assert page.status_code == 200
    assert page.context["table"].total.total == 0
    assert client_for(alice).get("/statistics/?on=01.06.2026").context["table"].total.total == 4


def test_an_analyst_sees_aggregates_with_small_cells_hidden(registry, nina, client_for):
    page = client_for(nina).get("/statistics/?on=01.06.2026")
    assert page.status_code == 200
    lines = page.context["lines"]
    almaly_line = next(line for line in lines if line[0].startswith("Алмал") or "Almaly" in line[0])
    assert almaly_line[1] == "<5"


def test_people_without_statistics_rights_are_refused(fatima, rita, adam, client_for):
    for user in (fatima, rita, adam):
        assert client_for(user).get("/statistics/").status_code == 403


def test_a_bad_date_is_explained_not_crashed(alice, client_for):
    page = client_for(alice).get("/statistics/?on=31.02.2026")
    assert page.status_code == 200
    assert page.context["form"].errors["on"]


def test_exports_carry_the_same_figures(registry, alice, client_for):
    client = client_for(alice)
    sheet = load_workbook(
        io.BytesIO(client.get("/statistics/export.xlsx?on=01.06.2026").content)
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[-1][1] == 4  # the total row, as a number
    text = client.get("/statistics/export.csv?on=01.06.2026").content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert lines[-1][1] == "4"
    assert client.get("/statistics/export.pdf").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_almaty_table_matches_a_hand_count_of_the_demo():
    with time_machine.travel(datetime(2026, 11, 22, 12, 0, tzinfo=ALMATY), tick=False):
        call_command("seed_demo", stdout=io.StringIO())
        almaty = District.objects.filter(region__code="ALM").values_list("pk", flat=True)
        table = statistics_table(day=date(2026, 11, 22), district_ids=list(almaty))
    # The demo registry (children/demo.py): a foster family, a professional foster
    # family, a child back in an organisation after a foster family broke down, and two
    # children identified without care, not yet placed.
    assert table.total.cells == {"foster": 1, "professional": 1, "education": 1, "other": 2}
    assert table.total.total == 5
    assert table.total.secondary_orphanhood == 1
    assert (table.total.disabled, table.total.disabled_served) == (1, 1)
