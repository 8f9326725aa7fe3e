"""Web-page noise removal that keeps every offset.

``strip_web_noise`` blanks page furniture (breadcrumbs, font-size and print controls, share buttons,
metadata tables, page-header date/source lines, accessibility links, footers, exit notices, repeated
site-name watermarks) by replacing its characters with spaces, keeping ``\\n``. It may also turn a
separator space into ``\\n`` so that a page whose paragraphs are separated only by spaces gets one
line per paragraph and every numbered heading starts a line. The result therefore has exactly the
length of the input: an offset into it is an offset into the original text.

All patterns are linear: no nested quantifiers, bounded repetitions only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache

from reports.parsing.seeds import seeds_dir


def _width_table() -> str:
    table = [chr(i) for i in range(0x10000)]
    for i in range(0xFF01, 0xFF5F):
        table[i] = chr(i - 0xFEE0)
    table[0x3000] = table[0xA0] = " "
    return "".join(table)


_WIDTH = _width_table()  # indexed by code point; characters beyond the BMP map to themselves


def fold_width(text: str) -> str:
    """Full-width ASCII (digits, letters, punctuation) to half-width, ideographic and no-break
    spaces to plain spaces. Same length, for matching only."""
    return text.translate(_WIDTH)


_NOT_NL = re.compile(r"[^\n]")
_SEP = r"[:：]"
_BULLET = r"[\s•·●◆■▪►【\[|｜]*"

# Labels of the metadata table of a government information-disclosure page.
META_LABELS = (
    "索引号",
    "信息索引号",
    "文件编号",
    "发文字号",
    "文号",
    "发布机构",
    "发文机关",
    "发文机构",
    "发布单位",
    "生成日期",
    "成文日期",
    "发布日期",
    "发文日期",
    "公开日期",
    "印发日期",
    "实施日期",
    "废止日期",
    "主题分类",
    "组配分类",
    "体裁分类",
    "服务对象分类",
    "信息分类",
    "内容分类",
    "公开形式",
    "公开方式",
    "公开范围",
    "公开时限",
    "公开属性",
    "公开类别",
    "信息来源",
    "所属机构",
    "所属主题",
    "有效性",
    "时效性",
    "主题词",
    "关键词",
    "统一编号",
    "登记号",
    "信息名称",
    "标题",
    "名称",
    "发布时间",
    "来源",
    "作者",
    "责任编辑",
    "编辑",
    "浏览次数",
    "访问量",
    "阅读量",
    "点击数",
)
_LABEL = "(?:" + "|".join(sorted(META_LABELS, key=len, reverse=True)) + ")"

# A whole line is noise when it starts with one of these (applied to the stripped line). Chrome
# lines carry no sentence (no ，/。); footer lines and exit notices may.
_CHROME_LINE = re.compile(
    "|".join(
        (
            # breadcrumbs
            r"(?:当前位置|当前页面|您的位置|你的位置|您所在的位置|您现在的位置|您现在所在的位置|所在位置|"
            r"现在位置|位置)\s*[:：]",
            r"首页\s*[>/»＞›→]",
            # font size, print, close, favourites, share
            r"[【\[]?\s*(?:字号|字体)\s*[:：]",
            r"(?:[【\[]?(?:打印(?:本页|此页|文章)?|关闭(?:窗口|本页)?|收藏|返回顶部|返回|分享|"
            r"我要纠错|纠错|下载)[】\]]?\s*){1,6}$",
            r"分享到",
            r"扫一扫\s*(?:在|用|分享|打开|$)",
            r"(?:用)?手机(?:扫描|扫码|浏览|打开|阅读).{0,10}(?:当前页|本页|此页|页面|二维码)",
            # related items and paging
            r"(?:关联稿件|相关附件|相关链接|相关文章|相关新闻|相关阅读|相关稿件|相关信息|相关解读)"
            r"\s*(?:[:：]|$)",
            r"(?:上一篇|下一篇|上一条|下一条)",
            r"[【\[]?\s*一图读懂",
        )
    ),
)
_FOOTER_LINE = re.compile(
    "|".join(
        (
            r".{0,60}(?:版权所有|Copyright|©|ICP\s*备|ICP\s*证|网站标识码|公安备案|公网安备|京公网安备)",
            r"(?:主办单位|承办单位|技术支持|维护单位|主办|承办|协办|地址|邮编|联系电话|电话|传真)\s*[:：]",
            r"(?:联系我们|网站纠错|网站声明|隐私声明|建议使用.{0,20}浏览器|.{0,20}分辨率)",
            # leaving-the-site notices
            r".{0,10}(?:即将离开|是否继续|继续访问|放弃访问)",
        )
    ),
    re.IGNORECASE,
)

# Short lines of site switches and accessibility links.
_SWITCH = (
    r"(?:无障碍(?:版|浏览|阅读|模式)?|关怀版|长者版|适老化(?:版|模式)?|老年版|简体(?:版|中文)?|"
    r"繁体(?:版|中文)?|繁體(?:版)?|English|网站支持\s*IPv6|IPv6|网站地图|设为首页|加入收藏|登录|注册|"
    r"智能问答|政务微博|政务微信|移动版|手机版|微信|微博)"
)
# A short line made only of such links (无障碍版 / 关怀版 | 登录 注册).
_SHORT_NOISE_LINE = re.compile(r"(?:" + _SWITCH + r"[\s|｜/·]*){1,8}$", re.IGNORECASE)
_SHORT = 40

# A metadata line: starts (after bullets) with a label and a colon, or is a table row with labels.
_LABEL_LINE = re.compile(_BULLET + _LABEL + r"\s*" + _SEP)
_LABEL_ANY = re.compile(_LABEL + r"\s*" + _SEP)
_DATE = r"(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
_TIME = r"(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?"
# A bare page-header date line ("• 2024-01-31 16:37"); a signature's 2024年3月20日 is no noise.
_DATE_LINE = re.compile(_BULLET + r"(?:19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}" + _TIME + r"\s*$")
_BULLETS = "•●◆■▪► \t\u3000"

# Inline noise on a line that also carries text (one-line pages).
_INLINE_NOISE = re.compile(
    "|".join(
        (
            r"(?:当前位置|您的位置|您所在的位置|您现在的位置|您现在所在的位置|所在位置)\s*[:：]\s*"
            r"首页(?:\s{0,3}[>/»＞›→]\s{0,3}[^\s>/»＞›→。，]{1,30}){0,8}",
            r"首页(?:\s{0,3}[>»＞›→]\s{0,3}[^\s>»＞›→。，]{1,30}){1,8}",
            r"[【\[]?\s*(?:字号|字体)\s*[:：]?\s*(?:[【\[]?[大中小默认]{1,2}[】\]]?\s{0,3}){2,4}[】\]]?",
            r"[【\[](?:打印(?:本页|此页)?|关闭(?:窗口|本页)?|收藏|返回顶部|我要纠错)[】\]]",
            r"(?<![\u4e00-\u9fff])(?:打印本页|关闭窗口|打印|关闭)(?![\u4e00-\u9fff])",
            r"分享到\s*[:：]?",
            r"扫一扫在手机(?:上)?(?:打开|查看|浏览|阅读)当前页",
            r"(?:发布时间|发布日期|更新时间|日期|时间)\s*[:：]\s*" + _DATE + _TIME,
            r"(?:来源|信息来源|作者|浏览次数|访问量|阅读量|点击数|点击量)\s*[:：]\s*[^\s。，；]{0,40}",
            r"您访问的链接即将离开[^\n]{0,60}?(?:是否继续|$)[？?]?",
        )
    ),
    re.MULTILINE,
)

# Heading markers, and the separators before them that may become line breaks.
_MARKER = (
    r"(?:[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十]{1,3}[)）]|"
    r"\d{1,2}[.．、](?=[\u4e00-\u9fff“《])|[(（]\d{1,2}[)）])"
)
_SPACES = re.compile(r"[ \t\u3000\xa0]+")
_MARKER_AT = re.compile(_MARKER)
_SENTENCE_END = "。！？!?"

# Site names, for the watermarks some portals inject into the body text: the portal's name as the
# page chrome states it (exit notice, 发布机构/来源 values, breadcrumb items) and web addresses.
_EXIT_NOTICE_SITE = re.compile(r"即将离开[“\"「『]([^”\"」』\n]{2,30})[”\"」』]")
_SITE_NAME = r"([^\s:：|｜>»＞›/。，]{2,30}?(?:门户网站|网站|政府网|网))(?=[\s|｜>»＞›/]|$)"
# Two patterns, each starting with literals or one class, which the regex engine scans fast.
_CHROME_SITES = (
    re.compile(r"(?:发布机构|信息来源|来源|主办单位|主办)\s*[:：]?\s*" + _SITE_NAME, re.MULTILINE),
    re.compile(r"[>»＞›/]\s*" + _SITE_NAME, re.MULTILINE),
)
_DOMAIN = re.compile(
    r"(?:https?://)?(?:www\.)?[a-z0-9-]{2,30}(?:\.[a-z0-9-]{2,30}){0,3}\.(?:gov\.cn|com\.cn|com|cn)",
    re.IGNORECASE,
)
_CHROME_WINDOW = 3000


def strip_web_noise(text: str) -> str:
    """Blank page furniture out of ``text``; the result has exactly the same length.

    Noise characters become spaces (line breaks are kept); separator spaces before numbered
    headings and between sentences of a one-line page become line breaks.
    """
    if not text:
        return text
    spans = list(_noise_line_spans(text))
    spans.extend(_inline_noise_spans(text))
    spans.extend(_watermark_spans(text))
    return _split_lines(_blank(text, spans))


# The signature closing a one-line page: an organisation and a date, or a date, up to the end.
_SIGN_DATE = (
    r"(?:(?:19|20)\d\d年\d{1,2}月\d{1,2}日|[〇零○一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月"
    r"[一二三四五六七八九十]{1,3}日)"
)
_SIGNATURE_AT = re.compile(
    r"(?:[^\s。，；]{2,30}(?:人民政府|行政公署|管理委员会|管委会|办事处|局|委员会|办公室)\s+)?"
    + _SIGN_DATE
    + r"\s*$"
)
_SIGNATURE_SPAN = 60


def _split_lines(text: str) -> str:
    """Turn the first space of a separator into a line break before a numbered heading (after a
    non-space, non-digit character), between sentences on one line, and before the signature
    that closes a one-line page."""
    breaks: list[int] = []
    for run in _SPACES.finditer(text):
        start, end = run.span()
        if start == 0 or end >= len(text) or text[end] == "\n":
            continue
        before = text[start - 1]
        if before == "\n":
            continue
        if (
            before in _SENTENCE_END
            or (not before.isdigit() and _MARKER_AT.match(text, end) is not None)
            or (len(text) - end <= _SIGNATURE_SPAN and _SIGNATURE_AT.match(text, end))
        ):
            breaks.append(start)
    if not breaks:
        return text
    chars = list(text)
    for pos in breaks:
        chars[pos] = "\n"
    return "".join(chars)


def _lines(text: str) -> Iterable[tuple[int, int, str]]:
    start = 0
    for line in text.split("\n"):
        yield start, start + len(line), line
        start += len(line) + 1


def _is_noise_line(line: str) -> bool:
    stripped = line.strip()
    if not stripped:
        return False
    if len(stripped) > 200 or "。" in stripped[:-1]:
        return False
    if not stripped.endswith("。") and _FOOTER_LINE.match(stripped):
        return True
    if "，" in stripped or "。" in stripped:
        return False  # a line with a sentence in it: only inline noise is blanked
    unbulleted = stripped.lstrip(_BULLETS)
    if _CHROME_LINE.match(unbulleted) or _LABEL_LINE.match(line):
        return True
    if len(stripped) <= _SHORT and _SHORT_NOISE_LINE.match(stripped):
        return True
    if _DATE_LINE.match(line):
        return True
    if stripped.count("|") + stripped.count("｜") >= 2 and _is_chrome_row(stripped):
        return True  # a metadata-table row or a row of links
    return len(_LABEL_ANY.findall(stripped)) >= 2


def _is_chrome_row(row: str) -> bool:
    """A row of cells that is a metadata table (labels) or a row of short links (no numbers)."""
    if _LABEL_ANY.search(row):
        return True
    cells = [cell.strip() for cell in re.split(r"[|｜]", row) if cell.strip()]
    return all(len(cell) <= 8 and not any(c.isdigit() for c in cell) for cell in cells)


def _noise_line_spans(text: str) -> Iterable[tuple[int, int]]:
    lines = list(_lines(text))
    crumb = next(
        (i for i, (_, _, line) in enumerate(lines[:25]) if _is_breadcrumb(line)),
        None,
    )
    for index, (start, end, line) in enumerate(lines):
        if crumb is not None and index < crumb and _is_banner(line):
            yield start, end  # site banner above the breadcrumb
        elif _is_noise_line(line):
            yield start, end


_CRUMB = re.compile(
    r"(?:当前位置|您的位置|您所在的位置|您现在的位置|您现在所在的位置|所在位置|首页\s*[>/»＞›→])"
)


def _is_banner(line: str) -> bool:
    """A short line of the site banner; a document title placed above the breadcrumb is kept."""
    stripped = line.strip()
    return len(stripped) <= _SHORT and not _is_document_title(stripped)


_YEAR = re.compile(r"(?:19|20)\d\d\s*年")
GENRES_FILE = "document_genres.json"


@cache
def document_genres() -> tuple[str, ...]:
    """Words that end a government document's title (报告, 情况, 通知 …), from
    seeds/document_genres.json."""
    rows: list[str] = json.loads((seeds_dir() / GENRES_FILE).read_text("utf-8"))["genres"]
    return tuple(sorted(rows, key=len, reverse=True))


def _is_document_title(line: str) -> bool:
    """A line naming a document rather than a site: it holds a year or ends with a document genre
    (…年度报告, …工作情况), whatever its topic."""
    return bool(_YEAR.search(line)) or line.rstrip("。 ").endswith(document_genres())


def _is_breadcrumb(line: str) -> bool:
    stripped = line.strip()
    return len(stripped) <= 200 and bool(_CRUMB.match(stripped))


def _inline_noise_spans(text: str) -> Iterable[tuple[int, int]]:
    for trigger in _INLINE_TRIGGER.finditer(text):
        start = trigger.start()
        if start and text[start - 1] in "【[":
            start -= 1
        if start and text[start - 1] not in _GUARD:
            continue
        match = _INLINE_NOISE.match(text, start)
        if match:
            yield start, match.end()


_GUARD = " \t\n\u3000\xa0|｜•·"
# Where inline noise can start; checked first because one literal scan is much cheaper.
_INLINE_TRIGGER = re.compile(
    r"当前位置|您的位置|您所在|您现在|所在位置|首页|字号|字体|打印|关闭|收藏|返回顶部|我要纠错|分享到|"
    r"扫一扫|发布时间|发布日期|更新时间|日期|时间|来源|信息来源|作者|浏览次数|访问量|阅读量|点击|"
    r"您访问的链接"
)


def _watermark_spans(text: str) -> Iterable[tuple[int, int]]:
    """Occurrences, inside sentences, of the portal's own name or a web address."""
    chrome = text[:_CHROME_WINDOW] + "\n" + text[-_CHROME_WINDOW:]
    sites = {m.group(1) for m in _EXIT_NOTICE_SITE.finditer(chrome)}
    for pattern in _CHROME_SITES:
        sites.update(m.group(1) for m in pattern.finditer(chrome))
    if any(tld in text for tld in (".cn", ".com", ".CN", ".COM")):
        sites.update(m.group(0) for m in _DOMAIN.finditer(text))
    sites.update(_repeated_site_names(text))
    for site in sites:
        if len(site) < 4:
            continue
        start = text.find(site)
        while start >= 0:
            end = start + len(site)
            before = text[start - 1] if start else "\n"
            after = text[end] if end < len(text) else "\n"
            if _is_cjk(before) and _is_cjk(after) and before not in _BEFORE_NAME:
                yield start, end
            start = text.find(site, end)


