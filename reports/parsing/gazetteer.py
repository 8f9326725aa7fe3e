"""China's administrative divisions down to townships, a pure loader over seeds/.

``seeds/divisions.csv.gz`` holds the Ministry of Civil Affairs' division list (as of 2025-12-31,
see ``seeds/divisions_README.md``), one division a line: ``level,code,parent,name`` with level 1
province, 2 prefecture, 3 county, 4 township (乡, 镇, 街道, 苏木). Codes are padded to 12 digits
here (``330726`` → ``330726000000``, ``330182108`` → ``330182108000``), so a code's prefixes name
its province (2 digits), prefecture (4) and county (6). The four municipalities (北京 天津 上海
重庆) are provinces with no prefecture level: a district of one has the municipality as its
province and no city. A county under a province directly (省直辖县) has no city either.

Names are looked up by full name (``浦江县``, ``三都镇``) and by short name (``浦江``, ``江苏``,
``恩施``); names that exist many times (``城区``, ``三都镇``) are resolved by the other places a
text mentions.
"""

from __future__ import annotations

import csv
import gzip
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from reports.parsing.seeds import seeds_dir
from reports.parsing.types import Region

GAZETTEER_FILE = "divisions.csv.gz"
MUNICIPALITIES = frozenset({"11", "12", "31", "50"})  # 北京 天津 上海 重庆

# Ethnic group names as they appear inside the names of autonomous areas (恩施土家族苗族自治州).
_ETHNIC_NAMES = (
    "蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 土家族 哈尼族 "
    "哈萨克族 傣族 黎族 傈僳族 佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 柯尔克孜族 "
    "土族 达斡尔族 仫佬族 羌族 布朗族 撒拉族 毛南族 仡佬族 锡伯族 阿昌族 普米族 塔吉克族 怒族 "
    "乌孜别克族 俄罗斯族 鄂温克族 德昂族 保安族 裕固族 京族 塔塔尔族 独龙族 鄂伦春族 赫哲族 "
    "门巴族 珞巴族 基诺族 各族 维吾尔"
)
_ETHNIC = tuple(_ETHNIC_NAMES.split())
_ETHNIC_TAIL = re.compile("(?:" + "|".join(sorted(_ETHNIC, key=len, reverse=True)) + ")+$")
_AUTONOMOUS = ("自治区", "自治州", "自治县", "自治旗", "特别行政区")
_SUFFIX = re.compile("(?:新区|林区|特区|地区|省|市|区|县|旗|盟)$")

LEVEL_PROVINCE, LEVEL_CITY, LEVEL_COUNTY = "province", "city", "county"
LEVEL_TOWNSHIP = "township"
_LEVELS = {"1": LEVEL_PROVINCE, "2": LEVEL_CITY, "3": LEVEL_COUNTY, "4": LEVEL_TOWNSHIP}
RANK = {LEVEL_PROVINCE: 0, LEVEL_CITY: 1, LEVEL_COUNTY: 2, LEVEL_TOWNSHIP: 3}
_TOWNSHIP_KINDS = ("民族苏木", "民族乡", "街道", "苏木", "区公所", "镇", "乡")


@dataclass(frozen=True, slots=True)
class Division:
    """One administrative division and the names of its parents."""

    code: str  # 12-digit code
    name: str  # full official name: 浦江县
    short: str  # name without its type suffix: 浦江 (equal to ``name`` when nothing can be cut)
    level: str  # province | city | county | township
    # 省 自治区 直辖市 特别行政区 | 市 地区 自治州 盟 | 市辖区 县 县级市 自治县 旗 自治旗 特区 林区
    # | 街道 镇 乡 民族乡 苏木 民族苏木 区公所
    kind: str
    province: str | None = None  # full name of the province-level parent
    city: str | None = None  # full name of the prefecture-level parent; None for a district of a
    # municipality and for a county governed directly by its province
    county: str | None = None  # a township's county-level parent (None under a city without
    # counties, such as 东莞市)

    @property
    def region(self) -> Region:
        """The region a report of this division carries; a township's is its county's."""
        if self.level == LEVEL_PROVINCE:
            return Region(province=self.name)
        if self.level == LEVEL_CITY:
            return Region(province=self.province, city=self.name)
        if self.level == LEVEL_COUNTY:
            return Region(province=self.province, city=self.city, county=self.name)
        return Region(province=self.province, city=self.city, county=self.county)

    @property
    def province_code(self) -> str:
        return self.code[:2]

    @property
    def city_code(self) -> str:
        return self.code[:4]

    @property
    def county_code(self) -> str:
        return self.code[:6]


