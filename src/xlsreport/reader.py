"""Read a returned workbook: its identity, the raw value of every field cell and label. Only openpyxl here."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.worksheet.formula import ArrayFormula

from .errors import InputError, XlsreportError
from .formats import FORMATS
from .guard import Package, inspect
from .layout import IDENTITY_KEYS, IDENTITY_PROPERTY, IDENTITY_SHEET, layout_of
from .spec import Format

_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls, .et, and password-encrypted .xlsx


@dataclass(frozen=True)
class Formula:
    """A formula found in a cell, as text ("=SUM(D7:I7)"); its cached result is never trusted."""

    text: str


@dataclass(frozen=True)
class RawWorkbook:
    path: str
    fmt: Format
    identity: dict[str, str]
    cells: dict[str, object]  # field key -> raw value: None, number, str, bool, datetime or Formula
    labels: dict[tuple[str, int, int], object]  # (sheet, row, col) -> what stands where a label belongs
    package: Package  # what guard.inspect learned of the file before openpyxl opened it


def read_workbook(path: Path) -> RawWorkbook:
    """Open `path` as one of our workbooks, or raise InputError saying why it is not one."""
    path = Path(path)
    package = inspect(path)  # what is not a safe .xlsx stops here, before openpyxl sees it (guard.py)
    shown = str(path)
    if not path.is_file():
        raise InputError("FILE_NOT_FOUND", path=shown)
    with path.open("rb") as fh:
        head = fh.read(4)
    if head == _OLE_MAGIC:
        raise InputError(
            "FILE_NOT_WORKBOOK",
            path=shown,
            reason="这是旧版 .xls/.et 文件或加密的工作簿，请另存为不加密码的 .xlsx",
        )
    if not zipfile.is_zipfile(path):
        raise InputError("FILE_NOT_WORKBOOK", path=shown, reason="文件内容不是 .xlsx 格式")
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except (
        Exception
    ) as exc:  # openpyxl raises many types for a damaged package; all mean the same to the user
        raise InputError(
            "FILE_NOT_WORKBOOK", path=shown, reason=f"文件已损坏或不是Excel工作簿（{type(exc).__name__}）"
        ) from exc
    try:
        return _read(wb, shown, package)
    except XlsreportError:
        raise
    except Exception as exc:  # openpyxl parses sheets lazily: a damaged part fails only while it is read
        reason = f"文件已损坏或不是Excel工作簿（{type(exc).__name__}）"
        raise InputError("FILE_NOT_WORKBOOK", path=shown, reason=reason) from exc
    finally:
        wb.close()


def _identity(wb) -> dict[str, str] | None:
    if IDENTITY_SHEET in wb.sheetnames:
        rows = wb[IDENTITY_SHEET].iter_rows(max_row=len(IDENTITY_KEYS), max_col=2, values_only=True)
        found = {str(r[0]): str(r[1]) for r in rows if len(r) == 2 and r[0] is not None}
        if set(IDENTITY_KEYS) <= set(found):
            return found
    for prop in getattr(wb, "custom_doc_props", None) or ():
        if prop.name == IDENTITY_PROPERTY:
            try:
                return {str(k): str(v) for k, v in json.loads(prop.value).items()}
            except (ValueError, AttributeError):
                return None
    return None


def _read(wb, shown: str, package: Package) -> RawWorkbook:
    ident = _identity(wb)
    if ident is None:
        raise InputError("NOT_TEMPLATE", path=shown, reason="没有找到本系统填报表的标识")
    fmt = FORMATS.get(ident.get("format", ""))
    if fmt is None:
        raise InputError(
            "TEMPLATE_VERSION", path=shown, found=ident.get("format", "?"), expected="、".join(FORMATS)
        )
    lay = layout_of(fmt)
    if ident.get("version") != str(fmt.version) or ident.get("layout") != lay.label_hash:
        raise InputError(
            "TEMPLATE_VERSION",
            path=shown,
            found=f"{fmt.id} 第{ident.get('version')}版（{ident.get('layout')}）",
            expected=f"{fmt.id} 第{fmt.version}版（{lay.label_hash}）",
        )
    wanted: dict[str, set[tuple[int, int]]] = {}
    for span in lay.cells.values():
        wanted.setdefault(span.sheet, set()).add((span.row, span.col))
    for lbl in lay.labels:
        wanted.setdefault(lbl.span.sheet, set()).add((lbl.span.row, lbl.span.col))
    grid: dict[tuple[str, int, int], object] = {}
    for sheet, positions in wanted.items():
        if sheet not in wb.sheetnames:
            raise InputError("SHEET_MISSING", path=shown, sheet=sheet)
        max_row = max(r for r, _ in positions) + 1
        max_col = max(c for _, c in positions) + 1
        # bounded: a sheet with a million used rows costs no more than ours
        for r, row in enumerate(wb[sheet].iter_rows(max_row=max_row, max_col=max_col)):
            for c, cell in enumerate(row):
                if (r, c) in positions:
                    grid[(sheet, r, c)] = _raw(cell)
    cells = {k: grid.get((s.sheet, s.row, s.col)) for k, s in lay.cells.items()}
    labels = {
        (lb.span.sheet, lb.span.row, lb.span.col): grid.get((lb.span.sheet, lb.span.row, lb.span.col))
        for lb in lay.labels
    }
    return RawWorkbook(shown, fmt, ident, cells, labels, package)


def read_roster(path: Path) -> list[str]:
    """Body names from a roster: a text file (one per line, # comments), or a CSV/XLSX with a 机关名称 column."""
    shown = str(path)
    if not path.is_file():
        raise InputError("FILE_NOT_FOUND", path=shown)
    try:
        if path.suffix.lower() == ".xlsx":
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
            try:
                rows = [
                    [_cell_text(v) for v in r]
                    for r in wb.worksheets[0].iter_rows(max_col=50, values_only=True)
                ]
            finally:
                wb.close()
            names = _column(rows, shown)
        else:
            raw = path.read_bytes()
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = raw.decode("gb18030")  # a CSV saved by Excel on a Chinese Windows
            if path.suffix.lower() == ".csv":
                names = _column(list(csv.reader(io.StringIO(text))), shown)
            else:
                names = [
                    ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")
                ]
    except (OSError, UnicodeDecodeError, csv.Error, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError("ROSTER_INVALID", path=shown, reason=f"无法读取（{type(exc).__name__}）") from exc
    names = list(dict.fromkeys(n for n in names if n))
    if not names:
        raise InputError("ROSTER_INVALID", path=shown, reason="没有任何机关名称")
    return names


def _cell_text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _column(rows: list[list[str]], shown: str, header: str = "机关名称") -> list[str]:
    for i, row in enumerate(rows):
        cells = [c.strip() for c in row]
        if header in cells:
            j = cells.index(header)
            return [r[j].strip() for r in rows[i + 1 :] if len(r) > j]
    raise InputError("ROSTER_INVALID", path=shown, reason=f"找不到“{header}”列")


def _raw(cell) -> object:
    value = getattr(cell, "value", None)
    if isinstance(value, ArrayFormula):
        return Formula(value.text)
    if getattr(cell, "data_type", None) == "f" and isinstance(value, str):
        return Formula(value)
    return value
