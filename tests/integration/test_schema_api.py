"""The OpenAPI schema: valid, complete, and true to the live server (schemathesis)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from tests.integration.api_support import WRITE_PERMISSIONS, ingest_corpus, user_with

ERROR_REF = "#/components/schemas/ApiError"
OWN_PREFIXES = (
    "/api/v1/reports/",
    "/api/v1/sections/",
    "/api/v1/ingestion-jobs/",
    "/api/v1/status/",
    "/api/v1/indicators/definitions/",
    "/api/v1/indicators/values/",
)
CURATION_SUFFIXES = ("/verify/", "/reject/", "/correct/", "/conflict/", "/audit/")


def _schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def _own(path: str) -> bool:
    return path.startswith(OWN_PREFIXES) and not path.endswith(CURATION_SUFFIXES)


@pytest.mark.django_db
def test_schema_is_valid_openapi_3():
    """The generated document validates against the OpenAPI 3 specification."""
    schema = _schema()
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert all(path.startswith("/api/v1/") for path in schema["paths"])


@pytest.mark.django_db
def test_every_operation_is_summarised_and_documents_its_errors():
    """Each endpoint of the API has a summary, its success response and the error body."""
    own = [(p, m, op) for p, m, op in _operations(_schema()) if _own(p)]
    assert len(own) >= 17
    for path, method, operation in own:
        assert operation.get("summary"), (method, path)
        responses = operation["responses"]
        assert any(code.startswith("2") for code in responses), (method, path)
        for code in ("400", "401", "403", "429"):
            content = responses[code]["content"]["application/json"]["schema"]
            assert content == {"$ref": ERROR_REF}, (method, path, code)
        if "{" in path:
            assert "404" in responses, (method, path)


@pytest.mark.django_db
def test_curation_responses_are_documented_as_returned():
    """A value's ``code`` and ``corrected_code`` may be null, and the review actions document
    the 409 they answer when the value's state does not allow the review."""
    schema = _schema()
    value = schema["components"]["schemas"]["CurationValue"]["properties"]
    assert value["code"].get("nullable") is True
    assert value["corrected_code"].get("nullable") is True
    for action in ("verify", "reject", "correct", "conflict"):
        responses = schema["paths"][f"/api/v1/indicators/values/{{id}}/{action}/"]["post"]
        conflict = responses["responses"]["409"]["content"]["application/json"]["schema"]
        assert conflict == {"$ref": ERROR_REF}, action


@pytest.mark.django_db
def test_schemathesis_run_covers_every_path():
    """The fuzzing run below includes every path: search, comparison, coverage and curation."""
    paths = list(_schema()["paths"])
    for expected in ("/search/reports/", "/indicators/compare/", "/coverage/", "/verify/"):
        assert any(expected in path for path in paths), expected
    assert [path for path in paths if not re.match(OWN_PATHS, path)] == []


@pytest.mark.django_db
def test_list_parameters_are_documented():
    """Filters, ordering and pagination appear as documented query parameters."""
    schema = _schema()
    params = {
        p["name"]: p for p in schema["paths"]["/api/v1/indicators/values/"]["get"]["parameters"]
    }
    for name in (
        "code",
        "region",
        "year",
        "year_min",
        "year_max",
        "status",
        "value_min",
        "value_max",
        "ordering",
        "cursor",
        "page_size",
    ):
        assert name in params, name
    assert params["year"]["schema"]["maximum"] == 2200
    reports = {p["name"] for p in schema["paths"]["/api/v1/reports/"]["get"]["parameters"]}
    assert {"province", "admin_level", "report_year", "page", "page_size", "ordering"} <= reports


@pytest.mark.django_db
def test_schema_and_documentation_pages_are_served():
    """/api/schema/ serves the document; Swagger UI and Redoc pages load."""
    cache.clear()
    client = APIClient()
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert "/api/v1/reports/" in schema.json()["paths"]
    assert client.get("/api/docs/").status_code == 200
    assert client.get("/api/redoc/").status_code == 200


def _schemathesis(base_url: str, tmp_path: Path, *extra: str, skip: str) -> str:
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        "run",
        f"{base_url}/api/schema/",
        "--url",
        base_url,
        "--include-path-regex",
        OWN_PATHS,
        "--checks",
        "all",
        "--exclude-checks",
        skip,
        "--phases",
        "examples,coverage,fuzzing",
        "--max-examples",
        "3",
        "--workers",
        "1",
        "--seed",
        "20260101",
        "--no-shrink",
        "--request-timeout",
        "10",
        "--max-time",
        "55",
        *extra,
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=150, check=False, cwd=tmp_path
    )
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
    return result.stdout


# The conformance checks: no 5xx, documented status codes, content types, headers and bodies.
# Left out: the checks that every schema-invalid query is refused (list filters ignore an empty
# or unknown parameter, as django-filter does) and that every schema-valid one is accepted.
STRICT_INPUT_CHECKS = "negative_data_rejection,positive_data_acceptance"
# Every path of the API: search, comparison, coverage and the curation actions included.
OWN_PATHS = (
    r"^/api/v1/(reports|sections|ingestion-jobs|status|search|coverage|auth"
    r"|indicators/(definitions|values|compare))/"
)
LIVE_RATES = {"anon": "100000/min", "user": "100000/min"}


@pytest.fixture
def live_api(live_server, transactional_db, settings):
    """The live server with the sample reports loaded and throttling out of the way."""
    ingest_corpus()
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": LIVE_RATES}
    cache.clear()
    yield live_server.url
    cache.clear()  # no throttle history left behind for later tests


@pytest.mark.slow
def test_schemathesis_finds_no_server_error_or_schema_violation(live_api, tmp_path):
    """Generated requests against the live server: no 5xx, every response as documented."""
    output = _schemathesis(live_api, tmp_path, skip=STRICT_INPUT_CHECKS)
    assert "Tested:" in output


@pytest.mark.slow
def test_schemathesis_with_a_curator_token_finds_no_server_error(live_api, tmp_path):
    """The same with a token holding the write permissions: writes run, none answers 5xx."""
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=user_with("fuzz-curator", *WRITE_PERMISSIONS))
    output = _schemathesis(
        live_api,
        tmp_path,
        "--header",
        f"Authorization: Token {token.key}",
        skip=STRICT_INPUT_CHECKS + ",ignored_auth",
    )
    assert "Tested:" in output
