"""The English catalogue is complete, reviewed, and safe to format.

Message ids are Chinese; ``fazhi/locale/en/LC_MESSAGES/django.po`` holds the English. A missing or fuzzy entry
shows Chinese (or a guessed translation) to an English reader, and a translation whose ``%`` placeholders differ
from its id raises ``KeyError``/``TypeError`` when the page formats it, so all three are caught here.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import polib
import pytest

import fazhi

CATALOGUE = Path(fazhi.__file__).resolve().parent / "locale" / "en" / "LC_MESSAGES" / "django.po"

#: printf-style conversions Python's ``%`` operator acts on; ``%%`` is consumed first so it is never a placeholder.
PLACEHOLDER = re.compile(r"%%|%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa]")


def placeholders(text: str) -> Counter:
    return Counter(m.group(0) for m in PLACEHOLDER.finditer(text) if m.group(0) != "%%")


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    assert CATALOGUE.exists(), f"{CATALOGUE} is missing"
    return polib.pofile(str(CATALOGUE))


def _label(entry: polib.POEntry) -> str:
    return (f"[{entry.msgctxt}] " if entry.msgctxt else "") + repr(entry.msgid)


def _active(catalogue: polib.POFile) -> list[polib.POEntry]:
    return [e for e in catalogue if not e.obsolete]


def test_catalogue_is_english_with_two_plural_forms(catalogue):
    assert catalogue.metadata.get("Language") == "en"
    assert "nplurals=2" in catalogue.metadata.get("Plural-Forms", "")


def test_catalogue_is_not_empty(catalogue):
    assert len(_active(catalogue)) > 100


def test_every_entry_is_translated(catalogue):
    untranslated = []
    for entry in _active(catalogue):
        if entry.msgid_plural:
            forms = entry.msgstr_plural
            if sorted(forms) != [0, 1] or not all(s.strip() for s in forms.values()):
                untranslated.append(_label(entry))
        elif not entry.msgstr.strip():
            untranslated.append(_label(entry))
    assert not untranslated, f"{len(untranslated)} untranslated: " + ", ".join(untranslated[:30])


def test_no_entry_is_fuzzy(catalogue):
    fuzzy = [_label(e) for e in _active(catalogue) if "fuzzy" in e.flags]
    assert not catalogue.metadata_is_fuzzy, "the catalogue header is marked fuzzy"
    assert not fuzzy, f"{len(fuzzy)} fuzzy: " + ", ".join(fuzzy[:30])


def test_placeholders_match_the_message_id(catalogue):
    wrong = []
    for entry in _active(catalogue):
        if entry.msgid_plural:
            pairs = [(entry.msgid if n == 0 else entry.msgid_plural, s) for n, s in sorted(entry.msgstr_plural.items())]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for source, translation in pairs:
            if translation and placeholders(translation) != placeholders(source):
                wrong.append(f"{_label(entry)} -> {translation!r}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_translations_format_without_error(catalogue):
    """Format each python-format translation with the values its id expects, as the views do."""
    failures = []
    for entry in _active(catalogue):
        if "python-format" not in entry.flags:
            continue
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        names = {m.group("name") for m in PLACEHOLDER.finditer(entry.msgid) if m.group("name")}
        if not names:
            continue
        values = dict.fromkeys(names, 1)
        for translation in translations:
            try:
                translation % values
            except (KeyError, TypeError, ValueError) as exc:
                failures.append(f"{_label(entry)} -> {translation!r}: {exc!r}")
    assert not failures, "\n".join(failures)


def test_compiled_catalogue_matches_the_po_file(catalogue):
    """The committed .mo is what Django reads: it must hold exactly the reviewed translations."""
    mo_path = CATALOGUE.with_suffix(".mo")
    assert mo_path.exists(), "run: fazhi compile_translations"
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, dict(e.msgstr_plural)) for e in polib.mofile(str(mo_path))}
    stale = []
    for entry in catalogue.translated_entries():
        expected = (entry.msgstr, dict(entry.msgstr_plural)) if not entry.msgid_plural else ("", dict(entry.msgstr_plural))
        got = compiled.get((entry.msgctxt, entry.msgid))
        if got is None or (entry.msgid_plural and got[1] != expected[1]) or (not entry.msgid_plural and got[0] != expected[0]):
            stale.append(_label(entry))
    assert not stale, f"{len(stale)} entries differ from the .mo; run: fazhi compile_translations — " + ", ".join(stale[:20])


def test_placeholder_pattern():
    assert placeholders("%(n)s 个单位，%(v)d 版，%s，100%%") == Counter({"%(n)s": 1, "%(v)d": 1, "%s": 1})
    assert placeholders("%(n)s unit") != placeholders("%(n)d unit")
