"""What every REST endpoint shares: one error body, pagination, ordering, throttles, schema.

The error body everywhere is ``{"code", "message", "detail"}``; validation errors carry
``code="invalid"`` and the field errors under ``detail.fields``.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from kombu.exceptions import OperationalError as BrokerError
from rest_framework import exceptions, pagination, serializers
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response
from rest_framework.views import exception_handler

from reports.errors import DomainError

# ---------------------------------------------------------------------------------------------
# Errors


class ApiErrorSerializer(serializers.Serializer):
    """The one error body of the API."""

    code = serializers.CharField(help_text="Machine-readable error code, e.g. `invalid`.")
    message = serializers.CharField(help_text="Human-readable explanation.")
    detail = serializers.DictField(
        help_text="Structured detail; validation errors put field errors under `fields`."
    )


def error_body(code: str, message: str, detail: dict | None = None) -> dict:
    return {"code": code, "message": message, "detail": detail or {}}


def _code_of(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    if isinstance(codes, str):
        return codes
    return "invalid"


def _request_limit_error(exc: Exception) -> Response | None:
    """Django's own body limits (raised while the body is parsed) as API errors."""
    if isinstance(exc, TooManyFilesSent):
        return Response(error_body("too_many_files", "Too many files in one upload."), status=413)
    if isinstance(exc, RequestDataTooBig):
        return Response(error_body("request_too_large", "The request body is too large."), 413)
    if isinstance(exc, TooManyFieldsSent):
        return Response(error_body("too_many_fields", "Too many form fields."), status=400)
    return None


def api_exception_handler(exc, context):
    if isinstance(exc, BrokerError):  # any task that cannot be queued: the broker is down
        body = error_body("broker_unavailable", "The task queue is unreachable; try again shortly.")
        return Response(body, status=503, headers={"Retry-After": "60"})
    if isinstance(exc, DomainError):
        return Response(error_body(exc.code, exc.message, exc.detail), status=exc.http_status)
    limit_response = _request_limit_error(exc)
    if limit_response is not None:
        return limit_response
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail: object
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        body = error_body("invalid", "The request is invalid.", {"fields": detail})
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        extra: dict[str, int] = {}
        wait = getattr(exc, "wait", None) if isinstance(exc, exceptions.Throttled) else None
        if wait is not None:
            extra["retry_after_seconds"] = int(wait)
        body = error_body(_code_of(exc), str(detail), extra)
    response.data = body
    return response


# ---------------------------------------------------------------------------------------------
# Pagination and ordering


MAX_PAGE = 100_000  # the highest page number any list accepts: past it, a 400


def _bounded_int(request, name: str, *, default: int, maximum: int) -> int:
    """The query parameter ``name`` as a whole number from 1 to ``maximum``, else a 400."""
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        number = int(raw)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= maximum:
        raise exceptions.ValidationError({name: [f"A whole number from 1 to {maximum}."]})
    return number


PAGE_SIZE_PARAM = "page_size"
MAX_PAGE_SIZE = 500


def _bounded_page_size(request, default: int | None) -> int:
    """``page_size`` from 1 to ``MAX_PAGE_SIZE`` (400 otherwise)."""
    return _bounded_int(request, PAGE_SIZE_PARAM, default=default or 1, maximum=MAX_PAGE_SIZE)


def _with_bounds(parameters: list[dict], bounds: dict[str, dict]) -> list[dict]:
    """The pagination's schema parameters with their bounds (``page_size`` always)."""
    bounds = {PAGE_SIZE_PARAM: {"minimum": 1, "maximum": MAX_PAGE_SIZE}, **bounds}
    for parameter in parameters:
        parameter["schema"].update(bounds.get(parameter["name"], {}))
    return parameters


class StandardPagination(pagination.PageNumberPagination):
    """Page numbers for lists whose total is useful (reports, jobs, the catalogue).

    ``page`` must be a whole number from 1 to ``MAX_PAGE`` and ``page_size`` from 1 to
    ``MAX_PAGE_SIZE`` (400 otherwise; a page past the last is a 404, as DRF answers it)."""

    page_size_query_param = PAGE_SIZE_PARAM
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        return _bounded_page_size(request, self.page_size)

    def get_schema_operation_parameters(self, view):
        page = {"page": {"minimum": 1, "maximum": MAX_PAGE}}
        return _with_bounds(super().get_schema_operation_parameters(view), page)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw in self.last_page_strings:
            return raw
        return _bounded_int(request, self.page_query_param, default=1, maximum=MAX_PAGE)


class LargeListCursorPagination(pagination.CursorPagination):
    """Opaque cursors for the big lists (sections, indicator values): no COUNT, stable pages."""

    page_size_query_param = PAGE_SIZE_PARAM
    max_page_size = MAX_PAGE_SIZE
    ordering = "-id"

    def get_page_size(self, request):
        return _bounded_page_size(request, self.page_size)

    def get_schema_operation_parameters(self, view):
        return _with_bounds(super().get_schema_operation_parameters(view), {})


def bound_path_ids(result, generator, request, public):
    """Schema hook: an integer in a path is an id from 1 to ``MAX_ID``."""
    from config.api.filters import MAX_ID

    for item in result.get("paths", {}).values():
        for operation in item.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else ():
                schema = parameter.get("schema", {})
                if parameter.get("in") == "path" and schema.get("type") == "integer":
                    schema.setdefault("minimum", 1)
                    schema.setdefault("maximum", MAX_ID)
    return result


class StableOrderingFilter(OrderingFilter):
    """``?ordering=`` that always ends with the primary key, so pages never overlap."""

    def remove_invalid_fields(self, queryset, fields, view, request):
        """Valid terms, with public names mapped through the view's ``ordering_aliases``."""
        valid = super().remove_invalid_fields(queryset, fields, view, request)
        aliases = getattr(view, "ordering_aliases", {})
        return [
            ("-" if term.startswith("-") else "") + aliases.get(term.lstrip("-"), term.lstrip("-"))
            for term in valid
        ]

    def get_ordering(self, request, queryset, view):
        ordering = list(super().get_ordering(request, queryset, view) or [])
        if not any(term.lstrip("-") in ("id", "pk") for term in ordering):
            last_desc = bool(ordering) and ordering[-1].startswith("-")
            ordering.append("-id" if last_desc or not ordering else "id")
        return tuple(ordering)


LIST_FILTER_BACKENDS = [DjangoFilterBackend, StableOrderingFilter]


# ---------------------------------------------------------------------------------------------
# Django-level error pages in the API's shape (for ``handler500`` / ``handler404`` in config.urls)


def server_error(request, *args, **kwargs):
    """A 500 for API paths as the error body (never a traceback); Django's page elsewhere."""
    from django.http import JsonResponse
    from django.views import defaults

    if request.path.startswith("/api/"):
        body = error_body("server_error", "An unexpected error occurred; it has been logged.")
        return JsonResponse(body, status=500)
    return defaults.server_error(request, *args, **kwargs)
