"""The catalogue as data, code mapping over the sample corpus, and remapping after a change."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from indicators.models import IndicatorDefinition, IndicatorValue
from indicators.selectors import indicator_unmapped_subjects
from indicators.services.catalogue import catalogue_seed, seeded_catalogue_rows
from indicators.services.curation import indicator_value_verify
from indicators.services.remap import indicator_values_remap
from reports.models import Section
from tests.curation_support import (
    CORPUS_DIR,
    curator_make,
    ingest_and_parse,
    number_offset,
    report_make,
    value_add,
    value_at,
)

pytestmark = pytest.mark.django_db

SEED_FILE = Path(__file__).parents[2] / "seeds" / "catalogue.json"


def test_migration_loads_every_seed_indicator():
    """After migrate, every indicator of seeds/catalogue.json is stored with its fields."""
    seeds = json.loads(SEED_FILE.read_text("utf-8"))["indicators"]
    assert set(IndicatorDefinition.objects.values_list("code", flat=True)) == {
        s["code"] for s in seeds
    }
    received = IndicatorDefinition.objects.get(code="reconsideration_received")
    assert (received.name, received.unit, received.kind, received.category) == (
        "行政复议申请收件数",
        "件",
        "count",
        "S6",
    )


def test_catalogue_seed_is_idempotent():
    """Loading the seeds again writes nothing and leaves every row untouched."""
    before = dict(IndicatorDefinition.objects.values_list("code", "updated_at"))
    assert catalogue_seed() == 0
    assert dict(IndicatorDefinition.objects.values_list("code", "updated_at")) == before


def test_catalogue_seed_adds_new_codes_and_updates_changed_ones():
    """A new code is inserted and a changed name is updated; the rest stay as they were."""
    rows = seeded_catalogue_rows()
    rows[0] = {**rows[0], "name": rows[0]["name"] + "(修订)"}
    rows.append(
        {
            "code": "civil_cases",
            "name": "民事诉讼案件数",
            "unit": "件",
            "kind": "count",
            "category": "S6",
            "synonyms": ["民事诉讼案件"],
        }
    )
    assert catalogue_seed(rows=rows) == 2
    assert IndicatorDefinition.objects.get(code=rows[0]["code"]).name.endswith("(修订)")
    assert IndicatorDefinition.objects.filter(code="civil_cases").exists()


def test_load_catalog_command_reports_what_it_wrote():
    """`seed_catalogue` prints the number of indicators and of rows written (none the 2nd time)."""
    out = StringIO()
    call_command("seed_catalogue", stdout=out)
    assert f"{len(seeded_catalogue_rows())} indicators, 0 created or updated" in out.getvalue()


# Expectations read from the reports' text: (phrase in the text, the number in it, code).
EXPECTED_CODES = {
    "003_4a080416cfef067e.txt": [
        ("共收到行政复议案件52件", "52", "reconsideration_received"),
        ("依法受理32件", "32", "reconsideration_accepted"),
        ("经和解调解后撤回20件", "20", "reconsideration_mediated_withdrawn"),
        ("收到行政应诉案件3件", "3", "litigation_cases"),
        ("受理矛盾纠纷调解案件706件", "706", "people_mediation_cases"),
        ("调解成功率100%", "100", "mediation_success_rate"),
        ("受理法律援助案件734件", "734", "legal_aid_cases"),
        ("审批事项时限压缩比达93.5%", "93.5", "approval_time_reduction_rate"),
        ("案卷合格率达87.5%", "87.5", "enforcement_file_pass_rate"),
        ("收到依申请公开政府信息59件", "59", "info_disclosure_requests"),
        ("行政处罚案件932宗", "932", "penalty_cases"),
        ("发出检察建议6份", "6", "judicial_recommendations"),
        ("参考率达98.61%", "98.61", "staff_law_exam_rate"),
    ],
    "000_21c7d6ccdca8baa6.txt": [
        ("依申请政务服务事项网上可办率达100%", "100", "online_service_rate"),
        ("第三方评价满意率达99%以上", "99", "service_satisfaction_rate"),
        ("开展公平竞争审查4次", "4", "fair_competition_reviews"),
        ("有效接访率100%", "100", "petition_resolution_rate"),
        ("年度应诉行政诉讼案件23件", "23", "litigation_cases"),
    ],
    "002_386134580bdd984c.txt": [
        ("报备率达100%", "100", "normative_docs_filing_rate"),
        ("废止的县政府行政规范性文件42件", "42", "normative_docs_abolished"),
    ],
}
# Quantities a person would leave without a code: no catalogue indicator measures them.
EXPECTED_UNMAPPED = {
    "000_21c7d6ccdca8baa6.txt": [
        ("民事诉讼案件8件", "8"),
        ("仲裁案件3件", "3"),
        ("年内编印执法工具书196本", "196"),
    ],
    "003_4a080416cfef067e.txt": [("办理人大建议43件", "43")],
}


@pytest.mark.parametrize("filename", sorted(EXPECTED_CODES))
def test_mapping_on_the_sample_corpus_gives_the_codes_a_person_would(filename):
    """Ingested and parsed, each report's key figures carry the catalogue code a reader assigns,
    and figures outside the catalogue stay free values (no code)."""
    report = ingest_and_parse(CORPUS_DIR / filename)
    text = report.raw_text
    got, want = {}, {}
    for phrase, number, code in EXPECTED_CODES[filename]:
        row = value_at(report, number_offset(text, phrase, number))
        got[phrase] = (
            (row.value, row.definition.code if row and row.definition else None) if row else None
        )
        want[phrase] = (Decimal(number), code)
    for phrase, number in EXPECTED_UNMAPPED.get(filename, []):
        row = value_at(report, number_offset(text, phrase, number))
        got[phrase] = row.definition if row else "not extracted"
        want[phrase] = None
    assert got == want


def test_rates_sharing_one_figure_give_one_value_per_subject():
    """ "…办结率均为100%" after three subjects yields three 100 % rows, each a resolution rate."""
    report = ingest_and_parse(CORPUS_DIR / "000_21c7d6ccdca8baa6.txt")
    offset = number_offset(report.raw_text, "办结率均为100%", "100")
    rows = IndicatorValue.objects.filter(
        report=report, start_offset__lte=offset, end_offset__gt=offset, unit="%"
    ).select_related("definition")
    assert (
        sorted((r.value, r.definition.code if r.definition else None) for r in rows)
        == [(Decimal(100), "petition_resolution_rate")] * 3
    )


def test_remap_applies_a_catalogue_change_to_stored_values_without_reparsing():
    """A new catalogue indicator reaches stored values through remap: same rows, same sections,
    and the figure it describes gets its code."""
    report = ingest_and_parse(CORPUS_DIR / "000_21c7d6ccdca8baa6.txt")
    civil = value_at(report, number_offset(report.raw_text, "民事诉讼案件8件", "8"))
    assert civil is not None
    assert civil.definition is None
    ids = set(IndicatorValue.objects.filter(report=report).values_list("id", flat=True))
    section_ids = set(Section.objects.filter(report=report).values_list("id", flat=True))
    catalogue_seed(
        rows=[
            {
                "code": "civil_litigation_cases",
                "name": "民事诉讼案件数",
                "unit": "件",
                "kind": "count",
                "category": "S6",
                "synonyms": ["民事诉讼案件N件"],
                "patterns": ["民事诉讼案件"],  # a subject pattern, with the indicator's unit
            }
        ]
    )
    assert indicator_values_remap() >= 1
    civil.refresh_from_db()
    assert civil.definition.code == "civil_litigation_cases"
    assert set(IndicatorValue.objects.filter(report=report).values_list("id", flat=True)) == ids
    assert set(Section.objects.filter(report=report).values_list("id", flat=True)) == section_ids
    assert indicator_values_remap() == 0  # nothing left to change


def test_remap_keeps_a_code_the_parser_read_from_the_context():
    """A figure coded by its sentence's topic (组织对2个市州…开展督察) keeps its code through a
    remap, which sees the stored value but not its paragraph."""
    report = ingest_and_parse(CORPUS_DIR / "a03.txt")
    inspected = value_at(report, number_offset(report.raw_text, "组织对2个市州", "2"))
    assert inspected.definition.code == "rule_of_law_inspections"
    indicator_values_remap()
    inspected.refresh_from_db()
    assert inspected.definition.code == "rule_of_law_inspections"


def test_remap_keeps_the_code_of_a_verified_value(django_user_model):
    """A verified value keeps its code when a remap would map it differently."""
    report = report_make(province="江苏省", city="南通市", year=2022)
    wrong = value_add(report, code="legal_aid_cases", value=8, subject="民事诉讼案件")
    other = value_add(report, code="legal_aid_cases", value=9, subject="民事诉讼案件", start=20)
    indicator_value_verify(value=wrong, user=curator_make(django_user_model))
    indicator_values_remap()
    wrong.refresh_from_db()
    other.refresh_from_db()
    assert wrong.definition.code == "legal_aid_cases"
    assert other.definition is None or other.definition.code != "legal_aid_cases"


def test_unmapped_subjects_are_listed_most_frequent_first(django_user_model):
    """Free values are grouped by subject and unit, most frequent first; rejected and mapped ones
    are left out."""
    report = report_make(province="浙江省", city="金华市", county="浦江县", year=2022)
    for i in range(3):
        value_add(report, code=None, value=i + 1, subject="办理人大建议", start=10 * i)
    value_add(report, code=None, value=5, subject="政协提案", start=40)
    value_add(report, code="legal_aid_cases", value=7, subject="法律援助案件", start=50)
    rejected = value_add(report, code=None, value=9, subject="编号", unit="个", start=60)
    from indicators.services.curation import indicator_value_reject

    indicator_value_reject(value=rejected, user=curator_make(django_user_model))
    listed = [(r["subject"], r["unit"], r["count"]) for r in indicator_unmapped_subjects()]
    assert listed == [("办理人大建议", "件", 3), ("政协提案", "件", 1)]


ADDITIONS_FILE = SEED_FILE.parent / "catalogue_additions.json"
# What a reader maps with the corpus-derived additions: (phrase, number, code, value).
EXPECTED_WITH_ADDITIONS = [
    ("办理人大建议43件", "43", "npc_cppcc_proposals", "43"),
    ("政协提案112件", "112", "npc_cppcc_proposals", "112"),
    ("调处成功706件", "706", "mediation_successful_cases", "706"),
    ("开展矛盾纠纷排查1282次", "1282", "dispute_screenings", "1282"),
    ("普法宣传资料3万多份", "3", "law_publicity_materials", "30000"),
    ("发布政府信息5085条", "5085", "info_published", "5085"),
    ("受理法律援助案件734件", "734", "legal_aid_cases", "734"),  # unchanged by the additions
]


def test_load_catalog_with_the_corpus_additions_then_remap_maps_them():
    """`seed_catalogue --file seeds/catalogue_additions.json` adds indicators the corpus shows;
    `remap_indicators` then gives the stored figures they describe their codes."""
    report = ingest_and_parse(CORPUS_DIR / "003_4a080416cfef067e.txt")
    out = StringIO()
    call_command("seed_catalogue", "--file", str(ADDITIONS_FILE), stdout=out)
    assert "7 indicators, 7 created or updated" in out.getvalue()
    call_command("remap_indicators", stdout=out)
    got = {}
    for phrase, number, _, _ in EXPECTED_WITH_ADDITIONS:
        row = value_at(report, number_offset(report.raw_text, phrase, number))
        got[phrase] = (row.value, row.definition.code if row.definition else None)
    assert got == {p: (Decimal(v), code) for p, _, code, v in EXPECTED_WITH_ADDITIONS}
