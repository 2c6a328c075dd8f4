"""The narrative against the tables, the year, the body and its province (rule 8): warnings at their cell."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import cell, make, sample
from xlsreport import api
from xlsreport.cli import app
from xlsreport.findingcodes import finding_message
from xlsreport.findings import describe
from xlsreport.formats import DEFAULT
from xlsreport.narrative import check_texts
from xlsreport.places import find_province, province_of, short_name
from xlsreport.wording import GENERATED_MARK

runner = CliRunner(env={"COLUMNS": "300"})
TEXT_CODES = (
    "TEXT_YEAR",
    "TEXT_PLACE",
    "TEXT_OTHER_BODY",
    "TEXT_NO_FEE",
    "TEXT_FIGURE",
    "TEXT_PLACEHOLDER",
    "TEXT_GENERATED",
)
FEE = {"text_other": "本年度未收取信息处理费。"}


def narrative(report) -> list[tuple[str, str, object]]:
    return [(f.code, f.cell, f.found) for f in report.findings if f.code in TEXT_CODES]


def test_seed_cites_gansu_in_a_heilongjiang_township(tmp_path):
    report = api.check(api.fill(sample("xiaochengzi-2024.json"), tmp_path / "seed.xlsx")).report
    assert narrative(report) == [
        ("TEXT_PLACE", cell("text_overview"), "甘肃"),
        ("TEXT_NO_FEE", cell("text_other"), None),  # “无其他需要报告事项。” says nothing of the fee
    ]
    place = report.findings[[f.code for f in report.findings].index("TEXT_PLACE")]
    where = describe("文字部分", cell("text_overview"), ("一、总体情况（开篇段落）",), ())
    assert place.message == finding_message("TEXT_PLACE", where=where, found="甘肃", expected="黑龙江省")
    assert place.severity == "warning" and report.ok


def test_province_from_the_option_or_the_name():
    assert province_of("宝清县小城子镇人民政府").name == "黑龙江省"  # from the county table
    assert province_of("淮安市洪泽区人民政府").name == "江苏省"  # from a major city
    assert province_of("黑龙江省人民政府办公厅").name == "黑龙江省"
    assert province_of("某某镇人民政府") is None
    assert short_name("宝清县七星泡镇人民政府") == "七星泡镇"


def test_province_option_overrides_and_unknown_province_skips(tmp_path):
    book = api.fill(sample("xiaochengzi-2024.json"), tmp_path / "seed.xlsx")
    as_gansu = api.check(book, province=find_province("甘肃")).report
    assert not [f for f in as_gansu.findings if f.code == "TEXT_PLACE"]
    unknown = make(tmp_path, {"info_org": "某镇人民政府", "text_overview": "学习甘肃经验。", **FEE}, "u.xlsx")
    assert narrative(api.check(unknown).report) == []  # no province known: places are not checked
    bad = runner.invoke(app, ["check", str(book), "--province", "火星"])
    assert bad.exit_code == 2 and "USAGE" in bad.output
    ok = runner.invoke(app, ["check", str(book), "--province", "黑龙江"])
    assert ok.exit_code == 0 and "TEXT_PLACE" in ok.output


def test_figures_contradicting_the_tables(tmp_path):
    texts = {
        "text_request": "全年共收到申请5件，予以公开3件。\n上年结转0件，结转下年度继续办理0件。",
        "text_active": "本年制发行政规范性文件2件，公开行政许可处理决定4件。",
        **FEE,
    }
    numbers = {
        "t3_new_natural": 3,
        "t3_granted_natural": 3,
        "t2_normative_issued": 2,
        "t2_licensing_decisions": 5,
    }
    report = api.check(make(tmp_path, {**numbers, **texts})).report
    assert narrative(report) == [
        ("TEXT_FIGURE", cell("text_active"), "行政许可处理决定4件"),
        ("TEXT_FIGURE", cell("text_request"), "收到申请5件"),
    ]
    f = next(f for f in report.findings if f.found == "收到申请5件")
    assert f.expected == f"表三 “一、本年新收政府信息公开申请数量” · 总计（{cell('t3_new_total')}）＝3"


def test_hongze_real_report_says_17_received_when_table_three_says_95(tmp_path):
    real = json.loads(
        (Path(__file__).parent / "data" / "hongze-district-2024.json").read_text(encoding="utf-8")
    )
    fields: dict[str, object] = {}
    for f in DEFAULT.table_fields:
        if f.table != "t3" or f.computed:
            continue
        path = "/".join(f.row)
        row = real["table3"].get(path) or real["table3"].get("/".join(f.row[:2]))  # （六） printed as one row
        if row is not None and not (f.row[1:2] == ("（六）其他处理",) and f.row[-1] != "3.其他"):
            fields[f.key] = row[real["table3_columns"].index(f.column[-1])]
    fields["text_request"] = "2024年，区政府办代表区政府受理政府信息公开申请17件，均在法定期限内答复。"
    fields.update(FEE)
    data = {"format": DEFAULT.id, "fields": {"info_org": real["org"], "info_year": 2024, **fields}}
    report = api.check(api.fill(data, tmp_path / "hongze.xlsx")).report
    assert report.ok  # the tables themselves balance
    assert narrative(report) == [("TEXT_FIGURE", cell("text_request"), "受理政府信息公开申请17件")]
    assert report.findings[-1].expected.endswith("＝95")


def test_figures_of_unreadable_cells_are_not_compared(tmp_path):
    report = api.check(api.fill(sample("qingyuan-2024.json"), tmp_path / "q.xlsx")).report
    # “予以公开4件” stands beside a 予以公开 cell holding “3件”: VALUE_TEXT says it all already
    assert not [f for f in report.findings if f.code == "TEXT_FIGURE" and "予以公开" in str(f.found)]
    assert ("TEXT_FIGURE", cell("text_active"), "制发行政规范性文件1件") in narrative(report)


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("2023年，本镇认真贯彻落实条例。", "2023年"),
        ("2023 年度，本镇积极推进公开。", "2023年度"),
        ("2025年，本镇共公开信息10条。", "2025年"),
        ("与2023年相比，公开数量有所增加。", None),
        ("自2019年以来，坚持每月更新。", None),
        ("2025年，我镇将进一步加强培训。", None),
        ("2024年，本镇认真贯彻落实条例。", None),
        ("根据国办公开办函〔2021〕30号的要求。", None),
    ],
)
def test_another_year_as_this_year(tmp_path, text, flagged):
    report = api.check(make(tmp_path, {"text_overview": text, **FEE})).report
    expected = [("TEXT_YEAR", cell("text_overview"), flagged)] if flagged else []
    assert narrative(report) == expected


def test_placeholders_and_generated_marks(tmp_path):
    texts = {
        "text_platform": "依托XX镇政府网站，发布信息××条。【请填写平台名称】",
        "text_request": GENERATED_MARK + "本机关未收到申请。",
    }
    report = api.check(make(tmp_path, {**texts, **FEE})).report
    assert narrative(report) == [
        ("TEXT_GENERATED", cell("text_request"), "本机关未收到申请。…"),
        ("TEXT_PLACEHOLDER", cell("text_platform"), "XX"),
        ("TEXT_PLACEHOLDER", cell("text_platform"), "××"),
        ("TEXT_PLACEHOLDER", cell("text_platform"), "【请填写平台名称】"),
    ]


def test_another_body_of_those_checked_together(tmp_path):
    copied = make(tmp_path, {"text_platform": "依托七星泡镇信息公开专栏发布信息。", **FEE}, "a.xlsx")
    other = make(tmp_path, {"info_org": "宝清县七星泡镇人民政府", **FEE}, "b.xlsx")
    reports = api.check_files([copied, other])
    assert narrative(reports[0]) == [("TEXT_OTHER_BODY", cell("text_platform"), "七星泡镇")]
    assert narrative(reports[1]) == []
    assert narrative(api.check(copied).report) == []  # alone, no other body is known


def test_fee_position_stated_or_not(tmp_path):
    for text, flagged in (
        ("本年度未收取信息处理费。", False),
        ("本机关未收取任何费用。", False),
        ("本年度共发出收费通知1件，收取信息处理费200元。", False),
        ("无其他需要报告事项。", True),
        ("", True),
    ):
        report = api.check(make(tmp_path, {"text_other": text})).report
        assert (("TEXT_NO_FEE", cell("text_other"), None) in narrative(report)) is flagged, text


def test_words_that_only_look_like_places(tmp_path):
    text = "推进幸福建设，隆重庆祝建党节，确保定期更新，弘扬延安精神。学习浙江经验。"
    report = api.check(make(tmp_path, {"text_overview": text, **FEE})).report
    assert narrative(report) == [("TEXT_PLACE", cell("text_overview"), "浙江")]


def test_figures_written_in_chinese_numerals(tmp_path):
    from xlsreport.narrative import count_of

    assert [count_of(t) for t in ("7", "五", "十", "十七", "二十", "两", "一百零五")] == [
        7,
        5,
        10,
        17,
        20,
        2,
        105,
    ]
    texts = {"text_request": "全年共受理政府信息公开申请十七件，予以公开三件。", **FEE}
    report = api.check(make(tmp_path, {"t3_new_natural": 3, "t3_granted_natural": 3, **texts})).report
    assert narrative(report) == [("TEXT_FIGURE", cell("text_request"), "受理政府信息公开申请十七件")]


def test_another_body_of_the_roster(tmp_path):
    copied = make(tmp_path, {"text_platform": "参照青原镇做法设置查阅点。", **FEE}, "a.xlsx")
    roster = tmp_path / "roster.txt"
    roster.write_text("宝清县青原镇人民政府\n宝清县小城子镇人民政府\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(copied), "--roster", str(roster), "--format", "json"])
    assert result.exit_code == 0, result.output
    found = [(f["code"], f["cell"], f["found"]) for f in json.loads(result.output)["findings"]]
    assert ("TEXT_OTHER_BODY", cell("text_platform"), "青原镇") in found


def test_other_bodies_found_among_a_city_of_names():
    """Thousands of names (a city collecting) are found in one pass; a short name shared with the body is not."""
    others = [f"某县第{i}镇人民政府" for i in range(3000)]
    others += ["宝清县七星泡镇人民政府", "友谊县城关镇人民政府", "宝清县城关镇人民政府"]
    texts = {"platform": "借鉴七星泡镇和第2999镇的做法，完善城关镇政务公开专栏。", "other": FEE["text_other"]}
    found = check_texts(DEFAULT, "宝清县城关镇人民政府", 2024, {}, texts, others=others)
    assert [(f.code, f.cell, f.found) for f in found] == [
        ("TEXT_OTHER_BODY", cell("text_platform"), "七星泡镇"),
        ("TEXT_OTHER_BODY", cell("text_platform"), "第2999镇"),
    ]
