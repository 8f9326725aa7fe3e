"""The review queue: bulk verify/reject, inline correction and re-parse conflicts, every write
through indicators.services, which records the audit trail."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from indicators.admin.audit import CurationEventInline
from indicators.admin.exports import values_csv
from indicators.admin.filters import (
    CodeFilter,
    ConfidenceFilter,
    ConflictFilter,
    ProvinceFilter,
    YearFilter,
)
from indicators.models import IndicatorDefinition, IndicatorValue
from indicators.selectors import (
    indicator_values_with_conflicts,
    quote_in_sentence,
    with_context_window,
)
from indicators.services.curation import (
    indicator_value_conflict_resolve,
    indicator_value_correct,
    indicator_value_note_set,
    indicator_values_reject_bulk,
    indicator_values_verify_bulk,
)
from reports.errors import DomainError


class ReviewQueueChangeList(ChangeList):
    """The page's rows get a window of report text around each quote (for the highlighted
    sentence) in one query for the page only, so counting the queue joins nothing."""

    def get_results(self, request):
        super().get_results(request)
        ids = [value.pk for value in self.result_list]
        # Same order as the page (self.queryset carries the changelist's ordering).
        self.result_list = with_context_window(self.queryset.filter(pk__in=ids))


class QueueRowForm(forms.ModelForm):
    """A queue row: the corrected code is typed (with suggestions from one shared datalist),
    so a page of 50 rows does not render 50 copies of the catalogue as select options."""

    corrected_definition = forms.ModelChoiceField(
        queryset=IndicatorDefinition.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.TextInput(attrs={"list": "indicator-codes", "size": 24}),
    )

    class Meta:
        model = IndicatorValue
        fields = ("corrected_value", "corrected_definition")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        definition = self.instance.corrected_definition if self.instance.pk else None
        self.initial["corrected_definition"] = definition.code if definition else None


def _highlight(before: str, quote: str, after: str):
    return format_html('{}<mark class="quote">{}</mark>{}', before, quote, after)


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    """The review queue."""

    list_display = (
        "id",
        "sentence",
        "value",
        "unit",
        "code",
        "confidence",
        "status",
        "corrected_value",
        "corrected_definition",
        "region",
        "year",
        "conflict",
    )
    list_display_links = ("id",)
    list_editable = ("corrected_value", "corrected_definition")
    list_filter = (
        "status",
        CodeFilter,
        ConfidenceFilter,
        ProvinceFilter,
        YearFilter,
        ConflictFilter,
    )
    list_per_page = 50
    show_full_result_count = False  # one COUNT per page, not two, over millions of values
    list_select_related = ("report", "definition", "corrected_definition")
    search_fields = ("subject", "quote", "report__title")
    ordering = ("confidence", "report_id", "start_offset", "id")
    actions = ["verify_selected", "reject_selected", "export_with_audit"]
    inlines = [CurationEventInline]
    fields = (
        "report_link",
        "context",
        "subject",
        ("value", "unit", "qualifier"),
        ("kind", "scope", "numeral"),
        ("definition", "confidence", "parser_version"),
        ("status", "reviewer", "reviewed_at"),
        "parse_conflict",
        "corrected_value",
        "corrected_definition",
        "review_note",
    )
    readonly_fields = (
        "report_link",
        "context",
        "subject",
        "value",
        "unit",
        "qualifier",
        "kind",
        "scope",
        "numeral",
        "definition",
        "confidence",
        "parser_version",
        "status",
        "reviewer",
        "reviewed_at",
        "parse_conflict",
    )

    class Media:
        css = {"all": ("indicators/admin.css",)}

    def get_queryset(self, request):
        # (select_related here: the changelist skips list_select_related once one is set)
        values = super().get_queryset(request).select_related(*self.list_select_related)
        return values.defer("report__raw_text", "report__clean_text")

    def get_changelist(self, request, **kwargs):
        return ReviewQueueChangeList

    def has_add_permission(self, request) -> bool:
        return False  # values come from parsing

    def get_changelist_form(self, request, **kwargs):
        return QueueRowForm

    def changelist_view(self, request, extra_context=None):
        codes = IndicatorDefinition.objects.values_list("code", "name")
        return super().changelist_view(request, {**(extra_context or {}), "codes": codes})

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser  # a deleted value would leave the audit trail

    # Columns.
    @admin.display(description="sentence (quote highlighted)")
    def sentence(self, obj: IndicatorValue):
        offset, window = getattr(obj, "context_start", 0), getattr(obj, "context_text", "")
        shifted = IndicatorValue(
            quote=obj.quote,
            start_offset=obj.start_offset - offset,
            end_offset=obj.end_offset - offset,
        )
        return _highlight(*quote_in_sentence(value=shifted, text=window or ""))

    @admin.display(description="code", ordering="definition__code")
    def code(self, obj: IndicatorValue) -> str:
        return obj.definition.code if obj.definition else "—"

    @admin.display(description="region", ordering="report__province")
    def region(self, obj: IndicatorValue) -> str:
        return obj.report.region_name

    @admin.display(description="year", ordering="report__report_year")
    def year(self, obj: IndicatorValue):
        return obj.report.report_year

    @admin.display(description="conflict", boolean=True)
    def conflict(self, obj: IndicatorValue) -> bool:
        return obj.parse_conflict is not None

    @admin.display(description="report")
    def report_link(self, obj: IndicatorValue):
        url = reverse("admin:reports_report_change", args=[obj.report_id])
        events = reverse("admin:indicators_curationevent_changelist") + f"?report={obj.report_id}"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">audit trail of this report</a>',
            url,
            obj.report,
            events,
        )

    @admin.display(description="quote in its sentence")
    def context(self, obj: IndicatorValue):
        return _highlight(*quote_in_sentence(value=obj, text=obj.report.raw_text))

    # Writes: all through the curation services.
    def save_model(self, request, obj, form, change):
        changed = set(form.changed_data)
        try:
            if changed & {"corrected_value", "corrected_definition"}:
                definition = form.cleaned_data.get("corrected_definition")
                indicator_value_correct(
                    value=obj,
                    user=request.user,
                    corrected_value=form.cleaned_data.get("corrected_value"),
                    code=definition.code if definition else None,
                    note=form.cleaned_data.get("review_note", obj.review_note) or "",
                )
            elif "review_note" in changed:
                indicator_value_note_set(
                    value=obj, user=request.user, note=form.cleaned_data["review_note"]
                )
        except (DomainError, ValidationError) as exc:
            self.message_user(request, f"Value {obj.pk}: {exc}", messages.ERROR)

    @admin.action(description="Verify selected values", permissions=["change"])
    def verify_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        changed = indicator_values_verify_bulk(ids=ids, user=request.user)
        self.message_user(request, f"Verified {changed} of {len(ids)} values.")

    @admin.action(description="Reject selected values", permissions=["change"])
    def reject_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        changed = indicator_values_reject_bulk(ids=ids, user=request.user)
        self.message_user(request, f"Rejected {changed} of {len(ids)} values.")

    @admin.action(description="Export selected as CSV (with audit trail)")
    def export_with_audit(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        return values_csv(queryset.prefetch_related("events__user"))

    # The conflicts list.
    def get_urls(self):
        view = self.admin_site.admin_view(self.conflicts_view)
        return [
            path("conflicts/", view, name="indicators_indicatorvalue_conflicts"),
            *super().get_urls(),
        ]

    def conflicts_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            if not self.has_change_permission(request):
                return HttpResponse(status=403)
            value = get_object_or_404(IndicatorValue, pk=request.POST.get("value"))
            try:
                indicator_value_conflict_resolve(
                    value=value, user=request.user, accept=request.POST.get("decision") == "accept"
                )
                self.message_user(request, f"Value {value.pk}: conflict settled.")
            except DomainError as exc:
                self.message_user(request, f"Value {value.pk}: {exc}", messages.ERROR)
            return HttpResponseRedirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "title": "Re-parse conflicts",
            "opts": self.model._meta,
            "values": indicator_values_with_conflicts()[:500],
            "can_change": self.has_change_permission(request),
        }
        return TemplateResponse(request, "admin/indicators/indicatorvalue/conflicts.html", context)
