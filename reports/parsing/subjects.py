"""What a quantity counts: the subject phrase around a number, read from the clause structure.

Two shapes cover the reports' sentences:
- subject before the number: ``共收到行政复议案件52件`` → the clause up to the number, with
  time phrases, agents (我区, 各部门), light verbs (开展, 组织), scope words (共, 累计, 其中)
  and link verbs (达, 为, 均为) trimmed;
- noun phrase after the measure word: ``推进147项行政许可事项…`` → the noun phrase that follows,
  found with jieba's part-of-speech tags and the domain dictionary.
"""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache

from reports.parsing.seeds import seeds_dir
from reports.parsing.segment import cut, word_tags

#: Characters that end a clause when scanning back from a number.
CLAUSE_DELIMITERS = frozenset("。；;！？!?\n，,：:")
MAX_CLAUSE = 60

_TIME = (
    r"(?:19|20)\d\d年(?:度)?(?:[1-9]\d?月(?:份)?)?(?:以来|来|内|底|末|初|上半年|下半年|全年|期间|中)?"
    r"|今年以来|今年|去年|全年|年内|年度|当年|本年度|本年|目前|当前|现已|近年来|近年|一年来"
    r"|截[至止](?:目前|今|(?:19|20)\d\d年(?:底|末|[1-9]\d?月(?:底|末|\d{1,2}日)?)?)"
)
_AGENT = (
    r"[\u4e00-\u9fff]{1,8}?(?:省|市|县|区|旗|州|镇|乡|街道)(?=(?:19|20)\d\d年)"
    r"|我(?:区|县|市|省|镇|乡|街道|局|委|办|中心|们)|全(?:区|县|市|省|镇|乡|街道|旗|州|局|系统)"
    r"|各(?:相关)?(?:部门|单位|镇街|镇|乡镇|街道|地)|本(?:区|县|市|镇|部门|单位)"
)
_LIGHT = r"组织开展|开展了|开展|组织|举办|举行|召开|进行|完成|实现|新增|先后|共同"
_SCOPE = r"其中|共计|累计|合计|总计|共有|此外|另外|同时|依法|分别|已经"
_LEAD = re.compile(rf"^(?:[\s、，,：:；;]|{_TIME}|{_AGENT}|{_SCOPE}|{_LIGHT})+")
_TRAIL = re.compile(
    r"(?:[\s、，,：:]|达到了|达到|高达|已达|提升至|提高到|提高至|上升至|增至|均为|均达|实现了|实现"
    r"|分别为|分别|共计|共有|累计|合计|总计|超过|不足|已经|已完成|完成了|完成)+$"
)
SUBJECT_WORDS_FILE = "subject_words.json"


@cache
def subject_words() -> dict[str, frozenset[str]]:
    """The lexicon of seeds/subject_words.json: function words trimmed from a subject when the
    segmentation makes them words of their own (共 of 共收到, not of 共享)."""
    raw = json.loads((seeds_dir() / SUBJECT_WORDS_FILE).read_text("utf-8"))
    words = {key: frozenset(raw[key]) for key in ("leading", "trailing", "scope")}
    words["leading_firsts"] = frozenset(w[0] for w in words["leading"])
    words["trailing_lasts"] = frozenset(w[-1] for w in words["trailing"])
    return words


@cache
def _scope_pattern() -> re.Pattern[str]:
    scope = sorted(subject_words()["scope"], key=len, reverse=True)
    return re.compile("|".join(map(re.escape, scope)))


