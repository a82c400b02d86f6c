"""English is the second language: every French string has a translation, compiled."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_catalogue_has_no_fuzzy_entry(language: str) -> None:
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []


def test_every_french_string_has_an_english_translation() -> None:
    catalogue = polib.pofile(str(LOCALE / "en" / "LC_MESSAGES" / "django.po"))
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_compiled_catalogue_matches_its_source(language: str) -> None:
    folder = LOCALE / language / "LC_MESSAGES"
    source = polib.pofile(str(folder / "django.po"))
    compiled = polib.mofile(str(folder / "django.mo"))
    expected = {
        (entry.msgid, entry.msgstr)
        for entry in source.translated_entries()
        if not entry.msgid_plural
    }
    actual = {(entry.msgid, entry.msgstr) for entry in compiled if not entry.msgid_plural}
    assert expected - actual == set(), "run: python manage.py compilemessages"
