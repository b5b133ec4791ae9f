"""Who sees a referral and who may act on it: the persona matrix, over HTTP and through
`referrals.permissions.get_referral_for_user_or_404` (invisible is 404, visible but not
allowed is 403)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse

from referrals import permissions, services
from referrals.models import Referral, Status
from referrals.permissions import get_referral_for_user_or_404

ALMALY_CONCERN_VIEWERS = ["alice", "bob", "hanna", "rita"]
ALMALY_CONCERN_OUTSIDERS = ["oscar", "sam", "omar", "kairat", "nina", "adam", "fatima", "gulnara"]


def detail_url(referral) -> str:
    return reverse("referral_detail", args=[referral.pk])


def act_url(referral, action: str) -> str:
    return reverse("referral_act", args=[referral.pk, action])


def status_of(referral) -> str:
    return Referral.objects.get(pk=referral.pk).status


@pytest.fixture
def concern(make_concern, school):
    """A concern sent by rita's school in Almaly."""
    referral = make_concern()
    assert referral.source_organisation == school
    return referral


@pytest.fixture
def transferred(concern, alice, fsc):
    return services.referral_transfer(referral=concern, by=alice)


@pytest.fixture
def picked_up(transferred, fatima):
    return services.referral_pick_up(referral=transferred, by=fatima)


# --- visibility --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ALMALY_CONCERN_VIEWERS)
def test_it_shows_an_almaly_school_concern_to_district_guardianship_and_the_sender(
    persona, request, concern, client_for
):
    user = request.getfixturevalue(persona)
    response = client_for(user).get(detail_url(concern))
    assert response.status_code == 200
    assert response.context["referral"].pk == concern.pk
    assert get_referral_for_user_or_404(user, concern.pk).pk == concern.pk


@pytest.mark.parametrize("persona", ALMALY_CONCERN_OUTSIDERS)
def test_it_hides_an_untransferred_concern_from_everyone_else(
    persona, request, concern, client_for
):
    user = request.getfixturevalue(persona)
    response = client_for(user).get(detail_url(concern))
    assert response.status_code == 404
    assert concern.narrative not in response.content.decode()
    with pytest.raises(Http404):
        get_referral_for_user_or_404(user, concern.pk)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("fatima", 200),
        ("farida", 200),
        ("gulnara", 200),
        ("alice", 200),
        ("rita", 200),
        ("omar", 404),
        ("oscar", 404),
        ("sam", 404),
        ("kairat", 404),
        ("nina", 404),
        ("adam", 404),
    ],
)
def test_after_transfer_the_district_fsc_sees_it_but_no_other_fsc(
    persona, expected, request, concern, alice, fsc, client_for
):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    services.referral_transfer(referral=concern, by=alice)
    assert client.get(detail_url(concern)).status_code == expected
    if expected == 200:
        assert get_referral_for_user_or_404(user, concern.pk).pk == concern.pk
    else:
        with pytest.raises(Http404):
            get_referral_for_user_or_404(user, concern.pk)


def test_fatima_sees_the_concern_only_once_it_is_transferred(
    concern, alice, fatima, fsc, client_for
):
    client = client_for(fatima)
    assert client.get(detail_url(concern)).status_code == 404
    services.referral_transfer(referral=concern, by=alice)
    assert client.get(detail_url(concern)).status_code == 200


def test_a_returned_referral_leaves_the_fsc(transferred, fatima, client_for):
    services.referral_return(referral=transferred, by=fatima, reason="Не наш профиль.")
    assert client_for(fatima).get(detail_url(transferred)).status_code == 404


def test_a_malformed_pk_is_404_not_500(alice):
    with pytest.raises(Http404):
        get_referral_for_user_or_404(alice, "not-a-number")
    with pytest.raises(Http404):
        get_referral_for_user_or_404(alice, 999_999)


def test_anonymous_visitors_are_sent_to_the_login_page(concern, client):
    response = client.get(detail_url(concern))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- actions -----------------------------------------------------------------------------


def test_a_referrer_may_not_transfer_its_own_concern(concern, rita, client_for):
    response = client_for(rita).post(act_url(concern, "transfer"))
    assert response.status_code == 403
    assert status_of(concern) == Status.RECEIVED
    with pytest.raises(PermissionDenied):
        get_referral_for_user_or_404(rita, concern.pk, permissions.TRANSFER)


def test_the_referrer_page_offers_no_actions(concern, rita, client_for):
    response = client_for(rita).get(detail_url(concern))
    assert response.context["actions"] == []
    assert act_url(concern, "transfer") not in response.content.decode()


def test_the_fsc_may_not_transfer_a_concern_it_cannot_see(concern, fatima, fsc, client_for):
    response = client_for(fatima).post(act_url(concern, "transfer"))
    assert response.status_code == 404
    assert status_of(concern) == Status.RECEIVED


