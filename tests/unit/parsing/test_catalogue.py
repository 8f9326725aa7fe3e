"""Catalogue code assignment: a quantity maps to an indicator when its subject, unit, kind and
scope match one of the indicator's rules."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from reports.parsing import parse_text
from reports.parsing.catalogue import Catalogue, load_catalogue
from reports.parsing.quantities import find_quantities
from reports.parsing.sections import split_sections
from reports.parsing.types import Quantity


def coded(text: str) -> list[str | None]:
    catalogue = load_catalogue()
    return [catalogue.assign_code(q).code for q in find_quantities(text, split_sections(text))]


@pytest.mark.parametrize(
    ("phrase", "code"),
    [
        ("全年共收到行政复议申请86件。", "reconsideration_received"),
        ("行政复议纠错率为12.5%。", "reconsideration_correction_rate"),
        ("新收一审行政诉讼案件41件。", "litigation_cases"),
        ("行政机关负责人出庭应诉率达100%。", "head_court_appearance_rate"),
        ("行政诉讼败诉率为3.2%。", "litigation_loss_rate"),
        ("受理法律援助案件734件。", "legal_aid_cases"),
        ("接听12348热线法律咨询3200人次。", "legal_consultations"),
        ("人民调解委员会调处矛盾纠纷560件。", "people_mediation_cases"),
        ("调解成功率98%。", "mediation_success_rate"),
        ("审核行政规范性文件28件。", "normative_docs_reviewed"),
        ("规范性文件备案率达100%。", "normative_docs_filing_rate"),
        ("废止规范性文件12件。", "normative_docs_abolished"),
        ("开展公平竞争审查56次。", "fair_competition_reviews"),
        ("公布年度重大行政决策事项8项。", "major_decisions"),
        ("聘请法律顾问12名。", "legal_advisers"),
        ("配备公职律师35名。", "public_lawyers"),
        ("评查行政执法案卷320卷。", "enforcement_files_reviewed"),
        ("办理行政处罚案件1250件。", "penalty_cases"),
        ("实施首违不罚案件86件。", "lenient_enforcement_cases"),
        ("开展跨部门联合监管42次。", "inspections"),
        ("政务服务事项网上可办率达98%。", "online_service_rate"),
        ("12345热线群众满意率达95%以上。", "service_satisfaction_rate"),
        ("取消证明材料45项。", "certifications_abolished"),
        ("收到政府信息公开申请132件。", "info_disclosure_requests"),
        ("政府常务会议集体学法12次。", "leadership_law_study"),
        ("学法考试参考率达99%。", "staff_law_exam_rate"),
        ("收到检察建议6份。", "judicial_recommendations"),
    ],
)
def test_quantity_maps_to_its_indicator(phrase, code):
    """Phrasings listed for each indicator map to its code."""
    assert coded(phrase) == [code]


@pytest.mark.parametrize(
    "phrase",
    [
        "行政复议案件同比下降15%。",
        "办理人大建议43件。",
        "编印执法工具书196本。",
        "成功处置突发事件40起。",
    ],
)
def test_unrelated_quantities_and_changes_get_no_code(phrase):
    """Year-on-year changes and quantities no indicator describes stay unmapped."""
    assert coded(phrase) == [None]


def test_component_gets_no_main_code():
    """A value inside (含…) is a component, not the indicator's main value."""
    assert coded("办结行政复议案件100件（含上年结转5件）。")[1] is None


def test_assign_code_returns_a_copy_with_code_and_confidence():
    """The input is left untouched; the copy carries the code and a 0–1 confidence."""
    quantity = Quantity(
        quote="调解成功率98%",
        subject="调解成功率",
        value=Decimal(98),
        unit="%",
        start=0,
        end=8,
        kind="rate",
    )
    mapped = load_catalogue().assign_code(quantity)
    assert quantity.code is None
    assert mapped.code == "mediation_success_rate"
    assert 0 < mapped.confidence <= 1
    assert dataclasses.replace(mapped, code=None, confidence=0.0) == quantity


def test_rows_with_plain_string_patterns_and_database_shape_are_accepted():
    """from_entries takes catalogue rows as stored in the database; a plain-string pattern is a
    subject regex with the row's unit."""
    catalogue = Catalogue.from_entries(
        [
            {
                "code": "x_cases",
                "name": "X",
                "unit": "件",
                "kind": "count",
                "category": "S1",
                "synonyms": [],
                "patterns": ["信访事项"],
            }
        ]
    )
    quantity = Quantity(
        quote="受理信访事项20件",
        subject="受理信访事项",
        value=Decimal(20),
        unit="件",
        start=0,
        end=9,
    )
    assert catalogue.assign_code(quantity).code == "x_cases"
    assert catalogue.assign_code(dataclasses.replace(quantity, unit="%", kind="rate")).code is None


