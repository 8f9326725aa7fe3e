"""Word segmentation with the domain dictionary: the vocabulary of the reports stays whole."""

from __future__ import annotations

import pytest

from reports.parsing.segment import segment, segmenter_version, tokenize


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


def test_segmenter_version_names_jieba_and_the_dictionary():
    """The version changes with the dictionary so search indexes can be rebuilt."""
    assert segmenter_version().startswith("jieba-")
    assert not segmenter_version().endswith("-none")
