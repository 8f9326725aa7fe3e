"""Two copies of one report stored at the same moment by two workers: the second must still be
flagged. Each worker is a thread with its own PostgreSQL connection, and the transactions really
commit (``transaction=True``).

The first worker's transaction is held open after it has stored its report and band keys, as a
slow commit would be; meanwhile the second worker ingests the copy. Looking the band keys up
without a lock, the second sees nothing (the first's rows are not committed) and stores the copy
unflagged. Under the band keys' advisory locks it waits for the first to commit, then finds it.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from django.db import connection, transaction

from reports.models import IngestionOutcome, Report
from reports.services.ingest import report_ingest_file

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]

VARIANTS = Path(__file__).resolve().parents[1] / "fixtures" / "variants"
WAIT = 20  # seconds


def _waiting_on_advisory_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND wait_event = 'advisory'"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.parametrize("name", ["003_4a080416cfef067e", "a01"])
def test_a_copy_ingested_while_the_first_commits_is_flagged(name):
    first_file, copy_file = f"{name}.html", f"{name}.pdf"
    outcomes: dict[str, IngestionOutcome] = {}
    errors: list[BaseException] = []
    first_stored, commit_first = threading.Event(), threading.Event()

    def first_worker() -> None:
        try:
            with transaction.atomic():
                data = (VARIANTS / first_file).read_bytes()
                outcomes["first"] = report_ingest_file(data=data, filename=first_file)
                first_stored.set()
                commit_first.wait(WAIT)
        except BaseException as exc:
            errors.append(exc)
        finally:
            first_stored.set()
            connection.close()

    def second_worker() -> None:
        try:
            data = (VARIANTS / copy_file).read_bytes()
            outcomes["copy"] = report_ingest_file(data=data, filename=copy_file)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    first = threading.Thread(target=first_worker)
    first.start()
    assert first_stored.wait(WAIT)
    second = threading.Thread(target=second_worker)
    second.start()
    # the second worker either finishes (it did not wait for the first) or blocks on a lock
    deadline = time.monotonic() + WAIT
    while second.is_alive() and not _waiting_on_advisory_lock() and time.monotonic() < deadline:
        time.sleep(0.05)
    commit_first.set()
    first.join(WAIT)
    second.join(WAIT)
    assert not errors
    assert not first.is_alive()
    assert not second.is_alive()
    original, copy = outcomes["first"], outcomes["copy"]
    assert original.status == IngestionOutcome.Status.INGESTED
    assert (copy.status, copy.code) == (IngestionOutcome.Status.NEAR_DUPLICATE, "near_duplicate")
    stored = dict(Report.objects.values_list("filename", "duplicate_of_id"))
    assert stored == {first_file: None, copy_file: original.report_id}
