"""Read a returned workbook: its identity, the raw value of every field cell and label (the cells themselves
are read by xlsxcells.py)."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, XlsreportError
from .guard import Package, inspect
from .identity import declared, sheet_identity, template_of, verified
from .layout import layout_of
from .reasons import damage_reason, reason
from .spec import Format
from .xlsxcells import OpenpyxlBook, QuickPackage

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
            reason=reason("FILE_NOT_WORKBOOK", "damaged", detail=damage_reason(exc)),
        ) from exc
    try:
        return _read(OpenpyxlBook(wb), shown, package)
    except XlsreportError:
        raise
    except Exception as exc:  # openpyxl parses sheets lazily: a damaged part fails only while it is read
        damaged = reason("FILE_NOT_WORKBOOK", "damaged", detail=damage_reason(exc))
        raise InputError("FILE_NOT_WORKBOOK", path=shown, reason=damaged) from exc
    finally:
        wb.close()


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
            return template_of(declared(quick) or sheet_identity(quick), str(path))[0]
    except XlsreportError:
        raise
    except Exception:
        return read_workbook(path).identity


def _read(wb, shown: str, package: Package) -> RawWorkbook:
    ident, fmt = verified(wb, shown)
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
