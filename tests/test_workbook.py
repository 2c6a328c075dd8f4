"""The blank workbook a township receives: official labels, locks, formulas with right cached values."""

from __future__ import annotations

import hashlib

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from conftest import LAYOUT, ORG, YEAR, cell, make
from xlsreport import api
from xlsreport.formats import DEFAULT
from xlsreport.live import EXCEL_FORMULA_LIMIT
from xlsreport.rules import compute
from xlsreport.wording import BLANK_NAME

# Copied by hand from the national format page (国办公开办函〔2021〕30号), not from our spec.
T3_ROWS = [
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "三、本年度办理结果",
    "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "（三）不予公开",
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
    "（四）无法提供",
    "1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确",
    "（五）不予处理",
    "1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "（六）其他处理",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
    "（七）总计",
    "四、结转下年度继续办理",
]
T3_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T4_HEADERS = ["行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉"] + [
    "结果维持",
    "结果纠正",
    "其他结果",
    "尚未审结",
    "总计",
] * 3


@pytest.fixture(scope="module")
def blank(tmp_path_factory):
    path = tmp_path_factory.mktemp("blank") / "blank.xlsx"
    api.blank(ORG, YEAR, path)
    return path


def _merged_text(ws):
    """Text of each merged range's top-left cell, in reading order of the range starts."""
    return {str(r): ws.cell(r.min_row, r.min_col).value for r in ws.merged_cells.ranges}


def test_sheets_in_order_with_identity_hidden(blank):
    wb = openpyxl.load_workbook(blank)
    assert wb.sheetnames == [
        "填报说明",
        "基本信息",
        "表二",
        "表三",
        "表四",
        "文字部分",
        "校验结果",
        "_checks",  # the live checks' workings
        "_xlsreport",
    ]
    assert wb["_xlsreport"].sheet_state == wb["_checks"].sheet_state == "hidden"
    ident = {r[0]: r[1] for r in wb["_xlsreport"].iter_rows(values_only=True)}
    assert ident["org"] == ORG and ident["year"] == str(YEAR) and ident["format"] == "national-2021"
    props = {p.name: p.value for p in wb.custom_doc_props}
    assert '"org": "宝清县小城子镇人民政府"' in props["xlsreport"]


def test_table3_stub_labels_are_the_official_ones_in_order(blank):
    ws = openpyxl.load_workbook(blank)["表三"]
    stub = []
    for row in ws.iter_rows(min_row=7, max_row=31, max_col=3):
        stub += [c.value for c in row if isinstance(c.value, str)]
    assert stub == T3_ROWS
    merged = _merged_text(ws)
    assert merged["A4:C6"] == T3_CORNER
    assert merged["D4:J4"] == "申请人情况"  # over all seven columns
    assert merged["E5:I5"] == "法人或其他组织"
    assert merged["D5:D6"] == "自然人" and merged["J5:J6"] == "总计"
    assert merged["A9:A30"] == "三、本年度办理结果"
    assert merged["B11:B18"] == "（三）不予公开"


def test_table4_and_table2_headers(blank):
    wb = openpyxl.load_workbook(blank)
    ws4 = wb["表四"]
    headers = [c.value for row in ws4.iter_rows(min_row=4, max_row=6, max_col=15) for c in row if c.value]
    assert sorted(headers) == sorted(T4_HEADERS)
    merged = _merged_text(ws4)
    assert merged["A4:E5"] == "行政复议" and merged["F4:O4"] == "行政诉讼"
    ws2 = wb["表二"]
    col_a = [ws2.cell(r, 1).value for r in range(4, 18)]
    for label in [
        "第二十条第（一）项",
        "规章",
        "行政规范性文件",
        "第二十条第（五）项",
        "行政许可",
        "行政处罚",
        "行政强制",
    ]:
        assert label in col_a
    assert "本年收费金额（单位：万元）" in _merged_text(ws2).values()


def test_every_sheet_protected_only_inputs_unlocked_and_named(blank):
    wb = openpyxl.load_workbook(blank)
    for ws in wb.worksheets:
        assert ws.protection.sheet, ws.title
    names = wb.defined_names
    for f in DEFAULT.fields.values():
        span = LAYOUT.cells[f.key]
        c = wb[span.sheet][span.a1]
        assert names[f.key].attr_text == f"'{span.sheet}'!${span.a1.rstrip('0123456789')}${span.row + 1}"
        editable = not f.computed and not f.locked
        assert c.protection.locked is not editable, f.key
        if editable:
            assert c.fill.fgColor.rgb.endswith("FFF2CC"), f.key
    assert wb["表三"]["A7"].protection.locked


