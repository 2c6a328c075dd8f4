"""`check`: each bad value, damaged template and broken rule gets its finding at its cell."""

from __future__ import annotations

import datetime
import io
import json
import os
import re
import subprocess
import sys

import openpyxl
import pytest
from typer.testing import CliRunner

from conftest import ORG, YEAR, cell, edit, make, sheet
from xlsreport import api
from xlsreport.cli import app
from xlsreport.errors import InputError
from xlsreport.findingcodes import FINDINGS
from xlsreport.formats import DEFAULT
from xlsreport.reasons import VERSION_ADVICE

runner = CliRunner(env={"COLUMNS": "300"})  # a wide console, so no message wraps inside the table


def codes_at(report) -> set[tuple[str, str]]:
    return {(f.code, f.cell) for f in report.findings if f.severity == "error"}


def test_blank_workbook_has_warnings_only(tmp_path):
    report = api.check(api.blank(ORG, YEAR, tmp_path / "b.xlsx")).report
    assert report.ok and report.errors == 0
    blanks = [f for f in report.findings if f.code == "VALUE_BLANK"]
    assert sorted(f.sheet for f in blanks) == ["表三", "表二", "表四"]  # once per sheet, not per cell
    assert {f.found for f in blanks} == {10, 144, 12}


@pytest.mark.parametrize(
    ("value", "code", "severity"),
    [
        ("3件", "VALUE_TEXT", "error"),
        ("三", "VALUE_TEXT", "error"),
        ("1,200", "VALUE_TEXT", "error"),
        (-2, "VALUE_NEGATIVE", "error"),
        (1.5, "VALUE_FRACTION", "error"),
        (" 3 ", "VALUE_COERCED", "warning"),
        ("３", "VALUE_COERCED", "warning"),
        (True, "VALUE_TEXT", "error"),
    ],
)
def test_bad_count_gets_its_finding_at_its_cell(tmp_path, value, code, severity):
    key = "t3_withheld_1_natural"
    path = edit(make(tmp_path), {(sheet(key), cell(key)): value})
    findings = [f for f in api.check(path).report.findings if f.cell == cell(key) and f.sheet == "表三"]
    assert [(f.code, f.severity) for f in findings if f.code.startswith("VALUE")] == [(code, severity)]
    f = findings[0]
    assert f.row == ("三、本年度办理结果", "（三）不予公开", "1.属于国家秘密") and f.column == (
        "申请人情况",
        "自然人",
    )
    assert f.message.startswith(
        "表三 “三、本年度办理结果 / （三）不予公开 / 1.属于国家秘密” · 自然人（D11）："
    )


def test_coerced_value_counts(tmp_path):
    key = "t3_new_natural"
    path = edit(make(tmp_path, {"t3_granted_natural": 3}), {(sheet(key), cell(key)): "３"})
    assert api.check(path).report.ok  # 3 new, 3 granted: balanced once "３" is read as 3


def test_formula_typed_into_input_cell(tmp_path):
    key = "t4_review_upheld"
    path = edit(make(tmp_path), {(sheet(key), cell(key)): "=1+2"})
    assert ("VALUE_FORMULA", cell(key)) in codes_at(api.check(path).report)


def test_fee_may_have_decimals_but_not_be_negative(tmp_path):
    assert not [
        f
        for f in api.check(make(tmp_path, {"t2_fees_amount": 1.2345})).report.findings
        if f.cell == cell("t2_fees_amount")
    ]
    bad = api.check(make(tmp_path, {"t2_fees_amount": -0.5}, "neg.xlsx")).report
    assert ("VALUE_NEGATIVE", cell("t2_fees_amount")) in codes_at(bad)


def test_total_overwritten_by_a_number(tmp_path):
    key = "t4_review_total"
    path = edit(make(tmp_path, {"t4_review_upheld": 2}), {(sheet(key), cell(key)): 5})
    report = api.check(path).report
    assert codes_at(report) == {("FORMULA_REPLACED", cell(key)), ("T4_TOTAL", cell(key))}
    t4 = next(f for f in report.findings if f.code == "T4_TOTAL")
    assert (t4.found, t4.expected, t4.left, t4.right) == (5, 2, 5, 2)
    assert t4.message == FINDINGS["T4_TOTAL"].template.format(
        where=f"表四 · 总计（{cell(key)}）", found=5, expected=2
    )


