"""A Kazakh-speaking FSC specialist's whole day, page by page: no English or Russian
interface string on the way (issue #6, "done when").

The check reads every text node and attribute a user sees or hears (title, placeholder,
aria-label, button values). Data typed by people (the synthetic names and narratives of
the fixtures, written in Russian as many real files are) is not interface, so the test
compares the page against our Russian catalog rather than against the Cyrillic alphabet.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings

from casework.services import cases
from casework.services.staff import user_language_set
from referrals import services as referral_services
from tests.cases.conftest import almaty, rate_everything

pytestmark = pytest.mark.django_db

# Latin words that are not English: names of the product, file formats, units.
ALLOWED_LATIN = {"qamqor", "pdf", "xlsx", "csv", "jpeg", "png", "mb", "api", "iin", "id"}
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
VISIBLE_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "value"}


class VisibleText(HTMLParser):
    """Text nodes and the attributes a user reads, outside <script> and <style> and
    outside elements marked as another language (each language's own name in the
    switcher: `<option lang="ru">Русский</option>`)."""

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self._skipped: list[str] = []  # the open elements whose content is not read

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        other_language = tag != "html" and attributes.get("lang") not in (None, "kk")
        if tag in ("script", "style") or other_language:
            self._skipped.append(tag)
        is_button = tag in ("button", "input") and attributes.get("type") in ("submit", "button")
        for name, value in attrs:
            if value and name in VISIBLE_ATTRIBUTES and (name != "value" or is_button):
                self.texts.append(value)

    def handle_endtag(self, tag):
        if self._skipped and self._skipped[-1] == tag:
            self._skipped.pop()

    def handle_data(self, data):
        if not self._skipped and data.strip():
            self.texts.append(data.strip())


def visible_texts(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.texts


def russian_interface_strings() -> set[str]:
    """Russian translations of our interface that are not also the Kazakh ones."""
    locale = Path(settings.BASE_DIR) / "locale"
    ru = polib.pofile(str(locale / "ru" / "LC_MESSAGES" / "django.po"))
    kk = {e.msgid: e.msgstr for e in polib.pofile(str(locale / "kk" / "LC_MESSAGES" / "django.po"))}
    return {
        e.msgstr
        for e in ru
        if e.msgstr and len(e.msgstr) > 3 and "%" not in e.msgstr and e.msgstr != kk.get(e.msgid)
    }


DATA = re.compile(r"^(https?://\S+|\S+@\S+)$")  # addresses shown as data, not interface


def english_words(text: str, *, data: frozenset[str] = frozenset()) -> list[str]:
    if text in data or DATA.match(text):
        return []
    return [w for w in ENGLISH_WORD.findall(text) if w.lower() not in ALLOWED_LATIN]


@pytest.fixture
def day(make_notice, alice, fatima, gulnara, client_for, case):
    """Fatima works in Kazakh: a new referral waits in the inbox, and her case is open."""
    user_language_set(user=fatima, language="kk")
    waiting = make_notice(registered_at=almaty(2026, 4, 7, 10, 0))
    referral_services.referral_transfer(referral=waiting, by=alice, now=almaty(2026, 4, 7, 11, 0))
    return {"client": client_for(fatima), "case": case, "waiting": waiting}


def test_a_kazakh_speaking_fsc_specialist_meets_no_english_or_russian_string(day, fatima):
    client, case, waiting = day["client"], day["case"], day["waiting"]
    russian = russian_interface_strings()
    pages = [
        "/",
        "/work/",
        "/fsc/inbox/",
        f"/referrals/{waiting.pk}/",
        "/referrals/",
        "/cases/",
        f"/cases/{case.pk}/",
        f"/cases/{case.pk}/assessment/",
        f"/cases/{case.pk}/contacts/new/",
        "/notifications/",
        f"/staff/{fatima.pk}/",
        "/calendar/2026/",
    ]
    problems = []
    typed = "x" * 5
    data = frozenset({fatima.username, typed})

    def check(label: str, response):
        assert response.status_code == 200, (label, response.status_code)
        assert 'lang="kk"' in response.content.decode()
        for text in visible_texts(response.content.decode()):
            if english_words(text, data=data):
                problems.append((label, "English", text))
            elif text in russian:
                problems.append((label, "Russian", text))

    for url in pages:
        check(url, client.get(url))
    # A day's work includes mistakes: the messages of a refused form must be Kazakh too.
    check("empty contact", client.post(f"/cases/{case.pk}/contacts/new/", {}))
    check(
        "incomplete assessment",
        client.post(f"/cases/{case.pk}/assessment/", {"complete": "1"}),
    )
    rate_everything(case, fatima)
    cases.assessment_complete(case=case, by=fatima)
    check("plan", client.get(f"/cases/{case.pk}/plan/"))
    check(
        "bad measure",
        client.post(
            f"/cases/{case.pk}/plan/measures/",
            {"description": typed, "due_on": "31.02.2026"},
        ),
    )
    assert not problems, "\n".join(f"{page}: {kind}: {text!r}" for page, kind, text in problems)


def test_the_checker_catches_an_english_or_russian_string():
    """The checker itself can fail: an English label and a Russian interface phrase."""
    texts = visible_texts('<p>Келесі</p><input type="submit" value="Send"><b>Save</b>')
    assert [english_words(t) for t in texts] == [[], ["Send"], ["Save"]]
    assert "Главная" in russian_interface_strings()  # "Home" in Russian
    assert "Басты бет" not in russian_interface_strings()  # and in Kazakh
