"""Serializers of the curation, comparison and coverage endpoints (names unique in OpenAPI)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.formats import json_number
from indicators.models import CurationEvent, IndicatorValue


class CurationRejectInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CurationCorrectInputSerializer(serializers.Serializer):
    corrected_value = serializers.DecimalField(
        max_digits=24, decimal_places=6, required=False, allow_null=True, default=None
    )
    code = serializers.SlugField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if attrs["corrected_value"] is None and not attrs["code"]:
            raise serializers.ValidationError("Give a corrected_value, a code, or both.")
        return attrs


class CurationConflictInputSerializer(serializers.Serializer):
    accept = serializers.BooleanField(help_text="true: take the new parse's reading; false: keep.")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CurationValueSerializer(serializers.ModelSerializer):
    code = serializers.CharField(
        source="definition.code", default=None, allow_null=True, read_only=True
    )
    corrected_code = serializers.CharField(
        source="corrected_definition.code", default=None, allow_null=True, read_only=True
    )
    effective_value = serializers.DecimalField(max_digits=24, decimal_places=6, read_only=True)
    effective_code = serializers.SerializerMethodField()
    reviewer = serializers.CharField(source="reviewer.username", default=None, read_only=True)

    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            "report",
            "subject",
            "quote",
            "value",
            "unit",
            "code",
            "confidence",
            "status",
            "corrected_value",
            "corrected_code",
            "effective_value",
            "effective_code",
            "reviewer",
            "reviewed_at",
            "review_note",
            "parse_conflict",
        ]
        read_only_fields = fields

    def get_effective_code(self, obj: IndicatorValue) -> str | None:
        definition = obj.effective_definition
        return definition.code if definition else None


class CurationEventSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", default=None, read_only=True)

    class Meta:
        model = CurationEvent
        fields = [
            "id",
            "value",
            "report",
            "user",
            *CurationEvent.CHANGE_FIELDS,
            "note",
            "created_at",
        ]
        read_only_fields = fields


class ComparisonQuerySerializer(serializers.Serializer):
    code = serializers.SlugField()
    year = serializers.IntegerField(required=False, min_value=1990, max_value=2100)
    province = serializers.CharField(required=False, allow_blank=True, default="")
    city = serializers.CharField(required=False, allow_blank=True, default="")
    county = serializers.CharField(required=False, allow_blank=True, default="")
    admin_level = serializers.CharField(required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if attrs.get("year") is None and not any(attrs[k] for k in ("province", "city", "county")):
            raise serializers.ValidationError(
                "Give year= (regions compared) or province=/city=/county= (a series)."
            )
        return attrs


class ComparisonPointSerializer(serializers.Serializer):
    region = serializers.CharField()
    province = serializers.CharField()
    city = serializers.CharField()
    county = serializers.CharField()
    admin_level = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    value = serializers.DecimalField(max_digits=24, decimal_places=6, coerce_to_string=False)
    unit = serializers.CharField()
    source = serializers.ChoiceField(choices=["curated", "extracted"])  # type: ignore[assignment]
    status = serializers.CharField()
    value_id = serializers.IntegerField()
    report_id = serializers.IntegerField()
    report_title = serializers.CharField()
    quote = serializers.CharField()
    reviewer = serializers.CharField()
    reviewed_at = serializers.DateTimeField(allow_null=True)


class ComparisonSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    mode = serializers.ChoiceField(choices=["regions", "series"])
    points = ComparisonPointSerializer(many=True)

    def to_representation(self, instance) -> dict:
        """The declared shape, built directly: a comparison can hold thousands of points."""
        return {
            "code": instance.code,
            "name": instance.name,
            "unit": instance.unit,
            "mode": instance.mode,
            "points": [_point_data(p) for p in instance.points],
        }


def _point_data(p) -> dict:
    return {
        "region": p.region,
        "province": p.province,
        "city": p.city,
        "county": p.county,
        "admin_level": p.admin_level,
        "year": p.year,
        "value": json_number(p.value),
        "unit": p.unit,
        "source": p.source,
        "status": p.status,
        "value_id": p.value_id,
        "report_id": p.report_id,
        "report_title": p.report_title,
        "quote": p.quote,
        "reviewer": p.reviewer,
        "reviewed_at": timezone.localtime(p.reviewed_at).isoformat() if p.reviewed_at else None,
    }


class CoverageQuerySerializer(serializers.Serializer):
    year_from = serializers.IntegerField(required=False, min_value=1990, max_value=2100)
    year_to = serializers.IntegerField(required=False, min_value=1990, max_value=2100)
    admin_level = serializers.CharField(required=False, allow_blank=True, default="")
    province = serializers.CharField(required=False, allow_blank=True, default="")


class CoverageCellSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    reports = serializers.IntegerField()
    published_on = serializers.DateField(allow_null=True)
    deadline = serializers.DateField()
    days_after_deadline = serializers.IntegerField(allow_null=True)
    status = serializers.ChoiceField(choices=["on_time", "late", "undated"])


class CoverageRowSerializer(serializers.Serializer):
    region = serializers.CharField()
    province = serializers.CharField()
    city = serializers.CharField()
    county = serializers.CharField()
    admin_level = serializers.CharField()
    cells = serializers.SerializerMethodField()

    @extend_schema_field(CoverageCellSerializer(many=True))
    def get_cells(self, row) -> list[dict]:
        return [
            CoverageCellSerializer({"year": year, **_cell(cell)}).data
            for year, cell in sorted(row.cells.items())
        ]


def _cell(cell) -> dict:
    return {
        "reports": cell.reports,
        "published_on": cell.published_on,
        "deadline": cell.deadline,
        "days_after_deadline": cell.days_after_deadline,
        "status": cell.status,
    }


class CoverageSerializer(serializers.Serializer):
    years = serializers.ListField(child=serializers.IntegerField())
    rows = CoverageRowSerializer(many=True)

    def to_representation(self, instance) -> dict:
        """The declared shape, built directly: a grid can hold thousands of cells."""
        return {
            "years": list(instance.years),
            "rows": [
                {
                    "region": row.region,
                    "province": row.province,
                    "city": row.city,
                    "county": row.county,
                    "admin_level": row.admin_level,
                    "cells": [
                        {"year": year, **_cell_data(cell)}
                        for year, cell in sorted(row.cells.items())
                    ],
                }
                for row in instance.rows
            ],
        }


def _cell_data(cell) -> dict:
    return {
        "reports": cell.reports,
        "published_on": cell.published_on.isoformat() if cell.published_on else None,
        "deadline": cell.deadline.isoformat(),
        "days_after_deadline": cell.days_after_deadline,
        "status": cell.status,
    }
