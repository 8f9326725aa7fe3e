"""Reading a found number in its sentence: subject, scope, quote span, and the sentence patterns
that give several values from one number (…率、…率均为100% and …N件、M件，办结率均为100%)."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from decimal import Decimal

from reports.parsing import subjects
from reports.parsing.types import Quantity, Section

_SENTENCE_END = re.compile(r"[。；;！？!?\n]")
_CUMULATIVE = re.compile(r"累计|截[至止]")
_RESPECTIVELY = re.compile(r"分别")
_RATE_ITEM_SEPARATORS = frozenset({"、", "以及", "和", "及", "与"})
_ALL = re.compile(r"(?:均为|均达到|均达|均是|都是|都达到|都为|均|都)\s*$")
_COMPONENT = re.compile(r"含|包括|包含|其中")
_TRANSITION = re.compile(
    r"[，,]?(?:精简|压缩|减少|缩减|缩短|降低|下降|降|提高|提升|上升|增加|增长|增|减|调整|扩大|变更)"
    r"(?:了)?(?:为|至|到)"
)
_RATE_ENDINGS = ("率", "度", "比", "比例", "比率")
_DELIMITERS = subjects.CLAUSE_DELIMITERS | frozenset("、")
#: Units counting occurrences: the phrase after them says what was done, not what was counted.
EVENT_UNITS = frozenset(
    ["次", "人次", "场次", "台次", "家次", "户次", "件次", "批次", "车次", "架次"]
)
MAX_SENTENCE = 300
_PUNCT = frozenset('，,、；;：:。！？!?（）()“”《》"')
QUOTE_MAX = 30
QUOTE_MIN = 6


@dataclass(frozen=True, slots=True)
class Hit:
    """A number with its unit, before the subject is read."""

    start: int  # first character of the quantity (pre-qualifier or number)
    num_start: int
    end: int  # after the unit and any trailing qualifier
    value: Decimal
    unit: str
    qualifier: str | None
    numeral: str
    kind: str


@dataclass(frozen=True, slots=True)
class _Reading:
    subject: str
    quote_start: int
    quote_end: int
    clause: int  # where the clause holding the number starts
    items: tuple[tuple[str, int], ...] = ()  # (subject, start) of each rate in a 、-list


def _sentence_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in _SENTENCE_END.finditer(text))]


def _sentence_start(starts: list[int], pos: int) -> int:
    """Offset just after the last sentence end at or before ``pos`` (at most a long sentence's
    length back, so run-on text stays linear)."""
    return max(starts[bisect.bisect_right(starts, pos) - 1], pos - MAX_SENTENCE)


def _after_span(text: str, end: int) -> str:
    out = []
    for ch in text[end : end + 24]:
        if ch in _DELIMITERS or ch.isdigit():
            break
        out.append(ch)
    return "".join(out)


def _read(text: str, hit: Hit, floor: int) -> _Reading:
    cs = subjects.clause_start(text, hit.start, floor)
    while cs < hit.start and (text[cs].isspace() or text[cs] in "、，,；;：:"):
        cs += 1
    raw = text[cs : hit.start]
    before = subjects.clean_subject(raw)
    after = _after_span(text, hit.end)
    subject, qe = before, hit.end
    subject_start = cs + max(0, raw.rfind(before)) if before else hit.start
    if hit.unit == "%":
        tail = subjects.verb_phrase_after(after) if after else ""
        if tail:
            subject = before + tail
            tail_end = hit.end + after.find(tail) + len(tail)
            if tail_end - hit.num_start <= QUOTE_MAX:
                qe = tail_end
        items = _rate_items(raw, before, cs)
        if len(items) > 1:
            return _Reading(subject, items[0][1], qe, cs, items)
    elif (
        after
        and after[0] not in "（("
        and not (before and hit.unit in EVENT_UNITS and not subjects.is_verb_only(before))
    ):
        phrase = subjects.noun_phrase_after(after)
        if len(phrase) >= 2:
            subject = phrase
            subject_start = hit.start
            phrase_end = hit.end + after.find(phrase) + len(phrase)
            if phrase_end - hit.num_start <= QUOTE_MAX:
                qe = phrase_end
        elif not before:
            subject = subjects.verb_phrase_after(after, 16)
    qs = cs if qe - cs <= QUOTE_MAX else max(min(subject_start, hit.num_start), qe - QUOTE_MAX)
    return _Reading(subject, qs, qe, cs)


def _rate_items(raw: str, subject: str, offset: int) -> tuple[tuple[str, int], ...]:
    """``A率、B率和C率`` → each rate with its offset; () when the subject is a single rate."""
    if not subject or not subject.endswith(_RATE_ENDINGS):
        return ()
    base = raw.rfind(subject)
    pos = start = 0
    items = []
    for word in subjects.cut(subject):  # 和 of 和解 or 及 of 及时 is no separator
        if word in _RATE_ITEM_SEPARATORS:
            items.append((subject[start:pos], start))
            start = pos + len(word)
        pos += len(word)
    items.append((subject[start:], start))
    if len(items) < 2 or not all(s.endswith(_RATE_ENDINGS) and len(s) >= 2 for s, _ in items):
        return ()
    return tuple((s, offset + base + p) for s, p in items)


def _quote_bounds(text: str, qs: int, qe: int, hit: Hit) -> tuple[int, int]:
    """Clamp a quote to 6–30 characters around the number; a short quote is widened backwards
    (past any punctuation it would start with)."""
    qs = min(qs, hit.num_start)
    if qe - qs > QUOTE_MAX:
        qs = max(qs, min(hit.num_start, qe - QUOTE_MAX))
    if qe - qs < QUOTE_MIN:
        line_start = text.rfind("\n", 0, hit.num_start) + 1
        qs = max(line_start, min(qs, qe - QUOTE_MIN))
        while qs > line_start and qe - qs < QUOTE_MAX and text[qs] in _PUNCT:
            qs -= 1
    while qs < hit.num_start and text[qs].isspace():
        qs += 1
    return qs, qe


def _scope(text: str, hit: Hit, sent: int, cs: int) -> str:
    if cs > 0 and text[cs - 1] in "（(" and _COMPONENT.match(text, cs):
        return "component"
    head = text[sent : hit.start]
    if "其中" in head:
        return "subset"
    if _CUMULATIVE.search(head):
        return "cumulative"
    return "annual"


def _compose(subject: str, hit: Hit, earlier: list[Quantity], sent_floor: int) -> str:
    """A bare action (依法受理, 审结) borrows the thing counted from the quantity before it."""
    if not subjects.ends_with_case_verb(subject):
        return subject
    for q in reversed(earlier):
        if q.start < sent_floor:
            break
        if q.unit == hit.unit and q.kind == hit.kind:
            noun = subjects.trailing_noun(q.subject)
            if noun.endswith(subjects.CASE_NOUNS) and noun not in subject:
                return subject + noun
    return subject


def _settle(
    subject: str, hit: Hit, earlier: list[Quantity], text: str, sent: int, prev: int, last_end: int
) -> str:
    """Subjects a number shares with the quantity before it in the sentence."""
    subject = _compose(subject, hit, earlier, prev)
    last = earlier[-1] if earlier and earlier[-1].start >= sent else None
    if hit.kind == "change" and hit.qualifier and subject.endswith(hit.qualifier):
        subject = subject[: -len(hit.qualifier)]  # 败诉率较上年下降 → 败诉率
        if not subject and last is not None:
            return last.subject  # …120件，同比增长15%: the change of the count before it
    if last is None or last.unit != hit.unit:
        return subject
    if _TRANSITION.fullmatch(text, last_end, hit.start):
        return last.subject  # 由20个工作日压缩至5个工作日: the same thing, after
    return subject or last.subject  # 分别为12件、15件: the list shares its subject


def read_quantities(text: str, sections: tuple[Section, ...], hits: list[Hit]) -> list[Quantity]:
    """Turn found numbers into quantities with subjects, scopes, quotes and sections."""
    starts = [s.start for s in sections]
    marker_ends = [s.start + len(s.marker) for s in sections]
    out: list[Quantity] = []
    sentences = _sentence_starts(text)
    previous_end = 0
    pending: list[str] = []  # A率和B率分别为x%和y%: subjects waiting for their numbers
    for hit in hits:
        idx = bisect.bisect_right(starts, hit.num_start) - 1
        floor = max(previous_end, marker_ends[idx] if idx >= 0 else 0)
        floor = min(floor, hit.start)
        last_end, previous_end = previous_end, hit.end
        sent = _sentence_start(sentences, hit.start)
        reading = _read(text, hit, floor)
        cs = reading.clause
        if reading.items and _RESPECTIVELY.search(text, cs, hit.start):
            pending = [item for item, _ in reading.items[1:]]
            reading = replace(reading, subject=reading.items[0][0], items=())
        elif pending and out and out[-1].start >= sent and out[-1].unit == hit.unit:
            reading = replace(reading, subject=pending.pop(0))
        else:
            pending = []
        scope = _scope(text, hit, sent, cs)
        section = idx if idx >= 0 else None
        base = {
            "value": hit.value,
            "unit": hit.unit,
            "qualifier": hit.qualifier,
            "numeral": hit.numeral,
            "kind": hit.kind,
            "scope": scope,
            "section": section,
        }
        for subject, qs, qe in _expand(text, hit, reading, out, sent, cs):
            qs, qe = _quote_bounds(text, qs, qe, hit)
            previous = _sentence_start(sentences, max(0, sent - 1))
            subject = _settle(subject, hit, out, text, sent, previous, last_end)
            subject = subject or text[qs : hit.num_start] or hit.unit
            out.append(Quantity(quote=text[qs:qe], subject=subject, start=qs, end=qe, **base))
    return out


def _expand(
    text: str, hit: Hit, reading: _Reading, earlier: list[Quantity], sent: int, cs: int
) -> list[tuple[str, int, int]]:
    """One (subject, quote start, quote end) per value the number stands for."""
    if reading.items:
        return [(s, start, reading.quote_end) for s, start in reading.items]
    if hit.unit == "%" and _ALL.search(text, cs, hit.start):
        peers = []
        for q in reversed(earlier):
            if q.start < sent:
                break
            if q.kind in ("count", "money"):
                peers.insert(0, q)
        peers = [q for q in peers if q.unit == peers[-1].unit] if peers else []
        if len(peers) > 1:
            return [
                (p.subject + reading.subject, reading.quote_start, reading.quote_end) for p in peers
            ]
    return [(reading.subject, reading.quote_start, reading.quote_end)]
