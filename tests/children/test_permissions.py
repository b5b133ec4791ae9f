"""Who may see and change the registry through its pages: the district's guardianship
staff; other districts only after an explicit share; merging is for the head."""

import random
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from casework.iin import synthetic_iin
from casework.models import AuditRead, TimerKind
from children.models import (
    Carer,
    CarerKind,
    Child,
    ChildShare,
    ChildStatus,
    ChildView,
    Person,
    PersonMerge,
    Placement,
    PlacementForm,
    StatusCategory,
)
from children.services import carers, files, placements
from children.services.people import PersonInput, person_create
from families.models import FamilyMember, Relation
from families.services import family_create, family_member_add

GUARDIANSHIP_STAFF = ["alice", "bob", "hanna"]
NOT_GUARDIANSHIP = ["fatima", "kairat", "rita", "nina", "adam"]
TWIN_IIN = synthetic_iin(date(2015, 3, 14), "F", random.Random(11))
SECTIONS = ["status", "disability", "view", "placement", "without-care", "databank", "removal"]


def ru(message: str) -> str:
    with translation.override("ru"):
        return gettext(message)


def person(by, district, last="Жанбулатова", first="Аружан", **fields) -> Person:
    return person_create(
        data=PersonInput(last_name=last, first_name=first, district=district, **fields), by=by
    )


def register(by, district, last="Жанбулатова", first="Аружан", **fields) -> Child:
    return files.child_register(
        data=PersonInput(last_name=last, first_name=first, district=district, **fields), by=by
    )


def carer_of(by, district) -> Carer:
    return carers.carer_register(
        person=person(by, district, "Сапарова", "Гульнара"),
        kind=CarerKind.FOSTER,
        district=district,
        approved_on=date(2026, 2, 2),
    )


@pytest.fixture
def child(alice, almaly):
    return register(alice, almaly, patronymic="Ерлановна", birth_date=date(2015, 3, 14), sex="F")


@pytest.fixture
def carer(alice, almaly):
    return carer_of(alice, almaly)


@pytest.fixture
def placement(child, carer):
    return placements.placement_start(
        child=child, form=PlacementForm.FOSTER_FAMILY, carer=carer, started_on=date(2026, 2, 5)
    )


def child_urls(child) -> list[str]:
    return [
        reverse("child_file", args=[child.pk]),
        reverse("child_edit", args=[child.pk]),
        *(reverse("child_section", args=[child.pk, s]) for s in [*SECTIONS, "share"]),
    ]


def carer_urls(carer) -> list[str]:
    return [
        reverse("carer_file", args=[carer.pk]),
        reverse("carer_section", args=[carer.pk, "check"]),
        reverse("carer_section", args=[carer.pk, "inspection"]),
    ]


@pytest.mark.parametrize("name", GUARDIANSHIP_STAFF)
def test_the_district_s_guardianship_staff_open_every_page(request, client_for, child, carer, name):
    browser = client_for(request.getfixturevalue(name))
    for url in [
        reverse("child_list"),
        reverse("child_create"),
        reverse("carer_list"),
        reverse("carer_create"),
        *child_urls(child),
        *carer_urls(carer),
    ]:
        assert browser.get(url).status_code == 200, url


def test_a_specialist_of_another_district_gets_404_everywhere(
    oscar, client_for, child, carer, placement
):
    browser = client_for(oscar)
    for url in [*child_urls(child), *carer_urls(carer), reverse("person_merge", args=[child.pk])]:
        assert browser.get(url).status_code == 404, url
        assert browser.post(url, {}).status_code == 404, url
    end = reverse("placement_end", args=[child.pk, placement.pk])
    response = browser.post(end, {"ended_on": "01.03.2026", "reason": "other"})
    assert response.status_code == 404
    placement.refresh_from_db()
    assert placement.ended_on is None
    assert not AuditRead.objects.exists()
    # The registry itself is open to him, without Almaly's records.
    response = browser.get(reverse("child_list"))
    assert response.status_code == 200
    assert list(response.context["page"]) == []
    assert list(browser.get(reverse("child_list"), {"q": "Жанбулатова"}).context["page"]) == []
    assert list(browser.get(reverse("carer_list")).context["page"]) == []


