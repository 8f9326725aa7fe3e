"""A stretch of text cut into paragraphs with figures marked in place (pure)."""

from __future__ import annotations

from reports.reading import paragraphs_marked, pieces_marked

TEXT = "共收到行政复议案件52件,办结50件。\n\u3000\u3000受理法律援助案件734件。\n\n"


def _spans(*quotes: str, text: str = TEXT):
    return [(text.index(q), text.index(q) + len(q), q) for q in quotes]


def test_pieces_cover_the_text_exactly_with_figures_marked():
    spans = _spans("行政复议案件52件", "办结50件")
    pieces = pieces_marked(TEXT, 0, len(TEXT), spans)
    assert "".join(p.text for p in pieces) == TEXT
    assert [(p.text, p.mark) for p in pieces if p.mark] == [
        ("行政复议案件52件", "行政复议案件52件"),
        ("办结50件", "办结50件"),
    ]


def test_a_figure_inside_a_longer_quote_keeps_its_own_stretch():
    """Nested quotes: the inner one owns its text, the outer one the rest; both anchored."""
    outer, inner = "共收到行政复议案件52件,办结50件", "办结50件"
    pieces = pieces_marked(TEXT, 0, len(TEXT), _spans(outer, inner))
    marked = [(p.text, p.mark, p.anchor) for p in pieces if p.mark]
    assert marked == [("共收到行政复议案件52件,", outer, True), (inner, inner, True)]


def test_a_quote_hidden_under_another_gets_an_empty_anchor():
    same = _spans("办结50件") * 2
    same[1] = (same[1][0], same[1][1], "twin")
    pieces = pieces_marked(TEXT, 0, len(TEXT), same)
    anchors = [(p.text, p.mark) for p in pieces if p.anchor]
    assert sorted(m for _, m in anchors) == ["twin", "办结50件"]
    assert "".join(p.text for p in pieces) == TEXT


def test_spans_outside_the_stretch_are_left_to_their_own_stretch():
    second = TEXT.index("受理")
    spans = _spans("行政复议案件52件", "法律援助案件734件")
    first = pieces_marked(TEXT, 0, second, spans)
    assert [p.mark for p in first if p.mark] == ["行政复议案件52件"]


def test_paragraphs_split_at_line_breaks_and_trim_indents():
    spans = _spans("法律援助案件734件")
    paragraphs = paragraphs_marked(TEXT, 0, len(TEXT), spans)
    assert ["".join(p.text for p in para) for para in paragraphs] == [
        "共收到行政复议案件52件,办结50件。",
        "受理法律援助案件734件。",
    ]
    assert [p.mark for p in paragraphs[1] if p.mark] == ["法律援助案件734件"]
