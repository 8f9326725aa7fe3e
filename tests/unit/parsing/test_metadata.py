"""Report metadata read from the page header, title, opening, salutation and signature."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.parsing.clean import strip_web_noise
from reports.parsing.gazetteer import load_gazetteer
from reports.parsing.metadata import read_metadata
from reports.parsing.types import Region

BODY = (
    "深入学习贯彻习近平法治思想，扎实推进依法行政，法治政府建设取得新成效。现将有关情况报告如下：\n"
    "一、主要举措和成效\n"
    "（一）加强组织领导。全年召开专题会议5次，办理行政复议案件12件。\n"
    "二、存在的不足\n"
    "三、下一步工作安排\n"
)


def _read(text):
    return read_metadata(text, body=strip_web_noise(text), gazetteer=load_gazetteer())


def test_county_report_reads_title_header_and_source():
    """A county page: title line, publishing date and 来源 give title, issuer, region and level."""
    meta = _read(
        "当前位置：首页 > 政务公开\n"
        "浦江县2022年法治政府建设年度报告\n"
        "发布时间：2023-03-31 09:00 来源：浦江县人民政府\n"
        "2022年，浦江县在金华市委、市政府的坚强领导下，" + BODY
    )
    assert meta.title == "浦江县2022年法治政府建设年度报告"
    assert meta.issuer == "浦江县人民政府"
    assert meta.region == Region("浙江省", "金华市", "浦江县")
    assert meta.admin_level == "county"
    assert meta.report_year == 2022
    assert meta.published_on == date(2023, 3, 31)


def test_ambiguous_district_in_title_is_settled_by_its_city():
    """``汕尾市城区`` resolves the many 城区 to the one in 汕尾市; a bullet date is the page's."""
    meta = _read(
        "汕尾市城区2023年法治政府建设年度报告\n"
        "  • 2024-01-31 16:37\n"
        "  • 来源: 汕尾市城区人民政府\n"
        "  2023年，我区坚持以习近平新时代中国特色社会主义思想为指导，" + BODY
    )
    assert meta.issuer == "汕尾市城区人民政府"
    assert meta.region == Region("广东省", "汕尾市", "城区")
    assert meta.admin_level == "county"
    assert meta.published_on == date(2024, 1, 31)


def test_text_without_title_line_has_no_title():
    """A page whose text starts with the report body has no title; nothing is guessed."""
    meta = _read(
        "索引号： | 330726/2023-1 | 发布机构： | 县政府办公室 |\n"
        "生成日期： | 2023-03-31 | 组配分类： | 法治政府建设报告 |\n"
        "2022年，浦江县在金华市委、市政府领导下，" + BODY
    )
    assert meta.title is None
    assert meta.issuer == "浦江县人民政府"
    assert meta.admin_level == "county"
    assert meta.report_year == 2022
    assert meta.published_on == date(2023, 3, 31)


def test_development_zone_takes_full_name_from_source_and_city_from_its_place_name():
    """A zone's issuer is its 管理委员会; the place inside its name gives city and province (a
    text that speaks of 省市 is not from a municipality)."""
    meta = _read(
        "通州湾示范区2022年法治政府建设情况报告\n"
        "发布时间:2023-03-10 17:18:55 来源:通州湾江海联动开发示范区\n"
        "2022年,在市委、市政府的坚强领导下,通州湾示范区坚持依法行政，贯彻落实国家、省市部署。"
        + BODY
    )
    assert meta.issuer == "通州湾江海联动开发示范区管理委员会"
    assert meta.region == Region("江苏省", "南通市", "通州湾江海联动开发示范区")
    assert meta.admin_level == "development_zone"
    assert meta.report_year == 2022


def test_development_zone_without_place_name_takes_city_from_context():
    """A zone named without a place takes its city from the places the text mentions."""
    meta = _read(
        "某某高新区2022年度法治政府建设工作报告\n"
        "2022年，在常州市委、市政府的坚强领导下，高新区" + BODY
    )
    assert meta.issuer == "某某高新区管理委员会"
    assert meta.region == Region("江苏省", "常州市", "某某高新区")
    assert meta.admin_level == "development_zone"


def test_department_report_has_department_level_and_its_government_region():
    """A 司法局's own report is a department report in its city's region."""
    meta = _read(
        "常州市司法局2023年法治政府建设年度报告\n"
        "发布日期：2024-02-05\n"
        "2023年，市司法局在市委、市政府的坚强领导下，" + BODY
    )
    assert meta.issuer == "常州市司法局"
    assert meta.region == Region("江苏省", "常州市", None)
    assert meta.admin_level == "department"


def test_provincial_department_report_has_only_a_province():
    """A provincial 厅's report has the province and no city."""
    meta = _read("广东省司法厅2022年度法治政府建设情况报告\n2022年，省司法厅" + BODY)
    assert meta.issuer == "广东省司法厅"
    assert meta.region == Region("广东省", None, None)
    assert meta.admin_level == "department"


