"""Placements (one active main placement, additions alongside, the professional foster
family limit, adoption, secondary orphanhood) and the removal protocol."""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from casework.models import Timer, TimerKind, TimerStatus
from children.models import (
    CarerKind,
    Child,
    Placement,
    PlacementEndReason,
    PlacementForm,
    Removal,
)
from children.selectors import child_list, secondary_orphanhood_count
from children.services.placements import placement_end, placement_start, removal_record
from families.models import Relation
from families.services import family_create, family_member_add
from tests.children.conftest import almaty

START = date(2026, 1, 12)
FIRST_NAMES = ["Ерлан", "Тимур", "Дана", "Айгерим", "Ербол", "Аружан", "Санжар"]


@pytest.fixture
def child(make_child):
    return make_child(birth_date=date(2015, 6, 14))


@pytest.fixture
def professional(make_carer):
    return make_carer(CarerKind.PROFESSIONAL_FOSTER)


def _children(make_child, count, last_name="Сапаров"):
    return [make_child(last_name=last_name, first_name=FIRST_NAMES[n]) for n in range(count)]


def _place(child, carer, form=PlacementForm.PROFESSIONAL_FOSTER):
    return placement_start(child=child, form=form, started_on=START, carer=carer)


def _active(child):
    return set(child.placements.filter(ended_on__isnull=True).values_list("form", flat=True))


def test_a_child_has_one_active_main_placement(child, institution, make_carer):
    placement_start(
        child=child, form=PlacementForm.ORGANISATION, started_on=START, organisation=institution
    )
    foster = make_carer(CarerKind.FOSTER)
    with pytest.raises(ValidationError) as caught:
        placement_start(
            child=child, form=PlacementForm.FOSTER_FAMILY, started_on=START, carer=foster
        )
    assert caught.value.code == "active_placement"
    assert _active(child) == {PlacementForm.ORGANISATION}


def test_a_guest_family_and_a_mentor_are_added_alongside_the_main_placement(
    child, institution, make_carer
):
    placement_start(
        child=child, form=PlacementForm.ORGANISATION, started_on=START, organisation=institution
    )
    guest = placement_start(
        child=child,
        form=PlacementForm.GUEST_FAMILY,
        started_on=START,
        carer=make_carer(CarerKind.GUEST_FAMILY),
    )
    mentor = placement_start(
        child=child, form=PlacementForm.MENTOR, started_on=START, carer=make_carer(CarerKind.MENTOR)
    )
    assert guest.is_addition and mentor.is_addition
    assert _active(child) == {
        PlacementForm.ORGANISATION,
        PlacementForm.GUEST_FAMILY,
        PlacementForm.MENTOR,
    }


def test_a_new_main_placement_may_start_once_the_old_one_ended(child, institution, make_carer):
    old = placement_start(
        child=child, form=PlacementForm.ORGANISATION, started_on=START, organisation=institution
    )
    placement_end(placement=old, ended_on=date(2026, 2, 1), reason=PlacementEndReason.NEW_PLACEMENT)
    new = placement_start(
        child=child,
        form=PlacementForm.GUARDIANSHIP,
        started_on=date(2026, 2, 1),
        carer=make_carer(CarerKind.GUARDIAN),
    )
    assert _active(child) == {new.form}


def test_a_placement_needs_either_a_carer_or_an_organisation(child, institution, make_carer):
    with pytest.raises(ValidationError):
        placement_start(child=child, form=PlacementForm.ORGANISATION, started_on=START)
    with pytest.raises(ValidationError):
        placement_start(
            child=child,
            form=PlacementForm.FOSTER_FAMILY,
            started_on=START,
            carer=make_carer(CarerKind.FOSTER),
            organisation=institution,
        )
    assert not Placement.objects.exists()


def test_a_professional_foster_family_holds_at_most_four_unrelated_children(
    make_child, professional
):
    children = _children(make_child, 5)
    for child in children[:4]:
        _place(child, professional)
    with pytest.raises(ValidationError) as caught:
        _place(children[4], professional)
    assert caught.value.code == "professional_foster_limit"
    assert professional.placements.filter(ended_on__isnull=True).count() == 4
    assert not children[4].placements.exists()


def test_a_fifth_child_fits_once_another_left(make_child, professional):
    children = _children(make_child, 5)
    placements = [_place(child, professional) for child in children[:4]]
    placement_end(
        placement=placements[0], ended_on=date(2026, 3, 1), reason=PlacementEndReason.CAME_OF_AGE
    )
    assert _place(children[4], professional).carer == professional


