"""Search: any script and spelling finds the person, closest first; an IIN is exact; the
child list is scoped to the user's district; likely duplicates are offered before creating."""

from datetime import date

import pytest

from children.models import Person, Sex
from children.selectors import child_list, duplicate_candidates, ranked_by_name
from tests.children.conftest import BIRTH, iin_for


def _names(people) -> list[str]:
    return [p.full_name for p in people]


@pytest.fixture
def nurlanov(make_child):
    return make_child(birth_date=BIRTH, sex=Sex.MALE, iin=iin_for(BIRTH, Sex.MALE, seed=21))


@pytest.mark.parametrize(
    "query", ["Nurlanov", "Нурланов", "нурланов", "NURLANOV Erlan", "Нурланұлы", "Нурланв"]
)
def test_it_finds_a_name_in_any_script_and_with_a_typo(nurlanov, make_child, query):
    make_child(last_name="Сапаров", first_name="Тимур")
    found = ranked_by_name(Person.objects.all(), query)
    assert _names(found) == ["Нурланов Ерлан"]


def test_a_search_without_letters_finds_nobody(nurlanov):
    assert list(ranked_by_name(Person.objects.all(), "  --  ")) == []


def test_an_exact_iin_finds_exactly_that_person(nurlanov, make_child):
    twin = make_child(
        first_name="Ербол", birth_date=BIRTH, sex=Sex.MALE, iin=iin_for(BIRTH, Sex.MALE, seed=22)
    )
    found = list(ranked_by_name(Person.objects.all(), f" {twin.person.iin} "))
    assert found == [twin.person]
    assert list(ranked_by_name(Person.objects.all(), nurlanov.person.iin[:11])) == []


def test_results_are_ranked_closest_first(make_child):
    for last, first in [
        ("Нурланов", "Ербол"),
        ("Нурланова", "Еркеж"),
        ("Нурланов", "Ерлан"),
        ("Жанбулатов", "Ерлан"),
    ]:
        make_child(last_name=last, first_name=first)
    found = list(ranked_by_name(Person.objects.all(), "Nurlanov Erlan"))
    assert found[0].full_name == "Нурланов Ерлан"
    # Sharing only the first name is the weakest match.
    assert found[-1].full_name == "Жанбулатов Ерлан"
    similarities = [p.similarity for p in found]
    assert similarities == sorted(similarities, reverse=True)
    assert similarities[0] > similarities[-1]


def test_child_list_search_keeps_the_ranking(alice, make_child):
    make_child(last_name="Нурланов", first_name="Ербол")
    make_child(last_name="Нурланов", first_name="Ерлан")
    found = child_list(user=alice, query="Нурланов Ерлан")
    assert [c.person.full_name for c in found] == ["Нурланов Ерлан", "Нурланов Ербол"]


def test_child_list_finds_a_latin_spelling_in_the_users_district(alice, nurlanov):
    assert list(child_list(user=alice, query="Nurlanov")) == [nurlanov]
    assert list(child_list(user=alice, query=nurlanov.person.iin)) == [nurlanov]


def test_child_list_does_not_show_another_districts_children(
    alice, oscar, bostandyk, other_guardianship, make_child
):
    mine = make_child()
    theirs = make_child(
        district=bostandyk, first_name="Ербол", by=oscar, iin=iin_for(BIRTH, Sex.MALE, seed=23)
    )
    assert list(child_list(user=alice, query="Нурланов")) == [mine]
    assert list(child_list(user=alice, query=theirs.person.iin)) == []
    assert list(child_list(user=alice)) == [mine]
    assert list(child_list(user=oscar, query="Нурланов")) == [theirs]


def test_child_list_shows_nothing_to_a_school_referrer(rita, nurlanov):
    assert list(child_list(user=rita)) == []
    assert list(child_list(user=rita, query="Нурланов")) == []


def test_duplicate_candidates_offer_another_spelling_with_the_same_birth_date(
    make_child, make_person
):
    same_born = make_child(birth_date=BIRTH)
    make_person(first_name="Ерлан", birth_date=date(2011, 1, 1))
    make_person(last_name="Сапаров", first_name="Тимур", birth_date=BIRTH)
    candidates = duplicate_candidates(last_name="Nurlanov", first_name="Erlan", birth_date=BIRTH)
    assert candidates[0] == same_born.person
    assert len(candidates) == 2
    assert "Сапаров Тимур" not in _names(candidates)


def test_duplicate_candidates_let_the_iin_win(make_child, make_person):
    make_child(birth_date=BIRTH)
    iin = iin_for(date(2013, 2, 2), Sex.FEMALE, seed=24)
    owner = make_person(
        last_name="Сапарова", first_name="Дана", iin=iin, birth_date=date(2013, 2, 2), sex="F"
    )
    candidates = duplicate_candidates(
        last_name="Нурланов", first_name="Ерлан", birth_date=BIRTH, iin=iin
    )
    assert candidates == [owner]


def test_duplicate_candidates_fall_back_to_names_for_an_unknown_iin(make_child):
    existing = make_child(birth_date=BIRTH)
    candidates = duplicate_candidates(
        last_name="Нурланов", first_name="Ерлан", iin=iin_for(BIRTH, Sex.MALE, seed=25)
    )
    assert candidates == [existing.person]


def test_duplicate_candidates_ignore_unrelated_names(make_child):
    make_child(birth_date=BIRTH)
    assert duplicate_candidates(last_name="Сапарова", first_name="Дана", birth_date=BIRTH) == []


SPELLINGS = ["Джанбулатов", "Жанбулат", "Жанбулатов", "Жанболат", "Zhanbulatov", "Janbulatov"]


@pytest.mark.parametrize("query", SPELLINGS)
def test_every_spelling_of_one_surname_finds_every_other(make_person, query):
    people = {make_person(last_name=spelling, first_name="Ерлан") for spelling in SPELLINGS}
    make_person(last_name="Сапаров", first_name="Тимур")
    assert set(ranked_by_name(Person.objects.all(), query)) == people
