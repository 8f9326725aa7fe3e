"""The search query language and the vectors it is matched against: pure code, no database."""

from __future__ import annotations

import re

import pytest

from reports.search.query import MAX_TERM_LENGTH, SearchQueryError, Term, parse_query
from reports.search.snippets import find_matches, make_snippet
from reports.search.vectors import BODY_GAP, normalise, recall_lexemes, section_vector

_LEXEME = re.compile(r"'((?:[^']|'')*)'(?::([0-9A-D,]+))?")


def parsed_vector(literal: str) -> dict[str, list[str]]:
    return {m[1].replace("''", "'"): (m[2] or "").split(",") for m in _LEXEME.finditer(literal)}


def texts(query) -> list[list[str]]:
    return [[t.text for t in group] for group in query.groups]


def test_words_are_anded_by_default():
    """Whitespace-separated terms each form their own AND group."""
    assert texts(parse_query("行政复议  法律援助\u3000营商环境")) == [
        ["行政复议"],
        ["法律援助"],
        ["营商环境"],
    ]


@pytest.mark.parametrize("word", ["OR", "|", "或"])
def test_or_joins_neighbouring_terms_into_one_group(word):
    """``a OR b c`` is (a or b) and c."""
    assert texts(parse_query(f"行政复议 {word} 行政诉讼 普法")) == [
        ["行政复议", "行政诉讼"],
        ["普法"],
    ]


def test_minus_excludes_a_term():
    """A leading minus makes the term an exclusion, quoted or not."""
    query = parse_query('行政复议 -行政诉讼 -"信访 件"')
    assert texts(query) == [["行政复议"]]
    assert [t.text for t in query.excluded] == ["行政诉讼", "信访件"]


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ('"行政复议 案件"', "行政复议案件"),  # Chinese words are adjacent: no space between
        ("“首违 不罚”", "首违不罚"),  # Chinese quotation marks
        ('"Rule  of LAW"', "rule of law"),  # Latin words keep one space; ASCII case-folded
    ],
)
def test_quoted_phrase_is_one_term_of_adjacent_words(raw, text):
    """A quoted phrase is a single term whose words must follow each other in the text."""
    (group,) = parse_query(raw).groups
    assert [(t.text, t.phrase) for t in group] == [(text, True)]


@pytest.mark.parametrize("raw", ["", "   ", "-行政复议", '""'])
def test_query_without_a_positive_term_is_invalid(raw):
    """Nothing to search for (or exclusions only) is an ``invalid_query`` error."""
    with pytest.raises(SearchQueryError) as exc:
        parse_query(raw)
    assert exc.value.code == "invalid_query"


def test_over_long_term_is_invalid():
    """A term longer than the limit is refused rather than silently cut."""
    with pytest.raises(SearchQueryError):
        parse_query("法" * (MAX_TERM_LENGTH + 1))


@pytest.mark.parametrize("term", ["行政应诉", "出庭应诉率", "法律援助中心", "首违不罚", "复议体"])
def test_word_query_chains_the_words_by_their_character_offsets(term):
    """Positions are character offsets: each word follows the previous one after exactly the
    previous word's length, so the chain spells the term."""
    rank = parse_query(term).rank_tsquery()
    lexemes = re.findall(r"'([^']+)'", rank)
    distances = [int(d) for d in re.findall(r"<(\d+)>", rank)]
    assert "".join(lexemes) == term
    assert distances == [len(w) for w in lexemes[:-1]]


@pytest.mark.parametrize(
    ("term", "grams"),
    [("法", {"法"}), ("行政", {"行政"}), ("行政复议", {"行政", "政复", "复议"})],
)
def test_term_grams_are_the_characters_or_bigrams_a_text_must_contain(term, grams):
    """One or two characters are their own lexeme (exact); longer terms need all bigrams."""
    t = Term.of(term)
    assert t.grams == grams
    assert t.exact_by_grams == (len(term) <= 2)


def test_word_positions_point_at_the_word_in_the_original_text():
    """Every position of the word vector is 1 + the word's character offset (body after the
    title and a gap), and title positions carry weight A."""
    title, text = "推进行政复议体制改革", "全年收到行政复议申请52件，法律援助中心办理ABC案件。"
    vector = parsed_vector(section_vector(title, text))
    assert vector
    shift = len(title) + BODY_GAP
    for word, positions in vector.items():
        for entry in positions:
            pos = int(entry.rstrip("ABCD"))
            if entry.endswith("A"):
                assert normalise(title)[pos - 1 : pos - 1 + len(word)] == word
            else:
                assert normalise(text)[pos - 1 - shift : pos - 1 - shift + len(word)] == word


def test_recall_vector_holds_every_character_and_bigram():
    """The recall vector contains each character and each pair of adjacent characters."""
    text = "首违不罚，轻微免罚"
    lexemes = recall_lexemes("", text)
    for i, char in enumerate(text):
        assert char in lexemes
        if i + 1 < len(text):
            assert text[i : i + 2] in lexemes


def test_highlights_span_each_occurrence_in_the_original_text():
    """Highlights are offsets into the original text, case-folded only for ASCII letters."""
    text = "推行ABC执法，abc执法再推行"
    spans = find_matches(text, ["abc执法"])
    assert [text[s:e] for s, e in spans] == ["ABC执法", "abc执法"]


def test_snippet_highlights_are_relative_to_the_window_and_never_cut():
    """A snippet window's highlights index into the window and only cover whole matches."""
    text = "前" * 300 + "行政复议" + "后" * 300 + "行政复议"
    snippet = make_snippet(text, ["行政复议"], before=10, length=40)
    assert text[snippet.start : snippet.start + len(snippet.text)] == snippet.text
    assert [snippet.text[s:e] for s, e in snippet.highlights] == ["行政复议"]
    assert "<mark>行政复议</mark>" in snippet.html


def random_han(n: int, seed: int) -> str:
    """``n`` characters drawn from 3,000 Han characters: nearly every pair is a new bigram."""
    import random

    rng = random.Random(seed)  # noqa: S311
    return "".join(chr(0x4E00 + rng.randrange(3000)) for _ in range(n))


def test_a_section_with_too_many_words_keeps_its_first_words_within_the_budget():
    """The database derives the recall vector from the word vector (each word four times at
    most, with its markers) and the text: a huge section's word vector keeps its title's words,
    then its body's in order of first occurrence, within ``WORDS_BUDGET`` bytes."""
    from reports.search.vectors import WORDS_BUDGET

    text = "".join(chr(0x4E00 + i) for i in range(20_000)) * 2  # 60,000 bytes of single words
    words = parsed_vector(section_vector("一、总体情况", text))
    size = sum(len(lex.encode()) for lex in words)
    assert WORDS_BUDGET / 2 < size < WORDS_BUDGET
    assert "总体" in words
    first = sorted(words.values(), key=lambda p: int(p[0].rstrip("ABCD")))
    assert int(first[-1][0].rstrip("ABCD")) < 16_000  # the words of the end were dropped


def test_an_ordinary_long_section_is_indexed_whole():
    """Below the limits nothing is dropped, however long the section."""
    text = "建立健全行政复议案件审理机制，" * 4000
    recall = recall_lexemes("", text)
    assert {text[i : i + 2] for i in range(len(text) - 1)} <= recall
    assert len(parsed_vector(section_vector("", text))["行政复议"]) == 255  # positions: capped
