"""Family files: members, difficult life situations, police preventive registrations."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from families.models import (
    DifficultSituation,
    DifficultSituationGround,
    FamilyMember,
    PoliceRegistration,
    Relation,
)
from families.services import (
    difficult_situation_end,
    difficult_situation_recognise,
    family_create,
    family_member_add,
    police_deregister,
    police_registration_add,
)

RECOGNISED = date(2026, 2, 2)


@pytest.fixture
def family(almaly, alice):
    return family_create(name=" Нурлановы ", district=almaly, by=alice)


GROUNDS = {
    "neglect": "Безнадзорность несовершеннолетних",
    "low_income": "Малообеспеченность",
    "unemployment": "Безработица",
    "other": "Иное",
}


@pytest.fixture
def grounds(db):
    """The grounds these tests use (a migration seeds them, but transactional tests
    elsewhere truncate every table)."""
    return {
        code: DifficultSituationGround.objects.update_or_create(
            code=code, defaults={"name_ru": name, "is_other": code == "other", "active": True}
        )[0]
        for code, name in GROUNDS.items()
    }


def _recognise(family, grounds, by, other_ground="", recognised_on=RECOGNISED):
    return difficult_situation_recognise(
        family=family,
        grounds=grounds,
        other_ground=other_ground,
        recognised_on=recognised_on,
        by=by,
    )


def test_a_family_needs_a_name(almaly, alice, family):
    assert family.name == "Нурлановы"
    with pytest.raises(ValidationError) as caught:
        family_create(name="  ", district=almaly, by=alice)
    assert "name" in caught.value.message_dict


def test_a_member_is_added_once(family, make_person):
    mother = make_person(last_name="Нурланова", first_name="Гульмира")
    family_member_add(family=family, person=mother, relation=Relation.MOTHER)
    with pytest.raises(ValidationError):
        family_member_add(family=family, person=mother, relation=Relation.GUARDIAN)
    assert list(FamilyMember.objects.filter(family=family).values_list("relation", flat=True)) == [
        Relation.MOTHER
    ]


def test_a_person_may_belong_to_two_families(family, make_person, almaly, alice):
    child = make_person()
    other = family_create(name="Сапаровы", district=almaly, by=alice)
    family_member_add(family=family, person=child, relation=Relation.CHILD)
    family_member_add(family=other, person=child, relation=Relation.GRANDPARENT)
    assert child.memberships.count() == 2


def test_a_difficult_situation_needs_a_ground(family, alice):
    with pytest.raises(ValidationError) as caught:
        _recognise(family, [], alice)
    assert "grounds" in caught.value.message_dict
    assert not DifficultSituation.objects.exists()


def test_the_other_ground_needs_a_description(family, grounds, alice):
    with pytest.raises(ValidationError) as caught:
        _recognise(family, [grounds["low_income"], grounds["other"]], alice, other_ground="  ")
    assert "other_ground" in caught.value.message_dict
    assert not DifficultSituation.objects.exists()
    situation = _recognise(
        family, [grounds["other"]], alice, other_ground="Пожар в доме, временное жильё"
    )
    assert list(situation.grounds.all()) == [grounds["other"]]
    assert situation.other_ground == "Пожар в доме, временное жильё"


def test_a_difficult_situation_records_its_grounds(family, grounds, alice):
    situation = _recognise(family, [grounds["low_income"], grounds["unemployment"]], alice)
    assert set(situation.grounds.values_list("code", flat=True)) == {"low_income", "unemployment"}
    assert (situation.recognised_by, situation.recognised_on) == (alice, RECOGNISED)


def test_a_family_has_one_open_difficult_situation(family, grounds, alice):
    first = _recognise(family, [grounds["low_income"]], alice)
    with pytest.raises(ValidationError):
        _recognise(family, [grounds["neglect"]], alice, recognised_on=date(2026, 3, 1))
    assert list(family.difficult_situations.all()) == [first]
    difficult_situation_end(situation=first, ended_on=date(2026, 2, 28), note="Трудоустроены")
    second = _recognise(family, [grounds["neglect"]], alice, recognised_on=date(2026, 3, 1))
    assert family.difficult_situations.filter(ended_on__isnull=True).get() == second


def test_a_difficult_situation_cannot_end_before_it_started_or_twice(family, grounds, alice):
    situation = _recognise(family, [grounds["low_income"]], alice)
    with pytest.raises(ValidationError) as caught:
        difficult_situation_end(situation=situation, ended_on=date(2026, 2, 1), note="")
    assert "ended_on" in caught.value.message_dict
    assert DifficultSituation.objects.get(pk=situation.pk).ended_on is None
    difficult_situation_end(situation=situation, ended_on=RECOGNISED, note="")
    with pytest.raises(ValidationError):
        difficult_situation_end(situation=situation, ended_on=date(2026, 3, 1), note="")
    assert DifficultSituation.objects.get(pk=situation.pk).ended_on == RECOGNISED


REGISTRATION = {
    "registered_on": date(2026, 4, 6),
    "police_unit": "ОП Алмалинского района",
    "inspector": "Инспектор (синтетический)",
    "ground": "Профилактический учёт",
}


def test_a_police_registration_links_to_the_police_notice(family, make_notice, make_person):
    notice = make_notice()
    father = make_person(last_name="Нурланов", first_name="Асқар")
    registration = police_registration_add(
        family=family, person=father, referral=notice, **REGISTRATION
    )
    registration.refresh_from_db()
    assert (registration.referral, registration.person) == (notice, father)
    assert list(notice.police_registrations.all()) == [registration]
    assert list(family.police_registrations.all()) == [registration]


def test_a_police_registration_needs_its_unit_and_ground(family):
    with pytest.raises(ValidationError) as caught:
        police_registration_add(family=family, **{**REGISTRATION, "police_unit": "", "ground": ""})
    assert set(caught.value.message_dict) == {"police_unit", "ground"}
    assert not PoliceRegistration.objects.exists()


def test_deregistration_needs_a_reason_and_happens_once(family):
    registration = police_registration_add(family=family, **REGISTRATION)
    with pytest.raises(ValidationError) as caught:
        police_deregister(registration=registration, on=date(2026, 6, 1), reason=" ")
    assert "reason" in caught.value.message_dict
    police_deregister(registration=registration, on=date(2026, 6, 1), reason="Исправление")
    with pytest.raises(ValidationError):
        police_deregister(registration=registration, on=date(2026, 6, 2), reason="Повторно")
    registration.refresh_from_db()
    assert (registration.deregistered_on, registration.deregistration_reason) == (
        date(2026, 6, 1),
        "Исправление",
    )


def test_deregistration_cannot_precede_registration(family):
    registration = police_registration_add(family=family, **REGISTRATION)
    with pytest.raises(ValidationError):
        police_deregister(registration=registration, on=date(2026, 4, 5), reason="Ошибка")
    assert PoliceRegistration.objects.get(pk=registration.pk).deregistered_on is None


def _post_police(client, family, referral_pk):
    return client.post(
        f"/registry/families/{family.pk}/police/",
        {
            "registered_on": "06.04.2026",
            "police_unit": REGISTRATION["police_unit"],
            "ground": REGISTRATION["ground"],
            "referral": referral_pk,
        },
    )


def test_the_police_page_links_a_police_notice_by_its_number(
    family, make_notice, client_for, alice
):
    notice = make_notice()
    response = _post_police(client_for(alice), family, notice.pk)
    assert response.status_code == 302
    assert PoliceRegistration.objects.get().referral == notice


def test_the_police_page_refuses_a_referral_that_is_not_a_police_notice(
    family, make_concern, client_for, alice
):
    concern = make_concern()
    response = _post_police(client_for(alice), family, concern.pk)
    assert response.status_code == 200
    assert "referral" in response.context["form"].errors
    assert not PoliceRegistration.objects.exists()
