"""POST /api/v1/auth/token/: a user logged in through the site gets the API token (session and
CSRF only), the token then authenticates API calls, DELETE revokes it; documented in the schema."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.integration.api_support import user_with

pytestmark = pytest.mark.django_db
URL = "/api/v1/auth/token/"


@pytest.fixture
def session_client(django_user_model):
    """A browser-like client: logged in, CSRF enforced, holding the CSRF cookie."""
    user = user_with("reader")
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/admin/login/")  # sets the csrftoken cookie, as any page with a form does
    return client


def test_logged_in_user_gets_a_token_that_authenticates(session_client):
    csrf = session_client.cookies["csrftoken"].value
    first = session_client.post(URL, HTTP_X_CSRFTOKEN=csrf)
    assert first.status_code == 200
    body = first.json()
    assert body["username"] == "reader"
    assert len(body["token"]) == 40
    assert session_client.post(URL, HTTP_X_CSRFTOKEN=csrf).json()["token"] == body["token"]
    scripted = APIClient()
    scripted.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    # a write that needs only authentication to get past it: a 403 would mean "not logged in"
    refused = scripted.post(reverse("v1:report-reparse-bulk"), {"ids": [1]}, format="json")
    assert refused.status_code == 403
    assert scripted.get(reverse("v1:report-list")).status_code == 200


def test_revoked_token_stops_working(session_client):
    csrf = session_client.cookies["csrftoken"].value
    token = session_client.post(URL, HTTP_X_CSRFTOKEN=csrf).json()["token"]
    assert session_client.delete(URL, HTTP_X_CSRFTOKEN=csrf).status_code == 204
    scripted = APIClient()
    scripted.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert scripted.get(reverse("v1:report-list")).status_code == 401
    assert session_client.post(URL, HTTP_X_CSRFTOKEN=csrf).json()["token"] != token


def test_anonymous_token_and_csrf_less_requests_are_refused(session_client):
    assert APIClient().post(URL).status_code in (401, 403)
    assert session_client.post(URL).status_code == 403  # no CSRF token: a cross-site form
    token_only = APIClient()
    token_only.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert token_only.post(URL).status_code in (401, 403)


def test_token_endpoint_is_in_the_schema():
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operations = schema["paths"]["/api/v1/auth/token/"]
    assert operations["post"]["operationId"] == "auth_token_issue"
    assert "token" in schema["components"]["schemas"]["ApiToken"]["properties"]