def test_the_fsc_may_see_but_not_transfer_a_referral(transferred, fatima, client_for):
    """Once it can see the referral, the FSC gets 403 for a guardianship action."""
    response = client_for(fatima).post(act_url(transferred, "transfer"))
    assert response.status_code == 403
    assert status_of(transferred) == Status.TRANSFERRED
    with pytest.raises(PermissionDenied):
        get_referral_for_user_or_404(fatima, transferred.pk, permissions.TRANSFER)
    with pytest.raises(PermissionDenied):
        get_referral_for_user_or_404(fatima, transferred.pk, permissions.TRIAGE)


@pytest.mark.parametrize("persona", ["alice", "hanna"])
def test_district_guardianship_transfers_to_the_fsc(persona, request, concern, fsc, client_for):
    user = request.getfixturevalue(persona)
    response = client_for(user).post(act_url(concern, "transfer"))
    assert response.status_code == 302
    assert response.url == detail_url(concern)
    referral = Referral.objects.get(pk=concern.pk)
    assert referral.status == Status.TRANSFERRED
    assert referral.fsc == fsc
    assert referral.events.filter(kind="transferred", actor=user).exists()


def test_another_district_cannot_act_on_the_referral(concern, oscar, client_for):
    response = client_for(oscar).post(act_url(concern, "transfer"))
    assert response.status_code == 404
    assert status_of(concern) == Status.RECEIVED


def test_an_unknown_action_is_404(concern, alice, client_for):
    response = client_for(alice).post(act_url(concern, "explode"))
    assert response.status_code == 404
    assert status_of(concern) == Status.RECEIVED


@pytest.mark.parametrize("action", ["transfer", "triage", "pick_up", "explode"])
def test_an_action_url_refuses_get(action, concern, alice, client_for):
    response = client_for(alice).get(act_url(concern, action))
    assert response.status_code == 405
    assert status_of(concern) == Status.RECEIVED


@pytest.mark.parametrize("persona", ["alice", "rita", "omar"])
def test_only_the_fsc_picks_up(persona, request, transferred, client_for):
    user = request.getfixturevalue(persona)
    response = client_for(user).post(act_url(transferred, "pick_up"))
    assert response.status_code == (404 if persona == "omar" else 403)
    assert status_of(transferred) == Status.TRANSFERRED


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("fatima", 302),  # picked it up
        ("gulnara", 302),  # FSC head
        ("farida", 403),  # same FSC, not assigned
        ("alice", 403),  # guardianship sees it, but this is FSC work
        ("rita", 403),
        ("omar", 404),
    ],
)
def test_start_work_is_for_the_assigned_specialist_or_the_fsc_head(
    persona, expected, request, picked_up, client_for
):
    user = request.getfixturevalue(persona)
    response = client_for(user).post(act_url(picked_up, "start_work"))
    assert response.status_code == expected
    referral = Referral.objects.get(pk=picked_up.pk)
    if expected == 302:
        assert response.url == detail_url(picked_up)
        assert referral.status == Status.IN_WORK
        assert referral.events.filter(kind="work_started", actor=user).exists()
    else:
        assert referral.status == Status.PICKED_UP


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("fatima", 302), ("gulnara", 302), ("farida", 403), ("alice", 403), ("omar", 404)],
)
def test_close_is_for_the_assigned_specialist_or_the_fsc_head(
    persona, expected, request, picked_up, fatima, client_for
):
    services.referral_start_work(referral=picked_up, by=fatima)
    user = request.getfixturevalue(persona)
    response = client_for(user).post(
        act_url(picked_up, "close"), {"outcome": "Семье оказана помощь."}
    )
    assert response.status_code == expected
    referral = Referral.objects.get(pk=picked_up.pk)
    if expected == 302:
        assert referral.status == Status.CLOSED
        assert referral.events.get(kind="closed").note == "Семье оказана помощь."
    else:
        assert referral.status == Status.IN_WORK


def test_the_permission_function_separates_the_assigned_specialist_from_a_colleague(
    picked_up, fatima, farida, gulnara
):
    assert get_referral_for_user_or_404(fatima, picked_up.pk, permissions.START_WORK)
    assert get_referral_for_user_or_404(gulnara, picked_up.pk, permissions.START_WORK)
    assert get_referral_for_user_or_404(gulnara, picked_up.pk, permissions.CLOSE)
    for action in (permissions.START_WORK, permissions.CLOSE):
        with pytest.raises(PermissionDenied):
            get_referral_for_user_or_404(farida, picked_up.pk, action)
    # farida may still see it and hand it back (any specialist of the FSC may return).
    assert get_referral_for_user_or_404(farida, picked_up.pk, permissions.RETURN)


def test_the_page_offers_start_work_only_to_whom_it_is_allowed(
    picked_up, fatima, farida, client_for
):
    assert "start_work" in client_for(fatima).get(detail_url(picked_up)).context["actions"]
    assert "start_work" not in client_for(farida).get(detail_url(picked_up)).context["actions"]


# --- lists -------------------------------------------------------------------------------


