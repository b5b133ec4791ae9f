"""Every role signs in through the real login form and lands on its home page with its
own navigation; the keyboard reaches the content; the layout fits a tablet.

Each test here flushes the database when it ends (the live server needs committed data),
so one test walks all the roles instead of one test per role."""

import pytest
from django.utils import translation
from django.utils.translation import gettext
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from casework.navigation import navigation_for
from casework.permissions import scope_for
from casework.services.organisations import administrator_enable_admin_site
from tests.browser.conftest import TABLET

pytestmark = pytest.mark.browser

PERSONAS = ["alice", "hanna", "fatima", "gulnara", "kairat", "saule", "rita", "nina", "adam"]


def expected_navigation(user) -> list[str]:
    with translation.override("ru"):
        labels = [str(item.label) for item in navigation_for(scope_for(user))]
        if user.is_staff:
            labels.append(gettext("Administration"))
    return labels


def test_each_role_signs_in_to_its_home_page_with_its_navigation(request, browser):
    people = {persona: request.getfixturevalue(persona) for persona in PERSONAS}
    administrator_enable_admin_site(user=people["adam"])
    people["adam"].refresh_from_db()

    browser.log_in(people["alice"], password="not-the-password")
    assert browser.path == "/accounts/login/"
    with translation.override("ru"):
        assert browser.text("[role=alert]") == gettext(
            "Wrong username or password. Both are case-sensitive."
        )

    for persona, user in people.items():
        browser.log_in(user)
        assert browser.path == "/", persona
        with translation.override("ru"):
            welcome = gettext("Welcome, %(name)s") % {"name": user.first_name}
        assert browser.text("h1") == welcome, persona
        navigation = expected_navigation(user)
        assert browser.nav_labels() == navigation, persona
        assert browser.text("header nav a[aria-current=page]") == navigation[0], persona
        browser.log_out()
        assert browser.path == "/accounts/login/", persona


def test_the_keyboard_and_a_tablet_reach_everything(browser, alice, make_notice):
    make_notice()
    browser.log_in(alice)

    keyboard = ActionChains(browser.driver)
    keyboard.send_keys(Keys.TAB).perform()
    skip = browser.driver.switch_to.active_element
    assert skip.get_attribute("class") == "skip"
    assert skip.is_displayed()
    outline = browser.driver.execute_script(
        "return getComputedStyle(arguments[0]).outlineStyle", skip
    )
    assert outline == "solid"  # where the focus is can be seen
    keyboard.send_keys(Keys.ENTER).perform()
    browser.wait().until(lambda d: d.current_url.endswith("#main"))
    keyboard.send_keys(Keys.TAB).perform()
    focused = browser.driver.switch_to.active_element
    assert browser.driver.execute_script(
        "return document.getElementById('main').contains(arguments[0])", focused
    ), focused.get_attribute("outerHTML")

    browser.viewport(*TABLET)
    for path, name in [("/", "home"), ("/referrals/", "referrals")]:
        browser.open(path)
        assert browser.horizontal_overflow() == 0, path
        nav = browser.find("header nav")
        assert nav.rect["x"] + nav.rect["width"] <= TABLET[0], path
        browser.screenshot(f"tablet-{name}")
