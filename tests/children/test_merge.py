"""Merging two records of one person: every link moves to the kept record, the duplicate
stays (marked merged) for history, the merge is recorded, and it leaves search."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from casework.models import Timer, TimerStatus
from children.models import (
    Carer,
    CarerKind,
    Child,
    ChildStatus,
    Person,
    PersonMerge,
    Placement,
    PlacementForm,
    Sex,
    StatusCategory,
)
from children.selectors import carer_list, child_list, duplicate_candidates, ranked_by_name
from children.services.files import child_status_add, child_view_record, disability_add
from children.services.merge import person_merge
from children.services.placements import placement_start
from families.models import FamilyMember, Relation
from families.services import family_create, family_member_add, police_registration_add
from referrals.models import Referral
from tests.children.conftest import BIRTH, iin_for

IIN = iin_for(BIRTH, Sex.MALE, seed=31)


@pytest.fixture
def family(almaly, alice):
    return family_create(name="Нурлановы", district=almaly, by=alice)


@pytest.fixture
def with_family(make_child, family, institution, make_concern, alice):
    """The record registered first: IIN, family, placement, a police registration, the
    child's view and a referral about the child."""
    child = make_child(birth_date=BIRTH, sex=Sex.MALE, iin=IIN)
    family_member_add(family=family, person=child.person, relation=Relation.CHILD)
    placement_start(
        child=child,
        form=PlacementForm.ORGANISATION,
        started_on=date(2026, 1, 12),
        organisation=institution,
    )
    police_registration_add(
        family=family,
        person=child.person,
        registered_on=date(2026, 1, 5),
        police_unit="ОП Алмалинского района",
        ground="Бродяжничество",
    )
    child_view_record(
        child=child,
        by=alice,
        heard_on=date(2026, 1, 12),
        decision="Устройство",
        words="Хочу домой.",
    )
    Referral.objects.filter(pk=make_concern().pk).update(child=child)
    return child


@pytest.fixture
def with_disability(make_child, alice):
    """The same boy registered again in a Latin spelling, with a disability and a status."""
    child = make_child(last_name="Nurlanov", first_name="Erlan", birth_date=BIRTH, sex=Sex.MALE)
    disability_add(child=child, by=alice, group="Ребёнок-инвалид", established_on=date(2025, 9, 1))
    child_status_add(child=child, category=StatusCategory.WITHOUT_CARE, started_on=date(2026, 1, 1))
    return child


def test_merging_moves_every_link_to_the_kept_record(with_family, with_disability, family, hanna):
    keep, duplicate = with_disability.person, with_family.person
    merge = person_merge(keep=keep, duplicate=duplicate, by=hanna)

    keep.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.merged_into == keep
    assert (keep.iin, duplicate.iin) == (IIN, None)
    kept_file = Child.objects.get(person=keep)
    assert kept_file == with_disability
    # Person links
    assert list(FamilyMember.objects.filter(person=keep).values_list("family", flat=True)) == [
        family.pk
    ]
    assert not FamilyMember.objects.filter(person=duplicate).exists()
    assert keep.police_registrations.count() == 1
    assert not duplicate.police_registrations.exists()
    # Child-file links, folded into the kept file
    assert [p.form for p in kept_file.placements.all()] == [PlacementForm.ORGANISATION]
    assert kept_file.views.count() == 1
    assert kept_file.referrals.count() == 1
    assert set(kept_file.statuses.values_list("category", flat=True)) == {
        StatusCategory.DISABILITY,
        StatusCategory.WITHOUT_CARE,
    }
    assert kept_file.disabilities.count() == 1
    for model in (Placement, ChildStatus, Referral):
        assert not model.objects.filter(child=with_family).exists()
    # The audit row
    assert (merge.kept, merge.merged, merge.merged_by) == (keep, duplicate, hanna)
    assert PersonMerge.objects.get() == merge
    assert merge.moved == {
        "families.FamilyMember": 1,
        "families.PoliceRegistration": 1,
        "children.Placement": 1,
        "children.ChildView": 1,
        "referrals.Referral": 1,
    }


def test_a_child_file_moves_to_a_kept_record_that_had_none(make_person, with_family, hanna):
    keep = make_person(last_name="Nurlanov", first_name="Erlan", birth_date=BIRTH)
    merge = person_merge(keep=keep, duplicate=with_family.person, by=hanna)
    moved_file = Child.objects.get(pk=with_family.pk)
    assert moved_file.person == keep
    assert moved_file.placements.count() == 1
    assert merge.moved["children.Child"] == 1
    assert Person.objects.get(pk=keep.pk).iin == IIN


def test_records_with_different_iins_are_different_people(make_person, hanna):
    first = make_person(iin=IIN, birth_date=BIRTH, sex=Sex.MALE)
    second = make_person(iin=iin_for(BIRTH, Sex.MALE, seed=32), birth_date=BIRTH, sex=Sex.MALE)
    with pytest.raises(ValidationError):
        person_merge(keep=first, duplicate=second, by=hanna)
    second.refresh_from_db()
    assert second.merged_into is None
    assert not PersonMerge.objects.exists()


def test_a_record_cannot_be_merged_into_itself(make_person, hanna):
    person = make_person()
    with pytest.raises(ValidationError):
        person_merge(keep=person, duplicate=person, by=hanna)
    assert Person.objects.get(pk=person.pk).merged_into is None
    assert not PersonMerge.objects.exists()


