"""The catalogue in the admin: changed only by staff holding its change permission, through
the catalogue services."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from config.admin_deletes import DeleteThroughServiceMixin
from indicators.models import IndicatorDefinition
from indicators.services.catalogue import indicator_definition_save, indicator_definitions_delete
from indicators.services.remap import indicator_values_remap


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
