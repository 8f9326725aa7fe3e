"""Representations of the indicator catalogue and of extracted indicator values."""

from django.utils import timezone
from rest_framework import serializers

from config.api.fields import NumberField, iso_datetime
from config.formats import json_number
from indicators.models import IndicatorDefinition, IndicatorValue
from reports.api.serializers import ReportBriefSerializer


class IndicatorDefinitionSerializer(serializers.ModelSerializer):
    value_count = serializers.IntegerField(
        read_only=True, help_text="Indicator values currently mapped to this code (not rejected)."
    )

    class Meta:
        model = IndicatorDefinition
        fields = [
            "code",
            "name",
            "unit",
            "kind",
            "category",
            "synonyms",
            "description",
            "value_count",
        ]
        read_only_fields = fields


class IndicatorValueSectionSerializer(serializers.Serializer):
    """The heading a value falls under."""

    id = serializers.IntegerField()
    position = serializers.IntegerField()
    level = serializers.IntegerField()
    marker = serializers.CharField()
    title = serializers.CharField()


class IndicatorValueSerializer(serializers.ModelSerializer):
    code = serializers.CharField(
        source="current_code",
        allow_null=True,
        read_only=True,
        help_text="Catalogue code: the corrected one if a curator changed it.",
    )
    name = serializers.CharField(
        source="current_name", allow_null=True, read_only=True, help_text="The code's name."
    )
    value = NumberField(
        source="current_value", help_text="The corrected value if any, else the extracted one."
    )
    extracted_value = NumberField(source="value", help_text="The value as extracted.")
    report = ReportBriefSerializer(read_only=True)
    section = IndicatorValueSectionSerializer(read_only=True, allow_null=True)

    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            "code",
            "name",
            "subject",
            "value",
            "extracted_value",
            "unit",
            "qualifier",
            "kind",
            "scope",
            "quote",
            "status",
            "confidence",
            "reviewed_at",
            "report",
            "section",
        ]
        read_only_fields = fields

    def to_representation(self, row):
        # Lists render many rows: the documented fields built directly from the row's columns
        # (INDICATOR_VALUE_COLUMNS), without a field object per value (same output).
        return indicator_value_row(row, timezone.get_current_timezone())


def _value_columns(name: str) -> tuple[str, ...]:
    """The columns a field of IndicatorValueSerializer is rendered from: its source, or the
    columns of its nested report or section."""
    nested = {"report": ReportBriefSerializer, "section": IndicatorValueSectionSerializer}
    if name in nested:
        inner = [f for f in nested[name]._declared_fields if f != "id"]
        return (f"{name}_id", *(f"{name}__{f}" for f in inner))
    source = getattr(IndicatorValueSerializer._declared_fields.get(name), "source", None)
    return (source if isinstance(source, str) else name,)


# The columns an indicator value is rendered from (the annotated effective code, name and value,
# and its report's and section's columns), in the order of the fields.
INDICATOR_VALUE_COLUMNS = tuple(
    column for name in IndicatorValueSerializer.Meta.fields for column in _value_columns(name)
)


def indicator_value_row(row, zone=None) -> dict:
    """An indicator value's representation from a mapping of INDICATOR_VALUE_COLUMNS."""
    section_id = row["section_id"]
    return {
        "id": row["id"],
        "code": row["current_code"],
        "name": row["current_name"],
        "subject": row["subject"],
        "value": json_number(row["current_value"]),
        "extracted_value": json_number(row["value"]),
        "unit": row["unit"],
        "qualifier": row["qualifier"],
        "kind": row["kind"],
        "scope": row["scope"],
        "quote": row["quote"],
        "status": row["status"],
        "confidence": row["confidence"],
        "reviewed_at": iso_datetime(row["reviewed_at"], zone),
        "report": {
            "id": row["report_id"],
            "title": row["report__title"],
            "province": row["report__province"],
            "city": row["report__city"],
            "county": row["report__county"],
            "admin_level": row["report__admin_level"],
            "report_year": row["report__report_year"],
        },
        "section": None
        if section_id is None
        else {
            "id": section_id,
            "position": row["section__position"],
            "level": row["section__level"],
            "marker": row["section__marker"],
            "title": row["section__title"],
        },
    }
