"""Originals: every ingested file's bytes as received, kept in the ``originals`` storage.

The storage is whatever ``settings.STORAGES["originals"]`` names: local files by default, an
S3-compatible bucket in deployment (django-storages). Names are content-addressed,
``<sha256[:2]>/<sha256><.ext>``, the sha256 being the report's ``raw_sha256``.

Policy: a re-parse never touches the original (it reads the extracted text); deleting a report
deletes its original once the deletion has committed (never before: a rolled-back delete keeps
it); a file stored for a report whose row was then not saved (a duplicate found at the last
moment, a database error) is deleted at once.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.db import transaction

from reports.storage import originals_storage

logger = logging.getLogger(__name__)
_SUFFIX = re.compile(r"\.[a-z0-9]{1,8}")


def original_store(*, data: bytes, sha256: str, filename: str) -> str:
    """Store ``data`` and return its name in the storage."""
    suffix = PurePosixPath(filename).suffix.lower()
    name = f"{sha256[:2]}/{sha256}{suffix if _SUFFIX.fullmatch(suffix) else ''}"
    return originals_storage().save(name, ContentFile(data))


def original_discard(*, name: str) -> None:
    """Delete a stored original now (its report was not saved); a failure is only logged."""
    if not name:
        return
    try:
        originals_storage().delete(name)
    except Exception:  # the report is gone either way; a stray file is not worth a 500
        logger.exception("Could not delete the original %s", name)


def originals_delete_on_commit(*, names: Iterable[str]) -> None:
    """Delete these originals once the current transaction commits (at once outside one)."""
    kept = [name for name in names if name]

    def discard_all() -> None:
        for name in kept:
            original_discard(name=name)

    if kept:
        transaction.on_commit(discard_all)
