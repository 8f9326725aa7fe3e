"""Chinese full-text search on real PostgreSQL, checked against a substring scan of the corpus."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from indicators.models import IndicatorValue
from reports.models import Report, Section
from reports.search import sql
from reports.search.query import SearchQueryError
from reports.search.selectors import SearchFilters, report_search, section_search
from reports.search.vectors import normalise, query_words
from reports.services.ingest import report_ingest_file
from reports.services.parse import report_parse
from reports.services.sections import section_update

pytestmark = pytest.mark.django_db
CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"

DOMAIN_WORDS = [
    "行政复议", "法律援助", "营商环境", "出庭应诉率", "首违不罚", "规范性文件", "行政执法",
    "法治政府", "依法行政", "合法性审查", "行政诉讼", "公共法律服务", "人民调解", "矛盾纠纷",
    "普法", "法治宣传", "执法监督", "重大行政决策", "法律顾问", "政务公开", "放管服", "行政许可",
    "综合执法", "信访", "法治督察", "证明事项", "告知承诺制", "双随机", "一网通办", "行政处罚",
    "备案审查", "司法所", "负责人出庭", "法治建设", "第一责任人", "八五普法", "习近平法治思想",
    "基层治理", "公平竞争审查", "行政争议", "复议决定", "法治化", "调解", "执法人员", "行政应诉",
    "法治思维", "行政机关负责人", "法律明白人", "权责清单", "案件",
]  # fmt: skip
ABSENT_WORDS = ["量子计算", "火星基地", "区块链挖矿", "深海探测器", "核聚变"]


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    """The sample reports, ingested and parsed by the real services once for the module, and
    rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        for path in sorted(CORPUS.glob("*.txt")):
            outcome = report_ingest_file(data=path.read_bytes(), filename=path.name)
            report_parse(report_id=outcome.report_id)
        assert Section.objects.exists()
        yield
        transaction.set_rollback(True)


def sections_containing(*terms: str, exclude: str | None = None, **filters) -> set[int]:
    """The truth: sections whose title or text contains every term (ASCII case-folded)."""
    found = set()
    for s in Section.objects.filter(**filters).select_related("report"):
        title, text = normalise(s.title), normalise(s.text)
        if all(normalise(t) in title or normalise(t) in text for t in terms) and not (
            exclude and (exclude in title or exclude in text)
        ):
            found.add(s.pk)
    return found


def found(query: str, **kwargs) -> set[int]:
    result = section_search(query=query, limit=10_000, facets=False, **kwargs)
    assert result.total == len(result.hits)
    return {h.section.pk for h in result.hits}


def out_of_dictionary_strings(n: int = 20) -> list[str]:
    """Three- to five-character strings of the corpus that jieba does not cut as one word."""
    picked: list[str] = []
    sections = list(Section.objects.order_by("report_id", "position"))
    for i, s in enumerate(sections * 3):
        size = 3 + i % 3
        start = 7 * i % max(1, len(s.text) - size)
        cand = s.text[start : start + size]
        if (
            len(cand) == size
            and all("\u4e00" <= c <= "\u9fff" for c in cand)
            and len(query_words(cand)) > 1
            and cand not in picked
        ):
            picked.append(cand)
        if len(picked) == n:
            break
    return picked


def test_every_domain_word_is_found_exactly_where_the_text_contains_it(corpus):
    """Recall 1.0 and no false hit against a substring scan, for 50 domain words."""
    assert len(DOMAIN_WORDS) == 50
    assert sum(bool(sections_containing(w)) for w in DOMAIN_WORDS) >= 40  # a meaningful test
    for word in DOMAIN_WORDS:
        assert found(word) == sections_containing(word), word


def test_out_of_dictionary_strings_are_found_exactly(corpus):
    """Strings the dictionary cuts into several words (or lacks) are still found, and only
    where they occur as written."""
    strings = out_of_dictionary_strings()
    assert len(strings) == 20
    for s in strings:
        truth = sections_containing(s)
        assert truth, s
        assert found(s) == truth, s


def test_absent_words_find_nothing(corpus):
    """A word that occurs nowhere gives no hit."""
    for word in ABSENT_WORDS:
        assert not sections_containing(word)
        assert section_search(query=word).total == 0


def test_single_han_character_is_found_everywhere_it_occurs(corpus):
    """A single character is a term too (found through the character vector)."""
    for char in ("罚", "诉", "法"):
        assert found(char) == sections_containing(char)


def test_words_are_anded_by_default(corpus):
    """Two words find the sections containing both, wherever they are."""
    assert found("行政复议 法治政府") == sections_containing("行政复议", "法治政府")