_BEFORE_NAME = "在于由经从向和与及、“《登录通过依托"
_SITE_ENDINGS = ("门户网站", "政府网站", "人民政府网", "政府网", "新闻网")
_WATERMARK_REPEATS = 3


def _repeated_site_names(text: str) -> set[str]:
    """Site names (…门户网站, …政府网, …新闻网) repeated at least three times inside sentences:
    the longest string all those occurrences share, read leftwards from the ending."""
    found: set[str] = set()
    for ending in _SITE_ENDINGS:
        ends = []
        start = text.find(ending)
        while start >= 0:
            end = start + len(ending)
            if end < len(text) and _is_ideograph(text[end]):
                ends.append(end)
            start = text.find(ending, end)
        if len(ends) < _WATERMARK_REPEATS:
            continue
        length = len(ending)
        while length < 20 and all(
            e - length - 1 >= 0
            and text[e - length - 1] == text[ends[0] - length - 1]
            and _is_ideograph(text[e - length - 1])
            for e in ends
        ):
            length += 1
        if length >= len(ending) + 2:
            found.add(text[ends[0] - length : ends[0]])
    return found


def _is_ideograph(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or char in "，。；、"


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    if not merged:
        return text
    pieces: list[str] = []
    pos = 0
    for start, end in merged:
        pieces.append(text[pos:start])
        pieces.append(_NOT_NL.sub(" ", text[start:end]))
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces)