def test_unbalanced_column_is_reported_at_its_carry_forward_cell(tmp_path):
    fields = {"t3_new_legal": 2, "t3_carried_legal": 1, "t3_granted_legal": 1, "t3_carry_forward_legal": 1}
    report = api.check(make(tmp_path, fields)).report
    assert codes_at(report) == {
        ("T3_BALANCE", cell("t3_carry_forward_legal")),
        ("T3_BALANCE", cell("t3_carry_forward_total")),
    }
    # in JSON: the cell's own value, what it would need, and the two sides of 一＋二＝三（七）＋四
    legal = next(f.to_dict() for f in report.findings if f.cell == cell("t3_carry_forward_legal"))
    assert {k: legal[k] for k in ("found", "expected", "left", "right")} == {
        "found": 1,
        "expected": 2,
        "left": 3,
        "right": 2,
    }
    assert "之和为3" in legal["message"] and "之和为2" in legal["message"]


def test_changed_label_and_identity(tmp_path):
    path = edit(
        make(tmp_path), {("表三", "C11"): "1.国家秘密", ("基本信息", cell("info_org")): "别的镇人民政府"}
    )
    found = codes_at(api.check(path).report)
    assert ("LABEL_CHANGED", "C11") in found
    assert ("IDENTITY_MISMATCH", cell("info_org")) in found


def test_identity_survives_deleting_the_hidden_sheet(tmp_path):
    path = make(tmp_path)
    wb = openpyxl.load_workbook(path)
    del wb["_xlsreport"]
    wb.save(path)
    assert api.check(path).org == ORG  # recognised by the custom document property


@pytest.mark.parametrize(
    ("make_file", "code"),
    [
        (lambda p: p.write_bytes(b""), "FILE_NOT_WORKBOOK"),
        (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(600)), "FILE_NOT_WORKBOOK"),
        (lambda p: openpyxl.Workbook().save(p), "NOT_TEMPLATE"),
    ],
)
def test_not_our_workbook_exits_2(tmp_path, make_file, code):
    path = tmp_path / "x.xlsx"
    make_file(path)
    before = path.read_bytes()
    with pytest.raises(InputError) as exc:
        api.check(path)
    assert exc.value.code == code
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 2 and code in result.output
    assert "Traceback" not in result.output
    assert path.read_bytes() == before


def test_other_template_version_and_missing_sheet(tmp_path):
    path = make(tmp_path)
    wb = openpyxl.load_workbook(path)
    wb["_xlsreport"]["B2"] = "9"  # a version newer than this program
    wb.save(path)
    with pytest.raises(InputError) as exc:
        api.check(path)
    assert exc.value.code == "TEMPLATE_VERSION"
    assert VERSION_ADVICE["upgrade"] in exc.value.message  # a newer form needs a newer program, not a refill
    wb["_xlsreport"]["B2"] = "0"  # a version no program made: the form is refilled
    wb.save(path)
    with pytest.raises(InputError) as exc:
        api.check(path)
    assert exc.value.code == "TEMPLATE_VERSION" and VERSION_ADVICE["refill"] in exc.value.message
    path2 = make(tmp_path, name="two.xlsx")
    wb = openpyxl.load_workbook(path2)
    wb["表四"].title = "表4"
    wb.save(path2)
    with pytest.raises(InputError) as exc:
        api.check(path2)
    assert exc.value.code == "SHEET_MISSING" and "表四" in exc.value.message


def test_cli_json_shape_and_exit_codes(tmp_path):
    good = make(tmp_path, {"info_filler": "张三"}, "good.xlsx")
    bad = make(tmp_path, {"t3_new_natural": "3件"}, "bad.xlsx")
    one = runner.invoke(app, ["check", "--format", "json", str(good)])
    assert one.exit_code == 0
    data = json.loads(one.stdout)
    assert list(data) == ["file", "ok", "errors", "warnings", "findings"]
    assert list(data["findings"][0]) == [
        "code",
        "severity",
        "sheet",
        "cell",
        "row",
        "column",
        "found",
        "expected",
        "left",
        "right",
        "message",
    ]
    both = runner.invoke(app, ["check", "--format", "json", str(good), str(bad)])
    assert both.exit_code == 1
    assert [d["ok"] for d in json.loads(both.stdout)] == [True, False]
    text = runner.invoke(app, ["check", str(bad)])
    assert text.exit_code == 1 and "VALUE_TEXT" in text.stdout and "3件" in text.stdout


def test_check_never_modifies_its_input(tmp_path):
    path = make(tmp_path, {"t3_new_natural": "3件"})
    before = path.read_bytes()
    runner.invoke(app, ["check", str(path)])
    runner.invoke(app, ["build", "--force", str(path), "-o", str(tmp_path / "r.docx")])
    assert path.read_bytes() == before