def test_additions_do_not_count_towards_the_limit(make_child, professional, make_carer):
    children = _children(make_child, 5)
    for child in children[:4]:
        _place(child, professional)
    # A professional foster parent who is also someone's mentor: not a fifth placement.
    other = make_child(last_name="Омаров", first_name="Алихан")
    placement_start(child=other, form=PlacementForm.MENTOR, started_on=START, carer=professional)
    with pytest.raises(ValidationError):
        _place(children[4], professional)


@pytest.fixture
def siblings(make_child, almaly, alice):
    family = family_create(name="Сапаровы", district=almaly, by=alice)
    children = _children(make_child, 5)
    for child in children:
        family_member_add(family=family, person=child.person, relation=Relation.CHILD)
    return children


def test_five_siblings_may_stay_together_in_a_professional_foster_family(siblings, professional):
    for child in siblings:
        _place(child, professional)
    assert professional.placements.filter(ended_on__isnull=True).count() == 5


def test_a_fifth_child_who_is_not_a_sibling_is_refused(siblings, make_child, professional):
    for child in siblings[:4]:
        _place(child, professional)
    stranger = make_child(last_name="Омаров", first_name="Алихан")
    with pytest.raises(ValidationError) as caught:
        _place(stranger, professional)
    assert caught.value.code == "professional_foster_limit"


def test_children_of_two_different_families_are_not_siblings(
    make_child, professional, almaly, alice
):
    first = family_create(name="Сапаровы", district=almaly, by=alice)
    second = family_create(name="Омаровы", district=almaly, by=alice)
    children = _children(make_child, 5)
    for n, child in enumerate(children):
        family = first if n < 3 else second
        family_member_add(family=family, person=child.person, relation=Relation.CHILD)
    for child in children[:4]:
        _place(child, professional)
    with pytest.raises(ValidationError):
        _place(children[4], professional)


@pytest.mark.parametrize("kind", [CarerKind.FOSTER, CarerKind.GUARDIAN, CarerKind.PATRONAGE])
def test_a_professional_foster_placement_needs_a_professional_foster_parent(
    child, make_carer, kind
):
    with pytest.raises(ValidationError):
        _place(child, make_carer(kind))
    assert not child.placements.exists()


def test_a_professional_foster_placement_cannot_go_to_an_organisation(child, institution):
    with pytest.raises(ValidationError):
        placement_start(
            child=child,
            form=PlacementForm.PROFESSIONAL_FOSTER,
            started_on=START,
            organisation=institution,
        )
    assert not child.placements.exists()


def test_adoption_closes_the_file_and_nothing_more_may_be_placed(child, make_carer):
    adoption = placement_start(
        child=child,
        form=PlacementForm.ADOPTION,
        started_on=START,
        carer=make_carer(CarerKind.FOSTER),
    )
    file = Child.objects.get(pk=child.pk)
    assert file.closed_at is not None
    assert file.closed_reason
    assert adoption.ended_on is None
    for form, kind in [
        (PlacementForm.GUEST_FAMILY, CarerKind.GUEST_FAMILY),
        (PlacementForm.MENTOR, CarerKind.MENTOR),
    ]:
        with pytest.raises(ValidationError):
            placement_start(child=child, form=form, started_on=START, carer=make_carer(kind))
    assert list(child.placements.all()) == [adoption]


def test_an_adopted_child_leaves_the_open_child_list(child, alice, make_carer):
    placement_start(child=child, form=PlacementForm.ADOPTION, started_on=START, carer=make_carer())

    assert list(child_list(user=alice)) == []
    assert list(child_list(user=alice, open_only=False)) == [child]


@pytest.mark.parametrize(
    "form", [PlacementForm.FOSTER_FAMILY, PlacementForm.GUARDIANSHIP, PlacementForm.PATRONAGE]
)
def test_a_return_from_a_family_to_an_organisation_is_secondary_orphanhood(
    child, make_carer, almaly, bostandyk, form
):
    placement = placement_start(child=child, form=form, started_on=START, carer=make_carer())
    ended = placement_end(
        placement=placement,
        ended_on=date(2026, 3, 2),
        reason=PlacementEndReason.RETURNED_TO_ORGANISATION,
    )
    assert ended.secondary_orphanhood is True
    assert Placement.objects.get(pk=placement.pk).secondary_orphanhood is True
    assert secondary_orphanhood_count() == 1
    assert secondary_orphanhood_count(district_ids=[almaly.pk]) == 1
    assert secondary_orphanhood_count(district_ids=[bostandyk.pk]) == 0


def test_a_move_between_organisations_is_not_secondary_orphanhood(child, institution):
    placement = placement_start(
        child=child, form=PlacementForm.BABY_HOME, started_on=START, organisation=institution
    )
    ended = placement_end(
        placement=placement,
        ended_on=date(2026, 3, 2),
        reason=PlacementEndReason.RETURNED_TO_ORGANISATION,
    )
    assert ended.secondary_orphanhood is False
    assert secondary_orphanhood_count() == 0


