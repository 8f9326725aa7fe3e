"""The gazetteer of administrative divisions: lookup by full and short name, hierarchy by code,
ambiguous names resolved by the places a text mentions."""

import pytest

from reports.parsing.gazetteer import build_gazetteer, load_gazetteer, short_name
from reports.parsing.seeds import seeds_dir
from reports.parsing.types import Region


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


@pytest.mark.parametrize(
    ("name", "region", "level", "kind"),
    [
        ("浦江县", Region("浙江省", "金华市", "浦江县"), "county", "县"),
        ("天宁区", Region("江苏省", "常州市", "天宁区"), "county", "市辖区"),
        ("义乌市", Region("浙江省", "金华市", "义乌市"), "county", "县级市"),
        ("常州市", Region("江苏省", "常州市", None), "city", "市"),
        ("江苏省", Region("江苏省", None, None), "province", "省"),
        ("恩施土家族苗族自治州", Region("湖北省", "恩施土家族苗族自治州", None), "city", "自治州"),
        ("锡林郭勒盟", Region("内蒙古自治区", "锡林郭勒盟", None), "city", "盟"),
        ("阿克苏地区", Region("新疆维吾尔自治区", "阿克苏地区", None), "city", "地区"),
        ("长阳土家族自治县", Region("湖北省", "宜昌市", "长阳土家族自治县"), "county", "自治县"),
    ],
)
def test_full_name_gives_division_with_parents(gazetteer, name, region, level, kind):
    """A full official name finds the division, its level and type, and its parents by code."""
    (division,) = gazetteer.lookup(name)
    assert (division.region, division.level, division.kind) == (region, level, kind)


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("浦江", "浦江县"),
        ("常州", "常州市"),
        ("江苏", "江苏省"),
        ("广西", "广西壮族自治区"),
        ("新疆", "新疆维吾尔自治区"),
        ("内蒙古", "内蒙古自治区"),
        ("延边", "延边朝鲜族自治州"),
        ("恩施州", "恩施土家族苗族自治州"),
        ("长阳县", "长阳土家族自治县"),
        ("锡林郭勒", "锡林郭勒盟"),
        ("浦东", "浦东新区"),
    ],
)
def test_short_name_finds_the_division(gazetteer, short, full):
    """A name without its type suffix (省 市 县 区 自治州 盟 …) finds the division."""
    assert full in {d.name for d in gazetteer.lookup(short)}


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("浦江县", "浦江"),
        ("宁夏回族自治区", "宁夏"),
        ("双江拉祜族佤族布朗族傣族自治县", "双江"),
        ("香港特别行政区", "香港"),
        ("城区", "城区"),
        ("西林区", "西林"),
        ("矿区", "矿区"),
    ],
)
def test_short_name_cuts_type_and_ethnic_names(name, short):
    """Short names drop the type suffix and the ethnic names of autonomous areas, never leaving
    fewer than two characters."""
    assert short_name(name) == short


@pytest.mark.parametrize(
    ("name", "region"),
    [
        ("朝阳区", Region("北京市", None, "朝阳区")),
        ("浦东新区", Region("上海市", None, "浦东新区")),
        ("忠县", Region("重庆市", None, "忠县")),
        ("静海区", Region("天津市", None, "静海区")),
    ],
)
def test_municipality_districts_have_the_municipality_as_province_and_no_city(
    gazetteer, name, region
):
    """北京 天津 上海 重庆 are provinces with no prefecture level: their districts and counties
    have the municipality as province and no city."""
    assert region in {d.region for d in gazetteer.lookup(name)}


def test_county_governed_by_its_province_has_no_city(gazetteer):
    """A 省直辖县 (仙桃市 in 湖北) has its province but no prefecture-level city."""
    (division,) = gazetteer.lookup("仙桃市")
    assert division.region == Region("湖北省", None, "仙桃市")


def test_grouping_names_are_not_divisions(gazetteer):
    """Grouping names of other division lists (市辖区, 省直辖县级行政区划) are not places."""
    assert gazetteer.lookup("市辖区") == ()
    assert gazetteer.lookup("省直辖县级行政区划") == ()