def test_phrase_requires_the_words_to_be_adjacent(corpus):
    """A quoted phrase finds its words only where they are adjacent in the text."""
    pairs = [
        ("行政", "诉讼"),
        ("法治", "政府"),
        ("行政", "复议"),
        ("依法", "行政"),
        ("行政", "执法"),
    ]
    checked = 0
    for a, b in pairs:
        both, adjacent = sections_containing(a, b), sections_containing(a + b)
        assert found(f'"{a} {b}"') == adjacent
        assert found(f"{a} {b}") == both
        checked += adjacent < both  # some sections have both words apart
    assert checked


def test_phrase_matches_past_the_phrase_budget_are_still_found(corpus, monkeypatch):
    """When the word vectors of only a few candidates may be read to confirm a phrase, its
    other matches come after them, with the character matches: none is lost."""
    monkeypatch.setattr(sql, "PHRASE_BUDGET", 3)
    for phrase in ("行政诉讼", "法治政府", "依法行政", *out_of_dictionary_strings(5)):
        hits = section_search(query=f'"{phrase}"', limit=10_000, facets=False).hits
        assert {h.section.pk for h in hits} == sections_containing(phrase), phrase
        assert len(hits) == len({h.section.pk for h in hits}), phrase


def test_or_finds_either_term(corpus):
    """``a OR b`` is the union of both terms' sections."""
    expected = sections_containing("法律援助") | sections_containing("人民调解")
    assert found("法律援助 OR 人民调解") == expected


def test_exclusion_removes_sections_containing_the_term(corpus):
    """``-term`` drops every section containing it."""
    expected = sections_containing("行政复议", exclude="行政诉讼")
    assert expected < sections_containing("行政复议")
    assert found("行政复议 -行政诉讼") == expected


def test_a_query_without_a_term_is_refused(corpus):
    """Exclusions alone or an empty query raise ``invalid_query``."""
    for query in ("", "   ", "-行政复议"):
        with pytest.raises(SearchQueryError) as exc:
            section_search(query=query)
        assert exc.value.code == "invalid_query"


def test_filters_agree_with_orm_counts(corpus):
    """Province, year range, report, level and admin level filter like the ORM does."""
    report = Report.objects.exclude(province="").order_by("id").first()
    assert report is not None
    cases = [
        (SearchFilters(province=report.province), {"report__province": report.province}),
        (SearchFilters(report_id=report.pk), {"report_id": report.pk}),
        (SearchFilters(level=2), {"level": 2}),
        (
            SearchFilters(admin_level=report.admin_level),
            {"report__admin_level": report.admin_level},
        ),
    ]
    if report.report_year:
        y = report.report_year
        cases.append(
            (
                SearchFilters(year_from=y, year_to=y),
                {"report__report_year__gte": y, "report__report_year__lte": y},
            )
        )
    for filters, orm in cases:
        for word in ("法治", "行政复议"):
            assert found(word, filters=filters) == sections_containing(word, **orm), orm


def test_indicator_filter_keeps_sections_with_a_value_of_that_code(corpus):
    """``indicator_code`` keeps sections holding a (not rejected) value of the code."""
    values = IndicatorValue.objects.exclude(definition=None).exclude(section=None)
    code = Counter(v.definition.code for v in values.select_related("definition")).most_common(1)
    assert code, "the sample corpus gives no section a value with an indicator code"
    with_code = set(values.filter(definition__code=code[0][0]).values_list("section_id", flat=True))
    expected = sections_containing("法") & with_code
    assert found("法", filters=SearchFilters(indicator_code=code[0][0])) == expected


def test_facet_counts_agree_with_orm_counts(corpus):
    """Facets count the matching sections by year, province, admin level and section level."""
    result = section_search(query="法治", limit=5)
    truth = Section.objects.filter(pk__in=sections_containing("法治")).select_related("report")
    assert result.total == truth.count()
    expected = {
        "report_year": Counter(s.report.report_year for s in truth),
        "province": Counter(s.report.province for s in truth),
        "admin_level": Counter(s.report.admin_level for s in truth),
        "level": Counter(s.level for s in truth),
    }
    for name, counts in expected.items():
        assert dict(result.facets[name]) == dict(counts), name


def _facet_truth(query: str) -> tuple[int, dict[str, Counter]]:
    truth = Section.objects.filter(pk__in=sections_containing(query)).select_related("report")
    return truth.count(), {
        "report_year": Counter(s.report.report_year for s in truth),
        "province": Counter(s.report.province for s in truth),
        "admin_level": Counter(s.report.admin_level for s in truth),
        "level": Counter(s.level for s in truth),
    }


def test_facets_are_exact_up_to_the_facet_cap(corpus, settings):
    """With exactly as many matches as the cap, the facets and the total are exact."""
    total, expected = _facet_truth("法治")
    settings.SEARCH_FACET_CAP = total
    result = section_search(query="法治", limit=5)
    assert result.facets_exact
    assert result.total_exact
    assert result.total == total
    assert dict(result.facets["province"]) == dict(expected["province"])