@dataclass(frozen=True, slots=True)
class Mention:
    """A place name found in a text: every division it may denote."""

    start: int
    end: int
    text: str
    candidates: tuple[Division, ...]
    short: bool  # matched by short name


_COUNTY_TYPES = "县市区"
_NAME_END = re.compile("[省市县区州盟旗岛域]")
_TOWNSHIP_END = re.compile("[镇乡道木所]")


def _without_overlaps(mentions: list[Mention]) -> list[Mention]:
    kept: list[Mention] = []
    for mention in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start), m.short)):
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one per process
class Gazetteer:
    """Lookup tables over the divisions; see :func:`load_gazetteer` and :func:`build_gazetteer`."""

    divisions: tuple[Division, ...] = ()
    by_full: dict[str, tuple[Division, ...]] = field(default_factory=dict)
    by_short: dict[str, tuple[Division, ...]] = field(default_factory=dict)
    by_code: dict[str, Division] = field(default_factory=dict)
    _lengths: dict[str, tuple[int, ...]] = field(default_factory=dict)
    _full_lengths: dict[str, tuple[int, ...]] = field(default_factory=dict)  # by last 2 chars
    _short_pattern: re.Pattern[str] | None = None
    _counties_up: dict[str, tuple[Division, ...]] = field(default_factory=dict)  # by_full less
    # the townships, for scans that leave them out

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self.by_full)

    def lookup(self, name: str, *, short: bool = True) -> tuple[Division, ...]:
        """Divisions called ``name`` (full name first, then short name when ``short``)."""
        found = self.by_full.get(name, ())
        if not found and short:
            found = self.by_short.get(name, ())
        return found

    def parent(self, division: Division) -> Division | None:
        """The division one level up (the province for 省直辖县)."""
        if division.level == LEVEL_TOWNSHIP:
            county = self.by_code.get(division.county_code + "000000")
            if county is not None and county.level == LEVEL_COUNTY:
                return county
        if division.level in (LEVEL_COUNTY, LEVEL_TOWNSHIP) and division.city:
            city = self.by_code.get(division.city_code + "00000000")
            if city is not None:
                return city
        if division.level != LEVEL_PROVINCE:
            return self.by_code.get(division.province_code + "0000000000")
        return None

    def is_within(self, division: Division, ancestor: Division) -> bool:
        """True when ``ancestor`` contains ``division`` (or is the same division)."""
        if ancestor.level == LEVEL_PROVINCE:
            return division.province_code == ancestor.province_code
        if ancestor.level == LEVEL_CITY:
            return division.city_code == ancestor.city_code
        if ancestor.level == LEVEL_COUNTY:
            return division.county_code == ancestor.county_code
        return division.code == ancestor.code

    def scan(
        self, text: str, *, start: int = 0, end: int | None = None, townships: bool = False
    ) -> list[Mention]:
        """Place names in ``text[start:end]``, left to right, without overlaps (longest wins).

        Full names of every level down to the county are found (townships too when asked), and
        short names of provinces and prefecture-level units (江苏, 常州); short county names
        (朝阳, 和平) are ordinary words too often.
        """
        stop = len(text) if end is None else min(end, len(text))
        begin = max(start, 0)
        found: list[Mention] = []
        anchors = [_NAME_END, _TOWNSHIP_END] if townships else [_NAME_END]
        for pattern in anchors:
            for anchor in pattern.finditer(text, begin + 1, stop):
                mention = self._full_name_ending(text, begin, anchor.end(), townships)
                if mention is not None:
                    found.append(mention)
        if self._short_pattern is not None:
            for match in self._short_pattern.finditer(text, begin, stop):
                piece = match.group(0)
                options = tuple(d for d in self.by_short[piece] if d.level != LEVEL_COUNTY)
                found.append(Mention(match.start(), match.end(), piece, options, short=True))
        return _without_overlaps(found)

    def _full_name_ending(
        self, text: str, begin: int, tail: int, townships: bool
    ) -> Mention | None:
        names = self.by_full if townships else self._counties_up
        for length in self._full_lengths.get(text[tail - 2 : tail], ()):
            head = tail - length
            if head < begin:
                continue
            options = names.get(text[head:tail])
            if options:
                return Mention(head, tail, text[head:tail], options, short=False)
        return None

    def _match_at(self, text: str, i: int, stop: int) -> Mention | None:
        """The longest name (full, else short, of any level) starting at ``i``."""
        for length in self._lengths.get(text[i], ()):
            if i + length > stop:
                continue
            piece = text[i : i + length]
            full = self.by_full.get(piece)
            if full:
                return Mention(i, i + length, piece, full, short=False)
            shorts = self.by_short.get(piece)
            if shorts:
                return Mention(i, i + length, piece, _highest(shorts), short=True)
            renamed = self._renamed(piece)
            if renamed:
                return Mention(i, i + length, piece, renamed, short=False)
        return None

    def _renamed(self, piece: str) -> tuple[Division, ...]:
        """A county-level unit written with another type than the gazetteer's, as after a 县 became
        a 市 or a 区 (库车县 → 库车市): the unit under the name as written."""
        if len(piece) < 3 or piece[-1] not in _COUNTY_TYPES:
            return ()
        for other in _COUNTY_TYPES:
            if other == piece[-1]:
                continue
            found = self.by_full.get(piece[:-1] + other, ())
            counties = tuple(d for d in found if d.level == LEVEL_COUNTY)
            if counties:
                kind = _kind(counties[0].code, piece, LEVEL_COUNTY)
                return tuple(replace(d, name=piece, kind=kind) for d in counties)
        return ()

    def read_chain(self, text: str, start: int = 0) -> tuple[list[tuple[Division, ...]], int]:
        """Read consecutive place names nested in one another (``江苏省常州市天宁区``) at ``start``.

        Returns one tuple of candidate divisions per name read (each narrowed to the divisions
        inside the previous name's) and the offset after the last name. Short names are accepted for
        every level here, since a name at the start of an issuer or a title is a place by position.
        """
        chain: list[tuple[Division, ...]] = []
        pos = start
        while pos < len(text):
            mention = self._match_at(text, pos, len(text))
            if mention is None:
                break
            candidates = mention.candidates
            if chain:
                outer = chain[-1]
                candidates = tuple(
                    c for c in candidates if any(self._strictly_within(c, o) for o in outer)
                )
                if not candidates:
                    break
                chain[-1] = tuple(
                    o for o in outer if any(self._strictly_within(c, o) for c in candidates)
                )
            chain.append(candidates)
            pos = mention.end
        return chain, pos

    def _strictly_within(self, division: Division, ancestor: Division) -> bool:
        return division.code != ancestor.code and self.is_within(division, ancestor)

    def resolve(
        self,
        candidates: Iterable[Division],
        *,
        context: Iterable[Mention] = (),
        within_province: bool | None = None,
    ) -> Division | None:
        """The one division among ``candidates`` that the context supports, or None.

        Context is the other place names of the text: a candidate inside a mentioned county or
        city scores higher than one inside a mentioned province. ``within_province`` (the text
        speaks of its province, 省委/省政府) rules out the districts of the four municipalities;
        its absence says nothing (市委 is a municipality's and a city's).
        """
        options = tuple(dict.fromkeys(candidates))
        if len(options) <= 1:
            return options[0] if options else None
        evidence = [d for m in context for d in m.candidates if d not in options]
        weight = {LEVEL_PROVINCE: 1.0, LEVEL_CITY: 2.0, LEVEL_COUNTY: 3.0}
        scores = []
        for option in options:
            score = 0.0
            for other in evidence:
                if other.level in weight and self._strictly_within(option, other):
                    score += weight[other.level]
            if within_province and option.province_code in MUNICIPALITIES:
                score -= 1.5  # a text that speaks of its province (省委) is not a municipality's
            scores.append(score)
        best = max(scores)
        winners = [o for o, s in zip(options, scores, strict=True) if s == best]
        return winners[0] if len(winners) == 1 else None

    def common_region(self, candidates: Iterable[Division]) -> Region:
        """The part of the region all candidates share (the province of two same-named counties)."""
        options = list(candidates)
        if not options:
            return Region()
        regions = [o.region for o in options]
        first = regions[0]
        province = first.province if all(r.province == first.province for r in regions) else None
        city = first.city if province and all(r.city == first.city for r in regions) else None
        county = first.county if city and all(r.county == first.county for r in regions) else None
        return Region(province=province, city=city, county=county)


