"""The cells of an .xlsx package, read exactly as openpyxl reads them, answering reader.py's two questions
(`cells`, `custom_property`) in one of two ways: `QuickPackage` from the zip directly (the workbook part, its
relationships, styles and custom properties here; the worksheet and shared-strings parts in sheetxml.py), and,
where that declines, `OpenpyxlBook`, openpyxl's read-only loader. What each layer buys: README, “读取的速度”."""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property, lru_cache
from pathlib import Path
from xml.etree import ElementTree as ET  # the C parser; safe here, see QuickPackage

from .cellvalues import (
    CALENDAR_MAC_1904,
    WINDOWS_EPOCH,
    builtin_format_code,
    is_date_format,
    is_timedelta_format,
)
from .sheetxml import MAIN, Formula, SheetCells, Stop, parse_part, string_table


class OpenpyxlBook:
    """A workbook openpyxl has opened (read-only), seen through what `_read` asks of it."""

    def __init__(self, wb) -> None:
        self.wb = wb
        self.sheetnames = wb.sheetnames

    def cells(self, sheet: str, wanted: Mapping[str, tuple[int, int]]) -> dict[str, object]:
        """Raw values (formulas as `Formula`) of the cells at `wanted` (A1 → row, column from 1)."""
        at = {rc: ref for ref, rc in wanted.items()}
        max_row, max_col = max(r for r, _ in at), max(c for _, c in at)
        found = {}
        for r, row in enumerate(self.wb[sheet].iter_rows(max_row=max_row, max_col=max_col), start=1):
            for c, cell in enumerate(row, start=1):  # gaps come as EmptyCell, which has no position
                if (r, c) in at:
                    found[at[r, c]] = _raw(cell)
        return found

    def custom_property(self, name: str) -> object:
        for prop in getattr(self.wb, "custom_doc_props", None) or ():
            if prop.name == name:
                return prop
        return None


_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
_VT = "{http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes}"


@dataclass(frozen=True)
class _Property:
    name: str
    value: str


class QuickPackage:
    """The same questions answered from the zip directly: only the parts and cells asked for are parsed,
    each part when first needed (the identity alone needs none of the cells' parts).

    A cell reads exactly as openpyxl gives it (SheetCells); what this does not expect raises, and openpyxl
    reads the file. The parts are parsed by the standard library's C parser, not defusedxml's pure-Python
    one (three times slower): guard.inspect has already refused any part declaring a DTD, so no entity can
    be expanded.
    """

    def __init__(self, path: Path) -> None:
        self.zf = zipfile.ZipFile(path)
        self.names = set(self.zf.namelist())

    @cached_property
    def _book(self) -> tuple[dict[str, str], datetime]:
        """Sheet name → its part, and the workbook's calendar (the date of serial 0)."""
        rels = ET.fromstring(self.zf.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL}Relationship")}
        book = _Book()
        with self.zf.open("xl/workbook.xml") as src:
            parse_part(src, book)
        if not book.sheets:  # none where this reader looks for them: openpyxl is asked instead
            raise ValueError("no sheets")
        parts = {}
        for name, rel in book.sheets:
            target = targets[rel]
            parts[name] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        return parts, book.epoch

    @property
    def sheetnames(self) -> list[str]:
        return list(self._book[0])

    @cached_property
    def strings(self) -> list[str]:
        if "xl/sharedStrings.xml" not in self.names:
            return []
        with self.zf.open("xl/sharedStrings.xml") as src:
            return string_table(src)

    @cached_property
    def styles(self) -> tuple[frozenset[int], frozenset[int]]:
        """The cell styles that make a number a date, and those that make it a time span."""
        if "xl/styles.xml" not in self.names:
            return frozenset(), frozenset()
        return date_styles(self.zf.read("xl/styles.xml"))

    def __enter__(self) -> QuickPackage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.zf.close()

    def cells(self, sheet: str, wanted: Mapping[str, tuple[int, int]]) -> dict[str, object]:
        """Raw values (formulas as `Formula`) of the cells at `wanted` (A1 → row, column from 1)."""
        parts, epoch = self._book
        cells = SheetCells(wanted, self.strings, epoch, *self.styles)
        with self.zf.open(parts[sheet]) as src:
            cells.parse(src)
        return cells.found

    def custom_property(self, name: str) -> object:
        if "docProps/custom.xml" not in self.names:
            return None
        for prop in ET.fromstring(self.zf.read("docProps/custom.xml")).iter(f"{_CUSTOM}property"):
            if prop.get("name") == name:
                values = [child for child in prop if child.tag.startswith(_VT)]
                if len(values) != 1 or values[0].tag != f"{_VT}lpwstr":
                    raise ValueError("a property openpyxl would read otherwise")
                return _Property(name, values[0].text or "")
        return None


# element and attribute names as expat gives them with namespace_separator="}"
_BOOK_PR, _SHEET, _SHEETS = (f"{MAIN[1:]}{n}" for n in ("workbookPr", "sheet", "sheets"))
_REL_ID = f"{_REL[1:-1]}}}id"


class _Book:
    """workbook.xml up to the end of its sheets (the defined names after them are not needed)."""

    def __init__(self) -> None:
        self.sheets: list[tuple[str, str]] = []  # (name, relationship id)
        self.epoch = WINDOWS_EPOCH

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == _BOOK_PR and attrs.get("date1904") in ("1", "true"):
            self.epoch = CALENDAR_MAC_1904
        elif name == _SHEET:
            self.sheets.append((attrs["name"], attrs[_REL_ID]))

    def end(self, name: str) -> None:
        if name == _SHEETS:
            raise Stop

    def chars(self, data: str) -> None:
        pass


@lru_cache(maxsize=8)  # the same bytes in every workbook written from one template
def date_styles(styles: bytes) -> tuple[frozenset[int], frozenset[int]]:
    """The cell styles whose number format is a date, and those that are a time span (as openpyxl reads them)."""
    root = ET.fromstring(styles)
    custom = {int(n.get("numFmtId")): n.get("formatCode") for n in root.iter(f"{MAIN}numFmt")}
    dates, spans = set(), set()
    xfs = root.find(f"{MAIN}cellXfs")
    for i, xf in enumerate(xfs if xfs is not None else ()):
        number = int(xf.get("numFmtId", 0))
        fmt = custom[number] if number in custom else builtin_format_code(number)
        if is_date_format(fmt):
            dates.add(i)
        if is_timedelta_format(fmt):
            spans.add(i)
    return frozenset(dates), frozenset(spans)


def _raw(cell) -> object:
    return raw_value(getattr(cell, "value", None), getattr(cell, "data_type", None))


def raw_value(value: object, data_type: str | None) -> object:
    from openpyxl.worksheet.formula import ArrayFormula  # openpyxl has read the file

    if isinstance(value, ArrayFormula):
        return Formula(value.text)
    if data_type == "f" and isinstance(value, str):
        return Formula(value)
    return value
