"""Curation (verify, reject, correct, audit), comparison and coverage endpoints. Thin: validate,
call one service or selector, render."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import BasePermission
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.exports import CSVRenderer
from config.read_cache import AuthenticatedReadCacheMixin
from indicators.api.curation_serializers import (
    ComparisonQuerySerializer,
    ComparisonSerializer,
    CoverageQuerySerializer,
    CoverageSerializer,
    CurationConflictInputSerializer,
    CurationCorrectInputSerializer,
    CurationEventSerializer,
    CurationRejectInputSerializer,
    CurationValueSerializer,
)
from indicators.models import IndicatorValue
from indicators.selectors import (
    comparison_for,
    coverage_grid,
    curation_events_for_value,
)
from indicators.services.curation import (
    indicator_value_conflict_resolve,
    indicator_value_correct,
    indicator_value_reject,
    indicator_value_verify,
)

CURATE_PERMISSION = "indicators.change_indicatorvalue"


class CanCurateIndicators(BasePermission):
    """Token (or session) users in the curator group, or anyone granted the change permission."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(CURATE_PERMISSION))


class CanReadAudit(BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(
            user and user.is_authenticated and user.has_perm("indicators.view_curationevent")
        )


def _value(pk: int) -> IndicatorValue:
    return get_object_or_404(IndicatorValue, pk=pk)


def _reviewed(value: IndicatorValue) -> Response:
    value.refresh_from_db()
    return Response(CurationValueSerializer(value).data)


class IndicatorValueVerifyView(APIView):
    permission_classes = [CanCurateIndicators]
    documented_errors = ("409",)  # a review the value's state does not allow

    @extend_schema(request=None, responses={200: CurationValueSerializer}, tags=["curation"])
    def post(self, request: Request, pk: int) -> Response:
        """Mark the extracted reading as right (audited)."""
        return _reviewed(indicator_value_verify(value=_value(pk), user=request.user))


class IndicatorValueRejectView(APIView):
    permission_classes = [CanCurateIndicators]
    documented_errors = ("409",)  # a review the value's state does not allow

    @extend_schema(
        request=CurationRejectInputSerializer,
        responses={200: CurationValueSerializer},
        tags=["curation"],
    )
    def post(self, request: Request, pk: int) -> Response:
        """Reject the value: it is not an indicator, or wrong beyond correction (audited)."""
        serializer = CurationRejectInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        value = indicator_value_reject(
            value=_value(pk), user=request.user, **serializer.validated_data
        )
        return _reviewed(value)


class IndicatorValueCorrectView(APIView):
    permission_classes = [CanCurateIndicators]
    documented_errors = ("409",)  # a review the value's state does not allow

    @extend_schema(
        request=CurationCorrectInputSerializer,
        responses={200: CurationValueSerializer},
        tags=["curation"],
    )
    def post(self, request: Request, pk: int) -> Response:
        """Set a corrected value and/or indicator code; the extracted reading is kept (audited)."""
        serializer = CurationCorrectInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        value = indicator_value_correct(
            value=_value(pk),
            user=request.user,
            corrected_value=data["corrected_value"],
            code=data["code"] or None,
            note=data["note"],
        )
        return _reviewed(value)


class IndicatorValueConflictView(APIView):
    permission_classes = [CanCurateIndicators]
    documented_errors = ("409",)  # a review the value's state does not allow

    @extend_schema(
        request=CurationConflictInputSerializer,
        responses={200: CurationValueSerializer},
        tags=["curation"],
    )
    def post(self, request: Request, pk: int) -> Response:
        """Settle a re-parse disagreement with a reviewed value (audited)."""
        serializer = CurationConflictInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        value = indicator_value_conflict_resolve(
            value=_value(pk), user=request.user, **serializer.validated_data
        )
        return _reviewed(value)


class IndicatorValueAuditView(AuthenticatedReadCacheMixin, APIView):
    permission_classes = [CanReadAudit]

    @extend_schema(responses={200: CurationEventSerializer(many=True)}, tags=["curation"])
    def get(self, request: Request, pk: int) -> Response:
        """The value's audit trail, newest first: who changed which field when, before → after."""
        _value(pk)
        events = curation_events_for_value(value_id=pk)
        return Response(CurationEventSerializer(events, many=True).data)


def _wants_csv(request: Request) -> bool:
    return getattr(request.accepted_renderer, "format", "") == "csv"


class IndicatorCompareView(AuthenticatedReadCacheMixin, APIView):
    public_read_cache = True  # see config.read_cache
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer]

    @extend_schema(
        parameters=[
            ComparisonQuerySerializer,
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"]),
        ],
        responses={
            (200, "application/json"): ComparisonSerializer,
            (200, "text/csv"): OpenApiTypes.STR,
        },
        tags=["comparisons"],
    )
    def get(self, request: Request) -> Response:
        """One indicator across regions for a year (``year=``), or one region's series across
        years (``province=&city=&county=``). Each point says whether it is curated or extracted;
        ``format=csv`` gives the points as CSV with their review state and audit trail."""
        query = ComparisonQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        comparison = comparison_for(**query.validated_data, with_audit=_wants_csv(request))
        if _wants_csv(request):
            response = Response(comparison.csv_rows())
            response["Content-Disposition"] = f'attachment; filename="{comparison.filename}"'
            return response
        return Response(ComparisonSerializer(comparison).data)

    def finalize_response(self, request, response, *args, **kwargs):
        if response.status_code >= 400:  # errors are JSON whatever representation was asked for
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = "application/json"
        return super().finalize_response(request, response, *args, **kwargs)


class CoverageView(AuthenticatedReadCacheMixin, APIView):
    public_read_cache = True  # see config.read_cache

    @extend_schema(
        parameters=[CoverageQuerySerializer],
        responses={200: CoverageSerializer},
        tags=["comparisons"],
    )
    def get(self, request: Request) -> Response:
        """Region × covered-year grid: reports held, first publication date, days after the
        1 April deadline (negative: early)."""
        query = CoverageQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = {k: v for k, v in query.validated_data.items() if v}
        return Response(CoverageSerializer(coverage_grid(**params)).data)
