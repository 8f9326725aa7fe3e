"""Who may read and write through the API, throttling, and the upload limits."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from config.uploads import UploadLimitMiddleware
from reports.models import Report
from tests.curation_support import curator_make
from tests.integration.api_support import (
    CORPUS_DIR,
    WRITE_PERMISSIONS,
    ingest_corpus,
    token_client,
    user_with,
)

pytestmark = pytest.mark.django_db

SAMPLE = CORPUS_DIR / "003_4a080416cfef067e.txt"


@pytest.fixture(autouse=True)
def _fresh_throttle_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def report(django_capture_on_commit_callbacks) -> Report:
    return ingest_corpus(django_capture_on_commit_callbacks, paths=[SAMPLE])[0]


def _upload(client, *files):
    return client.post("/api/v1/reports/", {"files": list(files)}, format="multipart")


def _named(name: str, data: bytes) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def _writes(report_id: int):
    return [
        (
            "post",
            "/api/v1/reports/",
            {"files": [_named("a.txt", SAMPLE.read_bytes())]},
            "multipart",
        ),
        ("patch", f"/api/v1/reports/{report_id}/", {"title": "改"}, "json"),
        ("delete", f"/api/v1/reports/{report_id}/", None, "json"),
        ("post", f"/api/v1/reports/{report_id}/reparse/", None, "json"),
        ("post", "/api/v1/reports/reparse/", {"all_reports": True}, "json"),
    ]


def test_anonymous_writes_are_refused_with_401(report):
    """Without credentials every write answers 401 ``not_authenticated`` and changes nothing."""
    client = APIClient()
    for method, url, data, fmt in _writes(report.pk):
        response = getattr(client, method)(url, data, format=fmt)
        assert response.status_code == 401, (method, url)
        assert response.json()["code"] == "not_authenticated"
    assert Report.objects.filter(pk=report.pk, title=report.title).exists()
    assert Report.objects.count() == 1


def test_writes_without_model_permission_are_refused_with_403(report):
    """An authenticated user lacking the model permissions gets 403 ``permission_denied``."""
    client = token_client(user_with("reader", "reports.view_report"))
    for method, url, data, fmt in _writes(report.pk):
        response = getattr(client, method)(url, data, format=fmt)
        assert response.status_code == 403, (method, url)
        assert response.json()["code"] == "permission_denied"
    assert Report.objects.filter(pk=report.pk).exists()


def test_change_permission_alone_does_not_allow_delete(report):
    """Each write needs its own permission: change_report does not grant DELETE."""
    client = token_client(user_with("editor", "reports.change_report"))
    assert client.delete(f"/api/v1/reports/{report.pk}/").status_code == 403
    patch = client.patch(f"/api/v1/reports/{report.pk}/", {"title": "改"}, format="json")
    assert patch.status_code == 200


def test_session_writes_need_the_csrf_token(report):
    """The browsable API's session login cannot write without a CSRF token."""
    user = user_with("session-curator", *WRITE_PERMISSIONS)
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.patch(f"/api/v1/reports/{report.pk}/", {"title": "改"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["message"]


@override_settings(API_READS_REQUIRE_TOKEN=True)
def test_reads_need_a_token_when_configured(report):
    """With API_READS_REQUIRE_TOKEN, anonymous reads get 401 and token reads succeed."""
    assert APIClient().get("/api/v1/reports/").status_code == 401
    assert token_client(user_with("analyst")).get("/api/v1/reports/").status_code == 200


def test_anonymous_clients_are_throttled_with_429(report):
    """Past the anonymous rate the API answers 429 ``throttled`` with Retry-After."""
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "3/min"}
    with override_settings(REST_FRAMEWORK={**_rest_settings(), "DEFAULT_THROTTLE_RATES": rates}):
        client = APIClient()
        statuses = [client.get("/api/v1/reports/").status_code for _ in range(4)]
        response = client.get("/api/v1/reports/")
    assert statuses[:3] == [200, 200, 200]
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


def test_authenticated_clients_have_their_own_rate(report):
    """Authenticated clients are throttled by user at the user rate."""
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "user": "2/min", "anon": "100/min"}
    with override_settings(REST_FRAMEWORK={**_rest_settings(), "DEFAULT_THROTTLE_RATES": rates}):
        client = token_client(user_with("busy"))
        statuses = [client.get("/api/v1/reports/").status_code for _ in range(3)]
        anonymous = APIClient().get("/api/v1/reports/").status_code
    assert statuses == [200, 200, 429]
    assert anonymous == 200


def _rest_settings() -> dict:
    from django.conf import settings

    return dict(settings.REST_FRAMEWORK)


