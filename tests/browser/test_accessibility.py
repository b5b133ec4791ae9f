"""axe-core on the main pages of every role: no serious or critical violations. Each page
is also saved as a screenshot in var/artifacts/screenshots/ for people to look at."""

from datetime import timedelta

import pytest
from django.utils import timezone

from casework.services import kdn as kdn_services
from families.reference import difficult_situation_grounds_ensure
from families.services import family_create
from referrals import services as referral_services
from tests.browser.conftest import axe_report

pytestmark = pytest.mark.browser


@pytest.fixture
def world(request, almaly, fsc, kdn, make_case, make_notice, make_concern, make_child):
    """One district with something on every main page, made through the services."""
    people = {
        name: request.getfixturevalue(name)
        for name in ["alice", "hanna", "fatima", "gulnara", "saule", "kairat", "rita", "nina"]
    }
    people["adam"] = request.getfixturevalue("adam")
    alice, fatima, saule = people["alice"], people["fatima"], people["saule"]
    difficult_situation_grounds_ensure()
    now = timezone.now()
    case = make_case()
    waiting = make_notice(
        registered_at=now - timedelta(hours=2), family_name="Ожидающие", threat_to_life=True
    )
    inbox = make_notice(registered_at=now - timedelta(hours=3), family_name="Входящие")
    referral_services.referral_transfer(referral=inbox, by=alice)
    concern = make_concern()
    child = make_child()
    family = family_create(name="Синтетиковы", district=almaly, by=alice, locality="Алматы")
    item = kdn_services.agenda_item_submit(
        by=fatima, organisation=fsc, case=case, question="Рассмотреть положение семьи"
    )
    meeting = kdn_services.meeting_create(
        commission=kdn,
        by=saule,
        held_at=now + timedelta(days=5),
        quorum=1,
        members=[people["kairat"]],
        place="Акимат, каб. 101",
    )
    kdn_services.agenda_item_schedule(item=item, meeting=meeting, by=saule)
    kdn_services.meeting_publish(meeting=meeting, by=saule)
    pages = {
        "alice": [
            ("home", "/"),
            ("referrals", "/referrals/"),
            ("referral", f"/referrals/{waiting.pk}/"),
            ("concern", f"/referrals/{concern.pk}/"),
            ("children", "/registry/children/"),
            ("child", f"/registry/children/{child.pk}/"),
            ("family", f"/registry/families/{family.pk}/"),
            ("worklist", "/work/"),
            ("statistics", "/statistics/"),
            ("notifications", "/notifications/"),
        ],
        "hanna": [("home", "/")],
        "fatima": [
            ("home", "/"),
            ("inbox", "/fsc/inbox/"),
            ("cases", "/cases/"),
            ("case", f"/cases/{case.pk}/"),
            ("worklist", "/work/"),
        ],
        "gulnara": [("home", "/")],
        "saule": [
            ("home", "/"),
            ("commission", "/kdn/"),
            ("meeting", f"/kdn/meetings/{meeting.pk}/"),
        ],
        "kairat": [("home", "/"), ("meeting", f"/kdn/meetings/{meeting.pk}/")],
        "rita": [("home", "/"), ("referrals", "/referrals/"), ("new-referral", "/referrals/new/")],
        "nina": [("home", "/"), ("statistics", "/statistics/")],
        "adam": [("home", "/")],
    }
    return people, pages


def test_the_main_pages_have_no_serious_accessibility_violations(browser, world):
    people, pages = world
    found: dict[str, list[dict]] = {}
    broken: list[str] = []
    too_wide: list[str] = []  # pages a 1366x768 laptop has to scroll sideways

    browser.open("/accounts/login/")
    found["login"] = browser.axe()
    browser.screenshot("login")

    for persona, visits in pages.items():
        browser.log_in(people[persona])
        for name, path in visits:
            browser.open(path)
            if browser.path != path or not browser.find_all("main#main h1"):
                broken.append(f"{persona} {path} -> {browser.path}: {browser.driver.title}")
                continue
            found[f"{persona} {path}"] = browser.axe()
            if browser.horizontal_overflow():
                too_wide.append(f"{persona} {path}: {browser.horizontal_overflow()}px")
            browser.screenshot(f"{persona}-{name}")
        browser.log_out()

    assert not broken, "pages that did not open:\n" + "\n".join(broken)
    assert not too_wide, "wider than a 1366px laptop:\n" + "\n".join(too_wide)
    report = axe_report(found)
    assert not report, f"serious or critical accessibility violations:\n{report}"
