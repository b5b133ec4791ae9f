"""Every catalog is complete: no untranslated or fuzzy entries, and compiled files are fresh."""

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_the_catalog_is_complete(language):
    catalog = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert not catalog.untranslated_entries()
    assert not catalog.fuzzy_entries()


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_the_compiled_catalog_matches_the_source(language):
    source = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    compiled = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    compiled_ids = {entry.msgid for entry in compiled}
    assert {entry.msgid for entry in source.translated_entries()} <= compiled_ids


def test_kazakh_pages_use_the_official_terms(alice, client_for):
    alice.preferred_language = "kk"
    alice.save(update_fields=["preferred_language"])
    page = client_for(alice).get("/").content.decode()
    assert "Қорғаншылық органының маманы" in page