_LAST_LIGHT = re.compile(r"组织开展|开展|举办|举行")
_MEANS = re.compile(r"等(?:方式|形式|途径|渠道|措施|手段|举措)[，,]?")
_ETC = re.compile(r"等(?:各类|各项|各种|多种|多项|一批)?")
_CATEGORY_PREFIX = re.compile(r"^(?:各类|各项|各种|多种|相关)")
_AFTER_STOP = frozenset(
    [
        "全部",
        "均",
        "都",
        "已",
        "已经",
        "全面",
        "基本",
        "立即",
        "共",
        "累计",
        "并",
        "和",
        "及",
        "与",
        "或",
        "等",
        "在",
        "为",
        "于",
        "由",
        "向",
        "对",
        "的",
        "中",
        "上",
        "里",
        "内",
        "手中",
        "以上",
        "左右",
        "其中",
        "进行",
        "实现",
        "开展",
        "纳入",
    ]
)
_TRANSITIVE_LINKS = frozenset({"为", "至", "到", "成"})
_NOUNISH = ("n", "vn", "j", "nz", "an", "ng", "b", "a", "t", "l", "i", "eng", "zg", "g")
_BRACKETS = frozenset('()（）“”"《》')
_VERB_FINAL_EXEMPT = ("率", "数", "量", "案件", "件")


@lru_cache(maxsize=65_536)
def clean_subject(raw: str) -> str:
    """Trim a before-the-number clause down to the phrase naming what is counted."""
    text = raw
    m = _last(_MEANS, text)
    if m is not None and text[m.end() :]:
        text = text[m.end() :]
    parts = _split_scope(text)
    if len(parts) > 1:
        after = _strip(parts[-1])
        text = parts[-1] if after else parts[-2]
    text = _strip(text)
    m = _last(_LAST_LIGHT, text)
    if m is not None and len(text) - m.end() >= 2:
        text = text[m.end() :]
    pos = text.rfind("等")
    if 0 < pos < len(text) - 2 and text[pos - 1] not in "平同":
        tail = _CATEGORY_PREFIX.sub("", _ETC.sub("", text[pos:], count=1))
        if len(tail) >= 2:
            text = tail
    return _drop_conjunction(_strip(text))


def _drop_conjunction(text: str) -> str:
    """A subject cut before the second member of a list (乡镇和 of 8个乡镇和12个…) loses the
    conjunction it ends with: a word-level check on the segmentation."""
    if len(text) < 2:
        return text
    word, flag = _edge_tags(text[-_EDGE:])[-1]
    if flag == "c" and len(word) < len(text):
        return _strip(text[: -len(word)])
    return text


