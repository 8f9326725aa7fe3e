"""Whose report it is: issuer, region and administrative level from the units the text names.

Each source (title, signature, opening sentence, 来源 and 发布机构 values) is read into a subject:
a place-name chain followed by what the unit is (government, development zone, township,
department). The first subject decides the kind; the others of the same unit supply the full name
and the place. Ambiguous place names are resolved by the other places the text mentions.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from reports.parsing.gazetteer import (
    LEVEL_COUNTY,
    LEVEL_PROVINCE,
    LEVEL_TOWNSHIP,
    MUNICIPALITIES,
    Division,
    Gazetteer,
    Mention,
)
from reports.parsing.metadata.common import NEAR, OPENING_YEAR, PARTY_PREFIX, TAIL_LIMIT
from reports.parsing.metadata.voice import (
    Department,
    Lexicon,
    alternation,
    document_number,
    dominant_place,
    leader_level,
    load_lexicon,
    own_mentions,
    relative_level,
)
from reports.parsing.types import Region

_RELATIVE = re.compile(r"^(?:省|市|县|区|旗|镇|乡|本|我)")
_STATE = "中华人民共和国"
_TOWNSHIP_OFFICE = re.compile(r"^(?:人民政府|政府|办事处|街道办事处|街道办)$")
_TOWNSHIP = re.compile(r"^([\u4e00-\u9fff]{1,10}?(?:街道|镇|乡))(?:人民政府|办事处|街道办事处)?$")
_GOVERNMENT = re.compile(r"^(?:人民政府|政府|行政公署)$")


@dataclass(frozen=True, slots=True)
class _Patterns:
    """Patterns built from the lexicon's word lists (zone suffixes, verbs after a subject)."""

    zone_name: re.Pattern[str]  # a zone's name, up to its office or the end
    unit_at_clause_start: re.Pattern[str]  # 通州湾示范区坚持… / 白马镇在…
    verb_after_subject: re.Pattern[str]
    zone_anywhere: re.Pattern[str]  # a zone's full name inside a sentence
    province_words: re.Pattern[str]  # the text speaks of its province (省委, 全省): not a
    # municipality's district
    department: re.Pattern[str]  # an agency's name: 司法局, 人民政府办公室（外事办公室）
    circumstance: re.Pattern[str]  # a clause that starts with a circumstance (在…, 一年来)


@cache
def _patterns() -> _Patterns:
    lexicon = load_lexicon()
    zone = alternation(lexicon.zone_suffixes)
    verbs = alternation(lexicon.subject_verbs)
    offices = alternation(lexicon.zone_offices)
    return _Patterns(
        zone_name=re.compile(r"^[\u4e00-\u9fff]{0,16}?" + zone + "(?=" + offices + "|$)"),
        unit_at_clause_start=re.compile(
            r"^[\u4e00-\u9fff]{1,16}?(?:" + zone + r"|镇|乡|街道)(?=" + verbs + ")"
        ),
        verb_after_subject=re.compile("^" + verbs),
        zone_anywhere=re.compile(r"[\u4e00-\u9fff]{2,16}?" + zone),
        province_words=re.compile(alternation(lexicon.province_words)),
        department=re.compile(
            r"^[\u4e00-\u9fff]{1,24}"
            + alternation(lexicon.department_suffixes)
            + r"(?:（[^）]{1,10}）)?$"
        ),
        circumstance=re.compile("^" + alternation(lexicon.circumstance_words)),
    )


@dataclass(frozen=True, slots=True)
class _Subject:
    """Whose report it is, as read from one source."""

    kind: str  # government | zone | township | department
    written: str  # as written in the source
    places: tuple[tuple[Division, ...], ...]  # the place-name chain it starts with
    name: str  # the unit's own name: 城区, 通州湾示范区, 白马镇, 司法局
    explicit: bool  # the source names the organisation itself (…人民政府, …管委会, …局)
    towns: tuple[Division, ...] = ()  # a township's entries in the gazetteer (same name)