def test_a_merged_record_cannot_be_merged_again(make_person, hanna):
    keep, duplicate, third = make_person(), make_person(), make_person()
    person_merge(keep=keep, duplicate=duplicate, by=hanna)
    with pytest.raises(ValidationError):
        person_merge(keep=third, duplicate=duplicate, by=hanna)
    with pytest.raises(ValidationError):
        person_merge(keep=duplicate, duplicate=third, by=hanna)
    assert PersonMerge.objects.count() == 1


def test_a_merged_record_is_no_longer_found_by_name(make_person, hanna):
    keep, duplicate = make_person(), make_person(last_name="Nurlanov", first_name="Erlan")
    person_merge(keep=keep, duplicate=duplicate, by=hanna)
    assert list(ranked_by_name(Person.objects.all(), "Нурланов Ерлан")) == [keep]
    assert duplicate_candidates(last_name="Нурланов", first_name="Ерлан") == [keep]


def test_a_merged_record_is_no_longer_found_by_its_old_iin_owner(make_person, hanna):
    keep = make_person()
    duplicate = make_person(iin=IIN, birth_date=BIRTH, sex=Sex.MALE)
    person_merge(keep=keep, duplicate=duplicate, by=hanna)
    assert list(ranked_by_name(Person.objects.all(), IIN)) == [keep]


def test_a_merged_childs_search_finds_the_kept_file_only(
    with_family, with_disability, alice, hanna
):
    person_merge(keep=with_disability.person, duplicate=with_family.person, by=hanna)
    assert list(child_list(user=alice, query="Нурланов")) == [with_disability]


def test_a_merged_childs_duplicate_file_leaves_the_child_list(
    with_family, with_disability, alice, hanna
):
    person_merge(keep=with_disability.person, duplicate=with_family.person, by=hanna)
    assert list(child_list(user=alice)) == [with_disability]


def test_merging_two_members_of_one_family_keeps_one_membership(make_person, family, hanna):
    keep, duplicate = make_person(), make_person(last_name="Nurlanov", first_name="Erlan")
    for person in (keep, duplicate):
        family_member_add(family=family, person=person, relation=Relation.CHILD)
    person_merge(keep=keep, duplicate=duplicate, by=hanna)
    assert (
        FamilyMember.objects.filter(family=family, person=keep, left_on__isnull=True).count() == 1
    )
    assert not FamilyMember.objects.filter(person=duplicate, left_on__isnull=True).exists()


def test_merging_two_files_with_the_same_open_status_keeps_one_open(make_child, hanna):
    keep = make_child()
    duplicate = make_child(last_name="Nurlanov", first_name="Erlan")
    for child in (keep, duplicate):
        child_status_add(child=child, category=StatusCategory.ORPHAN, started_on=date(2026, 1, 1))
    person_merge(keep=keep.person, duplicate=duplicate.person, by=hanna)
    assert keep.statuses.filter(category=StatusCategory.ORPHAN, ended_on__isnull=True).count() == 1
    assert not duplicate.statuses.filter(ended_on__isnull=True).exists()


def test_merging_two_files_with_active_main_placements_is_refused(
    make_child, institution, make_carer, hanna
):
    keep = make_child()
    duplicate = make_child(last_name="Nurlanov", first_name="Erlan")
    placement_start(
        child=keep, form=PlacementForm.ORGANISATION, started_on=date(2026, 1, 5),
        organisation=institution,
    )  # fmt: skip
    placement_start(
        child=duplicate, form=PlacementForm.FOSTER_FAMILY, started_on=date(2026, 1, 5),
        carer=make_carer(),
    )  # fmt: skip
    with pytest.raises(ValidationError):
        person_merge(keep=keep.person, duplicate=duplicate.person, by=hanna)
    assert Person.objects.get(pk=duplicate.person_id).merged_into is None
    assert duplicate.placements.count() == 1


def test_a_merged_carers_duplicate_record_leaves_the_carer_list(make_carer, alice, hanna):
    keep = make_carer(CarerKind.GUARDIAN, last_name="Сейтжанова", first_name="Гүлнар")
    duplicate = make_carer(CarerKind.GUARDIAN, last_name="Seitzhanova", first_name="Gulnar")
    person_merge(keep=keep.person, duplicate=duplicate.person, by=hanna)
    assert list(carer_list(user=alice)) == [keep]
    assert list(carer_list(user=alice, query="Сейтжанова")) == [keep]


def test_a_merged_carers_duplicate_record_stops_its_deadlines(make_carer, hanna):
    keep = make_carer(CarerKind.GUARDIAN, last_name="Сейтжанова", first_name="Гүлнар")
    duplicate = make_carer(CarerKind.GUARDIAN, last_name="Seitzhanova", first_name="Gulnar")
    person_merge(keep=keep.person, duplicate=duplicate.person, by=hanna)
    open_timers = Timer.objects.filter(
        subject_type=ContentType.objects.get_for_model(Carer), status=TimerStatus.OPEN
    )
    assert set(open_timers.values_list("subject_id", flat=True)) == {keep.pk}
    assert open_timers.count() == 2  # one check, one inspection
