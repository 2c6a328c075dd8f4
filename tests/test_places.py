"""Every county knows its province: a body's province from its name alone, as bodies write their names."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from conftest import make
from xlsreport.cli import app
from xlsreport.places import _data, divisions_of, province_of

# one real body of every provincial-level division, written as such bodies write their names
BODIES = {
    "北京市": "海淀区中关村街道办事处",
    "天津市": "蓟州区渔阳镇人民政府",
    "河北省": "正定县正定镇人民政府",
    "山西省": "平遥县古陶镇人民政府",
    "内蒙古自治区": "鄂伦春自治旗大杨树镇人民政府",
    "辽宁省": "新宾满族自治县永陵镇人民政府",
    "吉林省": "抚松县仙人桥镇人民政府",
    "黑龙江省": "宝清县七星泡镇人民政府",
    "上海市": "浦东新区川沙新镇人民政府",
    "江苏省": "盱眙县马坝镇人民政府",
    "浙江省": "安吉县递铺街道办事处",
    "安徽省": "歙县徽城镇人民政府",
    "福建省": "长汀县汀州镇人民政府",
    "江西省": "婺源县紫阳镇人民政府",
    "山东省": "曲阜市尼山镇人民政府",
    "河南省": "兰考县城关镇人民政府",
    "湖北省": "神农架林区松柏镇人民政府",
    "湖南省": "凤凰县沱江镇人民政府",
    "广东省": "南澳县后宅镇人民政府",
    "广西壮族自治区": "龙胜各族自治县龙胜镇人民政府",
    "海南省": "琼中县营根镇人民政府",  # 琼中黎族苗族自治县, as bodies shorten it
    "重庆市": "城口县葛城街道办事处",
    "四川省": "汶川县威州镇人民政府",
    "贵州省": "雷山县西江镇人民政府",
    "云南省": "勐腊县勐腊镇人民政府",
    "西藏自治区": "墨脱县墨脱镇人民政府",
    "陕西省": "宜君县宜阳街道办事处",
    "甘肃省": "敦煌市七里镇人民政府",
    "青海省": "互助土族自治县威远镇人民政府",
    "宁夏回族自治区": "泾源县香水镇人民政府",
    "新疆维吾尔自治区": "布尔津县布尔津镇人民政府",
}


@pytest.mark.parametrize(("province", "body"), BODIES.items())
def test_a_county_of_every_province_from_the_name_alone(province, body):
    assert province_of(body).name == province


def test_the_table_is_complete_and_says_where_it_comes_from():
    divisions = _data()["divisions"]
    codes = divisions["codes"]
    assert divisions["date"] and "统计用区划代码" in divisions["source"]
    provinces = {c for c in codes if c.endswith("0000")}
    counties = {c for c in codes if not c.endswith("00")}
    assert len(provinces) == 31
    assert {c[:2] for c in counties} == {c[:2] for c in provinces}  # counties in every province
    assert 2800 < len(counties) < 2900  # about 2,850 county-level divisions on the mainland


def test_a_name_several_provinces_share_needs_its_city():
    assert {d.code for d in divisions_of("朝阳区小关街道办事处")} == {"110105", "220104"}
    assert province_of("朝阳区小关街道办事处") is None  # not guessed
    assert province_of("长春市朝阳区永昌街道办事处").name == "吉林省"
    assert province_of("中共宝清县委办公室").name == "黑龙江省"
    assert province_of("宝清县朝阳镇人民政府").name == "黑龙江省"  # a township's name is no county
    assert province_of("小城子镇人民政府") is None
    assert province_of("海南藏族自治州共和县恰卜恰镇人民政府").name == "青海省"  # not 海南 by its first words


def test_text_place_from_the_body_name_alone(tmp_path):
    """A township of 抚松县 praising 甘肃 is caught without --province."""
    book = make(
        tmp_path,
        {
            "info_org": "抚松县仙人桥镇人民政府",
            "text_overview": "我镇学习甘肃经验，推进政务公开。",
        },
    )
    result = CliRunner().invoke(app, ["check", str(book), "--format", "json"])
    places = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "TEXT_PLACE"]
    assert [(p["found"], p["expected"]) for p in places] == [("甘肃", "吉林省")]
