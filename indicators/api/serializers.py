"""Representations of the indicator catalogue and of extracted indicator values."""

from rest_framework import serializers

from indicators.models import IndicatorDefinition, IndicatorValue
from reports.api.serializers import NumberField, ReportBriefSerializer, as_number, iso_datetime


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

    def to_representation(self, value):
        # Lists render many rows: the documented fields built directly (same output).
        report, section = value.report, value.section
        return {
            "id": value.id,
            "code": value.current_code,
            "name": value.current_name,
            "subject": value.subject,
            "value": as_number(value.current_value),
            "extracted_value": as_number(value.value),
            "unit": value.unit,
            "qualifier": value.qualifier,
            "kind": value.kind,
            "scope": value.scope,
            "quote": value.quote,
            "status": value.status,
            "confidence": value.confidence,
            "reviewed_at": iso_datetime(value.reviewed_at),
            "report": {
                "id": report.id,
                "title": report.title,
                "province": report.province,
                "city": report.city,
                "county": report.county,
                "admin_level": report.admin_level,
                "report_year": report.report_year,
            },
            "section": None
            if section is None
            else {
                "id": section.id,
                "position": section.position,
                "level": section.level,
                "marker": section.marker,
                "title": section.title,
            },
        }
