"""Quantities read from report sentences: values, units, qualifiers, kinds, scopes, subjects and
the exclusions of the parse contract. Phrases follow the conventions of the reports, not one
sample's wording."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reports.parsing.quantities import find_quantities
from reports.parsing.sections import split_sections
from reports.parsing.types import Quantity


def quantities_in(text: str) -> list[Quantity]:
    return find_quantities(text, split_sections(text))


def only(text: str) -> Quantity:
    (quantity,) = quantities_in(text)
    return quantity


@pytest.mark.parametrize(
    ("phrase", "value", "unit", "qualifier"),
    [
        ("共收到行政复议案件52件。", 52, "件", None),
        ("累计归集数据1.576亿余条。", 157_600_000, "条", "余"),
        ("全县共组织2万余人次参与。", 20_000, "人次", "余"),
        ("培训执法人员400多人次。", 400, "人次", "多"),
        ("印发普法宣传资料3万多份。", 30_000, "份", "多"),
        ("涉及金额2.48亿元。", Decimal("2.48"), "亿元", None),
        ("减免费用120万余元。", 120, "万元", "余"),
        ("窗口服务满意率达99%以上。", 99, "%", "以上"),
        ("开展联合执法逾200场次。", 200, "场次", "逾"),
        ("办理案件近300件。", 300, "件", "近"),
        ("覆盖企业约1,200家。", 1200, "家", "约"),
        ("受理投诉１２３件。", 123, "件", None),
        ("网上可办率达百分之九十五。", 95, "%", None),
        ("处理不合格产品2561.41公斤。", Decimal("2561.41"), "公斤", None),
        ("参与群众5000人左右。", 5000, "人", "左右"),
        ("检查特种设备266台次。", 266, "台次", None),
    ],
)
def test_value_unit_and_qualifier_are_normalised(phrase, value, unit, qualifier):
    """万/亿 inside the number are applied, money keeps its unit's multiplier, qualifiers are kept
    as written and never change the value."""
    q = only(phrase)
    assert (q.value, q.unit, q.qualifier) == (Decimal(value), unit, qualifier)


@pytest.mark.parametrize(
    ("phrase", "value", "unit"),
    [
        ("建成两支执法监督员队伍。", 2, "支"),
        ("形成三张整改清单。", 3, "张"),
        ("举办十二期培训班。", 12, "期"),
        ("审查合同一百零五份。", 105, "份"),
        ("推出十余项便民措施。", 10, "项"),
        ("出动执法车辆贰拾辆。", 20, "辆"),
    ],
)
def test_chinese_numeral_counts_are_read(phrase, value, unit):
    """Chinese numerals (两, 十二, 一百零五, 大写) count too and are marked chinese."""
    q = only(phrase)
    assert (q.value, q.unit, q.numeral) == (Decimal(value), unit, "chinese")


@pytest.mark.parametrize(
    "phrase",
    [
        "2023年，我区坚持依法行政。",
        "认真落实《法治政府建设实施纲要（2021—2025年）》。",
        "全面落实“八五”普法规划。",
        "完善“1+1+4”工作模式。",
        "紧紧围绕省委“1310”具体部署。",
        "落实行政执法“三项制度”。",
        "开展“五个一”活动。",
        "第一时间公布清单，荣获第三届评选。",
        "一是深化改革；二是优化服务。",
        "拨打12345热线反映问题。",
        "咨询电话0660-3360000。",
        "会议于9:30召开，2024年1月31日发布。",
        "形成一批制度成果，建立一个平台。",
        "推进“一网通办”和一体化平台建设。",
        "多次组织召开推进会议。",
        "学习贯彻省委十三届四次全会精神。",
        "推进技工学校二期项目建设。",
        "提升律师万人比，走进千家万户。",
        "做到“两个维护”，增强四个意识。",
        "升级“码上办2.0”应用。",
        "网站支持ipv6访问。",
        "提供7×24小时服务。",
        "全年无一例行政诉讼败诉案件。",
        "排名全省前5名，依据复议法第二十三条。",
    ],
)
def test_names_dates_ordinals_and_slogans_are_not_quantities(phrase):
    """Years, dates, plan periods, names in 《》/“”, ordinals, enumerations, hotlines, phone
    numbers, times, bare 一 as an article and political slogans give no quantity."""
    assert quantities_in(phrase) == []


TRIMMED = ("2023年", "今年以来", "全区", "我县", "各部门", "累计", "共", "开展", "达", "以上", "等")


@pytest.mark.parametrize(
    ("phrase", "subject"),
    [
        ("2023年，共收到行政复议案件52件。", "行政复议案件"),
        ("今年以来，全区累计开展矛盾纠纷排查1282次。", "矛盾纠纷排查"),
        ("各部门开展公平竞争审查4次。", "公平竞争审查"),
        ("依申请政务服务事项网上可办率达100%。", "依申请政务服务事项网上可办率"),
        ("推进147项行政许可事项全部纳入管理体系。", "行政许可事项"),
        ("目前已建立电力、供水、燃气3支行业应急救援队伍。", "行业应急救援队伍"),
        ("资金及时发放至169户救助对象手中。", "救助对象"),
        ("印发民法典、禁毒等各类普法宣传资料3万多份。", "普法宣传资料"),
        ("通过电子证照核验等方式替代取消的证明材料131个。", "替代取消的证明材料"),
        ("我县参考人数7388人。", "参考人数"),
        ("审批事项时限压缩比达93.5%。", "审批事项时限压缩比"),
        ("对全区7个镇（街道）开展评议。", "镇（街道）"),
    ],
)
def test_subject_names_what_is_counted(phrase, subject):
    """The subject is the clause's noun phrase before the number (time words, agents, scope words,
    light verbs and link verbs trimmed; a content verb such as 收到 may stay) or the noun phrase
    right after the measure word."""
    got = only(phrase).subject
    assert got.endswith(subject)
    assert not any(word in got for word in TRIMMED)


def test_subset_after_qizhong_names_its_own_subject():
    """…N件，其中规范性文件M件: the second value is a subset named by its own noun."""
    first, second = quantities_in("审查政府及部门各类文件136件，其中规范性文件15件。")
    assert (first.value, first.scope) == (136, "annual")
    assert (second.subject, second.value, second.scope) == ("规范性文件", 15, "subset")


def test_bare_case_step_borrows_the_cases_it_counts():
    """依法受理N件 after a count of 行政复议案件 names the same cases."""
    _, accepted = quantities_in("共收到行政复议案件52件。其中，依法受理32件，均已办结。")
    assert "行政复议案件" in accepted.subject
    assert "受理" in accepted.subject


def test_list_of_rates_sharing_one_value_gives_one_row_per_rate():
    """A率、B率和C率均为100% yields one row per rate, each quote starting at its rate."""
    text = "依申请公开答复率、答复及时率和录入系统及时率均为100%。"
    rows = quantities_in(text)
    assert [q.subject for q in rows] == ["依申请公开答复率", "答复及时率", "录入系统及时率"]
    assert all(q.value == 100 and q.unit == "%" for q in rows)
    assert [q.quote for q in rows][1].startswith("答复及时率")


def test_rate_applying_to_all_listed_counts_gives_one_row_per_count():
    """…X件、Y件，办结率均为100% applies the rate to each listed count."""
    rows = quantities_in("受理投诉举报120件、咨询30件，办结率均为100%。")
    rates = [q for q in rows if q.unit == "%"]
    assert len(rates) == 2
    assert all(q.subject.endswith("办结率") for q in rates)


def test_before_and_after_pair_gives_two_values():
    """由374个精简为24个 reports both the old and the new count."""
    values = [q.value for q in quantities_in("将审批事项由374个精简为24个。")]
    assert values == [374, 24]


def test_range_gives_both_ends():
    """3—5个工作日 gives both ends with the shared unit."""
    rows = quantities_in("办理时限压缩至3—5个工作日。")
    assert [(q.value, q.unit) for q in rows] == [(3, "个工作日"), (5, "个工作日")]


@pytest.mark.parametrize(
    ("phrase", "qualifier"),
    [
        ("行政诉讼败诉率同比下降5个百分点。", "同比下降"),
        ("收案数量同比增长15%。", "同比增长"),
        ("满意度较上年提升3%。", "较上年提升"),
    ],
)
def test_year_on_year_changes_are_kind_change(phrase, qualifier):
    """Changes against the previous year are ``change`` rows, never levels."""
    q = only(phrase)
    assert (q.kind, q.qualifier) == ("change", qualifier)


@pytest.mark.parametrize(
    ("phrase", "kind"),
    [
        ("受理案件52件。", "count"),
        ("调解成功率100%。", "rate"),
        ("涉及金额2.48亿元。", "money"),
        ("回收废品2.5吨。", "measure"),
    ],
)
def test_kind_follows_the_unit(phrase, kind):
    """Counts, rates, money and physical measures are told apart by their unit."""
    assert only(phrase).kind == kind


def test_cumulative_and_component_scopes_are_tagged():
    """累计 sets the cumulative scope; a value in (含…) is a component of the one before."""
    total, carried = quantities_in("累计办结行政复议案件100件（含上年结转5件）。")
    assert total.scope == "cumulative"
    assert (carried.value, carried.scope) == (5, "component")


def test_quote_is_the_verbatim_span_and_stays_short():
    """quote == text[start:end], contains the number and unit, 6–30 characters."""
    text = "2023年，通过区政府门户网站及公众号等多种渠道共发布政府信息5085条。"
    q = only(text)
    assert text[q.start : q.end] == q.quote
    assert "5085条" in q.quote
    assert 6 <= len(q.quote) <= 30


def test_quantity_is_filed_under_its_heading():
    """``section`` is the index of the heading the number falls under."""
    text = "一、主要举措\n（一）复议工作\n收到行政复议申请12件。\n（二）调解工作\n调处纠纷30件。\n"
    first, second = quantities_in(text)
    assert (first.section, second.section) == (1, 2)


def test_before_and_after_values_share_their_subject():
    """由N个工作日压缩至M个工作日: both values measure the same thing."""
    before, after = quantities_in("平均办理时限由20个工作日压缩至5个工作日。")
    assert before.subject == after.subject == "平均办理时限"
    assert (before.value, after.value) == (20, 5)


def test_values_listed_with_fenbiewei_share_the_subject():
    """…分别为12件、15件: the second value has no subject of its own and shares the list's."""
    first, second = quantities_in("行政复议和行政诉讼案件分别为12件、15件。")
    assert second.subject == first.subject == "行政复议和行政诉讼案件"


