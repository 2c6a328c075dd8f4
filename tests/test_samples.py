"""The bundled samples check as a clerk would expect, and the demo runs the whole loop."""

from __future__ import annotations

import re
import stat
from pathlib import Path

from docx import Document
from typer.testing import CliRunner

from conftest import LAYOUT, cell, sample
from xlsreport import api
from xlsreport.cli import app
from xlsreport.formats import DEFAULT
from xlsreport.spec import leaves_of
from xlsreport.wording import CHECKED_ERRORS, CHECKED_PASSED, DEMO_BLANK

runner = CliRunner(env={"COLUMNS": "300"})


def _fill(tmp_path, name):
    return api.fill(sample(name), tmp_path / api.sample_name(name))


def test_seed_sample_passes_with_the_seed_report_own_gaps_as_warnings(tmp_path):
    report = api.check(_fill(tmp_path, "xiaochengzi-2024.json")).report
    assert report.ok
    codes = {(f.code, f.cell) for f in report.findings}
    assert ("TEXT_EMPTY", cell("text_request")) in codes  # the published report has no 依申请公开 part
    blanks = {f.sheet: f.found for f in report.findings if f.code == "VALUE_BLANK"}
    assert blanks == {"表二": 2}  # 行政强制 and 行政事业性收费 left blank, as published


def test_consistent_sample_has_no_findings(tmp_path):
    report = api.check(_fill(tmp_path, "qixingpao-2024.json")).report
    assert report.findings == []


def test_mistakes_sample_gets_each_mistake_at_its_cell(tmp_path):
    report = api.check(_fill(tmp_path, "qingyuan-2024.json")).report
    found = {(f.code, f.cell) for f in report.findings}
    assert {
        ("VALUE_TEXT", cell("t3_granted_natural")),
        ("T3_BALANCE", cell("t3_carry_forward_natural")),
        ("T3_BALANCE", cell("t3_carry_forward_total")),
        ("VALUE_COERCED", cell("t4_review_upheld")),
        ("T2_REGULATIONS", cell("t2_regulations_issued")),
        ("INFO_MISSING", cell("info_date")),
        ("TEXT_EMPTY", cell("text_other")),
    } <= found
    assert report.errors == 3


def test_export_then_fill_round_trips(tmp_path):
    first = api.export(_fill(tmp_path, "qingyuan-2024.json"))
    again = api.export(api.fill(first, tmp_path / "again.xlsx"))
    assert again["fields"] == first["fields"]
    assert first["fields"]["t3_granted_natural"] == "3件"  # what cannot be read is exported as found
    assert first["fields"]["t4_review_upheld"] == 2  # "２" is exported as the number it was read as
    assert first["fields"]["t3_new_total"] == 6  # totals recomputed
    assert first["check"]["errors"] == again["check"]["errors"] == 3


