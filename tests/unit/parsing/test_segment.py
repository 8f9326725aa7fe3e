"""Word segmentation with the domain dictionary: the vocabulary of the reports stays whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.parsing.segment import cut, segment, segmenter_version, tokenize, tokenizer

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus"
# Dictionary words and their pieces, ASCII letters and digits, jieba's block characters, spaces.
ALPHABET = "法治政府建设行政复议案件年度报告中心援助出庭应诉率首违不罚aZ09１+#&._%-，。、 \t\r\n"


@pytest.mark.parametrize(
    "term",
    [
        "行政复议",
        "出庭应诉率",
        "一网通办",
        "首违不罚",
        "规范性文件",
        "网上可办率",
        "放管服",
        "法律援助",
        "营商环境",
        "行政执法",
        "合法性审查",
        "重大行政决策",
        "公平竞争审查",
        "法治督察",
    ],
)
def test_domain_terms_stay_whole_inside_a_sentence(term):
    """A domain term is one token when it appears inside a sentence."""
    assert term in segment(f"我区持续推进{term}工作取得新成效")


def test_tokenize_offsets_index_into_the_text():
    """tokenize gives exact character offsets of each word."""
    text = "全年受理行政复议案件52件"
    for word, start, end in tokenize(text):
        assert text[start:end] == word


def test_segmenter_version_names_the_cutter_and_the_dictionary():
    """The version changes with the cutter and the dictionary so search indexes can be rebuilt."""
    assert segmenter_version().startswith("rjieba-")
    assert not segmenter_version().endswith("-none")


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.name)
def test_cut_is_jiebas_precise_cut_on_real_reports(path):
    """Word for word what jieba's own precise cut without HMM gives, line by line and whole."""
    text = path.read_text(encoding="utf-8")
    assert cut(text) == tokenizer().lcut(text, HMM=False)
    for line in text.splitlines():
        assert cut(line) == tokenizer().lcut(line, HMM=False)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60))
def test_cut_is_jiebas_precise_cut_on_any_text(text):
    """Unknown characters, ASCII runs, whitespace and empty text included. Where two routes are
    exactly as probable (the same words in another order: 诉诉诉), either may be taken."""
    words = cut(text)
    assert "".join(words) == text
    assert sorted(words) == sorted(tokenizer().lcut(text, HMM=False))


def test_an_exact_tie_is_the_only_difference_from_jieba():
    """诉诉诉 cuts as 诉诉 + 诉 or as 诉 + 诉诉, both equally probable: the same words."""
    assert sorted(cut("诉诉诉")) == ["诉", "诉诉"]
    assert cut("行政复议诉讼") == tokenizer().lcut("行政复议诉讼", HMM=False)


def test_cut_of_mixed_text_keeps_every_character():
    """Nothing is dropped or duplicated: the words put back together are the text."""
    text = "2023年，全区受理行政复议案件52件（同比增长3.5%），ABC公司 出庭应诉率100%。\r\n"
    assert "".join(cut(text)) == text
    assert "2023" in cut(text)  # a run of single ASCII characters is one word
