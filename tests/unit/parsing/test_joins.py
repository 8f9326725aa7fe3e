"""Layout inside the text: a PDF's hard line breaks and Word's spacing around Latin characters are
layout, not text. A figure split by either is read as one figure, and its quote is still a
verbatim span of the text it was read from."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from reports.parsing import extract_text, parse_text
from reports.parsing.joins import join_layout
from tests.fixtures.files.build import pdf_document


def _figures(text: str) -> list[tuple[Decimal, str]]:
    return [(q.value, q.unit) for q in parse_text(text).indicators]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize(
    ("phrase", "value", "unit"),
    [
        ("全年召开专题会议 1 次。", 1, "次"),
        ("全年办理 1.3 万件政务服务事项。", 13_000, "件"),
        ("窗口服务满意率达 99%。", 99, "%"),
        ("网上可办率达到 100 %。", 100, "%"),
        ("共收到行政复议申请 86 件。", 86, "件"),
        ("涉及金额 2.48 亿元。", Decimal("2.48"), "亿元"),
        ("培训执法人员 1 200 人次。", 1200, "人次"),  # a space grouping thousands
        ("全年共收到行政复议申请 12 236 件。", 12_236, "件"),
        ("受理法律援助案件\u3000734\u3000件。", 734, "件"),
        ("累计归集数据 1.576 亿条。", 157_600_000, "条"),
    ],
)
def test_spaces_around_a_number_leave_the_figure_whole(phrase, value, unit):
    """Word's automatic spacing between Chinese and Latin characters, and a space between a
    number and its measure word or scale, do not hide the figure."""
    assert (Decimal(value), unit) in _figures(phrase)


@pytest.mark.parametrize(
    "text",
    [
        "全年共收到行政复议案件52件，依法受理11\n2件，审结48件。",
        "全年共收到行政复议案件52件，依法受理112\n件，审结48件。",
        "全年共收到行政复议案件52件，依法受理1\n12件，审结48件。",
    ],
)
def test_a_number_cut_by_a_line_break_is_one_figure(text):
    """A line break inside a number (受理11⏎2件) is a wrap, whatever the line lengths."""
    assert (Decimal(112), "件") in _figures(text)


def test_quotes_are_verbatim_spans_of_the_original_text():
    """Offsets map back through the view: every quote is the original text between the
    quantity's offsets, spaces and line breaks included."""
    text = "一、主要成效\n全年召开会议 1 次，受理行政复议申请11\n2件，满意率达 99 %。"
    for q in parse_text(text).indicators:
        assert text[q.start : q.end] == q.quote
        assert any(ch.isdigit() for ch in q.quote)


def test_numbers_of_a_table_row_are_not_glued_together():
    """Two numbers separated by a space or a line break are two numbers."""
    view = join_layout("2022年 2023年\n受理 45 52 件，1 2345 件")
    assert "45 52" in view.text
    assert "1 2345" in view.text


def test_a_heading_after_a_full_line_starts_its_own_paragraph():
    """A line that opens with a heading marker is never joined to the line before it."""
    lines = [
        "全年共收到行政复议案件五十二件依法受理",
        "四十八件审结了四十五件其余正在办理之中",
        "（二）加强规范性文件监督管理。审查文件",
    ]
    view = join_layout("\n".join(lines * 2))
    assert "\n（二）" in view.text


def test_short_headings_of_a_text_with_paragraph_lines_are_not_joined():
    """Headings of about the same length do not make a text of paragraph lines look
    hard-wrapped: its long lines show the lines are paragraphs."""
    body = "全年共审核规范性文件42件，报送备案42件，备案率100%，清理文件268件，废止9件，修改21件。"
    headings = [
        "（一）持续深化放管服改革工作",
        "（二）完善依法行政制度体系",
        "（三）推进重大行政决策科学化",
        "（四）严格规范公正文明执法",
    ]
    text = "\n".join(f"{h}\n{body[: 30 + 6 * i]}。" for i, h in enumerate(headings))
    assert join_layout(text).text == text


def _wrap(paragraphs: tuple[str, ...], width: int) -> tuple[str, ...]:
    lines: list[str] = []
    for paragraph in paragraphs:
        lines.extend(paragraph[i : i + width] for i in range(0, len(paragraph), width))
    return tuple(lines)