def _last(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    found = None
    for found in pattern.finditer(text):  # noqa: B007 - the last match is wanted
        pass
    return found


_EDGE = 4  # characters segmented at each end of a subject to find its first and last words


@lru_cache(maxsize=65_536)
def _edge_tags(text: str) -> tuple[tuple[str, str], ...]:
    table = _word_tags()
    return tuple((w, table.get(w, "x")) for w in cut(text)) or (("", "x"),)


def _split_scope(text: str) -> list[str]:
    """``text`` split at its scope words (累计, 共计, 共 …) where the segmentation makes them
    words: each candidate is checked on the few characters around it."""
    parts, start = [], 0
    for m in _scope_pattern().finditer(text):
        if _is_word_at(text[max(0, m.start() - 3) : m.end() + 3], min(3, m.start()), m.group()):
            parts.append(text[start : m.start()])
            start = m.end()
    parts.append(text[start:])
    return parts


@lru_cache(maxsize=65_536)
def _is_word_at(window: str, pos: int, word: str) -> bool:
    """Whether ``word`` stands as a word of its own at ``pos`` in the segmentation of
    ``window``."""
    at = 0
    for token in cut(window):
        if at == pos:
            return token == word
        if at > pos:
            return False
        at += len(token)
    return False


def _strip(text: str) -> str:
    previous = None
    while previous != text:
        previous = text
        text = _LEAD.sub("", text)
        text = _TRAIL.sub("", text)
        text = _strip_words(text)
    return _balance(text)


def _strip_words(text: str) -> str:
    """Drop a leading adverb or conjunction (共, 并, 和 …) and a trailing link word (达, 为, 的 …)
    when the segmentation makes it a word of its own. Only the words at the ends are needed, so
    only a few characters at each end are segmented."""
    words = subject_words()
    if len(text) < 2:
        return text
    start, end = 0, len(text)
    if text[0] in words["leading_firsts"]:
        word, flag = _edge_tags(text[:_EDGE])[0]
        if word in words["leading"]:
            start = len(word)
        elif flag.startswith("nr") and word[0] in words["leading"]:
            start = 1  # a personal name the dictionary glued on
    if text[-1] in words["trailing_lasts"]:
        word, flag = _edge_tags(text[-_EDGE:])[-1]
        if word in words["trailing"] and len(word) < len(text):
            end -= len(word)
        elif flag.startswith("nr") and word[-1] in words["trailing"]:
            end -= 1  # 压缩比达: the dictionary's name 比达, not a word of the clause
    return text[start:end] if start < end else ""


_BRACKET_CHARS = frozenset("“”()（）《》")


def _balance(text: str) -> str:
    """Drop an unmatched opening/closing quote or bracket at either end."""
    if not text or (text[0] not in _BRACKET_CHARS and text[-1] not in _BRACKET_CHARS):
        return text
    for left, right in (("“", "”"), ("(", ")"), ("（", "）"), ("《", "》")):
        if text.startswith(right) or (text.startswith(left) and right not in text):
            text = text[1:]
        if text.endswith(left) or (text.endswith(right) and left not in text):
            text = text[:-1]
    return text


_CLAUSE_MARKS = re.compile(r"[。；;！？!?\n，,：:（()）]")


def clause_start(text: str, pos: int, floor: int) -> int:
    """Offset where the clause holding ``pos`` begins: after the previous delimiter, an unmatched
    opening bracket, or ``floor`` (the end of the previous quantity or heading marker)."""
    limit = max(floor, pos - MAX_CLAUSE)
    marks = [(m.start(), m.group()) for m in _CLAUSE_MARKS.finditer(text, limit, pos)]
    depth = 0
    for i, ch in reversed(marks):
        if ch in "）)":
            depth += 1
        elif ch in "（(":
            if depth == 0:
                return i + 1
            depth -= 1
        else:
            return i + 1
    return limit


@cache
def _word_tags() -> dict[str, str]:
    """jieba's part-of-speech table, domain dictionary included."""
    return word_tags()


@lru_cache(maxsize=65_536)
def _tags(text: str) -> tuple[tuple[str, str], ...]:
    """(word, part of speech) of ``text``: jieba's precise cut with the tag table looked up, which
    is what jieba.posseg does without HMM, at a fraction of its per-call cost."""
    table = _word_tags()
    return tuple((w, table.get(w, "x")) for w in cut(text))


def _quoted_prefix(span: str) -> int:
    """Length of a leading “…” or 《…》 chunk, else 0."""
    for left, right in (("“", "”"), ("《", "》"), ('"', '"')):
        if span.startswith(left):
            close = span.find(right, 1)
            return close + 1 if close > 0 else 0
    return 0


def noun_phrase_after(span: str) -> str:
    """The noun phrase opening ``span`` (text right after a measure word), or "" when ``span``
    opens with a verb phrase. A relative clause ending in 的 is dropped: 整改到位的企业 → 企业."""
    quoted = _quoted_prefix(span)
    head = span[:quoted]
    tags = _tags(span[quoted:]) if span[quoted:] else ()
    words: list[str] = []
    seen_noun = bool(head)
    i = 0
    if tags and not head and not _is_nounish(tags[0]):
        de = next((k for k, (w, _) in enumerate(tags[:6]) if w == "的"), None)
        if de is not None and de + 1 < len(tags) and _is_nounish(tags[de + 1]):
            i = de + 1
        elif tags[0][1] == "v" and len(tags) > 1 and all(map(_is_nounish, tags[1:])):
            return _balance("".join(w for w, _ in tags)) if len(span) <= 8 else ""
        else:
            return ""
    while i < len(tags):
        word, flag = tags[i]
        if word in _AFTER_STOP:
            break  # after a noun, 的 is possessive: 12个村的法律顾问 counts villages
        if not (_is_nounish(tags[i]) or word in _BRACKETS):
            break
        words.append(word)
        seen_noun = seen_noun or flag.startswith("n") or flag in ("vn", "j")
        i += 1
    if i < len(tags) and tags[i][0] in _TRANSITIVE_LINKS:
        return ""  # 精简为/提升至: a verb taking the next number, not a noun phrase
    return _balance(head + "".join(words))


def _is_nounish(tag: tuple[str, str]) -> bool:
    word, flag = tag
    if word in _AFTER_STOP:
        return False
    return flag.startswith(_NOUNISH) or word in _BRACKETS


def verb_phrase_after(span: str, limit: int = 10) -> str:
    """A short phrase following a percentage (100%网上可办 → 网上可办), cut at a delimiter."""
    span = span.removeprefix("的")
    if span[:1] in ("和", "及", "与", "或", "、"):
        return ""
    out = []
    for ch in span[:limit]:
        if ch in CLAUSE_DELIMITERS or ch in "、（()）”》" or ch.isdigit():
            break
        out.append(ch)
    return "".join(out)


_CASE_VERBS = frozenset(
    [
        "受理",
        "办结",
        "审结",
        "结案",
        "立案",
        "撤回",
        "撤诉",
        "纠错",
        "维持",
        "撤销",
        "驳回",
        "和解",
        "调解",
        "终止",
        "败诉",
        "胜诉",
        "答复",
        "办理",
        "收案",
        "结转",
        "确认违法",
        "责令履行",
        "变更",
    ]
)


_CASE_VERB_TAILS = tuple(_CASE_VERBS)


def ends_with_case_verb(subject: str) -> bool:
    """``依法受理``/``审结``: a case-handling step that leaves the cases it counts unnamed."""
    if not subject or subject.endswith(_VERB_FINAL_EXEMPT):
        return False
    if not subject.endswith(_CASE_VERB_TAILS):
        return False
    tags = _tags(subject)
    if not tags:
        return False
    word, flag = tags[-1]
    if word not in _CASE_VERBS:
        return False
    has_noun = any(
        (f.startswith("n") or f in ("j", "vn")) and w not in ("依法", "经") for w, f in tags[:-1]
    )
    return flag == "v" and not has_noun and len(word) >= 2


CASE_NOUNS = ("案件", "申请", "事项", "纠纷", "诉求", "投诉", "举报", "建议", "提案", "文件", "案")


def trailing_noun(subject: str) -> str:
    """The noun run that ends ``subject``: 共收到行政复议案件 → 行政复议案件."""
    tags = _tags(subject)
    words: list[str] = []
    for word, flag in reversed(tags):
        if word in _CASE_VERBS:
            break
        if flag.startswith(("n", "j")) or flag == "vn" or word in _BRACKETS:
            words.append(word)
        else:
            break
    return "".join(reversed(words))


_BROAD_DETERMINERS = frozenset({"各类", "各项", "各种", "其他", "其它", "相关", "多类", "多种"})
_MODIFIER_FLAGS = ("n", "l", "nz", "j", "b", "vn", "ns", "nt")


def kind_modifier(subject: str) -> str | None:
    """The words with which ``subject`` qualifies the case or document noun it ends with
    (民事诉讼案件 → 民事诉讼, 各类文件 → 各类), or None when it names no kind of its own: a bare
    noun (案件) or a verb before it (办理案件, 收到申请) leaves the kind to the context."""
    if not subject.endswith(CASE_NOUNS):
        return None
    tags = _tags(subject)
    if len(tags) < 2 or not tags[-1][0].endswith(CASE_NOUNS):
        return None
    if tags[-2][0] in _BROAD_DETERMINERS:
        return tags[-2][0]
    words: list[str] = []
    for word, flag in reversed(tags[:-1]):
        if word in _CASE_VERBS or flag == "v" or not flag.startswith(_MODIFIER_FLAGS):
            break
        words.append(word)
    return "".join(reversed(words)) or None


def is_verb_only(subject: str) -> bool:
    """``召开``, ``主持召开``, ``组织开展``: a subject made of verbs (and adverbs) alone, which
    leaves what was held or done to the noun after the number (召开4次常务会议)."""
    tags = _tags(subject) if subject else ()
    return bool(tags) and all(flag in ("v", "d", "vd") for _, flag in tags)
