"""Read a returned workbook: its identity, the raw value of every field cell and label. Only openpyxl here."""

from __future__ import annotations

import csv
import io
import json
import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import iterparse  # the C parser; safe here, see _Package

import openpyxl
from defusedxml import ElementTree as SafeET
from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH
from openpyxl.worksheet._reader import ROW_TAG, WorkSheetParser
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
    try:  # the quick way first; what it does not read exactly as openpyxl would, openpyxl reads
        with _Package(path) as quick:
            return _read(quick, shown, package)
    except XlsreportError:
        raise
    except Exception:
        pass
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except (
        Exception
    ) as exc:  # openpyxl raises many types for a damaged package; all mean the same to the user
        raise InputError(
            "FILE_NOT_WORKBOOK", path=shown, reason=f"文件已损坏或不是Excel工作簿（{type(exc).__name__}）"
        ) from exc
    try:
        return _read(_Loaded(wb), shown, package)
    except XlsreportError:
        raise
    except Exception as exc:  # openpyxl parses sheets lazily: a damaged part fails only while it is read
        reason = f"文件已损坏或不是Excel工作簿（{type(exc).__name__}）"
        raise InputError("FILE_NOT_WORKBOOK", path=shown, reason=reason) from exc
    finally:
        wb.close()


class _Loaded:
    """A workbook openpyxl has opened (read-only), seen through what `_read` asks of it."""

    def __init__(self, wb) -> None:
        self.wb = wb
        self.sheetnames = wb.sheetnames

    def rows(self, sheet: str, max_row: int, max_col: int) -> Iterator[tuple[object, ...]]:
        """Raw values (formulas as `Formula`) of the top-left max_row × max_col cells, row by row."""
        for row in self.wb[sheet].iter_rows(max_row=max_row, max_col=max_col):
            yield tuple(_raw(cell) for cell in row)

    def values(self, sheet: str, max_row: int, max_col: int) -> Iterator[tuple[object, ...]]:
        yield from self.wb[sheet].iter_rows(max_row=max_row, max_col=max_col, values_only=True)

    def custom_property(self, name: str) -> object:
        for prop in getattr(self.wb, "custom_doc_props", None) or ():
            if prop.name == name:
                return prop
        return None


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
_VT = "{http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes}"


@dataclass(frozen=True)
class _Property:
    name: str
    value: str


class _Package:
    """The same questions answered from the zip directly: only the parts and rows we need are parsed.

    openpyxl's own worksheet parser reads each row, so a cell reads exactly as openpyxl gives it (shared
    strings and formulas, dates by number format); what this does not expect raises, and openpyxl reads it.
    The parts are parsed by the standard library's C parser, not defusedxml's pure-Python one (three times
    slower): guard.inspect has already refused any part declaring a DTD, so no entity can be expanded.
    """

    def __init__(self, path: Path) -> None:
        self.zf = zipfile.ZipFile(path)
        rels = SafeET.fromstring(self.zf.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL}Relationship")}
        self.parts: dict[str, str] = {}
        self.epoch = WINDOWS_EPOCH
        with self.zf.open("xl/workbook.xml") as book:
            for _, node in iterparse(book):  # workbookPr, then sheets; the defined names after are not needed
                if node.tag == f"{_MAIN}workbookPr" and node.get("date1904") in ("1", "true"):
                    self.epoch = CALENDAR_MAC_1904
                elif node.tag == f"{_MAIN}sheet":
                    target = targets[node.get(f"{_REL}id")]
                    part = (
                        target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
                    )
                    self.parts[node.get("name")] = part
                elif node.tag == f"{_MAIN}sheets":
                    break
        self.sheetnames = list(self.parts)
        names = set(self.zf.namelist())
        self.strings = (
            _string_table(self.zf.open("xl/sharedStrings.xml")) if "xl/sharedStrings.xml" in names else []
        )
        self.dates, self.timedeltas = (
            _date_styles(self.zf.read("xl/styles.xml")) if "xl/styles.xml" in names else (set(), set())
        )
        self.custom = self.zf.read("docProps/custom.xml") if "docProps/custom.xml" in names else None

    def __enter__(self) -> _Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.zf.close()

    def _cells(self, sheet: str, max_row: int, max_col: int) -> Iterator[list[dict | None]]:
        parser = WorkSheetParser(
            None, self.strings, epoch=self.epoch, date_formats=self.dates, timedelta_formats=self.timedeltas
        )
        expected = 1
        with self.zf.open(self.parts[sheet]) as src:
            for _, element in iterparse(src):
                if (
                    element.tag == _SHEET_DATA
                ):  # what follows the cells (merges, rules, validation) is not read
                    break
                if element.tag != ROW_TAG:
                    continue
                _drop_empty_cells(element)
                number, cells = parser.parse_row(element)
                element.clear()
                if number < expected:  # rows out of order: openpyxl's read-only reader would repeat them
                    raise ValueError("rows out of order")
                if number > max_row:
                    break
                while expected < number:
                    yield [None] * max_col
                    expected += 1
                row: list[dict | None] = [None] * max_col
                for cell in cells:
                    if 1 <= cell["column"] <= max_col:
                        row[cell["column"] - 1] = cell
                yield row
                expected += 1
        while expected <= max_row:
            yield [None] * max_col
            expected += 1

    def rows(self, sheet: str, max_row: int, max_col: int) -> Iterator[tuple[object, ...]]:
        for row in self._cells(sheet, max_row, max_col):
            yield tuple(None if c is None else _raw_value(c["value"], c["data_type"]) for c in row)

    def values(self, sheet: str, max_row: int, max_col: int) -> Iterator[tuple[object, ...]]:
        for row in self._cells(sheet, max_row, max_col):
            yield tuple(None if c is None else c["value"] for c in row)

    def custom_property(self, name: str) -> object:
        if self.custom is None:
            return None
        for prop in SafeET.fromstring(self.custom).iter(f"{_CUSTOM}property"):
            if prop.get("name") == name:
                values = [child for child in prop if child.tag.startswith(_VT)]
                if len(values) != 1 or values[0].tag != f"{_VT}lpwstr":
                    raise ValueError("a property openpyxl would read otherwise")
                return _Property(name, values[0].text or "")
        return None