def test_province_report_has_province_level():
    """A province's report: level province, issuer the provincial government."""
    meta = _read("江苏省2023年法治政府建设年度报告\n2023年，全省上下" + BODY)
    assert meta.issuer == "江苏省人民政府"
    assert meta.region == Region("江苏省", None, None)
    assert meta.admin_level == "province"


def test_city_report_has_city_level():
    """A prefecture-level city's report: level city."""
    meta = _read("常州市2023年法治政府建设年度报告\n2023年，常州市坚持" + BODY)
    assert meta.issuer == "常州市人民政府"
    assert meta.region == Region("江苏省", "常州市", None)
    assert meta.admin_level == "city"


def test_municipality_district_with_guanyu_title_and_chinese_signature_date():
    """``…关于…的报告`` titles name the issuer before 关于; a 汉字 signature date is read."""
    meta = _read(
        "北京市朝阳区人民政府关于2022年法治政府建设情况的报告\n"
        "2022年，朝阳区在市委、市政府的坚强领导下，"
        + BODY
        + "\n北京市朝阳区人民政府\n二〇二三年三月二十日\n"
    )
    assert meta.title == "北京市朝阳区人民政府关于2022年法治政府建设情况的报告"
    assert meta.issuer == "北京市朝阳区人民政府"
    assert meta.region == Region("北京市", None, "朝阳区")
    assert meta.admin_level == "county"
    assert meta.report_year == 2022
    assert meta.published_on == date(2023, 3, 20)


def test_signature_gives_issuer_and_date_when_page_has_neither():
    """With no title and no header, the signature block names the issuer and dates the report."""
    meta = _read("2021年，我县坚持" + BODY + "\n长阳土家族自治县人民政府\n二○二二年二月十八日")
    assert meta.issuer == "长阳土家族自治县人民政府"
    assert meta.region == Region("湖北省", "宜昌市", "长阳土家族自治县")
    assert meta.report_year == 2021
    assert meta.published_on == date(2022, 2, 18)


def test_page_date_wins_over_signature_date():
    """The page's publishing date is preferred to the signature date."""
    meta = _read(
        "某县2022年法治政府建设年度报告\n发布日期：2023-04-02\n2022年，" + BODY + "\n2023年3月1日\n"
    )
    assert meta.published_on == date(2023, 4, 2)


def test_salutation_to_higher_government_places_the_lower_unit():
    """``常州市人民政府：`` addresses the city: the district writing is 常州's 天宁区."""
    meta = _read(
        "常州市人民政府：\n2023年，天宁区在市委、市政府的坚强领导下，"
        + BODY
        + "\n天宁区人民政府\n2024年1月20日"
    )
    assert meta.issuer == "天宁区人民政府"
    assert meta.region == Region("江苏省", "常州市", "天宁区")
    assert meta.admin_level == "county"
    assert meta.published_on == date(2024, 1, 20)


def test_ambiguous_district_without_city_is_resolved_by_salutation():
    """鼓楼区 exists in four cities; the salutation to 福州市人民政府 settles it."""
    meta = _read("福州市人民政府：\n2023年，鼓楼区坚持" + BODY)
    assert meta.region == Region("福建省", "福州市", "鼓楼区")


@pytest.mark.parametrize(
    ("title", "issuer", "county"),
    [
        ("白马镇2022年法治政府建设工作报告", "白马镇人民政府", "浦江县"),
        ("仙华街道2023年度法治政府建设情况报告", "仙华街道办事处", "浦江县"),
    ],
)
def test_township_report_has_township_level_and_its_county(title, issuer, county):
    """A 镇 or 街道 report: level township, region the county it belongs to."""
    meta = _read(f"{title}\n浦江县人民政府：\n2022年，{title[:3]}在县委、县政府的领导下，" + BODY)
    assert meta.issuer == issuer
    assert meta.region.county == county
    assert meta.admin_level == "township"


def test_autonomous_prefecture_short_name_is_understood():
    """``恩施州`` is the usual short form of 恩施土家族苗族自治州."""
    meta = _read("恩施州2022年法治政府建设情况报告\n2022年，恩施州" + BODY)
    assert meta.region == Region("湖北省", "恩施土家族苗族自治州", None)
    assert meta.admin_level == "city"


def test_report_year_falls_back_to_year_before_publication():
    """With no year in title or opening, the report covers the year before its publication."""
    meta = _read("发布时间：2023-04-01\n" + BODY)
    assert meta.report_year == 2022


def test_report_year_from_chinese_numeral_title():
    """A title year in 汉字 (二〇二三年) is read."""
    meta = _read("某县二〇二三年法治政府建设年度报告\n" + BODY)
    assert meta.report_year == 2023


