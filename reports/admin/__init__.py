"""The curators' admin for reports, sections and ingestion jobs. Interfaces only: writes go through
the services (metadata edits pin ``metadata_overrides``; re-parse queues the parse task)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from config.admin_deletes import DeleteThroughServiceMixin
from indicators.admin import ReportCurationEventInline
from indicators.models import IndicatorValue
from reports.admin.search import SearchEngineAdminMixin
from reports.models import (
    JOB_COUNTERS,
    METADATA_FIELDS,
    IngestionJob,
    IngestionOutcome,
    Report,
    Section,
)
from reports.selectors import ingestion_job_list, report_list
from reports.services.manage import (
    ingestion_jobs_delete,
    report_update_metadata,
    reports_delete,
    sections_delete,
)
from reports.services.parse import report_reparse_enqueue
from reports.services.sections import section_update

PREVIEW_CHARS = 200


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class SectionInline(ReadOnlyInline):
    model = Section
    fields = ("position", "level", "marker", "title", "body_preview", "edited_by_curator")
    readonly_fields = fields
    ordering = ("position",)

    @admin.display(description="body")
    def body_preview(self, obj: Section) -> str:
        return Truncator(obj.text).chars(PREVIEW_CHARS)


class IndicatorValueInline(ReadOnlyInline):
    model = IndicatorValue
    fields = ("quote", "subject", "value", "unit", "qualifier", "definition", "status", "conflict")
    readonly_fields = fields
    ordering = ("start_offset", "id")

    def get_queryset(self, request: HttpRequest) -> QuerySet[IndicatorValue]:
        return super().get_queryset(request).select_related("definition")

    @admin.display(description="parse conflict", boolean=True)
    def conflict(self, obj: IndicatorValue) -> bool:
        return bool(obj.parse_conflict)


@admin.action(description="Re-parse the selected reports", permissions=["change"])
def reparse_reports(modeladmin: ReportAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    queued = report_reparse_enqueue(report_ids=list(queryset.values_list("pk", flat=True)))
    modeladmin.message_user(request, f"{queued} reports queued for parsing.", messages.SUCCESS)


@admin.register(Report)
class ReportAdmin(DeleteThroughServiceMixin, SearchEngineAdminMixin, admin.ModelAdmin):
    delete_service = reports_delete
    list_display = (
        "title_or_filename",
        "region",
        "admin_level",
        "report_year",
        "status",
        "parser_version",
        "created_at",
    )
    list_filter = ("status", "admin_level", "report_year", "province")
    search_fields = ("title", "issuer", "filename", "province", "city", "county", "source_url")
    date_hierarchy = "created_at"
    actions = [reparse_reports]
    inlines = [SectionInline, IndicatorValueInline, ReportCurationEventInline]
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("title", "issuer", "source_url")}),
        (
            "Region and year",
            {"fields": (("province", "city", "county"), "admin_level", "report_year")},
        ),
        (None, {"fields": ("published_on", "metadata_overrides")}),
        (
            "Parsing",
            {
                "fields": (
                    "status",
                    ("error_code", "error_message"),
                    ("parser_version", "parsed_at"),
                    "job_link",
                )
            },
        ),
        (
            "File",
            {
                "classes": ("collapse",),
                "fields": (
                    ("filename", "source_format", "encoding", "size_bytes"),
                    ("original_link", "duplicate_link"),
                    ("raw_sha256", "text_sha256"),
                    "raw_text",
                    "clean_text",
                ),
            },
        ),
    )
    readonly_fields = (
        "metadata_overrides",
        "status",
        "error_code",
        "error_message",
        "parser_version",
        "parsed_at",
        "job_link",
        "original_link",
        "duplicate_link",
        "filename",
        "source_format",
        "encoding",
        "size_bytes",
        "raw_sha256",
        "text_sha256",
        "raw_text",
        "clean_text",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Report]:
        return report_list()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # reports come in through ingestion (command, API upload)

    @admin.display(description="title", ordering="title")
    def title_or_filename(self, obj: Report) -> str:
        return obj.title or obj.filename

    @admin.display(description="region", ordering="province")
    def region(self, obj: Report) -> str:
        return obj.region_name

    @admin.display(description="ingestion job")
    def job_link(self, obj: Report) -> str:
        if obj.job_id is None:
            return "-"
        url = reverse("admin:reports_ingestionjob_change", args=[obj.job_id])
        return format_html('<a href="{}">job {}</a>', url, obj.job_id)

    @admin.display(description="original file")
    def original_link(self, obj: Report) -> str:
        if not obj.original_name:
            return "-"
        url = reverse("v1:report-original", kwargs={"pk": obj.pk})
        return format_html('<a href="{}">download</a> (sha256 {})', url, obj.raw_sha256[:12])

    @admin.display(description="possible duplicate of")
    def duplicate_link(self, obj: Report) -> str:
        if obj.duplicate_of_id is None:
            return "-"
        url = reverse("admin:reports_report_change", args=[obj.duplicate_of_id])
        return format_html(
            '<a href="{}">report {}</a> (similarity {})',
            url,
            obj.duplicate_of_id,
            obj.duplicate_similarity,
        )

    def save_model(self, request: HttpRequest, obj: Report, form, change: bool) -> None:
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        fields = {k: v for k, v in fields.items() if k in METADATA_FIELDS}
        if fields:
            report_update_metadata(report=obj, fields=fields, user=request.user)


@admin.register(Section)
class SectionAdmin(DeleteThroughServiceMixin, SearchEngineAdminMixin, admin.ModelAdmin):
    delete_service = sections_delete
    list_display = ("__str__", "report", "position", "level", "edited_by_curator")
    list_filter = ("level", "edited_by_curator")
    search_fields = ("title", "text", "report__title")
    list_select_related = ("report",)
    fields = ("report", "parent", "position", "level", "marker", "title", "text")
    readonly_fields = ("report", "parent", "position", "start_offset", "end_offset")

    def save_model(self, request: HttpRequest, obj: Section, form, change: bool) -> None:
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        section_update(section=obj, fields=fields, user=request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # sections come from parsing


class IngestionOutcomeInline(ReadOnlyInline):
    model = IngestionOutcome
    fields = ("filename", "status", "code", "message", "report")
    readonly_fields = fields
    show_change_link = False
    ordering = ("id",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[IngestionOutcome]:
        return super().get_queryset(request).select_related("report")


@admin.register(IngestionJob)
class IngestionJobAdmin(DeleteThroughServiceMixin, admin.ModelAdmin):
    delete_service = ingestion_jobs_delete
    list_display = (
        "id",
        "source",
        "label_short",
        "status",
        *JOB_COUNTERS,
        "created_at",
    )
    list_filter = ("source", "status")
    search_fields = ("label", "outcomes__filename")
    inlines = [IngestionOutcomeInline]
    readonly_fields = (
        "source",
        "label",
        "started_by",
        "status",
        *JOB_COUNTERS,
        "started_at",
        "finished_at",
        "created_at",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[IngestionJob]:
        return ingestion_job_list()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description="label", ordering="label")
    def label_short(self, obj: IngestionJob) -> str:
        return Truncator(obj.label).chars(80)
