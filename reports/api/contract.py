"""A stored report in the shape of the parse contract (docs/parse-contract.md)."""

from rest_framework import serializers

from config.formats import json_number
from reports.models import AdminLevel


class ContractRegionSerializer(serializers.Serializer):
    province = serializers.CharField(allow_null=True)
    city = serializers.CharField(allow_null=True)
    county = serializers.CharField(allow_null=True)


class ContractSectionSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    marker = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField()


class ContractIndicatorSerializer(serializers.Serializer):
    quote = serializers.CharField()
    subject = serializers.CharField()
    value = serializers.FloatField()
    unit = serializers.CharField()
    qualifier = serializers.CharField(allow_null=True)
    code = serializers.CharField(allow_null=True)
    section = serializers.IntegerField(allow_null=True, help_text="Index into `sections`.")


class ReportContractSerializer(serializers.Serializer):
    """A report's parse in the parse-contract shape (curated values; rejected ones left out)."""

    file = serializers.CharField()
    title = serializers.CharField(allow_null=True)
    issuer = serializers.CharField(allow_null=True)
    region = ContractRegionSerializer()
    admin_level = serializers.ChoiceField(choices=AdminLevel.choices, allow_null=True)
    report_year = serializers.IntegerField(allow_null=True)
    published_on = serializers.DateField(allow_null=True)
    sections = ContractSectionSerializer(many=True)
    indicators = ContractIndicatorSerializer(many=True)


def report_contract(report) -> dict:
    """The parse-contract structure of a stored report (sections and indicators prefetched as
    ``section_list`` and ``indicator_list``)."""
    index_of = {s.id: i for i, s in enumerate(report.section_list)}
    return {
        "file": report.filename,
        "title": report.title or None,
        "issuer": report.issuer or None,
        "region": {
            "province": report.province or None,
            "city": report.city or None,
            "county": report.county or None,
        },
        "admin_level": report.admin_level or None,
        "report_year": report.report_year,
        "published_on": report.published_on,
        "sections": [
            {"level": s.level, "marker": s.marker, "title": s.title, "text": s.text}
            for s in report.section_list
        ],
        "indicators": [
            {
                "quote": v.quote,
                "subject": v.subject,
                "value": json_number(v.effective_value),
                "unit": v.unit,
                "qualifier": v.qualifier or None,
                "code": v.current_code,
                "section": index_of.get(v.section_id),
            }
            for v in report.indicator_list
        ],
    }
