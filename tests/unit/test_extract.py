"""Text extraction: decoding (UTF-8, BOM, GB18030/GBK detected) and every file format. No DB."""

import codecs
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.errors import EmptyFileError, UndecodableFileError, UnsupportedFormatError
from reports.parsing import extract_text
from reports.parsing.extract import control_count
from tests.conftest import CORPUS_DIR
from tests.fixtures.files import build

CORPUS_TEXT = (CORPUS_DIR / "000_21c7d6ccdca8baa6.txt").read_text("utf-8")
SHORT = "全年共收到行政复议案件52件，审结48件。"


def junk(seed: int, size: int) -> bytes:
    """Reproducible random bytes."""
    return random.Random(seed).randbytes(size)  # noqa: S311


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "gb2312"])
@pytest.mark.parametrize("text", [SHORT, build.report_text()], ids=["sentence", "report"])
def test_chinese_legacy_encodings_are_detected(encoding, text):
    """GBK, GB18030 and GB2312 bytes decode to the original text without being declared."""
    extracted = extract_text(text.encode(encoding), "report.txt")
    assert extracted.text == text
    assert extracted.encoding == "gb18030"  # the superset that decodes all three
    assert extracted.format == "txt"


def test_whole_report_in_gb18030_is_decoded():
    """A full report saved as GB18030 (characters outside GBK included) reads back unchanged."""
    text = CORPUS_TEXT.strip() + "\n䶮"  # U+4DAE exists in GB18030, not in GBK
    extracted = extract_text(text.encode("gb18030"), "report.txt")
    assert extracted.text == text


def test_utf8_byte_order_mark_is_dropped():
    """A UTF-8 BOM is recognised and is not part of the text."""
    extracted = extract_text(codecs.BOM_UTF8 + SHORT.encode("utf-8"), "report.txt")
    assert extracted.text == SHORT
    assert extracted.encoding == "utf-8-sig"


def test_utf16_with_byte_order_mark_is_decoded():
    """UTF-16 text saved by Windows editors (with BOM) is decoded."""
    assert extract_text(SHORT.encode("utf-16"), "report.txt").text == SHORT


def test_windows_line_ends_become_newlines():
    """CRLF and CR line ends are unified to LF so offsets do not depend on the source OS."""
    extracted = extract_text("一、总体情况\r\n正文\r二、问题\r\n".encode(), "report.txt")
    assert extracted.text == "一、总体情况\n正文\n二、问题"


@pytest.mark.parametrize(
    "data",
    [
        junk(1, 4096),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + junk(2, 2000),
        bytes(b | 0x80 for b in junk(3, 3000)),
    ],
    ids=["random", "png", "high-bytes"],
)
def test_binary_data_renamed_txt_is_undecodable(data):
    """Binary data with a .txt name is refused as undecodable, not stored as mojibake."""
    with pytest.raises(UndecodableFileError) as caught:
        extract_text(data, "photo.txt")
    assert caught.value.code == "undecodable"
    assert "photo.txt" in caught.value.message


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n", codecs.BOM_UTF8 + b"\n\n"])
def test_empty_file_is_refused(data):
    """A file with nothing but whitespace is an empty file."""
    with pytest.raises(EmptyFileError) as caught:
        extract_text(data, "blank.txt")
    assert caught.value.code == "empty_file"


@pytest.mark.parametrize("filename", ["report.doc", "report.xlsx", "report", "archive.zip"])
def test_unsupported_extension_is_refused(filename):
    """Only txt, html/htm, docx and pdf are read."""
    with pytest.raises(UnsupportedFormatError) as caught:
        extract_text(b"some bytes", filename)
    assert caught.value.code == "unsupported_format"


def test_extension_is_case_insensitive():
    """REPORT.TXT is read like report.txt."""
    assert extract_text(SHORT.encode(), "REPORT.TXT").text == SHORT


def test_html_keeps_main_content_without_navigation_or_footer():
    """The article is kept; navigation links and the footer are not in the text."""
    extracted = extract_text(build.html_page(), "report.html")
    assert extracted.format == "html"
    for paragraph in build.PARAGRAPHS:
        assert paragraph in extracted.text
    for nav in build.NAV_TEXT:
        assert nav not in extracted.text
    assert build.FOOTER_TEXT not in extracted.text


def test_html_headings_and_paragraphs_are_separate_lines():
    """Each heading and paragraph of the page is a line of its own (section markers start lines)."""
    lines = extract_text(build.html_page(), "report.htm").text.split("\n")
    assert lines[0] == build.TITLE
    assert "一、主要举措和成效" in lines
    assert "二、存在的不足" in lines
    assert "（一）深化行政复议体制改革。全年共收到行政复议案件52件，审结48件。" in lines


