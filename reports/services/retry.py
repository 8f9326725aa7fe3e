"""Transient database errors (a restart, a lost connection) retried with backoff.

Used where a long run would otherwise die half-way: each file of a bulk load is retried on its
own, after the connection is dropped so that the next attempt opens a new one. Inside a
transaction nothing is retried (the transaction is lost anyway); the error goes up to the caller,
which is a task retried by Celery or a command that says how to resume.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection

logger = logging.getLogger(__name__)
T = TypeVar("T")
TRANSIENT_DB_ERRORS = (OperationalError, InterfaceError)


def with_db_retry(call: Callable[[], T], *, what: str) -> T:
    """``call()``, attempted ``DB_RETRY_ATTEMPTS`` times in all while the database is away."""
    attempts = max(settings.DB_RETRY_ATTEMPTS, 1)
    for attempt in range(attempts):
        try:
            return call()
        except TRANSIENT_DB_ERRORS as exc:
            if connection.in_atomic_block or attempt == attempts - 1:
                raise
            wait = min(settings.DB_RETRY_FIRST_WAIT * 2**attempt, 30.0)
            logger.warning(
                "Database unavailable during %s (%s); retrying in %.1f s", what, exc, wait
            )
            connection.close()
            time.sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover
