"""One edit to the format's declaration, and every output follows: the national format with a ninth reason
under 表三（三）不予公开, made by editing formats/national_2021.py in a copy of the package and nothing else,
then blank → fill → check → build → collect run on it (in a process that imports the copy)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import openpyxl
import pytest

from xlsreport.wording import SUMMARY_NAME

ROOT = Path(__file__).resolve().parent.parent
REASON = "9.属于新增的不予公开情形"
KEY = "t3_withheld_9_natural"
EDIT = ('"8.属于行政查询事项",', f'"8.属于行政查询事项",\n"{REASON}",')

# Run in the edited copy: every step through the public API, what it says printed as JSON.
SCRIPT = r"""
import json, sys
from pathlib import Path
from xlsreport import api
from xlsreport.collect import collect
from xlsreport.formats import DEFAULT
from xlsreport.generated import request_paragraph
from xlsreport.layout import layout_of
from xlsreport.narrative import check_texts

out, key = Path(sys.argv[1]), sys.argv[2]
lay = layout_of(DEFAULT)
org, year = "宝清县小城子镇人民政府", 2024
fields = {k: 0 for k in (f.key for f in DEFAULT.inputs)}
fields.update({"info_org": org, "info_year": year, "t3_new_natural": 5, "t3_withheld_1_natural": 1,
               key: 2, "t3_granted_natural": 2, "text_other": "本年度未收取信息处理费。"})
api.blank(org, year, out / "blank.xlsx")
api.fill({"format": DEFAULT.id, "fields": fields}, out / "in" / "good.xlsx")
api.fill({"format": DEFAULT.id, "fields": {**fields, key: "3件"}}, out / "bad.xlsx")
good, bad = api.check(out / "in" / "good.xlsx"), api.check(out / "bad.xlsx")
api.build(out / "in" / "good.xlsx", out / "good.docx", auto_summary=True)
collect(out / "in", out / "collected", jobs=1)
values = good.values
said = lambda text: [f.code for f in check_texts(DEFAULT, org, year, values, {"request": text})]
row_checks = [lc for lc in lay.checks if key in lc.inputs or (lc.check and key in lc.check.right)]
print(json.dumps({
    "cell": [lay.cells[key].sheet, lay.cells[key].a1],
    "total": lay.cells["t3_total_natural"].a1,
    "verdicts": [[lc.span.sheet, lc.span.a1, lc.rule] for lc in row_checks],
    "rules": sorted({c.rule for r in DEFAULT.rules for c in r.checks if key in (*c.left, *c.right)}),
    "good": good.report.to_dict(), "bad": bad.report.to_dict(), "values": values,
    "paragraph": request_paragraph(values, year, DEFAULT),
    "right_total": said("依申请不予公开3件。"), "wrong_total": said("依申请不予公开1件。"),
}, ensure_ascii=False))
"""


@pytest.fixture(scope="module")
def variant(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("variant")
    shutil.copytree(ROOT / "src" / "xlsreport", tmp / "src" / "xlsreport")
    declaration = tmp / "src" / "xlsreport" / "formats" / "national_2021.py"
    text = declaration.read_text(encoding="utf-8")
    assert text.count(EDIT[0]) == 1
    declaration.write_text(text.replace(*EDIT), encoding="utf-8")  # the one edit
    (tmp / "out").mkdir()
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp / "out"), KEY],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(tmp / "src"), "PATH": "/usr/bin:/bin"},
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    return tmp / "out", json.loads(run.stdout)


def test_the_workbook_has_the_row_its_totals_and_its_live_checks(variant):
    out, said = variant
    sheet, a1 = said["cell"]
    ws = openpyxl.load_workbook(out / "blank.xlsx")[sheet]
    row = ws[a1].row
    assert REASON in [c.value for c in ws[row]]  # its label, on its row
    assert not ws[a1].protection.locked  # filled by the township
    first, last = re.fullmatch(r"=SUM\(D(\d+):D(\d+)\)", ws[said["total"]].value).groups()
    assert int(first) < row < int(last)  # （七）总计 sums it
    assert {r for _, _, r in said["verdicts"]} == {"VALUES", "T3_ROW_TOTAL", "T3_COL_TOTAL"}
    assert said["rules"] == ["T3_COL_TOTAL", "T3_ROW_TOTAL"]
    # the live checks on its row, as written with their results: ✓ when filled well, ✗ for 3件
    good = openpyxl.load_workbook(out / "in" / "good.xlsx", data_only=True)
    bad = openpyxl.load_workbook(out / "bad.xlsx", data_only=True)
    for s, at, rule in said["verdicts"]:
        assert good[s][at].value == "✓"
        assert bad[s][at].value == ("✗" if rule == "VALUES" else "✓"), rule


def test_check_reads_and_judges_the_row(variant):
    _, said = variant
    assert said["good"]["ok"] and said["values"]["t3_total_natural"] == 5
    assert said["values"]["t3_withheld_9_total"] == 2
    (f,) = [f for f in said["bad"]["findings"] if f["code"] == "VALUE_TEXT"]
    assert [f["sheet"], f["cell"]] == said["cell"] and f["row"][-1] == REASON


def test_the_report_prints_the_row_built_and_collected(variant):
    out, _ = variant
    (collected,) = (out / "collected").rglob("*.docx")
    for path in (out / "good.docx", collected):
        rows = [[c.text for c in r.cells] for t in docx.Document(path).tables for r in t.rows]
        (row,) = [r for r in rows if REASON in r]
        assert row[-7:] == ["2", "0", "0", "0", "0", "0", "2"]
    summed = openpyxl.load_workbook(out / "collected" / SUMMARY_NAME)["表三"]
    (row,) = [r for r in summed.iter_rows(values_only=True) if REASON in r]
    assert 2 in row


def test_the_generated_paragraph_counts_the_row(variant):
    out, said = variant
    assert "不予公开3件" in said["paragraph"]
    paragraphs = [p.text for p in docx.Document(out / "good.docx").paragraphs]
    assert any("不予公开3件" in p for p in paragraphs)


def test_a_text_stating_the_right_total_is_not_questioned(variant):
    _, said = variant
    assert "TEXT_FIGURE" not in said["right_total"]
    assert "TEXT_FIGURE" in said["wrong_total"]
