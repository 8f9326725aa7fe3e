"""Ingestion jobs: list, polling-friendly detail (ETag, Retry-After) and per-file outcomes."""

import hashlib

from django.db.models import Count, F
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.response import Response

from config.api import LIST_FILTER_BACKENDS, StandardPagination
from config.api.filters import MAX_ID
from config.api.views import SafePkMixin
from reports.api.filters import IngestionJobFilter, IngestionOutcomeFilter
from reports.api.serializers import (
    IngestionJobDetailSerializer,
    IngestionJobSerializer,
    IngestionOutcomeSerializer,
)
from reports.models import JOB_COUNTERS, IngestionJob, IngestionOutcome


def _job_etag(job: IngestionJob, outcomes: int) -> str:
    counters = ":".join(str(getattr(job, name)) for name in JOB_COUNTERS)
    state = f"{job.pk}:{job.status}:{counters}:{job.finished_at}:{outcomes}"
    return '"' + hashlib.sha256(state.encode()).hexdigest()[:32] + '"'


@extend_schema_view(
    get=extend_schema(
        operation_id="ingestion_jobs_list",
        summary="List ingestion jobs",
        description="Newest first; filter by status and source.",
        tags=["ingestion"],
    )
)
class IngestionJobListView(generics.ListAPIView):
    serializer_class = IngestionJobSerializer
    filterset_class = IngestionJobFilter
    filter_backends = LIST_FILTER_BACKENDS
    ordering_fields = ["id", "created_at", "finished_at"]
    ordering = ["-id"]
    pagination_class = StandardPagination
    queryset = IngestionJob.objects.all()


@extend_schema_view(
    get=extend_schema(
        operation_id="ingestion_jobs_retrieve",
        summary="An ingestion job: status, counts and per-file outcomes",
        description="Polling-friendly: the response carries an `ETag`; send it back in "
        "`If-None-Match` to get 304 while nothing changed, and wait `Retry-After` seconds between "
        "polls while the job runs.",
        tags=["ingestion"],
        responses={
            200: IngestionJobDetailSerializer,
            304: OpenApiResponse(description="Not modified since the ETag sent."),
        },
    )
)
class IngestionJobDetailView(SafePkMixin, generics.RetrieveAPIView):
    serializer_class = IngestionJobDetailSerializer
    # Outcomes are read only when the body is rendered: a 304 to a polling client loads none.
    queryset = IngestionJob.objects.annotate(outcome_count=Count("outcomes"))

    def retrieve(self, request, *args, **kwargs):
        job = self.get_object()
        etag = _job_etag(job, job.outcome_count)
        headers = {"ETag": etag, "Cache-Control": "no-cache"}
        if job.status not in (IngestionJob.Status.FINISHED, IngestionJob.Status.FAILED):
            headers["Retry-After"] = "2"
        if etag in request.headers.get("If-None-Match", ""):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers=headers)
        return Response(self.get_serializer(job).data, headers=headers)


@extend_schema_view(
    get=extend_schema(
        operation_id="ingestion_job_outcomes_list",
        summary="Per-file outcomes of an ingestion job (paginated)",
        tags=["ingestion"],
    )
)
class IngestionOutcomeListView(generics.ListAPIView):
    serializer_class = IngestionOutcomeSerializer
    filterset_class = IngestionOutcomeFilter
    filter_backends = LIST_FILTER_BACKENDS
    ordering_fields = ["id", "filename", "status"]
    ordering = ["id"]
    pagination_class = StandardPagination

    def get_queryset(self):
        pk = self.kwargs.get("pk")
        if getattr(self, "swagger_fake_view", False) or pk is None:
            return IngestionOutcome.objects.none()
        if pk > MAX_ID or not IngestionJob.objects.filter(pk=pk).exists():
            raise Http404
        return IngestionOutcome.objects.filter(job_id=pk).annotate(
            duplicate_of=F("report__duplicate_of_id")
        )
