"""Chinese for the curators' workspace (reports/ and indicators/ workspace templates and views).

Rerun after changing their strings: ``python reports/locale/translate_zh.py`` collects the
strings with ``makemessages`` from those files only, fills them from the table below and writes
reports/locale/zh_Hans/LC_MESSAGES/django.po and its compiled .mo (the app's own catalogue,
merged by Django with the site's).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib  # type: ignore[import-untyped]

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SOURCES = (
    "reports/templates/workspace",
    "indicators/templates/workspace",
    "reports/workspace_views.py",
    "indicators/workspace_views.py",
)
# Labels of model choices shown through {% translate %} (not marked in the models).
EXTRA = (
    "extracted",
    "verified",
    "corrected",
    "rejected",
    "pending",
    "running",
    "finished",
    "finished with failures",
    # audit trail: actions and fields
    "verify",
    "reject",
    "correct",
    "note",
    "conflict_accept",
    "conflict_keep",
    "status",
    "corrected_value",
    "corrected_definition",
    "review_note",
    "parse_conflict",
)
ZH = {
    "Unknown action.": "未知操作。",
    "Verified %(n)d of %(m)d.": "已核实 %(n)d 项（共选 %(m)d 项）。",
    "Rejected %(n)d of %(m)d.": "已驳回 %(n)d 项（共选 %(m)d 项）。",
    "Choose an action.": "请选择操作。",
    "Finished.": "已完成。",
    "Working…": "处理中……",
    "%(total)s files: %(ingested)s ingested, %(near)s possible duplicates, %(duplicate)s "
    "duplicates, %(failed)s failed; %(parsed)s parsed, %(pending)s still to parse.": (
        "共 %(total)s 个文件：入库 %(ingested)s，疑似重复 %(near)s，重复 %(duplicate)s，"
        "失败 %(failed)s；已解析 %(parsed)s，待解析 %(pending)s。"
    ),
    "File": "文件",
    "Outcome": "结果",
    "Details": "详情",
    "possible duplicate": "疑似重复",
    "duplicate": "重复",
    "failed": "失败",
    "ingested and parsed": "已入库并解析",
    "ingested, parsing": "已入库，解析中",
    "Possible duplicate of report %(n)s (similarity %(s)s).": (
        "疑似与报告 %(n)s 重复（相似度 %(s)s）。"
    ),
    "Merge or keep": "合并或保留",
    "Same text as report %(n)s: not stored again.": "与报告 %(n)s 文本相同，未重复入库。",
    "No file yet.": "尚无文件。",
    "Job": "任务",
    "What": "内容",
    "Status": "状态",
    "Files": "文件数",
    "Ingested": "入库",
    "Duplicates": "重复",
    "Possible duplicates": "疑似重复",
    "Failed": "失败",
    "Started": "开始时间",
    "No ingestion job yet.": "尚无导入任务。",
    "A report whose text is nearly the same as an earlier one's (another format, other page "
    "furniture) is set aside: lists, search, coverage and comparisons count the earlier one "
    "only. "
    "Merge it (its reviewed figures carry over to the earlier report, then it is deleted) or "
    "keep both.": (
        "文本与先前报告几乎相同的报告（格式不同或网页框架不同）暂被搁置：列表、搜索、覆盖情况和比较"
        "只计先前的报告。可将其合并（已审核的数值转入先前的报告，随后删除该报告），或两者都保留。"
    ),
    "Report %(n)s: possible duplicate of report %(m)s": "报告 %(n)s：疑似与报告 %(m)s 重复",
    "similarity %(s)s": "相似度 %(s)s",
    "Kept": "保留的报告",
    "Region, year": "地区、年度",
    "Possible copy": "疑似副本",
    "Reviewed figures": "已审核数值",
    "Merge into the earlier report": "合并到先前的报告",
    "Keep both": "两者都保留",
    "No possible duplicate waits for a decision.": "没有待处理的疑似重复报告。",
    "Workspace": "工作台",
    "Curators' workspace": "审核工作台",
    "figures to review": "待审核数值",
    "possible duplicates": "疑似重复报告",
    "re-parse conflicts": "重新解析冲突",
    "Recent ingestion jobs": "最近的导入任务",
    "Upload reports": "上传报告",
    "Ingestion job %(id)s": "导入任务 %(id)s",
    "Upload more": "继续上传",
    "Review figures": "审核数值",
    "Upload": "上传",
    "Administration": "后台管理",
    "Drop files or zip archives here": "将文件或 zip 压缩包拖放到此处",
    "or click to choose them: .txt, .html, .docx, .pdf, .zip — many at once.": (
        "或点击选择：.txt、.html、.docx、.pdf、.zip，可一次选择多个。"
    ),
    "Indicators a figure in %(unit)s can be:": "单位为“%(unit)s”的数值可归入的指标：",
    "No indicator of the catalogue fits this figure's unit and kind.": (
        "指标目录中没有与该数值单位和类型相符的指标。"
    ),
    "Tick": "勾选",
    "no indicator": "未归入指标",
    "confidence %(c)s": "置信度 %(c)s",
    "report": "报告",
    "Verify": "核实",
    "Reject": "驳回",
    "Correct number": "更正数值",
    "Save": "保存",
    "Change code": "更改指标",
    "search the catalogue": "搜索指标目录",
    "— all —": "—全部—",
    "Indicator": "指标",
    "Province": "省",
    "Year": "年度",
    "Filter": "筛选",
    "Keyboard": "快捷键",
    "j / k: next / previous figure · v: verify · r: reject · c: correct the number · g: change "
    "the code · x: tick for a bulk action · o: open the figure": (
        "j / k：下一个 / 上一个数值 · v：核实 · r：驳回 · c：更正数值 · g：更改指标 · "
        "x：勾选以批量操作 · o：打开该数值"
    ),
    "All on this page": "本页全部",
    "Verify ticked": "核实所选",
    "Reject ticked": "驳回所选",
    "Nothing to review with these filters.": "按当前筛选条件没有待审核的数值。",
    "Previous": "上一页",
    "Next": "下一页",
    "Review a figure": "审核数值",
    "Back to the queue": "返回审核列表",
    "Next figure": "下一个数值",
    "Audit trail": "审核记录",
    "When": "时间",
    "Who": "操作人",
    "Action": "操作",
    "Field": "字段",
    "Before": "修改前",
    "After": "修改后",
    "Note": "备注",
    "Not reviewed yet.": "尚未审核。",
    "Choose or drop at least one file.": "请至少选择或拖放一个文件。",
    "Report %(copy)d merged into report %(target)d: %(carried)d reviewed figures carried "
    "over, %(unmatched)d without a match.": (
        "报告 %(copy)d 已合并到报告 %(target)d：转入已审核数值 %(carried)d 项，"
        "%(unmatched)d 项无对应数值。"
    ),
    "Report %(copy)d kept as a report of its own.": "报告 %(copy)d 已作为独立报告保留。",
    "Choose merge or keep.": "请选择合并或保留。",
    "extracted": "待审核",
    "verified": "已核实",
    "corrected": "已更正",
    "rejected": "已驳回",
    "pending": "等待中",
    "running": "进行中",
    "finished": "已完成",
    "finished with failures": "完成（有失败）",
    "verify": "核实",
    "reject": "驳回",
    "correct": "更正",
    "note": "备注",
    "conflict_accept": "采纳重新解析结果",
    "conflict_keep": "保留审核结果",
    "status": "状态",
    "corrected_value": "更正数值",
    "corrected_definition": "更正指标",
    "review_note": "审核备注",
    "parse_conflict": "解析冲突",
    "Choose files": "选择文件",
}
PLURALS = {"%(n)s figure": "共 %(n)s 个数值", "At least %(n)s figure": "至少 %(n)s 个数值"}


def collect() -> polib.POFile:
    with tempfile.TemporaryDirectory() as tmp:
        for source in SOURCES:
            path = ROOT / source
            target = Path(tmp) / source.replace("/", "_")
            if path.is_dir():
                shutil.copytree(path, target)
            else:
                shutil.copy(path, target.with_suffix(".py"))
        (Path(tmp) / "locale").mkdir()
        subprocess.run(  # noqa: S603 (fixed arguments)
            [sys.executable, str(ROOT / "manage.py"), "makemessages", "-l", "zh_Hans", "-v", "0"],
            cwd=tmp,
            check=True,
        )
        return polib.pofile(str(Path(tmp) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))


def main() -> None:
    catalogue = collect()
    for msgid in EXTRA:
        if catalogue.find(msgid) is None:
            catalogue.append(polib.POEntry(msgid=msgid, msgstr=""))
    missing = []
    for entry in catalogue:
        entry.occurrences = []  # paths of the temporary copy say nothing
        if entry.msgid_plural:
            entry.msgstr_plural = {0: PLURALS.get(entry.msgid, "")}
        else:
            entry.msgstr = ZH.get(entry.msgid, "")
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
        if not (entry.msgstr or entry.msgstr_plural.get(0)):
            missing.append(entry.msgid)
    catalogue.metadata.update(
        {
            "Language": "zh_Hans",
            "Content-Type": "text/plain; charset=UTF-8",
            "Plural-Forms": "nplurals=1; plural=0;",
        }
    )
    out = HERE / "zh_Hans" / "LC_MESSAGES"
    out.mkdir(parents=True, exist_ok=True)
    catalogue.save(str(out / "django.po"))
    catalogue.save_as_mofile(str(out / "django.mo"))
    if missing:
        sys.exit("untranslated: " + " | ".join(missing))


if __name__ == "__main__":
    main()
