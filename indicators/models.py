from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce


class IndicatorDefinition(models.Model):
    """One canonical indicator of the catalogue (seeds/catalogue.json)."""

    class Kind(models.TextChoices):
        COUNT = "count", "count"
        RATE = "rate", "rate"
        MONEY = "money", "money"
        CHANGE = "change", "change"

    code = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=40)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    category = models.CharField(max_length=10, blank=True, help_text="Report area S1–S7.")
    synonyms = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    patterns = models.JSONField(
        default=list, blank=True, help_text="Phrasing patterns for mapping."
    )
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["category", "code"]

    def __str__(self) -> str:
        return f"{self.code} ({self.name})"


# The effective reading of a value: the curator's correction where there is one, else what was
# extracted. In SQL written by hand, ``effective_sql("v", "value")`` is the same.
EFFECTIVE_ANNOTATIONS = {
    "current_code": ("corrected_definition__code", "definition__code"),
    "current_name": ("corrected_definition__name", "definition__name"),
    "current_value": ("corrected_value", "value"),
}


def effective_sql(alias: str, column: str) -> str:
    """The effective ``column`` (``value`` or ``definition_id``) of the value table aliased
    ``alias``, as an SQL expression."""
    return f"COALESCE({alias}.corrected_{column}, {alias}.{column})"


class IndicatorValueQuerySet(models.QuerySet):
    def with_effective(self, *names: str) -> IndicatorValueQuerySet:
        """Annotate the effective code, name and value (``current_code``, ``current_name``,
        ``current_value``), or only the ``names`` given."""
        chosen = names or tuple(EFFECTIVE_ANNOTATIONS)
        return self.annotate(
            **{name: Coalesce(*map(F, EFFECTIVE_ANNOTATIONS[name])) for name in chosen}
        )

    def mapped_to(self, definition, *, lookup: str = "exact") -> IndicatorValueQuerySet:
        """Values whose effective definition id matches ``definition`` (an id or an expression;
        a list of ids with ``lookup="in"``)."""
        return self.filter(
            Q(**{f"corrected_definition_id__{lookup}": definition})
            | Q(corrected_definition_id__isnull=True, **{f"definition_id__{lookup}": definition})
        )

    def in_queue_of(self, definition) -> IndicatorValueQuerySet:
        """``mapped_to(definition)`` spelt as the expression of ``indicatorvalue_code_queue_idx``
        (the effective definition id, then the review queue's order), so that one code's values
        in the queue's order are a range of that index. ``mapped_to``'s OR reads the values of
        other codes as it walks the queue."""
        return self.alias(
            effective_definition_id=Coalesce(F("corrected_definition_id"), F("definition_id"))
        ).filter(effective_definition_id=definition)


class IndicatorValue(models.Model):
    """One quantity found in a report, with its review state."""

    class Status(models.TextChoices):
        EXTRACTED = "extracted", "extracted"
        VERIFIED = "verified", "verified"
        CORRECTED = "corrected", "corrected"
        REJECTED = "rejected", "rejected"

    REVIEWED = (Status.VERIFIED, Status.CORRECTED, Status.REJECTED)

    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, related_name="indicator_values"
    )
    section = models.ForeignKey(
        "reports.Section",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicator_values",
    )
    definition = models.ForeignKey(
        IndicatorDefinition, null=True, blank=True, on_delete=models.SET_NULL, related_name="values"
    )
    subject = models.CharField(max_length=500)
    value = models.DecimalField(max_digits=24, decimal_places=6)
    unit = models.CharField(max_length=40)
    qualifier = models.CharField(max_length=40, blank=True)
    numeral = models.CharField(max_length=10, default="arabic")
    kind = models.CharField(max_length=10, default="count")
    scope = models.CharField(max_length=20, default="annual")
    quote = models.CharField(max_length=1000)
    start_offset = models.PositiveIntegerField()
    end_offset = models.PositiveIntegerField()
    confidence = models.FloatField(default=0.0)
    parser_version = models.CharField(max_length=20, blank=True)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.EXTRACTED)
    corrected_value = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    corrected_definition = models.ForeignKey(
        IndicatorDefinition, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    # Where a re-parse disagrees with a reviewed value: what the parser says now (for review).
    parse_conflict = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        ordering = ["report_id", "start_offset", "id"]
        indexes = [
            models.Index(fields=["definition", "status"]),
            models.Index(fields=["status"]),
            models.Index(fields=["report", "start_offset"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_offset__gte=models.F("start_offset")), name="value_offsets_ordered"
            ),
            models.CheckConstraint(
                condition=~Q(status="corrected")
                | Q(corrected_value__isnull=False)
                | Q(corrected_definition__isnull=False),
                name="corrected_has_correction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.value}{self.unit}"

    @property
    def effective_value(self):
        return self.corrected_value if self.corrected_value is not None else self.value

    @property
    def effective_definition(self):
        return self.corrected_definition or self.definition


class CurationEvent(models.Model):
    """The audit trail: one row per changed field of a curation action (who, when, before/after)."""

    # What changed, as every view of the trail shows it.
    CHANGE_FIELDS = ("action", "field", "before", "after")

    value = models.ForeignKey(
        IndicatorValue, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    report = models.ForeignKey(
        "reports.Report",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="curation_events",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40)
    field = models.CharField(max_length=60, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.field}: {self.before!r} → {self.after!r}"
