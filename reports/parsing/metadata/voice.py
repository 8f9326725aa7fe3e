"""Who speaks in a report that does not name itself: 省政府, 我局, 我街道, 市市场监管局, a document
number such as 沪环法〔2023〕23号, and the place the text names most.

The words are data: ``seeds/issuer_lexicon.json`` holds the names of government departments at
province and local level (with their other names and the marks they use in document numbers),
the provinces' one-character abbreviations, and the words a government, a department, a township
or a development zone uses for itself. Each word is taken only where it is a word of the text's
jieba segmentation (全局 in 全局实现 but not in 全局性).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from reports.parsing.gazetteer import (
    LEVEL_CITY,
    LEVEL_COUNTY,
    LEVEL_PROVINCE,
    MUNICIPALITIES,
    Division,
    Gazetteer,
    Mention,
)
from reports.parsing.seeds import seeds_dir
from reports.parsing.wordcheck import is_word, word_before

LEXICON_FILE = "issuer_lexicon.json"
_LED_BY = re.compile(r"在[^，。；,;]{0,30}?(?:领导|指导|监督|关心|支持)[^，。；,;]{0,6}?下")
# 在上海市委、市政府领导下 / 在市委市政府的坚强领导下: the government a department works under.
_LEADER = re.compile(r"在([\u4e00-\u9fff]{0,12}?)(省|市|州|盟|县|区|旗)委")
_DIVISION_TYPES = "省市州盟县区旗"
_RELATIVE_LEVEL = {
    "省": LEVEL_PROVINCE,
    "市": LEVEL_CITY,
    "州": LEVEL_CITY,
    "盟": LEVEL_CITY,
    "县": LEVEL_COUNTY,
    "区": LEVEL_COUNTY,
    "旗": LEVEL_COUNTY,
}


@dataclass(frozen=True, slots=True)
class Department:
    """A kind of government department: 司法厅 at province level, 司法局 below."""

    province: str
    local: str
    also: tuple[str, ...] = ()

    def name_for(self, place: Division) -> str:
        """The department's official name under ``place``'s government."""
        at_province = place.level == LEVEL_PROVINCE and place.province_code not in MUNICIPALITIES
        return place.name + (self.province if at_province else self.local)


@dataclass(frozen=True, eq=False)
class Lexicon:
    """The words of ``seeds/issuer_lexicon.json``, with the patterns that find them."""

    departments: tuple[Department, ...]
    by_name: dict[str, Department]
    by_mark: dict[str, Department]
    abbreviations: dict[str, str]
    national: frozenset[str]  # departments of the State Council: 司法部, 国家统计局 …
    zone_suffixes: tuple[str, ...]  # how the names of development zones end: 经济技术开发区 …
    zone_offices: tuple[str, ...]  # the office that governs a zone: 管理委员会, 管委会
    subject_verbs: tuple[str, ...]  # verbs a unit named at a clause start is followed by
    voice_not_after: frozenset[str]  # after these words (向, 报请) a government is addressed
    province_words: tuple[str, ...]  # words of a text that speaks of its province: 省委, 全省
    department_suffixes: tuple[str, ...]  # how an agency's name ends: 局 厅 委员会 办公室 …
    circumstance_words: tuple[str, ...]  # a clause starting so is not its subject: 在 一年来
    official: tuple[tuple[str, str], ...]  # short name endings and their official form, longest
    # first: 市场监管局 → 市场监督管理局, 管委会 → 管理委员会, 政府 → 人民政府
    _names: re.Pattern[str]
    _voice: re.Pattern[str]
    _kind_of: dict[str, str]

    def official_name(self, name: str) -> str:
        """``绍兴市市场监管局`` → ``绍兴市市场监督管理局``: a short ending made official."""
        for short, full in self.official:
            if name.endswith(short) and not name.endswith(full):
                return name[: -len(short)] + full
        return name

    def department_at(self, text: str, pos: int = 0) -> tuple[Department, int] | None:
        """The department named at ``text[pos:]`` (longest name) and where its name ends."""
        match = self._names.match(text, pos)
        return (self.by_name[match.group(0)], match.end()) if match else None

    def most_named_department(self, text: str, start: int, end: int) -> Department | None:
        """The department ``text[start:end]`` names most often, at least twice and more often
        than any other (a department's report names its own kind: 市司法局, 省司法厅)."""
        counts: Counter[Department] = Counter(
            self.by_name[m.group(0)]
            for m in self._names.finditer(text, start, end)
            if is_word(text, m.start(), m.end())
        )
        ranked = counts.most_common(2)
        if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
            return None
        return ranked[0][0]

    def voice_words(self, text: str, start: int, end: int) -> Counter[str]:
        """How often each word a unit uses for itself (我局, 市政府, 本街道) stands in
        ``text[start:end]`` as a word. Words inside ``在…领导下`` or after 向/报请 name another
        government and are not counted."""
        led = [(m.start(), m.end()) for m in _LED_BY.finditer(text, start, end)]
        found: Counter[str] = Counter()
        for match in self._voice.finditer(text, start, end):
            if any(a <= match.start() < b for a, b in led):
                continue
            if not is_word(text, match.start(), match.end()):
                continue
            if word_before(text, match.start()) in self.voice_not_after:
                continue
            found[match.group(0)] += 1
        return found

    def voices(self, text: str, start: int, end: int) -> Counter[str]:
        """How often each kind of speaker names itself in ``text[start:end]``: ``department``,
        ``township``, ``development_zone``, or a government's level (``province`` …)."""
        return self.kinds(self.voice_words(text, start, end))

    def kinds(self, words: Counter[str]) -> Counter[str]:
        found: Counter[str] = Counter()
        for word, count in words.items():
            found[self._kind_of[word]] += count
        return found

    def type_of(self, words: Counter[str], kind: str) -> str | None:
        """The division type a government's words say (县 in 县政府, 旗 in 我旗), the most
        frequent among the words of ``kind``."""
        types: Counter[str] = Counter()
        for word, count in words.items():
            if self._kind_of[word] == kind:
                types.update({ch: count for ch in word if ch in _DIVISION_TYPES})
        ranked = types.most_common(2)
        if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
            return None
        return ranked[0][0]


def _longest_first(words: list[str]) -> tuple[str, ...]:
    return tuple(sorted(set(words), key=len, reverse=True))


def alternation(words: tuple[str, ...] | list[str]) -> str:
    """A regular expression source matching any of ``words``, longest first."""
    return "(?:" + "|".join(map(re.escape, _longest_first(list(words)))) + ")"


def _alternation(words: list[str]) -> re.Pattern[str]:
    return re.compile(alternation(words))


@cache
def load_lexicon() -> Lexicon:
    """``seeds/issuer_lexicon.json``, read once per process."""
    raw = json.loads((seeds_dir() / LEXICON_FILE).read_text("utf-8"))
    departments = []
    by_name: dict[str, Department] = {}
    by_mark: dict[str, Department] = {}
    for entry in raw["departments"]:
        department = Department(entry["province"], entry["local"], tuple(entry["also"]))
        departments.append(department)
        for name in (department.province, department.local, *department.also):
            by_name.setdefault(name, department)
        for mark in entry["document_marks"]:
            by_mark.setdefault(mark, department)
    kind_of: dict[str, str] = {}
    for kind, words in raw["voice"].items():
        groups = words.items() if isinstance(words, dict) else [(kind, words)]
        for group, group_words in groups:
            for word in group_words:
                kind_of.setdefault(word, group)
    return Lexicon(
        departments=tuple(departments),
        by_name=by_name,
        by_mark=by_mark,
        abbreviations=dict(raw["province_abbreviations"]),
        national=frozenset(raw["national_departments"]),
        zone_suffixes=_longest_first(raw["development_zone_suffixes"]),
        zone_offices=_longest_first(raw["zone_offices"]),
        subject_verbs=_longest_first(raw["subject_verbs"]),
        voice_not_after=frozenset(raw["voice_not_after"]),
        province_words=_longest_first(raw["province_words"]),
        department_suffixes=_longest_first(raw["department_suffixes"]),
        circumstance_words=_longest_first(raw["circumstance_words"]),
        official=tuple(
            sorted(raw["official_names"].items(), key=lambda item: len(item[0]), reverse=True)
        ),
        _names=_alternation(list(by_name)),
        _voice=_alternation(list(kind_of)),
        _kind_of=kind_of,
    )


_DOCUMENT_NUMBER = re.compile(
    r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff])([\u4e00-\u9fff]{1,5}?)\s*[〔\[［【(（]\s*(?:19|20)\d\d\s*"
    r"[〕\]］】)）]\s*\d{1,4}\s*号"
)


def document_number(text: str, lexicon: Lexicon) -> tuple[str, Department | None] | None:
    """The province and department of a province-level document number (沪环法〔2023〕23号 →
    上海市, 生态环境局) in ``text``; the department is None when its mark is not known."""
    for match in _DOCUMENT_NUMBER.finditer(text):
        province = lexicon.abbreviations.get(match.group(1))
        if province is None:
            continue
        marks = match.group(2)
        department = next(
            (
                lexicon.by_mark[marks[:n]]
                for n in range(len(marks), 0, -1)
                if marks[:n] in lexicon.by_mark
            ),
            None,
        )
        return province, department
    return None


def leader_level(text: str, start: int, end: int) -> tuple[str, str] | None:
    """``(place written, level)`` of the party committee a unit works under (在上海市委… →
    (上海市, city); 在市委… → ("", city))."""
    match = _LEADER.search(text, start, end)
    if match is None:
        return None
    return match.group(1) + match.group(2), _RELATIVE_LEVEL[match.group(2)]


def relative_level(prefix: str) -> str | None:
    """The level a relative prefix speaks of: 市 → city, 省 → province, 县/区/旗 → county."""
    return _RELATIVE_LEVEL.get(prefix)


def dominant_place(
    gazetteer: Gazetteer,
    mentions: list[Mention],
    level: str,
    *,
    within: Division | None = None,
    ending: str | None = None,
) -> Division | None:
    """The division of ``level`` (whose name ends with ``ending`` when given: 县 for 县政府) the
    mentions name most often (a municipality counts as a city too: its 市 is a province).
    Ambiguous mentions count only when the others settle them; a tie gives None."""
    counts: Counter[Division] = Counter()
    for mention in mentions:
        options = [
            d
            for d in mention.candidates
            if _is_level(d, level) and (ending is None or d.name.endswith(ending))
        ]
        if within is not None:
            options = [d for d in options if gazetteer.is_within(d, within)]
        if not options:
            continue
        chosen = options[0] if len(options) == 1 else gazetteer.resolve(options, context=mentions)
        if chosen is not None:
            counts[chosen] += 1
    return _most_common(counts) or _common_parent(gazetteer, mentions, level, within, ending)


def _most_common(counts: Counter[Division]) -> Division | None:
    ranked = counts.most_common(2)
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def _common_parent(
    gazetteer: Gazetteer,
    mentions: list[Mention],
    level: str,
    within: Division | None,
    ending: str | None,
) -> Division | None:
    """With no name of ``level`` in the text, the one province that contains every unambiguous
    place it names (a province's report that names only its cities). Not for a 市: a
    county-level city's report names the other cities of its prefecture."""
    if level != LEVEL_PROVINCE:
        return None
    parents: set[Division] = set()
    for mention in mentions:
        if len(mention.candidates) != 1 or mention.candidates[0].level == LEVEL_PROVINCE:
            continue
        place = mention.candidates[0]
        parent = _parent_at(gazetteer, place, level)
        if parent is None or parent == place:
            continue
        parents.add(parent)
    if len(parents) != 1:
        return None
    (parent,) = parents
    if ending is not None and not parent.name.endswith(ending):
        return None
    if within is not None and not gazetteer.is_within(parent, within):
        return None
    return parent


def _parent_at(gazetteer: Gazetteer, division: Division, level: str) -> Division | None:
    current: Division | None = division
    while current is not None and current.level != level:
        current = gazetteer.parent(current)
    return current


def _is_level(division: Division, level: str) -> bool:
    """A 市 is a prefecture, a municipality (a province) or a county-level city."""
    if division.level == level:
        return True
    if level != LEVEL_CITY:
        return False
    if division.level == LEVEL_PROVINCE:
        return division.province_code in MUNICIPALITIES
    return division.level == LEVEL_COUNTY and division.kind == "县级市"


def own_mentions(text: str, mentions: list[Mention], start: int, end: int) -> list[Mention]:
    """The mentions that may name the text's own unit: not those in 在…领导下 (the government
    above) nor on a salutation line (常州市人民政府：, the government addressed)."""
    led = [(m.start(), m.end()) for m in _LED_BY.finditer(text, 0, end)]
    kept = []
    for mention in mentions:
        if any(a <= mention.start < b for a, b in led):
            continue
        line_end = text.find("\n", mention.end)
        line = text[mention.end : line_end if line_end >= 0 else len(text)].strip()
        if line.endswith(("：", ":")) and len(line) < 30:
            continue
        kept.append(mention)
    return kept
