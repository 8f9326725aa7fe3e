"""Text extraction from received files: bytes + filename in, ``ExtractedText`` out. Pure Python.

- ``.txt``: the encoding is detected (BOM, strict UTF-8, then charset-normalizer), never assumed;
  GB2312/GBK are decoded as their superset GB18030. Binary data renamed ``.txt`` is refused.
- ``.html``/``.htm``: the page is decoded the same way (a declared ``charset`` is tried first)
  and its main content is taken with trafilatura, leaving navigation, headers and footers
  behind; headings and paragraphs stay on lines of their own.
- ``.docx``: paragraphs and tables in document order (python-docx).
- ``.pdf``: the text layer of every page (pypdf).

Errors are ``DomainError`` subclasses: ``EmptyFileError``, ``UndecodableFileError``,
``EncryptedDocumentError``, ``UnsupportedFormatError``. The third-party readers may raise anything
else on hostile or malformed files; ``reports.services.extraction`` turns that into an outcome.
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import PurePosixPath
from typing import Any

from reports.errors import (
    EmptyFileError,
    EncryptedDocumentError,
    UndecodableFileError,
    UnsupportedFormatError,
)
from reports.parsing.types import ExtractedText

TEXT_EXTENSIONS = frozenset({".txt", ".text"})
HTML_EXTENSIONS = frozenset({".html", ".htm", ".shtml", ".xhtml"})
SUPPORTED_EXTENSIONS = TEXT_EXTENSIONS | HTML_EXTENSIONS | {".docx", ".pdf"}

# Encodings a Chinese government text is written in; preferred when the detector finds several
# decodings equally plausible (very short texts).
_CHINESE_ENCODINGS = ("gb18030", "gbk", "gb2312", "hz")
# Decoders used for detected names: GB18030 is a superset of GB2312 and GBK.
_DECODE_AS = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "ascii": "utf-8"}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
# More control characters than this share of the text means it is not text.
_MAX_CONTROL_SHARE = 0.01
_KEEP_CONTROLS = frozenset("\n\r\t\f\v")


def extract_text(data: bytes, filename: str) -> ExtractedText:
    """Return the text of ``data``, read according to ``filename``'s extension."""
    suffix = PurePosixPath(filename.replace("\\", "/")).suffix.lower()
    if suffix not in SUPPORTED_EXTENSIONS:
        raise UnsupportedFormatError(
            f"{filename}: unsupported file type {suffix or '(none)'}; "
            "expected .txt, .html, .htm, .docx or .pdf",
            extension=suffix,
        )
    if not data.strip():
        raise EmptyFileError(f"{filename} is empty", filename=filename)
    reader = _READERS[suffix]
    extracted = reader(data, filename)
    text = normalise_text(extracted.text)
    if not text.strip():
        raise EmptyFileError(f"{filename} contains no text", filename=filename)
    return ExtractedText(
        text=text,
        format=extracted.format,
        encoding=extracted.encoding,
        content_type=extracted.content_type,
    )