def _context(gazetteer: Gazetteer, body: str, start: int, head: str) -> list[Mention]:
    """Place names of the header, the opening part and the end of the text."""
    mentions = gazetteer.scan(head)
    mentions += gazetteer.scan(body, start=start, end=start + NEAR)
    mentions += gazetteer.scan(body, start=max(0, len(body) - TAIL_LIMIT))
    return mentions


def _read_subject(source: str, gazetteer: Gazetteer) -> _Subject | None:
    """Classify an organisation or place name (a title's subject, a 来源 value, a signature)."""
    source = source.strip(" :：|｜")
    if not source or "网" in source:
        return None
    source = PARTY_PREFIX.sub("", source)
    national = source.removeprefix(_STATE)
    if national in load_lexicon().national:  # 司法部, 国家统计局: no region
        return _Subject("department", source, (), national, explicit=True)
    chain, pos = gazetteer.read_chain(source)
    if not chain and _RELATIVE.match(source):  # 市司法局: a department of a government named
        rest = source.lstrip("省市县区旗本我")  # elsewhere in the text
        if _patterns().department.match(rest) and not _GOVERNMENT.match(rest):
            return _Subject("department", source, (), rest, explicit=False)
        return None
    rest = source[pos:]
    places = tuple(chain)
    if chain and all(d.level == LEVEL_TOWNSHIP for d in chain[-1]):
        if rest and not _TOWNSHIP_OFFICE.match(rest):
            return None
        town = chain[-1][0].name
        return _Subject("township", source, places[:-1], town, bool(rest), towns=chain[-1])
    if chain and (not rest or _GOVERNMENT.match(rest)):
        return _Subject("government", source, places, source[:pos], explicit=bool(rest))
    embedded = _embedded_place(source, chain, pos)
    unit = source[embedded:] if embedded is not None else rest
    zone = _patterns().zone_name.match(unit)
    if zone:
        return _Subject(
            "zone", source, places, zone.group(0), source.endswith(load_lexicon().zone_offices)
        )
    township = _TOWNSHIP.match(unit)
    if township:
        outer = places[:-1] if embedded is not None else places
        explicit = township.group(0) != township.group(1)
        return _Subject("township", source, outer, township.group(1), explicit)
    if rest and _patterns().department.match(rest) and not _GOVERNMENT.match(rest):
        return _Subject("department", source, places, rest, explicit=True)
    return None


def _embedded_place(source: str, chain: list[tuple[Division, ...]], pos: int) -> int | None:
    """Start of the last place name read when it is a short name that belongs to the unit's own
    name (``通州湾示范区`` holds 通州, ``苏州工业园区`` holds 苏州), else None."""
    if not chain or pos >= len(source):
        return None
    last = chain[-1][0]
    if source[:pos].endswith(last.name) or not source[:pos].endswith(last.short):
        return None
    return pos - len(last.short)


def _opening_subjects(opening: str, gazetteer: Gazetteer) -> list[_Subject]:
    """Units named at the start of a clause of the opening sentence (``2022年，浦江县在…``)."""
    found = []
    for raw in re.split(r"[，,、；;：:]", opening):
        clause = raw.strip()
        if not clause or _not_a_subject(clause):
            continue
        chain, pos = gazetteer.read_chain(clause)
        after = clause[pos:]
        if chain and _patterns().verb_after_subject.match(after):
            found.append(_Subject("government", clause[:pos], tuple(chain), clause[:pos], False))
            continue
        unit = _patterns().unit_at_clause_start.match(clause)
        if unit and unit.group(0) in load_lexicon().zone_suffixes:
            continue  # 高新区坚持…: the zone's bare type, not its name
        subject = _read_subject(unit.group(0), gazetteer) if unit else None
        if subject:
            found.append(subject)
    return found


