"""Transient database errors (a restart, a lost connection) retried with backoff, and the lock
that keeps two runs of one job (a retry, a sweep's re-queue, a redelivery) from running at once.

Used where a long run would otherwise die half-way: each file of a bulk load is retried on its
own, after the connection is dropped so that the next attempt opens a new one. Inside a
transaction nothing is retried (the transaction is lost anyway); the error goes up to the caller,
which is a task retried by Celery or a command that says how to resume.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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


_JOB_LOCKS = 0x6A6F62  # the advisory-lock namespace of job runs


@contextmanager
def job_run_lock(job_id: int) -> Iterator[bool]:
    """Hold PostgreSQL's session advisory lock of the job's run; yields True if another run
    holds it (then do nothing). A run whose connection dies loses the lock with it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_JOB_LOCKS, job_id % 2**31])
        acquired = bool(cursor.fetchone()[0])
    try:
        yield not acquired
    finally:
        if acquired:
            try:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT pg_advisory_unlock(%s, %s)", [_JOB_LOCKS, job_id % 2**31]
                    )
            except TRANSIENT_DB_ERRORS:
                pass  # the session is gone, and its lock with it
