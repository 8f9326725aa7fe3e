"""Writing sections' search vectors: on parse, on every curator edit, and by ``reindex_search``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from django.db import connection

from reports.models import Section
from reports.parsing.segment import segmenter_version
from reports.search.vectors import section_vectors

_UPDATE = (
    "UPDATE reports_section SET search_vector = %s::tsvector, bigram_vector = %s::tsvector, "
    "segmenter_version = %s WHERE id = %s"
)


def _rows(sections: Iterable[Section], version: str) -> Iterator[tuple[str, str, str, int]]:
    for section in sections:
        words, grams = section_vectors(section.title or "", section.text or "")
        yield words, grams, version, section.pk


def index_sections(sections: Iterable[Section]) -> None:
    """Segment each (saved) section's title and body and store both search vectors.

    Safe inside the caller's transaction; one round trip per batch of sections. The in-memory
    objects get ``segmenter_version`` set; the vectors themselves are left to the database.
    """
    version = segmenter_version()
    pending = [s for s in sections if s.pk is not None]
    if not pending:
        return
    with connection.cursor() as cursor:
        cursor.executemany(_UPDATE, list(_rows(pending, version)))
    for section in pending:
        section.segmenter_version = version


def section_reindex(*, section: Section) -> Section:
    """Re-index one section after a curator changed its title or text."""
    index_sections([section])
    return section


def _batches(ids: list[int], size: int) -> Iterator[list[int]]:
    it = iter(ids)
    while batch := list(islice(it, size)):
        yield batch


def reindex(
    *,
    report_ids: Iterable[int] | None = None,
    stale_only: bool = False,
    batch_size: int = 500,
) -> int:
    """Re-index sections (all, some reports', or only those of another segmenter version).

    Returns how many sections were indexed. Each batch commits on its own, so a long run can be
    interrupted and resumed with ``stale_only=True``.
    """
    qs = Section.objects.all()
    if report_ids is not None:
        qs = qs.filter(report_id__in=list(report_ids))
    if stale_only:
        qs = qs.exclude(segmenter_version=segmenter_version())
    ids = list(qs.order_by("id").values_list("id", flat=True))
    for batch in _batches(ids, batch_size):
        index_sections(Section.objects.filter(id__in=batch).only("id", "title", "text"))
    return len(ids)


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
_RUM_CACHE: dict[object, bool] = {}
