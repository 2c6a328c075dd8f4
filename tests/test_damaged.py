"""Our template damaged, odd values, and files saved by other programs: each gets its finding or its stop."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import docx
import openpyxl
import pytest
from openpyxl.packaging.custom import CustomPropertyList, StringProperty
from typer.testing import CliRunner

from conftest import ORG, YEAR, cell, edit, make, sheet
from xlsreport import api, office
from xlsreport.cli import app
from xlsreport.collect import Status, collect
from xlsreport.errors import FATAL, InputError
from xlsreport.findingcodes import FINDINGS
from xlsreport.findings import Finding
from xlsreport.formats import DEFAULT
from xlsreport.layout import layout_of
from xlsreport.reader import read_identity
from xlsreport.reasons import reason
from xlsreport.validate import MAX_NUMBER
from xlsreport.workbook import identity

runner = CliRunner(env={"COLUMNS": "2000"})
FOREIGN = Path(__file__).parent / "data" / "foreign"
LAY = layout_of(DEFAULT)


def check_json(path: Path) -> tuple[int, dict]:
    done = runner.invoke(app, ["check", "--format", "json", str(path)])
    return done.exit_code, json.loads(done.stdout)


def expected(code: str, key: str, found=None, expected=None) -> str:
    """The message of a finding at field `key`, rendered from the catalogue."""
    f = DEFAULT.fields[key]
    span = LAY.cells[key]
    return Finding.make(code, span.sheet, span.a1, f.row, f.column, found, expected).message


def resave(path: Path, change) -> Path:
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)
    return path


# ---------------------------------------------------------------- the template, damaged
def test_sheet_deleted_or_renamed_stops(tmp_path):
    for i, change in enumerate(
        (lambda wb: wb.remove(wb["表三"]), lambda wb: setattr(wb["表三"], "title", "表3"))
    ):
        path = resave(make(tmp_path, name=f"{i}.xlsx"), change)
        before = path.read_bytes()
        with pytest.raises(InputError) as exc:
            api.check(path)
        message = FATAL["SHEET_MISSING"].template.format(path=path, sheet="表三")
        assert (exc.value.code, exc.value.message) == ("SHEET_MISSING", message)
        code, data = check_json(path)
        assert code == 2 and data["findings"][0]["message"] == message
        assert path.read_bytes() == before


def test_a_sheet_added_is_accepted_silently(tmp_path):
    """A township may keep its own workings on an extra sheet: nothing of ours moved, so nothing to report."""
    book = make(tmp_path, {"t3_new_natural": 2, "t3_granted_natural": 2})
    before = api.check(book).report.to_dict()["findings"]
    resave(book, lambda wb: wb.create_sheet("我的草稿").append(["草稿", 123]))
    code, data = check_json(book)
    assert code == 0 and data["findings"] == before


@pytest.mark.parametrize("insert", ["rows", "cols"])
def test_rows_or_columns_inserted_are_label_errors(tmp_path, insert):
    path = resave(
        make(tmp_path, {"t3_new_natural": 2}),
        lambda wb: wb["表三"].insert_rows(9) if insert == "rows" else wb["表三"].insert_cols(5),
    )
    code, data = check_json(path)
    changed = [f for f in data["findings"] if f["code"] == "LABEL_CHANGED" and f["sheet"] == "表三"]
    assert code == 1 and changed
    f = changed[0]
    assert f["message"] == FINDINGS["LABEL_CHANGED"].template.format(
        where=f"表三（{f['cell']}）", found=f["found"], expected=f["expected"]
    )
    # a moved table is not added up: no rule finding could point at the right cell
    assert not [f for f in data["findings"] if f["code"].startswith("T3_")]


def test_label_edited(tmp_path):
    path = edit(make(tmp_path), {("表三", "C11"): "1.国家秘密"})
    code, data = check_json(path)
    (f,) = [f for f in data["findings"] if f["code"] == "LABEL_CHANGED"]
    assert code == 1 and f["cell"] == "C11"
    assert f["message"] == FINDINGS["LABEL_CHANGED"].template.format(
        where="表三（C11）", found="1.国家秘密", expected="1.属于国家秘密"
    )


def test_protection_removed_and_formula_overwritten(tmp_path):
    key = "t4_review_total"

    def unprotect_and_type(wb):
        wb["表四"].protection.sheet = False
        wb["表四"][cell(key)] = 7

    path = resave(make(tmp_path, {"t4_review_upheld": 2}), unprotect_and_type)
    assert not openpyxl.load_workbook(path)["表四"].protection.sheet
    code, data = check_json(path)
    messages = {f["code"]: f["message"] for f in data["findings"] if f["cell"] == cell(key)}
    assert code == 1 and set(messages) == {"FORMULA_REPLACED", "T4_TOTAL"}
    assert messages["FORMULA_REPLACED"].startswith(expected("FORMULA_REPLACED", key, 7).split("，")[0])
    assert messages["T4_TOTAL"] == expected("T4_TOTAL", key, 7, 2)


def test_defined_names_deleted_is_a_warning(tmp_path):
    def drop_names(wb):
        for name in list(wb.defined_names):
            del wb.defined_names[name]

    path = resave(make(tmp_path, {"t3_new_natural": 2, "t3_granted_natural": 2}), drop_names)
    code, data = check_json(path)
    (f,) = [f for f in data["findings"] if f["code"] == "NAMES_MISSING"]
    first = next(iter(LAY.cells))
    assert code == 0 and f["severity"] == "warning"
    assert f["message"] == FINDINGS["NAMES_MISSING"].template.format(found=len(LAY.cells), expected=first)


def test_identity_sheet_deleted_then_the_property_too(tmp_path):
    path = resave(make(tmp_path), lambda wb: wb.remove(wb["_xlsreport"]))
    assert api.check(path).org == ORG  # the custom document property still says who it is

    def drop_property(wb):
        wb.custom_doc_props = CustomPropertyList()

    resave(path, drop_property)
    message = FATAL["NOT_TEMPLATE"].template.format(path=path, reason=reason("NOT_TEMPLATE", "no_identity"))
    code, data = check_json(path)
    assert code == 2 and (data["findings"][0]["code"], data["findings"][0]["message"]) == (
        "NOT_TEMPLATE",
        message,
    )


def test_identity_damaged(tmp_path):
    path = edit(make(tmp_path), {("_xlsreport", "B4"): "二〇二四"})
    code, data = check_json(path)
    message = FATAL["NOT_TEMPLATE"].template.format(
        path=path, reason=reason("NOT_TEMPLATE", "damaged_identity")
    )
    assert code == 2 and data["findings"][0]["message"] == message


def _set_property(value: str):
    def change(wb):
        wb.custom_doc_props = CustomPropertyList()
        wb.custom_doc_props.append(StringProperty(name="xlsreport", value=value))

    return change


def test_identity_property_cut_short_falls_back_to_the_sheet(tmp_path):
    """Excel may cut a long property short on save; the hidden sheet then says who the file is for, in
    collect's first pass (which reads the property when it is whole) as in the check."""
    whole = json.dumps(identity(DEFAULT, ORG, YEAR), ensure_ascii=False, sort_keys=True)
    for i, value in enumerate((whole[:40], json.dumps({"format": DEFAULT.id, "org": ORG}))):
        path = resave(make(tmp_path, name=f"{i}.xlsx"), _set_property(value))
        assert read_identity(path)["org"] == ORG and read_identity(path)["year"] == str(YEAR)
        assert check_json(path)[0] == 0


