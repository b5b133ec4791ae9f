"""A police registration notice, from the police unit's system to the FSC, in a real
browser: registered through the REST API with the unit's token, transferred by the
guardianship specialist from the referral list, picked up from the FSC inbox."""

import json
import urllib.request
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from casework.models import Case
from casework.services.api_tokens import api_token_create
from referrals.models import EventKind, Referral, Status

pytestmark = pytest.mark.browser


def api_post(base_url: str, path: str, key: str, payload: dict) -> tuple[int, dict]:
    request = urllib.request.Request(  # noqa: S310 - the live server's own http URL
        base_url + path,
        data=json.dumps(payload).encode(),
        headers={"Authorization": f"Token {key}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.status, json.loads(response.read())


def test_a_police_notice_goes_from_the_api_to_an_fsc_case(
    browser, live_server, police, guardianship, fsc, alice, fatima
):
    _token, key = api_token_create(organisation=police, name="Police system", by=None)
    status, body = api_post(
        live_server.url,
        "/api/v1/referrals/create/",
        key,
        {
            "kind": "police_notice",
            "external_reference": "KUI-BROWSER-1",
            "family_name": "Браузеровы",
            "narrative": "Семья поставлена на профилактический учёт.",
            "registered_at": (timezone.now() - timedelta(hours=1)).isoformat(),
            "police_unit": "ОП Алмалинского района",
        },
    )
    assert status == 201, body
    referral = Referral.objects.get(pk=body["id"])
    assert referral.status == Status.REGISTERED

    # Guardianship finds the notice on its list and transfers it from the referral page.
    browser.log_in(alice)
    browser.open("/referrals/")
    browser.find(f"a[href='/referrals/{referral.pk}/']").click()
    browser.wait().until(lambda d: d.current_url.endswith(f"/referrals/{referral.pk}/"))
    assert referral.number in browser.text("h1")
    browser.screenshot("referral-registered")
    transfer = browser.find(f"form[action='/referrals/{referral.pk}/transfer/'] button")
    transfer.click()
    browser.wait().until(lambda _d: _status(referral) == Status.TRANSFERRED)
    browser.open(f"/referrals/{referral.pk}/")
    with translation.override("ru"):
        assert browser.text(".heading .status") == Status.TRANSFERRED.label
    assert not browser.find_all(f"form[action='/referrals/{referral.pk}/transfer/']")
    browser.log_out()

    # The FSC specialist sees it in the inbox and picks it up: a case opens.
    browser.log_in(fatima)
    with translation.override("ru"):
        inbox_label = gettext("FSC inbox")
    next(link for link in browser.find_all("header nav a") if link.text == inbox_label).click()
    browser.wait().until(lambda d: d.current_url.endswith("/fsc/inbox/"))
    row = browser.find(f"a[href='/referrals/{referral.pk}/']").find_element(
        "xpath", "./ancestor::tr"
    )
    assert "Браузеровы" in row.text
    browser.screenshot("fsc-inbox")
    pick_up = row.find_element(
        "css selector", f"form[action='/referrals/{referral.pk}/pick_up/'] button"
    )
    pick_up.click()
    browser.wait().until(lambda _d: _status(referral) == Status.PICKED_UP)

    referral.refresh_from_db()
    assert (referral.status, referral.fsc, referral.assigned_to) == (
        Status.PICKED_UP,
        fsc,
        fatima,
    )
    case = Case.objects.get(referral=referral)
    assert (case.organisation, case.lead) == (fsc, fatima)
    assert list(referral.events.values_list("kind", flat=True).order_by("at", "pk")) == [
        EventKind.CREATED,
        EventKind.TRANSFERRED,
        EventKind.PICKED_UP,
    ]

    browser.open(f"/referrals/{referral.pk}/")
    browser.find(f"a[href='/cases/{case.pk}/']").click()
    browser.wait().until(lambda d: d.current_url.endswith(f"/cases/{case.pk}/"))
    assert "Браузеровы" in browser.text("main")
    browser.screenshot("case-opened")


def _status(referral: Referral) -> str:
    return Referral.objects.values_list("status", flat=True).get(pk=referral.pk)
