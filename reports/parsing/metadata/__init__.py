"""Report metadata: title, issuer, region, administrative level, year covered, publishing date.

Sources, in the order they are trusted: the page header of the original text (发布时间, 生成日期,
来源, 发布机构, 标题 …, also bare ``• 2024-01-31 16:37`` lines), the title line, the opening
sentence (``2022年，浦江县在…``), the signature block at the end (organisation and date, 汉字
dates too) and a salutation to a higher government (context only). Place names are resolved with
the gazetteer; names that exist many times are settled by the other places the text mentions.

``dates`` reads dates and years, ``layout`` finds the title and the report's first paragraph,
``issuer`` decides whose report it is.
"""

from __future__ import annotations

from datetime import date

from reports.parsing.gazetteer import Gazetteer
from reports.parsing.metadata.common import FOOT_LIMIT, HEAD_LIMIT, NEAR, fold, fold_ends
from reports.parsing.metadata.common import label_values as read_labels
from reports.parsing.metadata.dates import (
    COVER_LIMIT,
    cover_letter,
    cover_signer,
    published_on,
    report_year,
    signature,
)
from reports.parsing.metadata.issuer import find_issuer
from reports.parsing.metadata.layout import body_start, opening, read_title, title_subject
from reports.parsing.metadata.voice import load_lexicon
from reports.parsing.types import Metadata

__all__ = ["read_metadata"]


def read_metadata(text: str, *, body: str, gazetteer: Gazetteer) -> Metadata:
    """Read the metadata of a report from its original ``text`` and the cleaned ``body``.

    ``body`` is ``strip_web_noise(text)``: the same length, page furniture blanked. The header
    labels are read from ``text`` (the cleaner blanks them), everything else from ``body``.
    """
    start = body_start(body)
    folded_body = fold_ends(body, start + NEAR + COVER_LIMIT)
    cover = _cover_before_report(text, folded_body, start)
    if cover is not None:
        start = cover[1]
    head = fold(text[: min(max(start, 400), HEAD_LIMIT)])
    title = read_title(text, folded_body, head, start)
    published = published_on(head, fold(text[-FOOT_LIMIT:]) if text else "")
    signed_by, signed_on = signature(folded_body)
    covered_by = cover_signer(folded_body[:start])
    if signed_on is None and cover is not None:
        signed_on = cover[0]
    first_sentence = opening(folded_body, start)
    issuer, region, level = find_issuer(
        title_subject=title_subject(title),
        signed_by=signed_by or covered_by,
        labels=read_labels(head),
        opening=first_sentence,
        head=head,
        body=folded_body,
        start=start,
        gazetteer=gazetteer,
    )
    return Metadata(
        title=title,
        issuer=load_lexicon().official_name(issuer) if issuer else None,
        region=region,
        admin_level=level,
        report_year=report_year(title, first_sentence, folded_body, start, published or signed_on),
        published_on=published or signed_on,
    )


def _cover_before_report(text: str, body: str, start: int) -> tuple[date | None, int] | None:
    """A signed cover letter where the report seems to start, followed by the report's own title
    and opening: the letter's date and where the report's opening starts."""
    letter = cover_letter(body, start)
    if letter is None:
        return None
    _, signed_on, after = letter
    rest = body[after:]
    found = body_start(rest)
    if not 0 < found < min(len(rest), HEAD_LIMIT):  # no report opening after the signature
        return None
    blank = " " * after  # the title must stand between the letter and the report's opening
    if read_title(blank + text[after:], blank + rest, "", after + found) is None:
        return None
    return signed_on, after + found
