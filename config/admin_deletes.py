"""Admin deletes through a write service, so that they do what the service does (invalidate
cached API reads, and whatever else a delete must) instead of calling ``Model.delete`` directly."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model, QuerySet
from django.http import HttpRequest


class DeleteThroughServiceMixin:
    """``delete_model`` and ``delete_queryset`` call ``delete_service(ids=[...])``."""

    delete_service: Callable[..., int]

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        type(self).delete_service(ids=[obj.pk])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        type(self).delete_service(ids=list(queryset.values_list("pk", flat=True)))