def _identify(
    subjects: list[_Subject],
    gazetteer: Gazetteer,
    context: list[Mention],
    within_province: bool,
) -> tuple[str | None, Region, str | None]:
    """Issuer, region and level from the subjects read, the first one deciding the kind."""
    if not subjects:
        return None, _fallback_region(gazetteer, context, within_province), None
    main = subjects[0]
    same = [s for s in subjects if s.kind == main.kind and _same_unit(s, main)]
    place = _resolve_chain(main, same, gazetteer, context, within_province)
    if main.kind == "government":
        return _government(main, same, place, gazetteer)
    if main.kind == "zone":
        around = place.region if place else _fallback_region(gazetteer, context, within_province)
        return _zone(main, same, place, around)
    if main.kind == "township":
        explicit = next((s.written for s in same if s.explicit), None)
        suffix = "办事处" if main.name.endswith("街道") else "人民政府"
        return (
            explicit or main.name + suffix,
            _township_region(main, same, place, gazetteer, context, within_province),
            "township",
        )
    if main.name in load_lexicon().national:
        return main.written, Region(), "department"
    region = place.region if place else _fallback_region(gazetteer, context, within_province)
    named = [s.written for s in same if s.places]
    issuer = max(named, key=len) if named else _department_name(main.written, region)
    return issuer, region, "department"


def _township_region(
    main: _Subject,
    same: list[_Subject],
    place: Division | None,
    gazetteer: Gazetteer,
    context: list[Mention],
    within_province: bool,
) -> Region:
    """A township's county, city and province: its gazetteer entry (within the places written
    before it, else the one the text's other places support), else the county written before
    it, else the places the text names. A name found in several counties that nothing settles
    gives no place."""
    towns = tuple(dict.fromkeys(t for s in same for t in s.towns))
    if place is not None and towns:
        towns = tuple(t for t in towns if gazetteer.is_within(t, place)) or towns
    if towns:
        chosen = gazetteer.resolve(towns, context=context, within_province=None)
        if chosen is not None:
            return chosen.region
    if place is not None and place.level == LEVEL_COUNTY:
        return place.region
    fallback = _fallback_division(gazetteer, context, within_province)
    if fallback is None:
        return Region()
    if towns and not any(gazetteer.is_within(t, fallback) for t in towns):
        return gazetteer.common_region(towns) if len(towns) == 1 else Region()
    return fallback.region


def _department_name(written: str, region: Region) -> str:
    """``市司法局`` in a text about 常州市 is ``常州市司法局``; other names stay as written."""
    level = {"省": region.province, "市": region.city, "县": region.county, "区": region.county}
    place = level.get(written[:1])
    if place and place.endswith(written[:1]):
        return place + written[1:]
    return written


def _same_unit(one: _Subject, other: _Subject) -> bool:
    if one.kind != other.kind:
        return False
    if one.kind == "government":
        here = set(one.places[-1]) if one.places else set()
        there = set(other.places[-1]) if other.places else set()
        return bool(here & there)
    a, b = one.name, other.name
    if one.kind == "department":
        return a.endswith(b) or b.endswith(a)
    return a[:2] == b[:2] and a[-2:] == b[-2:]


def _resolve_chain(
    main: _Subject,
    same: list[_Subject],
    gazetteer: Gazetteer,
    context: list[Mention],
    within_province: bool,
) -> Division | None:
    for subject in same:
        if not subject.places:
            continue
        candidates = subject.places[-1]
        chosen = gazetteer.resolve(
            candidates,
            context=context,
            within_province=within_province if len(candidates) > 1 else None,
        )
        if chosen is not None:
            return chosen
    return None


def _government(
    main: _Subject, same: list[_Subject], place: Division | None, gazetteer: Gazetteer
) -> tuple[str | None, Region, str | None]:
    if place is None:
        options = main.places[-1] if main.places else ()
        levels = {o.level for o in options}
        if len(levels) != 1:
            return None, gazetteer.common_region(options), None
        explicit = next((s.written for s in same if s.explicit), None)
        return explicit or main.name + "人民政府", gazetteer.common_region(options), levels.pop()
    explicit = next((s.written for s in same if s.explicit), None)
    issuer = explicit or _government_name(main, place, gazetteer)
    return issuer, place.region, place.level


