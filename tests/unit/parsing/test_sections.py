"""The section tree: heading levels by marker family, titles, parents, offsets, and the text that
looks like a heading but is not one."""

from __future__ import annotations

import pytest

from reports.parsing.sections import split_sections


def headings(text: str) -> list[tuple[int, str, str]]:
    return [(s.level, s.marker, s.title) for s in split_sections(text)]


@pytest.mark.parametrize(
    ("line", "level", "marker"),
    [
        ("一、主要举措和成效", 1, "一、"),
        ("(一)深化放管服改革", 2, "(一)"),
        ("（一）深化放管服改革", 2, "（一）"),
        ("1.推进扩权赋能", 3, "1."),
        ("1、推进扩权赋能", 3, "1、"),
        ("1．推进扩权赋能", 3, "1．"),
        ("(1)完善制度", 4, "(1)"),
        ("（1）完善制度", 4, "（1）"),
    ],
)
def test_level_follows_the_marker_family(line, level, marker):
    """一、=1, (一)/（一）=2, 1./1、/1．=3, (1)/（1）=4; the marker is kept as written."""
    assert headings(line + "\n正文。\n") == [(level, marker, line[len(marker) :])]


def test_title_ends_at_the_first_full_stop_or_semicolon():
    """A heading running into its body text ends its title at 。 or ；."""
    text = "（一）推进行政机关依法高效履职。一是深化改革。\n（二）严格执法；加强培训。\n"
    assert [t for _, _, t in headings(text)] == ["推进行政机关依法高效履职", "严格执法"]


def test_inline_enumerations_are_not_headings():
    """一是…二是… and 其一 enumerations are body text."""
    text = "一、主要举措\n一是深化改革。二是优化服务。其一，加强领导。\n二、存在不足\n"
    assert [m for _, m, _ in headings(text)] == ["一、", "二、"]


@pytest.mark.parametrize(
    "line",
    [
        "1.5亿元资金全部到位。",
        "2023年全面完成各项任务。",
        "12345热线全年受理诉求。",
        "3.14%的增幅。",
    ],
)
def test_numbers_at_line_start_are_not_markers(line):
    """1.5亿, 2023年 and other numbers that open a line are not level-3 markers."""
    assert headings(f"一、工作成效\n{line}\n") == [(1, "一、", "工作成效")]


def test_list_items_inside_a_sentence_are_not_headings():
    """Items after a colon or semicolon inside a paragraph are not headings."""
    text = "一、主要举措\n重点包括：1.完善制度；2.强化执行；3.加强监督。\n"
    assert headings(text) == [(1, "一、", "主要举措")]


def test_numbering_restarts_under_a_new_parent_and_for_a_plans_list():
    """1. restarts under each (一); a plans list 一、二、 after the main body restarts level 1."""
    text = (
        "一、主要举措\n（一）放管服\n1.甲项\n2.乙项\n（二）执法\n1.丙项\n"
        "二、存在不足\n三、下一步安排\n一、加强学习\n二、完善制度\n"
    )
    got = headings(text)
    assert [m for _, m, _ in got] == [
        "一、", "（一）", "1.", "2.", "（二）", "1.", "二、", "三、", "一、", "二、",
    ]  # fmt: skip


def test_level_three_list_directly_under_level_one():
    """A 1. list directly under 一、 (no （一） level) gets the 一、 heading as parent."""
    sections = split_sections("一、主要举措\n1.甲项工作。\n2.乙项工作。\n二、不足\n")
    assert [(s.level, s.parent) for s in sections] == [(1, None), (3, 0), (3, 0), (1, None)]


def test_indented_headings_are_found():
    """Leading half- and full-width spaces before a marker are allowed."""
    text = "  一、主要举措\n\u3000\u3000（一）深化改革\n\t1.具体措施\n"
    assert [lvl for lvl, _, _ in headings(text)] == [1, 2, 3]


def test_heading_after_a_sentence_end_in_a_run_together_page():
    """In a page whose paragraphs were run together, a marker after 。 that continues the
    numbering is a heading."""
    text = "一、主要举措。（一）深化改革。推进工作。（二）严格执法。二、存在不足。"
    assert [m for _, m, _ in headings(text)] == ["一、", "（一）", "（二）", "二、"]


def test_out_of_sequence_marker_mid_line_is_rejected():
    """A mid-line marker that does not continue its level's numbering is not a heading."""
    text = "一、主要举措\n推进工作。5.其他事项说明。\n"
    assert headings(text) == [(1, "一、", "主要举措")]


def test_offsets_parents_and_bodies_are_consistent():
    """start points at the marker, sections tile the text in order, parent is the enclosing
    shallower heading and text holds the body after the title."""
    text = "前言。\n一、主要举措\n（一）深化改革。推进甲项。\n（二）严格执法\n正文乙。\n二、不足\n"
    sections = split_sections(text)
    for s in sections:
        assert text.startswith(s.marker, s.start)
        assert s.start < s.end <= len(text)
    assert [s.end for s in sections[:-1]] == [s.start for s in sections[1:]]
    assert [s.parent for s in sections] == [None, 0, 0, None]
    assert sections[1].text == "推进甲项。"


@pytest.mark.parametrize("gap", ["  ", "\u3000", "   \u3000"])
def test_headings_on_a_one_line_page_separated_by_spaces(gap):
    """A page whose paragraphs were joined with wide gaps still yields its headings, and a title
    stops at the gap."""
    text = gap.join(
        [
            "前言如下：",
            "一、主要举措",
            "（一）深化改革",
            "1.甲项工作",
            "2.乙项工作",
            "二、不足",
            "正文。",
        ]
    )
    assert headings(text) == [
        (1, "一、", "主要举措"),
        (2, "（一）", "深化改革"),
        (3, "1.", "甲项工作"),
        (3, "2.", "乙项工作"),
        (1, "二、", "不足"),
    ]


def test_single_space_inside_a_sentence_is_not_a_paragraph_gap():
    """A number after a single space inside a sentence is not a heading."""
    text = "一、主要举措\n全年完成 2.项目验收，并推进 (二)期建设。\n"
    assert headings(text) == [(1, "一、", "主要举措")]


def test_punctuation_after_a_marker_is_not_part_of_the_title():
    """（一）、加强领导: the stray 、 after the marker does not start the title."""
    assert headings("（一）、加强领导\n正文。\n") == [(2, "（一）", "加强领导")]
