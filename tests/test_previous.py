"""Across years: 二、上年结转 carried over from last year's workbook, and checked against it (rules 6, 7)."""

from __future__ import annotations

import json
from importlib import resources

import openpyxl
import pytest
from typer.testing import CliRunner

from conftest import LAYOUT, cell, edit, sample
from xlsreport import api, previous
from xlsreport.cli import app
from xlsreport.findingcodes import finding_message
from xlsreport.findings import describe
from xlsreport.wording import BLANK_NAME, CARRIED_NOTE, STOCK_NOTE

runner = CliRunner(env={"COLUMNS": "300"})
BODIES = ("qixingpao", "qingyuan", "xiaochengzi")


def sample_2023(body: str) -> dict:
    text = (resources.files("xlsreport") / "samples" / "2023" / f"{body}-2023.json").read_text(
        encoding="utf-8"
    )
    return json.loads(text)


@pytest.fixture(scope="module")
def years(tmp_path_factory):
    """Last year's returned workbooks in 2023/, this year's beside them."""
    root = tmp_path_factory.mktemp("years")
    for body in BODIES:
        api.fill(sample_2023(body), root / "2023" / f"{body}.xlsx")
        api.fill(sample(f"{body}-2024.json"), root / f"{body}-2024.xlsx")
    return root


def cross_year(report) -> list[tuple[str, str, object, object]]:
    return [
        (f.code, f.cell, f.found, f.expected)
        for f in report.findings
        if f.code.startswith("PREV_") or f.code == "TEXT_COPIED"
    ]


def test_2023_samples_are_clean_workbooks(years):
    for body in ("qixingpao", "qingyuan"):
        assert api.check(years / "2023" / f"{body}.xlsx").report.findings == []


def test_consistent_carry_over_gives_no_finding(years):
    report = api.check(years / "qixingpao-2024.xlsx", previous=years / "2023").report
    assert report.findings == []


def test_broken_carry_over_is_an_error_at_each_cell(years):
    report = api.check(years / "qingyuan-2024.xlsx", previous=years / "2023").report
    assert cross_year(report) == [
        ("PREV_CARRY", cell("t3_carried_natural"), 1, 0),
        ("PREV_IN_FORCE", cell("t2_regulations_in_force"), 3, 1),
        ("PREV_IN_FORCE", cell("t2_normative_in_force"), 0, 2),
        ("TEXT_COPIED", cell("text_problems"), None, None),
    ]
    carry = next(f for f in report.findings if f.code == "PREV_CARRY")
    assert carry.severity == "error" and carry.sheet == "表三"
    where = describe("表三", cell("t3_carried_natural"), carry.row, carry.column)
    # the row it is carried from named by its label in the format's declaration
    source = "四、结转下年度继续办理"
    assert carry.message == finding_message("PREV_CARRY", where=where, found="1", expected="0", source=source)
    assert f"“{source}”的0" in carry.message
    assert carry.row == ("二、上年结转政府信息公开申请数量",) and carry.column[-1] == "自然人"
    assert {f.severity for f in report.findings if f.code in ("PREV_IN_FORCE", "TEXT_COPIED")} == {"warning"}


def test_missing_last_year_is_a_warning_at_the_body_name(years, tmp_path):
    only = tmp_path / "only"
    only.mkdir()
    (only / "q.xlsx").write_bytes((years / "2023" / "qixingpao.xlsx").read_bytes())
    report = api.check(years / "qingyuan-2024.xlsx", previous=only).report
    missing = [f for f in report.findings if f.code == "PREV_MISSING"]
    assert [(f.sheet, f.cell, f.expected) for f in missing] == [("基本信息", cell("info_org"), 2023)]
    assert str(only) in missing[0].message and "2023年度" in missing[0].message
    # a file of the same body but another year is not last year's
    assert previous.find_previous(years / "qixingpao-2024.xlsx", "宝清县七星泡镇人民政府", 2024) is None


def test_bodies_are_linked_by_normalised_name(tmp_path):
    data = sample_2023("qixingpao")
    data["fields"]["info_org"] = " 宝清县　七星泡镇人民政府"  # a full-width space, a leading space
    data["fields"]["info_year"] = 2023
    path = api.fill(data, tmp_path / "old" / "x.xlsx")
    assert previous.find_previous(tmp_path / "old", "宝清县七星泡镇人民政府", 2024) == path
    assert previous.find_previous(path, "宝清县七星泡镇人民政府", 2024) == path
    assert previous.find_previous(path, "宝清县青原镇人民政府", 2024) is None


