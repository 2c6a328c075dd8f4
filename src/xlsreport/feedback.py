"""The feedback workbook sent back to a body: a copy of its returned file with every finding marked on it.

Each cell a finding points at is filled red and carries a comment with the Chinese message; a sheet listing
every finding (cell, labels, found, expected, message) is put first. The returned file is only read: the copy
is built in memory and written by the caller.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from .findings import Finding

# Wording of this module, in one place.
SHEET = (
    "县级校验结果"  # the template has its own 校验结果 (live checks); this one lists the county's findings
)
HEADER = ("序号", "级别", "代码", "工作表", "单元格", "行", "列", "实为", "应为", "说明")
LEVELS = {"error": "错误", "warning": "警告"}
AUTHOR = "县政务公开办（xlsreport）"
_WIDTHS = (6, 6, 18, 10, 8, 40, 16, 16, 16, 80)
# the red of the template's failing live checks; orange where a cell has warnings only
MARKS = {
    "error": PatternFill("solid", fgColor="FFFFC7CE"),
    "warning": PatternFill("solid", fgColor="FFF8CBAD"),
}


def marked_cells(findings: Iterable[Finding]) -> dict[tuple[str, str], list[Finding]]:
    """(sheet, cell) → the findings at it, for the findings that name a cell."""
    out: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if f.sheet and f.cell:
            out.setdefault((f.sheet, f.cell), []).append(f)
    return out


def _text(value: object) -> str:
    return "" if value is None else str(value)


def feedback_workbook(path: Path, findings: list[Finding]) -> bytes:
    """The returned workbook at `path` with `findings` marked: the bytes of a new .xlsx."""
    wb = openpyxl.load_workbook(path, keep_vba=False, keep_links=False)
    for (sheet, a1), found in marked_cells(findings).items():
        if sheet not in wb.sheetnames:
            continue
        cell = wb[sheet][a1]
        cell.fill = MARKS[min(str(f.severity) for f in found)]  # "error" < "warning"
        text = "\n".join(f.message for f in found)
        if cell.comment is not None:  # a note the county put there (last year's figure) stays, ours follows
            text = f"{cell.comment.text}\n\n{text}"
        cell.comment = Comment(text, AUTHOR, width=360, height=160)
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = False
    ws = wb.create_sheet(SHEET, 0)
    ws.sheet_view.tabSelected = True
    wb.active = 0
    ws.append(HEADER)
    for i, f in enumerate(findings, start=1):
        row = (i, LEVELS[str(f.severity)], f.code, f.sheet, f.cell, " / ".join(f.row), " / ".join(f.column))
        ws.append(row)
        for col, value in enumerate((f.found, f.expected, f.message), start=len(row) + 1):
            cell = ws.cell(i + 1, col)
            if isinstance(value, int | float) and not isinstance(value, bool):
                cell.value = value
            else:  # set as text: a value starting with = + - @ stays text, never a formula
                cell.value = _text(value)
                cell.data_type = "s"
        for col in range(4, 8):
            ws.cell(i + 1, col).data_type = "s"
    for col, width in enumerate(_WIDTHS, start=1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