def _government_name(main: _Subject, place: Division, gazetteer: Gazetteer) -> str:
    """``浦江县人民政府``; a district keeps its city when written with it or when its name exists
    in other cities too (``汕尾市城区人民政府``); a 地区 or 盟 has a 行政公署."""
    name = place.name
    if place.kind == "市辖区" and place.city:
        written_with_city = len(main.places) > 1
        if written_with_city or len(gazetteer.lookup(place.name, short=False)) > 1:
            name = place.city + name
    if place.kind in ("地区", "盟"):
        return name + "行政公署"  # a prefecture or league is governed by a commissioner's office
    return name + "人民政府"


def _zone(
    main: _Subject, same: list[_Subject], place: Division | None, around: Region
) -> tuple[str | None, Region, str | None]:
    names = [s.name for s in same if s.name]
    full = max(names, key=len) if names else main.name
    explicit = next((s.written for s in same if s.explicit), None)
    issuer = explicit or full + "管理委员会"
    region = place.region if place is not None else around
    return (
        issuer,
        Region(province=region.province, city=region.city, county=full),
        "development_zone",
    )


def _fallback_region(gazetteer: Gazetteer, context: list[Mention], within_province: bool) -> Region:
    """The most specific place the header and opening name without ambiguity."""
    best = _fallback_division(gazetteer, context, within_province)
    return best.region if best else Region()


def _fallback_division(
    gazetteer: Gazetteer, context: list[Mention], within_province: bool
) -> Division | None:
    best: Division | None = None
    rank = {"province": 0, "city": 1, "county": 2}
    for mention in context:
        chosen = gazetteer.resolve(
            mention.candidates, context=context, within_province=within_province
        )
        if chosen is None:
            continue
        if best is None or (
            rank[chosen.level] > rank[best.level] and gazetteer.is_within(chosen, best)
        ):
            best = chosen
    return best


def find_issuer(
    *,
    title_subject: str | None,
    signed_by: str | None,
    labels: dict[str, str],
    opening: str,
    head: str,
    body: str,
    start: int,
    gazetteer: Gazetteer,
) -> tuple[str | None, Region, str | None]:
    """Issuer, region and level. Sources by trust: the title's unit, the signature, the opening
    sentence, then the page's 来源 and 发布机构 (only when they name a place)."""
    subjects = [
        s for s in (_read_subject(x, gazetteer) for x in (title_subject, signed_by) if x) if s
    ]
    subjects += _opening_subjects(opening, gazetteer)
    lexicon = load_lexicon()
    for keys in (("来源", "信息来源"), ("发布机构", "发文机关", "发布单位")):
        values = [labels[key] for key in keys if labels.get(key)]
        found = [s for s in (_read_subject(v, gazetteer) for v in values) if s and s.places]
        if found:
            voices = lexicon.voices(body, 0, min(len(body), start + _VOICE_SPAN))
            speaks_as_government = not voices["department"] and any(
                voices[level] for level in _GOVERNMENT_LEVELS
            )
            subjects += [_publisher(s, speaks_as_government) for s in found]
    addressees = _addressees(body[: start + NEAR], gazetteer)
    subjects = [s for s in subjects if not any(_same_unit(s, a) for a in addressees)]
    context = _context(gazetteer, body, start, head)
    within_province = _patterns().province_words.search(body) is not None
    if not any(s.places for s in subjects) and all(s.kind == "department" for s in subjects):
        spoken = _speaker(body, start, head, gazetteer, lexicon, within_province)
        if spoken is not None:
            return spoken
    return _identify(subjects, gazetteer, context, within_province)


_GOVERNMENT_LEVELS = ("province", "city", "county")
_VOICE_SPAN = 2000  # the part of the report read for how it speaks of itself
_RELATIVE_PREFIX = re.compile(r"(?:省|市|州|盟|县|区|旗)?")