def test_one_line_page_metadata():
    """A page that is one line still yields title, issuer, date and year."""
    meta = _read(
        "当前位置：首页 > 政务公开 > 法治政府建设 发布时间：2023-03-15 来源：义乌市人民政府 "
        "字号：[大][中][小] 打印 义乌市2022年法治政府建设年度报告 2022年，义乌市坚持以习近平新时代"
        "中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，坚持依法行政。"
        "现报告如下： 一、主要举措 （一）深化改革。办理案件12件。 义乌市人民政府 2023年3月1日"
    )
    assert meta.title == "义乌市2022年法治政府建设年度报告"
    assert meta.issuer == "义乌市人民政府"
    assert meta.region == Region("浙江省", "金华市", "义乌市")
    assert meta.published_on == date(2023, 3, 15)


def test_empty_text_gives_empty_metadata():
    """Nothing to read: every field is empty."""
    meta = _read("")
    assert (meta.title, meta.issuer, meta.admin_level, meta.report_year) == (None,) * 4
    assert meta.region == Region()


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=600))
def test_read_metadata_never_raises_on_any_text(text):
    """Any text gives metadata, never an exception; years stay plausible."""
    meta = _read(text)
    assert meta.report_year is None or 1900 < meta.report_year < 2100


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "2023年",
                "二〇二三年三月二十日",
                "发布时间：",
                "2024-01-31",
                "来源：",
                "人民政府",
                "城区",
                "汕尾市",
                "示范区",
                "管委会",
                "镇",
                "司法局",
                "关于",
                "报告",
                "\n",
                " ",
                "，",
                "。",
                "：",
                "法治政府建设",
                "三十二月",
                "2023年13月40日",
            ]
        ),
        max_size=30,
    ).map("".join)
)
def test_read_metadata_never_raises_on_report_like_fragments(text):
    """Text assembled from metadata fragments (also impossible dates) never makes it raise."""
    _read(text)
    assert len(strip_web_noise(text)) == len(text)


def test_joint_party_and_government_title_names_the_government():
    """``中共某市委 某市人民政府关于…`` (a long title with a space) is read whole; the
    government is the issuer."""
    title = (
        "中共宁波市鄞州区委员会 宁波市鄞州区人民政府"
        "关于2022年度法治政府建设情况和2023年度工作安排的报告"
    )
    meta = _read(f"{title}\n宁波市委、市政府：\n2022年，鄞州区" + BODY)
    assert meta.title == title
    assert meta.issuer == "宁波市鄞州区人民政府"
    assert meta.region == Region("浙江省", "宁波市", "鄞州区")


def test_title_broken_over_two_lines_is_joined():
    """A title that wraps after 关于 is read as one title."""
    meta = _read("杭州市西湖区人民政府关于\n2022年度法治政府建设情况的报告\n2022年，西湖区" + BODY)
    assert meta.title == "杭州市西湖区人民政府关于2022年度法治政府建设情况的报告"
    assert meta.report_year == 2022


def test_title_starting_with_year_names_its_unit_after_the_year():
    """``2023年度宁波市鄞州区法治政府建设工作报告``: the unit follows the year."""
    meta = _read("2023年度宁波市鄞州区法治政府建设工作报告\n2023年，鄞州区" + BODY)
    assert meta.title == "2023年度宁波市鄞州区法治政府建设工作报告"
    assert meta.region == Region("浙江省", "宁波市", "鄞州区")
    assert meta.report_year == 2023


def test_department_named_relative_in_title_takes_full_name_from_source():
    """``市司法局`` in the title and ``绍兴市司法局`` as 来源: the full name is the issuer."""
    meta = _read(
        "市司法局2022年度法治政府建设情况报告\n发布时间：2023-03-01 来源：绍兴市司法局\n"
        "2022年，市司法局" + BODY
    )
    assert meta.issuer == "绍兴市司法局"
    assert meta.region == Region("浙江省", "绍兴市", None)
    assert meta.admin_level == "department"


def test_county_issuer_drops_the_city_written_before_it():
    """A county government's name is the county's own (浦江县人民政府), even when the title
    writes the province and city first."""
    meta = _read("浙江省金华市浦江县2022年法治政府建设年度报告\n2022年，浦江县" + BODY)
    assert meta.issuer == "浦江县人民政府"
    assert meta.region == Region("浙江省", "金华市", "浦江县")


def test_publishing_date_below_the_text_is_used_when_header_has_none():
    """A 发布日期 in the page furniture under the report counts as the page date."""
    meta = _read(
        "绍兴市上虞区2023年法治政府建设年度报告\n2023年，上虞区"
        + BODY
        + "\n发布日期：2024-01-25  浏览次数：99\n版权所有 绍兴市上虞区人民政府"
    )
    assert meta.published_on == date(2024, 1, 25)


def test_relative_department_name_is_completed_from_the_city_in_context():
    """``市司法局`` with no full name anywhere is named after the city the text is about."""
    meta = _read(
        "市司法局2022年度法治政府建设情况报告\n2022年，在常州市委、市政府的坚强领导下，市司法局"
        + BODY
    )
    assert meta.issuer == "常州市司法局"
    assert meta.region == Region("江苏省", "常州市", None)
    assert meta.admin_level == "department"