@pytest.mark.parametrize(
    ("phrase", "subject"),
    [
        ("1388项公共服务事项实现100%网上可办。", "公共服务事项网上可办"),
        ("实现百分之百覆盖。", "覆盖"),
    ],
)
def test_percentage_followed_by_its_predicate_names_it(phrase, subject):
    """实现100%网上可办: the phrase after the percentage completes what the rate measures."""
    assert quantities_in(phrase)[-1].subject == subject


def test_near_three_tenths_is_a_rate_with_its_qualifier():
    """近三成 → 30 %, qualifier 近."""
    q = only("近三成案件经调解后撤回。")
    assert (q.value, q.unit, q.qualifier, q.kind) == (30, "%", "近", "rate")


def test_event_count_takes_the_subject_before_it():
    """召开专题会议12次研究部署…: with an event unit the phrase after the number is the purpose,
    not what was counted."""
    q = only("厅党委召开专题会议12次研究部署法治政府建设工作。")
    assert q.subject.endswith("专题会议")


def test_place_and_year_before_a_subject_are_trimmed():
    """A place name and year opening the clause are not part of the subject."""
    assert only("黄陵县2023年专项债券已完成100%支出。").subject == "专项债券支出"


@pytest.mark.parametrize("phrase", ["从三个方面推进改革。", "落实两个责任，做到两个结合。"])
def test_rhetorical_counts_are_not_quantities(phrase):
    """三个方面, 两个责任: counts of aspects or slogans do not measure work done."""
    assert quantities_in(phrase) == []


