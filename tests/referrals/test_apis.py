"""The referral REST API for referring organisations' systems (schools, police units...).

Requests authenticate with an organisation's API token (`Authorization: Token <key>`) and
act as the organisation's service account, so the access core decides what they see.
"""

import json
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from rest_framework.test import APIClient

from casework.models import (
    ApiToken,
    AuditRead,
    Notification,
    OrganisationKind,
    Timer,
    TimerKind,
)
from casework.services.api_tokens import api_token_create, api_token_revoke
from referrals import services
from referrals.models import (
    Channel,
    ConcernCategory,
    EventKind,
    Referral,
    ReferralEvent,
    ReferralKind,
    Status,
)
from tests.factories import OrganisationFactory
from tests.referrals.conftest import almaty

CREATE = "/api/v1/referrals/create/"
LIST = "/api/v1/referrals/"

# Friday 20 March 2026; 21-25 March are Nauryz days off, so the next working day is
# Thursday 26 March.
FRIDAY_BEFORE_NAURYZ = "2026-03-20T10:00:00+05:00"
DUE_AFTER_NAURYZ = "2026-03-26T18:30:00+05:00"

REQUIRED_RU = "Обязательное поле."  # DRF's Russian catalog, as Django merges it


def detail_url(pk) -> str:
    return f"/api/v1/referrals/{pk}/"


def token_client(key: str, **defaults) -> APIClient:
    client = APIClient(**defaults)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def school_token(school, guardianship):
    """API token of rita's school (Almaly); the district has a guardianship authority."""
    return api_token_create(organisation=school, name="School MIS", by=None)


@pytest.fixture
def school_api(school_token):
    return token_client(school_token[1])


@pytest.fixture
def other_school_api(other_school):
    """API token of sam's school (Bostandyk)."""
    _token, key = api_token_create(organisation=other_school, name="Other MIS", by=None)
    return token_client(key)


@pytest.fixture
def police_api(police, guardianship):
    _token, key = api_token_create(organisation=police, name="Police system", by=None)
    return token_client(key)


def concern(**fields) -> dict:
    return {
        "kind": ReferralKind.CONCERN,
        "child_name": "Аружан Синтетикова",
        "categories": [ConcernCategory.SCHOOL_ABSENCE],
        "narrative": "Не посещает школу две недели.",
        **fields,
    }


def notice(**fields) -> dict:
    return {
        "kind": ReferralKind.POLICE_NOTICE,
        "family_name": "Синтетиковы",
        "narrative": "Семья поставлена на профилактический учёт.",
        "registered_at": FRIDAY_BEFORE_NAURYZ,
        "police_unit": "ОП Алмалинского района",
        "inspector": "Инспектор (синтетический)",
        "ground": "Профилактический учёт",
        **fields,
    }


# --- authentication ----------------------------------------------------------------------


def test_it_refuses_requests_without_credentials(school, guardianship):
    response = APIClient().post(CREATE, concern(), format="json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"] == "Учетные данные не были предоставлены."
    assert not Referral.objects.exists()


def test_it_refuses_reading_the_list_without_credentials(make_concern):
    make_concern()

    response = APIClient().get(LIST)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_it_refuses_a_wrong_key(school_token):
    token, key = school_token
    wrong = key[:-4] + ("aaaa" if not key.endswith("aaaa") else "bbbb")  # same prefix

    response = token_client(wrong).post(CREATE, concern(), format="json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"] == "Токен неверен или отозван."
    assert not Referral.objects.exists()
    token.refresh_from_db()
    assert token.last_used_at is None


def test_it_refuses_an_unknown_key(school_token):
    response = token_client("not-a-key-anyone-issued").get(LIST)

    assert response.status_code == 401


