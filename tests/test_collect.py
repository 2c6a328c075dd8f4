"""`collect`: a county's folder of returned files in one run, every output checked against what it should hold."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import zipfile
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from typer.testing import CliRunner

from conftest import LAYOUT, YEAR, cell, edit, make, sample, sheet
from xlsreport import api
from xlsreport.cli import app
from xlsreport.collect import FEEDBACK_DIR, REPORTS_DIR, Status, collect
from xlsreport.errors import InputError
from xlsreport.feedback import SHEET as FEEDBACK_SHEET
from xlsreport.formats import DEFAULT
from xlsreport.outputs import MANIFEST
from xlsreport.reader import read_workbook
from xlsreport.wording import (
    ERRORS_NOTE,
    FEEDBACK_SUFFIX,
    LEFT_OUT,
    NOTE_MISSING,
    OVERVIEW_HEADER,
    OVERVIEW_SHEET,
    REMOVED,
    SKIP_PUBLISHED,
    STATUS_HEADER,
    STATUS_SHEET,
    SUMMARY_NAME,
    TITLE,
    TOTAL_OF,
)

runner = CliRunner(env={"COLUMNS": "300"})

XIAO, QIXING = "宝清县小城子镇人民政府", "宝清县七星泡镇人民政府"
FORMULA_BODY = '=HYPERLINK("http://x")镇人民政府'  # a name a spreadsheet would take for a formula
BAD_BODY = "+宝清县错误镇人民政府"
OLD_BODY = "宝清县去年镇人民政府"
MISSING_BODY = "宝清县未交镇人民政府"
BAD_KEY = "t3_granted_natural"


def _fields(name: str, **changes) -> dict:
    return {**sample(name)["fields"], **changes}


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """A folder as a county office receives it, and a roster; collected once (jobs=1) for the tests below."""
    root = tmp_path_factory.mktemp("county")
    inbox = root / "收回"
    (inbox / "第二批").mkdir(parents=True)
    # the same body twice: the older file (by time modified) is reported, the newer used
    older = make(
        inbox, _fields("xiaochengzi-2024.json", t2_licensing_decisions=999), "小城子镇（第一次）.xlsx"
    )
    os.utime(older, (1_700_000_000, 1_700_000_000))
    make(inbox, _fields("xiaochengzi-2024.json"), "小城子镇.xlsx")
    make(inbox / "第二批", _fields("qixingpao-2024.json"), "七星泡镇.xlsx")
    make(
        inbox,
        _fields("qixingpao-2024.json", info_org=FORMULA_BODY, text_other="=1+2 @开头的文字"),
        "公式.xlsx",
    )
    bad = make(inbox, _fields("qixingpao-2024.json", info_org=BAD_BODY), "错误镇.xlsx")
    edit(bad, {(sheet(BAD_KEY), cell(BAD_KEY)): "@3件"})
    make(inbox, _fields("qixingpao-2024.json", info_org=OLD_BODY, info_year=YEAR - 1), "去年.xlsx")
    (inbox / "损坏.xlsx").write_bytes(b"not a workbook at all")
    (inbox / "说明.pdf").write_bytes(b"%PDF-1.4 ...")
    (inbox / "~$小城子镇.xlsx").write_bytes(b"\x00lock")
    (inbox / "第二批" / "通知.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    roster = root / "名单.txt"
    roster.write_text("\n".join([XIAO, QIXING, FORMULA_BODY, BAD_BODY, MISSING_BODY]), encoding="utf-8")
    before = _digest(inbox)
    out = root / "输出"
    result = collect(inbox, out, jobs=1, roster=roster)
    return SimpleNamespace(inbox=inbox, out=out, roster=roster, before=before, result=result)


def by_file(result) -> dict[str, object]:
    return {e.file: e for e in result.entries if e.file}


def test_status_of_every_file(county):
    result = county.result
    status = {f: e.status for f, e in by_file(result).items()}
    assert status == {
        "小城子镇.xlsx": Status.PASSED,
        "小城子镇（第一次）.xlsx": Status.DUPLICATE,
        str(Path("第二批") / "七星泡镇.xlsx"): Status.PASSED,
        "公式.xlsx": Status.PASSED,
        "错误镇.xlsx": Status.ERRORS,
        "去年.xlsx": Status.ERRORS,
        "损坏.xlsx": Status.UNREADABLE,
        "说明.pdf": Status.SKIPPED,
        "~$小城子镇.xlsx": Status.SKIPPED,
        str(Path("第二批") / "通知.doc"): Status.SKIPPED,
    }
    assert result.year == YEAR
    assert result.missing == [MISSING_BODY]
    codes = {
        f: [x.code for x in e.report.findings if x.code.startswith("COLLECT")]
        for f, e in by_file(result).items()
        if e.report
    }
    assert codes["小城子镇（第一次）.xlsx"] == ["COLLECT_DUPLICATE"]
    assert codes["去年.xlsx"] == ["COLLECT_YEAR", "COLLECT_NOT_ON_ROSTER"]
    assert not result.ok


def test_inputs_are_unchanged(county):
    inbox = county.inbox
    before = county.before
    assert _digest(inbox) == before


def test_reports_are_what_build_writes(county, tmp_path):
    inbox = county.inbox
    out = county.out
    result = county.result
    passed = [e for e in result.entries if e.status is Status.PASSED]
    assert len(passed) == 3
    for e in passed:
        [name] = e.outputs
        assert name.startswith(REPORTS_DIR)
        expected = api.build(inbox / e.file, tmp_path / "r.docx", overwrite=True).document.read_bytes()
        assert (out / name).read_bytes() == expected
    # a body's name cannot make a file name outside the output folder, nor a formula
    assert all(out.resolve() in (out / o).resolve().parents for e in result.entries for o in e.outputs)


def test_feedback_marks_exactly_the_findings(county):
    inbox = county.inbox
    out = county.out
    result = county.result
    for file in ("错误镇.xlsx", "去年.xlsx"):
        e = by_file(result)[file]
        [name] = e.outputs
        assert name.startswith(FEEDBACK_DIR) and name.endswith(FEEDBACK_SUFFIX)
        wb = openpyxl.load_workbook(out / name)
        marked, comments = set(), {}
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if c.fill.fgColor.rgb in ("FFFFC7CE", "FFF8CBAD"):
                        marked.add((ws.title, c.coordinate))
                    if c.comment is not None:
                        comments[(ws.title, c.coordinate)] = c.comment.text
        at_cells = {(f.sheet, f.cell) for f in e.report.findings if f.cell}
        assert marked == at_cells and set(comments) == at_cells
        for f in e.report.findings:
            if f.cell:
                assert f.message in comments[(f.sheet, f.cell)]
        listed = list(wb[FEEDBACK_SHEET].iter_rows(min_row=2, values_only=True))
        assert [(r[2], r[3], r[4], r[9]) for r in listed] == [
            (f.code, f.sheet, f.cell, f.message) for f in e.report.findings
        ]
        assert wb.sheetnames[0] == FEEDBACK_SHEET
        listing = wb[FEEDBACK_SHEET]  # printed by a clerk: all columns on one landscape page width
        assert listing.page_setup.orientation == "landscape" and listing.page_setup.paperSize == 9
        assert listing.sheet_properties.pageSetUpPr.fitToPage
        # fitToWidth left out means 1 (ECMA-376 default); fitToHeight 0: as many pages down as needed
        assert (listing.page_setup.fitToWidth or 1, listing.page_setup.fitToHeight) == (1, 0)
        assert listing.print_title_rows == "$1:$1"
    bad = by_file(result)["错误镇.xlsx"].report
    assert ("VALUE_TEXT", cell(BAD_KEY)) in {(f.code, f.cell) for f in bad.findings}
    # what the clerk wrote ("@3件") stays text in the list, never a formula
    wb = openpyxl.load_workbook(out / by_file(result)["错误镇.xlsx"].outputs[0])
    found = [c for row in wb[FEEDBACK_SHEET].iter_rows() for c in row if c.value == "@3件"]
    assert found and all(c.data_type == "s" for c in found)
    # the feedback workbook is still the body's workbook: fixed and sent back, it is checked like any other
    again = api.check(out / by_file(result)["错误镇.xlsx"].outputs[0]).report
    assert again.to_dict()["findings"] == api.check(inbox / "错误镇.xlsx").report.to_dict()["findings"]


def test_summary_totals_are_the_sums_of_the_bodies_that_passed(county):
    inbox = county.inbox
    out = county.out
    result = county.result
    passed = [inbox / e.file for e in result.entries if e.status is Status.PASSED]
    exports = [api.check(p).values for p in passed]
    shown = openpyxl.load_workbook(out / SUMMARY_NAME, data_only=True)
    county_fields = {f.key: shown[sheet(f.key)][cell(f.key)].value for f in DEFAULT.table_fields}
    for f in DEFAULT.table_fields:
        assert county_fields[f.key] == pytest.approx(sum(x[f.key] for x in exports)), f.key
    # the duplicate (999 licensing decisions) is not in the sum
    assert county_fields["t2_licensing_decisions"] < 999
    # and the county's tables hold: every live check ✓
    assert {shown[lc.span.sheet][lc.span.a1].value for lc in LAYOUT.checks} == {"✓"}


def test_summary_status_sheet(county):
    out = county.out
    result = county.result
    wb = openpyxl.load_workbook(out / SUMMARY_NAME)
    assert wb.sheetnames[1] == STATUS_SHEET
    ws = wb[STATUS_SHEET]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == STATUS_HEADER
    table = {(r[0] or r[1]): r for r in rows[1:]}
    passed = by_file(result)["小城子镇.xlsx"]
    assert table["小城子镇.xlsx"][1:6] == (XIAO, YEAR, Status.PASSED, 0, passed.warnings)
    assert table["错误镇.xlsx"][3:5] == (Status.ERRORS, by_file(result)["错误镇.xlsx"].errors)
    assert table["损坏.xlsx"][3] == Status.UNREADABLE
    assert table["小城子镇（第一次）.xlsx"][3] == Status.DUPLICATE
    assert table["说明.pdf"][3] == Status.SKIPPED
    assert table["说明.pdf"][7].startswith(SKIP_PUBLISHED.split("（")[0])  # with its reason and code
    assert table[MISSING_BODY][3] == Status.MISSING
    assert table["公式.xlsx"][1] == FORMULA_BODY
    assert table["去年.xlsx"][2] == YEAR - 1
    assert [r[6] for r in rows[1:] if r[0] == "小城子镇.xlsx"] == [
        by_file(result)["小城子镇.xlsx"].outputs[0]
    ]
    # no cell of the summary is a formula but the template's own totals and checks
    with zipfile.ZipFile(out / SUMMARY_NAME) as z:
        assert not [n for n in ("sheet1", "sheet2") if "<f>" in z.read(f"xl/worksheets/{n}.xml").decode()]


def test_summary_says_what_it_sums_and_what_it_leaves_out(county):
    """汇总.xlsx is the county's total, not a body's workbook: no instructions, no 基本信息 to fill."""
    wb = openpyxl.load_workbook(county.out / SUMMARY_NAME)
    tables = [t.sheet for t in DEFAULT.tables]
    shown = [ws.title for ws in wb if ws.sheet_state == "visible"]  # the live checks' workings are hidden
    assert shown == [OVERVIEW_SHEET, STATUS_SHEET, *tables, DEFAULT.sheets["checks"]]
    rows = list(wb[OVERVIEW_SHEET].iter_rows(values_only=True))
    title = rows[0][0]
    summed = TITLE.format(year=YEAR, tables="、".join(tables), n=3)  # 小城子镇, 七星泡镇, 公式
    assert title == summed + LEFT_OUT.format(n=4)
    assert rows[1] == OVERVIEW_HEADER
    left_out = {r[0] or r[1]: r for r in rows[2:]}
    # errors (one of them last year's workbook), unreadable, not returned
    assert set(left_out) == {BAD_BODY, OLD_BODY, "损坏.xlsx", MISSING_BODY}
    bad = by_file(county.result)["错误镇.xlsx"]
    assert left_out[BAD_BODY][2:] == (Status.ERRORS, ERRORS_NOTE.format(n=bad.errors))
    broken = by_file(county.result)["损坏.xlsx"].report.findings[0]  # why it could not be read
    assert (
        left_out["损坏.xlsx"][2:] == (Status.UNREADABLE, broken.message)
        and broken.code == "FILE_NOT_WORKBOOK"
    )
    assert left_out[MISSING_BODY][2:] == (Status.MISSING, NOTE_MISSING)
    texts = [v for ws in wb for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert not [t for t in texts if "请填写" in t or "浅黄色" in t]
    for t in tables:  # each table says whose total it is where a body's says what to fill
        assert wb[t]["A2"].value == TOTAL_OF.format(n=3), t
    with pytest.raises(InputError) as refused:  # not a body's template: no identity to take it for one
        read_workbook(county.out / SUMMARY_NAME)
    assert refused.value.code == "NOT_TEMPLATE"


def test_findings_json_is_check_json_of_every_file(county):
    inbox = county.inbox
    out = county.out
    result = county.result
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert [d["file"] for d in data] == [str(inbox / e.file) for e in result.entries if e.report]
    good = next(d for d in data if d["file"].endswith("小城子镇.xlsx") and "第一次" not in d["file"])
    assert good == api.check(inbox / "小城子镇.xlsx").report.to_dict() | {"file": good["file"]}
    broken = next(d for d in data if d["file"].endswith("损坏.xlsx"))
    assert broken["ok"] is False and broken["findings"][0]["code"] == "FILE_NOT_WORKBOOK"


def test_cli_rerun_needs_overwrite_and_leaves_nothing_half_written(county, tmp_path):
    inbox = county.inbox
    roster = county.roster
    out = tmp_path / "out"
    first = runner.invoke(
        app, ["collect", str(inbox), "-o", str(out), "--jobs", "2", "--roster", str(roster)]
    )
    assert first.exit_code == 1, first.output
    assert "通过3个" in first.output and "未报送1个" in first.output and MISSING_BODY in first.output
    again = runner.invoke(app, ["collect", str(inbox), "-o", str(out), "--jobs", "1"])
    assert again.exit_code == 2 and "[OUTPUT_EXISTS]" in again.output
    third = runner.invoke(
        app, ["collect", str(inbox), "-o", str(out), "--jobs", "1", "--overwrite", "--roster", str(roster)]
    )
    assert third.exit_code == 1
    assert not [p for p in out.rglob("*") if p.name.startswith(".~xlsreport-")]
    # two processes give the same summary as one
    assert (out / SUMMARY_NAME).read_bytes() == (county.out / SUMMARY_NAME).read_bytes()


def test_cli_all_passing_exits_0_and_missing_folder_2(tmp_path):
    make(tmp_path / "in", _fields("xiaochengzi-2024.json"), "a.xlsx")
    done = runner.invoke(app, ["collect", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--jobs", "1"])
    assert done.exit_code == 0, done.output
    missing = runner.invoke(app, ["collect", str(tmp_path / "nope"), "-o", str(tmp_path / "out")])
    assert missing.exit_code == 2 and "[FOLDER_NOT_FOUND]" in missing.output


def test_year_option_flags_the_others(tmp_path):
    make(tmp_path / "in", _fields("xiaochengzi-2024.json"), "a.xlsx")
    result = collect(tmp_path / "in", tmp_path / "out", jobs=1, year=YEAR + 1)
    [e] = result.entries
    assert e.status is Status.ERRORS and [
        f.code for f in e.report.findings if f.code.startswith("COLLECT")
    ] == ["COLLECT_YEAR"]


def test_interrupted_run_leaves_no_half_written_file(tmp_path, monkeypatch):
    make(tmp_path / "in", _fields("xiaochengzi-2024.json"), "a.xlsx")

    def interrupted(*args, **kwargs):
        args[5].write(b"half a document")
        raise KeyboardInterrupt

    monkeypatch.setattr("xlsreport.collectfile.render_docx", interrupted)
    with pytest.raises(KeyboardInterrupt):
        collect(tmp_path / "in", tmp_path / "out", jobs=1)
    # only the record of an unfinished run that wrote nothing, which the next run continues from
    assert [p.name for p in (tmp_path / "out").rglob("*") if p.is_file()] == [MANIFEST]
    manifest = json.loads((tmp_path / "out" / MANIFEST).read_text())
    assert (manifest["finished"], manifest["files"]) == (False, {}) and SUMMARY_NAME in manifest["pending"]


def test_previous_adds_checks_across_years_and_the_year_over_year_sheet(tmp_path):
    inbox, last = tmp_path / "in", tmp_path / "2023"
    for name in ("xiaochengzi", "qixingpao"):
        make(inbox, _fields(f"{name}-2024.json"), f"{name}.xlsx")
        make(last, sample(f"2023/{name}-2023.json")["fields"], f"{name}.xlsx")
    result = collect(inbox, tmp_path / "out", jobs=1, previous=last)
    expected = api.check_files(sorted(inbox.glob("*.xlsx")), previous=last)
    assert [e.report.to_dict() for e in result.entries] == [r.to_dict() for r in expected]
    wb = openpyxl.load_workbook(tmp_path / "out" / SUMMARY_NAME)
    assert wb.sheetnames[1:3] == ["状态", "同比"]
    rows = list(wb["同比"].iter_rows(values_only=True))
    assert rows[0] == ("机关", "表", "行", "列", "本年", "上年", "增减")
    new_total = [
        r for r in rows[1:] if r[2] == "一、本年新收政府信息公开申请数量" and r[3] == "申请人情况 / 总计"
    ]
    this = {e.org: api.export(inbox / e.file)["fields"]["t3_new_total"] for e in result.entries}
    before = {
        json_org: sample(f"2023/{n}-2023.json")["fields"]
        for n in ("xiaochengzi", "qixingpao")
        for json_org in [sample(f"2023/{n}-2023.json")["fields"]["info_org"]]
    }
    county_row, *body_rows = new_total
    assert county_row[4] == sum(this.values())
    assert {r[0]: r[4] for r in body_rows} == this
    for r in body_rows:
        assert r[6] == r[4] - r[5]
    assert county_row[5] == sum(r[5] for r in body_rows)
    assert set(before) == set(this)


def test_rerun_after_a_correction_removes_the_old_feedback(tmp_path):
    """The township corrects its workbook; re-run with --overwrite, 退回修改 no longer holds its old feedback."""
    inbox, out = tmp_path / "in", tmp_path / "out"
    book = make(inbox, _fields("qixingpao-2024.json"), "a.xlsx")
    edit(book, {(sheet(BAD_KEY), cell(BAD_KEY)): "3件"})
    first = runner.invoke(app, ["collect", str(inbox), "-o", str(out), "--jobs", "1"])
    assert first.exit_code == 1, first.output
    [feedback] = (out / FEEDBACK_DIR).iterdir()
    make(inbox, _fields("qixingpao-2024.json"), "a.xlsx")  # the corrected file, sent again
    again = runner.invoke(app, ["collect", str(inbox), "-o", str(out), "--jobs", "1", "--overwrite"])
    assert again.exit_code == 0, again.output
    assert list((out / FEEDBACK_DIR).iterdir()) == [] and len(list((out / REPORTS_DIR).iterdir())) == 1
    assert REMOVED.format(n=1, files=f"{FEEDBACK_DIR}/{feedback.name}") in again.output


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_published_report_is_read_once(tmp_path, jobs):
    """Pass 1 reads a published report whole to learn its body and year; pass 2 checks what pass 1 read
    (a PDF takes 40–90 ms to read): the files are gone before pass 2 starts, and still checked."""
    data = Path(__file__).parent / "data"
    inbox = tmp_path / "in"
    inbox.mkdir()
    pdfs = [
        shutil.copy(data / "hongze-district-2024.pdf", inbox / "hongze.pdf"),
        shutil.copy(data / "published" / "huaian-city-2024.pdf", inbox / "huaian.pdf"),
    ]
    expected = {Path(p).name: api.check(p).report.to_dict() for p in pdfs}
    stages: list[str] = []

    def progress(stage: str, done: int, total: int) -> None:
        if stage not in stages:
            stages.append(stage)
            if len(stages) == 2:  # the second pass begins
                for p in pdfs:
                    os.remove(p)

    result = collect(inbox, tmp_path / "out", jobs=jobs, progress=progress)
    assert len(stages) == 2 and not any(inbox.iterdir())
    assert {e.file: e.report.to_dict() for e in result.entries} == expected
    assert {e.file: str(e.status) for e in result.entries} == {"hongze.pdf": "通过", "huaian.pdf": "通过"}
