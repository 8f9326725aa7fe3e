"""Near-duplicates: the same report in another format or with other page furniture.

At ingestion ``near_duplicate_find`` looks a new text's LSH band keys (reports.fingerprint) up
in the B-tree index of ``ReportBand.key``, so the cost does not grow with the number of stored
reports, and checks the few candidates' signatures. A match flags the new report as
``duplicate_of`` the earlier one: it is left out of report lists, coverage and comparisons
until a curator either keeps both (``report_near_duplicate_keep``) or merges the new one into
the earlier one (``report_near_duplicate_merge``): its reviewed values are carried over through
the curation services, audited, and the duplicate is deleted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet

from indicators.models import CurationEvent, IndicatorValue
from indicators.services import curation
from indicators.services.audit import field_change_events
from reports.errors import NotNearDuplicateError
from reports.fingerprint import (
    CONTAINMENT_THRESHOLD,
    Fingerprint,
    containment,
    normalised_text,
    text_fingerprint,
)
from reports.models import Report, ReportBand
from reports.services.manage import report_delete

# Candidates checked per new text: texts sharing a band key with it are rare unless they are
# copies of one another, and copies point at their first report, which alone is compared.
CANDIDATE_LIMIT = 50
# The advisory-lock namespace of LSH band keys (two-key form, as reports.services.retry's).
_BAND_LOCKS = 0x6E6472


def near_duplicate_bands_lock(*, fingerprint: Fingerprint | None) -> None:
    """Take PostgreSQL's transaction-scoped advisory lock of each of the text's band keys.

    Two copies of one report ingested at the same moment share a band key: without the lock,
    each could look the bands up before the other's were committed, and neither would be
    flagged. Whoever takes a key's lock first looks up and stores its bands; the other waits
    until that commits (or rolls back), then finds them. Keys are locked in one order, so two
    texts sharing several keys cannot deadlock. Call it in the transaction that stores the
    bands, before ``near_duplicate_find``; taking it again in the same transaction is free.
    """
    if fingerprint is None:
        return
    keys = sorted({key % 2**31 for key in fingerprint.bands})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_advisory_xact_lock(%s, k)) FROM unnest(%s::integer[]) AS k",
            [_BAND_LOCKS, keys],
        )


@dataclass(frozen=True, slots=True)
class NearDuplicateMatch:
    report_id: int
    similarity: float


@dataclass(frozen=True, slots=True)
class NearDuplicateMerge:
    target: Report
    carried: int  # reviewed values whose review now stands on the target's matching value
    unmatched: int  # reviewed values with no unreviewed counterpart in the target


def report_fingerprint_fill(*, report: Report, fingerprint: Fingerprint | None) -> Report:
    """Set (unsaved) the report's fingerprint fields."""
    if fingerprint is None:
        report.minhash, report.shingle_count = None, 0
    else:
        report.minhash, report.shingle_count = fingerprint.signature, fingerprint.size
    return report


def report_bands_save(*, report: Report, fingerprint: Fingerprint | None) -> int:
    """Store a saved report's LSH band keys (in the caller's transaction, which holds or now
    takes their locks: ``near_duplicate_bands_lock``); returns how many."""
    if fingerprint is None:
        return 0
    near_duplicate_bands_lock(fingerprint=fingerprint)
    bands = [ReportBand(report=report, key=key) for key in fingerprint.bands]
    ReportBand.objects.bulk_create(bands)
    return len(bands)


def reports_fingerprint_backfill(*, batch_size: int = 200) -> int:
    """Fingerprint the reports stored without one (loaded before near-duplicates were looked
    for), so that later copies of them are recognised; none of them is flagged. Returns how many
    reports were fingerprinted (texts too short to compare stay without)."""
    done, last = 0, 0
    while True:
        with transaction.atomic():
            batch = list(
                Report.objects.select_for_update(skip_locked=True)
                .filter(pk__gt=last, minhash=None)
                .only("pk", "raw_text")
                .order_by("pk")[:batch_size]
            )
            for report in batch:
                fingerprint = text_fingerprint(report.raw_text)
                if fingerprint is None or report.bands.exists():
                    continue
                report_fingerprint_fill(report=report, fingerprint=fingerprint)
                report.save(update_fields=["minhash", "shingle_count"])
                report_bands_save(report=report, fingerprint=fingerprint)
                done += 1
        if len(batch) < batch_size:
            return done
        last = batch[-1].pk


def near_duplicate_candidates(*, bands: Iterable[int]) -> QuerySet[Report]:
    """Stored reports, not themselves flagged copies, sharing an LSH band key with ``bands``."""
    keys = ReportBand.objects.filter(key__in=list(bands)).values("report_id")
    return Report.objects.counted().filter(pk__in=keys)


