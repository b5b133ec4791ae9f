"""Every catalog is complete: every string in the code is extracted and translated, no
translation loses a placeholder of its msgid, and compiled files are fresh."""

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "locale"
LANGUAGES = ["ru", "kk", "en"]
# What `make messages` reads: makemessages' default extensions for the django domain.
SOURCE_SUFFIXES = {".py", ".html", ".txt"}
# Never part of the source: what the running app writes (at the top), bytecode and
# hidden folders (.venv, .git; makemessages skips hidden folders too).
WRITTEN_BY_THE_APP = {"var", "media", "staticfiles"}
NOT_SOURCE = {"__pycache__", "node_modules"}


def catalog(language: str, locale: Path = LOCALE) -> polib.POFile:
    return polib.pofile(str(locale / language / "LC_MESSAGES" / "django.po"))


def describe(entries) -> str:
    """One line per entry: its msgid and where the code uses it."""
    lines = []
    for entry in entries:
        where = ", ".join(f"{path}:{line}" for path, line in entry.occurrences) or "?"
        lines.append(f"  {entry.msgid!r} ({where})")
    return "\n".join(lines)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalog_is_complete(language):
    po = catalog(language)
    assert not po.untranslated_entries(), describe(po.untranslated_entries())
    assert not po.fuzzy_entries(), describe(po.fuzzy_entries())


def copy_the_source(target: Path) -> None:
    """The files makemessages reads, and the catalogs it merges into; nothing else."""
    for folder, subfolders, files in os.walk(ROOT):
        here = Path(folder)
        relative = here.relative_to(ROOT)
        subfolders[:] = [
            d
            for d in subfolders
            if not d.startswith(".")
            and d not in NOT_SOURCE
            and not (here == ROOT and d in WRITTEN_BY_THE_APP)
        ]
        in_locale = relative.parts[:1] == ("locale",)
        for name in files:
            path = here / name
            if path.suffix in SOURCE_SUFFIXES or (in_locale and path.suffix == ".po"):
                destination = target / relative / name
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, destination)


def test_every_string_in_the_code_is_in_the_catalogs(tmp_path):
    """`make messages` on a copy of the source changes no translation: a string marked in
    the code but never extracted would come out untranslated (or with a fuzzy guess)."""
    copy_the_source(tmp_path)
    env = {**os.environ, "DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--no-obsolete", "--ignore=.venv"]
        + [f"-l{language}" for language in LANGUAGES],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    problems = []
    for language in LANGUAGES:
        po = catalog(language, tmp_path / "locale")
        if untranslated := po.untranslated_entries():
            problems.append(f"{language}: not translated:\n{describe(untranslated)}")
        if fuzzy := po.fuzzy_entries():
            problems.append(f"{language}: fuzzy (guessed by makemessages):\n{describe(fuzzy)}")
    assert not problems, (
        "Strings in the code that the catalogs do not translate; run `make messages`, "
        "translate them and compile:\n" + "\n".join(problems)
    )


PYTHON_FORMAT = re.compile(r"%(?:\(\w+\))?[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")
BRACE_FORMAT = re.compile(r"\{\w*\}")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def placeholders(text: str, flags: list[str]) -> Counter:
    found = Counter(TAG.findall(text))
    if "python-format" in flags:
        found.update(p for p in PYTHON_FORMAT.findall(text) if p != "%%")
    if "python-brace-format" in flags:
        found.update(BRACE_FORMAT.findall(text))
    return found


def lost_placeholders(entry: polib.POEntry) -> list[str]:
    """Each translation against its msgid: the same placeholders and HTML tags. Every
    plural form is checked against the plural msgid (the number is in every form)."""
    if not entry.translated():
        return []
    if entry.msgid_plural:
        forms = [(entry.msgid_plural, text) for _index, text in sorted(entry.msgstr_plural.items())]
    else:
        forms = [(entry.msgid, entry.msgstr)]
    return [
        f"{source!r} -> {text!r}"
        for source, text in forms
        if placeholders(source, entry.flags) != placeholders(text, entry.flags)
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_translation_keeps_the_placeholders_of_its_msgid(language):
    lost = [line for entry in catalog(language) for line in lost_placeholders(entry)]
    assert not lost, "Translations that lose or add a placeholder or tag:\n" + "\n".join(lost)


def test_the_placeholder_check_can_fail():
    entry = polib.POEntry(
        msgid="%(n)s of %(total)s, <b>{when}</b>",
        msgstr="%(n)s из %(totl)s, {when}",
        flags=["python-format", "python-brace-format"],
    )
    assert lost_placeholders(entry)
    entry.msgstr = "<b>{when}</b>: %(total)s ішінен %(n)s"
    assert not lost_placeholders(entry)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalog_matches_the_source(language):
    source = catalog(language)
    compiled = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    compiled_ids = {entry.msgid for entry in compiled}
    assert {entry.msgid for entry in source.translated_entries()} <= compiled_ids


def test_kazakh_pages_use_the_official_terms(alice, client_for):
    alice.preferred_language = "kk"
    alice.save(update_fields=["preferred_language"])
    page = client_for(alice).get("/").content.decode()
    assert "Қорғаншылық органының маманы" in page