@pytest.mark.parametrize(
    "header",
    [
        "海宁市2022年法治政府建设年度报告_海宁市人民政府",
        "海宁市2022年法治政府建设年度报告 - 海宁市人民政府门户网站",
        "首页 > 政务公开 > 海宁市2022年法治政府建设年度报告\n发布时间：2023-01-05",
        "标题：海宁市2022年法治政府建设年度报告\n索引号：001008/2023-0001",
    ],
)
def test_title_from_page_title_breadcrumb_or_label(header):
    """Without a plain title line, the title comes from a page title without its site-name tail,
    a 标题 label or the breadcrumb's last item."""
    meta = _read(f"{header}\n2022年，海宁市" + BODY)
    assert meta.title == "海宁市2022年法治政府建设年度报告"
    assert meta.region == Region("浙江省", "嘉兴市", "海宁市")


@pytest.mark.parametrize(
    ("title", "issuer", "region"),
    [
        (
            "阿克苏地区2022年法治政府建设情况报告",
            "阿克苏地区行政公署",
            Region("新疆维吾尔自治区", "阿克苏地区", None),
        ),
        (
            "阿克苏地区行政公署关于2022年法治政府建设情况的报告",
            "阿克苏地区行政公署",
            Region("新疆维吾尔自治区", "阿克苏地区", None),
        ),
        (
            "锡林郭勒盟2022年法治政府建设情况报告",
            "锡林郭勒盟行政公署",
            Region("内蒙古自治区", "锡林郭勒盟", None),
        ),
    ],
)
def test_prefecture_and_league_are_governed_by_a_commissioners_office(title, issuer, region):
    """A 地区 or 盟 is a city-level unit whose government is its 行政公署."""
    meta = _read(f"{title}\n2022年，{title[:4]}" + BODY)
    assert meta.issuer == issuer
    assert meta.region == region
    assert meta.admin_level == "city"


@pytest.mark.parametrize(
    ("voice", "issuer", "level"),
    [("我县", "德清县人民政府", "county"), ("我局", "德清县司法局", "department")],
)
def test_publishing_department_stands_for_its_government_when_report_speaks_for_it(
    voice, issuer, level
):
    """A 来源 department publishes the county's report when the text says 我县; when it says
    我局 the report is the department's own."""
    meta = _read(
        "2022年法治政府建设年度报告\n发布时间：2023-03-01 来源：德清县司法局\n"
        f"2022年，{voice}深入学习贯彻习近平法治思想。\n" + BODY
    )
    assert meta.issuer == issuer
    assert meta.admin_level == level
    assert meta.region == Region("浙江省", "湖州市", "德清县")


def test_report_in_the_governments_voice_takes_the_county_the_page_names():
    """With no title, source or signature, ``我县`` and the county the page header names give
    the issuer; a mere city in the text does not make a county report a city's."""
    meta = _read(
        "德清县人民政府\n您的位置：首页 > 信息公开\n发布时间：2023-03-01\n"
        "2022年，我县深入学习贯彻习近平法治思想。\n" + BODY
    )
    assert meta.issuer == "德清县人民政府"
    assert meta.region == Region("浙江省", "湖州市", "德清县")
    assert meta.admin_level == "county"
    other = _read("2022年，我县在湖州市委的领导下深入学习贯彻习近平法治思想。\n" + BODY)
    assert other.issuer is None
    assert other.admin_level == "county"
    assert other.region == Region("浙江省", "湖州市", None)


def test_cover_letter_before_the_report_names_the_issuer_and_date():
    """A cover letter (函) to the city, signed by the district government, precedes the report:
    its signer is the issuer and its date the report's date; the report's own title is kept."""
    meta = _read(
        "宁波市鄞州区人民政府关于报送2022年度法治政府建设情况报告的函\n宁波市人民政府：\n"
        "现将《鄞州区2022年度法治政府建设情况报告》随文报送，请审阅。\n"
        "宁波市鄞州区人民政府\n2023年1月30日\n"
        "鄞州区2022年度法治政府建设情况报告\n2022年，鄞州区" + BODY
    )
    assert meta.title == "鄞州区2022年度法治政府建设情况报告"
    assert meta.issuer == "宁波市鄞州区人民政府"
    assert meta.region == Region("浙江省", "宁波市", "鄞州区")
    assert meta.published_on == date(2023, 1, 30)


def test_header_labels_run_together_are_separated():
    """``来源：某县人民政府发布时间：…`` (fields run together) gives both source and date."""
    meta = _read(
        "德清县2022年法治政府建设年度报告\n来源：德清县人民政府发布时间：2023-03-01 作者：办公室\n"
        "2022年，我县" + BODY
    )
    assert meta.issuer == "德清县人民政府"
    assert meta.published_on == date(2023, 3, 1)


def test_government_addressed_by_the_salutation_is_not_the_issuer():
    """A city portal posts a district's report addressed to the city (常州市人民政府：): the
    city is the addressee and the page's 来源, the district is the issuer."""
    meta = _read(
        "2023年法治政府建设情况报告\n发布时间：2024-01-10 来源：常州市人民政府\n常州市人民政府：\n"
        "2023年，在常州市委、市政府的领导下，天宁区" + BODY
    )
    assert meta.issuer == "天宁区人民政府"
    assert meta.region == Region("江苏省", "常州市", "天宁区")
    assert meta.admin_level == "county"


