"""The audit trail in the admin: read-only for everyone."""

from __future__ import annotations

from typing import ClassVar

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from indicators.admin.exports import EVENT_CSV_HEADER, csv_response
from indicators.models import CurationEvent


class CurationEventInline(admin.TabularInline):
    """The audit trail of one value (read-only)."""

    model = CurationEvent
    fk_name = "value"
    extra = 0
    can_delete = False
    fields: ClassVar[tuple[str, ...]] = ("created_at", "user", *CurationEvent.CHANGE_FIELDS, "note")
    readonly_fields: ClassVar[tuple[str, ...]] = fields
    ordering = ("-created_at", "-id")
    verbose_name_plural = "audit trail"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ReportCurationEventInline(CurationEventInline):
    """The audit trail of every value of one report, for the report's admin page."""

    fk_name = "report"
    fields = ("created_at", "user", "value", *CurationEvent.CHANGE_FIELDS, "note")
    readonly_fields = fields


@admin.register(CurationEvent)
class CurationEventAdmin(admin.ModelAdmin):
    """The audit trail: read-only for everyone."""

    list_display = ("created_at", "user", *CurationEvent.CHANGE_FIELDS, "value", "report")
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
        return csv_response("curation_events.csv", EVENT_CSV_HEADER, rows)