def test_it_refuses_a_malformed_token_header(school_token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token")

    response = client.get(LIST)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_it_refuses_a_revoked_token(school_token, school_api):
    token, _key = school_token
    assert school_api.get(LIST).status_code == 200

    api_token_revoke(token=token)
    response = school_api.get(LIST)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_revoking_one_token_leaves_the_organisations_other_tokens_working(school, school_token):
    _second, second_key = api_token_create(organisation=school, name="Second", by=None)

    api_token_revoke(token=school_token[0])

    assert token_client(second_key).get(LIST).status_code == 200


def test_it_refuses_a_token_whose_service_account_is_deactivated(school_token, school_api):
    token, _key = school_token
    token.user.is_active = False
    token.user.save(update_fields=["is_active"])

    assert school_api.get(LIST).status_code == 401


def test_it_records_when_a_token_was_last_used(school_token, school_api):
    token, _key = school_token

    assert school_api.get(LIST).status_code == 200

    token.refresh_from_db()
    assert token.last_used_at is not None
    assert timezone.now() - token.last_used_at < timedelta(minutes=1)


@pytest.mark.parametrize(
    "kind",
    [
        OrganisationKind.GUARDIANSHIP,
        OrganisationKind.FSC,
        OrganisationKind.KDN,
    ],
)
def test_a_non_referring_organisation_gets_no_token(almaly, kind):
    organisation = OrganisationFactory(kind=kind, district=almaly)

    with pytest.raises(ValidationError, match="API-токены выдаются только"):
        api_token_create(organisation=organisation, name="Nope", by=None)

    assert not ApiToken.objects.exists()


def test_the_key_is_stored_only_as_a_hash(school_token):
    token, key = school_token

    token.refresh_from_db()
    assert key not in token.key_hash
    assert token.prefix == key[:8]
    assert token.user.username == f"api-{token.organisation_id}"
    assert not token.user.has_usable_password()


# --- create: concerns --------------------------------------------------------------------


def test_it_registers_a_concern_from_a_school(school, school_token, school_api):
    response = school_api.post(CREATE, concern(external_reference="MIS-1"), format="json")

    assert response.status_code == 201
    body = response.json()
    referral = Referral.objects.get()
    assert body["id"] == referral.pk
    assert body["number"] == f"{referral.pk:06d}"
    assert body["status"] == Status.RECEIVED
    assert body["kind"] == ReferralKind.CONCERN
    assert body["external_reference"] == "MIS-1"
    assert body["transfer_due_at"] is None
    assert referral.channel == Channel.API
    assert referral.source_organisation == school
    assert referral.district == school.district
    assert referral.created_by == school_token[0].user
    assert referral.categories == [ConcernCategory.SCHOOL_ABSENCE]
    assert referral.child_name == "Аружан Синтетикова"
    event = ReferralEvent.objects.get(referral=referral)
    assert event.kind == EventKind.CREATED
    assert event.to_status == Status.RECEIVED
    assert event.actor == school_token[0].user


def test_a_token_post_needs_no_csrf_token(school_token):
    client = token_client(school_token[1], enforce_csrf_checks=True)

    response = client.post(CREATE, concern(), format="json")

    assert response.status_code == 201


def test_it_registers_a_concern_in_the_district_given_by_code(
    school, bostandyk, other_guardianship, school_api
):
    response = school_api.post(CREATE, concern(district_code="ALM-BOS"), format="json")

    assert response.status_code == 201
    referral = Referral.objects.get(pk=response.json()["id"])
    assert referral.district == bostandyk
    assert referral.source_organisation == school


def test_it_alerts_guardianship_to_a_threat_to_life(alice, school_api):
    response = school_api.post(CREATE, concern(threat_to_life=True), format="json")

    assert response.status_code == 201
    assert Referral.objects.get().threat_to_life is True
    assert Notification.objects.filter(recipient=alice).count() == 1


def test_a_referrer_signed_in_to_the_site_can_use_the_api(rita, school, guardianship):
    client = APIClient()
    client.force_login(rita)

    response = client.post(CREATE, concern(), format="json")

    assert response.status_code == 201
    referral = Referral.objects.get()
    assert referral.source_organisation == school
    assert referral.created_by == rita
    assert referral.channel == Channel.API


def test_staff_who_are_not_referrers_cannot_submit(alice):
    client = APIClient()
    client.force_login(alice)

    response = client.post(CREATE, concern(), format="json")

    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Через API направления подают только направляющие организации."
    )
    assert not Referral.objects.exists()


