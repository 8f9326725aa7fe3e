"""Names people read for the codes stored in rows (admin levels, review states), translated.

The stored values stay English codes; pages and exports show these names.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ADMIN_LEVEL_NAMES = {
    "province": pgettext_lazy("admin level", "Province"),
    "city": pgettext_lazy("admin level", "City"),
    "county": pgettext_lazy("admin level", "County / district"),
    "township": pgettext_lazy("admin level", "Township / street"),
    "department": pgettext_lazy("admin level", "Department"),
    "development_zone": pgettext_lazy("admin level", "Development zone"),
}

VALUE_STATUS_NAMES = {
    "extracted": pgettext_lazy("value status", "Extracted"),
    "verified": pgettext_lazy("value status", "Verified"),
    "corrected": pgettext_lazy("value status", "Corrected"),
    "rejected": pgettext_lazy("value status", "Rejected"),
    "curated": pgettext_lazy("value status", "Reviewed"),
}

SECTION_LEVEL_NAMES = {
    1: _("Chapter headings (一、)"),
    2: _("Sections (（一）)"),
    3: _("Items (1.)"),
    4: _("Sub-items (（1）)"),
}


@functools.lru_cache(maxsize=512)
def _name(table: str, code: str, language: str | None) -> str:
    """A code's name in ``language`` (the active one: the lazy names translate into it)."""
    names = ADMIN_LEVEL_NAMES if table == "level" else VALUE_STATUS_NAMES
    return str(names.get(code, code))


def admin_level_name(code: str | None) -> str:
    """The level's name in the current language; the code itself when unknown, "—" when empty."""
    if not code:
        return "—"
    return _name("level", code, get_language())


def value_status_name(code: str | None) -> str:
    if not code:
        return "—"
    return _name("status", code, get_language())


def admin_level_choices() -> list[tuple[str, StrOrPromise]]:
    return list(ADMIN_LEVEL_NAMES.items())