def test_posting_a_section_of_another_district_s_file_changes_nothing(oscar, client_for, child):
    response = client_for(oscar).post(
        reverse("child_section", args=[child.pk, "status"]),
        {"category": StatusCategory.ORPHAN, "started_on": "01.02.2026"},
    )
    assert response.status_code == 404
    assert not ChildStatus.objects.exists()
    response = client_for(oscar).post(
        reverse("child_edit", args=[child.pk]),
        {"last_name": "Изменено", "first_name": "Аружан", "district": child.district_id},
    )
    assert response.status_code == 404
    child.person.refresh_from_db()
    assert child.person.last_name == "Жанбулатова"


@pytest.mark.parametrize("name", NOT_GUARDIANSHIP)
def test_other_roles_are_refused_the_registry(request, client_for, child, carer, name):
    browser = client_for(request.getfixturevalue(name))
    for url in [
        reverse("child_list"),
        reverse("child_create"),
        reverse("carer_list"),
        reverse("carer_create"),
    ]:
        assert browser.get(url).status_code == 403, url
    assert browser.post(reverse("child_create"), {"last_name": "Х"}).status_code == 403
    # Files they cannot see do not exist for them.
    for url in [*child_urls(child), *carer_urls(carer)]:
        assert browser.get(url).status_code == 404, url
    assert Child.objects.count() == 1
    assert not AuditRead.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, child):
    for url in [reverse("child_list"), reverse("child_file", args=[child.pk])]:
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response.url


def test_sharing_opens_the_file_to_the_other_district(
    alice, oscar, client_for, child, almaly, bostandyk
):
    url = reverse("child_file", args=[child.pk])
    assert client_for(oscar).get(url).status_code == 404

    response = client_for(alice).post(
        reverse("child_section", args=[child.pk, "share"]),
        {"district": bostandyk.pk, "reason": "Семья переехала в Бостандыкский район"},
    )
    assert response.status_code == 302
    share = ChildShare.objects.get()
    assert (share.child, share.district, share.granted_by) == (child, bostandyk, alice)

    browser = client_for(oscar)
    response = browser.get(url)
    assert response.status_code == 200
    assert "Жанбулатова Аружан Ерлановна" in response.content.decode()
    assert AuditRead.objects.filter(user=oscar, object_id=str(child.pk)).exists()
    assert [c.pk for c in browser.get(reverse("child_list")).context["page"]] == [child.pk]
    found = browser.get(reverse("child_list"), {"q": "Zhanbulatova"}).context["page"]
    assert [c.pk for c in found] == [child.pk]
    # He may now work on the file...
    response = browser.post(
        reverse("child_section", args=[child.pk, "view"]),
        {"heard_on": "03.03.2026", "decision": "Устройство", "words": "Хочу в новую школу."},
    )
    assert response.status_code == 302
    assert ChildView.objects.get().heard_by == oscar
    # ...but not share it further: only the responsible district shares.
    response = browser.post(
        reverse("child_section", args=[child.pk, "share"]),
        {"district": almaly.pk, "reason": "Дальше"},
    )
    assert response.status_code == 403
    assert ChildShare.objects.count() == 1


def test_sharing_twice_keeps_one_share(alice, client_for, child, bostandyk):
    browser = client_for(alice)
    url = reverse("child_section", args=[child.pk, "share"])
    for reason in ("Переезд", "Переезд снова"):
        assert browser.post(url, {"district": bostandyk.pk, "reason": reason}).status_code == 302
    assert ChildShare.objects.get().reason == "Переезд"


def test_a_shared_child_s_carer_stays_with_its_district(
    alice, oscar, client_for, child, carer, placement, bostandyk
):
    ChildShare.objects.create(child=child, district=bostandyk, granted_by=alice, reason="Переезд")
    assert client_for(oscar).get(reverse("child_file", args=[child.pk])).status_code == 200
    assert client_for(oscar).get(reverse("carer_file", args=[carer.pk])).status_code == 404