def _speaker(
    body: str,
    start: int,
    head: str,
    gazetteer: Gazetteer,
    lexicon: Lexicon,
    within_province: bool,
) -> tuple[str | None, Region, str | None] | None:
    """Issuer, region and level of a report that names itself only by how it speaks: a
    department (我局, 市市场监管局在…, 沪环法〔2023〕23号), a township (我镇, 本街道) or a
    government (省政府坚持…, 现将市政府…); the place is the one the text names most at that
    level (a province's short name in 法治湖南 too)."""
    end = min(len(body), start + _VOICE_SPAN)
    words = lexicon.voice_words(body, 0, end)
    voices = lexicon.kinds(words)
    mentions = gazetteer.scan(head) + gazetteer.scan(body, start=start, end=end)
    own = own_mentions(body, mentions, start, end)
    numbered = document_number(head + body[start : start + 200], lexicon)
    department, written_level = _department_in_opening(body, start, lexicon)
    if department is None and numbered is not None and voices["department"]:
        department = numbered[1]
    if department is None and voices["department"]:
        department = lexicon.most_named_department(body, 0, end)
    if department is not None or voices["department"]:
        return _department_speaker(
            department, written_level, numbered, body, start, end, own, gazetteer
        )
    if _zone_opens(body, start, lexicon):
        voices["development_zone"] += 1
    kinds = ["township", "development_zone", *reversed(_GOVERNMENT_LEVELS)]
    kinds = [kind for kind in kinds if voices[kind]]
    if not kinds:
        return None
    level = max(kinds, key=lambda kind: voices[kind])  # a tie: township, zone, lower level
    if level == "township":
        return _township_speaker(body, start, end, mentions, gazetteer)
    if level == "development_zone":
        return _zone_speaker(body, start, end, gazetteer, mentions, within_province)
    within = _numbered_province(numbered, gazetteer)
    ending = lexicon.type_of(words, level)
    place = dominant_place(gazetteer, own, level, within=within, ending=ending)
    says_government = any("政府" in word for word in words)
    if place is None and ending == "区" and not says_government:  # 我区 may be a zone's voice
        zone = _zone_speaker(body, start, end, gazetteer, mentions, within_province)
        if zone[0] is not None:
            return zone
    if place is None:  # the level is known, the unit not: the places above it may be
        around = _fallback_division(gazetteer, mentions, within_province)
        return None, _above(around, level), level
    main = _Subject("government", place.name, ((place,),), place.name, False)
    return _government_name(main, place, gazetteer), place.region, place.level


def _above(division: Division | None, level: str) -> Region:
    """The part of ``division``'s region above ``level`` (a county report that names only its
    city keeps the city, not a county it names in passing)."""
    if division is None:
        return Region()
    region = division.region
    if level == LEVEL_PROVINCE:
        return Region()
    if level == "city":
        return Region(province=region.province)
    return Region(province=region.province, city=region.city)


def _not_a_subject(clause: str) -> bool:
    """The year (2023年) or a circumstance (在市委领导下, 一年来) rather than who speaks."""
    return bool(OPENING_YEAR.match(clause + "，") or _patterns().circumstance.match(clause))


def _subject_clause(body: str, start: int) -> str:
    """The clause of the opening sentence that names who speaks: the first that is neither the
    year (2023年) nor a circumstance (在市委领导下, 一年来)."""
    paragraph = body[start : start + 300].split("\n", 1)[0]
    for raw in re.split(r"[，,；;。]", paragraph):
        clause = raw.strip()
        if clause and not _not_a_subject(clause):
            return clause
    return ""


def _zone_opens(body: str, start: int, lexicon: Lexicon) -> bool:
    """Does the opening's subject clause start with a zone's bare type (经开区坚持…)?"""
    return _subject_clause(body, start).startswith(lexicon.zone_suffixes)


def _zone_speaker(
    body: str,
    start: int,
    end: int,
    gazetteer: Gazetteer,
    mentions: list[Mention],
    within_province: bool,
) -> tuple[str | None, Region, str | None]:
    """A development zone that calls itself 经开区 or 管委会: the zone the text names most by
    a full name that starts with a place (长沙经济技术开发区), placed by that place."""
    names: Counter[str] = Counter()
    for match in _patterns().zone_anywhere.finditer(body, start, end):
        places = gazetteer.scan(body, start=match.start(), end=match.end())
        if places and places[0].start < match.end() - 2:
            names[body[places[0].start : match.end()]] += 1
    ranked = names.most_common(2)
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None, _fallback_region(gazetteer, mentions, within_province), "development_zone"
    subject = _read_subject(ranked[0][0], gazetteer)
    if subject is None or subject.kind != "zone":
        return None, _fallback_region(gazetteer, mentions, within_province), "development_zone"
    return _identify([subject], gazetteer, mentions, within_province)


