"""Catalogue codes from context: a figure whose own clause does not name its indicator takes the
code of the topic its sentence, paragraph or heading names, when the figure's unit and action fit
that indicator; otherwise it stays uncoded."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reports.parsing import parse_text
from reports.parsing.catalogue import load_catalogue


def codes_of(text: str) -> dict[tuple[Decimal, str], str | None]:
    return {(q.value, q.unit): q.code for q in parse_text(text).indicators}


def code_of(text: str, value: int | str, unit: str) -> str | None:
    return codes_of(text)[(Decimal(value), unit)]


@pytest.mark.parametrize(
    ("text", "value", "unit", "code"),
    [
        # the topic named earlier in the paragraph
        ("深化行政复议体制改革。全年收到申请233件，受理112件，审结108件。", 233, "件",
         "reconsideration_received"),
        ("深化行政复议体制改革。全年收到申请233件，受理112件，审结108件。", 112, "件",
         "reconsideration_accepted"),
        ("深化行政复议体制改革。全年收到申请233件，受理112件，审结108件。", 108, "件",
         "reconsideration_concluded"),
        ("积极化解行政争议，发挥复议主渠道作用。年内新收案件64件，经调解和解后撤回19件。", 19,
         "件", "reconsideration_mediated_withdrawn"),
        ("开展规范性文件集中清理，对现行文件逐件梳理，决定废止1件，拟修订13件，继续有效56件。",
         1, "件", "normative_docs_abolished"),
        ("开展规范性文件集中清理，对现行文件逐件梳理，决定废止1件，拟修订13件，继续有效56件。",
         13, "件", "normative_docs_retained_revised"),
        ("健全政府法律顾问制度，县政府聘请29人组成顾问团，全年出具法律意见书58份。", 29, "人",
         "legal_advisers"),
        ("强化法律援助便民服务，全年受理112件，为困难群众挽回损失320万元。", 112, "件",
         "legal_aid_cases"),
        ("调解组织作用充分发挥。全县人民调解组织全年受理1200件，调解成功率95.8%。", 1200, "件",
         "people_mediation_cases"),
        ("加强行政应诉工作，年内新收一审案件45件，败诉2件。", 45, "件", "litigation_cases"),
        ("落实公平竞争审查制度，审查政策措施文件48件。", 48, "件", "fair_competition_reviews"),
        ("严格落实领导干部学法制度，全年组织县政府常务会议专题讲座6次。", 6, "次",
         "leadership_law_study"),
        ("组织开展法治政府建设督察，对8个乡镇开展实地督察。", 8, "个", "rule_of_law_inspections"),
        ("加强检察建议办理，全年收到3份，均按期回复。", 3, "份", "judicial_recommendations"),
        ("组织全县国家工作人员参加学法用法考试，参考人数3600人，优秀率96%。", 96, "%",
         "staff_law_exam_rate"),
        ("推进执法队伍专业化建设，全年组织培训5场次、培训400多人次。", 400, "人次",
         "enforcement_training"),
        # the topic named in the heading path only
        ("一、主要成效\n（一）行政复议工作\n本年度共收到申请45件，受理40件，审结38件。", 40, "件",
         "reconsideration_accepted"),
        ("一、主要成效\n（二）规范性文件监督管理\n全年备案审查18件，废止4件。", 4, "件",
         "normative_docs_abolished"),
        # Word's spacing does not change the reading
        ("深化行政复议体制改革。全年收到申请 233 件，受理 112 件。", 112, "件",
         "reconsideration_accepted"),
    ],
)  # fmt: skip
def test_figure_takes_the_code_of_the_topic_around_it(text, value, unit, code):
    """Sentence first, then the paragraph before it, then the heading path."""
    assert code_of(text, value, unit) == code


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        # a nearer topic without such an indicator stands in the way
        ("深化行政复议体制改革。办理人大代表建议和政协提案，共收到86件。", 86, "件"),
        ("深化行政复议体制改革。12345热线全年受理群众诉求8600件。", 8600, "件"),
        # the figure names a kind of its own
        ("加强行政应诉工作，年度应诉行政诉讼案件23件，民事诉讼案件8件。", 8, "件"),
        ("落实规范性文件合法性审查机制，审查政府及部门各类文件136件。", 136, "件"),
        # the unit or the action does not fit the indicator
        ("深化行政复议体制改革，全年召开案审会12次。", 12, "次"),
        ("健全政府法律顾问制度，全年参与重大决策论证26次。", 26, "次"),
        ("推进执法队伍建设，开展企业合规培训9次。", 9, "次"),
        # a topic in the previous sentence does not reach a figure of its own kind
        ("对2个市州开展法治督察。命名省级示范地区42个。", 42, "个"),
        # year-on-year changes and components get no code
        ("深化行政复议体制改革。全年受理112件，同比增长15%。", 15, "%"),
    ],
)  # fmt: skip
def test_figure_stays_uncoded_when_the_context_does_not_fit(text, value, unit):
    """A code is given only where a careful analyst would file the figure under it."""
    assert code_of(text, value, unit) is None


@pytest.mark.parametrize(
    ("text", "value", "code"),
    [
        ("组织执法案卷评查，抽查案卷600卷，优秀率35%。", 35, "enforcement_file_pass_rate"),
        ("组织学法用法考试，全市参考人员1.2万人，优秀率92%。", 92, "staff_law_exam_rate"),
        ("办理人大代表建议215件、政协提案268件，办结率100%。", 100, None),
        ("信访工作扎实推进，信访事项按期办结率99.8%。", Decimal("99.8"),
         "petition_resolution_rate"),
        ("12345热线全年受理群众诉求38.6万件，群众满意率96.5%。", Decimal("96.5"),
         "service_satisfaction_rate"),
        ("深化行政复议改革，全年审结案件120件，纠错率12.3%。", Decimal("12.3"),
         "reconsideration_correction_rate"),
    ],
)  # fmt: skip
def test_a_rate_named_by_its_head_alone_takes_its_code_from_the_context(text, value, code):
    """优秀率, 办结率, 满意率 rate whatever the sentence is about."""
    assert code_of(text, value, "%") == code


def test_the_figures_own_clause_wins_over_its_context():
    """A clause that names its indicator keeps it, whatever the paragraph is about."""
    text = "深化行政复议体制改革。全年受理行政复议申请112件，办理法律援助案件30件。"
    assert code_of(text, 30, "件") == "legal_aid_cases"


def test_context_codes_carry_a_lower_confidence_than_clause_codes():
    """A code read from the context is less certain than one the clause names."""
    text = "深化行政复议体制改革。全年受理112件。\n审查行政规范性文件28件。"
    confidence = {q.value: q.confidence for q in parse_text(text).indicators}
    assert 0 < confidence[Decimal(112)] < confidence[Decimal(28)]


def test_every_context_rule_fits_the_unit_its_catalogue_indicator_allows():
    """The topics lexicon refers only to codes of the catalogue, and a context rule admits only
    units the catalogue's own rules list for that code (人 beside % for the exam rate)."""
    catalogue = load_catalogue()
    allowed: dict[str, set[str]] = {}
    for entry in catalogue.entries:
        for spec in entry.patterns:
            units = spec.get("units") if isinstance(spec, dict) else None
            allowed.setdefault(entry.code, set()).update(units or [entry.unit])
    rules = [rule for topic in catalogue.topics.topics for rule in topic.rules]
    assert rules
    for rule in rules:
        assert rule.code in allowed
        assert rule.units <= allowed[rule.code], rule.code