def test_identity_sheet_and_property_disagree(tmp_path):
    """The hidden sheet edited to say another body or year while the property still says this one: which
    body and year the file is for cannot be told, so it is refused, not checked under either."""
    other = dict(identity(DEFAULT, ORG, YEAR), org="宝清县七星泡镇人民政府")
    path = resave(make(tmp_path), _set_property(json.dumps(other, ensure_ascii=False)))
    assert read_identity(path)["org"] == "宝清县七星泡镇人民政府"  # the first pass reads the property
    code, data = check_json(path)
    message = FATAL["NOT_TEMPLATE"].template.format(
        path=path, reason=reason("NOT_TEMPLATE", "damaged_identity")
    )
    assert code == 2 and data["findings"][0]["message"] == message
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(path, folder / "a.xlsx")
    result = collect(folder, tmp_path / "out", jobs=1)
    (entry,) = result.entries
    assert entry.status == Status.UNREADABLE and entry.report.findings[0].message == message.replace(
        str(path), str(folder / "a.xlsx")
    )


def test_another_year(tmp_path):
    """The year travels with the workbook: a 2023 workbook is read as 2023's, and cannot be passed off as 2024's."""
    path = api.blank(ORG, 2023, tmp_path / "2023.xlsx")
    checked = api.check(path)
    assert checked.year == 2023 and checked.report.ok
    out = tmp_path / "r.docx"
    assert runner.invoke(app, ["build", str(path), "-o", str(out)]).exit_code == 0
    assert "2023年" in docx.Document(out).core_properties.title
    edit(path, {("基本信息", cell("info_year")): 2024})
    code, data = check_json(path)
    (f,) = [f for f in data["findings"] if f["code"] == "IDENTITY_MISMATCH"]
    assert code == 1 and f["message"] == expected("IDENTITY_MISMATCH", "info_year", "2024", "2023")