def normalise_text(text: str) -> str:
    """Unify line ends and drop BOMs, NULs and surrounding blank lines; nothing else changes."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "").replace("\x00", "")
    return text.strip("\n")


# --- plain text ------------------------------------------------------------------------------


def decode_bytes(data: bytes, filename: str = "", *, hint: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding)`` of ``data``; ``UndecodableFileError`` if it is not text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _checked(_strict(data, encoding, filename), filename), _label(encoding)
    if b"\x00" in data:
        raise UndecodableFileError(f"{filename} is binary data, not text", filename=filename)
    if hint:
        text = _try_decode(data, hint)
        if text is not None:
            return _checked(text, filename), _label(hint)
    try:
        return _checked(data.decode("utf-8"), filename), "utf-8"
    except UnicodeDecodeError:
        pass
    detected = _detect(data)
    if detected is None:
        raise UndecodableFileError(
            f"{filename}: the text encoding could not be detected (not UTF-8, GB18030 or GBK text)",
            filename=filename,
        )
    return _checked(_strict(data, detected, filename), filename), _label(detected)


def _detect(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    results = list(from_bytes(data))
    if not results:
        return None
    best = results[0]
    chaos = best.chaos
    for result in results:
        if result.encoding in _CHINESE_ENCODINGS and result.chaos <= chaos + 0.05:
            return str(result.encoding)
    return str(best.encoding)


def _strict(data: bytes, encoding: str, filename: str) -> str:
    try:
        return data.decode(_DECODE_AS.get(encoding, encoding))
    except (UnicodeDecodeError, LookupError) as exc:
        raise UndecodableFileError(
            f"{filename} could not be decoded as {encoding}", filename=filename
        ) from exc


def _try_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(_DECODE_AS.get(encoding.lower(), encoding))
    except (UnicodeDecodeError, LookupError):
        return None


def _label(encoding: str) -> str:
    name = encoding.lower().replace("_", "-")
    return {"utf-8-sig": "utf-8-sig", "gb2312": "gb18030", "gbk": "gb18030"}.get(name, name)


@cache
def _not_counted() -> dict[int, None]:
    """What ``str.isprintable`` refuses but ``control_count`` does not count: the kept controls,
    spaces and separators (Zs, Zl, Zp) and format characters (Cf), to be deleted before it."""
    planes = (*range(0x30000), *range(0xE0000, 0xE1000))
    return dict.fromkeys(
        [
            *map(ord, _KEEP_CONTROLS),
            *(cp for cp in planes if unicodedata.category(chr(cp)) in _NOT_COUNTED),
        ]
    )


_NOT_COUNTED = frozenset({"Zs", "Zl", "Zp", "Cf"})
_COUNTED = ("Cc", "Co", "Cs", "Cn")


def control_count(text: str) -> int:
    """Control, private-use, surrogate and unassigned characters in ``text`` (kept controls
    such as newlines and tabs aside)."""
    if text.translate(_not_counted()).isprintable():
        return 0  # the usual case, decided in C
    return sum(
        1 for ch in text if ch not in _KEEP_CONTROLS and unicodedata.category(ch) in _COUNTED
    )


def _checked(text: str, filename: str) -> str:
    """Refuse decodings full of control characters (binary data that happened to decode)."""
    if not text:
        return text
    if control_count(text) / len(text) > _MAX_CONTROL_SHARE:
        raise UndecodableFileError(f"{filename} is binary data, not text", filename=filename)
    return text


def _read_txt(data: bytes, filename: str) -> ExtractedText:
    text, encoding = decode_bytes(data, filename)
    return ExtractedText(text=text, format="txt", encoding=encoding, content_type="text/plain")


# --- html ------------------------------------------------------------------------------------


def _read_html(data: bytes, filename: str) -> ExtractedText:
    declared = _META_CHARSET.search(data[:4096])
    hint = declared.group(1).decode("ascii", "ignore").lower() if declared else None
    html, encoding = decode_bytes(data, filename, hint=hint)
    text = _main_content(html)
    return ExtractedText(text=text, format="html", encoding=encoding, content_type="text/html")


_DATE_CONFIG = {"extensive_search": False, "original_date": True}  # markup only, no guessing


def _main_content(html: str) -> str:
    """The page's main text: headings and paragraphs one per line, no navigation or footer."""
    import trafilatura

    options: dict[str, Any] = {
        "include_tables": True,
        "include_comments": False,
        "include_images": False,
        "include_links": False,
        "output_format": "txt",
    }
    text = trafilatura.extract(html, **options) or trafilatura.extract(
        html, favor_recall=True, **options
    )
    if not text:
        text = trafilatura.html2txt(html) or ""
    text = "\n".join(_table_row(line) for line in text.split("\n"))
    meta = trafilatura.extract_metadata(html, date_config=_DATE_CONFIG)
    header = []
    title = _page_title(html, meta)
    if title and title not in text[: max(200, len(title) * 2)]:
        header.append(title)
    if meta is not None and meta.date and meta.date not in text[:1000]:
        # The page's publishing date (its meta tags or date markup): the article's own date line
        # often sits outside the main content.
        header.append(f"发布日期：{meta.date}")
    return "\n".join([*header, text])


def _table_row(line: str) -> str:
    """trafilatura writes table rows as ``| a | b |``: keep the cells, tab-separated."""
    stripped = line.strip()
    if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
        return "\t".join(cell.strip() for cell in stripped.strip("|").split("|"))
    return line


def _page_title(html: str, meta: Any) -> str | None:
    """The page's own heading (``<h1>``, else trafilatura's cleaned ``<title>``)."""
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, TypeError):
        return None
    for h1 in tree.iter("h1"):
        heading = " ".join(h1.text_content().split())
        if heading:
            return heading
    return meta.title if meta is not None and meta.title else None


# --- docx ------------------------------------------------------------------------------------


def _read_docx(data: bytes, filename: str) -> ExtractedText:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UndecodableFileError(
            f"{filename} is not a readable .docx document", filename=filename
        ) from exc
    lines = list(_docx_lines(document))
    return ExtractedText(
        text="\n".join(lines),
        format="docx",
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def _docx_lines(document: Any) -> Iterator[str]:
    """Paragraphs and table rows in document order (a row's distinct cells tab-separated)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            yield block.text
        elif isinstance(block, Table):
            yield from _table_lines(block)


def _table_lines(table: Any) -> Iterator[str]:
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell repeats across the columns it spans
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            yield "\t".join(cells)


# --- pdf -------------------------------------------------------------------------------------


def _read_pdf(data: bytes, filename: str) -> ExtractedText:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise EncryptedDocumentError(f"{filename} is an encrypted PDF", filename=filename)
        pages = [page.extract_text() or "" for page in reader.pages]
    except EncryptedDocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise UndecodableFileError(f"{filename} is not a readable PDF", filename=filename) from exc
    if not any(page.strip() for page in pages):
        raise EmptyFileError(
            f"{filename} has no text layer (a scanned PDF needs OCR first)", filename=filename
        )
    return ExtractedText(text="\n".join(pages), format="pdf", content_type="application/pdf")


_READERS: dict[str, Callable[[bytes, str], ExtractedText]] = {
    **dict.fromkeys(TEXT_EXTENSIONS, _read_txt),
    **dict.fromkeys(HTML_EXTENSIONS, _read_html),
    ".docx": _read_docx,
    ".pdf": _read_pdf,
}