def _highest(options: tuple[Division, ...]) -> tuple[Division, ...]:
    """Of the divisions a short name may denote, those of the highest level: 河北 is 河北省
    before 天津's 河北区, since short names of counties are rarely written."""
    top = min(RANK[d.level] for d in options)
    return tuple(d for d in options if RANK[d.level] == top)


def short_name(name: str) -> str:
    """``浦江县`` → ``浦江``, ``恩施土家族苗族自治州`` → ``恩施``; the name itself when nothing can
    be cut."""
    if "自治" in name or name.endswith("特别行政区"):
        for suffix in _AUTONOMOUS:
            if name.endswith(suffix) and len(name) > len(suffix) + 1:
                stem = _ETHNIC_TAIL.sub("", name[: -len(suffix)])
                return stem if len(stem) >= 2 else name[: -len(suffix)]
    cut = _SUFFIX.search(name)
    if cut and cut.start() >= 2:
        return name[: cut.start()]
    if cut and len(name) >= 3:  # 西林区: 林区 would leave one character, 区 leaves two
        return name[:-1]
    return name


def _aliases(division: Division) -> list[str]:
    """Short names: 浦江; for autonomous areas also the short name with the plain type (恩施州,
    长阳县, which is how texts usually write them)."""
    if division.short == division.name or len(division.short) < 2:
        return []
    aliases = [division.short]
    if division.kind in ("自治州", "自治县", "自治旗"):
        aliases.append(division.short + division.kind[-1])
    banner = _BANNER.match(division.name) if division.kind == "旗" else None
    if banner and (
        banner.group(2) or banner.group(3)
    ):  # 科尔沁右翼中旗 → 科右中旗, 土默特左旗 → 土左旗, 鄂托克前旗 → 鄂前旗
        aliases.append(
            banner.group(1)[0] + (banner.group(2) or "") + (banner.group(3) or "") + "旗"
        )
    return aliases


