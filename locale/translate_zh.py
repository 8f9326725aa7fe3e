"""Fill locale/zh_Hans/LC_MESSAGES/django.po from the table below (kept for re-runs after
``makemessages``); then ``manage.py compilemessages``. Run: python locale/translate_zh.py"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

ZH = {
    "Indicator": "指标",
    "Year": "年度",
    "Level": "层级",
    "Province": "省",
    "City": "市",
    "County / district": "区县",
    "— none: one place's series —": "—不选：某地历年序列—",
    "The most common level": "最常见的层级",
    "All levels, mixed": "全部层级（混合）",
    "— any —": "—不限—",
    "— the province itself —": "—省本级—",
    "— the city itself —": "—市本级—",
    "Choose a year (regions compared) or a place (its series over the years).": (
        "请选择年度（各地区比较）或地区（该地区历年序列）。"
    ),
    "From year": "起始年度",
    "To year": "截止年度",
    "— all —": "—全部—",
    "Governments (departments left out)": "各级政府（不含部门）",
    "All levels": "全部层级",
    "There is no report covering %(year)s.": "尚无%(year)s年度的报告。",
    "No report covering %(year)s states “%(name)s”.": "%(year)s年度的报告中没有“%(name)s”的数值。",
    "No %(level)s report covering %(year)s states “%(name)s”; choose another level, or all "
    "levels.": "%(year)s年度的%(level)s报告中没有“%(name)s”的数值；请选择其他层级或全部层级。",
    "No report in %(place)s covering %(year)s states “%(name)s”.": (
        "%(place)s%(year)s年度的报告中没有“%(name)s”的数值。"
    ),
    "There is no report of %(place)s itself. Choose a place from the lists.": (
        "尚无%(place)s本级的报告。请从列表中选择地区。"
    ),
    "The reports of %(place)s do not state “%(name)s”.": "%(place)s的报告中没有“%(name)s”的数值。",
    "Compare an indicator": "指标比较",
    "Compare": "比较",
    "With a year: that year's regions side by side (bar chart), one level of government at a "
    "time unless you choose all levels; a province narrows them. Without a year: the chosen "
    "place's series over the years (line chart).": (
        "选择年度：该年度各地区并列比较（柱状图），默认只比较同一层级，可选择全部层级；选择省份可缩小范围。"
        "不选年度：所选地区的历年序列（折线图）。"
    ),
    "reviewed (verified or corrected)": "已审核（核实或更正）",
    "extracted automatically": "自动抽取",
    "regions in %(year)s": "%(year)s年 各地区",
    "%(place)s over the years": "%(place)s 历年",
    "Only %(level)s reports are compared, the level most reports of this year have; choose "
    "another level, or all levels, above.": (
        "只比较%(level)s报告（该年度报告最多的层级）；可在上方选择其他层级或全部层级。"
    ),
    "Download CSV": "下载 CSV",
    "About this indicator": "指标说明",
    "Region": "地区",
    "Value": "数值",
    "Source": "来源",
    "Quote": "原文",
    "Report coverage": "报告覆盖",
    "Filter": "筛选",
    "Each cell is a government's report for a covered year: its publication date and the days "
    "from the deadline (1 April of the next year).": (
        "每格为该地区该年度的报告：发布日期及相对截止日（次年4月1日）的天数。"
    ),
    "on time": "按时",
    "late": "逾期",
    "date unknown": "日期不明",
    "No report matches these filters. Widen the years or choose another level.": (
        "没有符合条件的报告。请放宽年度范围或选择其他层级。"
    ),
    "No report with a known year has been loaded yet.": "尚无已知年度的报告。",
    "Code": "代码",
    "Unit": "单位",
    "Report area": "报告领域",
    "Also written as": "又称",
    "Definition": "定义",
    "Figures": "数值",
    "Compare it across regions or years": "跨地区或跨年度比较",
    "Search the reports that state it": "搜索提及该指标的报告",
    "Values by region and year": "各地区各年度数值",
    "One value per region and year: a reviewed one where there is one. Each value links to its "
    "quote in the report.": (
        "每个地区每个年度一个数值，优先采用已审核的数值。点击数值可查看报告原文。"
    ),
    "The first %(shown)s of %(total)s regions; choose a level to narrow them.": (
        "显示前 %(shown)s 个地区（共 %(total)s 个）；选择层级可缩小范围。"
    ),
    "No report states this indicator yet (at this level).": "尚无报告提及该指标（在此层级）。",
    "Reviewed": "已审核",
    "Extracted": "抽取",
    "none": "无",
    "%(days)s days": "%(days)s 天",
    "%(n)s reports": "%(n)s 份",
    "Deadline %(date)s": "截止 %(date)s",
    "Search": "搜索",
    'e.g. 行政复议 "出庭应诉"': '例如：行政复议 "出庭应诉"',
    "Sections": "章节",
    "Reports": "报告",
    "Heading level": "标题级别",
    "%(year)s": "%(year)s年",
    "Township / street": "乡镇/街道",
    "Department": "部门",
    "Development zone": "开发区",
    "Verified": "已核实",
    "Corrected": "已更正",
    "Rejected": "已驳回",
    "Chapter headings (一、)": "一级标题 一、",
    "Sections (（一）)": "二级标题 （一）",
    "Items (1.)": "三级标题 1.",
    "Sub-items (（1）)": "四级标题 （1）",
    "Search the reports": "搜索报告",
    "Search the reports, e.g. 行政复议 出庭应诉率": "搜索报告，例如：行政复议 出庭应诉率",
    "Home": "首页",
    "Annual reports on building a law-based government": "法治政府建设年度报告",
    "Every report split into its sections, searchable in Chinese, with each figure extracted "
    "and linked to its indicator.": (
        "每份报告按章节拆分，可中文全文检索，每个数值均已抽取并对应到指标。"
    ),
    "reports": "份报告",
    "governments": "个地区",
    "years covered": "覆盖年度",
    "sections": "个章节",
    "figures extracted": "个抽取数值",
    "figures reviewed": "个已审核数值",
    "Latest reports": "最新报告",
    "Report": "报告",
    "No report has been loaded yet.": "尚未导入报告。",
    "Coverage at a glance": "覆盖概况",
    "Reports per covered year and level of government.": "各年度、各层级的报告数。",
    "The full coverage grid": "完整覆盖表",
    "No report with a known year yet.": "尚无已知年度的报告。",
    "Compare an indicator across regions and years": "跨地区、跨年度比较指标",
    "Outline": "目录",
    "No numbered headings were found.": "未识别到编号标题。",
    "All figures": "全部数值",
    "Issued by": "发布机关",
    "Year covered": "报告年度",
    "Published": "发布日期",
    "File": "文件",
    "Download the original": "下载原件",
    "Parse error": "解析错误",
    "Figures in the text:": "正文中的数值：",
    "extracted": "抽取",
    "verified": "已核实",
    "corrected": "已更正",
    "rejected": "已驳回",
    "click one for its value": "点击查看数值",
    "This report has no text.": "该报告没有正文。",
    "Figures in this report": "本报告的数值",
    "Status": "状态",
    "How to write a query": "检索语法",
    "Words separated by spaces must all occur:": "以空格分隔的词须同时出现：",
    "OR between alternatives:": "OR 表示任选其一：",
    "A minus sign excludes:": "减号表示排除：",
    "Quotes keep a phrase together:": "引号表示短语须连续出现：",
    "A term matches wherever the heading or the text contains it; single characters and words "
    "missing from the dictionary are found too. Hits in headings rank first.": (
        "标题或正文中包含检索词即为命中，单字和词典外的词也能检索到。标题中的命中排在前面。"
    ),
    "Filters": "筛选",
    "%(counter)s match for “%(q)s”": ["“%(q)s”共 %(counter)s 条结果"],
    "Show": "显示",
    "Remove this filter": "取消此筛选",
    "%(counter)s matching section": ["%(counter)s 个章节命中"],
    "Pages": "分页",
    "Previous": "上一页",
    "Next": "下一页",
    "Nothing matches with these filters. Remove a filter above to widen the search.": (
        "在这些筛选条件下没有结果。请取消上方的筛选条件以扩大范围。"
    ),
    "No section contains these terms. Try fewer words, or OR between alternatives.": (
        "没有章节包含这些检索词。请减少检索词，或用 OR 连接同义词。"
    ),
    "Rule-of-law government reports": "法治政府建设年度报告",
    "Fazhi Reports": "法治政府报告库",
    "Skip to content": "跳到正文",
    "Main": "主导航",
    "Coverage": "报告覆盖",
    "Workspace": "工作台",
    "Admin": "管理后台",
    "Log out": "退出",
    "Log in": "登录",
    "API documentation": "API 文档",
    "The user name or password is not right.": "用户名或密码不正确。",
    "User name": "用户名",
    "The query has no search term: exclusions alone would match too much.": (
        "检索式中没有检索词：只有排除项会匹配过多结果。"
    ),
    "A search term is limited to %(n)s characters.": "单个检索词最多 %(n)s 个字符。",
    "A query is limited to %(n)s terms.": "一个检索式最多 %(n)s 个检索词。",
    "Password": "密码",
}

# Where a context gives a word another sense.
ZH_CONTEXT = {
    ("admin level", "Province"): "省级",
    ("admin level", "City"): "市级",
    ("value status", "Extracted"): "抽取",
    ("value status", "Reviewed"): "已审核",
}


def main() -> int:
    path = Path(__file__).parent / "zh_Hans" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(path))
    missing = []
    for entry in po:
        if entry.obsolete:
            continue
        text = ZH_CONTEXT.get((entry.msgctxt, entry.msgid), ZH.get(entry.msgid))
        if text is None:
            missing.append(entry.msgid)
            continue
        if entry.msgid_plural:
            forms = text if isinstance(text, list) else [text]
            entry.msgstr_plural = dict(enumerate(forms))
        else:
            entry.msgstr = text
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save(str(path))
    for msgid in missing:
        sys.stderr.write(f"no translation: {msgid!r}\n")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