def test_inputs_have_data_validation(blank):
    """Every cell the body types a number into has exactly one rule, whole numbers for counts and decimals
    for money, and no other cell has one (the rules cover several ranges each)."""
    wb = openpyxl.load_workbook(blank)
    ws = wb["表三"]
    (dv,) = [d for d in ws.data_validations.dataValidation if cell("t3_withheld_1_natural") in d.sqref]
    assert (dv.type, dv.operator, dv.formula1) == ("whole", "greaterThanOrEqual", "0")
    assert "整数" in dv.error
    kinds = {"count": "whole", "amount": "decimal"}
    inputs = {
        (LAYOUT.cells[f.key].sheet, LAYOUT.cells[f.key].a1): kinds[f.kind.value]
        for f in DEFAULT.fields.values()
        if f.kind.value in kinds and not f.computed and not f.locked
    }
    covered = {}
    for ws in wb:
        for d in ws.data_validations.dataValidation:
            for r, c in (rc for rng in d.sqref.ranges for rc in rng.cells):
                assert (ws.title, f"{get_column_letter(c)}{r}") not in covered
                covered[ws.title, f"{get_column_letter(c)}{r}"] = d.type
    assert covered == inputs and "decimal" in covered.values()


def test_live_checks_turn_red_and_green(blank):
    """Each live check cell is under the two conditional formats: red on ✗, green on ✓."""
    wb = openpyxl.load_workbook(blank)
    for lc in (*LAYOUT.checks, *LAYOUT.check_rows):
        span = lc.span if hasattr(lc, "span") else lc
        rules = {
            r.formula[0]: r.dxfId
            for cf in wb[span.sheet].conditional_formatting
            if span.a1 in cf.sqref
            for r in cf.rules
        }
        assert rules.keys() == {'"✓"', '"✗"'}, span
        assert rules['"✗"'] != rules['"✓"'], span  # two different formats


def test_totals_are_formulas_with_right_cached_results(tmp_path):
    fields = {
        "t3_new_natural": 4,
        "t3_new_legal": 2,
        "t3_granted_natural": 3,
        "t3_refused_2_legal": 2,
        "t4_direct_pending": 2,
    }
    path = make(tmp_path, fields)
    formulas = openpyxl.load_workbook(path)
    cached = openpyxl.load_workbook(path, data_only=True)
    assert formulas["表三"][cell("t3_new_total")].value == "=SUM(D7:I7)"
    assert formulas["表三"][cell("t3_total_natural")].value == "=SUM(D9:D29)"
    assert cached["表三"][cell("t3_new_total")].value == 6
    assert cached["表三"][cell("t3_total_total")].value == 5
    assert cached["表四"][cell("t4_direct_total")].value == 2
    # one column out of balance: natural 4 ≠ 3 and so the 总计 column too
    live = [cached[lc.span.sheet][lc.span.a1].value for lc in LAYOUT.checks]
    assert live.count("✗") == 2
    assert cached["校验结果"][LAYOUT.failing.a1].value == 2
    values = compute(DEFAULT, fields)
    assert all(
        cached[LAYOUT.cells[k].sheet][LAYOUT.cells[k].a1].value == values[k] for k in DEFAULT.definitions
    )


def test_same_input_gives_byte_identical_workbooks(tmp_path):
    a = api.blank(ORG, YEAR, tmp_path / "a.xlsx")
    b = api.blank(ORG, YEAR, tmp_path / "b.xlsx")
    assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()


def test_roster_writes_one_safe_named_workbook_per_body(tmp_path):
    roster = tmp_path / "名单.txt"
    roster.write_text(
        "# 宝清县\n宝清县七星泡镇人民政府\n\n../../evil/人民政府\nCON\n宝清县七星泡镇人民政府\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    paths = api.blank_roster(roster, YEAR, out)
    assert len(paths) == 3  # the repeated body once
    assert all(p.parent == out for p in paths)
    names = ("宝清县七星泡镇人民政府", "_.._evil_人民政府", "_CON")  # as safe file names
    assert sorted(p.name for p in paths) == sorted(BLANK_NAME.format(org=n, year=YEAR) for n in names)


def test_every_formula_is_one_excel_takes(blank):
    """Excel refuses a formula over 8,192 characters or nesting functions over 64 deep."""
    wb = openpyxl.load_workbook(blank)
    formulas = [
        c.value for ws in wb for row in ws.iter_rows() for c in row if str(c.value or "").startswith("=")
    ]
    assert len(formulas) > 2 * len(LAYOUT.checks)  # the checks, their messages, the totals
    for f in formulas:
        assert len(f) <= EXCEL_FORMULA_LIMIT
        depth = deepest = 0
        for ch in f.replace('""', ""):  # parentheses inside strings are not nesting
            depth += {"(": 1, ")": -1}.get(ch, 0)
            deepest = max(deepest, depth)
        assert deepest <= 64
