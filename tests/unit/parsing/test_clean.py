"""Web-noise cleaning: page furniture blanked, length and offsets kept, one-line pages split."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.parsing.clean import fold_width, strip_web_noise

SENTENCE = "2023年，某县坚持以习近平法治思想为指导，扎实推进依法行政，全年办理行政复议案件12件。"


def _kept_lines(cleaned: str) -> list[str]:
    return [line.strip() for line in cleaned.split("\n") if line.strip()]


@pytest.mark.parametrize(
    "noise",
    [
        "当前位置：首页 > 信息公开 > 法治政府建设",
        "您现在所在的位置 : 首页 > 某市人民政府门户网站 > 专题专栏 > 2023年",
        "首页 / 政务公开 / 公告公示",
        "字号：[大][中][小] 打印",
        "【字体：大 中 小】",
        "【打印本页】【关闭窗口】",
        "分享到：",
        "扫一扫在手机打开当前页",
        "索引号： | 330000AA/2024-00001 | 文件编号： | 发布机构： | 县政府办公室 |",
        "生成日期： | 2024-03-31 | 主题分类： | 组配分类： | 法治政府建设报告 |",
        "发布时间：2024-03-10 17:18:55 来源：某县人民政府",
        "  • 2024-01-31 16:37",
        "  • 来源: 某市某区人民政府",
        "关联稿件：",
        "相关附件：",
        "无障碍版",
        "关怀版",
        "网站支持IPv6",
        "版权所有：某市人民政府办公室 网站标识码：1234000001 某ICP备12345678号",
        "Copyright © 2024 www.example.gov.cn All Rights Reserved",
        "某公网安备 33010002000001号",
        "您访问的链接即将离开“某市人民政府门户网站”，是否继续？",
        "【一图读懂】某县2023年法治政府建设年度报告",
        "上一篇：某县召开常务会议",
    ],
)
def test_noise_line_is_blanked(noise):
    """A line of page furniture becomes spaces; the report's own lines stay as they are."""
    text = f"{noise}\n某县2023年法治政府建设年度报告\n{SENTENCE}\n"
    cleaned = strip_web_noise(text)
    assert len(cleaned) == len(text)
    assert _kept_lines(cleaned) == ["某县2023年法治政府建设年度报告", SENTENCE]


def test_line_breaks_are_kept_when_noise_is_blanked():
    """Blanking keeps every line break, so line numbers and offsets still match the original."""
    text = "当前位置：首页 > 专题\n字号：[大][中][小]\n" + SENTENCE
    cleaned = strip_web_noise(text)
    assert [i for i, c in enumerate(cleaned) if c == "\n"] == [
        i for i, c in enumerate(text) if c == "\n"
    ]
    assert cleaned.endswith(SENTENCE)


def test_offsets_of_kept_text_are_unchanged():
    """Text that survives cleaning sits at the same offsets as in the original."""
    text = "分享到：\n" + SENTENCE + "\n扫一扫在手机打开当前页"
    cleaned = strip_web_noise(text)
    start = text.index(SENTENCE)
    assert cleaned[start : start + len(SENTENCE)] == SENTENCE


def test_site_banner_above_breadcrumb_is_blanked():
    """Short lines above the breadcrumb (the portal's banner and switches) are page chrome."""
    text = (
        "某市人民政府\n无障碍\n您的位置：首页 > 专题\n某市2023年法治政府建设年度报告\n" + SENTENCE
    )
    assert _kept_lines(strip_web_noise(text)) == ["某市2023年法治政府建设年度报告", SENTENCE]


def test_signature_at_the_end_is_kept():
    """The signing organisation and date at the end of the report are not footer noise."""
    text = SENTENCE + "\n\n某县人民政府\n2024年3月20日\n版权所有：某县人民政府"
    assert _kept_lines(strip_web_noise(text)) == [SENTENCE, "某县人民政府", "2024年3月20日"]


def test_inline_header_noise_is_blanked_on_one_line_page():
    """On a one-line page, breadcrumb, date, source and font controls are blanked in place."""
    text = (
        "当前位置：首页 > 政务公开 > 法治 发布时间：2023-03-15 来源：某市人民政府 "
        "字号：[大][中][小] 打印 某市2022年法治政府建设年度报告 " + SENTENCE
    )
    cleaned = strip_web_noise(text)
    assert len(cleaned) == len(text)
    for noise in ("当前位置", "首页", "2023-03-15", "来源", "字号", "打印"):
        assert noise not in cleaned
    assert "某市2022年法治政府建设年度报告" in cleaned
    assert SENTENCE in cleaned


def test_one_line_body_is_split_before_headings():
    """A separator space before 一、 （一） 1. （1） becomes a line break: headings start lines."""
    text = (
        "现将有关情况报告如下： 一、主要举措和成效 （一）深化改革。推进改革。 "
        "1.推进扩权赋能。完成事项12项。 （1）优化服务。办理1.5万件。"
    )
    cleaned = strip_web_noise(text)
    assert len(cleaned) == len(text)
    lines = [line.strip() for line in cleaned.split("\n")]
    assert [line[:4] for line in lines] == ["现将有关", "一、主要", "（一）深", "1.推进", "（1）优"]


