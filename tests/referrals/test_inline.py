"""Inline actions on the FSC inbox and the referral list (htmx): the same view answers an
htmx request with the changed row and a plain form post with a redirect; live search
swaps only the results. Gates are the same on both paths."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from casework.models import Case
from referrals import services
from referrals.models import EventKind, Status

HTMX = {"HTTP_HX_REQUEST": "true"}


def act_url(referral, action: str) -> str:
    return reverse("referral_act", args=[referral.pk, action])


def in_russian(text: str, **params) -> str:
    with translation.override("ru"):
        return translation.gettext(text) % params if params else translation.gettext(text)


def is_fragment(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<body" not in html
    return html


@pytest.fixture
def transferred(make_concern, alice, fsc):
    referral = make_concern(child_name="Первый")
    services.referral_transfer(referral=referral, by=alice)
    return referral


# --- pick up from the inbox --------------------------------------------------------------


def test_it_picks_up_in_place_and_links_the_new_case(transferred, fatima, client_for):
    response = client_for(fatima).post(act_url(transferred, "pick_up"), {"from": "inbox"}, **HTMX)
    html = is_fragment(response)
    case = Case.objects.get(referral=transferred)
    assert html.startswith(f'<tr id="inbox-{transferred.pk}"')
    assert in_russian("Picked up by you") in html
    assert reverse("case_detail", args=[case.pk]) in html
    assert 'hx-swap-oob="innerHTML"' in html
    assert in_russian("You picked up this referral.") in html
    assert "<button" not in html
    transferred.refresh_from_db()
    assert (transferred.status, transferred.assigned_to) == (Status.PICKED_UP, fatima)


def test_it_tells_the_loser_of_the_race_who_won_in_the_row(transferred, fatima, farida, client_for):
    stale_inbox = client_for(farida).get(reverse("fsc_inbox")).content.decode()
    assert act_url(transferred, "pick_up") in stale_inbox
    client_for(fatima).post(act_url(transferred, "pick_up"), {"from": "inbox"}, **HTMX)

    response = client_for(farida).post(act_url(transferred, "pick_up"), {"from": "inbox"}, **HTMX)
    html = is_fragment(response)
    transferred.refresh_from_db()
    picked_at = timezone.localtime(transferred.picked_up_at).strftime("%d.%m.%Y %H:%M")
    expected = f"{fatima.full_name} уже принял(а) это направление в работу в {picked_at}."
    assert expected in html
    assert "<button" not in html
    assert in_russian("Picked up by you") not in html
    assert transferred.assigned_to == fatima
    assert transferred.events.filter(kind=EventKind.PICKED_UP).count() == 1
    assert Case.objects.filter(referral=transferred).count() == 1


def test_it_still_picks_up_without_javascript(transferred, fatima, client_for):
    response = client_for(fatima).post(act_url(transferred, "pick_up"), {"from": "inbox"})
    assert response.status_code == 302
    assert response.url == reverse("fsc_inbox")
    transferred.refresh_from_db()
    assert transferred.assigned_to == fatima


def test_the_inbox_row_posts_in_place_and_as_a_plain_form(transferred, fatima, client_for):
    page = client_for(fatima).get(reverse("fsc_inbox")).content.decode()
    url = act_url(transferred, "pick_up")
    assert f'action="{url}" hx-post="{url}" hx-target="closest tr" hx-swap="outerHTML"' in page
    assert '<div id="live-status" class="visually-hidden" role="status" aria-live="polite">' in page


@pytest.mark.parametrize("persona", ["omar", "alice", "rita"])
def test_it_refuses_a_pick_up_in_place_to_others(persona, transferred, client_for, request):
    """Another district's FSC does not see it (404); guardianship sees it and may not (403);
    the referrer who sent it may not pick it up (403)."""
    user = request.getfixturevalue(persona)
    response = client_for(user).post(act_url(transferred, "pick_up"), {"from": "inbox"}, **HTMX)
    assert response.status_code == {"omar": 404, "alice": 403, "rita": 403}[persona]
    transferred.refresh_from_db()
    assert transferred.status == Status.TRANSFERRED


# --- transfer from the list --------------------------------------------------------------


@pytest.fixture
def notice(make_notice, fsc):
    return make_notice(registered_at=timezone.now() - timedelta(hours=1), family_name="Новые")


def test_the_list_offers_the_transfer_of_a_notice_only(notice, make_concern, alice, client_for):
    concern = make_concern()
    page = client_for(alice).get(reverse("referral_list")).content.decode()
    assert act_url(notice, "transfer") in page
    assert act_url(concern, "transfer") not in page


def test_it_transfers_a_notice_in_place(notice, alice, fsc, client_for):
    response = client_for(alice).post(
        act_url(notice, "transfer"), {"from": "list", "query": "kind=police_notice"}, **HTMX
    )
    html = is_fragment(response)
    assert html.startswith(f'<tr id="referral-{notice.pk}"')
    with translation.override("ru"):
        assert str(Status.TRANSFERRED.label) in html
    assert str(fsc) in html
    assert in_russian("Transferred to the Family Support Center.") in html
    assert act_url(notice, "transfer") not in html
    notice.refresh_from_db()
    assert notice.status == Status.TRANSFERRED


def test_a_notice_the_system_already_forwarded_says_so_in_the_row(notice, alice, client_for):
    client = client_for(alice)
    client.get(reverse("referral_list"))
    services.referral_transfer(referral=notice, by=None)

    html = is_fragment(client.post(act_url(notice, "transfer"), {"from": "list"}, **HTMX))
    with translation.override("ru"):
        label = str(Status.TRANSFERRED.label)
    refusal = in_russian(
        "This referral is now “%(status)s”, so it cannot become “%(target)s”.",
        status=label,
        target=label,
    )
    assert f'<span class="error">{refusal}</span>' in html.replace("&quot;", '"')
    assert act_url(notice, "transfer") not in html
    assert notice.events.filter(kind=EventKind.AUTO_TRANSFERRED).count() == 1
    assert not notice.events.filter(kind=EventKind.TRANSFERRED).exists()


def test_it_transfers_without_javascript_and_returns_to_the_filtered_list(
    notice, alice, client_for
):
    response = client_for(alice).post(
        act_url(notice, "transfer"), {"from": "list", "query": "kind=police_notice&page=2"}
    )
    assert response.status_code == 302
    assert response.url == reverse("referral_list") + "?kind=police_notice&page=2"
    notice.refresh_from_db()
    assert notice.status == Status.TRANSFERRED


def test_the_return_address_cannot_leave_the_list(notice, alice, client_for):
    response = client_for(alice).post(
        act_url(notice, "transfer"), {"from": "list", "query": "//evil.example/"}
    )
    assert response.url.startswith(reverse("referral_list") + "?")


@pytest.mark.parametrize("persona", ["oscar", "fatima", "pavel"])
def test_it_refuses_a_transfer_in_place_to_others(persona, notice, client_for, request):
    """Another district (404), the FSC that cannot see it yet (404), the police who sent it (403)."""
    user = request.getfixturevalue(persona)
    response = client_for(user).post(act_url(notice, "transfer"), {"from": "list"}, **HTMX)
    assert response.status_code == {"oscar": 404, "fatima": 404, "pavel": 403}[persona]
    notice.refresh_from_db()
    assert notice.status == Status.REGISTERED


# --- live search -------------------------------------------------------------------------


def test_live_search_answers_with_the_results_only(make_concern, alice, client_for):
    make_concern(child_name="Алия Искомая")
    make_concern(child_name="Берик Другой")
    response = client_for(alice).get(reverse("referral_list"), {"q": "Искомая"}, **HTMX)
    html = is_fragment(response)
    assert html.startswith('<div id="referral-results"')
    assert "Алия Искомая" in html and "Берик Другой" not in html
    assert 'role="search"' not in html
    assert "HX-Request" in response["Vary"]
    with translation.override("ru"):
        count = translation.ngettext("%(counter)s referral", "%(counter)s referrals", 1)
    assert count.replace("%(counter)s", "1") in html


def test_live_search_keeps_the_filters_in_the_page_links(make_concern, alice, client_for):
    for number in range(26):
        make_concern(child_name=f"Ребёнок {number}")
    html = is_fragment(
        client_for(alice).get(reverse("referral_list"), {"q": "Ребёнок", "page": "1"}, **HTMX)
    )
    assert "?q=%D0%A0%D0%B5%D0%B1%D1%91%D0%BD%D0%BE%D0%BA&amp;page=2" in html


def test_a_back_button_restore_gets_the_whole_page(make_concern, alice, client_for):
    response = client_for(alice).get(
        reverse("referral_list"), **HTMX, HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in response.content.decode()


def test_the_filter_form_searches_as_the_user_types(alice, client_for):
    page = client_for(alice).get(reverse("referral_list")).content.decode()
    assert 'hx-trigger="input changed delay:300ms, change, submit"' in page
    assert 'hx-push-url="true"' in page
    assert 'hx-target="#referral-results"' in page


def test_live_search_is_refused_to_those_without_referrals(kairat, client_for):
    response = client_for(kairat).get(reverse("referral_list"), {"q": "x"}, **HTMX)
    assert response.status_code == 403