# --- merging duplicates -----------------------------------------------------------------


@pytest.fixture
def duplicate(bob, almaly, carer):
    """The same girl registered again by bob, in Latin, with a history of her own."""
    twin = register(
        bob, almaly, "Zhanbulatova", "Aruzhan", birth_date=date(2015, 3, 14), iin=TWIN_IIN
    )
    files.child_status_add(child=twin, category=StatusCategory.ORPHAN, started_on=date(2026, 1, 5))
    files.child_view_record(
        child=twin, by=bob, heard_on=date(2026, 1, 6), decision="Устройство", words="Хочу к тёте."
    )
    placements.placement_start(
        child=twin, form=PlacementForm.FOSTER_FAMILY, carer=carer, started_on=date(2026, 1, 7)
    )
    family = family_create(name="Жанбулатовы", district=almaly, by=bob)
    family_member_add(family=family, person=twin.person, relation=Relation.CHILD)
    return twin


def test_a_specialist_may_not_merge(alice, client_for, child, duplicate):
    browser = client_for(alice)
    url = reverse("person_merge", args=[child.pk])
    assert browser.get(url).status_code == 403
    assert browser.post(url, {"duplicate": duplicate.person_id}).status_code == 403
    duplicate.person.refresh_from_db()
    assert duplicate.person.merged_into is None
    assert not PersonMerge.objects.exists()
    response = browser.get(reverse("child_file", args=[child.pk]))
    assert url not in response.content.decode()  # no merge button for her


def test_the_head_merges_a_duplicate(hanna, client_for, child, duplicate):
    browser = client_for(hanna)
    url = reverse("person_merge", args=[child.pk])
    assert url in browser.get(reverse("child_file", args=[child.pk])).content.decode()
    assert browser.get(url).status_code == 200

    response = browser.post(url, {"duplicate": duplicate.person_id})
    assert response.status_code == 302
    assert response.url == reverse("child_file", args=[child.pk])
    duplicate.person.refresh_from_db()
    child.person.refresh_from_db()
    assert duplicate.person.merged_into == child.person
    assert child.person.iin == TWIN_IIN  # the IIN only the duplicate knew
    assert duplicate.person.iin is None
    merge = PersonMerge.objects.get()
    assert (merge.kept, merge.merged, merge.merged_by) == (child.person, duplicate.person, hanna)
    assert TWIN_IIN in browser.get(reverse("child_file", args=[child.pk])).content.decode()
    # The merged record no longer turns up in searches.
    found = browser.get(reverse("child_list"), {"q": "Zhanbulatova"}).context["page"]
    assert [c.pk for c in found] == [child.pk]


def test_merging_moves_the_duplicate_s_links(hanna, client_for, child, duplicate):
    browser = client_for(hanna)
    response = browser.post(
        reverse("person_merge", args=[child.pk]), {"duplicate": duplicate.person_id}
    )
    assert response.status_code == 302
    merge = PersonMerge.objects.get()
    assert merge.moved == {
        "children.ChildStatus": 1,
        "children.ChildView": 1,
        "children.Placement": 1,
        "families.FamilyMember": 1,
    }
    assert list(child.statuses.values_list("category", flat=True)) == [StatusCategory.ORPHAN]
    assert ChildView.objects.get().child == child
    assert Placement.objects.get().child == child
    assert FamilyMember.objects.get().person == child.person

    page = browser.get(reverse("child_file", args=[child.pk])).content.decode()
    assert "Хочу к тёте." in page
    assert "Жанбулатовы" in page
    assert "Сапарова Гульнара" in page  # the current placement


