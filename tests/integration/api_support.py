"""Helpers shared by the REST API tests: users with chosen permissions, corpus ingestion."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

from django.contrib.auth.models import Permission, User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from reports.models import Report
from reports.services.uploads import report_ingest_upload

CORPUS_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"

WRITE_PERMISSIONS = (
    "reports.add_report",
    "reports.change_report",
    "reports.delete_report",
)


def user_with(username: str, *perms: str) -> User:
    user = User.objects.create_user(username=username)
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


def token_client(user: User) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def ingest_corpus(capture_on_commit=None, *, paths: list[Path] | None = None) -> list[Report]:
    """Ingest sample reports through the upload service and run their (eager) parse.

    Inside a test transaction pass ``django_capture_on_commit_callbacks`` so the parse queued on
    commit runs; outside one (live-server tests) the callbacks run at commit by themselves.
    """
    paths = paths or sorted(CORPUS_DIR.glob("*.txt"))
    capture = capture_on_commit(execute=True) if capture_on_commit else nullcontext()
    with capture:
        job = report_ingest_upload(files=[(p.name, p.read_bytes()) for p in paths])
    return list(Report.objects.filter(job=job).order_by("filename"))