def test_a_family_placement_ended_for_another_reason_is_not_secondary_orphanhood(child, make_carer):
    placement = placement_start(
        child=child, form=PlacementForm.FOSTER_FAMILY, started_on=START, carer=make_carer()
    )
    placement_end(
        placement=placement, ended_on=date(2026, 3, 2), reason=PlacementEndReason.CAME_OF_AGE
    )
    assert secondary_orphanhood_count() == 0


def test_a_placement_cannot_end_twice(child, make_carer):
    placement = placement_start(
        child=child, form=PlacementForm.FOSTER_FAMILY, started_on=START, carer=make_carer()
    )
    placement_end(placement=placement, ended_on=date(2026, 3, 2), reason=PlacementEndReason.OTHER)
    with pytest.raises(ValidationError):
        placement_end(
            placement=placement,
            ended_on=date(2026, 3, 5),
            reason=PlacementEndReason.RETURNED_TO_ORGANISATION,
        )
    placement.refresh_from_db()
    assert (placement.ended_on, placement.end_reason, placement.secondary_orphanhood) == (
        date(2026, 3, 2),
        PlacementEndReason.OTHER,
        False,
    )


def test_a_placement_cannot_end_before_it_started_or_without_a_known_reason(child, make_carer):
    placement = placement_start(
        child=child, form=PlacementForm.FOSTER_FAMILY, started_on=START, carer=make_carer()
    )
    with pytest.raises(ValidationError) as caught:
        placement_end(
            placement=placement, ended_on=START - timedelta(days=1), reason=PlacementEndReason.OTHER
        )
    assert "ended_on" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        placement_end(placement=placement, ended_on=START, reason="ran_away")
    assert "reason" in caught.value.message_dict
    placement.refresh_from_db()
    assert placement.ended_on is None


# The removal protocol ------------------------------------------------------------------

REMOVED_AT = almaty(2026, 4, 6, 14, 0)
PROTOCOL = {
    "removed_at": REMOVED_AT,
    "reason": "Угроза жизни и здоровью ребёнка",
    "accompanied_by": "Инспектор ювенальной полиции (синтетический)",
    "explained_to_child": True,
    "psychologist_present": False,
    "psychologist_absence_reason": "Психолог на выезде",
    "taken_to": "Центр поддержки детей",
    "prosecutor_notified_at": almaty(2026, 4, 6, 15, 0),
}
MISSING = {
    "accompanied_by": " ",
    "taken_to": "",
    "reason": "",
    "explained_to_child": False,
    "prosecutor_notified_at": None,
    "psychologist_absence_reason": "",
}


def test_a_removal_without_its_protocol_names_every_missing_field(child, alice):
    with pytest.raises(ValidationError) as caught:
        removal_record(child=child, by=alice, **{**PROTOCOL, **MISSING})
    assert set(caught.value.message_dict) == set(MISSING)
    assert not Removal.objects.exists()
    assert not Timer.objects.filter(kind=TimerKind.COURT_CLAIM).exists()


@pytest.mark.parametrize("field", sorted(MISSING))
def test_each_missing_protocol_item_alone_refuses_the_removal(child, alice, field):
    with pytest.raises(ValidationError) as caught:
        removal_record(child=child, by=alice, **{**PROTOCOL, field: MISSING[field]})
    assert set(caught.value.message_dict) == {field}
    assert not Removal.objects.exists()
    assert not Timer.objects.exists()


def test_no_absence_reason_is_needed_when_a_psychologist_was_present(child, alice):
    removal = removal_record(
        child=child,
        by=alice,
        **{**PROTOCOL, "psychologist_present": True, "psychologist_absence_reason": ""},
    )
    assert removal.pk is not None


def test_a_complete_protocol_saves_and_starts_the_court_claim_timer(child, alice, guardianship):
    removal = removal_record(child=child, by=alice, **PROTOCOL)
    removal.refresh_from_db()
    assert removal.court_claim_due_at == REMOVED_AT + timedelta(days=7)
    assert (removal.recorded_by, removal.taken_to) == (alice, PROTOCOL["taken_to"])
    timer = Timer.objects.get(
        subject_type=ContentType.objects.get_for_model(Removal), subject_id=removal.pk
    )
    assert (timer.kind, timer.status) == (TimerKind.COURT_CLAIM, TimerStatus.OPEN)
    assert timer.due_at == almaty(2026, 4, 13, 14, 0)
    assert timer.started_at == REMOVED_AT
    assert (timer.organisation, timer.responsible) == (guardianship, alice)
    assert timer.remind_at < timer.due_at
