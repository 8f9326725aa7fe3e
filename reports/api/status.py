"""System status: database, Redis, Celery workers, queue length and the last ingest.

Each probe is bounded by a short timeout, so the endpoint answers quickly even when a dependency
is down; the worker probe (a broadcast ping) is cached for a few seconds.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Max
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from reports.models import IngestionJob, Report

PROBE_TIMEOUT_SECONDS = 0.5
WORKER_CACHE_SECONDS = 10


def _timed(probe):
    started = time.perf_counter()
    try:
        detail = probe()
    except Exception as exc:  # a probe reports any failure as "down", never raises
        return {"ok": False, "latency_ms": None, "error": type(exc).__name__}
    return {"ok": True, "latency_ms": round((time.perf_counter() - started) * 1000, 2), **detail}


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def _redis_client():
    import redis

    return redis.Redis.from_url(
        settings.REDIS_URL,
        socket_timeout=PROBE_TIMEOUT_SECONDS,
        socket_connect_timeout=PROBE_TIMEOUT_SECONDS,
    )


def _redis() -> dict:
    client = _redis_client()
    client.ping()
    return {"queue_length": int(client.llen(settings.CELERY_TASK_DEFAULT_QUEUE))}


def _workers() -> dict:
    cached = cache.get("system-status:workers")
    if cached is not None:
        return cached
    from config.celery_app import app

    replies = app.control.ping(timeout=PROBE_TIMEOUT_SECONDS) or []
    names = sorted(name for reply in replies for name in reply)
    result = {"count": len(names), "names": names}
    cache.set("system-status:workers", result, WORKER_CACHE_SECONDS)
    return result


def _last_ingest() -> dict:
    jobs = IngestionJob.objects.aggregate(created=Max("created_at"), finished=Max("finished_at"))
    reports = Report.objects.aggregate(created=Max("created_at"), parsed=Max("parsed_at"))
    return {
        "last_job_created_at": jobs["created"],
        "last_job_finished_at": jobs["finished"],
        "last_report_created_at": reports["created"],
        "last_report_parsed_at": reports["parsed"],
        "reports_queued": Report.objects.filter(status=Report.Status.QUEUED).count(),
        "reports_failed": Report.objects.filter(status=Report.Status.FAILED).count(),
    }


def system_status() -> dict:
    database = _timed(_database)
    if settings.REDIS_URL:
        redis_state = _timed(_redis)
        workers = _timed(_workers) if redis_state["ok"] else {"ok": False, "count": 0}
    else:
        redis_state = {"ok": True, "latency_ms": None, "queue_length": 0, "mode": "eager"}
        workers = {"ok": True, "count": 0, "names": [], "mode": "eager"}
    ingest = _last_ingest() if database["ok"] else {}
    return {
        "ok": bool(database["ok"] and redis_state["ok"]),
        "eager_tasks": not settings.REDIS_URL,
        "database": database,
        "redis": redis_state,
        "workers": workers,
        "queue_length": redis_state.get("queue_length"),
        "ingest": ingest,
    }


class ProbeSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    latency_ms = serializers.FloatField(allow_null=True, required=False)
    error = serializers.CharField(required=False)


class RedisProbeSerializer(ProbeSerializer):
    queue_length = serializers.IntegerField(required=False)
    mode = serializers.CharField(required=False, help_text="`eager` when no broker is configured.")


class WorkersProbeSerializer(ProbeSerializer):
    count = serializers.IntegerField(required=False)
    names = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Host names (staff only)."
    )
    mode = serializers.CharField(required=False)


class IngestStateSerializer(serializers.Serializer):
    last_job_created_at = serializers.DateTimeField(allow_null=True, required=False)
    last_job_finished_at = serializers.DateTimeField(allow_null=True, required=False)
    last_report_created_at = serializers.DateTimeField(allow_null=True, required=False)
    last_report_parsed_at = serializers.DateTimeField(allow_null=True, required=False)
    reports_queued = serializers.IntegerField(required=False)
    reports_failed = serializers.IntegerField(required=False)


class SystemStatusSerializer(serializers.Serializer):
    ok = serializers.BooleanField(help_text="Database and broker reachable.")
    eager_tasks = serializers.BooleanField(help_text="Tasks run in-process (no broker).")
    database = ProbeSerializer()
    redis = RedisProbeSerializer()
    workers = WorkersProbeSerializer()
    queue_length = serializers.IntegerField(allow_null=True)
    ingest = IngestStateSerializer()


class SystemStatusView(APIView):
    """Health of the platform's parts, for monitoring and for people."""

    @extend_schema(
        operation_id="system_status",
        summary="System status: database, Redis, workers, queue length, last ingest",
        description="200 when the database and the broker answer, 503 otherwise. Worker "
        "replies are cached for a few seconds; their host names are shown to staff only.",
        tags=["system"],
        responses={200: SystemStatusSerializer, 503: SystemStatusSerializer},
    )
    def get(self, request):
        state = system_status()
        if not request.user.is_staff:  # host names are for the platform's staff only
            state["workers"].pop("names", None)
        return Response(SystemStatusSerializer(state).data, status=200 if state["ok"] else 503)
