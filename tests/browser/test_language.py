"""The language switcher turns the interface Kazakh, as the Kazakh catalog says it."""

from pathlib import Path

import polib
import pytest
from django.utils import translation
from selenium.webdriver.support.ui import Select

from casework.navigation import navigation_for
from casework.permissions import scope_for

pytestmark = pytest.mark.browser

KK_CATALOG = Path(__file__).resolve().parents[2] / "locale" / "kk" / "LC_MESSAGES" / "django.po"


@pytest.fixture(scope="module")
def kazakh() -> dict[str, str]:
    """msgid -> Kazakh text, straight from the catalog the translators edit."""
    catalog = polib.pofile(str(KK_CATALOG))
    return {e.msgid: e.msgstr for e in catalog if e.msgstr and not e.obsolete and not e.msgctxt}


def test_the_switcher_turns_the_pages_kazakh(browser, alice, kazakh):
    browser.log_in(alice)
    browser.open("/referrals/")
    assert browser.find("html").get_attribute("lang") == "ru"

    Select(browser.find("#language-select")).select_by_value("kk")
    browser.submit(browser.find("form.language button"))

    assert browser.path == "/referrals/"  # the same page, in the other language
    assert browser.find("html").get_attribute("lang") == "kk"
    assert browser.text("h1") == kazakh["Referrals"]
    assert browser.text("header nav a") == kazakh["Home"]
    assert browser.nav_labels() == [kazakh.get(msgid, msgid) for msgid in _nav_msgids(alice)]
    browser.screenshot("referrals-kk")

    browser.open("/")
    assert browser.text("h1") == kazakh["Welcome, %(name)s"] % {"name": alice.first_name}
    alice.refresh_from_db()
    assert alice.preferred_language == "kk"  # remembered for the next sign-in


def _nav_msgids(user) -> list[str]:
    with translation.override(None):  # no catalog: the labels as written in the code
        return [str(item.label) for item in navigation_for(scope_for(user))]
