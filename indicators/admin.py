"""Curation in the admin: the review queue, bulk verify/reject, inline correction, the audit trail,
re-parse conflicts, and the catalogue (changed only by staff holding its change permission).

Every write goes through indicators.services, which records the audit trail.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from config.admin_deletes import DeleteThroughServiceMixin
from config.formats import csv_lines
from indicators.models import CurationEvent, IndicatorDefinition, IndicatorValue
from indicators.selectors import (
    indicator_value_context,
    indicator_values_with_conflicts,
    with_context_window,
)
from indicators.services.catalogue import (
    indicator_definition_save,
    indicator_definitions_delete,
)
from indicators.services.curation import (
    indicator_value_conflict_resolve,
    indicator_value_correct,
    indicator_value_note_set,
    indicator_values_reject_bulk,
    indicator_values_verify_bulk,
)
from indicators.services.remap import indicator_values_remap
from reports.errors import DomainError
from reports.models import Report


@admin.register(IndicatorDefinition)
class IndicatorDefinitionAdmin(DeleteThroughServiceMixin, admin.ModelAdmin):
    delete_service = indicator_definitions_delete
    list_display = ("code", "name", "unit", "kind", "category", "updated_at")
    list_filter = ("kind", "category")
    search_fields = ("code", "name", "synonyms")
    actions = ["remap_values"]

    def save_model(self, request, obj, form, change):
        indicator_definition_save(definition=obj)

    @admin.action(description="Remap all unreviewed values with the current catalogue")
    def remap_values(self, request: HttpRequest, queryset: QuerySet) -> None:
        changed = indicator_values_remap()
        self.message_user(request, f"{changed} values got a new code or confidence.")

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.has_change_permission(request):
            actions.pop("remap_values", None)
        return actions


class CurationEventInline(admin.TabularInline):
    """The audit trail of one value (read-only)."""

    model = CurationEvent
    fk_name = "value"
    extra = 0
    can_delete = False
    fields = ("created_at", "user", "action", "field", "before", "after", "note")
    readonly_fields = fields
    ordering = ("-created_at", "-id")
    verbose_name_plural = "audit trail"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ReportCurationEventInline(CurationEventInline):
    """The audit trail of every value of one report, for the report's admin page."""

    fk_name = "report"
    fields = ("created_at", "user", "value", "action", "field", "before", "after", "note")
    readonly_fields = fields


class CodeFilter(admin.SimpleListFilter):
    title = "code"
    parameter_name = "code"

    def lookups(self, request, model_admin):
        return [("-", "(unmapped)"), *IndicatorDefinition.objects.values_list("code", "code")]

    def queryset(self, request, queryset):
        if self.value() == "-":
            return queryset.filter(definition=None, corrected_definition=None)
        if self.value():
            definition = IndicatorDefinition.objects.filter(code=self.value()).first()
            return queryset.filter(Q(definition=definition) | Q(corrected_definition=definition))
        return queryset


class ConfidenceFilter(admin.SimpleListFilter):
    title = "confidence"
    parameter_name = "confidence"
    BANDS = {"low": (0.0, 0.5), "medium": (0.5, 0.8), "high": (0.8, 1.01)}

    def lookups(self, request, model_admin):
        return [("low", "< 0.5"), ("medium", "0.5–0.8"), ("high", "≥ 0.8")]

    def queryset(self, request, queryset):
        band = self.BANDS.get(self.value() or "")
        if band is None:
            return queryset
        return queryset.filter(confidence__gte=band[0], confidence__lt=band[1])


class ConflictFilter(admin.SimpleListFilter):
    title = "re-parse conflict"
    parameter_name = "conflict"

    def lookups(self, request, model_admin):
        return [("yes", "yes"), ("no", "no")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(parse_conflict__isnull=self.value() == "no")
        return queryset


class ProvinceFilter(admin.SimpleListFilter):
    title = "province"
    parameter_name = "province"

    def lookups(self, request, model_admin):
        provinces = Report.objects.exclude(province="").values_list("province", flat=True)
        return [(p, p) for p in provinces.distinct().order_by("province")]

    def queryset(self, request, queryset):
        return queryset.filter(report__province=self.value()) if self.value() else queryset


class YearFilter(admin.SimpleListFilter):
    title = "report year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Report.objects.exclude(report_year=None).values_list("report_year", flat=True)
        return [(str(y), str(y)) for y in years.distinct().order_by("-report_year")]

    def queryset(self, request, queryset):
        return queryset.filter(report__report_year=self.value()) if self.value() else queryset


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
        return _highlight(*indicator_value_context(value=shifted, text=window or ""))

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
        return _highlight(*indicator_value_context(value=obj, text=obj.report.raw_text))

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
        return _values_csv(queryset.prefetch_related("events__user"))

    # The conflicts list.
    def get_urls(self):
        view = self.admin_site.admin_view(self.conflicts_view)
        return [
            path("conflicts/", view, name="indicators_indicatorvalue_conflicts"),
            *super().get_urls(),
        ]

    def conflicts_view(self, request: HttpRequest) -> HttpResponse:
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


VALUE_CSV_HEADER = [
    "id",
    "report",
    "subject",
    "quote",
    "value",
    "unit",
    "code",
    "status",
    "corrected_value",
    "corrected_code",
    "reviewer",
    "reviewed_at",
    "audit",
]


def _csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(
        "".join(csv_lines(header, rows)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _audit_line(values: IndicatorValue) -> str:
    return " | ".join(
        f"{e.created_at.isoformat(timespec='seconds')} {e.user or '?'} {e.action} "
        f"{e.field}: {e.before} → {e.after}"
        for e in sorted(values.events.all(), key=lambda e: (e.created_at, e.pk))
    )


def _values_csv(values) -> HttpResponse:
    rows = (
        [
            v.pk,
            v.report_id,
            v.subject,
            v.quote,
            v.value,
            v.unit,
            v.definition.code if v.definition else "",
            v.status,
            v.corrected_value,
            v.corrected_definition.code if v.corrected_definition else "",
            v.reviewer or "",
            v.reviewed_at.isoformat() if v.reviewed_at else "",
            _audit_line(v),
        ]
        for v in values
    )
    return _csv_response("indicator_values.csv", VALUE_CSV_HEADER, rows)


EVENT_CSV_HEADER = [
    "created_at",
    "user",
    "action",
    "field",
    "before",
    "after",
    "value",
    "report",
    "note",
]


@admin.register(CurationEvent)
class CurationEventAdmin(admin.ModelAdmin):
    """The audit trail: read-only for everyone."""

    list_display = ("created_at", "user", "action", "field", "before", "after", "value", "report")
    list_filter = ("action", "field", "user")
    list_select_related = ("user", "value", "report")
    search_fields = ("=report__id", "=value__id", "note")
    date_hierarchy = "created_at"
    actions = ["export_csv"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Export selected events as CSV")
    def export_csv(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        rows = (
            [
                e.created_at.isoformat(),
                e.user or "",
                e.action,
                e.field,
                e.before,
                e.after,
                e.value_id,
                e.report_id,
                e.note,
            ]
            for e in queryset.select_related("user").order_by("created_at", "id")
        )
        return _csv_response("curation_events.csv", EVENT_CSV_HEADER, rows)