# Pages that name their unit only by how they speak of it -------------------------------------

OPENING = "坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，"


@pytest.mark.parametrize(
    ("text", "issuer", "level", "region"),
    [
        (
            "2023年，省政府" + OPENING + BODY + "奋力建设更高水平的法治四川。",
            "四川省人民政府",
            "province",
            Region("四川省", None, None),
        ),
        (
            "根据有关规定，现将省政府2022年度法治政府建设情况报告如下。\n"
            + BODY
            + "修订《江西省人民政府工作规则》。",
            "江西省人民政府",
            "province",
            Region("江西省", None, None),
        ),
        (
            "市人大常委会：\n2023年，市政府"
            + OPENING
            + BODY
            + "印发《宜宾市法治政府建设实施方案》。",
            "宜宾市人民政府",
            "city",
            Region("四川省", "宜宾市", None),
        ),
        (
            "2023年，在市委的正确领导下，县政府"
            + OPENING
            + BODY
            + "制定《桐庐县2023年法治政府建设工作要点》。",
            "桐庐县人民政府",
            "county",
            Region("浙江省", "杭州市", "桐庐县"),
        ),
        (
            "2023年，在盟委的坚强领导下，旗政府" + OPENING + BODY + "全力推进法治达拉特旗建设。",
            "达拉特旗人民政府",
            "county",
            Region("内蒙古自治区", "鄂尔多斯市", "达拉特旗"),
        ),
        (
            "2023年，县政府" + OPENING + BODY + "长阳土家族自治县行政复议局。",
            "长阳土家族自治县人民政府",
            "county",
            Region("湖北省", "宜昌市", "长阳土家族自治县"),
        ),
        (
            "2023年，在市委、市政府的坚强领导下，区政府" + OPENING + BODY + "静海区司法局。",
            "静海区人民政府",
            "county",
            Region("天津市", None, "静海区"),
        ),
        (
            "金华市人民政府：\n2023年，在金华市委、市政府的坚强领导下，市政府"
            + OPENING
            + BODY
            + "义乌市行政争议调解中心。",
            "义乌市人民政府",
            "county",
            Region("浙江省", "金华市", "义乌市"),
        ),
    ],
)
def test_government_that_says_only_provincial_or_city_government_is_named(
    text, issuer, level, region
):
    """省政府, 市政府, 县政府, 旗政府 (outside 在…领导下) tell the level; the place the text names
    most at that level (法治四川, a document title, an office's name) tells which."""
    meta = _read(text)
    assert (meta.issuer, meta.admin_level, meta.region) == (issuer, level, region)


@pytest.mark.parametrize(
    ("text", "issuer", "region"),
    [
        (
            "2023年，市市场监管局在市委市政府的坚强领导下，"
            + OPENING
            + BODY
            + "推进法治绍兴建设。",
            "绍兴市市场监督管理局",
            Region("浙江省", "绍兴市", None),
        ),
        (
            "2023年，县司法局在县委、县政府的坚强领导下，" + OPENING + BODY + "浦江县人民法院。",
            "浦江县司法局",
            Region("浙江省", "金华市", "浦江县"),
        ),
        (
            "2023年，省人社厅" + OPENING + BODY + "建设法治广东。",
            "广东省人力资源和社会保障厅",
            Region("广东省", None, None),
        ),
        (
            "鄂司发〔2024〕5号\n省委、省政府：\n2023年，我厅" + OPENING + BODY,
            "湖北省司法厅",
            Region("湖北省", None, None),
        ),
        (
            "沪环法〔2023〕23号\n市委、市政府：\n2022年，在市委、市政府坚强领导下，我局"
            + OPENING
            + BODY,
            "上海市生态环境局",
            Region("上海市", None, None),
        ),
        (
            "京交法〔2024〕3号\n2023年，我委" + OPENING + BODY,
            "北京市交通运输局",
            Region("北京市", None, None),
        ),
    ],
)
def test_department_report_without_title_is_named_from_lexicon_and_place(text, issuer, region):
    """A department names itself by a relative or short name (市市场监管局, 我厅) or only by its
    document number (鄂司发, 沪环法): its official name comes from the department lexicon and the
    place of its government (a province's 厅, a municipality's 局)."""
    meta = _read(text)
    assert (meta.issuer, meta.admin_level, meta.region) == (issuer, "department", region)


def test_department_whose_kind_is_unknown_keeps_its_level_and_place_but_no_name():
    """我局 under 上海市委: a department of 上海市, but which one the text does not say."""
    meta = _read("2023年，在上海市委、市政府的坚强领导下，我局" + OPENING + BODY)
    assert (meta.issuer, meta.admin_level) == (None, "department")
    assert meta.region == Region("上海市", None, None)