def test_outcomes_listed_after_qizhong_borrow_the_case_noun():
    """其中维持N件，驳回M件: each outcome names the cases of the total it splits."""
    rows = quantities_in("全年共办理行政复议案件35件，其中维持20件，驳回5件。")
    assert [q.subject for q in rows[1:]] == ["维持行政复议案件", "驳回行政复议案件"]
    assert all(q.scope == "subset" for q in rows[1:])


@pytest.mark.parametrize(
    ("phrase", "subject"),
    [
        ("完成了12个村（社区）的法律顾问配备。", "村（社区）"),
        ("帮助53家整改到位的企业移出经营异常名录。", "企业"),
    ],
)
def test_de_after_the_counted_noun_is_possessive_and_before_it_relative(phrase, subject):
    """N个村的法律顾问 counts villages; N家整改到位的企业 counts the enterprises."""
    assert only(phrase).subject == subject


@pytest.mark.parametrize(
    ("phrase", "value", "unit", "kind"),
    [
        ("平均审批时间缩短至5.6天。", Decimal("5.6"), "天", "measure"),
        ("群众平均等候时间不超过15分钟。", 15, "分钟", "measure"),
        ("发放惠企贷款1200笔。", 1200, "笔", "count"),
        ("开展三轮专项督察。", 3, "轮", "count"),
        ("出动无人机巡查60架次。", 60, "架次", "count"),
    ],
)
def test_time_limits_and_less_common_measure_words_are_read(phrase, value, unit, kind):
    """Time limits (天, 分钟) are measures; 笔, 轮, 架次 are counts."""
    q = only(phrase)
    assert (q.value, q.unit, q.kind) == (Decimal(value), unit, kind)