@pytest.mark.parametrize(("row", "value"), [("B1", "national_2019"), ("B2", "9"), ("B5", "0123456789abcdef")])
def test_another_format_or_version(tmp_path, row, value):
    path = edit(make(tmp_path), {("_xlsreport", row): value})
    with pytest.raises(InputError) as exc:
        api.check(path)
    assert exc.value.code == "TEMPLATE_VERSION"
    assert value in exc.value.fields["found"] and exc.value.fields["path"] == str(path)
    assert exc.value.message == FATAL["TEMPLATE_VERSION"].template.format(**exc.value.fields)
    code, data = check_json(path)
    assert code == 2 and data["findings"][0]["code"] == "TEMPLATE_VERSION"


def test_identity_claims_another_body(tmp_path):
    path = edit(make(tmp_path), {("基本信息", cell("info_org")): "宝清县七星泡镇人民政府"})
    code, data = check_json(path)
    (f,) = [f for f in data["findings"] if f["code"] == "IDENTITY_MISMATCH"]
    assert code == 1 and f["message"] == expected(
        "IDENTITY_MISMATCH", "info_org", "宝清县七星泡镇人民政府", ORG
    )
    done = runner.invoke(app, ["build", str(path), "-o", str(tmp_path / "r.docx")])
    assert done.exit_code == 1 and "[BUILD_HAS_ERRORS]" in done.output


# ---------------------------------------------------------------- values
COUNT_VALUES = [  # (field, value written, code, found as reported, expected as reported)
    ("t3_withheld_1_natural", "三", "VALUE_TEXT", "三", None),
    ("t3_withheld_2_natural", "3件", "VALUE_TEXT", "3件", None),
    ("t3_withheld_3_natural", "1,200", "VALUE_TEXT", "1,200", None),
    ("t3_withheld_4_natural", "3.0", "VALUE_COERCED", "3.0", 3),
    ("t3_withheld_5_natural", " ３ ", "VALUE_COERCED", " ３ ", 3),
    ("t3_withheld_6_natural", -2, "VALUE_NEGATIVE", -2, None),
    ("t3_withheld_7_natural", 1.5, "VALUE_FRACTION", 1.5, None),
    ("t3_withheld_8_natural", "=1+2", "VALUE_FORMULA", "=1+2", None),
    ("t3_unable_1_natural", "#N/A", "VALUE_TEXT", "#N/A", None),
    ("t3_unable_2_natural", "#DIV/0!", "VALUE_TEXT", "#DIV/0!", None),
    ("t3_unable_3_natural", datetime(2024, 3, 1), "VALUE_TEXT", "2024-03-01", None),
    ("t3_refused_1_natural", True, "VALUE_TEXT", "TRUE", None),
    ("t3_refused_2_natural", 1e20, "VALUE_TOO_LARGE", 10**20, MAX_NUMBER),
]


def test_every_odd_value_gets_its_finding(tmp_path):
    path = edit(make(tmp_path), {(sheet(k), cell(k)): v for k, v, *_ in COUNT_VALUES})
    ws = openpyxl.load_workbook(path)["表三"]
    assert ws[cell("t3_unable_1_natural")].data_type == "e"  # a real error value, as Excel stores it
    before = path.read_bytes()
    code, data = check_json(path)
    assert code == 1
    at = {}
    for f in data["findings"]:
        at.setdefault(f["cell"], []).append(f)
    for key, _, want, found, exp in COUNT_VALUES:
        (f,) = [f for f in at[cell(key)] if f["code"].startswith("VALUE_")]
        assert (f["code"], f["message"]) == (want, expected(want, key, found, exp)), key
    assert path.read_bytes() == before