def test_chain_reads_nested_names_and_narrows_ambiguous_ones(gazetteer):
    """``汕尾市城区``: the city settles which of the many 城区 is meant."""
    chain, end = gazetteer.read_chain("汕尾市城区2023年法治政府建设年度报告")
    assert end == len("汕尾市城区")
    assert [links[0].name for links in chain] == ["汕尾市", "城区"]
    (district,) = chain[-1]
    assert district.region == Region("广东省", "汕尾市", "城区")


def test_chain_accepts_short_province_and_city_names(gazetteer):
    """``江苏常州天宁区`` reads as province, city and district."""
    chain, _ = gazetteer.read_chain("江苏常州天宁区司法局")
    assert [links[0].name for links in chain] == ["江苏省", "常州市", "天宁区"]


@pytest.mark.parametrize(
    ("name", "context", "city"),
    [
        ("鼓楼区", "在福州市委、市政府的坚强领导下", "福州市"),
        ("鼓楼区", "南京市人民政府：", "南京市"),
        ("城区", "汕尾市人民政府门户网站", "汕尾市"),
        ("朝阳区", "长春市委、市政府", "长春市"),
    ],
)
def test_ambiguous_name_is_resolved_by_places_in_context(gazetteer, name, context, city):
    """A name that exists in several cities resolves to the one inside a city the text names."""
    chosen = gazetteer.resolve(gazetteer.lookup(name), context=gazetteer.scan(context))
    assert chosen is not None
    assert chosen.region.city == city


def test_province_words_rule_out_municipality_districts(gazetteer):
    """A text that speaks of its province (省委, 全省) is not from a municipality's district."""
    chosen = gazetteer.resolve(gazetteer.lookup("通州区"), within_province=True)
    assert chosen is not None
    assert chosen.region == Region("江苏省", "南通市", "通州区")


def test_ambiguous_name_without_context_is_not_guessed(gazetteer):
    """With nothing in the text to tell them apart, no division is chosen."""
    assert gazetteer.resolve(gazetteer.lookup("鼓楼区")) is None


def test_common_region_keeps_what_candidates_share(gazetteer):
    """Two same-named districts of one province still give that province."""
    nanjing_xuzhou = [d for d in gazetteer.lookup("鼓楼区") if d.province == "江苏省"]
    assert gazetteer.common_region(nanjing_xuzhou) == Region("江苏省", None, None)


def test_scan_finds_full_names_and_short_province_and_city_names(gazetteer):
    """Scanning finds full names of every level and short names of provinces and cities only."""
    text = "落实好省委和金华市委的部署，建设法治浙江，浦江县和平社区"
    found = [m.text for m in gazetteer.scan(text)]
    assert found == ["金华市", "浙江", "浦江县"]


def test_build_from_records_follows_parent_codes():
    """A gazetteer built from a few records links a township to its county, city and province
    by the parent codes, and skips malformed records."""
    gazetteer = build_gazetteer(
        [
            ("1", "330000", "", "浙江省"),
            ("2", "330700", "330000", "金华市"),
            ("3", "330726", "330700", "浦江县"),
            ("4", "330726101", "330726", "白马镇"),
            ("9", "330799", "330700", "不存在"),
        ]
    )
    (county,) = gazetteer.lookup("浦江")
    assert county.region == Region("浙江省", "金华市", "浦江县")
    assert gazetteer.parent(county).name == "金华市"
    (town,) = gazetteer.lookup("白马镇")
    assert (town.level, town.kind, town.region) == ("township", "镇", county.region)
    assert gazetteer.parent(town) is county
    assert gazetteer.lookup("不存在") == ()


def test_seed_file_loads_every_level_down_to_townships():
    """The seed file holds the Ministry of Civil Affairs' list: 33 province-level units (台湾
    has no code there), 333 prefectures, 2,845 counties, 38,723 townships; the loader caches the
    result per process."""
    from collections import Counter

    from reports.parsing.gazetteer import GAZETTEER_FILE, read_gazetteer_file

    gazetteer = read_gazetteer_file(seeds_dir() / GAZETTEER_FILE)
    levels = Counter(d.level for d in gazetteer.divisions)
    assert levels == {"province": 33, "city": 333, "county": 2845, "township": 38723}
    assert load_gazetteer() is load_gazetteer()


