"""Curation: verify, reject and correct extracted indicator values, alone or in bulk.

Every write records its own audit trail: one ``CurationEvent`` per value per changed field (who,
when, field, before → after). Nothing else writes review fields, so the trail is complete; bulk
actions lock their rows first, so each event's ``before`` is what the row held at that moment.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from config.read_generation import api_reads_changed
from indicators.models import CurationEvent, IndicatorDefinition, IndicatorValue
from indicators.services.audit import field_change_events
from reports.errors import ReviewStateError

Status = IndicatorValue.Status
# The audited fields, as they appear in CurationEvent.field.
AUDITED_FIELDS = (
    "status",
    "corrected_value",
    "corrected_definition",
    "review_note",
    "parse_conflict",
)
_SAVED_FIELDS = [
    "status",
    "corrected_value",
    "corrected_definition",
    "review_note",
    "parse_conflict",
    "reviewer",
    "reviewed_at",
    "updated_at",
]


def _number(value: Decimal | None) -> str | None:
    """A Decimal as a JSON-safe string without trailing zeros (52.000000 → "52")."""
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return text


def _snapshot(value: IndicatorValue) -> dict[str, Any]:
    definition = value.corrected_definition
    return {
        "status": value.status,
        "corrected_value": _number(value.corrected_value),
        "corrected_definition": definition.code if definition else None,
        "review_note": value.review_note,
        "parse_conflict": value.parse_conflict,
    }


def _locked(ids: Iterable[int]) -> list[IndicatorValue]:
    return list(
        IndicatorValue.objects.select_for_update(of=("self",))
        .select_related("corrected_definition")
        .filter(pk__in=list(ids))
        .order_by("pk")
    )


def _apply(
    *,
    values: list[IndicatorValue],
    user: Any,
    action: str,
    change: Callable[[IndicatorValue], None],
    note: str = "",
) -> list[IndicatorValue]:
    """Apply ``change`` to each locked value; save and audit the ones whose fields changed."""
    now = timezone.now()
    changed, events = [], []
    for value in values:
        before = _snapshot(value)
        change(value)
        audited = field_change_events(
            before=before,
            after=_snapshot(value),
            fields=AUDITED_FIELDS,
            action=action,
            user=user,
            report_id=value.report_id,
            value=value,
            note=note,
        )
        if not audited:
            continue
        value.reviewer, value.reviewed_at, value.updated_at = user, now, now
        value.full_clean(
            exclude=["report", "section", "definition", "reviewer"],
            validate_unique=False,
            validate_constraints=False,  # enforced by the database's CHECK constraints
        )
        changed.append(value)
        events += audited
    IndicatorValue.objects.bulk_update(changed, _SAVED_FIELDS)
    CurationEvent.objects.bulk_create(events)
    api_reads_changed()
    return changed


def _set_note(value: IndicatorValue, note: str) -> None:
    if note:
        value.review_note = note


def _verify(value: IndicatorValue) -> None:
    if value.status == Status.CORRECTED:
        raise ReviewStateError(
            "A corrected value is already reviewed; correct it again instead.",
            value_id=value.pk,
            status=value.status,
        )
    value.status = Status.VERIFIED


@transaction.atomic
def indicator_value_verify(*, value: IndicatorValue, user: Any) -> IndicatorValue:
    """Mark the extracted reading as right. Verifying a verified value changes nothing."""
    (locked,) = _locked([value.pk])
    _apply(values=[locked], user=user, action="verify", change=_verify)
    return locked


@transaction.atomic
def indicator_value_reject(*, value: IndicatorValue, user: Any, note: str = "") -> IndicatorValue:
    """Mark the value as not an indicator (or wrong beyond correction); it leaves comparisons."""
    (locked,) = _locked([value.pk])

    def change(v: IndicatorValue) -> None:
        v.status = Status.REJECTED
        _set_note(v, note)

    _apply(values=[locked], user=user, action="reject", change=change, note=note)
    return locked


def _definition_for(code: str) -> IndicatorDefinition:
    definition = IndicatorDefinition.objects.filter(code=code).first()
    if definition is None:
        raise ValidationError({"code": [f"Unknown indicator code: {code}"]})
    return definition


def _decimal(number: Any) -> Decimal:
    try:
        result = Decimal(str(number))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"corrected_value": [f"Not a number: {number!r}"]}) from exc
    if not result.is_finite():
        raise ValidationError({"corrected_value": [f"Not a number: {number!r}"]})
    return result


@transaction.atomic
def indicator_value_correct(
    *,
    value: IndicatorValue,
    user: Any,
    corrected_value: Decimal | int | float | str | None = None,
    code: str | None = None,
    note: str = "",
) -> IndicatorValue:
    """Set a corrected number and/or indicator code; the extracted reading is kept beside it."""
    if corrected_value is None and not code:
        raise ValidationError({"corrected_value": ["Give a corrected value or a code."]})
    definition = _definition_for(code) if code else None
    number = _decimal(corrected_value) if corrected_value is not None else None
    (locked,) = _locked([value.pk])

    def change(v: IndicatorValue) -> None:
        if number is not None:
            v.corrected_value = number
        if definition is not None:
            v.corrected_definition = definition
        v.status = Status.CORRECTED
        _set_note(v, note)

    _apply(values=[locked], user=user, action="correct", change=change, note=note)
    return locked


@transaction.atomic
def indicator_values_verify_bulk(*, ids: Iterable[int], user: Any) -> int:
    """Verify many values; corrected and already verified ones are left as they are.

    Returns how many values changed (each gets its own audit events).
    """

    def change(v: IndicatorValue) -> None:
        if v.status not in (Status.CORRECTED, Status.VERIFIED):
            v.status = Status.VERIFIED

    return len(_apply(values=_locked(ids), user=user, action="verify", change=change))


@transaction.atomic
def indicator_values_reject_bulk(*, ids: Iterable[int], user: Any, note: str = "") -> int:
    """Reject many values; returns how many changed (already rejected ones are skipped)."""

    def change(v: IndicatorValue) -> None:
        v.status = Status.REJECTED
        _set_note(v, note)

    return len(_apply(values=_locked(ids), user=user, action="reject", change=change, note=note))


def _accept_conflict(v: IndicatorValue) -> None:
    conflict = v.parse_conflict or {}
    v.parse_conflict = None
    if conflict.get("found") is False:  # the new parse no longer sees this quantity at all
        v.status = Status.REJECTED
        return
    if conflict.get("value") is not None:
        v.corrected_value = _decimal(conflict["value"])
    if "code" in conflict:
        v.corrected_definition = (
            IndicatorDefinition.objects.filter(code=conflict["code"]).first()
            if conflict["code"]
            else None
        )
    if v.corrected_value is None and v.corrected_definition is None:
        v.corrected_value = v.value  # the new parse's reading equals the stored one
    v.status = Status.CORRECTED


@transaction.atomic
def indicator_value_conflict_resolve(
    *, value: IndicatorValue, user: Any, accept: bool, note: str = ""
) -> IndicatorValue:
    """Settle a re-parse disagreement: ``accept`` takes the new parse's value/code as a correction,
    otherwise the curated reading stays. Either way the conflict is cleared and audited."""
    (locked,) = _locked([value.pk])
    if not locked.parse_conflict:
        raise ReviewStateError("This value has no parse conflict.", value_id=locked.pk)

    def keep(v: IndicatorValue) -> None:
        v.parse_conflict = None

    action = "conflict_accept" if accept else "conflict_keep"
    change = _accept_conflict if accept else keep
    _apply(values=[locked], user=user, action=action, change=change, note=note)
    return locked


@transaction.atomic
def indicator_value_note_set(*, value: IndicatorValue, user: Any, note: str) -> IndicatorValue:
    """Change only the review note (audited); the review state stays as it is."""
    (locked,) = _locked([value.pk])

    def change(v: IndicatorValue) -> None:
        v.review_note = note

    _apply(values=[locked], user=user, action="note", change=change, note=note)
    return locked
