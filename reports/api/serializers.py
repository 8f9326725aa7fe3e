"""Representations of reports, sections and ingestion jobs (module-level, unique names)."""

from typing import Any

from django.conf import settings
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.api.fields import NumberField, iso_date, iso_datetime
from config.formats import json_number
from reports.models import JOB_COUNTERS, AdminLevel, IngestionJob, IngestionOutcome, Report, Section

ADMIN_LEVEL_CHOICES = [("", "unknown"), *AdminLevel.choices]


# ---------------------------------------------------------------------------------------------
# Reports


class ReportListSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_name", read_only=True)
    admin_level = serializers.CharField(
        read_only=True,
        help_text="province, city, county, township, department, development_zone; "
        "empty when unknown.",
    )
    section_count = serializers.IntegerField(read_only=True)
    indicator_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Report
        fields = [
            "id",
            "title",
            "issuer",
            "province",
            "city",
            "county",
            "region",
            "admin_level",
            "report_year",
            "published_on",
            "status",
            "filename",
            "source_format",
            "section_count",
            "indicator_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def to_representation(self, row):
        # Lists render many rows: the documented fields built directly from the row's columns
        # (REPORT_LIST_COLUMNS), without a field object per value (same output, much faster).
        return report_summary(row, timezone.get_current_timezone())


# The columns a report summary is built from (with the annotated counts): the listed fields but
# the region, which report_summary composes from province, city and county.
REPORT_LIST_COLUMNS = tuple(f for f in ReportListSerializer.Meta.fields if f != "region")


def report_summary(row, zone=None) -> dict:
    """A report's list representation from a mapping of REPORT_LIST_COLUMNS."""
    region = "".join(p for p in (row["province"], row["city"], row["county"]) if p)
    return {
        "id": row["id"],
        "title": row["title"],
        "issuer": row["issuer"],
        "province": row["province"],
        "city": row["city"],
        "county": row["county"],
        "region": region,
        "admin_level": row["admin_level"],
        "report_year": row["report_year"],
        "published_on": iso_date(row["published_on"]),
        "status": row["status"],
        "filename": row["filename"],
        "source_format": row["source_format"],
        "section_count": row["section_count"],
        "indicator_count": row["indicator_count"],
        "created_at": iso_datetime(row["created_at"], zone),
        "updated_at": iso_datetime(row["updated_at"], zone),
    }


class SectionNodeSerializer(serializers.Serializer):
    """One heading of the section tree, with its sub-headings."""

    id = serializers.IntegerField()
    position = serializers.IntegerField(help_text="Index in document order, from 0.")
    level = serializers.IntegerField(help_text="1 一、  2 （一）  3 1.  4 （1）")
    marker = serializers.CharField()
    title = serializers.CharField()


# The tree is recursive: children are nodes themselves.
SectionNodeSerializer._declared_fields["children"] = SectionNodeSerializer(
    many=True, read_only=True
)


class ReportIndicatorSerializer(serializers.Serializer):
    """An indicator value as listed inside its report (effective value and code)."""

    id = serializers.IntegerField()
    code = serializers.CharField(source="current_code", allow_null=True)
    subject = serializers.CharField()
    value = NumberField(
        source="effective_value", help_text="Corrected value if any, else extracted."
    )
    unit = serializers.CharField()
    qualifier = serializers.CharField()
    quote = serializers.CharField()
    section = serializers.IntegerField(source="section_id", allow_null=True)
    status = serializers.CharField()
    confidence = serializers.FloatField()


class ReportDetailSerializer(ReportListSerializer):
    source_url = serializers.CharField(read_only=True, help_text="Where the report was found.")
    sections = serializers.SerializerMethodField(help_text="The section tree in document order.")
    indicators = ReportIndicatorSerializer(many=True, read_only=True, source="indicator_list")

    class Meta(ReportListSerializer.Meta):
        fields = [
            *ReportListSerializer.Meta.fields,
            "source_url",
            "content_type",
            "encoding",
            "size_bytes",
            "raw_sha256",
            "text_sha256",
            "duplicate_of",
            "duplicate_similarity",
            "job",
            "metadata_overrides",
            "error_code",
            "error_message",
            "parser_version",
            "parsed_at",
            "sections",
            "indicators",
        ]
        read_only_fields = fields

    @extend_schema_field(SectionNodeSerializer(many=True))
    def get_sections(self, row) -> list[dict]:
        return section_tree(row["section_list"])

    def to_representation(self, row):
        # From a mapping of REPORT_DETAIL_COLUMNS with ``section_list`` (SECTION_NODE_COLUMNS)
        # and ``indicator_list`` (REPORT_INDICATOR_COLUMNS) rows, as report_detail_row gives.
        zone = timezone.get_current_timezone()
        data = report_summary(row, zone)
        data.update({name: row[name] for name in REPORT_DETAIL_ONLY_COLUMNS})
        data["job"] = data.pop("job_id")
        data["parsed_at"] = iso_datetime(row["parsed_at"], zone)
        data["sections"] = section_tree(row["section_list"])
        data["indicators"] = [
            {
                "id": v["id"],
                "code": v["current_code"],
                "subject": v["subject"],
                "value": json_number(v["current_value"]),
                "unit": v["unit"],
                "qualifier": v["qualifier"],
                "quote": v["quote"],
                "section": v["section_id"],
                "status": v["status"],
                "confidence": v["confidence"],
            }
            for v in row["indicator_list"]
        ]
        return data


# The detail's own fields read as stored: all but those built here, ``job`` under its column.
REPORT_DETAIL_ONLY_COLUMNS = tuple(
    "job_id" if f == "job" else f
    for f in ReportDetailSerializer.Meta.fields[len(ReportListSerializer.Meta.fields) :]
    if f not in ("parsed_at", "sections", "indicators")
)
REPORT_DETAIL_COLUMNS = (*REPORT_LIST_COLUMNS, *REPORT_DETAIL_ONLY_COLUMNS, "parsed_at")
SECTION_NODE_COLUMNS = (
    *(name for name in SectionNodeSerializer._declared_fields if name != "children"),
    "parent_id",
)
REPORT_INDICATOR_COLUMNS = (
    "id",
    "current_code",
    "subject",
    "current_value",
    "unit",
    "qualifier",
    "quote",
    "section_id",
    "status",
    "confidence",
)


def section_tree(sections) -> list[dict]:
    """Nest section rows (SECTION_NODE_COLUMNS, in document order) under their parents."""
    nodes = {
        s["id"]: {
            "id": s["id"],
            "position": s["position"],
            "level": s["level"],
            "marker": s["marker"],
            "title": s["title"],
            "children": [],
        }
        for s in sections
    }
    roots: list[dict[str, Any]] = []
    for s in sections:
        parent = nodes.get(s["parent_id"])
        (parent["children"] if parent else roots).append(nodes[s["id"]])
    return roots


class ReportMetadataUpdateInputSerializer(serializers.Serializer):
    """Metadata a curator sets; every field given is pinned against re-parsing."""

    title = serializers.CharField(max_length=500, required=False, allow_blank=True)
    issuer = serializers.CharField(max_length=200, required=False, allow_blank=True)
    province = serializers.CharField(max_length=50, required=False, allow_blank=True)
    city = serializers.CharField(max_length=50, required=False, allow_blank=True)
    county = serializers.CharField(max_length=100, required=False, allow_blank=True)
    admin_level = serializers.ChoiceField(choices=ADMIN_LEVEL_CHOICES, required=False)
    report_year = serializers.IntegerField(
        min_value=1990, max_value=2100, required=False, allow_null=True
    )
    published_on = serializers.DateField(required=False, allow_null=True)
    source_url = serializers.URLField(max_length=1000, required=False, allow_blank=True)

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError("Give at least one metadata field.")
        return attrs


class ReportUploadInputSerializer(serializers.Serializer):
    """One or many report files (txt, html, docx, pdf) or zip archives, with optional metadata
    applied to every report of the upload."""

    files = serializers.ListField(
        child=serializers.FileField(allow_empty_file=False, use_url=False),
        allow_empty=False,
        help_text="Repeat the `files` part once per file. Limits: UPLOAD_MAX_FILES files, "
        "UPLOAD_MAX_FILE_BYTES bytes each.",
    )
    title = serializers.CharField(max_length=500, required=False)
    issuer = serializers.CharField(max_length=200, required=False)
    province = serializers.CharField(max_length=50, required=False)
    city = serializers.CharField(max_length=50, required=False)
    county = serializers.CharField(max_length=100, required=False)
    admin_level = serializers.ChoiceField(choices=AdminLevel.choices, required=False)
    report_year = serializers.IntegerField(min_value=1990, max_value=2100, required=False)
    published_on = serializers.DateField(required=False)
    source_url = serializers.URLField(max_length=1000, required=False)

    def validate_files(self, files):
        if len(files) > settings.UPLOAD_MAX_FILES:
            raise serializers.ValidationError(f"At most {settings.UPLOAD_MAX_FILES} files.")
        return files

    def to_service_kwargs(self) -> dict:
        data = dict(self.validated_data)
        files = data.pop("files")
        return {"files": files, "metadata": data or None}


class ReportReparseInputSerializer(serializers.Serializer):
    report_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        max_length=10_000,
    )
    failed_only = serializers.BooleanField(required=False, default=False)
    all_reports = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs):
        if not (attrs.get("report_ids") or attrs["failed_only"] or attrs["all_reports"]):
            raise serializers.ValidationError("Name report_ids, or set failed_only or all_reports.")
        return attrs