def test_sentences_on_one_line_are_split_into_paragraphs():
    """Paragraphs separated only by spaces after a full stop become separate lines."""
    text = "第一段结束。 第二段开始，继续推进。 第三段。"
    cleaned = strip_web_noise(text)
    assert cleaned.split("\n") == ["第一段结束。", "第二段开始，继续推进。", "第三段。"]


def test_decimal_numbers_are_not_split_as_headings():
    """A number such as ``1.5万`` after a space is not a heading marker."""
    text = "共办理 1.5万件，增长 2.3%。"
    assert strip_web_noise(text) == text


def test_site_watermark_inside_sentences_is_blanked():
    """The portal's own name injected into a sentence is blanked; a real mention after 在 stays."""
    site = "某市人民政府门户网站"
    text = (
        f"您访问的链接即将离开“{site}”，是否继续？\n"
        f"全年办理行政{site}复议案件12件，在{site}公开信息30条。"
    )
    cleaned = strip_web_noise(text)
    assert "全年办理行政" in cleaned
    assert "复议案件12件" in cleaned
    assert cleaned.count(site) == 1
    assert f"在{site}公开" in cleaned


def test_report_text_without_noise_is_unchanged():
    """A clean multi-line report comes back identical."""
    text = f"某县2023年法治政府建设年度报告\n{SENTENCE}\n一、主要举措和成效\n（一）深化改革。\n"
    assert strip_web_noise(text) == text


def test_empty_text_stays_empty():
    """The empty string is returned as it is."""
    assert strip_web_noise("") == ""


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("（一）", "(一)"),
        ("２０２３年", "2023年"),
        ("ＡＢＣ：１．５％", "ABC:1.5%"),
        ("某\u3000县", "某 县"),
        ("中文不变", "中文不变"),
    ],
)
def test_fold_width_turns_full_width_ascii_to_half_width(raw, folded):
    """Full-width ASCII and the ideographic space fold to half-width; other characters stay."""
    assert fold_width(raw) == folded


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_strip_web_noise_keeps_length_and_line_breaks_on_any_text(text):
    """For any input the result has the same length and never loses a line break."""
    cleaned = strip_web_noise(text)
    assert len(cleaned) == len(text)
    assert all(cleaned[i] == "\n" for i, c in enumerate(text) if c == "\n")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "首页 > ",
                "当前位置：",
                "字号：",
                "[大]",
                "一、",
                "（一）",
                "1.",
                " ",
                "\n",
                "。",
                "来源：",
                "2023-01-01",
                "某县",
                "网站",
                "即将离开“",
                "”",
                "|",
                "•",
                "\u3000",
            ]
        ),
        max_size=40,
    ).map("".join)
)
def test_strip_web_noise_keeps_length_on_noise_like_text(text):
    """Text built from noise fragments and markers also keeps its length."""
    assert len(strip_web_noise(text)) == len(text)
    assert len(fold_width(text)) == len(text)


@pytest.mark.parametrize(
    "line",
    [
        "2023年，我县作为主办单位承办了全省法治论坛",
        "| 指标 | 2022年 | 2023年 |",
        "| 行政复议案件 | 52 | 60 |",
        "·加强制度建设",
        "（一）健全依法决策机制",
        "注册登记便利化改革",
        "登录系统办理率100%",
        "扫一扫二维码即可办理",
        "手机扫码办理业务",
        "相关信息公开工作",
        "● 推进依法行政",
    ],
)
def test_report_lines_that_resemble_noise_are_kept(line):
    """Sentences naming a 主办单位, data-table rows and list items are report text, not chrome."""
    text = f"{SENTENCE}\n{line}\n{SENTENCE}"
    assert strip_web_noise(text) == text


def test_repeated_site_name_inside_sentences_is_blanked_without_chrome():
    """A site name repeated three times in the middle of sentences is a watermark; the same kind
    of name after 在/依托/通过 is a real mention and stays."""
    mark = "中国某省新闻网"
    text = (
        f"完善权力清单{mark}动态调整机制。推进行政许可{mark}事项纳入管理。深化审批{mark}服务。"
        "依托某省政府网站公开信息，在某省政府网站发布，通过某省政府网站查询。"
    )
    cleaned = strip_web_noise(text)
    assert mark not in cleaned
    assert "完善权力清单" in cleaned
    assert "动态调整机制" in cleaned
    assert cleaned.count("某省政府网站") == 3


def test_signature_closing_a_one_line_page_gets_its_own_lines():
    """On a one-line page the signing organisation and date become lines of their own, so the
    last heading's title does not run into them."""
    text = "二、存在问题 某县人民政府 2023年3月1日"
    cleaned = strip_web_noise(text)
    assert cleaned.split("\n") == ["二、存在问题", "某县人民政府", "2023年3月1日"]


def test_title_above_the_breadcrumb_is_kept():
    """Lines above the breadcrumb are banner, except a report title placed there."""
    text = "某市人民政府\n某市2023年法治政府建设年度报告\n当前位置：首页 > 专题\n" + SENTENCE
    assert _kept_lines(strip_web_noise(text)) == ["某市2023年法治政府建设年度报告", SENTENCE]