# A banner named by its side and position (左翼, 右, 前, 中, 后), which texts abbreviate.
_BANNER = re.compile(r"^([\u4e00-\u9fff]{2,4}?)(?:([左右])翼?)?([前中后])?旗$")


def _kind(code: str, name: str, level: str) -> str:
    if level == LEVEL_PROVINCE:
        if code[:2] in MUNICIPALITIES:
            return "直辖市"
        return next((s for s in ("特别行政区", "自治区") if name.endswith(s)), "省")
    if level == LEVEL_CITY:
        return next((s for s in ("自治州", "地区", "盟") if name.endswith(s)), "市")
    if level == LEVEL_TOWNSHIP:
        return next((s for s in _TOWNSHIP_KINDS if name.endswith(s)), "乡")
    for suffix in ("自治县", "自治旗", "特区", "林区", "旗", "县"):
        if name.endswith(suffix):
            return suffix
    if name.endswith("市"):
        return "县级市"
    return "市辖区" if name.endswith("区") else "县"


def full_code(code: str) -> str:
    """A 6- or 9-digit division code as 12 digits."""
    return code.ljust(12, "0")


def build_gazetteer(records: Iterable[tuple[str, str, str, str]]) -> Gazetteer:
    """Build the lookup tables from ``(level, code, parent, name)`` records (level 1–4, codes
    of 6 or 9 digits, the parent's code or empty)."""
    rows = {}
    for level, code, parent, name in records:
        level, code, parent, name = level.strip(), code.strip(), parent.strip(), name.strip()
        if level in _LEVELS and code.isdigit() and name:
            rows[code] = (_LEVELS[level], parent, name)
    divisions = [_division(code, rows) for code in sorted(rows, key=full_code)]
    by_full: dict[str, list[Division]] = {}
    by_short: dict[str, list[Division]] = {}
    for division in divisions:
        by_full.setdefault(division.name, []).append(division)
        for alias in _aliases(division):
            by_short.setdefault(alias, []).append(division)
    shorts = {k: tuple(v) for k, v in by_short.items() if k not in by_full}
    full = {k: tuple(v) for k, v in by_full.items()}
    counties_up = {
        name: above
        for name, options in full.items()
        if (above := tuple(d for d in options if d.level != LEVEL_TOWNSHIP))
    }
    return Gazetteer(
        divisions=tuple(divisions),
        by_full=full,
        _counties_up=counties_up,
        by_short=shorts,
        by_code={d.code: d for d in divisions},
        _lengths=_lengths_by(lambda name: name[0], [*by_full, *shorts]),
        _full_lengths=_lengths_by(lambda name: name[-2:], list(by_full)),
        _short_pattern=_short_name_pattern(shorts),
    )


