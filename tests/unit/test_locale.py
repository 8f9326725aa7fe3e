"""The committed translation catalogues: every page string has a Chinese translation, and the
compiled .mo files (committed, so no gettext is needed to run) match their .po files."""

from __future__ import annotations

import gettext
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_compiled_catalogue_matches_its_source(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        mo = gettext.GNUTranslations(handle)
    for entry in po.translated_entries():
        if entry.msgid_plural:
            continue
        if entry.msgctxt:
            compiled = mo.pgettext(entry.msgctxt, entry.msgid)
        else:
            compiled = mo.gettext(entry.msgid)
        assert compiled == entry.msgstr, entry.msgid
    assert not [e.msgid for e in po if "fuzzy" in e.flags and e.msgstr]


def test_every_string_has_a_chinese_translation():
    po = polib.pofile(str(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    assert po.untranslated_entries() == []
    assert po.percent_translated() == 100