@pytest.mark.parametrize("name", ["司法部", "国家统计局", "中华人民共和国生态环境部"])
def test_state_council_department_has_no_region(name):
    """A ministry's report: level department, no province, city or county."""
    meta = _read(f"{name}2023年法治政府建设年度报告\n2023年，{name}" + OPENING + BODY + "法治中国")
    assert meta.issuer == name
    assert (meta.admin_level, meta.region) == ("department", Region())


@pytest.mark.parametrize(
    ("text", "issuer", "region"),
    [
        (
            "有庆镇2023年法治政府建设工作报告\n2023年，有庆镇" + OPENING + BODY,
            "有庆镇人民政府",
            Region("四川省", "达州市", "渠县"),
        ),
        (
            "三都镇2023年法治政府建设工作报告\n2023年，三都镇在建德市委、市政府的领导下，" + BODY,
            "三都镇人民政府",
            Region("浙江省", "杭州市", "建德市"),
        ),
        (
            "2023年，我街道在区委、区政府的坚强领导下，"
            + OPENING
            + BODY
            + "金龙街道综合行政执法队。泉州市鲤城区金龙街道办事处",
            "金龙街道办事处",
            Region("福建省", "泉州市", "鲤城区"),
        ),
        (
            "2023年，全镇" + OPENING + BODY + "虎门镇综合行政执法办公室。",
            "虎门镇人民政府",
            Region("广东省", "东莞市", None),
        ),
    ],
)
def test_township_gets_county_city_and_province_from_the_gazetteer(text, issuer, region):
    """A township that names only itself (有庆镇), or says 我街道/全镇 and names itself once,
    carries its county, city and province; a name found in several counties (三都镇) is settled by
    the city or county the text names."""
    meta = _read(text)
    assert (meta.issuer, meta.admin_level, meta.region) == (issuer, "township", region)


def test_ambiguous_township_without_other_places_has_no_region():
    """三都镇 exists in six counties; with nothing else named the place stays unknown."""
    meta = _read("三都镇2023年法治政府建设工作报告\n2023年，三都镇" + OPENING + BODY)
    assert (meta.issuer, meta.admin_level) == ("三都镇人民政府", "township")
    assert meta.region == Region()


def test_township_not_in_the_named_county_is_not_placed_there():
    """A township name the gazetteer knows only elsewhere, in a text about another county: the
    place stays unknown rather than wrong."""
    meta = _read(
        "三都镇2023年法治政府建设工作报告\n浦江县人民政府：\n2023年，三都镇" + OPENING + BODY
    )
    assert meta.region == Region()


@pytest.mark.parametrize(
    ("text", "issuer", "region"),
    [
        (
            "东疆综保区2023年法治政府建设情况报告\n2023年，东疆综保区" + OPENING + BODY + "天津市",
            "东疆综保区管理委员会",
            Region("天津市", None, "东疆综保区"),
        ),
        (
            "2023年，经开区管委会" + OPENING + BODY + "推动长沙经济技术开发区高质量发展。",
            "长沙经济技术开发区管理委员会",
            Region("湖南省", "长沙市", "长沙经济技术开发区"),
        ),
        (
            "2023年，高新区" + OPENING + BODY + "合肥高新技术产业开发区管委会。",
            "合肥高新技术产业开发区管理委员会",
            Region("安徽省", "合肥市", "合肥高新技术产业开发区"),
        ),
    ],
)
def test_development_zone_is_recognised_by_its_type_and_placed_by_its_places(text, issuer, region):
    """Zones are not divisions: a name ending in a zone type (综保区, 经济技术开发区) is a zone,
    placed by the place its name starts with or the text names; one that says only 经开区 is
    named from the zone the text names."""
    meta = _read(text)
    assert (meta.issuer, meta.admin_level, meta.region) == (issuer, "development_zone", region)


def test_government_voice_without_any_place_names_nothing():
    """市政府 on a page that names no city: the level is known, no issuer or place is guessed."""
    meta = _read("2023年，市政府" + OPENING + BODY)
    assert (meta.issuer, meta.admin_level, meta.region) == (None, "city", Region())


def test_county_voice_with_only_a_county_in_passing_keeps_the_places_above():
    """我县 in a text that names its city and, in passing, a county of another report: the
    province and city are kept, the county is not guessed."""
    meta = _read("2023年，我县在金华市委的坚强领导下" + OPENING + BODY + "学习借鉴义乌市经验。")
    assert (meta.issuer, meta.admin_level) == (None, "county")
    assert meta.region == Region("浙江省", "金华市", None)


def test_title_run_into_the_opening_sentence():
    """A page whose line breaks were dropped: the title ends where the opening (2023年，…)
    starts."""
    meta = _read(
        "某网站首页   江西省人民政府关于2023年度法治政府建设情况的报告2023年，省政府" + BODY
    )
    assert meta.title == "江西省人民政府关于2023年度法治政府建设情况的报告"
    assert (meta.issuer, meta.admin_level) == ("江西省人民政府", "province")