def test_blank_with_previous_prefills_and_locks_the_carry_over(years, tmp_path):
    out = tmp_path / "new.xlsx"
    args = ["blank", "--org", "宝清县七星泡镇人民政府", "--year", "2024", "-o", str(out)]
    result = runner.invoke(app, [*args, "--previous", str(years / "2023")])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    t3, t2 = wb["表三"], wb["表二"]
    natural, total = t3[cell("t3_carried_natural")], t3[cell("t3_carried_total")]
    assert natural.value == 1 and natural.protection.locked
    assert CARRIED_NOTE.format(year=2023, source="四、结转下年度继续办理", value=1) in natural.comment.text
    assert (
        t3[cell("t3_carried_commercial")].value == 0 and t3[cell("t3_carried_commercial")].protection.locked
    )
    assert total.value.startswith("=SUM(")  # the total stays a formula over the carried columns
    assert not t3[cell("t3_new_natural")].protection.locked  # this year's figures are still filled in
    in_force = t2[cell("t2_normative_in_force")]
    assert in_force.value is None and not in_force.protection.locked
    note = LAYOUT.beside(LAYOUT.cells["t2_normative_in_force"])  # on its row, right of the checks
    assert note.row + 1 == in_force.row and t2[note.a1].value == STOCK_NOTE.format(year=2023, value=3)
    # the pre-filled workbook is still our template, and its carry-over checks out
    checked = api.check(out, previous=years / "2023")
    assert checked.values["t3_carried_total"] == 1
    assert not [f for f in checked.report.findings if f.code in ("PREV_CARRY", "LABEL_CHANGED")]
    # a carry-over changed by another program (the sheet is protected without a password) is caught
    edit(out, {("表三", cell("t3_carried_natural")): 0})
    changed = api.check(out, previous=years / "2023").report
    assert ("PREV_CARRY", cell("t3_carried_natural"), 0, 1) in cross_year(changed)


def test_blank_previous_missing_body(years, tmp_path):
    args = ["blank", "--year", "2024", "--previous", str(years / "2023")]
    single = runner.invoke(app, [*args, "--org", "宝清县龙头镇人民政府", "-o", str(tmp_path / "x.xlsx")])
    assert single.exit_code == 2 and "PREVIOUS_NOT_FOUND" in single.output
    assert not (tmp_path / "x.xlsx").exists()
    roster = tmp_path / "roster.txt"
    roster.write_text("宝清县青原镇人民政府\n宝清县龙头镇人民政府\n", encoding="utf-8")
    result = runner.invoke(app, [*args, "--roster", str(roster), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert result.output.count("PREVIOUS_NOT_FOUND") == 1 and "宝清县龙头镇人民政府" in result.output
    names = [
        BLANK_NAME.format(org=org, year=2024) for org in ("宝清县青原镇人民政府", "宝清县龙头镇人民政府")
    ]
    assert sorted(p.name for p in (tmp_path / "out").glob("*.xlsx")) == names
    qingyuan = api.check(tmp_path / "out" / names[0])
    assert qingyuan.values["t3_carried_total"] == 0  # 青原镇 carried nothing forward in 2023


def test_check_cli_with_previous(years):
    result = runner.invoke(
        app,
        ["check", str(years / "qingyuan-2024.xlsx"), "--previous", str(years / "2023"), "--format", "json"],
    )
    assert result.exit_code == 1
    found = {(f["code"], f["cell"]) for f in json.loads(result.output)["findings"]}
    assert ("PREV_CARRY", cell("t3_carried_natural")) in found
    bad = runner.invoke(app, ["check", str(years / "qingyuan-2024.xlsx"), "--previous", str(years / "none")])
    assert bad.exit_code == 2 and "FILE_NOT_FOUND" in bad.output


def test_key_figures_this_year_against_last(years):
    this = api.check(years / "qixingpao-2024.xlsx")
    last = api.check(years / "2023" / "qixingpao.xlsx")
    rows = {r.key: r for r in previous.key_figures(this.values, last.values)}
    assert (rows["t3_new_total"].this, rows["t3_new_total"].last, rows["t3_new_total"].change) == (7, 5, 2)
    assert rows["t2_normative_in_force"].row[-1] == "行政规范性文件"
    assert rows["t3_carry_forward_total"].change == 0
    assert all(r.last is None for r in previous.key_figures(this.values, None))


def test_an_unreadable_carry_over_is_reported_once(years, tmp_path):
    data = sample("qixingpao-2024.json")
    data["fields"]["t3_carried_natural"] = "1件"
    report = api.check(api.fill(data, tmp_path / "q.xlsx"), previous=years / "2023").report
    at = [f.code for f in report.findings if f.cell == cell("t3_carried_natural")]
    assert at == ["VALUE_TEXT"]