def test_change_after_a_count_is_the_change_of_that_count():
    """…120件，同比增长15%: the change row names the count it changes."""
    count, change = quantities_in("全年新收行政复议案件120件，同比增长15%。")
    assert change.subject == count.subject
    assert (change.kind, change.qualifier) == ("change", "同比增长")


def test_change_of_a_named_rate_keeps_the_rate_as_subject():
    """败诉率较上年下降N个百分点: the subject is the rate, the change phrase the qualifier."""
    q = only("行政诉讼败诉率较上年下降0.5个百分点。")
    assert (q.subject, q.qualifier) == ("行政诉讼败诉率", "较上年下降")


def test_rates_paired_with_their_values_by_fenbie():
    """A率和B率分别为x%和y%: each rate takes its own value, in order."""
    rows = quantities_in("政务服务满意率和好评率分别为98%和99.5%。")
    assert [(q.subject, q.value) for q in rows] == [
        ("政务服务满意率", Decimal(98)),
        ("好评率", Decimal("99.5")),
    ]


@pytest.mark.parametrize(
    ("phrase", "subject"),
    [
        ("查处违法行为12起。", "查处违法行为"),
        ("建设共享平台2个。", "建设共享平台"),
        ("推行并联审批事项56项。", "推行并联审批事项"),
        ("建成再生资源回收站3个。", "建成再生资源回收站"),
        ("节约资金120万元。", "节约资金"),
        ("及时办结率100%。", "及时办结率"),
        ("和解结案12件。", "和解结案"),
    ],
)
def test_trimming_keeps_words_that_begin_or_end_with_a_function_character(phrase, subject):
    """行为, 共享, 并联, 再生, 节约: words are not cut where an adverb or link verb would be
    trimmed."""
    assert only(phrase).subject == subject


@pytest.mark.parametrize(
    ("phrase", "value", "unit"),
    [
        ("奖励资金三万元。", 3, "万元"),
        ("投入两千万元。", 2000, "万元"),
        ("罚款五千元。", 5000, "元"),
    ],
)
def test_chinese_money_keeps_its_multiplier_in_the_unit(phrase, value, unit):
    """三万元 → 3 万元, like 3万元; a multiplier that is not 万/亿 is applied."""
    q = only(phrase)
    assert (q.value, q.unit, q.kind) == (Decimal(value), unit, "money")


def test_change_in_brackets_after_a_count_names_the_count():
    """…86件（同比增长12%）: the bracketed change belongs to the count before it."""
    count, change, _ = quantities_in(
        "全年受理行政复议案件86件（同比增长12%），其中：行政处罚类32件。"
    )
    assert (change.subject, change.kind) == (count.subject, "change")


@pytest.mark.parametrize(
    ("phrase", "value", "unit", "qualifier"),
    [("培训干部千余人。", 1000, "人", "余"), ("走访企业百余家。", 100, "家", "余")],
)
def test_bare_hundred_or_thousand_with_yu_is_a_count(phrase, value, unit, qualifier):
    """千余人, 百余家: a bare 百/千 with 余 or 多 counts; 千家万户 (no 余) does not."""
    q = only(phrase)
    assert (q.value, q.unit, q.qualifier) == (Decimal(value), unit, qualifier)
