"""Properties of parse_text on arbitrary, truncated, shuffled and garbled text: it never raises,
and its offsets and quotes agree with the input."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports.parsing import ParsedReport, parse_text

CORPUS = sorted((Path(__file__).parents[2] / "fixtures" / "corpus").glob("*.txt"))
SAMPLES = [p.read_text("utf-8") for p in CORPUS]
REPORT_CHARS = (
    '一二三四五六七八九十两百千万亿〇零0123456789０１２３.．,，、。；;：:（）()“”《》"%％'
    "件项次人家个场份名户批支本条台宗起期张类卷元万亿率余多以上近超逾约左右同比下降增长第届是"
    "共累计截至其中含受理办结行政复议案件满意率达为均和及\n \u3000"
)
PROPERTY_SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def assert_consistent(text: str, parsed: ParsedReport) -> None:
    """Every offset indexes into ``text`` and every quote is the span it claims to be."""
    for s in parsed.sections:
        assert 0 <= s.start < s.end <= len(text)
        assert text.startswith(s.marker, s.start)
        assert s.parent is None or parsed.sections[s.parent].level < s.level
    for q in parsed.indicators:
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start : q.end] == q.quote
        assert q.section is None or 0 <= q.section < len(parsed.sections)
        assert q.kind in ("count", "rate", "money", "change", "measure")
        assert q.subject


@PROPERTY_SETTINGS
@given(st.text(alphabet=REPORT_CHARS, max_size=400))
def test_arbitrary_report_like_text_parses_consistently(text):
    """Random strings over the reports' characters never make the parser raise."""
    assert_consistent(text, parse_text(text))


@PROPERTY_SETTINGS
@given(st.text(max_size=300))
def test_arbitrary_unicode_parses_consistently(text):
    """Any Unicode string parses without error."""
    assert_consistent(text, parse_text(text))


@PROPERTY_SETTINGS
@given(st.sampled_from(SAMPLES), st.integers(0, 20_000), st.integers(0, 20_000))
def test_truncated_samples_parse_consistently(sample, a, b):
    """Any slice of a real report parses, offsets relative to the slice."""
    text = sample[min(a, b) : max(a, b)]
    assert_consistent(text, parse_text(text))


@PROPERTY_SETTINGS
@given(st.sampled_from(SAMPLES), st.randoms(use_true_random=False))
def test_shuffled_samples_parse_consistently(sample, rnd):
    """Reports whose lines come in a random order still parse consistently."""
    lines = sample.splitlines(keepends=True)
    rnd.shuffle(lines)
    text = "".join(lines)
    assert_consistent(text, parse_text(text))


@PROPERTY_SETTINGS
@given(
    st.sampled_from(SAMPLES),
    st.lists(st.tuples(st.integers(0, 15_000), st.sampled_from(REPORT_CHARS)), max_size=60),
)
def test_garbled_samples_parse_consistently(sample, edits):
    """Reports with characters overwritten at random still parse consistently."""
    chars = list(sample)
    for pos, ch in edits:
        if chars:
            chars[pos % len(chars)] = ch
    text = "".join(chars)
    assert_consistent(text, parse_text(text))


@pytest.mark.parametrize(
    "unit",
    ["一", "1", "（", "“", "1.", "一、", "12件", "（一）", "、", "等", "，", "共收到", "1,000,"],
)
def test_degenerate_input_parses_to_a_consistent_result(unit):
    """Long runs of numerals, markers, brackets or quote marks parse, and every offset and quote
    of the result agrees with the input. (How the time grows with their length is measured by
    benchmarks/bench_parser.py, which prints it.)"""
    for size in (5_000, 40_000):
        text = unit * size
        assert_consistent(text, parse_text(text))
