"""People: the IIN is checked (check digit, century/sex digit, date), unique, and must agree
with the birth date and sex unless the user confirms; the IIN may come later."""

from dataclasses import replace
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext

from casework.iin import check_digit
from children.models import Child, Person, Sex
from children.services.people import IINMismatch, person_update
from tests.children.conftest import BIRTH, iin_for, person_input


def _with_check_digit(first_eleven: str) -> str:
    digit = check_digit(first_eleven)
    assert digit is not None, "choose another serial for this vector"
    return f"{first_eleven}{digit}"


def _refused_iin(make_person, iin: str) -> ValidationError:
    before = Person.objects.count()
    with pytest.raises(ValidationError) as caught:
        make_person(iin=iin, birth_date=BIRTH, sex=Sex.MALE)
    assert not isinstance(caught.value, IINMismatch)
    assert Person.objects.count() == before
    return caught.value


def test_it_saves_a_valid_synthetic_iin(make_person, almaly, alice):
    iin = iin_for(BIRTH, Sex.MALE, seed=1)
    person = make_person(iin=iin, birth_date=BIRTH, sex=Sex.MALE, patronymic="Асқарұлы")
    person.refresh_from_db()
    assert person.iin == iin
    assert (person.birth_date, person.sex, person.district, person.region) == (
        BIRTH,
        Sex.MALE,
        almaly,
        almaly.region,
    )
    assert person.search_key == "nurlan erlan askar"
    assert person.latin_name == "Nurlanov Erlan Askaruly"
    assert person.created_by == alice


def test_it_saves_a_girls_iin(make_person):
    born = date(2012, 1, 31)
    person = make_person(
        last_name="Нурланова",
        first_name="Айгерим",
        iin=iin_for(born, Sex.FEMALE, seed=2),
        birth_date=born,
        sex=Sex.FEMALE,
    )
    assert person.iin[6] == "6"


def test_it_refuses_a_wrong_check_digit(make_person):
    valid = iin_for(BIRTH, Sex.MALE, seed=3)
    wrong = f"{valid[:11]}{(int(valid[11]) + 1) % 10}"
    with translation.override("ru"):
        error = _refused_iin(make_person, wrong)
        russian = gettext("This is not a valid IIN: check the 12 digits.")
    assert error.message_dict == {"iin": [russian]}
    assert "ИИН" in russian  # the Russian catalog has the message


def test_it_refuses_every_number_whose_check_digit_cannot_exist(make_person):
    prefix = next(
        first
        for serial in range(10_000)
        if check_digit(first := f"{BIRTH:%y%m%d}5{serial:04d}") is None
    )
    for last in "0123456789":
        error = _refused_iin(make_person, f"{prefix}{last}")
        assert set(error.message_dict) == {"iin"}


@pytest.mark.parametrize("century_sex", ["0", "7", "8", "9"])
def test_it_refuses_a_seventh_digit_outside_one_to_six(make_person, century_sex):
    serial = next(
        s for s in range(9000, 10_000) if check_digit(f"{BIRTH:%y%m%d}{century_sex}{s}") is not None
    )
    iin = _with_check_digit(f"{BIRTH:%y%m%d}{century_sex}{serial}")
    assert set(_refused_iin(make_person, iin).message_dict) == {"iin"}


@pytest.mark.parametrize("yymmdd", ["150230", "151301", "150000", "150631", "190229"])
def test_it_refuses_an_impossible_birth_date(make_person, yymmdd):
    serial = next(s for s in range(9000, 10_000) if check_digit(f"{yymmdd}5{s}") is not None)
    iin = _with_check_digit(f"{yymmdd}5{serial}")
    assert set(_refused_iin(make_person, iin).message_dict) == {"iin"}


@pytest.mark.parametrize(
    "iin", ["1506145", "15061459000011", "15061459OOO1", "１５０６１４５９０００１"]
)
def test_it_refuses_anything_but_twelve_ascii_digits(make_person, iin):
    assert set(_refused_iin(make_person, iin).message_dict) == {"iin"}


def test_it_refuses_a_duplicate_iin(make_person):
    iin = iin_for(BIRTH, Sex.MALE, seed=4)
    make_person(iin=iin, birth_date=BIRTH, sex=Sex.MALE)
    with translation.override("ru"):
        with pytest.raises(ValidationError) as caught:
            make_person(last_name="Nurlanov", iin=iin, birth_date=BIRTH, sex=Sex.MALE)
        russian = gettext("A person with this IIN is already registered.")
    assert caught.value.message_dict == {"iin": [russian]}
    assert "ИИН" in russian
    assert Person.objects.filter(iin=iin).count() == 1
    assert Person.objects.count() == 1


def test_a_duplicate_iin_is_refused_with_the_duplicate_iin_code(make_person):
    """Views and API clients tell "already registered" from "mistyped" by the code."""
    iin = iin_for(BIRTH, Sex.MALE, seed=5)
    make_person(iin=iin, birth_date=BIRTH, sex=Sex.MALE)
    with pytest.raises(ValidationError) as caught:
        make_person(iin=iin, birth_date=BIRTH, sex=Sex.MALE)
    codes = [error.code for error in caught.value.error_dict["iin"]]
    assert codes == ["duplicate_iin"]