def test_report_after_its_cover_letter_takes_the_title_after_it_and_the_letters_date():
    """A cover letter (salutation, text, signature, date) before the report: the report's own
    title follows it, and the letter's date is the date signed."""
    meta = _read(
        "浙司〔2024〕8号\n省委、省政府：\n2023年，在省委、省政府的坚强领导下，我厅"
        + OPENING
        + "现将有关情况报告如下。\n浙江省司法厅\n2024年1月25日\n"
        "浙江省司法厅关于2023年度\n法治政府建设情况的报告\n2023年，浙江省司法厅" + OPENING + BODY
    )
    assert meta.title == "浙江省司法厅关于2023年度法治政府建设情况的报告"
    assert (meta.issuer, meta.admin_level) == ("浙江省司法厅", "department")
    assert meta.published_on == date(2024, 1, 25)
    assert meta.report_year == 2023


# The lexicon ----------------------------------------------------------------------------------


def test_issuer_lexicon_loads_and_every_abbreviation_names_a_province():
    """seeds/issuer_lexicon.json: every province abbreviation is a province-level unit of the
    gazetteer; every department has a province and a local name."""
    from reports.parsing.metadata.voice import load_lexicon

    lexicon = load_lexicon()
    provinces = {d.name for d in load_gazetteer().divisions if d.level == "province"}
    assert set(lexicon.abbreviations.values()) <= provinces
    assert {"沪", "京", "津", "渝", "蜀", "黔", "滇", "秦", "陇"} <= set(lexicon.abbreviations)
    assert all(d.province and d.local for d in lexicon.departments)
    assert lexicon.by_name["市场监管局"].local == "市场监督管理局"
    assert "司法部" in lexicon.national


@pytest.mark.parametrize(
    ("text", "province", "department"),
    [
        ("沪环法〔2023〕23号", "上海市", "生态环境局"),
        ("浙司发[2024]5号", "浙江省", "司法局"),
        ("川府函〔2023〕12号", "四川省", None),
        ("粤市监〔2022〕 7号", "广东省", "市场监督管理局"),
    ],
)
def test_document_number_gives_province_and_department(text, province, department):
    """A document number's first character is its province; the marks after it its department."""
    from reports.parsing.metadata.voice import document_number, load_lexicon

    found = document_number(text, load_lexicon())
    assert found is not None
    assert found[0] == province
    assert (found[1].local if found[1] else None) == department


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("全局实现参考率100%", "全局", True),
        ("从全局性高度部署", "全局", False),
        ("我局坚持依法行政", "我局", True),
        ("推进城市政府治理", "市政府", False),
        ("市政府常务会议", "市政府", True),
    ],
)
def test_voice_words_count_only_as_words_of_the_segmentation(text, word, expected):
    """A lexicon word is taken where jieba cuts it as a word, not inside a longer one."""
    from reports.parsing.wordcheck import is_word

    at = text.index(word)
    assert is_word(text, at, at + len(word)) is expected


@pytest.mark.parametrize(
    ("title", "issuer"),
    [
        ("南通市市场监管局2023年法治政府建设年度报告", "南通市市场监督管理局"),
        ("宁波市发改委2023年度法治政府建设工作报告", "宁波市发展和改革委员会"),
        ("河北省人社厅2023年法治政府建设年度报告", "河北省人力资源和社会保障厅"),
        (
            "鹰潭高新技术产业开发区管委会2023年度法治政府建设工作报告",
            "鹰潭高新技术产业开发区管理委员会",
        ),
        ("德清县政府2023年法治政府建设年度报告", "德清县人民政府"),
        ("杭州市规划和自然资源局2023年法治政府建设年度报告", "杭州市规划和自然资源局"),
    ],
)
def test_issuer_written_short_is_given_its_official_name(title, issuer):
    """Short forms in a title (市场监管局, 发改委, 人社厅, 管委会, 县政府) become the official
    names; official variants (规划和自然资源局) stay as written."""
    assert _read(f"{title}\n2023年，" + OPENING + BODY).issuer == issuer


def test_short_name_at_the_start_of_a_name_prefers_the_province():
    """河北 is 河北省 before 天津's 河北区: short names of counties are rarely written."""
    meta = _read("河北雄安新区2023年法治政府建设情况报告\n2023年，新区" + OPENING + BODY)
    assert meta.admin_level == "development_zone"
    assert meta.region == Region("河北省", None, "河北雄安新区")


def test_document_number_line_is_not_part_of_the_title_below_it():
    """A document number on the line above the title stays out of it."""
    meta = _read(
        "粤司〔2024〕12号\n广东省司法厅关于2023年法治政府建设情况的报告\n2023年，省司法厅"
        + OPENING
        + BODY
    )
    assert meta.title == "广东省司法厅关于2023年法治政府建设情况的报告"
    assert (meta.issuer, meta.region) == ("广东省司法厅", Region("广东省", None, None))