def test_fee_with_eight_decimals_is_kept(tmp_path):
    path = make(tmp_path, {"t2_fees_amount": 1.23456789})
    checked = api.check(path)
    assert checked.values["t2_fees_amount"] == 1.23456789 and checked.report.ok
    assert not [f for f in checked.report.findings if f.cell == cell("t2_fees_amount")]


TEXTS = {
    "text_overview": "第一行\x0b第二行\x01结束",  # pasted from Word: a line break and a control character
    "text_active": "主动公开😀🏛️完成",
    "text_request": "长" * 30_000,
    "text_management": " \n\t　 ",  # only white space, ideographic space included
}


def test_narrative_oddities(tmp_path):
    path = make(tmp_path, TEXTS)
    checked = api.check(path)
    assert checked.texts["overview"] == "第一行\x0b第二行\x01结束"
    code, data = check_json(path)
    (empty,) = [
        f for f in data["findings"] if f["code"] == "TEXT_EMPTY" and f["cell"] == cell("text_management")
    ]
    assert code == 0 and empty["message"] == expected("TEXT_EMPTY", "text_management")
    out = tmp_path / "r.docx"
    assert runner.invoke(app, ["build", str(path), "-o", str(out)]).exit_code == 0
    paras = [p.text for p in docx.Document(out).paragraphs]
    assert "第一行" in paras and "第二行结束" in paras  # \x0b breaks the line, \x01 is dropped
    assert not any(ch in p for p in paras for ch in "\x0b\x01")
    assert any("主动公开😀🏛️完成" in p for p in paras)
    assert "长" * 30_000 in paras


# ---------------------------------------------------------------- files saved by other programs
def _same_checks(a: Path, b: Path) -> None:
    ra, rb = api.check(a), api.check(b)
    strip = lambda r: [(f.code, f.sheet, f.cell, f.found) for f in r.report.findings]  # noqa: E731
    assert strip(ra) == strip(rb) and ra.values == rb.values and (ra.org, ra.year) == (rb.org, rb.year)


def _protected_with_identity(path: Path) -> None:
    wb = openpyxl.load_workbook(path)
    assert all(ws.protection.sheet for ws in wb.worksheets)
    assert wb["_xlsreport"].sheet_state == "hidden" and wb["_xlsreport"]["B3"].value == ORG
    assert any(p.name == "xlsreport" for p in wb.custom_doc_props)


def test_blank_saved_by_libreoffice(tmp_path):
    """tests/data/foreign/blank-libreoffice.xlsx: our blank, opened and saved by LibreOffice 7.4."""
    path = tmp_path / "lo.xlsx"
    shutil.copyfile(FOREIGN / "blank-libreoffice.xlsx", path)
    _protected_with_identity(path)
    _same_checks(path, api.blank(ORG, YEAR, tmp_path / "ours.xlsx"))
    code, data = check_json(path)
    assert code == 0 and not [f for f in data["findings"] if f["code"] == "NAMES_MISSING"]


@pytest.mark.libreoffice
def test_blank_saved_by_the_libreoffice_at_hand(tmp_path):
    if office.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    ours = api.blank(ORG, YEAR, tmp_path / "ours.xlsx")
    (saved,) = office.convert([ours], "xlsx", tmp_path / "lo")
    _protected_with_identity(saved)
    _same_checks(saved, ours)


def test_saved_by_openpyxl_cached_values_emptied(tmp_path, seed_fields):
    ours = api.fill({"format": DEFAULT.id, "fields": seed_fields}, tmp_path / "ours.xlsx")
    saved = tmp_path / "openpyxl.xlsx"
    shutil.copyfile(ours, saved)
    resave(saved, lambda wb: None)
    total = cell("t3_total_total")
    assert openpyxl.load_workbook(ours, data_only=True)["表三"][total].value is not None
    assert openpyxl.load_workbook(saved, data_only=True)["表三"][total].value is None  # cache gone
    _same_checks(saved, ours)
    assert api.check(saved).report.ok