class ReparseQueuedSerializer(serializers.Serializer):
    queued = serializers.IntegerField(help_text="How many reports were queued for parsing.")


# ---------------------------------------------------------------------------------------------
# Sections


class SectionSerializer(serializers.ModelSerializer):
    path = serializers.SerializerMethodField(
        help_text="Headings from the top level down to this one, each marker + title."
    )
    report_title = serializers.CharField(source="report.title", read_only=True)

    class Meta:
        model = Section
        fields = [
            "id",
            "report",
            "report_title",
            "parent",
            "position",
            "level",
            "marker",
            "title",
            "path",
            "text",
            "start_offset",
            "end_offset",
            "edited_by_curator",
        ]
        read_only_fields = fields

    def get_path(self, section) -> list[str]:
        chain = []
        node = section
        while node is not None:
            chain.append(f"{node.marker}{node.title}")
            node = node.parent if node.parent_id else None
        return chain[::-1]


# ---------------------------------------------------------------------------------------------
# Ingestion jobs


class IngestionOutcomeSerializer(serializers.ModelSerializer):
    duplicate_of = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        default=None,
        help_text="For `near_duplicate`: the report this file's report is possibly a copy of.",
    )

    class Meta:
        model = IngestionOutcome
        fields = [
            "id",
            "filename",
            "status",
            "code",
            "message",
            "report",
            "duplicate_of",
            "created_at",
        ]
        read_only_fields = fields


class IngestionJobSerializer(serializers.ModelSerializer):
    done = serializers.SerializerMethodField(help_text="True once the job will change no more.")

    class Meta:
        model = IngestionJob
        fields = [
            "id",
            "source",
            "label",
            "status",
            "done",
            *JOB_COUNTERS,
            "started_at",
            "finished_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_done(self, job) -> bool:
        return job.status in (IngestionJob.Status.FINISHED, IngestionJob.Status.FAILED)


class IngestionJobDetailSerializer(IngestionJobSerializer):
    outcomes = IngestionOutcomeSerializer(many=True, read_only=True)

    class Meta(IngestionJobSerializer.Meta):
        fields = [*IngestionJobSerializer.Meta.fields, "outcomes"]
        read_only_fields = fields


class ReportBriefSerializer(serializers.Serializer):
    """A report named in another resource: id, title, region, level, year."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    province = serializers.CharField()
    city = serializers.CharField()
    county = serializers.CharField()
    admin_level = serializers.CharField()
    report_year = serializers.IntegerField(allow_null=True)
