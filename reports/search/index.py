"""Writing sections' search vectors: on parse, on every curator edit, and by ``reindex_search``."""

from __future__ import annotations

import logging
import multiprocessing
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import partial
from itertools import islice
from typing import TypeVar

from django.db import connection, transaction

from reports.models import Section
from reports.parsing.segment import cut, segmenter_version
from reports.search.vectors import section_vector

T = TypeVar("T")
logger = logging.getLogger(__name__)
_UPDATE = (
    "UPDATE reports_section SET search_vector = %s::tsvector, segmenter_version = %s WHERE id = %s"
)


def _vector_row(item: tuple[int, str, str], version: str) -> tuple[str, str, int]:
    """``(search_vector, segmenter_version, id)`` of ``(id, title, text)``: the columns both
    writers take, in their order."""
    pk, title, text = item
    return (section_vector(title or "", text or ""), version, pk)


def _write(rows: list[tuple[str, str, int]]) -> None:
    with connection.cursor() as cursor:
        cursor.executemany(_UPDATE, rows)


def _write_bulk(rows: list[tuple[str, str, int]]) -> None:
    """One batch of a reindex: COPY the vectors into a temporary table, then one UPDATE.

    The table is dropped again at once, so that batches may follow in one transaction.
    """
    with transaction.atomic(), connection.wrap_database_errors, connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE section_vectors_load (search_vector tsvector, "
            "segmenter_version varchar(40), id bigint)"
        )
        # read once, at once: not worth compressing (the UPDATE compresses them for the table)
        cursor.execute("ALTER TABLE section_vectors_load ALTER search_vector SET STORAGE EXTERNAL")
        with cursor.copy("COPY section_vectors_load FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            "UPDATE reports_section s SET search_vector = l.search_vector, "
            "segmenter_version = l.segmenter_version "
            "FROM section_vectors_load l WHERE s.id = l.id"
        )
        cursor.execute("DROP TABLE section_vectors_load")


def index_sections(sections: Iterable[Section]) -> None:
    """Segment each (saved) section's title and body and store its word vector (the recall
    index follows it).

    Safe inside the caller's transaction; one round trip per batch of sections. The in-memory
    objects get ``segmenter_version`` set; the vectors themselves are left to the database.
    """
    version = segmenter_version()
    pending = [s for s in sections if s.pk is not None]
    if not pending:
        return
    _write([_vector_row((s.pk, s.title, s.text), version) for s in pending])
    for section in pending:
        section.segmenter_version = version


def section_reindex(*, section: Section) -> Section:
    """Re-index one section after a curator changed its title or text."""
    index_sections([section])
    return section


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def reindex(
    *,
    report_ids: Iterable[int] | None = None,
    stale_only: bool = False,
    batch_size: int = 5000,
    workers: int = 1,
) -> int:
    """Re-index sections (all, some reports', or only those of another segmenter version).

    Returns how many sections were indexed. Each batch commits on its own, so a long run can be
    interrupted and resumed with ``stale_only=True``. ``workers > 1`` segments and writes in that
    many processes, each on its own connection (segmentation is pure Python and dominates the
    time); inside a transaction, where other connections would not see its rows, they only
    segment and this process writes.
    """
    qs = Section.objects.all()
    if report_ids is not None:
        qs = qs.filter(report_id__in=list(report_ids))
    if stale_only:
        qs = qs.exclude(segmenter_version=segmenter_version())
    ids = list(qs.order_by("id").values_list("id", flat=True))
    if len(ids) >= BULK_THRESHOLD and len(ids) * 2 > Section.objects.count():
        with _indexes_rebuilt(), _timed("%d sections segmented and written", len(ids)):
            _reindex_ids(ids, batch_size=batch_size, workers=workers)
    else:
        _reindex_ids(ids, batch_size=batch_size, workers=workers)
    return len(ids)


@contextmanager
def _timed(message: str, *args: object) -> Iterator[None]:
    """Log ``message`` with the seconds the block took: a bulk reindex's steps, as they end."""
    started = time.perf_counter()
    yield
    logger.info(message + " in %.1f s", *args, time.perf_counter() - started)


