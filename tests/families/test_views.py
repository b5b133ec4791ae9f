"""Family files through HTTP: create, members by record number, a difficult life situation
with its grounds, police preventive registration linked to a police notice, and who may
see them."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from casework.models import AuditRead
from children.services import files
from children.services.people import PersonInput, person_create
from families.models import (
    DifficultSituation,
    DifficultSituationGround,
    Family,
    FamilyMember,
    PoliceRegistration,
    Relation,
)
from families.services import family_create
from referrals import services as referral_services
from referrals.models import ConcernCategory, ReferralKind

REQUIRED_RU = "Обязательное поле."
NOTHING_SAVED_RU = "Исправьте ошибки ниже. Ничего не сохранено."


def ru(message: str) -> str:
    with translation.override("ru"):
        return gettext(message)


def shows(response, text: str) -> bool:
    return escape(text) in response.content.decode()


def section_url(family, section: str) -> str:
    return reverse("family_section", args=[family.pk, section])


def file_url(family) -> str:
    return reverse("family_file", args=[family.pk])


@pytest.fixture
def notice(make_notice):
    """A police notice registered through the real service."""
    return make_notice(registered_at=timezone.now() - timedelta(hours=2))


@pytest.fixture
def family(alice, almaly):
    return family_create(name="Синтетиковы", district=almaly, by=alice, locality="Алматы")


def person(by, district, last="Синтетикова", first="Гульнара", **fields):
    return person_create(
        data=PersonInput(last_name=last, first_name=first, district=district, **fields), by=by
    )


def test_family_story(alice, client_for, almaly, notice):
    """Create a family, add members, recognise and end a difficult life situation, register
    and deregister it with the police."""
    browser = client_for(alice)
    assert browser.get(reverse("family_create")).status_code == 200

    response = browser.post(
        reverse("family_create"),
        {"name": "Синтетиковы", "district": almaly.pk, "locality": "Алматы", "street": "ул. Абая"},
    )
    family = Family.objects.get()
    assert response.status_code == 302
    assert response.url == file_url(family)
    assert (family.district, family.created_by, family.street) == (almaly, alice, "ул. Абая")

    # Members by record number: the mother, and a child with a file of her own.
    mother = person(alice, almaly, birth_date=date(1988, 4, 2), sex="F")
    child = files.child_register(
        data=PersonInput(
            last_name="Синтетикова",
            first_name="Аружан",
            district=almaly,
            birth_date=date(2015, 3, 14),
        ),
        by=alice,
    )
    for who, relation in ((mother, Relation.MOTHER), (child.person, Relation.CHILD)):
        response = browser.post(
            section_url(family, "member"),
            {"person": who.pk, "relation": relation, "since": "01.01.2020"},
        )
        assert response.status_code == 302, response.content.decode()
    assert FamilyMember.objects.filter(family=family).count() == 2
    assert FamilyMember.objects.get(person=mother).since == date(2020, 1, 1)

    # The same person twice is refused.
    response = browser.post(
        section_url(family, "member"), {"person": mother.pk, "relation": Relation.MOTHER}
    )
    assert response.status_code == 200
    assert shows(response, ru("This person is already a member of the family."))
    assert FamilyMember.objects.filter(family=family).count() == 2

    # A difficult life situation on grounds from the seeded list.
    grounds = list(DifficultSituationGround.objects.filter(code__in=["low_income", "neglect"]))
    assert len(grounds) == 2
    response = browser.post(
        section_url(family, "situation"),
        {"grounds": [g.pk for g in grounds], "recognised_on": "02.02.2026"},
    )
    assert response.status_code == 302
    situation = DifficultSituation.objects.get()
    assert set(situation.grounds.all()) == set(grounds)
    assert (situation.recognised_on, situation.recognised_by) == (date(2026, 2, 2), alice)
    assert situation.ended_on is None

    # A second one while the first is open is refused.
    response = browser.post(
        section_url(family, "situation"),
        {"grounds": [grounds[0].pk], "recognised_on": "03.02.2026"},
    )
    assert response.status_code == 200
    assert shows(response, ru("The family is already recognised as in a difficult life situation."))
    assert DifficultSituation.objects.count() == 1

    # The police registration, linked to the police notice by its number in Qamqor.
    response = browser.post(
        section_url(family, "police"),
        {
            "registered_on": "05.02.2026",
            "police_unit": "ОП Алмалинского района",
            "inspector": "Инспектор (синтетический)",
            "ground": "Профилактический учёт",
            "referral": notice.number,
        },
    )
    assert response.status_code == 302
    registration = PoliceRegistration.objects.get()
    assert registration.family == family
    assert registration.referral == notice
    assert registration.registered_on == date(2026, 2, 5)

    # The file shows all of it.
    response = browser.get(file_url(family))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Синтетикова Гульнара" in page
    assert f'href="{reverse("child_file", args=[child.pk])}"' in page
    assert all(escape(g.name_ru) in page for g in grounds)
    assert "ОП Алмалинского района" in page
    assert f'href="{reverse("referral_detail", args=[notice.pk])}"' in page
    assert f"№ {notice.number}" in page
    deregister = reverse("police_deregister", args=[family.pk, registration.pk])
    assert f'href="{deregister}"' in page

    # The child's file links back to the family.
    child_page = browser.get(reverse("child_file", args=[child.pk])).content.decode()
    assert f'href="{file_url(family)}"' in child_page

    # The situation ends.
    response = browser.post(
        section_url(family, "situation-end"),
        {"ended_on": "01.03.2026", "note": "Мать трудоустроена"},
    )
    assert response.status_code == 302
    situation.refresh_from_db()
    assert (situation.ended_on, situation.end_note) == (date(2026, 3, 1), "Мать трудоустроена")
    response = browser.post(section_url(family, "situation-end"), {"ended_on": "02.03.2026"})
    assert response.status_code == 200
    assert shows(response, ru("The family is not in a recognised difficult life situation."))

    # Deregistration.
    assert browser.get(deregister).status_code == 200
    response = browser.post(deregister, {"on": "10.03.2026", "reason": "Исправление поведения"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.deregistered_on == date(2026, 3, 10)
    assert registration.deregistration_reason == "Исправление поведения"
    page = browser.get(file_url(family)).content.decode()
    assert "Исправление поведения" in page
    assert f'href="{deregister}"' not in page
    response = browser.post(deregister, {"on": "11.03.2026", "reason": "Ещё раз"})
    assert response.status_code == 200
    assert shows(response, ru("Already deregistered."))
    registration.refresh_from_db()
    assert registration.deregistered_on == date(2026, 3, 10)


def test_a_person_alice_cannot_see_is_a_form_error(alice, oscar, client_for, family, bostandyk):
    theirs = person(oscar, bostandyk)
    browser = client_for(alice)
    for number in (theirs.pk, 999_999):
        response = browser.post(
            section_url(family, "member"),
            {"person": number, "relation": Relation.MOTHER, "since": "01.01.2020"},
        )
        assert response.status_code == 200
        assert response.context["form"].errors["person"] == [
            ru("No record with this number that you may see.")
        ]
        assert shows(response, NOTHING_SAVED_RU)
        assert f'value="{number}"' in response.content.decode()
        assert 'value="01.01.2020"' in response.content.decode()
    assert not FamilyMember.objects.exists()


def test_a_member_number_that_is_not_a_number_is_a_form_error(alice, client_for, family):
    response = client_for(alice).post(
        section_url(family, "member"), {"person": "abc", "relation": Relation.MOTHER}
    )
    assert response.status_code == 200
    assert "person" in response.context["form"].errors
    assert not FamilyMember.objects.exists()


def test_a_difficult_situation_needs_grounds_and_other_needs_a_description(
    alice, client_for, family
):
    browser = client_for(alice)
    response = browser.post(section_url(family, "situation"), {"recognised_on": "02.02.2026"})
    assert response.status_code == 200
    assert response.context["form"].errors["grounds"] == [REQUIRED_RU]
    assert 'value="02.02.2026"' in response.content.decode()

    other = DifficultSituationGround.objects.get(code="other")
    response = browser.post(
        section_url(family, "situation"), {"grounds": [other.pk], "recognised_on": "02.02.2026"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["other_ground"] == [ru("Describe the other ground.")]
    assert not DifficultSituation.objects.exists()

    response = browser.post(
        section_url(family, "situation"),
        {"grounds": [other.pk], "other_ground": "Пожар в доме", "recognised_on": "02.02.2026"},
    )
    assert response.status_code == 302
    assert DifficultSituation.objects.get().other_ground == "Пожар в доме"
    assert "Пожар в доме" in client_for(alice).get(file_url(family)).content.decode()


def test_ending_a_situation_before_it_began_is_refused(alice, client_for, family):
    browser = client_for(alice)
    low_income = DifficultSituationGround.objects.get(code="low_income")
    browser.post(
        section_url(family, "situation"),
        {"grounds": [low_income.pk], "recognised_on": "02.02.2026"},
    )
    response = browser.post(section_url(family, "situation-end"), {"ended_on": "01.02.2026"})
    assert response.status_code == 200
    assert response.context["form"].errors["ended_on"] == [
        ru("The end cannot be before the start.")
    ]
    assert DifficultSituation.objects.get().ended_on is None


def test_police_registration_refuses_a_referral_that_is_not_a_police_notice(
    alice, client_for, family, almaly, school, rita, guardianship
):
    concern, _created = referral_services.referral_create(
        data=referral_services.ReferralInput(
            kind=ReferralKind.CONCERN,
            district=almaly,
            source_organisation=school,
            child_name="Аружан Синтетикова",
            categories=[ConcernCategory.SCHOOL_ABSENCE],
            narrative="Не посещает школу две недели.",
        ),
        by=rita,
    )
    data = {
        "registered_on": "05.02.2026",
        "police_unit": "ОП Алмалинского района",
        "ground": "Профилактический учёт",
    }
    browser = client_for(alice)
    for number in (concern.pk, 999_999):
        response = browser.post(section_url(family, "police"), {**data, "referral": number})
        assert response.status_code == 200
        assert response.context["form"].errors["referral"] == [
            ru("No police notice with this number that you may see.")
        ]
        assert 'value="ОП Алмалинского района"' in response.content.decode()
    assert not PoliceRegistration.objects.exists()

    # Without a notice number the registration is recorded on its own.
    assert browser.post(section_url(family, "police"), data).status_code == 302
    assert PoliceRegistration.objects.get().referral is None


def test_police_registration_fields_are_required(alice, client_for, family):
    response = client_for(alice).post(section_url(family, "police"), {"inspector": "Кто-то"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    for name in ("registered_on", "police_unit", "ground"):
        assert errors[name] == [REQUIRED_RU], name
    assert 'value="Кто-то"' in response.content.decode()
    assert not PoliceRegistration.objects.exists()


def test_oscar_gets_404_on_the_family_file(alice, oscar, client_for, family, almaly):
    registration = PoliceRegistration.objects.create(
        family=family, registered_on=date(2026, 2, 5), police_unit="ОП", ground="Учёт"
    )
    browser = client_for(oscar)
    urls = [
        file_url(family),
        *(section_url(family, s) for s in ("member", "situation", "situation-end", "police")),
        reverse("police_deregister", args=[family.pk, registration.pk]),
    ]
    for url in urls:
        assert browser.get(url).status_code == 404, url
        assert browser.post(url, {}).status_code == 404, url
    response = browser.get(reverse("family_list"))
    assert response.status_code == 200
    assert list(response.context["page"]) == []
    assert not AuditRead.objects.exists()


@pytest.mark.parametrize("name", ["fatima", "kairat", "rita", "nina", "adam"])
def test_other_roles_are_refused_families(request, client_for, family, name):
    browser = client_for(request.getfixturevalue(name))
    assert browser.get(reverse("family_list")).status_code == 403
    assert browser.get(reverse("family_create")).status_code == 403
    assert browser.get(file_url(family)).status_code == 404
    assert Family.objects.count() == 1


@pytest.mark.parametrize("name", ["alice", "bob", "hanna"])
def test_the_district_s_guardianship_staff_open_the_family(request, client_for, family, name):
    user = request.getfixturevalue(name)
    browser = client_for(user)
    assert browser.get(file_url(family)).status_code == 200
    read = AuditRead.objects.get(user=user)
    assert (read.action, read.object_id) == ("view", str(family.pk))
    for section in ("member", "situation", "situation-end", "police"):
        assert browser.get(section_url(family, section)).status_code == 200, section


def test_unknown_family_sections_and_registrations_are_404(alice, bob, client_for, family, almaly):
    other = family_create(name="Другие", district=almaly, by=bob)
    registration = PoliceRegistration.objects.create(
        family=other, registered_on=date(2026, 2, 5), police_unit="ОП", ground="Учёт"
    )
    browser = client_for(alice)
    assert browser.get(section_url(family, "nonsense")).status_code == 404
    assert browser.post(section_url(family, "deregister"), {}).status_code == 404
    url = reverse("police_deregister", args=[family.pk, registration.pk])
    assert browser.post(url, {"on": "10.03.2026", "reason": "Нет"}).status_code == 404
    registration.refresh_from_db()
    assert registration.deregistered_on is None


def test_family_list_search_and_pages(alice, client_for, almaly):
    for n in range(27):
        family_create(name=f"Семья-{n:02d}", district=almaly, by=alice)
    family_create(name="Синтетиковы", district=almaly, by=alice)
    browser = client_for(alice)
    response = browser.get(reverse("family_list"))
    assert len(response.context["page"]) == 25
    assert response.context["page"].paginator.count == 28
    response = browser.get(reverse("family_list"), {"q": "синтетик"})
    assert [f.name for f in response.context["page"]] == ["Синтетиковы"]


def test_creating_a_family_needs_a_name(alice, client_for, almaly):
    response = client_for(alice).post(
        reverse("family_create"), {"name": "", "district": almaly.pk, "street": "ул. Абая"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [REQUIRED_RU]
    assert 'value="ул. Абая"' in response.content.decode()
    assert not Family.objects.exists()


def test_a_family_cannot_be_created_in_another_district(alice, client_for, bostandyk):
    response = client_for(alice).post(
        reverse("family_create"), {"name": "Синтетиковы", "district": bostandyk.pk}
    )
    assert response.status_code == 200
    assert "district" in response.context["form"].errors
    assert not Family.objects.exists()


def test_deregistration_before_the_registration_is_refused(alice, client_for, family):
    """Like every other end date in the registry (placement, status, difficult situation),
    a deregistration cannot come before the registration it ends."""
    registration = PoliceRegistration.objects.create(
        family=family, registered_on=date(2026, 2, 5), police_unit="ОП", ground="Учёт"
    )
    url = reverse("police_deregister", args=[family.pk, registration.pk])
    response = client_for(alice).post(url, {"on": "01.01.2026", "reason": "Ошибка даты"})
    assert response.status_code == 200
    assert response.context["form"].errors["on"] == [ru("The end cannot be before the start.")]
    registration.refresh_from_db()
    assert registration.deregistered_on is None
