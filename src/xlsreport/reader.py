"""Read a returned workbook: its identity, the raw value of every field cell and label (the cells themselves
are read by xlsxcells.py)."""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, XlsreportError, reason
from .formats import FORMATS
from .guard import Package, inspect
from .layout import IDENTITY_KEYS, IDENTITY_PROPERTY, IDENTITY_SHEET, layout_of
from .spec import Format
from .xlsxcells import Formula, OpenpyxlBook, QuickPackage

_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls, .et, and password-encrypted .xlsx


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
            reason=reason("FILE_NOT_WORKBOOK", "old_or_encrypted"),
        )
    if not zipfile.is_zipfile(path):
        raise InputError("FILE_NOT_WORKBOOK", path=shown, reason=reason("FILE_NOT_WORKBOOK", "not_zip"))
    try:  # the quick way first; what it does not read exactly as openpyxl would, openpyxl reads
        with QuickPackage(path) as quick:
            return _read(quick, shown, package)
    except XlsreportError:
        raise
    except Exception:
        pass
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except (
        Exception
    ) as exc:  # openpyxl raises many types for a damaged package; all mean the same to the user
        raise InputError(
            "FILE_NOT_WORKBOOK",
            path=shown,
            reason=reason("FILE_NOT_WORKBOOK", "damaged", detail=type(exc).__name__),
        ) from exc
    try:
        return _read(OpenpyxlBook(wb), shown, package)
    except XlsreportError:
        raise
    except Exception as exc:  # openpyxl parses sheets lazily: a damaged part fails only while it is read
        damaged = reason("FILE_NOT_WORKBOOK", "damaged", detail=type(exc).__name__)
        raise InputError("FILE_NOT_WORKBOOK", path=shown, reason=damaged) from exc
    finally:
        wb.close()


DAMAGED_IDENTITY = "填报表的标识已损坏"
# the hidden identity sheet: a key in column A, its value in column B, one row each
_IDENTITY_AT = {
    f"{col}{row}": (row, c) for row in range(1, len(IDENTITY_KEYS) + 1) for c, col in ((1, "A"), (2, "B"))
}


def _identity(wb) -> dict[str, str] | None:
    """Who the workbook is for, as its hidden sheet says; where that sheet is gone, as its property says."""
    if IDENTITY_SHEET in wb.sheetnames:
        got = {
            k: v.text if isinstance(v, Formula) else v
            for k, v in wb.cells(IDENTITY_SHEET, _IDENTITY_AT).items()
        }
        pairs = ((got.get(f"A{row}"), got.get(f"B{row}")) for row in range(1, len(IDENTITY_KEYS) + 1))
        found = {str(k): str(v) for k, v in pairs if k is not None}
        if set(IDENTITY_KEYS) <= set(found):
            return found
    return _declared(wb, complete=False)


def _declared(wb, complete: bool = True) -> dict[str, str] | None:
    """The identity in the workbook's custom document property; None when there is none, it does not
    read, or (`complete`) it lacks a key, as when Excel cut a long one short."""
    prop = wb.custom_property(IDENTITY_PROPERTY)
    if prop is None:
        return None
    try:
        found = {str(k): str(v) for k, v in json.loads(prop.value).items()}
    except (ValueError, AttributeError):
        return None
    return found if not complete or set(IDENTITY_KEYS) <= set(found) else None


def read_identity(path: Path) -> dict[str, str]:
    """The identity (format, org, year, …) of one of our workbooks, without reading its cells: from the
    document property where it is whole (a small part), else from the hidden sheet.

    Raises InputError as `read_workbook` does for a file that is not one of our workbooks; a file whose
    identity reads but whose sheets do not, or whose sheet and property disagree, is refused only by
    `read_workbook`.
    """
    path = Path(path)
    inspect(path)
    try:
        with QuickPackage(path) as quick:
            return _template(_declared(quick) or _identity(quick), str(path))[0]
    except XlsreportError:
        raise
    except Exception:
        return read_workbook(path).identity


def _template(ident: dict[str, str] | None, shown: str) -> tuple[dict[str, str], Format]:
    """The workbook's identity and format, or InputError when it is not a template of a known version."""
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
    return ident, fmt


def _read(wb, shown: str, package: Package) -> RawWorkbook:
    ident, fmt = _template(_identity(wb), shown)
    declared = _declared(wb)
    if declared is not None and any(declared[k] != ident.get(k) for k in IDENTITY_KEYS):
        # the sheet edited (or the property): which body and year the file is for cannot be told
        raise InputError("NOT_TEMPLATE", path=shown, reason=DAMAGED_IDENTITY)
    lay = layout_of(fmt)
    grid: dict[str, dict[str, object]] = {}
    for sheet, at in lay.read_at.items():
        if sheet not in wb.sheetnames:
            raise InputError("SHEET_MISSING", path=shown, sheet=sheet)
        grid[sheet] = wb.cells(sheet, at)  # bounded: a sheet with a million used rows costs no more than ours
    cells = {k: grid[s.sheet].get(s.a1) for k, s in lay.cells.items()}
    labels = {
        (lb.span.sheet, lb.span.row, lb.span.col): grid[lb.span.sheet].get(lb.span.a1) for lb in lay.labels
    }
    return RawWorkbook(shown, fmt, ident, cells, labels, package)