PARAGRAPHS = (
    "某县2023年法治政府建设年度报告",
    "一、主要举措和成效",
    "（一）深化行政复议体制改革。全年共收到行政复议申请112件，依法受理105件，审结98件，"
    "行政复议纠错率为12.5%，行政机关负责人出庭应诉率达100%。",
    "（二）加强规范性文件监督管理。审核行政规范性文件31件，报送备案31件，备案率100%，"
    "清理规范性文件126件，其中废止12件，修订8件。",
    "（三）严格规范公正文明执法。评查行政处罚案卷320卷，案卷合格率98.5%，组织执法人员"
    "专题培训12期，培训1500人次。",
)


@pytest.mark.parametrize("width", [13, 17, 22])
def test_a_hard_wrapped_pdf_reads_like_its_text(width):
    """A PDF whose text layer breaks every visual line gives the figures of the unwrapped text,
    with quotes that are spans of the extracted text."""
    extracted = extract_text(pdf_document(_wrap(PARAGRAPHS, width)), "wrapped.pdf").text
    assert "\n" in extracted
    expected = [(q.value, q.unit, q.code) for q in parse_text("\n".join(PARAGRAPHS)).indicators]
    parsed = parse_text(extracted)
    assert [(q.value, q.unit, q.code) for q in parsed.indicators] == expected
    for q in parsed.indicators:
        assert extracted[q.start : q.end] == q.quote


def test_a_page_of_spaced_figures_reads_like_its_text():
    """A page that writes every figure with spaces around the number loses none of them."""
    text = "\n".join(PARAGRAPHS)
    spaced = re.sub(r"(\d+(?:\.\d+)?)", r" \1 ", text)
    assert [(q.value, q.unit, q.code) for q in parse_text(spaced).indicators] == [
        (q.value, q.unit, q.code) for q in parse_text(text).indicators
    ]
    for q in parse_text(spaced).indicators:
        assert _squash(q.quote) in _squash(spaced)


def test_view_maps_offsets_both_ways():
    """``to_original`` and ``to_view`` are inverse on kept characters."""
    text = "办理 1.3 万件，\n受理11\n2件"
    view = join_layout(text)
    for i, ch in enumerate(view.text):
        original = view.to_original(i)
        assert text[original] == ch
        assert view.to_view(original) == i


@pytest.mark.parametrize(
    ("phrase", "value", "unit", "qualifier"),
    [
        ("占全省获奖项目总数的十分之一强。", 10, "%", "强"),
        ("调解案件约占受理总数的三分之二。", Decimal("66.67"), "%", None),
        ("占比达到四分之一。", 25, "%", None),
        ("明确10大类重点工作。", 10, "大类", None),
        ("发放宣传资料2万余份次。", 20_000, "份次", "余"),
        ("制作普法微视频12集。", 12, "集", None),
    ],
)
def test_shares_and_less_common_measure_words_are_figures(phrase, value, unit, qualifier):
    """三分之二 is a share in %; 大类, 份次, 集 are measure words like 类, 份, 期."""
    (q,) = parse_text(phrase).indicators
    assert (q.value, q.unit, q.qualifier) == (Decimal(value), unit, qualifier)


def test_a_space_between_ideographs_on_a_collapsed_page_ends_the_clause():
    """On a page whose line breaks became spaces, the heading before a paragraph does not run
    into the subject of the paragraph's first figure."""
    text = "一、主要举措 （一）深化行政复议改革 全年收到行政复议申请233件，受理112件。"
    first = parse_text(text).indicators[0]
    assert first.subject.endswith("行政复议申请")
    assert "改革" not in first.subject


@pytest.mark.parametrize("folio", ["- 3 -", "— 12 —", "第3页", "第 3 页 共 20 页", "3 / 20"])
def test_a_page_number_between_two_pages_does_not_cut_the_figure(folio):
    """A PDF's page number printed between the lines of a paragraph is layout too."""
    text = f"全年共收到行政复议申请233件，依法受理11\n{folio}\n2件，审结98件。"
    quantities = parse_text(text).indicators
    assert (Decimal(112), "件") in [(q.value, q.unit) for q in quantities]
    assert all(text[q.start : q.end] == q.quote for q in quantities)


def test_a_letter_spaced_line_reads_as_unspaced_text():
    """Some PDFs' text layers put a space after every character: the figures and subjects of
    such a line are those of the unspaced line."""
    plain = "全年共收到行政复议申请233件，依法受理112件。"
    spaced = " ".join(plain)
    assert [(q.value, q.subject, q.code) for q in parse_text(spaced).indicators] == [
        (q.value, q.subject, q.code) for q in parse_text(plain).indicators
    ]


def test_ordinary_spacing_is_not_taken_for_letter_spacing():
    """A line with a few spaces between its words keeps them apart."""
    view = join_layout("一、加强组织领导 构建新格局 推进法治政府建设")
    assert "领导\n构建" in view.text