def test_a_birth_date_disagreeing_with_the_iin_needs_confirmation(make_person):
    iin = iin_for(BIRTH, Sex.MALE, seed=6)
    with pytest.raises(IINMismatch) as caught:
        make_person(iin=iin, birth_date=date(2015, 6, 15), sex=Sex.MALE)
    assert not Person.objects.exists()
    assert any("14.06.2015" in message for message in caught.value.messages)
    person = make_person(iin=iin, birth_date=date(2015, 6, 15), sex=Sex.MALE, confirm_mismatch=True)
    person.refresh_from_db()
    assert (person.iin, person.birth_date) == (iin, date(2015, 6, 15))


def test_a_sex_disagreeing_with_the_iin_needs_confirmation(make_person):
    iin = iin_for(BIRTH, Sex.MALE, seed=7)
    with pytest.raises(IINMismatch) as caught:
        make_person(first_name="Айгерим", iin=iin, birth_date=BIRTH, sex=Sex.FEMALE)
    assert len(caught.value.messages) == 1
    assert not Person.objects.exists()
    person = make_person(
        first_name="Айгерим", iin=iin, birth_date=BIRTH, sex=Sex.FEMALE, confirm_mismatch=True
    )
    assert Person.objects.get().pk == person.pk


def test_both_disagreements_are_reported_together(make_person):
    iin = iin_for(BIRTH, Sex.MALE, seed=8)
    with pytest.raises(IINMismatch) as caught:
        make_person(iin=iin, birth_date=date(2016, 1, 1), sex=Sex.FEMALE)
    assert len(caught.value.messages) == 2


def test_a_mismatch_carries_the_iin_mismatch_code(make_person):
    iin = iin_for(BIRTH, Sex.MALE, seed=9)
    with pytest.raises(IINMismatch) as caught:
        make_person(iin=iin, birth_date=date(2015, 6, 15), sex=Sex.MALE)
    assert {error.code for error in caught.value.error_list} == {"iin_mismatch"}


def test_confirming_does_not_let_an_invalid_iin_through(make_person):
    valid = iin_for(BIRTH, Sex.MALE, seed=10)
    wrong = f"{valid[:11]}{(int(valid[11]) + 1) % 10}"
    with pytest.raises(ValidationError):
        make_person(iin=wrong, birth_date=BIRTH, confirm_mismatch=True)
    assert not Person.objects.exists()


def test_a_child_registered_with_a_mismatch_leaves_nothing_behind(make_child):
    iin = iin_for(BIRTH, Sex.MALE, seed=11)
    with pytest.raises(IINMismatch):
        make_child(iin=iin, birth_date=date(2014, 6, 14), sex=Sex.MALE)
    assert not Person.objects.exists()
    assert not Child.objects.exists()


def test_a_child_may_be_registered_without_iin_and_get_one_later(make_child, almaly):
    first = make_child(birth_date=BIRTH, sex=Sex.MALE)
    second = make_child(last_name="Сапаров", first_name="Тимур")  # two without IIN coexist
    assert first.person.iin is None and second.person.iin is None
    iin = iin_for(BIRTH, Sex.MALE, seed=12)
    data = person_input(almaly, iin=iin, birth_date=BIRTH, sex=Sex.MALE)
    person = person_update(person=first.person, data=data)
    person.refresh_from_db()
    assert person.iin == iin
    # Saving the same record again with its own IIN is not a duplicate.
    person_update(person=person, data=replace(data, street="Абая"))
    assert Person.objects.get(pk=person.pk).street == "Абая"


def test_an_update_may_not_take_another_persons_iin(make_person, almaly):
    iin = iin_for(BIRTH, Sex.MALE, seed=13)
    make_person(iin=iin, birth_date=BIRTH, sex=Sex.MALE)
    other = make_person(last_name="Сапаров", first_name="Тимур")
    data = person_input(almaly, last_name="Сапаров", first_name="Тимур", iin=iin)
    with pytest.raises(ValidationError) as caught:
        person_update(person=other, data=data)
    assert "iin" in caught.value.message_dict
    other.refresh_from_db()
    assert other.iin is None


def test_an_update_that_disagrees_with_the_iin_needs_confirmation(make_person, almaly):
    iin = iin_for(BIRTH, Sex.MALE, seed=14)
    person = make_person(iin=iin, birth_date=BIRTH, sex=Sex.MALE)
    data = person_input(almaly, iin=iin, birth_date=date(2015, 7, 14), sex=Sex.MALE)
    with pytest.raises(IINMismatch):
        person_update(person=person, data=data)
    person.refresh_from_db()
    assert person.birth_date == BIRTH
    person_update(person=person, data=data, confirm_mismatch=True)
    person.refresh_from_db()
    assert person.birth_date == date(2015, 7, 14)


def test_an_update_recomputes_the_search_key_and_latin_names(make_person, almaly):
    person = make_person()
    data = person_input(almaly, last_name="Жанбулатов", first_name="Ерлан")
    person = person_update(person=person, data=data)
    person.refresh_from_db()
    assert person.search_key == "zhanbulat erlan"
    assert person.last_name_latin == "Zhanbulatov"