def test_merging_a_person_without_a_child_file_moves_the_family_membership(
    hanna, bob, client_for, child, almaly
):
    unlinked = person(bob, almaly, "Жанбулатова", "Аружан", patronymic="Ерлановна")
    family = family_create(name="Жанбулатовы", district=almaly, by=bob)
    family_member_add(family=family, person=unlinked, relation=Relation.CHILD)
    response = client_for(hanna).post(
        reverse("person_merge", args=[child.pk]), {"duplicate": unlinked.pk}
    )
    assert response.status_code == 302
    assert FamilyMember.objects.get().person == child.person
    assert PersonMerge.objects.get().moved == {"families.FamilyMember": 1}


def test_after_a_merge_the_list_shows_the_child_once(hanna, client_for, child, duplicate):
    browser = client_for(hanna)
    response = browser.post(
        reverse("person_merge", args=[child.pk]), {"duplicate": duplicate.person_id}
    )
    assert response.status_code == 302
    listed = [c.pk for c in browser.get(reverse("child_list")).context["page"]]
    assert listed == [child.pk]


def test_merging_keeps_the_duplicate_s_data_bank_deadline_on_the_kept_file(
    hanna, bob, client_for, child, almaly
):
    """The duplicate was identified as left without parental care: after the merge the
    kept file must still show that and the running data bank deadline."""
    twin = register(bob, almaly, "Zhanbulatova", "Aruzhan", birth_date=date(2015, 3, 14))
    files.child_identify_without_care(
        child=twin, identified_at=timezone.now() - timedelta(hours=1), by=bob
    )
    browser = client_for(hanna)
    response = browser.post(reverse("person_merge", args=[child.pk]), {"duplicate": twin.person_id})
    assert response.status_code == 302
    page = browser.get(reverse("child_file", args=[child.pk])).content.decode()
    assert escape(ru(TimerKind.DATABANK_REGISTRATION.label)) in page
    child.refresh_from_db()
    assert child.identified_without_care_at is not None


def test_merging_two_files_with_the_same_open_status_keeps_one(
    hanna, bob, client_for, child, almaly
):
    files.child_status_add(child=child, category=StatusCategory.ORPHAN, started_on=date(2026, 1, 1))
    twin = register(bob, almaly, "Zhanbulatova", "Aruzhan", birth_date=date(2015, 3, 14))
    files.child_status_add(child=twin, category=StatusCategory.ORPHAN, started_on=date(2026, 1, 5))
    response = client_for(hanna).post(
        reverse("person_merge", args=[child.pk]), {"duplicate": twin.person_id}
    )
    assert response.status_code == 302
    twin.person.refresh_from_db()
    assert twin.person.merged_into == child.person
    open_orphan = ChildStatus.objects.filter(
        child=child, category=StatusCategory.ORPHAN, ended_on__isnull=True
    )
    assert open_orphan.count() == 1


def test_merging_refuses_unknown_and_foreign_records(hanna, oscar, client_for, child, bostandyk):
    theirs = person(oscar, bostandyk, "Жанбулатова", "Аружан")
    browser = client_for(hanna)
    url = reverse("person_merge", args=[child.pk])
    for number in (theirs.pk, 999_999):
        response = browser.post(url, {"duplicate": number})
        assert response.status_code == 200
        assert response.context["form"].errors["duplicate"] == [
            ru("No record with this number that you may see.")
        ]
    response = browser.post(url, {"duplicate": child.person_id})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not PersonMerge.objects.exists()
    theirs.refresh_from_db()
    assert theirs.merged_into is None


def test_records_with_different_iins_are_not_merged(hanna, alice, client_for, child, almaly):
    files.child_status_add(child=child, category=StatusCategory.ORPHAN, started_on=date(2026, 1, 1))
    child.person.iin = TWIN_IIN
    child.person.save(update_fields=["iin"])
    other = person(
        alice,
        almaly,
        "Жанбулатова",
        "Аружан",
        iin=synthetic_iin(date(2015, 3, 14), "F", random.Random(12)),
    )
    response = client_for(hanna).post(
        reverse("person_merge", args=[child.pk]), {"duplicate": other.pk}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    other.refresh_from_db()
    assert other.merged_into is None