def test_facet_counts_are_floors_past_the_facet_cap(corpus, settings):
    """Past the cap the facets and the total are flagged, and no count exceeds the truth."""
    total, expected = _facet_truth("法治")
    assert total > 10
    settings.SEARCH_FACET_CAP = total - 1
    assert not section_search(query="法治", limit=5).facets_exact
    settings.SEARCH_FACET_CAP = 10
    result = section_search(query="法治", limit=5)
    assert not result.facets_exact
    assert not result.total_exact
    assert 10 <= result.total < total
    for name, counts in expected.items():
        floors = dict(result.facets[name])
        assert floors
        assert all(0 < n <= counts[value] for value, n in floors.items()), name
        assert sum(floors.values()) < total, name


def test_report_facets_count_each_matching_report_once(corpus, settings):
    """Facets of reports count reports, exactly, whatever the sections' facet cap."""
    settings.SEARCH_FACET_CAP = 1
    result = report_search(query="法治", limit=1)
    reports = Report.objects.filter(sections__pk__in=sections_containing("法治")).distinct()
    assert result.total == reports.count()
    assert result.facets_exact
    assert result.total_exact
    assert dict(result.facets["province"]) == dict(Counter(r.province for r in reports))
    assert dict(result.facets["report_year"]) == dict(Counter(r.report_year for r in reports))
    assert len(result.hits) == 1


def test_highlights_land_exactly_on_the_matched_text(corpus):
    """Every highlight of a snippet or title spans the term in the original text."""
    for query, term in (("行政复议", "行政复议"), ('"法治 政府"', "法治政府"), ("罚", "罚")):
        result = section_search(query=query, limit=50)
        assert result.hits
        for hit in result.hits:
            snippet = hit.snippet
            source = hit.section.text or hit.section.title  # a heading without body: its title
            assert snippet.highlights or term not in source
            assert source[snippet.start : snippet.start + len(snippet.text)] == snippet.text
            for start, end in snippet.highlights:
                assert snippet.text[start:end] == term
            for start, end in hit.title_highlights:
                assert hit.section.title[start:end] == term


def test_word_matches_rank_above_character_matches(corpus):
    """Sections where the term is a word come before those that only contain its characters."""
    hits = section_search(query="法", limit=10_000).hits
    flags = [h.word_match for h in hits]
    assert True in flags
    assert False in flags
    assert flags == sorted(flags, reverse=True)


def test_title_matches_rank_above_body_matches(corpus):
    """Among word matches, sections with the word in their title come first."""
    hits = [h for h in section_search(query="行政复议", limit=10_000).hits if h.word_match]
    in_title = ["行政复议" in h.section.title for h in hits]
    assert True in in_title
    assert False in in_title
    assert in_title == sorted(in_title, reverse=True)


def test_hit_path_runs_from_report_title_to_the_section(corpus):
    """A hit's path is the report title, then each enclosing heading, then its own."""
    for hit in section_search(query="法治", limit=50).hits:
        chain, node = [], hit.section
        while node is not None:
            chain.append(f"{node.marker}{node.title}")
            node = node.parent
        assert hit.path == [str(hit.section.report), *reversed(chain)]


def test_pages_do_not_overlap_and_cover_every_hit(corpus):
    """Offset/limit pages concatenate to the full ranked list."""
    full = [h.section.pk for h in section_search(query="法治", limit=10_000).hits]
    pages = []
    for offset in range(0, len(full), 7):
        pages += [h.section.pk for h in section_search(query="法治", offset=offset, limit=7).hits]
    assert pages == full


def test_total_without_facets_is_exact_or_a_floor_with_a_next_page(corpus):
    """Without facets a page's total is exact, or flagged as a floor that never exceeds the
    true count and still promises the next page."""
    cases = {"法治": "法治", "法": "法", "行政复议": "行政复议", '"行政 诉讼"': "行政诉讼"}
    cases.update((s, s) for s in out_of_dictionary_strings(8))
    for query, term in cases.items():
        truth = len(sections_containing(term))
        result = section_search(query=query, limit=5, facets=False, count_cap=10)
        assert len(result.hits) == min(5, truth), query
        if result.total_exact:
            assert result.total == truth, query
        else:
            assert 5 < result.total <= truth, query


def test_total_is_a_floor_past_the_count_cap(corpus):
    """A frequent character counted up to a small cap gives a floor, not the cap's value."""
    truth = len(sections_containing("法"))
    result = section_search(query="法", offset=20, limit=10, facets=False, count_cap=5)
    assert not result.total_exact
    assert 30 < result.total <= truth