def near_duplicate_find(*, fingerprint: Fingerprint | None) -> NearDuplicateMatch | None:
    """The stored report (not itself a flagged copy) this text most nearly duplicates, if any.

    To store the text afterwards without racing a copy, call it in that transaction after
    ``near_duplicate_bands_lock``."""
    if fingerprint is None:
        return None
    # No ORDER BY: with one, PostgreSQL may walk the primary key to fill the LIMIT instead of
    # looking the band keys up in their index (benchmarks/bench_near_duplicates.py).
    candidates = (
        near_duplicate_candidates(bands=fingerprint.bands)
        .order_by()
        .values_list("pk", "minhash", "shingle_count")[:CANDIDATE_LIMIT]
    )
    best: NearDuplicateMatch | None = None
    for pk, signature, size in candidates:
        if signature is None:
            continue
        score = containment(fingerprint, (bytes(signature), size))
        if score >= CONTAINMENT_THRESHOLD and (best is None or score > best.similarity):
            best = NearDuplicateMatch(report_id=pk, similarity=round(score, 3))
    return best


def _flagged(report_id: int) -> Report:
    report = Report.objects.select_for_update().filter(pk=report_id).first()
    if report is None or report.duplicate_of_id is None:
        raise NotNearDuplicateError(
            f"Report {report_id} is not flagged as a possible duplicate.", report_id=report_id
        )
    return report


@transaction.atomic
def report_near_duplicate_keep(*, report: Report, user: Any) -> Report:
    """A curator says the two reports are distinct: the flag goes, both stay (audited)."""
    report = _flagged(report.pk)
    _audit(
        report_id=report.pk,
        user=user,
        action="near_duplicate_keep",
        field="duplicate_of",
        before=report.duplicate_of_id,
        after=None,
    )
    report.duplicate_of = None
    report.save(update_fields=["duplicate_of", "updated_at"])
    return report


@transaction.atomic
def report_near_duplicate_merge(*, report: Report, user: Any) -> NearDuplicateMerge:
    """Merge a flagged copy into the report it duplicates and delete the copy.

    Each reviewed value of the copy (verified, corrected, rejected) is matched to the target's
    value with the same quote (ignoring layout and punctuation), number and unit; an unreviewed
    match receives the same review through the curation services (audited, noted as merged),
    a target value already reviewed keeps its own review. The merge itself is audited on the
    target; the copy's original file goes with it.
    """
    copy = _flagged(report.pk)
    target = Report.objects.select_for_update().get(pk=copy.duplicate_of_id or 0)
    note = f"merged from report {copy.pk} ({copy.filename})"
    carried, unmatched = _reviews_carry(source=copy, target=target, user=user, note=note)
    _audit(
        report_id=target.pk,
        user=user,
        action="near_duplicate_merge",
        field="report",
        before=copy.pk,
        after=target.pk,
        note=note,
    )
    report_delete(report=copy)
    return NearDuplicateMerge(target=target, carried=carried, unmatched=unmatched)


def _audit(
    *,
    report_id: int,
    user: Any,
    action: str,
    field: str,
    before: int | None,
    after: int | None,
    note: str = "",
) -> None:
    events = field_change_events(
        before={field: before},
        after={field: after},
        fields=[field],
        action=action,
        user=user,
        report_id=report_id,
        note=note,
    )
    CurationEvent.objects.bulk_create(events)


def _value_key(value: IndicatorValue) -> tuple[str, str, str]:
    return normalised_text(value.quote), format(value.value.normalize(), "f"), value.unit


def _reviews_carry(*, source: Report, target: Report, user: Any, note: str) -> tuple[int, int]:
    open_values: dict[tuple[str, str, str], list[IndicatorValue]] = {}
    for value in target.indicator_values.filter(status=IndicatorValue.Status.EXTRACTED):
        open_values.setdefault(_value_key(value), []).append(value)
    reviewed = source.indicator_values.filter(status__in=IndicatorValue.REVIEWED).select_related(
        "corrected_definition"
    )
    carried = unmatched = 0
    for value in reviewed.order_by("start_offset", "id"):
        matches = open_values.get(_value_key(value))
        if not matches:
            unmatched += 1
            continue
        _review_copy(source=value, target=matches.pop(0), user=user, note=note)
        carried += 1
    return carried, unmatched


def _review_copy(*, source: IndicatorValue, target: IndicatorValue, user: Any, note: str) -> None:
    status = IndicatorValue.Status
    text = f"{note}; {source.review_note}" if source.review_note else note
    if source.status == status.VERIFIED:
        curation.indicator_value_verify(value=target, user=user)
        curation.indicator_value_note_set(value=target, user=user, note=text)
    elif source.status == status.REJECTED:
        curation.indicator_value_reject(value=target, user=user, note=text)
    else:
        definition = source.corrected_definition
        curation.indicator_value_correct(
            value=target,
            user=user,
            corrected_value=source.corrected_value,
            code=definition.code if definition else None,
            note=text,
        )