@pytest.fixture
def referral_set(
    make_concern, make_notice, alice, sam, other_school, other_guardianship, bostandyk, now
):
    """One referral of each kind of jurisdiction:

    school   rita's school concern, Almaly, not transferred
    other    sam's school concern, Bostandyk
    notice   pavel's police notice, Almaly
    phoned   a phone call logged by alice in Almaly, transferred to the Almaly FSC
    """
    phoned = make_concern(
        by=alice, source_organisation=None, channel="phone", source_person="Соседка"
    )
    services.referral_transfer(referral=phoned, by=alice)
    return {
        "school": make_concern(),
        "other": make_concern(by=sam, district=bostandyk, source_organisation=other_school),
        "notice": make_notice(registered_at=now),
        "phoned": phoned,
    }


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("alice", {"school", "notice", "phoned"}),
        ("hanna", {"school", "notice", "phoned"}),
        ("oscar", {"other"}),
        ("rita", {"school"}),
        ("sam", {"other"}),
        ("pavel", {"notice"}),
        ("fatima", {"phoned"}),
        ("gulnara", {"phoned"}),
        ("omar", set()),
    ],
)
def test_the_list_shows_each_persona_only_what_it_may_see(
    persona, expected, request, referral_set, client_for
):
    user = request.getfixturevalue(persona)
    response = client_for(user).get(reverse("referral_list"))
    assert response.status_code == 200
    shown = {referral.pk for referral in response.context["page"]}
    assert shown == {referral_set[name].pk for name in expected}
    page = response.content.decode()
    for name, referral in referral_set.items():
        link = f'href="{detail_url(referral)}"'
        assert (link in page) == (name in expected), name


@pytest.mark.parametrize("persona", ["kairat", "nina", "adam"])
def test_roles_without_referral_work_get_403_on_the_list(persona, request, client_for):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse("referral_list")).status_code == 403


@pytest.mark.parametrize("persona", ["kairat", "nina", "adam", "fatima", "omar"])
def test_only_guardianship_and_referrers_may_open_the_intake_form(persona, request, client_for):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse("referral_create")).status_code == 403


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("alice", 403),
        ("hanna", 403),
        ("rita", 403),
        ("kairat", 403),
        ("fatima", 200),
        ("gulnara", 200),
        ("omar", 200),
    ],
)
def test_the_fsc_inbox_is_for_fsc_staff(persona, expected, request, client_for):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse("fsc_inbox")).status_code == expected


def test_the_inbox_of_another_fsc_is_empty(transferred, omar, fatima, client_for):
    assert [r.pk for r in client_for(fatima).get(reverse("fsc_inbox")).context["page"]] == [
        transferred.pk
    ]
    assert list(client_for(omar).get(reverse("fsc_inbox")).context["page"]) == []


# --- what the sender sees: what it sent and where it stands (issue #7) -----------------------

PDF = b"%PDF-1.4\n%synthetic\n"


def timeline_of(page: str) -> str:
    return page[page.index('class="timeline"') :]


def test_the_sender_follows_the_steps_but_not_guardianships_reasons_or_names(
    concern, alice, rita, client_for
):
    services.referral_triage(
        referral=concern, by=alice, decision=Status.CASEWORK, reason="Семья известна опеке."
    )
    seen_by_rita = timeline_of(client_for(rita).get(detail_url(concern)).content.decode())
    assert "Семья известна опеке." not in seen_by_rita
    assert alice.full_name not in seen_by_rita
    assert rita.full_name in seen_by_rita  # who sent it, from the sender's own side
    assert seen_by_rita.count("<li>") == 2  # created, triaged: every step is still there
    seen_by_alice = timeline_of(client_for(alice).get(detail_url(concern)).content.decode())
    assert "Семья известна опеке." in seen_by_alice and alice.full_name in seen_by_alice


def test_the_sender_does_not_see_which_fsc_specialist_took_it(picked_up, fatima, rita, client_for):
    assert fatima.full_name not in client_for(rita).get(detail_url(picked_up)).content.decode()


def test_the_sender_gets_its_own_files_and_not_those_guardianship_added(
    concern, alice, rita, client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    letter = services.referral_attachment_add(
        referral=concern, by=rita, upload=SimpleUploadedFile("letter.pdf", PDF)
    )
    act = services.referral_attachment_add(
        referral=concern, by=alice, upload=SimpleUploadedFile("guardianship-act.pdf", PDF)
    )
    sender, district = client_for(rita), client_for(alice)
    assert "guardianship-act.pdf" not in sender.get(detail_url(concern)).content.decode()
    assert "letter.pdf" in sender.get(detail_url(concern)).content.decode()
    assert sender.get(file_url(concern, act)).status_code == 404
    assert sender.get(file_url(concern, letter)).status_code == 200
    assert district.get(file_url(concern, act)).status_code == 200
    assert permissions.sees_the_work(alice, concern) and not permissions.sees_the_work(
        rita, concern
    )


def file_url(referral, attachment) -> str:
    return reverse("referral_attachment", args=[referral.pk, attachment.pk])