@contextmanager
def _indexes_rebuilt() -> Iterator[None]:
    """Drop the search indexes for a bulk rewrite and build them again afterwards (much faster
    than updating GIN and RUM entries row by row). The recall index computes each section's
    recall vector as it is built (``section_recall``)."""
    rum = rum_available()
    with connection.cursor() as cursor:
        for name in (RECALL_INDEX, RUM_INDEX):
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
    try:
        yield
    finally:
        statements = [
            f"CREATE INDEX IF NOT EXISTS {RECALL_INDEX} ON reports_section "
            f"USING gin ({RECALL_EXPRESSION})"
        ]
        if rum:
            statements.append(
                f"CREATE INDEX IF NOT EXISTS {RUM_INDEX} ON reports_section "
                "USING rum (search_vector rum_tsvector_ops)"
            )
        if connection.in_atomic_block:  # other connections would not see this transaction's rows
            for statement in statements:
                _index_build(statement, own_connection=False)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE reports_section")  # fresh statistics for the planner
        else:
            with _timed("Sections vacuumed and analysed"), connection.cursor() as cursor:
                # The rewrite left a dead version of every row: reclaimed now, while there is no
                # search index for VACUUM to clean.
                cursor.execute("VACUUM (ANALYZE) reports_section")
            # One connection each, at once: PostgreSQL 15 builds a GIN index on one core.
            with _timed("Search indexes built"), ThreadPoolExecutor(len(statements)) as pool:
                list(pool.map(_index_build, statements))


def _index_build(statement: str, own_connection: bool = True) -> None:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            # fewer passes of GIN's accumulator over a million sections' entries
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            cursor.execute(statement)
    finally:
        if own_connection:
            connection.close()  # this thread's


def _reindex_ids(ids: list[int], *, batch_size: int, workers: int) -> None:
    cut("")  # load the dictionary once, before any worker forks
    if workers > 1 and not connection.in_atomic_block:
        _reindex_in_workers(ids, workers=workers)
        return
    row = partial(_vector_row, version=segmenter_version())
    pool = multiprocessing.get_context("fork").Pool(workers) if workers > 1 else None
    try:
        for batch in _batches(ids, batch_size):
            items = list(
                Section.objects.filter(id__in=batch)
                .order_by("id")
                .values_list("id", "title", "text")
            )
            done = pool.imap(row, items, chunksize=50) if pool else map(row, items)
            for chunk in _batches(done, 1000):
                _write_bulk(chunk)
    finally:
        if pool is not None:
            pool.close()
            pool.join()


def _reindex_in_workers(ids: list[int], *, workers: int) -> None:
    """Each worker process reads, segments and writes its own batches on its own connection:
    the vectors never travel between processes, and PostgreSQL writes in parallel too."""
    connection.close()  # the workers must not share this process's connection
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        for _ in pool.imap_unordered(_index_batch, _batches(ids, WORKER_BATCH)):
            pass
        pool.close()
        pool.join()


def _index_batch(ids: list[int]) -> int:
    """In a worker: index these sections, committing once; its connection closed afterwards."""
    try:
        version = segmenter_version()
        items = Section.objects.filter(id__in=ids).values_list("id", "title", "text")
        rows = [_vector_row(item, version) for item in items]
        _write_bulk(rows)
        return len(rows)
    finally:
        connection.close()


def rum_available() -> bool:
    """Whether the RUM index on ``search_vector`` exists (ranked top-k straight from the index)."""
    key = connection.settings_dict.get("NAME")
    cached = _RUM_CACHE.get(key)
    if cached is None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM pg_indexes WHERE tablename = 'reports_section' AND indexname = %s",
                [RUM_INDEX],
            )
            cached = cursor.fetchone() is not None
        _RUM_CACHE[key] = cached
    return cached


RUM_INDEX = "section_search_rum"
RECALL_INDEX = "section_recall_gin"
RECALL_EXPRESSION = "section_recall(title, text, search_vector)"
BULK_THRESHOLD = 10_000
WORKER_BATCH = 2000
_RUM_CACHE: dict[object, bool] = {}