# --- create: police notices --------------------------------------------------------------


def test_it_registers_a_police_notice_with_its_transfer_deadline(police, police_api):
    response = police_api.post(CREATE, notice(registration_number="42/2026"), format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == Status.REGISTERED
    assert body["kind"] == ReferralKind.POLICE_NOTICE
    assert body["transfer_due_at"] == DUE_AFTER_NAURYZ
    referral = Referral.objects.get(pk=body["id"])
    assert referral.transfer_due_at == almaty(2026, 3, 26, 18, 30)
    assert referral.registered_at == almaty(2026, 3, 20, 10, 0)
    assert referral.source_organisation == police
    assert referral.channel == Channel.API
    assert referral.police_unit == "ОП Алмалинского района"
    assert referral.registration_number == "42/2026"
    assert ReferralEvent.objects.filter(
        referral=referral, kind=EventKind.CREATED, to_status=Status.REGISTERED
    ).exists()


@pytest.mark.parametrize("registered_at", ["0001-01-01T00:00:00Z", "1999-12-31T23:59:59+06:00"])
def test_a_police_notice_registered_before_2000_is_refused(police_api, registered_at):
    response = police_api.post(CREATE, notice(registered_at=registered_at), format="json")

    assert response.status_code == 400
    with translation.override("ru"):
        refused = translation.gettext("The registration time is before 2000.")
    assert response.json() == {"registered_at": [refused]}
    assert not Referral.objects.exists()
    assert not Timer.objects.exists()


def test_a_police_notice_starts_the_transfer_timer(guardianship, police_api):
    response = police_api.post(CREATE, notice(), format="json")

    assert response.status_code == 201
    timer = Timer.objects.get(
        kind=TimerKind.REFERRAL_TRANSFER,
        subject_type=ContentType.objects.get_for_model(Referral),
        subject_id=response.json()["id"],
    )
    assert timer.organisation == guardianship
    assert timer.due_at == almaty(2026, 3, 26, 18, 30)


def test_the_deadline_counts_from_the_almaty_date_of_registration(police_api):
    # 20:00 UTC on Thursday 19 March is 01:00 on Friday 20 March in Almaty.
    response = police_api.post(
        CREATE, notice(registered_at="2026-03-19T20:00:00+00:00"), format="json"
    )

    assert response.status_code == 201
    assert response.json()["transfer_due_at"] == DUE_AFTER_NAURYZ


def test_a_registration_time_without_an_offset_is_almaty_time(police_api):
    response = police_api.post(CREATE, notice(registered_at="2026-03-20T10:00:00"), format="json")

    assert response.status_code == 201
    assert Referral.objects.get().registered_at == almaty(2026, 3, 20, 10, 0)
    assert response.json()["transfer_due_at"] == DUE_AFTER_NAURYZ


def test_an_ordinary_working_day_notice_is_due_at_the_end_of_the_next_day(police_api):
    # Tuesday 14 April 2026 -> Wednesday 15 April.
    response = police_api.post(
        CREATE, notice(registered_at="2026-04-14T16:00:00+05:00"), format="json"
    )

    assert response.status_code == 201
    assert response.json()["transfer_due_at"] == "2026-04-15T18:30:00+05:00"


def test_a_school_cannot_send_a_police_notice(school_api):
    response = school_api.post(CREATE, notice(), format="json")

    assert response.status_code == 400
    assert response.json()["kind"] == [
        "Уведомления о постановке на учёт направляет только полиция."
    ]
    assert not Referral.objects.exists()


# --- idempotency ------------------------------------------------------------------------


def test_resending_the_same_reference_returns_the_registered_referral(school_api):
    first = school_api.post(CREATE, concern(external_reference="MIS-7"), format="json")
    second = school_api.post(
        CREATE, concern(external_reference="MIS-7", narrative="Повторная отправка."), format="json"
    )

    assert first.status_code == 201
    assert second.status_code == 200
    assert second.json()["id"] == first.json()["id"]
    assert Referral.objects.count() == 1
    assert Referral.objects.get().narrative == "Не посещает школу две недели."
    assert ReferralEvent.objects.filter(kind=EventKind.CREATED).count() == 1


def test_resending_a_police_notice_returns_it_without_a_second_timer(police_api):
    first = police_api.post(CREATE, notice(external_reference="UP-1"), format="json")
    second = police_api.post(CREATE, notice(external_reference="UP-1"), format="json")

    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["id"] == first.json()["id"]
    assert Referral.objects.count() == 1
    assert Timer.objects.filter(kind=TimerKind.REFERRAL_TRANSFER).count() == 1


def test_the_same_reference_from_another_organisation_is_another_referral(
    school_api, other_school_api, other_guardianship
):
    ours = school_api.post(CREATE, concern(external_reference="MIS-7"), format="json")
    theirs = other_school_api.post(CREATE, concern(external_reference="MIS-7"), format="json")

    assert ours.status_code == 201
    assert theirs.status_code == 201
    assert ours.json()["id"] != theirs.json()["id"]
    assert Referral.objects.count() == 2


def test_the_reference_matches_referrals_the_organisation_sent_through_the_site(
    make_concern, school_api
):
    sent = make_concern(external_reference="MIS-9")

    response = school_api.post(CREATE, concern(external_reference="MIS-9"), format="json")

    assert response.status_code == 200
    assert response.json()["id"] == sent.pk
    assert Referral.objects.count() == 1


def test_referrals_without_a_reference_are_never_merged(school_api):
    first = school_api.post(CREATE, concern(), format="json")
    second = school_api.post(CREATE, concern(), format="json")

    assert (first.status_code, second.status_code) == (201, 201)
    assert Referral.objects.count() == 2


# --- validation -------------------------------------------------------------------------


def test_it_requires_a_narrative(school_api):
    payload = concern()
    del payload["narrative"]

    response = school_api.post(CREATE, payload, format="json")

    assert response.status_code == 400
    assert response.json()["narrative"] == [REQUIRED_RU]
    assert not Referral.objects.exists()


def test_it_requires_a_kind(school_api):
    payload = concern()
    del payload["kind"]

    response = school_api.post(CREATE, payload, format="json")

    assert response.status_code == 400
    assert response.json()["kind"] == [REQUIRED_RU]


def test_errors_follow_the_requested_language(school_api):
    payload = concern()
    del payload["narrative"]

    response = school_api.post(CREATE, payload, format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json()["narrative"] == ["This field is required."]


def test_it_rejects_an_unknown_category(school_api):
    response = school_api.post(CREATE, concern(categories=["witchcraft"]), format="json")

    assert response.status_code == 400
    errors = response.json()["categories"]
    assert errors == {"0": ["Значения witchcraft нет среди допустимых вариантов."]}
    assert not Referral.objects.exists()


def test_it_rejects_an_unknown_kind(school_api):
    response = school_api.post(CREATE, concern(kind="gossip"), format="json")

    assert response.status_code == 400
    assert response.json()["kind"] == ["Значения gossip нет среди допустимых вариантов."]


def test_a_police_notice_needs_the_registration_time_and_unit(police_api):
    payload = notice()
    del payload["registered_at"]
    del payload["police_unit"]

    response = police_api.post(CREATE, payload, format="json")

    assert response.status_code == 400
    body = response.json()
    required = ["Обязательно для уведомления полиции о постановке на учёт."]
    assert body["registered_at"] == required
    assert body["police_unit"] == required
    assert not Referral.objects.exists()


def test_a_police_notice_cannot_be_registered_in_the_future(police_api):
    tomorrow = (timezone.localtime() + timedelta(days=1)).isoformat()

    response = police_api.post(CREATE, notice(registered_at=tomorrow), format="json")

    assert response.status_code == 400
    assert response.json()["registered_at"] == ["Время постановки на учёт ещё не наступило."]
    assert not Referral.objects.exists()


def test_it_needs_someone_to_look_for(school_api):
    payload = concern()
    del payload["child_name"]

    response = school_api.post(CREATE, payload, format="json")

    assert response.status_code == 400
    assert response.json()["child_name"] == ["Укажите хотя бы имя ребёнка, семью или адрес."]
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    "subject", [{"family_name": "Синтетиковы"}, {"address": "ул. Синтетическая, 1"}]
)
def test_a_family_or_an_address_is_enough(school_api, subject):
    payload = concern()
    del payload["child_name"]

    response = school_api.post(CREATE, {**payload, **subject}, format="json")

    assert response.status_code == 201
    referral = Referral.objects.get()
    assert referral.child_name == ""
    assert referral.family_name == subject.get("family_name", "")
    assert referral.address == subject.get("address", "")


def test_empty_optional_text_fields_count_as_not_given(school_api):
    """Clients that send every field send "" for what they do not know; the optional text
    fields default to "" and the model allows blanks, so "" must be accepted."""
    payload = concern(
        child_name="",
        family_name="Синтетиковы",
        address="",
        external_reference="",
        inspector="",
        ground="",
        registration_number="",
        police_unit="",
    )

    response = school_api.post(CREATE, payload, format="json")

    assert response.status_code == 201, response.json()
    assert Referral.objects.get().family_name == "Синтетиковы"


def test_it_rejects_an_unknown_district_code(school_api):
    response = school_api.post(CREATE, concern(district_code="NOWHERE"), format="json")

    assert response.status_code == 400
    assert response.json()["district_code"] == ["Неизвестный код района."]
    assert not Referral.objects.exists()


def test_it_rejects_a_district_without_a_guardianship_authority(bostandyk, school_api):
    response = school_api.post(CREATE, concern(district_code=bostandyk.code), format="json")

    assert response.status_code == 400
    assert response.json()["district"] == ["В этом районе нет органа опеки в Qamqor."]
    assert not Referral.objects.exists()


def test_it_rejects_an_impossible_age(school_api):
    response = school_api.post(CREATE, concern(child_age=18), format="json")

    assert response.status_code == 400
    assert "child_age" in response.json()


def test_malformed_json_is_a_client_error(school_api):
    response = school_api.post(
        CREATE, data='{"kind": "concern", "narrative": ', content_type="application/json"
    )

    assert response.status_code == 400
    assert "detail" in response.json()
    assert not Referral.objects.exists()


def test_a_json_array_is_a_client_error(school_api):
    response = school_api.post(
        CREATE, data=json.dumps([concern()]), content_type="application/json"
    )

    assert response.status_code == 400
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("ru", "Недопустимые данные. Ожидался dictionary, но был получен null."),
        ("kk", "Деректер қате. Күтілгені - сөздік түрі, берілгені - null."),
    ],
)
def test_a_null_body_is_refused_in_the_clients_language(school_api, language, message):
    response = school_api.post(
        CREATE, data="null", content_type="application/json", HTTP_ACCEPT_LANGUAGE=language
    )

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [message]}
    assert not Referral.objects.exists()


