"""Server-rendered comparison and coverage pages (charts drawn by the vendored Chart.js)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from indicators.models import IndicatorDefinition
from indicators.selectors import comparison_for, coverage_grid
from reports.models import AdminLevel


class CompareForm(forms.Form):
    code = forms.ChoiceField(label="指标")
    year = forms.IntegerField(label="年度", required=False, min_value=1990, max_value=2100)
    province = forms.CharField(label="省", required=False)
    city = forms.CharField(label="市", required=False)
    county = forms.CharField(label="县/区", required=False)
    admin_level = forms.ChoiceField(
        label="层级", required=False, choices=[("", "全部"), *AdminLevel.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [
            (code, f"{name} ({code})")
            for code, name in IndicatorDefinition.objects.values_list("code", "name")
        ]

    def clean(self):
        data = super().clean()
        if data.get("year") is None and not any(
            data.get(k) for k in ("province", "city", "county")
        ):
            raise forms.ValidationError("请填写年度(地区比较)或地区(历年序列)。")
        return data


class IndicatorComparePageView(View):
    template_name = "indicators/compare.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = CompareForm(request.GET or None)
        context: dict = {"form": form, "comparison": None}
        if form.is_bound and form.is_valid():
            params = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
            comparison = comparison_for(**params)
            context.update(
                comparison=comparison,
                chart={
                    "type": "bar" if comparison.mode == "regions" else "line",
                    "labels": [
                        p.region if comparison.mode == "regions" else str(p.year)
                        for p in comparison.points
                    ],
                    "values": [float(p.value) for p in comparison.points],
                    "curated": [p.source == "curated" for p in comparison.points],
                    "unit": comparison.unit,
                    "title": comparison.name,
                },
                csv_url=reverse("v1:indicator-compare")
                + "?"
                + urlencode({**params, "format": "csv"}),
                api_url=reverse("v1:indicator-compare") + "?" + urlencode(params),
            )
        return render(request, self.template_name, context)


def _cell_view(cell) -> dict:
    """What one grid cell shows, prepared here so the template stays a plain loop."""
    if cell is None:
        return {"css": "missing", "text": "无", "note": "", "title": ""}
    days = cell.days_after_deadline
    note = "" if days is None else f"{days:+d} 天".replace("+0 天", "0 天")
    if cell.reports > 1:
        note += f" · {cell.reports} 份"
    return {
        "css": cell.status,
        "text": cell.published_on.isoformat() if cell.published_on else "—",
        "note": note,
        "title": f"截止 {cell.deadline.isoformat()}",
    }


class CoverageForm(forms.Form):
    year_from = forms.IntegerField(label="起始年度", required=False, min_value=1990, max_value=2100)
    year_to = forms.IntegerField(label="截止年度", required=False, min_value=1990, max_value=2100)
    province = forms.CharField(label="省", required=False)
    admin_level = forms.ChoiceField(
        label="层级", required=False, choices=[("", "各级政府"), *AdminLevel.choices]
    )


class CoveragePageView(View):
    template_name = "indicators/coverage.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = CoverageForm(request.GET or None)
        params = {}
        if form.is_bound and form.is_valid():
            params = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        grid = coverage_grid(**params)
        rows = [
            (row, [_cell_view(row.cells.get(year)) for year in grid.years]) for row in grid.rows
        ]
        query = urlencode(params)
        context = {
            "form": form,
            "grid": grid,
            "rows": rows,
            "api_url": reverse("v1:coverage") + (f"?{query}" if query else ""),
        }
        return render(request, self.template_name, context)