def test_fill_rejects_bad_data_with_a_code(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"fields": {"info_org": "某镇人民政府", "info_year": 2024, "t9_nothing": 1}}', encoding="utf-8"
    )
    result = runner.invoke(app, ["fill", str(bad), "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2 and "DATA_INVALID" in result.output and "t9_nothing" in result.output
    assert not (tmp_path / "x.xlsx").exists()


def test_fill_says_where_json_is_broken_in_chinese(tmp_path):
    """Python's JSON parser speaks English; the user is told the line and column in Chinese."""
    from xlsreport.reasons import JSON_ERRORS, reason

    bad = tmp_path / "bad.json"
    bad.write_text('{"fields": {\n  "info_org": "某镇人民政府",\n  "info_year": 2024,,\n}}', encoding="utf-8")
    result = runner.invoke(app, ["fill", str(bad), "-o", str(tmp_path / "x.xlsx")])
    expected = reason(
        "DATA_INVALID",
        "not_json",
        line=3,
        column=21,
        what=JSON_ERRORS["Expecting property name enclosed in double quotes"],
    )
    assert result.exit_code == 2 and "DATA_INVALID" in result.output, result.output
    assert expected in result.output and "Expecting" not in result.output, result.output
    assert not (tmp_path / "x.xlsx").exists()


def test_existing_output_is_refused_unless_overwrite(tmp_path):
    out = tmp_path / "b.xlsx"
    out.write_bytes(b"keep me")
    result = runner.invoke(app, ["blank", "--org", "某镇人民政府", "--year", "2024", "-o", str(out)])
    assert result.exit_code == 2 and "OUTPUT_EXISTS" in result.output
    assert out.read_bytes() == b"keep me"
    assert (
        runner.invoke(
            app, ["blank", "--org", "某镇人民政府", "--year", "2024", "-o", str(out), "--overwrite"]
        ).exit_code
        == 0
    )
    assert api.check(out).org == "某镇人民政府"


def test_outputs_get_the_permissions_of_any_new_file(tmp_path):
    """Written through a private temporary file, the output must not stay private (others in the office read it)."""
    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    out = api.blank("某镇人民政府", 2024, tmp_path / "b.xlsx")
    assert stat.S_IMODE(out.stat().st_mode) == stat.S_IMODE(plain.stat().st_mode)


def test_schema_lists_every_field_with_its_cell_and_name():
    s = api.schema()
    keys = [f["key"] for f in s["fields"]]
    assert len(keys) == len(set(keys)) == 213
    f = next(f for f in s["fields"] if f["key"] == "t3_withheld_3_natural")
    assert f["row"] == ["三、本年度办理结果", "（三）不予公开", "3.危及“三安全一稳定”"]
    assert (f["sheet"], f["cell"], f["name"], f["type"]) == ("表三", "D13", "t3_withheld_3_natural", "count")
    assert {r["code"] for r in s["rules"]} == {"T3_ROW_TOTAL", "T3_COL_TOTAL", "T3_BALANCE", "T4_TOTAL"}


def test_demo_runs_the_whole_loop(tmp_path):
    result = runner.invoke(app, ["demo", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / f"{DEMO_BLANK}.xlsx").is_file()
    assert (tmp_path / "宝清县小城子镇人民政府2024年政府信息公开工作年度报告.docx").is_file()
    returned = tmp_path / "returned"
    assert sorted(str(p.relative_to(returned)) for p in returned.rglob("*.xlsx")) == [
        "2023/qingyuan-2023.xlsx",
        "2023/qixingpao-2023.xlsx",
        "2023/xiaochengzi-2023.xlsx",
        "qingyuan-2024.xlsx",
        "qixingpao-2024.xlsx",
        "xiaochengzi-2024.xlsx",
    ]
    assert CHECKED_ERRORS in result.output and result.output.count(CHECKED_PASSED) == 2


SEED_TEXT = Path(__file__).parent / "data" / "seed-report-xiaochengzi-2024.txt"  # the published report, as is


def _seed_paragraphs() -> list[str]:
    """The narrative paragraphs of the published report: not headings, not table rows."""
    lines = (ln.strip() for ln in SEED_TEXT.read_text(encoding="utf-8").splitlines())
    return [ln for ln in lines if ln.endswith("。") and not ln.startswith("#") and "\t" not in ln]


def test_seed_document_has_every_paragraph_and_table_label_in_order(tmp_path):
    book = _fill(tmp_path, "xiaochengzi-2024.json")
    result = runner.invoke(app, ["build", str(book), "-o", str(tmp_path / "seed.docx")])
    assert result.exit_code == 0, result.output
    doc = Document(tmp_path / "seed.docx")
    paragraphs = [p.text.strip() for p in doc.paragraphs if p.text.strip()]
    seed = _seed_paragraphs()
    assert len(seed) >= 9
    positions = [paragraphs.index(p) for p in seed]  # each seed paragraph is a paragraph of ours…
    assert positions == sorted(positions)  # …in the seed's order
    assert paragraphs[0] == "宝清县小城子镇人民政府\n2024年政府信息公开工作年度报告"  # the name, a line break
    headings = [p for p in paragraphs if p[:2] in {"一、", "二、", "三、", "四、", "五、", "六、"}]
    assert headings == [s.heading for s in DEFAULT.sections]
    cells = [{c.text.strip() for row in t.rows for c in row.cells} for t in doc.tables]
    for table, texts in zip(DEFAULT.tables, cells, strict=True):
        labels = {
            lbl.text
            for lbl in LAYOUT.labels
            if lbl.span.sheet == table.sheet and lbl.role in ("caption", "corner", "header", "stub")
        }
        assert labels <= texts, (table.sheet, labels - texts)


def _row_numbers(table) -> dict[str, list[str]]:
    """Label of each body row → its number cells, read off the docx table as a reader of the page would."""
    out = {}
    for row in table.rows:
        texts = [c.text.strip() for c in row.cells]
        numbers = [t for t in texts if re.fullmatch(r"\d+(\.\d+)?", t)]
        labels = [t for t in texts if t and t not in numbers]
        if numbers and labels:
            out[labels[-1]] = numbers
    return out


def test_every_number_of_a_nonzero_sample_is_in_its_row_and_column(tmp_path):
    book = _fill(tmp_path, "qixingpao-2024.json")
    values = api.export(book)["fields"]
    doc = Document(api.build(book, tmp_path / "q.docx").document)
    t3 = _row_numbers(doc.tables[1])
    for node, path in leaves_of(DEFAULT.table("t3").blocks[0].rows):
        keys = [f.key for f in DEFAULT.table_fields if f.table == "t3" and f.row == path]
        assert t3[node.label] == [str(values[k]) for k in keys], node.label
    t4_numbers = [c.text.strip() for c in doc.tables[2].rows[-1].cells]
    assert t4_numbers == [str(values[f.key]) for f in DEFAULT.table_fields if f.table == "t4"]
    assert t3["（七）总计"][-1] == "7" and values["t3_total_total"] == 7
