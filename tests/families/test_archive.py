"""A family's file registered twice or by mistake is archived with a reason, kept
read-only and out of the list, and restored by the head of guardianship."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from casework.models import ArchiveAction, ArchiveEvent
from casework.services.cases import case_open
from children.services.people import PersonInput, person_create
from families import services
from families.models import Relation

REASON = "Семья уже зарегистрирована: дубликат"


@pytest.fixture
def family(almaly, alice):
    return services.family_create(name="Дубликатовы", district=almaly, by=alice)


def _english(user):
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    return user


def test_a_specialist_archives_a_family_and_it_leaves_the_list(
    family, almaly, alice, bob, client_for
):
    kept = services.family_create(name="Сапаровы", district=almaly, by=alice)
    client = client_for(bob)
    assert (
        client.post(f"/registry/families/{family.pk}/archive/", {"reason": REASON}).status_code
        == 302
    )
    family.refresh_from_db()
    assert (family.archived_by, family.archive_reason) == (bob, REASON)
    assert ArchiveEvent.objects.get(object_id=family.pk, content_type__model="family").actor == bob
    listed = client.get("/registry/families/")
    assert [f.pk for f in listed.context["page"]] == [kept.pk]
    assert [
        f.pk for f in client.get("/registry/families/", {"q": "Дубликат"}).context["page"]
    ] == []
    page = client_for(_english(alice)).get(f"/registry/families/{family.pk}/").content.decode()
    assert f"by {bob.full_name}: {REASON}" in page
    assert f"/registry/families/{family.pk}/member/" not in page


def test_the_reason_is_required(family, alice, client_for):
    response = client_for(alice).post(f"/registry/families/{family.pk}/archive/", {"reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    family.refresh_from_db()
    assert family.archived_at is None


def test_an_archived_family_is_read_only(family, almaly, alice, client_for):
    services.family_archive(family=family, by=alice, reason=REASON)
    person = person_create(
        data=PersonInput(last_name="Дубликатова", first_name="Жанар", district=almaly), by=alice
    )
    client = client_for(_english(alice))
    response = client.post(
        f"/registry/families/{family.pk}/member/",
        {"person": person.pk, "relation": Relation.MOTHER},
    )
    assert response.status_code == 403
    assert "it can be read but not changed" in response.content.decode()
    assert not family.members.exists()
    assert client.post(f"/kdn/submit/family/{family.pk}/", {"question": "?"}).status_code == 403


def test_only_the_head_restores_a_family(family, alice, hanna, client_for):
    services.family_archive(family=family, by=alice, reason=REASON)
    assert f"/registry/families/{family.pk}/restore/" not in (
        client_for(alice).get(f"/registry/families/{family.pk}/").content.decode()
    )
    assert client_for(alice).post(f"/registry/families/{family.pk}/restore/").status_code == 403
    head_page = client_for(hanna).get(f"/registry/families/{family.pk}/").content.decode()
    assert f'action="/registry/families/{family.pk}/restore/"' in head_page
    assert client_for(hanna).post(f"/registry/families/{family.pk}/restore/").status_code == 302
    family.refresh_from_db()
    assert family.archived_at is None
    actions = ArchiveEvent.objects.filter(object_id=family.pk, content_type__model="family")
    assert sorted(actions.values_list("action", flat=True)) == [
        ArchiveAction.ARCHIVED,
        ArchiveAction.RESTORED,
    ]


def test_a_family_with_an_open_fsc_case_is_not_archived(family, alice, fatima, fsc):
    case_open(organisation=fsc, by=fatima, family=family)
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="case about the family is open"),
    ):
        services.family_archive(family=family, by=alice, reason=REASON)
    family.refresh_from_db()
    assert family.archived_at is None


def test_an_outsider_gets_not_found(family, oscar, client_for):
    client = client_for(oscar)
    assert (
        client.post(f"/registry/families/{family.pk}/archive/", {"reason": "x"}).status_code == 404
    )
    assert client.post(f"/registry/families/{family.pk}/restore/").status_code == 404