PUBLISHED_PAGE = """<html><head><meta charset="utf-8">
<title>某县2023年法治政府建设年度报告_某县人民政府</title>
<meta name="PubDate" content="2024-03-15 09:30"></head><body>
<div class="nav"><a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a></div>
<h1>某县2023年法治政府建设年度报告</h1>
<div class="content">
<p>2023年，某县坚持以习近平法治思想为指导，扎实推进法治政府建设。现将有关情况报告如下：</p>
<p>一、主要举措和成效</p>
<p>全年共收到行政复议案件52件，依法受理32件，行政机关负责人出庭应诉率达100%。</p>
<p>二、存在的不足</p><p>基层法治力量有待进一步充实。</p>
</div><div class="footer">版权所有：某县人民政府</div></body></html>"""


def test_html_publishing_date_from_page_markup_reaches_the_metadata():
    """A page whose date is only in its markup (meta PubDate) still gives published_on."""
    from datetime import date

    from reports.parsing import parse_text

    extracted = extract_text(PUBLISHED_PAGE.encode("utf-8"), "report.html")
    assert "2024-03-15" in extracted.text
    assert parse_text(extracted.text).metadata.published_on == date(2024, 3, 15)


def test_html_in_gbk_is_decoded():
    """A GBK page (declared or not) reads as the same text as its UTF-8 twin."""
    utf8 = extract_text(build.html_page("utf-8"), "a.html").text
    declared = extract_text(build.html_page("gbk"), "b.html").text
    undeclared = extract_text(build.html_page("gbk").replace(b"charset", b"data-x"), "c.html")
    assert declared == utf8
    assert undeclared.text == utf8


def test_docx_paragraphs_and_tables_are_read_in_order():
    """Paragraphs come in document order, then the table rows with their cells tab-separated."""
    lines = extract_text(build.docx_document(), "report.docx").text.split("\n")
    assert lines[: 1 + len(build.PARAGRAPHS)] == [build.TITLE, *build.PARAGRAPHS]
    assert lines[-2:] == ["指标\t数值", "出庭应诉率\t100%"]


def test_pdf_text_layer_is_read():
    """The Chinese text layer of a PDF is extracted line by line."""
    extracted = extract_text(build.pdf_document(), "report.pdf")
    assert extracted.format == "pdf"
    assert extracted.text.split("\n") == [build.TITLE, *build.PARAGRAPHS]


def test_pdf_without_text_layer_is_empty():
    """A PDF with no text (a scan) is refused as empty, naming the reason."""
    with pytest.raises(EmptyFileError) as caught:
        extract_text(build.pdf_document(lines=()), "scan.pdf")
    assert "no text layer" in caught.value.message


@pytest.mark.parametrize(
    ("filename", "data"),
    [
        ("broken.docx", b"PK\x03\x04 not really a zip"),
        ("broken.pdf", b"%PDF-1.4\nnot really a pdf"),
        ("truncated.pdf", build.pdf_document()[:200]),
    ],
)
def test_corrupt_documents_are_undecodable(filename, data):
    """A .docx or .pdf that cannot be opened is reported as undecodable."""
    with pytest.raises(UndecodableFileError):
        extract_text(data, filename)


@pytest.mark.parametrize(
    "name", ["qingshan_gbk.txt", "qingshan.html", "qingshan.docx", "qingshan.pdf"]
)
def test_sample_files_give_the_same_report_text(name):
    """The committed sample files (one per format) all carry the report's paragraphs."""
    extracted = extract_text((build.HERE / name).read_bytes(), name)
    assert extracted.text.startswith(build.TITLE)
    for paragraph in build.PARAGRAPHS:
        assert paragraph in extracted.text


@given(st.text(max_size=200))
@settings(max_examples=500)
def test_control_count_agrees_with_unicode_categories(text):
    """The quick path (one ``isprintable`` in C) counts what a scan of every character does."""
    import unicodedata

    slow = sum(
        1
        for ch in text
        if ch not in "\n\r\t\f\v" and unicodedata.category(ch) in ("Cc", "Co", "Cs", "Cn")
    )
    assert control_count(text) == slow


def test_text_with_controls_among_chinese_spaces_is_counted():
    text = "法治政府\u3000建设\u200b报告\x85\x00\ue000"
    assert control_count(text) == 3
