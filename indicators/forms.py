"""Forms of the indicator pages: every choice is taken from what the database holds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from indicators.page_selectors import (
    ALL_LEVELS,
    indicator_definitions_with_data,
    place_names,
    report_years,
)
from reports.labels import admin_level_choices

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _choices(names: list[str], empty: StrOrPromise) -> list[tuple[str, StrOrPromise]]:
    return [("", empty), *((n, n) for n in names)]


class CompareForm(forms.Form):
    """A year (regions compared) or a place (its series). Places cascade: a province's cities,
    a city's counties; a value no longer on its list (its parent changed) is dropped."""

    code = forms.ChoiceField(label=_("Indicator"))
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    admin_level = forms.ChoiceField(label=_("Level"), required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)
    city = forms.ChoiceField(label=_("City"), required=False)
    county = forms.ChoiceField(label=_("County / district"), required=False)

    def __init__(self, data=None, **kwargs):
        data = data.copy() if data is not None else None
        super().__init__(data, **kwargs)
        self.fields["code"].choices = [  # type: ignore[attr-defined]
            (d.code, f"{d.name}（{d.unit}）") for d in indicator_definitions_with_data()
        ]
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            ("", _("— none: one place's series —")),
            *((y, str(y)) for y in report_years()),
        ]
        self.fields["admin_level"].choices = [  # type: ignore[attr-defined]
            ("", _("The most common level")),
            *admin_level_choices(),
            (ALL_LEVELS, _("All levels, mixed")),
        ]
        province = (data or {}).get("province", "")
        places = place_names(province=province, city=(data or {}).get("city", ""))
        if data is not None:
            for name, key in (("city", "cities"), ("county", "counties")):
                if data.get(name) and data[name] not in places[key]:
                    data[name] = ""
        self.fields["province"].choices = _choices(places["provinces"], _("— any —"))  # type: ignore[attr-defined]
        self.fields["city"].choices = _choices(places["cities"], _("— the province itself —"))  # type: ignore[attr-defined]
        self.fields["county"].choices = _choices(places["counties"], _("— the city itself —"))  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean() or {}
        if data.get("year") is None and not data.get("province"):
            raise forms.ValidationError(
                _("Choose a year (regions compared) or a place (its series over the years).")
            )
        return data


class CoverageForm(forms.Form):
    year_from = forms.IntegerField(
        label=_("From year"), required=False, min_value=1990, max_value=2100
    )
    year_to = forms.IntegerField(label=_("To year"), required=False, min_value=1990, max_value=2100)
    province = forms.ChoiceField(label=_("Province"), required=False)
    admin_level = forms.ChoiceField(label=_("Level"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = _choices(place_names()["provinces"], _("— all —"))  # type: ignore[attr-defined]
        self.fields["admin_level"].choices = [  # type: ignore[attr-defined]
            ("", _("Governments (departments left out)")),
            *admin_level_choices(),
        ]


class IndicatorLevelForm(forms.Form):
    admin_level = forms.ChoiceField(label=_("Level"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["admin_level"].choices = [("", _("All levels")), *admin_level_choices()]  # type: ignore[attr-defined]
