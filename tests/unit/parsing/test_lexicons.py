"""The parser's lexicons in seeds/: each loads, says where it comes from, and does its job on the
word segmentation (a measure word or link word glued into a longer word is no measure word)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from reports.parsing import parse_text
from reports.parsing.clean import document_genres, strip_web_noise
from reports.parsing.context import TOPICS_FILE, load_topics
from reports.parsing.quantities import QUANTITY_WORDS_FILE, find_quantities, quantity_words
from reports.parsing.sections import split_sections
from reports.parsing.subjects import SUBJECT_WORDS_FILE, clean_subject, subject_words

SEEDS = Path(__file__).parents[3] / "seeds"
LEXICONS = [TOPICS_FILE, QUANTITY_WORDS_FILE, SUBJECT_WORDS_FILE, "document_genres.json"]


@pytest.mark.parametrize("name", LEXICONS)
def test_every_lexicon_states_its_source_and_is_listed_in_the_readme(name):
    """Each lexicon file carries an ``about`` with its source and licence, and the seeds README
    names it."""
    data = json.loads((SEEDS / name).read_text("utf-8"))
    assert "licence" in data["about"]
    assert name in (SEEDS / "LEXICONS.md").read_text("utf-8")


def test_lexicons_load_through_the_parsers_loaders():
    """The pure loaders read every lexicon: words are non-empty strings, patterns compile."""
    words = quantity_words()
    assert "两个维护" in words["slogans"]
    assert "方面" in words["rhetorical_nouns"]
    function_words = subject_words()
    assert {"leading", "trailing", "scope"} <= function_words.keys()
    assert "报告" in document_genres()
    lexicon = load_topics({"reconsideration_accepted": ()})
    names = [t.name for t in lexicon.topics]
    assert "reconsideration" in names
    assert all(rule.code == "reconsideration_accepted" for t in lexicon.topics for rule in t.rules)
    raw = json.loads((SEEDS / TOPICS_FILE).read_text("utf-8"))
    mentions = [m for topic in raw["topics"] for m in topic["mentions"]]
    assert all(m and not re.search(r"[()?|\[\]*+\\]", m) for m in mentions)  # literal words
    assert len(mentions) == len(set(mentions))  # each word names one topic
    for topic in raw["topics"]:
        for rule in topic["rules"]:
            for key in ("clause", "exclude"):
                if key in rule:
                    re.compile(rule[key])


def _figures(text: str) -> list[tuple[Decimal, str]]:
    return [(q.value, q.unit) for q in find_quantities(text, split_sections(text))]


@pytest.mark.parametrize(
    "phrase",
    [
        "依法处理3处理不当的问题。",
        "完成2起草工作。",
        "走访5家庭困难群众。",
        "建立12名单管理制度。",
        "印发3部门联合文件。",
        "完善2期间管理。",
        "建成3场所。",
        "组织3人民群众参观。",
        "成功申报，3成为示范。",
        "设立5条例释义专栏。",
    ],
)
def test_a_measure_word_that_opens_a_longer_word_is_no_measure_word(phrase):
    """处理, 起草, 家庭, 名单, 部门 …: the segmentation makes the character part of a word."""
    assert _figures(phrase) == []


@pytest.mark.parametrize(
    ("phrase", "value", "unit"),
    [
        ("建立3个人民调解委员会。", 3, "个"),
        ("新增12名单位联络员。", 12, "名"),
        ("2部法规提请审议。", 2, "部"),
        ("整改6处隐患。", 6, "处"),
        ("办理3起案件。", 3, "起"),
        ("开设4门课程。", 4, "门"),
        ("组建2支队伍。", 2, "支"),
        ("培训100人参加考试。", 100, "人"),
    ],
)
def test_a_measure_word_followed_by_a_noun_still_counts(phrase, value, unit):
    """个/人民调解委员会, 名/单位, 部/法规: the measure word stands as a word of its own."""
    assert (Decimal(value), unit) in _figures(phrase)


@pytest.mark.parametrize(
    ("phrase", "qualifier"),
    [
        ("办理案件近300件。", "近"),
        ("最近300件案件已办结。", None),
        ("附近3家单位参加。", None),
        ("开展联合执法超200场次。", "超"),
    ],
)
def test_a_qualifier_that_closes_a_longer_word_does_not_qualify(phrase, qualifier):
    """近 qualifies 300件, but 最近/附近 are words of their own."""
    (quantity,) = find_quantities(phrase, split_sections(phrase))
    assert quantity.qualifier == qualifier


@pytest.mark.parametrize(
    ("raw", "subject"),
    [
        ("共收到行政复议申请", "收到行政复议申请"),
        ("数据共享平台归集", "数据共享平台归集"),
        ("窗口服务满意率达", "窗口服务满意率"),
        ("审批事项时限压缩比达", "审批事项时限压缩比"),
        ("行政机关负责人出庭应诉率为", "行政机关负责人出庭应诉率"),
        ("并联审批事项", "并联审批事项"),
        ("违法行为", "违法行为"),
        ("全局实现参考率", "参考率"),
        ("全系统共办理案件", "办理案件"),
    ],
)
def test_function_words_are_trimmed_only_when_they_are_words(raw, subject):
    """共 of 共收到 goes, 共 of 共享 stays; 达/为 at the end go, 为 of 行为 stays."""
    assert clean_subject(raw) == subject


def test_slogans_from_the_lexicon_are_no_figures():
    """两个维护, 四个意识: numerals inside a fixed political expression."""
    assert parse_text("坚决做到两个维护，增强四个意识，受理案件12件。").indicators[0].value == 12
    assert len(parse_text("坚决做到两个维护，增强四个意识，受理案件12件。").indicators) == 1


def test_a_title_above_the_breadcrumb_is_kept_by_its_genre():
    """A document title kept above the breadcrumb is recognised by its year or genre, whatever
    its topic; a site name is banner."""
    text = "某县人民政府\n关于生态环境保护工作情况的报告\n当前位置：首页 > 专题\n正文。"
    cleaned = strip_web_noise(text)
    assert "关于生态环境保护工作情况的报告" in cleaned
    assert "某县人民政府" not in cleaned


@pytest.mark.parametrize(
    ("phrase", "subject"),
    [
        ("主持召开4次市政府常务会议。", "市政府常务会议"),
        ("组织开展3次专项执法检查。", "专项执法检查"),
        ("举办12场法治讲座。", "法治讲座"),
    ],
)
def test_an_event_after_a_bare_verb_is_the_subject(phrase, subject):
    """召开4次常务会议: the verb before the number names no thing, the noun after it does."""
    (quantity,) = find_quantities(phrase, split_sections(phrase))
    assert quantity.subject.startswith(subject)
