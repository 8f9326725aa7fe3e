"""The audit trail's reads."""

from __future__ import annotations

from django.db.models import QuerySet

from indicators.models import CurationEvent


def curation_events_for_value(*, value_id: int) -> QuerySet[CurationEvent]:
    return CurationEvent.objects.filter(value_id=value_id).select_related("user")