def _numbered_province(
    numbered: tuple[str, Department | None] | None, gazetteer: Gazetteer
) -> Division | None:
    if numbered is None:
        return None
    found = gazetteer.lookup(numbered[0], short=False)
    return found[0] if len(found) == 1 else None


def _department_in_opening(
    body: str, start: int, lexicon: Lexicon
) -> tuple[Department | None, str | None]:
    """A department named by the opening's subject clause (2023年，市市场监管局在…) and the
    level its relative prefix speaks of."""
    clause = _subject_clause(body, start)
    prefix = _RELATIVE_PREFIX.match(clause)
    written = clause[: prefix.end()] if prefix else ""
    found = lexicon.department_at(clause, len(written))
    return (found[0], relative_level(written)) if found else (None, None)


def _department_speaker(
    department: Department | None,
    written_level: str | None,
    numbered: tuple[str, Department | None] | None,
    body: str,
    start: int,
    end: int,
    mentions: list[Mention],
    gazetteer: Gazetteer,
) -> tuple[str | None, Region, str | None]:
    """A department's official name under the government it works for: the level from its
    relative prefix (市司法局) or the party committee it works under (在市委…领导下), the place
    from that committee's name, the document number's province or the place named most."""
    level = written_level
    leader = leader_level(body, start, end)
    province = _numbered_province(numbered, gazetteer)
    place: Division | None = None
    if leader is not None:
        level = level or leader[1]
        named = gazetteer.lookup(leader[0], short=False) if len(leader[0]) > 1 else ()
        if len(named) == 1:
            place = named[0]
    at_province = level in (None, LEVEL_PROVINCE)
    if place is None and province is not None and (at_province or _municipality(province)):
        place = province
    if place is None and level is not None:
        place = dominant_place(gazetteer, mentions, level, within=province)
    if place is None:
        return None, Region(), "department"
    issuer = department.name_for(place) if department is not None else None
    return issuer, place.region, "department"


def _municipality(division: Division) -> bool:
    return division.province_code in MUNICIPALITIES


def _township_speaker(
    body: str, start: int, end: int, mentions: list[Mention], gazetteer: Gazetteer
) -> tuple[str | None, Region, str | None]:
    """A township that says 我镇 or 本街道: the township the text names most, placed by the
    other places it names."""
    towns = [
        m
        for m in gazetteer.scan(body, start=start, end=end, townships=True)
        if all(d.level == LEVEL_TOWNSHIP for d in m.candidates)
    ]
    names = Counter(m.text for m in towns).most_common(2)
    if not names or (len(names) > 1 and names[0][1] == names[1][1]):
        return None, Region(), "township"
    name = names[0][0]
    candidates = gazetteer.lookup(name, short=False)
    chosen = gazetteer.resolve(candidates, context=mentions)
    suffix = "办事处" if name.endswith("街道") else "人民政府"
    return name + suffix, chosen.region if chosen else Region(), "township"


def _publisher(subject: _Subject, speaks_as_government: bool) -> _Subject:
    """A department that only publishes the page (来源：某县司法局) of a report written in the
    government's voice (我县…) stands for its government."""
    if subject.kind != "department" or not speaks_as_government:
        return subject
    place = subject.written[: len(subject.written) - len(subject.name)]
    return _Subject("government", place, subject.places, place, explicit=False)


# A salutation line (常州市人民政府：) addresses the report to a higher government.
_SALUTATION = re.compile(
    r"^[ \t\u3000]*([^\s：:。，；]{2,30}(?:人民政府|政府|行政公署|管理委员会|管委会))"
    r"[：:][ \t\u3000]*$",
    re.MULTILINE,
)


def _addressees(text: str, gazetteer: Gazetteer) -> list[_Subject]:
    """The governments a report is addressed to: never its issuer."""
    found = (_read_subject(m.group(1), gazetteer) for m in _SALUTATION.finditer(text))
    return [s for s in found if s is not None]