def test_usage_errors_are_one_chinese_line_with_a_code_and_exit_2():
    cases = {
        ("build",): "缺少参数 填报表",
        ("check", "--format", "xml", "x.xlsx"): "选项 --format 的值不正确",
        ("nosuch",): "没有命令“nosuch”",
        ("check", "--bogus", "x.xlsx"): "没有选项 --bogus",
        ("blank", "--org"): "选项 --org 后面缺少值",
    }
    for argv, reason in cases.items():
        done = subprocess.run(
            [sys.executable, "-m", "xlsreport", *argv],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "COLUMNS": "300"},
        )
        assert done.returncode == 2, argv
        assert f"[USAGE] {reason}" in done.stderr and "Traceback" not in done.stderr, done.stderr
        assert done.stderr.count("\n") == 1, done.stderr  # one line


def test_shared_strings_read_as_openpyxl_reads_them():
    """The reader's own shared-string parser (for speed) gives what openpyxl gives: runs joined, phonetics dropped."""
    from openpyxl.reader.strings import read_string_table

    from xlsreport.sheetxml import string_table

    xml = (
        '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<si><t>予以公开</t></si>"
        '<si><r><rPr><b/></rPr><t>本年</t></r><r><t xml:space="preserve"> 新收 </t></r>'
        '<rPh sb="0" eb="1"><t>ben</t></rPh></si>'
        "<si><t/></si><si/><si><t>a_x005F_x000B_b</t></si><si><t>=SUM(A1)</t></si></sst>"
    ).encode()
    expected = read_string_table(io.BytesIO(xml))
    assert string_table(io.BytesIO(xml)) == expected
    assert expected[1] == "本年 新收 "


def test_quick_reader_reads_what_openpyxl_reads(tmp_path, seed_fields):
    """The reader parses the zip itself for speed; every cell and label must read as openpyxl reads it,
    in a workbook written by us, saved by openpyxl (inline strings; the 1904 calendar of a Mac Excel, with
    a date typed into a count cell) and saved by LibreOffice."""
    from pathlib import Path

    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    from xlsreport.guard import inspect
    from xlsreport.reader import _read
    from xlsreport.xlsxcells import OpenpyxlBook, QuickPackage

    seed = api.fill({"format": DEFAULT.id, "fields": seed_fields}, tmp_path / "seed.xlsx")
    mac = tmp_path / "mac.xlsx"
    wb = openpyxl.load_workbook(seed)
    wb.epoch = CALENDAR_MAC_1904
    wb[sheet("t3_granted_natural")][cell("t3_granted_natural")] = datetime.datetime(2024, 3, 5)
    wb.save(mac)
    libreoffice = Path(__file__).parent / "data" / "foreign" / "blank-libreoffice.xlsx"
    for path in (seed, mac, libreoffice):
        with QuickPackage(path) as quick:
            fast = _read(quick, str(path), inspect(path))
        slow = _read(OpenpyxlBook(openpyxl.load_workbook(path, read_only=True)), str(path), inspect(path))
        assert fast.cells == slow.cells and fast.labels == slow.labels and fast.identity == slow.identity
        if path == mac:
            assert fast.cells["t3_granted_natural"] == datetime.datetime(2024, 3, 5)


# A worksheet with every kind of cell an office suite writes: numbers, shared and inline strings (runs, a
# phonetic guide, entities), booleans, errors, formula results as text, ISO dates, date-styled serials,
# plain, shared and array formulas, empty values; and a row beyond those wanted.
CELLS = [
    '<c r="A1"><v>7</v></c>',
    '<c r="B1" t="n"><v>2.5E1</v></c>',
    '<c r="C1" s="1"><v>45356</v></c>',
    '<c r="D1" s="2"><v>0.75</v></c>',
    '<c r="E1" t="s"><v>1</v></c>',
    '<c r="F1" t="b"><v>1</v></c>',
    '<c r="G1" t="e"><v>#DIV/0!</v></c>',
    '<c r="H1" t="str"><f>A1&amp;"件"</f><v>7件</v></c>',
    '<c r="I1" t="d"><v>2024-03-05T00:00:00</v></c>',
    '<c r="J1"><v></v></c>',
    '<c r="K1" s="1"/>',
    '<c r="A2"><f t="shared" ref="A2:C2" si="0">SUM(A1:B1)</f><v>32</v></c>',
    '<c r="B2"><f t="shared" si="0"/><v>0</v></c>',
    '<c r="C2"><f t="shared" si="0"/><v>0</v></c>',
    '<c r="D2"><f t="array" ref="D2:D3">A1:A2*2</f><v>14</v></c>',
    '<c r="E2" t="inlineStr"><is><t xml:space="preserve"> 本年 </t></is></c>',
    '<c r="G2" t="inlineStr"/>',
    '<c r="I2" t="s"><v>0</v></c>',
    '<c r="J2" t="inlineStr"><is><t>&lt;&#x41;&#66;&gt; &quot;&apos;</t></is></c>',
]
RICH = [  # rich inline strings: runs and a phonetic guide
    '<c r="F2" t="inlineStr"><is><r><rPr><b/></rPr><t>新</t></r><r><t>收</t></r>'
    '<rPh sb="0" eb="1"><t>xin</t></rPh></is></c>',
    '<c r="H2" t="inlineStr"><is/></c>',
]
STRINGS = ["=SUM(A1)", "予以公开"]
EVERY = {f"{c}{r}": (r, col) for r in (1, 2, 9) for col, c in enumerate("ABCDEFGHIJK", start=1)}