def test_a_body_over_the_upload_limit_is_a_json_client_error(school_api, settings):
    narrative = "а" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    response = school_api.post(CREATE, concern(narrative=narrative), format="json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Искаженный запрос."}
    assert not Referral.objects.exists()


# --- detail -----------------------------------------------------------------------------


def test_it_shows_the_organisations_own_referral(school_api):
    created = school_api.post(CREATE, concern(external_reference="MIS-3"), format="json").json()

    response = school_api.get(detail_url(created["id"]))

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == created["id"]
    assert body["status"] == Status.RECEIVED
    assert body["status_display"] == "Поступило"
    assert body["external_reference"] == "MIS-3"


def test_it_shows_what_a_colleague_sent_through_the_site(make_concern, school_api):
    referral = make_concern()

    response = school_api.get(detail_url(referral.pk))

    assert response.status_code == 200
    assert response.json()["id"] == referral.pk


def test_the_status_follows_the_referral(make_concern, alice, school_api):
    referral = make_concern()
    services.referral_triage(referral=referral, by=alice, decision=Status.CASEWORK)

    response = school_api.get(detail_url(referral.pk))

    assert response.json()["status"] == Status.CASEWORK
    assert response.json()["status_display"] == "Рассмотрено: работа органа опеки"


def test_another_organisations_referral_is_not_found(make_concern, other_school_api):
    referral = make_concern()  # rita's school, Almaly

    response = other_school_api.get(detail_url(referral.pk))

    assert response.status_code == 404
    assert not AuditRead.objects.exists()


