"""Query counts: the child's file and the child list do not grow with their contents."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from children.models import CarerKind, PlacementEndReason, PlacementForm, StatusCategory
from children.selectors import child_file
from children.services.files import (
    child_identify_without_care,
    child_status_add,
    child_view_record,
    disability_add,
)
from children.services.placements import placement_end, placement_start, removal_record
from families.models import Relation
from families.services import family_create, family_member_add
from tests.children.conftest import almaty

# the child with its person, district, statuses, disabilities, views, placements, removals
# and families; then timers, documents, referrals, commission items, change log (the
# user's scope and the children shared with them were read by the first call)
CHILD_FILE_QUERIES = 6
FIRST_NAMES = ["Ерлан", "Тимур", "Дана", "Айгерим", "Ербол", "Аружан", "Санжар", "Алихан"]
SURNAMES = ["Нурланов", "Сапаров", "Омаров", "Жанбулатов", "Касымов"]


def _rich_file(child, alice, institution, make_carer, almaly, placements: int):
    """A file with `placements` placements (the last active) and one of everything else."""
    started = date(2025, 1, 6)
    for n in range(placements):
        placement = placement_start(
            child=child,
            form=PlacementForm.FOSTER_FAMILY if n % 2 else PlacementForm.ORGANISATION,
            started_on=date(2025, 1 + n, 6),
            **({"carer": make_carer(CarerKind.FOSTER)} if n % 2 else {"organisation": institution}),
        )
        if n < placements - 1:
            placement_end(
                placement=placement,
                ended_on=date(2025, 2 + n, 5),
                reason=PlacementEndReason.NEW_PLACEMENT,
            )
    placement_start(
        child=child,
        form=PlacementForm.MENTOR,
        started_on=started,
        carer=make_carer(CarerKind.MENTOR),
    )
    for category in (StatusCategory.ORPHAN, StatusCategory.CONFLICT_WITH_LAW):
        child_status_add(child=child, category=category, started_on=started)
    disability_add(
        child=child, by=alice, group="Ребёнок-инвалид", established_on=started,
        valid_until=date(2026, 11, 13),
    )  # fmt: skip
    child_view_record(child=child, by=alice, heard_on=started, decision="Устройство", words="Да.")
    child_identify_without_care(child=child, identified_at=almaty(2026, 4, 14, 10), by=alice)
    removal_record(
        child=child, by=alice, removed_at=almaty(2026, 4, 6, 14), reason="Угроза",
        accompanied_by="Инспектор", explained_to_child=True, psychologist_present=True,
        psychologist_absence_reason="", taken_to="Центр", prosecutor_notified_at=almaty(2026, 4, 6, 15),
    )  # fmt: skip
    family = family_create(name="Семья", district=almaly, by=alice)
    family_member_add(family=family, person=child.person, relation=Relation.CHILD)


def _count(func) -> int:
    with CaptureQueriesContext(connection) as queries:
        func()
    return len(queries)


def test_the_childs_file_is_read_in_a_fixed_number_of_queries(
    make_child,
    alice,
    institution,
    make_carer,
    almaly,
    django_assert_num_queries,
    django_assert_max_num_queries,
):
    small = make_child(first_name="Тимур")
    large = make_child()
    _rich_file(small, alice, institution, make_carer, almaly, placements=1)
    _rich_file(large, alice, institution, make_carer, almaly, placements=5)
    child_file(user=alice, pk=small.pk)  # warm the user's scope and content types

    with django_assert_num_queries(CHILD_FILE_QUERIES):
        file = child_file(user=alice, pk=large.pk)
    assert len(file.placement_list) == 6
    assert {s.category for s in file.status_list} >= {StatusCategory.ORPHAN}
    assert len(file.family_list) == 1
    assert {t.kind for t in file.open_timers} == {
        "databank_registration",
        "court_claim",
        "disability_reexam",
        "carer_check",
        "carer_inspection",
    }
    # Reading the page touches only what the selector loaded.
    with django_assert_max_num_queries(0):
        for placement in file.placement_list:
            str(placement.carer and placement.carer.person)
            str(placement.organisation)
        for removal in file.removal_list:
            str(removal.recorded_by)
        for view in file.view_list:
            str(view.heard_by)
        for membership in file.family_list:
            str(membership.family)
        str(file.person.district)

    assert _count(lambda: child_file(user=alice, pk=small.pk)) == _count(
        lambda: child_file(user=alice, pk=large.pk)
    )


def _children(make_child, institution, make_carer, count: int, start: int = 0):
    for n in range(start, start + count):
        child = make_child(
            last_name=SURNAMES[n % len(SURNAMES)], first_name=FIRST_NAMES[n % len(FIRST_NAMES)]
        )
        if n % 2:
            child_status_add(
                child=child, category=StatusCategory.ORPHAN, started_on=date(2026, 1, 5)
            )
            placement_start(
                child=child, form=PlacementForm.ORGANISATION, started_on=date(2026, 1, 5),
                organisation=institution,
            )  # fmt: skip
        else:
            carer = make_carer(CarerKind.GUARDIAN) if n % 3 == 0 else None
            if carer:
                placement_start(
                    child=child, form=PlacementForm.GUARDIANSHIP, started_on=date(2026, 1, 5),
                    carer=carer,
                )  # fmt: skip


@pytest.mark.parametrize("query", ["", "?q=Нурланов", "?category=orphan"])
def test_the_child_list_page_costs_the_same_for_10_and_30_children(
    make_child, institution, make_carer, client_for, alice, query
):
    client = client_for(alice)
    _children(make_child, institution, make_carer, 10)
    client.get("/registry/children/")  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as ten:
        response = client.get(f"/registry/children/{query}")
    assert response.status_code == 200
    _children(make_child, institution, make_carer, 20, start=10)
    with CaptureQueriesContext(connection) as thirty:
        response = client.get(f"/registry/children/{query}")
    assert response.status_code == 200
    shown = len(response.context["page"].object_list)
    assert shown == {"": 25, "?q=Нурланов": 6, "?category=orphan": 15}[query]
    assert len(thirty) == len(ten), "\n".join(q["sql"] for q in thirty.captured_queries)