_SI, _T, _R = f"{_MAIN}si", f"{_MAIN}t", f"{_MAIN}r"
_SHEET_DATA = f"{_MAIN}sheetData"


def _drop_empty_cells(row) -> None:
    """Leave out of `row` the cells with nothing in them (the covered cells of a merge, most of a table's
    header): openpyxl reads them as None, as a missing cell. Only where every cell says its column: a
    cell without one takes the column after the one before it."""
    empty = [c for c in row if len(c) == 0]
    if empty and all(c.get("r") for c in row):
        for c in empty:
            row.remove(c)


def _string_table(src) -> list[str]:
    """The shared strings as openpyxl's read_string_table gives them (plain text, then the runs' text;
    phonetic guides left out), without building its object per string: a third of a read's time."""
    strings = []
    for _, node in iterparse(src):
        if node.tag == _SI:
            plain = node.find(_T)
            parts = [plain.text or ""] if plain is not None else []
            parts += [t.text or "" for r in node.iterfind(_R) if (t := r.find(_T)) is not None]
            strings.append("".join(parts).replace("x005F_", ""))
            node.clear()
    return strings


def _date_styles(styles: bytes) -> tuple[set[int], set[int]]:
    """The cell styles whose number format is a date, and those that are a time span (as openpyxl reads them)."""
    root = SafeET.fromstring(styles)
    custom = {int(n.get("numFmtId")): n.get("formatCode") for n in root.iter(f"{_MAIN}numFmt")}
    dates, spans = set(), set()
    xfs = root.find(f"{_MAIN}cellXfs")
    for i, xf in enumerate(xfs if xfs is not None else ()):
        number = int(xf.get("numFmtId", 0))
        fmt = custom[number] if number in custom else builtin_format_code(number)
        if is_date_format(fmt):
            dates.add(i)
        if is_timedelta_format(fmt):
            spans.add(i)
    return dates, spans


def _identity(wb) -> dict[str, str] | None:
    if IDENTITY_SHEET in wb.sheetnames:
        rows = wb.values(IDENTITY_SHEET, len(IDENTITY_KEYS), 2)
        found = {str(r[0]): str(r[1]) for r in rows if len(r) == 2 and r[0] is not None}
        if set(IDENTITY_KEYS) <= set(found):
            return found
    prop = wb.custom_property(IDENTITY_PROPERTY)
    if prop is not None:
        try:
            return {str(k): str(v) for k, v in json.loads(prop.value).items()}
        except (ValueError, AttributeError):
            return None
    return None


def read_identity(path: Path) -> dict[str, str]:
    """The identity (format, org, year, …) of one of our workbooks, without reading its cells.

    Raises InputError as `read_workbook` does for a file that is not one of our workbooks; a file whose
    identity reads but whose sheets do not is refused only by `read_workbook`.
    """
    path = Path(path)
    inspect(path)
    try:
        with _Package(path) as quick:
            return _template(quick, str(path))[0]
    except XlsreportError:
        raise
    except Exception:
        return read_workbook(path).identity


def _template(wb, shown: str) -> tuple[dict[str, str], Format]:
    """The workbook's identity and format, or InputError when it is not a template of a known version."""
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
    return ident, fmt


def _read(wb, shown: str, package: Package) -> RawWorkbook:
    ident, fmt = _template(wb, shown)
    lay = layout_of(fmt)
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
        for r, row in enumerate(wb.rows(sheet, max_row, max_col)):
            for c, value in enumerate(row):
                if (r, c) in positions:
                    grid[(sheet, r, c)] = value
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
    return _raw_value(getattr(cell, "value", None), getattr(cell, "data_type", None))


def _raw_value(value: object, data_type: str | None) -> object:
    if isinstance(value, ArrayFormula):
        return Formula(value.text)
    if data_type == "f" and isinstance(value, str):
        return Formula(value)
    return value