def test_seed_catalogue_covers_every_documented_indicator_with_rules():
    """Every catalogue entry carries at least one matching rule."""
    catalogue = load_catalogue()
    assert len(catalogue.entries) >= 44
    assert all(entry.patterns for entry in catalogue.entries)


@pytest.mark.parametrize(
    ("phrase", "code"),
    [
        ("2023年，全区共办理行政复议案件86件", "reconsideration_received"),
        ("区政府全年新收行政复议申请112件", "reconsideration_received"),
        ("依法受理复议申请98件", "reconsideration_accepted"),
        ("作出行政复议决定75件", "reconsideration_concluded"),
        ("全年办结复议案件90件", "reconsideration_concluded"),
        ("直接纠错率达15.6%", "reconsideration_correction_rate"),
        ("复议决定履行率100%", "reconsideration_compliance_rate"),
        ("全年行政应诉案件46件", "litigation_cases"),
        ("以区政府为被告的行政诉讼案件32件", "litigation_cases"),
        ("行政诉讼败诉3件", "litigation_loss_cases"),
        ("败诉率为4.3%", "litigation_loss_rate"),
        ("行政机关负责人出庭率达到100%", "head_court_appearance_rate"),
        ("负责人出庭应诉62件次", None),
        ("收到司法建议和检察建议5份", "judicial_recommendations"),
        ("各级人民调解组织调处各类矛盾纠纷3260件", "people_mediation_cases"),
        ("调解成功率达98%以上", "mediation_success_rate"),
        ("全年共办理法律援助案件1230件", "legal_aid_cases"),
        ("12348热线接听群众来电8600余人次", "legal_consultations"),
        ("解答群众法律咨询2.1万人次", "legal_consultations"),
        ("信访事项按期办结率100%", "petition_resolution_rate"),
        ("制定出台政府规章3部", "legislation_enacted"),
        ("对12件规范性文件进行合法性审核", "normative_docs_reviewed"),
        ("审查行政规范性文件56件", "normative_docs_reviewed"),
        ("规范性文件报备率100%", "normative_docs_filing_rate"),
        ("向市政府报送备案规范性文件14件", "normative_docs_filed"),
        ("废止和宣布失效规范性文件23件", "normative_docs_abolished"),
        ("开展公平竞争审查128件", "fair_competition_reviews"),
        ("作出重大行政决策6项", "major_decisions"),
        ("审查政府合同65份", "other_legality_reviews"),
        ("对区政府签订的合同协议开展合法性审查210件", "other_legality_reviews"),
        ("全区共聘请法律顾问136名", "legal_advisers"),
        ("全市共有公职律师312名", "public_lawyers"),
        ("评查行政执法案卷1200卷", "enforcement_files_reviewed"),
        ("案卷优良率为96.5%", "enforcement_file_pass_rate"),
        ("新办理行政执法证件420件", "enforcement_certificates"),
        ("查办行政处罚案件2360件", "penalty_cases"),
        ("办理首违不罚案件128件", "lenient_enforcement_cases"),
        ("开展“双随机、一公开”抽查312次", "inspections"),
        ("开展部门联合双随机抽查86次", "inspections"),
        ("举办行政执法培训班12期", "enforcement_training"),
        ("政务服务事项全程网办率达92%", "online_service_rate"),
        ("审批时限平均压缩65%", "approval_time_reduction_rate"),
        ("政务服务好评率达99.9%", "service_satisfaction_rate"),
        ("取消各类证明材料86项", "certifications_abolished"),
        ("受理政府信息公开申请210件", "info_disclosure_requests"),
        ("依申请公开按时答复率100%", "info_disclosure_reply_rate"),
        ("区政府常务会议学法8次", "leadership_law_study"),
        ("组织领导干部集体学法4次", "leadership_law_study"),
        ("国家工作人员学法考试参考率达100%", "staff_law_exam_rate"),
        ("对6个镇街开展法治督察", "rule_of_law_inspections"),
    ],
)  # fmt: skip
def test_varied_phrasings_of_every_indicator_map_to_it(phrase, code):
    """Each indicator as reports word it, beyond the catalogue's listed synonyms: 办理/新收/作出
    复议决定, 出庭率, 全程网办率, 时限平均压缩, 集体学法 …; a component (负责人出庭应诉N件次)
    gets none."""
    (first, *_) = parse_text(phrase + "。").indicators
    assert first.code == code


@pytest.mark.parametrize(
    ("unit", "kind", "fits", "does_not_fit"),
    [
        ("件", "count", "reconsideration_received", "head_court_appearance_rate"),
        ("%", "rate", "head_court_appearance_rate", "reconsideration_received"),
        ("人", "count", "public_lawyers", "reconsideration_received"),
    ],
)
def test_fitting_codes_follow_unit_and_kind(unit, kind, fits, does_not_fit):
    """A count in 件 may be a case count, never a rate; a rate in % never a count."""
    codes = load_catalogue().fitting(unit=unit, kind=kind)
    assert fits in codes
    assert does_not_fit not in codes