def _division(code: str, rows: dict[str, tuple[str, str, str]]) -> Division:
    """One division and its parents' names, following the parent codes."""
    level, parent, name = rows[code]
    names: dict[str, str | None] = {LEVEL_PROVINCE: None, LEVEL_CITY: None, LEVEL_COUNTY: None}
    while parent in rows:
        parent_level, parent, parent_name = rows[parent]
        names[parent_level] = parent_name
    return Division(
        code=full_code(code),
        name=name,
        short=short_name(name) if level != LEVEL_TOWNSHIP else name,
        level=level,
        kind=_kind(code, name, level),
        province=names[LEVEL_PROVINCE],
        city=names[LEVEL_CITY],
        county=names[LEVEL_COUNTY],
    )


def _lengths_by(key: Callable[[str], str], names: list[str]) -> dict[str, tuple[int, ...]]:
    """Name lengths grouped by ``key`` (first character, last two characters), longest first."""
    lengths: dict[str, set[int]] = {}
    for name in names:
        lengths.setdefault(key(name), set()).add(len(name))
    return {k: tuple(sorted(v, reverse=True)) for k, v in lengths.items()}


def _short_name_pattern(shorts: dict[str, tuple[Division, ...]]) -> re.Pattern[str] | None:
    """One alternation of the short names of provinces and prefecture-level units."""
    names = sorted(
        (name for name, options in shorts.items() if any(d.level != LEVEL_COUNTY for d in options)),
        key=len,
        reverse=True,
    )
    return re.compile("|".join(map(re.escape, names))) if names else None


def read_gazetteer_file(path: Path) -> Gazetteer:
    """Build the gazetteer from a (gzipped) CSV file with ``level,code,parent,name`` columns;
    lines starting with ``#`` carry the source's provenance."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(line for line in handle if not line.startswith("#"))
        header = next(reader, [])
        at = [header.index(column) for column in ("level", "code", "parent", "name")]
        return build_gazetteer(
            (row[at[0]], row[at[1]], row[at[2]], row[at[3]]) for row in reader if len(row) >= 4
        )


@cache
def load_gazetteer() -> Gazetteer:
    """The project's gazetteer from ``seeds/divisions.csv.gz`` (built once per process)."""
    return read_gazetteer_file(seeds_dir() / GAZETTEER_FILE)