@pytest.mark.parametrize(
    ("name", "region", "kind"),
    [
        ("有庆镇", Region("四川省", "达州市", "渠县"), "镇"),
        ("虎门镇", Region("广东省", "东莞市", None), "镇"),
        ("沙河口区", Region("辽宁省", "大连市", "沙河口区"), None),
    ],
)
def test_unique_township_names_give_county_city_and_province(gazetteer, name, region, kind):
    """A township (or a district) whose name exists once carries its county, city and province;
    a township of a city without counties (东莞市) has no county."""
    (division,) = gazetteer.lookup(name)
    assert division.region == region
    if kind:
        assert (division.level, division.kind) == ("township", kind)


@pytest.mark.parametrize(
    ("name", "context", "county"),
    [
        ("三都镇", "建德市人民政府", "建德市"),
        ("三都镇", "在宁德市委的领导下", "蕉城区"),
        ("金龙街道", "泉州市鲤城区", "鲤城区"),
        ("金龙街道", "曲靖市", "沾益区"),
    ],
)
def test_ambiguous_township_is_resolved_by_the_places_in_the_text(gazetteer, name, context, county):
    """三都镇 exists in six counties: the county or city the text names settles it."""
    options = gazetteer.lookup(name)
    assert len(options) > 1
    chosen = gazetteer.resolve(options, context=gazetteer.scan(context))
    assert chosen is not None
    assert chosen.region.county == county


def test_ambiguous_township_without_context_is_not_guessed(gazetteer):
    """Nothing in the text tells the six 三都镇 apart: none is chosen."""
    assert gazetteer.resolve(gazetteer.lookup("三都镇"), context=gazetteer.scan("全镇")) is None


def test_scan_finds_townships_only_when_asked(gazetteer):
    """Township names are everyday words in a county's report; a scan lists them on request."""
    text = "建德市三都镇"
    assert [m.text for m in gazetteer.scan(text)] == ["建德市"]
    assert [m.text for m in gazetteer.scan(text, townships=True)] == ["建德市", "三都镇"]


@pytest.mark.parametrize(
    ("written", "region"),
    [
        ("库车市", Region("新疆维吾尔自治区", "阿克苏地区", "库车市")),
        ("邵东市", Region("湖南省", "邵阳市", "邵东市")),
    ],
)
def test_county_that_changed_type_is_found_under_its_new_name(gazetteer, written, region):
    """A 县 that became a 市 or 区 after the seed data was made is read under the name as
    written, with the parents of the old entry."""
    chain, end = gazetteer.read_chain(written + "2022年法治政府建设年度报告")
    assert end == len(written)
    (division,) = chain[-1]
    assert division.region == region
    assert division.kind == "县级市"


def test_one_character_stem_is_not_taken_for_a_renamed_county(gazetteer):
    """``新区`` is not 新县 written as a district: a stem needs two characters."""
    chain, _ = gazetteer.read_chain("新区管委会")
    assert chain == []


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("科右中旗", "科尔沁右翼中旗"),
        ("察右前旗", "察哈尔右翼前旗"),
        ("土左旗", "土默特左旗"),
        ("鄂前旗", "鄂托克前旗"),
        ("阿左旗", "阿拉善左旗"),
    ],
)
def test_banner_abbreviated_by_side_and_position_is_found(gazetteer, written, name):
    """Banners named by side and position are written short (科右中旗 for 科尔沁右翼中旗)."""
    chain, end = gazetteer.read_chain(written + "2023年法治政府建设年度报告")
    assert end == len(written)
    assert [d.name for d in chain[-1]] == [name]


def test_a_text_without_province_words_is_not_taken_for_a_municipalitys(gazetteer):
    """No 省委 in the text says nothing: 市委 is a municipality's and a city's alike, so 朝阳区
    (北京 or 长春) stays unresolved."""
    assert gazetteer.resolve(gazetteer.lookup("朝阳区"), within_province=False) is None