def test_a_police_unit_does_not_see_a_schools_referral(make_concern, police_api):
    referral = make_concern()

    assert police_api.get(detail_url(referral.pk)).status_code == 404


def test_a_missing_referral_is_not_found(school_api):
    assert school_api.get(detail_url(999999)).status_code == 404


@pytest.mark.parametrize(
    ("language", "message"),
    [("ru", "Страница не найдена."), ("kk", "Табылмады."), ("en", "Not found.")],
)
def test_an_address_no_api_answers_is_a_json_404_in_the_clients_language(
    school_api, language, message
):
    response = school_api.get("/api/v1/referrals/not-a-number/", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": message}


def test_a_page_that_does_not_exist_is_still_a_page(alice, client_for):
    response = client_for(alice).get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_reading_a_referral_is_audited(make_concern, school_token, school_api):
    referral = make_concern()

    response = school_api.get(detail_url(referral.pk))

    assert response.status_code == 200
    read = AuditRead.objects.get()
    assert read.user == school_token[0].user
    assert read.content_type == ContentType.objects.get_for_model(Referral)
    assert read.object_id == str(referral.pk)
    assert read.path == detail_url(referral.pk)


def test_the_detail_needs_credentials(make_concern):
    referral = make_concern()

    response = APIClient().get(detail_url(referral.pk))

    assert response.status_code == 401
    assert not AuditRead.objects.exists()


# --- list -------------------------------------------------------------------------------


def test_the_list_holds_only_the_organisations_own_referrals(
    make_concern, other_school, bostandyk, other_guardianship, sam, school_api
):
    ours = [make_concern(), make_concern(child_name="Ерлан Синтетиков")]
    theirs = make_concern(source_organisation=other_school, district=bostandyk, by=sam)

    response = school_api.get(LIST)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    ids = [item["id"] for item in body["results"]]
    assert sorted(ids) == sorted(r.pk for r in ours)
    assert theirs.pk not in ids


def test_the_list_is_newest_first(make_concern, school_api):
    older = make_concern(now=timezone.now() - timedelta(days=2))
    newer = make_concern(now=timezone.now() - timedelta(days=1))

    body = school_api.get(LIST).json()

    assert [item["id"] for item in body["results"]] == [newer.pk, older.pk]


def test_the_list_is_paginated(make_concern, school_api):
    make_concern()

    body = school_api.get(LIST).json()

    assert set(body) == {"count", "next", "previous", "results"}
    assert body["next"] is None
    assert body["results"][0]["status"] == Status.RECEIVED


def test_the_list_pages_by_fifty(make_concern, school_api):
    for _ in range(51):
        make_concern()

    first = school_api.get(LIST).json()
    second = school_api.get(LIST, {"page": 2}).json()

    assert first["count"] == 51
    assert len(first["results"]) == 50
    assert first["next"] is not None
    assert len(second["results"]) == 1
    assert second["next"] is None
    assert {item["id"] for item in first["results"]}.isdisjoint(
        item["id"] for item in second["results"]
    )


@pytest.mark.parametrize("page", ["", "x", "0", "99"])
def test_a_page_that_is_not_there_is_404_in_the_clients_language(make_concern, school_api, page):
    make_concern()

    response = school_api.get(LIST, {"page": page}, HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 404
    assert response.json()["detail"] == "Неправильная страница"


def test_an_organisation_with_nothing_sent_gets_an_empty_list(make_concern, other_school_api):
    make_concern()

    body = other_school_api.get(LIST).json()

    assert body["count"] == 0
    assert body["results"] == []


# --- schema and docs --------------------------------------------------------------------


def test_the_schema_describes_the_referral_api(db):
    response = APIClient().get("/api/v1/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = json.loads(response.content)
    assert "/api/v1/referrals/create/" in schema["paths"]
    assert "post" in schema["paths"]["/api/v1/referrals/create/"]
    assert "/api/v1/referrals/{id}/" in schema["paths"]
    assert "OrganisationToken" in schema["components"]["securitySchemes"]


def _schema() -> dict:
    return APIClient().get("/api/v1/schema/", {"format": "json"}).json()


def test_the_schema_describes_the_list_as_the_page_it_is(db):
    operation = _schema()["paths"]["/api/v1/referrals/"]["get"]

    body = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/PaginatedReferralOutputList"}
    assert [p["name"] for p in operation["parameters"]] == ["page"]


def test_the_schema_documents_every_error_the_api_gives(db):
    paths = _schema()["paths"]

    def codes(path, method):
        return set(paths[path][method]["responses"])

    assert codes("/api/v1/referrals/create/", "post") == {"200", "201", "400", "401", "403", "415"}
    assert codes("/api/v1/referrals/", "get") == {"200", "401", "404"}
    assert codes("/api/v1/referrals/{id}/", "get") == {"200", "401", "403", "404"}
    assert codes("/api/v1/me/", "get") == {"200", "401"}


def test_the_schema_describes_the_errors_shape(school_api):
    operation = _schema()["paths"]["/api/v1/referrals/create/"]["post"]
    refused = school_api.post(CREATE, {"kind": "concern"}, format="json").json()

    shape = operation["responses"]["400"]["content"]["application/json"]["schema"]
    assert shape["type"] == "object"
    assert {"type": "array", "items": {"type": "string"}} in shape["additionalProperties"]["anyOf"]
    assert refused == {"narrative": [REQUIRED_RU]}


def test_the_schema_says_the_narrative_may_not_be_blank(db):
    request = _schema()["components"]["schemas"]["ReferralCreateRequest"]

    assert request["properties"]["narrative"]["minLength"] == 1
    assert request["required"] == ["kind", "narrative"]


def test_the_default_schema_is_yaml_with_the_create_path(db):
    response = APIClient().get("/api/v1/schema/")

    assert response.status_code == 200
    assert b"/api/v1/referrals/create/" in response.content


def test_the_docs_are_open_to_anonymous_readers(db):
    client = APIClient()
    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    assert b"swagger" in response.content.lower()
    # The start-up script is a file of its own (the content security policy allows no
    # inline script); it points Swagger UI at the schema.
    script = client.get("/api/v1/docs/?script=")
    assert b"/api/v1/schema/" in script.content


def test_the_docs_open_for_a_signed_in_user(rita):
    client = APIClient()
    client.force_login(rita)

    assert client.get("/api/v1/docs/").status_code == 200


@pytest.mark.parametrize(
    ("language", "start"), [("ru", "Ошибка разбора JSON"), ("kk", "JSON талдау қатесі")]
)
def test_a_body_that_is_not_json_is_refused_in_the_clients_language(police_api, language, start):
    response = police_api.post(
        "/api/v1/referrals/create/",
        data="{not json",
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert response.status_code == 400
    assert response.json()["detail"].startswith(start)
