"""Headings on pages whose line breaks were collapsed into spaces, or dropped altogether: a space
inside a heading is not its end, but a space followed by the body is, and so is the word that
starts a body run into its title."""

from __future__ import annotations

import pytest

from reports.parsing.sections import split_sections


def titles(text: str) -> list[str]:
    return [s.title for s in split_sections(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一、加强组织领导 构建新格局\n正文。\n", ["加强组织领导 构建新格局"]),
        ("前言。 一、加强组织领导 一是健全机制。二是压实责任。", ["加强组织领导"]),
        ("前言。 一、强化法治保障 首先，完善制度体系。", ["强化法治保障"]),
        ("前言。 一、深化改革 今年以来，我市共办理案件35件。", ["深化改革"]),
        (
            "前言。 一、推进严格执法 全年共开展执法检查120次，查处违法案件46件。",
            ["推进严格执法"],
        ),
        (
            "前言。 一、2024年度法治政府建设情况 （一）发挥引领作用，统筹推进建设。一是高位推动。",
            ["2024年度法治政府建设情况", "发挥引领作用，统筹推进建设"],
        ),
        (
            "一、完善机制 优化服务 提升效能\n（一）强化组织。正文。\n",
            ["完善机制 优化服务 提升效能", "强化组织"],
        ),
    ],
)
def test_space_before_the_body_ends_the_title_and_a_space_inside_does_not(text, expected):
    """Body-opening words (一是, 首先, 今年以来), a marker or a full sentence after a space end
    the title; short phrases joined by spaces stay in it."""
    assert titles(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "现将情况报告如下。一、坚持党的领导,坚决扛牢法治政府建设政治责任坚持“思想引领”,"
            "以习近平法治思想引领法治政府建设。一是深学笃行。",
            "坚持党的领导,坚决扛牢法治政府建设政治责任",
        ),
        (
            "报告如下。一、优化营商环境，全面提升政务服务标准化规范化便利化水平围绕企业群众办事需求，"
            "推行一件事一次办改革。",
            "优化营商环境，全面提升政务服务标准化规范化便利化水平",
        ),
    ],
)
def test_title_run_into_its_body_ends_before_the_word_that_starts_the_body(text, expected):
    """No break at all between heading and body: a title longer than any heading ends before
    the verb that starts the body (坚持, 围绕 …) glued to it."""
    (section,) = split_sections(text)
    assert section.title == expected
    assert text[text.index(expected) + len(expected) :].startswith(section.text[:4])


@pytest.mark.parametrize(
    ("marker", "title"),
    [
        ("一、", "坚持依法行政，全面推进法治政府建设"),
        ("（一）", "坚持和加强党的领导，围绕中心服务大局"),
        ("1.", "聚焦主责主业 坚持守正创新"),
    ],
)
def test_ordinary_headings_that_contain_opening_words_are_kept_whole(marker, title):
    """坚持, 围绕, 聚焦 inside a short heading, at its start or after a comma or space, do not
    cut it."""
    assert titles(marker + title + "\n正文。\n") == [title]


def test_heading_lexicon_loads():
    """seeds/heading_lexicon.json holds both word lists; body openers match at a word start."""
    from reports.parsing.sections import _openers

    openers = _openers()
    assert openers.after_space.match("一是加强")
    assert openers.run_on.match("坚持以人民为中心")
    assert not openers.after_space.match("坚持以人民为中心")


def test_collapsed_page_keeps_its_heading_tree():
    """A whole page on one line, breaks turned into single spaces: the headings after 报告如下：,
    after a sentence and after the space that ended a title are all found, with their levels."""
    text = (
        "现将有关情况报告如下： 一、主要举措和成效 （一）加强组织领导。全年召开会议5次。 "
        "（二）推进严格执法 一是规范执法程序。 二、存在的不足 首先，法治意识有待提高。"
    )
    assert [(s.level, s.marker, s.title) for s in split_sections(text)] == [
        (1, "一、", "主要举措和成效"),
        (2, "（一）", "加强组织领导"),
        (2, "（二）", "推进严格执法"),
        (1, "二、", "存在的不足"),
    ]


def test_inline_enumeration_after_a_colon_is_not_a_heading():
    """报告包括：一、…；二、… (no space after the colon) is a sentence, not headings."""
    text = "报告包括：一、成效；二、不足。\n一、主要举措\n正文。\n"
    assert titles(text) == ["主要举措"]


def test_heading_on_its_own_line_keeps_a_long_part_after_a_space():
    """A heading on a line of its own ends at the line end, a comma after a space included."""
    text = "一、坚持以人民为中心 推进严格规范公正文明执法，提升执法公信力和群众满意度\n正文。\n"
    assert titles(text) == ["坚持以人民为中心 推进严格规范公正文明执法，提升执法公信力和群众满意度"]
