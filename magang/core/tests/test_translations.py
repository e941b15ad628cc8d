"""The Indonesian and Japanese catalogues: complete, faithful to placeholders, compiled.

English is the source language; Indonesian is the site's default and Japanese the third
language. These tests fail when a string is left untranslated, a placeholder is lost, the
``.mo`` files were not recompiled after editing a ``.po`` file, or a template gained a
``{% translate %}`` string nobody ran ``makemessages`` for.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
LOCALE_DIR = ROOT / "locale"
LANGUAGES = ["id", "ja"]

# printf-style placeholders as gettext's python-format understands them.
PERCENT_PLACEHOLDER = re.compile(
    r"%(?:\((?P<name>[^)]+)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]"
)
BRACE_PLACEHOLDER = re.compile(r"(?<!\{)\{(?P<field>[^{}]*)\}(?!\})")

# {% translate "..." %} and {% trans '...' %}, with whatever options follow the literal.
TRANSLATE_TAG = re.compile(
    r"""\{%\s*(?:translate|trans)\s+(?P<quote>["'])(?P<text>.*?)(?P=quote)(?P<options>[^%]*)%\}"""
)
# _("...") inside a template variable or tag argument, e.g. default_if_none:_("system").
UNDERSCORE_LITERAL = re.compile(r"""\b_\((?P<quote>["'])(?P<text>.*?)(?P=quote)\)""")


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def mo_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.mo"


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(po_path(language)))


def live_entries(language: str) -> list[polib.POEntry]:
    return [entry for entry in catalogue(language) if not entry.obsolete]


def key(entry: polib.POEntry | polib.MOEntry) -> str:
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def translations(entries: list[polib.POEntry] | polib.MOFile) -> dict[str, object]:
    result: dict[str, object] = {}
    for entry in entries:
        if not entry.msgid:
            continue  # the header
        if entry.msgid_plural:
            result[key(entry)] = tuple(sorted(entry.msgstr_plural.items()))
        else:
            result[key(entry)] = entry.msgstr
    return result


def is_translated(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def placeholders(text: str, brace: bool) -> tuple[frozenset[str], tuple[str, ...]]:
    """Named placeholders (order-free) and positional ones (in order)."""
    named: set[str] = set()
    positional: list[str] = []
    for match in PERCENT_PLACEHOLDER.finditer(text):
        if match.group() == "%%":
            continue
        if match.group("name") is not None:
            named.add(match.group())
        else:
            positional.append(match.group())
    if brace:
        for match in BRACE_PLACEHOLDER.finditer(text):
            named.add(match.group())
    return frozenset(named), tuple(positional)


def template_files() -> Iterator[Path]:
    yield from sorted((ROOT / "templates").rglob("*.html"))
    for app_templates in sorted((ROOT / "magang").glob("*/templates")):
        yield from sorted(app_templates.rglob("*.html"))
        yield from sorted(app_templates.rglob("*.txt"))


def template_literals() -> dict[str, Path]:
    """Every literal string a template hands to gettext, with one file that uses it."""
    found: dict[str, Path] = {}
    for path in template_files():
        source = path.read_text(encoding="utf-8")
        for match in TRANSLATE_TAG.finditer(source):
            if "context" in match.group("options").split():
                continue  # a msgctxt entry: looked up with its context, not by msgid alone
            found.setdefault(match.group("text"), path)
        for match in UNDERSCORE_LITERAL.finditer(source):
            found.setdefault(match.group("text"), path)
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_declares_the_language_and_its_single_plural_form(language) -> None:
    po = catalogue(language)
    assert not po.metadata_is_fuzzy
    assert po.metadata["Language"] == language
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert po.metadata["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_translates_every_string(language) -> None:
    entries = live_entries(language)
    assert len(entries) > 100, "the catalogue looks truncated"
    untranslated = [entry.msgid for entry in entries if not is_translated(entry)]
    assert untranslated == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_has_no_fuzzy_translation(language) -> None:
    fuzzy = [entry.msgid for entry in live_entries(language) if "fuzzy" in entry.flags]
    assert fuzzy == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_fills_exactly_one_plural_form(language) -> None:
    wrong = [
        (entry.msgid, sorted(entry.msgstr_plural))
        for entry in live_entries(language)
        if entry.msgid_plural and sorted(entry.msgstr_plural) != [0]
    ]
    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_keeps_every_placeholder(language) -> None:
    lost = []
    for entry in live_entries(language):
        brace = "python-brace-format" in entry.flags
        if entry.msgid_plural:
            # With a single plural form, msgstr[0] serves the plural text.
            sources = [entry.msgid_plural]
            targets = list(entry.msgstr_plural.values())
        else:
            sources = [entry.msgid]
            targets = [entry.msgstr]
        expected = placeholders(sources[0], brace)
        if entry.msgid_plural:
            singular_named, _ = placeholders(entry.msgid, brace)
            expected = (expected[0] | singular_named, expected[1])
        for target in targets:
            if placeholders(target, brace) != expected:
                lost.append((entry.msgid, target))
    assert lost == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_ships_a_compiled_catalogue_matching_the_source(language) -> None:
    assert mo_path(language).exists(), "run: manage.py compilemessages --ignore=.venv"
    po = catalogue(language)
    mo = polib.mofile(str(mo_path(language)))
    compiled = translations(mo)
    source = translations(po.translated_entries())
    assert compiled == source, "the .mo is stale: run manage.py compilemessages --ignore=.venv"


@pytest.mark.parametrize(
    ("language", "english", "expected"),
    [
        ("id", "Log in", "Masuk"),
        ("id", "Technical intern programme to Japan", "Program Pemagangan ke Jepang"),
        ("ja", "Log in", "ログイン"),
        ("ja", "Host company", "実習実施者"),
    ],
)
def test_it_loads_the_catalogue_through_django(language, english, expected) -> None:
    with translation.override(language):
        assert translation.gettext(english) == expected


def test_it_finds_the_template_strings_it_guards() -> None:
    literals = template_literals()
    assert "Technical intern programme to Japan" in literals
    assert "Log out" in literals
    assert "system" in literals


def test_it_has_a_msgid_for_every_template_string() -> None:
    msgids = {entry.msgid for entry in live_entries("id")}
    missing = {
        text: str(path.relative_to(ROOT))
        for text, path in template_literals().items()
        if text not in msgids and text.replace("%", "%%") not in msgids
    }
    assert missing == {}, "run: manage.py makemessages -l id -l ja --ignore=.venv, then translate"
