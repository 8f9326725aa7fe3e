"""Forms of the reading pages (query strings, validated and bounded)."""

from __future__ import annotations

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from reports.labels import SECTION_LEVEL_NAMES, admin_level_choices, admin_level_name
from reports.search.selectors import MAX_WINDOW, SearchFilters

MAX_PAGE = MAX_WINDOW // 20


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        max_length=500,
        required=False,
        widget=forms.SearchInput(attrs={"placeholder": _('e.g. 行政复议 "出庭应诉"')}),
    )
    mode = forms.ChoiceField(
        choices=[("sections", _("Sections")), ("reports", _("Reports"))], required=False
    )
    province = forms.CharField(label=_("Province"), max_length=50, required=False)
    city = forms.CharField(label=_("City"), max_length=50, required=False)
    admin_level = forms.ChoiceField(label=_("Level"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    level = forms.TypedChoiceField(
        label=_("Heading level"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", "—"), *SECTION_LEVEL_NAMES.items()],
    )
    indicator = forms.SlugField(label=_("Indicator"), max_length=80, required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["admin_level"].choices = [("", "—"), *admin_level_choices()]  # type: ignore[attr-defined]

    def clean_mode(self) -> str:
        return self.cleaned_data.get("mode") or "sections"

    def clean_page(self) -> int:
        return self.cleaned_data.get("page") or 1

    def clean_q(self) -> str:
        return (self.cleaned_data.get("q") or "").strip()

    def search_filters(self) -> SearchFilters:
        data = self.cleaned_data
        return SearchFilters(
            province=data.get("province") or None,
            city=data.get("city") or None,
            admin_level=data.get("admin_level") or None,
            year_from=data.get("year"),
            year_to=data.get("year"),
            level=data.get("level"),
            indicator_code=data.get("indicator") or None,
        )

    def active_filters(self, params: QueryDict) -> list[dict[str, str]]:
        """Each filter in use, with the link that removes it."""
        names = {
            "province": lambda v: v,
            "city": lambda v: v,
            "admin_level": admin_level_name,
            "year": lambda v: _("%(year)s") % {"year": v},
            "level": lambda v: str(SECTION_LEVEL_NAMES.get(v, v)),
            "indicator": lambda v: v,
        }
        chips = []
        for name, label in names.items():
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                continue
            query = params.copy()
            query.pop(name, None)
            query.pop("page", None)
            chips.append(
                {
                    "field": str(self.fields[name].label),
                    "label": str(label(value)),
                    "url": "?" + query.urlencode(),
                }
            )
        return chips
