"""Every integer parameter of the API is bounded in the schema, and a number past its bound is a
400 (or, for an id in the path, a 404), never a 500 from the database."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from indicators.models import IndicatorValue
from reports.models import IngestionJob, Report, Section
from tests.integration.api_support import ingest_corpus

pytestmark = pytest.mark.django_db
HUGE = "99999999999999999999"  # past PostgreSQL's bigint


@pytest.fixture(autouse=True)
def _fresh_throttle_cache():
    cache.clear()


def _integer_parameters():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, item in schema["paths"].items():
        operation = item.get("get")
        if operation is None:
            continue
        for parameter in operation.get("parameters", []):
            kind = parameter.get("schema", {})
            if kind.get("type") == "integer":
                yield path, parameter["in"], parameter["name"], kind


def _existing_id(path: str) -> str:
    """An id that exists for the resource ``path`` names, so only the parameter can fail."""
    models = {
        "/api/v1/reports/": Report,
        "/api/v1/ingestion-jobs/": IngestionJob,
        "/api/v1/sections/": Section,
        "/api/v1/indicators/values/": IndicatorValue,
    }
    model = next(m for prefix, m in models.items() if path.startswith(prefix))
    return str(model.objects.values_list("pk", flat=True).first())


def test_every_integer_parameter_has_bounds_in_the_schema():
    """Clients and fuzzers can see each integer's range: ``minimum`` and ``maximum`` are set."""
    found = list(_integer_parameters())
    assert any(name == "page" for _, _, name, _ in found)
    unbounded = [
        (path, name)
        for path, _, name, kind in found
        if "minimum" not in kind or "maximum" not in kind
    ]
    assert unbounded == []


def test_search_page_past_bigint_is_a_400(django_capture_on_commit_callbacks):
    """The attack's request: ``/search/reports/?q=行政复议&page=<20 digits>``."""
    ingest_corpus(django_capture_on_commit_callbacks)
    response = APIClient().get("/api/v1/search/reports/", {"q": "行政复议", "page": HUGE})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "page" in response.json()["detail"]["fields"]


def test_every_integer_parameter_past_its_range_is_refused(django_capture_on_commit_callbacks):
    """Each GET operation, given a 20-digit number for one integer parameter at a time, answers
    400 (a query parameter) or 404 (an id in the path)."""
    ingest_corpus(django_capture_on_commit_callbacks)
    client = APIClient()
    client.force_authenticate(User.objects.create_superuser("root-reader"))  # curation reads too
    checked = 0
    for path, where, name, _ in _integer_parameters():
        query = {"q": "行政复议", "code": "S1-01"}
        if where == "path":
            url = path.replace("{" + name + "}", HUGE)
        else:
            url = re.sub(r"\{[^}]+\}", lambda _, path=path: _existing_id(path), path)
            query[name] = HUGE
        response = client.get(url, query)
        expected = 404 if where == "path" else 400
        assert response.status_code == expected, (path, name, response.status_code)
        checked += 1
    assert checked >= 10