def test_report_search_counts_matching_sections_per_report(corpus):
    """Each report hit carries its number of matching sections and a best matching section."""
    result = report_search(query="行政复议")
    truth = Counter(
        Section.objects.filter(pk__in=sections_containing("行政复议")).values_list(
            "report_id", flat=True
        )
    )
    assert result.total == len(truth)
    assert {h.report.pk: h.hits for h in result.hits} == dict(truth)
    for hit in result.hits:
        assert hit.best is not None
        assert hit.best.section.report_id == hit.report.pk
        assert "行政复议" in hit.best.section.title + hit.best.section.text


def test_curator_edit_is_searchable_at_once(corpus):
    """Editing a section's text through the curation service re-indexes it."""
    section = Section.objects.order_by("id").first()
    assert not sections_containing("府院协同机制")
    section_update(section=section, fields={"text": section.text + "建立府院协同机制。"})
    assert found("府院协同机制") == {section.pk}


def test_reindex_command_rebuilds_stale_sections(corpus):
    """``reindex_search`` rewrites sections indexed with another dictionary version."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE reports_section SET search_vector = NULL, segmenter_version = 'old'")
    # Without its word vector a section is still found, by its characters, but not as a word match.
    before = section_search(query="行政复议", limit=1000).hits
    assert {h.section.pk for h in before} == sections_containing("行政复议")
    assert not any(h.word_match for h in before)
    call_command("reindex_search")
    assert found("行政复议") == sections_containing("行政复议")
    assert all(h.word_match for h in section_search(query="行政复议", limit=1000).hits)


def test_reindex_twice_in_one_transaction(corpus):
    """Batches may follow each other in one transaction (the module's, here)."""
    call_command("reindex_search", "--all", "--batch-size", "7")
    call_command("reindex_search", "--all")
    assert found("行政复议") == sections_containing("行政复议")


def test_ranked_pages_hold_every_match(corpus):
    """Ranking by tiers loses no match: all the pages together are the sections that match."""
    cases = {
        "法治": sections_containing("法治"),
        "行政复议 法治政府": sections_containing("行政复议", "法治政府"),
        '"行政 诉讼"': sections_containing("行政诉讼"),
    }
    for query, truth in cases.items():
        hits = section_search(query=query, limit=10_000).hits
        assert {h.section.pk for h in hits} == truth, query


def _samples() -> list[tuple[str, str]]:
    from reports.parsing import split_sections

    samples = [
        (s.title, s.text)
        for path in sorted(CORPUS.glob("*.txt"))
        for s in split_sections(path.read_text(encoding="utf-8"))
    ]
    samples.append(("Rule-of-Law 报告", "O'Brien 的 C:\\法治 路径 ABC abc 行政复议 行政复议"))
    samples.append(("", ""))
    return samples


def test_recall_vector_is_derived_in_the_database_as_defined():
    """``section_recall`` (the GIN index's expression) holds every character, every pair of
    adjacent characters, every word and the words' markers, as ``vectors.recall_lexemes``
    defines them: nothing more but pairs with whitespace, which no query asks for."""
    from reports.search.vectors import recall_lexemes, section_vector

    samples = _samples()
    samples.append(("推进行政复议", "行政复议" * 5 + "，法律援助法律援助。首违不罚"))
    with connection.cursor() as cursor:
        for title, text in samples:
            cursor.execute(
                "SELECT tsvector_to_array(section_recall(%s, %s, %s::tsvector))",
                [title, text, section_vector(title, text)],
            )
            (lexemes,) = cursor.fetchone()
            expected = recall_lexemes(title, text)
            assert {lex for lex in lexemes if not any(c.isspace() for c in lex)} == expected
    assert {"==行政复议", "=T=行政复议", "=4=行政复议", "=2=法律援助", "首违"} <= expected
    assert "=4=法律援助" not in expected


def test_vector_literals_come_in_postgresqls_own_order():
    """The word vector is written as PostgreSQL prints it back (lexemes sorted, positions in
    order, quotes and backslashes doubled), so it has nothing to sort when it reads one."""
    from reports.search.vectors import section_vector

    samples = _samples()
    assert len(samples) > 20
    with connection.cursor() as cursor:
        for title, text in samples:
            words = section_vector(title, text)
            cursor.execute("SELECT %s::tsvector::text", [words])
            assert cursor.fetchone() == (words,)


def test_search_vectors_are_compressed_with_lz4_where_the_server_has_it():
    """Migration 0006: lz4 for the word vector when the server was built with it, else pglz."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        has_lz4 = cursor.fetchone()[0]
        cursor.execute(
            "SELECT attname, attcompression FROM pg_attribute "
            "WHERE attrelid = 'reports_section'::regclass AND attname LIKE '%%_vector'"
        )
        methods = dict(cursor.fetchall())
    expected = "l" if has_lz4 else ""
    assert methods == {"search_vector": expected}