def _sheet(cells: list[str]) -> bytes:
    row1, row2 = ([c for c in cells if re.match(rf'<c r="[A-Z]+{r}"', c)] for r in (1, 2))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        f'<row r="1">{"".join(row1)}</row><row r="2" spans="1:11">{"".join(row2)}</row>'
        '<row r="9"><c r="A9"><v>99</v></c></row></sheetData><mergeCells count="0"/></worksheet>'
    ).encode()


def _openpyxl_cells(xml: bytes, epoch) -> dict[str, object]:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet._reader import WorkSheetParser

    from xlsreport.xlsxcells import raw_value

    parser = WorkSheetParser(
        io.BytesIO(xml), STRINGS, epoch=epoch, date_formats={1, 2}, timedelta_formats={2}
    )
    return {
        f"{get_column_letter(c['column'])}{c['row']}": raw_value(c["value"], c["data_type"])
        for _, row in parser.parse()
        for c in row
    }


def _quick(xml: bytes, wanted=EVERY, epoch=None):
    """The quick reader's cells of `xml`."""
    from openpyxl.utils.datetime import WINDOWS_EPOCH

    from xlsreport.sheetxml import SheetCells

    cells = SheetCells(wanted, STRINGS, epoch or WINDOWS_EPOCH, frozenset({1, 2}), frozenset({2}))
    cells.parse(io.BytesIO(xml))
    return cells.found


def test_cell_reader_reads_every_kind_of_cell_as_openpyxl_does():
    """The quick reader's own cell parser against openpyxl's WorkSheetParser, on both calendars."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH

    from xlsreport.sheetxml import Formula

    every = _sheet(CELLS + RICH)
    for epoch in (WINDOWS_EPOCH, CALENDAR_MAC_1904):
        assert _quick(every, epoch=epoch) == _openpyxl_cells(every, epoch)
    found = _quick(every)
    assert found["C2"] == Formula("=SUM(C1:D1)") and found["F2"] == "新收" and found["J2"] == "<AB> \"'"
    assert found["H2"] == "" and found["G2"] is None and found["E1"] == "予以公开"
    upto_2 = _quick(every, {"A1": (1, 1), "B2": (2, 2)})  # only what is wanted, nothing past its last row
    assert upto_2 == {"A1": 7, "B2": Formula("=SUM(B1:C1)")}


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda x: _sheet(CELLS + RICH), "a rich inline string"),
        (lambda x: x.replace(b'<c r="A1">', b"<!-- a note --><c r='A1'>"), "a comment, an attribute in '"),
        (lambda x: x.replace(b"<v>7\xe4\xbb\xb6</v>", b"<v>7\r\n\xe4\xbb\xb6</v>"), "a carriage return"),
        (lambda x: x.replace(b'<c r="K1" s="1"/>', b'<c r="K1" s="1" ></c>'), "a space in a tag"),
        (lambda x: x.replace(b"<v>32</v>", b"<v>32</v><extLst/>"), "another element in a cell"),
        (lambda x: x.replace(b'<row r="2" spans="1:11">', b"<row>"), "a row without its number"),
    ],
)
def test_cell_reader_reads_any_form_of_a_part_as_openpyxl_does(change, why):
    """Comments, quotes, carriage returns, spaces in tags, other elements: read as openpyxl reads them."""
    from openpyxl.utils.datetime import WINDOWS_EPOCH

    xml = change(_sheet(CELLS))
    assert xml != _sheet(CELLS), why
    assert _quick(xml) == _openpyxl_cells(xml, WINDOWS_EPOCH), why


def test_cell_reader_declines_a_part_rows_out_of_order_or_malformed():
    plain = _sheet(CELLS)
    swapped = plain.replace(b'<row r="1">', b'<row r="3">')
    broken = plain.replace(b"<v>99</v></c></row>", b"<v>99</v></row>")
    for xml in (swapped, broken):
        with pytest.raises(Exception):  # noqa: B017 — ValueError or ExpatError: openpyxl is asked instead
            _quick(xml)
