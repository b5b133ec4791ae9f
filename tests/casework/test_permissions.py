"""The access core: jurisdiction first, object grants for exceptions; 404 vs 403."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from casework import permissions
from casework.account_selectors import signed_in_user
from casework.permissions import CHANGE, STAFF, get_staff_for_user_or_404, visible_to
from casework.services.staff import membership_end


def visible(user, target) -> bool:
    try:
        get_staff_for_user_or_404(user, target.pk)
    except Http404:
        return False
    return True


def test_it_shows_own_organisation_and_district_staff(alice, bob, fatima, kairat, rita):
    for target in (alice, bob, fatima, kairat, rita):
        assert visible(alice, target)


def test_it_hides_staff_of_another_district(alice, oscar, sam):
    assert not visible(alice, oscar)
    assert not visible(alice, sam)
    assert not visible(oscar, alice)


def test_a_referrer_sees_only_their_own_organisation(rita, alice, fatima, sam):
    assert visible(rita, rita)
    assert not visible(rita, alice)
    assert not visible(rita, fatima)
    assert not visible(rita, sam)


def test_an_analyst_sees_no_district_staff(nina, alice):
    assert visible(nina, nina)
    assert not visible(nina, alice)


def test_an_administrator_sees_everyone(adam, alice, oscar):
    assert visible(adam, alice)
    assert visible(adam, oscar)


def test_anonymous_sees_nothing(alice):
    from django.contrib.auth.models import AnonymousUser

    assert not visible(AnonymousUser(), alice)


def test_visible_but_not_allowed_is_403(alice, bob):
    with pytest.raises(PermissionDenied):
        get_staff_for_user_or_404(alice, bob.pk, CHANGE)


def test_invisible_is_404_even_for_change(alice, oscar):
    with pytest.raises(Http404):
        get_staff_for_user_or_404(alice, oscar.pk, CHANGE)


def test_a_head_may_change_their_staff_but_not_others(hanna, alice, fatima):
    assert get_staff_for_user_or_404(hanna, alice.pk, CHANGE) == alice
    with pytest.raises(PermissionDenied):
        get_staff_for_user_or_404(hanna, fatima.pk, CHANGE)


def test_anyone_may_change_their_own_profile(rita):
    assert get_staff_for_user_or_404(rita, rita.pk, CHANGE) == rita


def test_an_object_grant_shares_one_profile_across_districts(alice, oscar, bob):
    permissions.grant(oscar, STAFF, alice)
    assert visible(oscar, alice)
    assert not visible(oscar, bob)
    with pytest.raises(PermissionDenied):
        get_staff_for_user_or_404(oscar, alice.pk, CHANGE)
    permissions.revoke(oscar, STAFF, alice)
    assert not visible(oscar, alice)


def test_an_ended_membership_ends_access(alice, bob):
    membership = alice.memberships.get()
    membership_end(
        membership=membership, ended_on=timezone.localdate() - timezone.timedelta(days=1)
    )
    alice.refresh_from_db()
    assert not visible(alice, bob)
    assert visible(alice, alice)


def test_a_role_grants_nothing_outside_its_own_district(rita, alice, other_guardianship, oscar):
    # rita refers from an Almaly school and also works in Bostandyk guardianship: she sees
    # Bostandyk staff as a caseworker, but in Almaly only her own school.
    from casework.models import Role
    from tests.factories import MembershipFactory

    MembershipFactory(user=rita, organisation=other_guardianship, role=Role.GUARDIANSHIP_SPECIALIST)
    assert visible(rita, oscar)
    assert not visible(rita, alice)


def test_malformed_ids_are_404(alice):
    with pytest.raises(Http404):
        get_staff_for_user_or_404(alice, "not-a-number")


def test_lists_are_filtered_in_one_query(alice, bob, oscar, django_assert_num_queries):
    user = signed_in_user(user_id=alice.pk)  # as each request reads it
    with django_assert_num_queries(1) as captured:
        ids = set(visible_to(user, STAFF).values_list("pk", flat=True))
    assert alice.pk in ids and bob.pk in ids and oscar.pk not in ids
    # Nothing shared with her: no condition on the grant tables, so the list's indexes serve.
    assert "guardian" not in captured.captured_queries[0]["sql"]


def test_a_request_s_user_brings_what_was_shared_with_them(alice, oscar, bob):
    permissions.grant(oscar, STAFF, alice)
    user = signed_in_user(user_id=oscar.pk)
    ids = set(visible_to(user, STAFF).values_list("pk", flat=True))
    assert alice.pk in ids and bob.pk not in ids


def test_a_grant_given_after_a_list_was_read_shows_in_the_next_one(alice, oscar):
    assert not visible(oscar, alice)
    permissions.grant(oscar, STAFF, alice)
    assert visible(oscar, alice)