@override_settings(UPLOAD_MAX_FILE_BYTES=1000, UPLOAD_MAX_FILES=2)
def test_oversized_file_is_refused_with_413():
    """A file past UPLOAD_MAX_FILE_BYTES aborts the upload with 413 ``file_too_large``."""
    client = token_client(user_with("uploader", *WRITE_PERMISSIONS))
    response = _upload(client, _named("big.txt", "法治政府".encode() * 1000))
    assert response.status_code == 413
    assert response.json()["code"] == "file_too_large"
    assert Report.objects.count() == 0


@override_settings(UPLOAD_MAX_FILE_BYTES=100_000, UPLOAD_MAX_FILES=2)
def test_too_many_files_are_refused_with_413():
    """More files than UPLOAD_MAX_FILES answers 413 ``too_many_files``."""
    client = token_client(user_with("uploader", *WRITE_PERMISSIONS))
    files = [_named(f"{i}.txt", f"第{i}份报告".encode()) for i in range(3)]
    response = _upload(client, *files)
    assert response.status_code == 413
    assert response.json()["code"] == "too_many_files"
    assert Report.objects.count() == 0


class _CountingInput(io.BytesIO):
    bytes_read = 0

    def read(self, size=-1):
        data = super().read(size)
        self.bytes_read += len(data)
        return data

    def readline(self, size=-1):
        data = super().readline(size)
        self.bytes_read += len(data)
        return data


@override_settings(UPLOAD_MAX_FILE_BYTES=1000, UPLOAD_MAX_FILES=1)
def test_declared_oversized_body_is_refused_before_it_is_read():
    """A Content-Length past the limit answers 413 without reading one byte of the body."""
    body = _CountingInput(b"x" * (3 * 1024 * 1024))
    request = RequestFactory().generic("POST", "/api/v1/reports/")
    request.META["CONTENT_TYPE"] = "multipart/form-data; boundary=b"
    request.META["CONTENT_LENGTH"] = str(len(body.getvalue()))
    request.META["wsgi.input"] = body
    request._stream = body
    reached = []
    response = UploadLimitMiddleware(lambda r: reached.append(r))(request)
    assert response.status_code == 413
    assert json.loads(response.content)["code"] == "request_too_large"
    assert body.bytes_read == 0
    assert reached == []


@pytest.mark.parametrize(("limit", "refused"), [(1000, True), (10 * 1024 * 1024, False)])
def test_request_limit_follows_upload_max_request_bytes(limit, refused):
    """UPLOAD_MAX_REQUEST_BYTES, when set, is the body limit instead of files × size + 1 MiB."""
    body = io.BytesIO(b"x" * 5000)
    request = RequestFactory().generic("POST", "/api/v1/reports/")
    request.META["CONTENT_TYPE"] = "multipart/form-data; boundary=b"
    request.META["CONTENT_LENGTH"] = str(len(body.getvalue()))
    reached = []
    with override_settings(
        UPLOAD_MAX_FILE_BYTES=100_000, UPLOAD_MAX_FILES=2, UPLOAD_MAX_REQUEST_BYTES=limit
    ):
        response = UploadLimitMiddleware(lambda r: reached.append(r) or "passed")(request)
    assert (response != "passed") is refused
    assert (reached == []) is refused


@override_settings(DEBUG=False)
def test_errors_carry_no_internals_when_debug_is_off(report):
    """With DEBUG off, errors are the plain error body: no traceback, no SQL."""
    client = APIClient()
    for url in (
        f"/api/v1/reports/{10**25}/",
        f"/api/v1/reports/?job={10**25}",
        "/api/v1/indicators/values/?year=99999",
        "/api/v1/reports/?cursor=bogus&page=abc",
    ):
        response = client.get(url)
        assert 400 <= response.status_code < 500, url
        text = response.content.decode()
        assert "Traceback" not in text
        assert "SELECT" not in text
        assert set(response.json()) == {"code", "message", "detail"}


def test_admin_is_for_staff_only(report):
    """A logged-in user who is not staff is sent to the admin login, not shown the admin."""
    client = APIClient()
    client.force_login(User.objects.create_user(username="not-staff"))
    response = client.get("/admin/reports/report/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_server_error_page_for_api_paths_is_the_error_body():
    """The 500 handler answers API paths with the error body and no internals."""
    from config.api import server_error

    response = server_error(RequestFactory().get("/api/v1/reports/"))
    body = json.loads(response.content)
    assert response.status_code == 500
    assert body["code"] == "server_error"
    assert set(body) == {"code", "message", "detail"}


@pytest.mark.parametrize(
    "url", ["/api/v1/search/sections/?q=x", "/api/v1/search/reports/?q=x", "/api/v1/reports/"]
)
@pytest.mark.parametrize("method", ["TRACE", "PUT"])
def test_methods_a_view_lacks_are_405_for_curators_too(url, method):
    """An authenticated client asking for a method the view has no handler for gets 405, also
    from views without a model (search), not a server error."""
    client = token_client(curator_make(User, username="curator-405"))
    assert client.generic(method, url).status_code == 405