@pytest.mark.parametrize(
    "later_clause", ["县司法局牵头开展执法监督", "开发区建设稳步推进", "县市场监管局加强执法"]
)
def test_a_department_or_zone_named_later_in_the_opening_does_not_speak_for_it(later_clause):
    """Only the opening's subject clause names who speaks: a department or a zone in a later
    clause of a county government's report is not its issuer."""
    meta = _read(f"2023年，县政府{OPENING}{later_clause}，" + BODY + "桐庐县人民政府办公室。")
    assert (meta.issuer, meta.admin_level) == ("桐庐县人民政府", "county")


@pytest.mark.parametrize(
    ("text", "issuer", "region"),
    [
        (
            "2023年，自治区人民政府" + OPENING + BODY + "推进法治广西建设，南宁市青秀区。",
            "广西壮族自治区人民政府",
            Region("广西壮族自治区", None, None),
        ),
        (
            "2023年，我县"
            + OPENING
            + BODY
            + "学习义乌市经验，《龙胜各族自治县法治政府建设方案》。",
            "龙胜各族自治县人民政府",
            Region("广西壮族自治区", "桂林市", "龙胜各族自治县"),
        ),
    ],
)
def test_government_words_tell_the_type_of_division(text, issuer, region):
    """自治区人民政府 is a province's; 我县 is a 县's (not a 县级市's, not a 市辖区's)."""
    meta = _read(text)
    assert (meta.issuer, meta.region) == (issuer, region)


def test_government_addressed_after_report_verbs_is_not_the_speaker():
    """向市政府报告 names the government addressed: a county that says 县政府 is the speaker."""
    meta = _read(
        "2023年，县政府" + OPENING + "及时向市政府报告，报请市政府同意。" + BODY + "桐庐县。"
    )
    assert (meta.issuer, meta.admin_level) == ("桐庐县人民政府", "county")


def test_signature_at_the_end_of_a_short_report_is_not_a_cover_letter():
    """A short report signed off, then another report's title (a link below it): that title is
    not the report's, and the signature is not a cover letter's."""
    meta = _read(
        "2023年，我县" + OPENING + BODY + "德清县人民政府\n2024年1月5日\n"
        "桐庐县2022年法治政府建设年度报告\n"
    )
    assert (meta.title, meta.report_year) == (None, 2023)
    assert meta.region.county != "桐庐县"


def test_zone_that_says_our_district_is_named_from_the_zone_the_text_names():
    """我区 names no district of the gazetteer here; the zone the text names is the speaker."""
    meta = _read(
        "2023年，我区" + OPENING + BODY + "推动芜湖经济技术开发区高质量发展，芜湖经济技术开发区"
    )
    assert (meta.issuer, meta.admin_level) == ("芜湖经济技术开发区管理委员会", "development_zone")
    assert meta.region == Region("安徽省", "芜湖市", "芜湖经济技术开发区")


def test_department_that_says_only_we_is_named_from_the_kind_it_names_most():
    """我局 in a text that names 市司法局 twice and 公安局 once: the city's 司法局."""
    meta = _read(
        "2023年，在绍兴市委、市政府的坚强领导下，我局"
        + OPENING
        + "市司法局党组高度重视，会同市公安局开展执法检查，市司法局牵头推进。"
        + BODY
    )
    assert (meta.issuer, meta.admin_level) == ("绍兴市司法局", "department")
    assert meta.region == Region("浙江省", "绍兴市", None)


def test_zone_whose_name_holds_an_ambiguous_place_is_not_placed_by_a_guess():
    """通州湾示范区 holds 通州 (北京's and 南通's): with nothing else named, no province."""
    meta = _read("2022年，在市委、市政府的坚强领导下，通州湾示范区" + OPENING + BODY)
    assert meta.admin_level == "development_zone"
    assert meta.region == Region(None, None, "通州湾示范区")


def test_department_that_publishes_a_governments_report_stands_for_its_government():
    """来源：某省司法厅 on a page whose text speaks as the province (省委、省政府…, no 我厅): the
    report is the province's."""
    meta = _read(
        "发布时间：2023-03-28 来源：安徽省司法厅\n2022年，在党中央、国务院的坚强领导下，"
        "全省各级行政机关" + OPENING + "省委、省政府对全省推进依法行政作出总体部署。" + BODY
    )
    assert (meta.issuer, meta.admin_level) == ("安徽省人民政府", "province")
    assert meta.region == Region("安徽省", None, None)


@pytest.mark.parametrize(
    ("places", "issuer"),
    [
        ("长沙市、株洲市、湘潭市", "湖南省人民政府"),
        ("长沙市、南京市", None),
    ],
)
def test_province_that_names_only_its_cities_is_their_province(places, issuer):
    """省政府 in a text that names only cities: their province when they share one, else none."""
    meta = _read("2023年，省政府" + OPENING + BODY + f"{places}开展试点。")
    assert (meta.issuer, meta.admin_level) == (issuer, "province")


def test_district_government_that_hosts_a_zone_is_not_the_zone():
    """区政府 is a district's government even where the text names a zone inside it."""
    meta = _read("2023年，区政府" + OPENING + BODY + "支持芜湖经济技术开发区高质量发展。")
    assert meta.admin_level == "county"
    assert meta.issuer is None
