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
        ("朝阳区", Region("北京市", "北京市", "朝阳区")),
        ("浦东新区", Region("上海市", "上海市", "浦东新区")),
        ("忠县", Region("重庆市", "重庆市", "忠县")),
    ],
)
def test_municipality_districts_have_the_municipality_as_province_and_city(gazetteer, name, region):
    """Districts and counties of 北京 天津 上海 重庆 belong to the municipality at both levels."""
    assert region in {d.region for d in gazetteer.lookup(name)}


def test_county_governed_by_its_province_has_no_city(gazetteer):
    """A 省直辖县 (仙桃市 in 湖北) has its province but no prefecture-level city."""
    (division,) = gazetteer.lookup("仙桃市")
    assert division.region == Region("湖北省", None, "仙桃市")


def test_grouping_rows_are_not_divisions(gazetteer):
    """Placeholder codes such as 市辖区 and 省直辖县级行政区划 are not looked up as places."""
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


def test_build_from_rows_uses_code_prefixes():
    """A gazetteer built from a few rows links a county to its city and province by code."""
    gazetteer = build_gazetteer(
        [
            ("330000000000", "浙江省"),
            ("330700000000", "金华市"),
            ("330726000000", "浦江县"),
            ("330100000000", "市辖区"),
        ]
    )
    (county,) = gazetteer.lookup("浦江")
    assert county.region == Region("浙江省", "金华市", "浦江县")
    assert gazetteer.parent(county).name == "金华市"
    assert gazetteer.lookup("市辖区") == ()


def test_seed_file_loads_all_divisions_quickly():
    """The seed file holds every province-level unit and thousands of divisions; building the
    tables takes well under a second (the loader caches the result per process)."""
    from reports.parsing.gazetteer import GAZETTEER_FILE, read_gazetteer_file

    gazetteer = read_gazetteer_file(seeds_dir() / GAZETTEER_FILE)
    provinces = [d for d in gazetteer.divisions if d.level == "province"]
    assert len(provinces) == 34
    assert len(gazetteer.divisions) > 3000
    assert load_gazetteer() is load_gazetteer()


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
