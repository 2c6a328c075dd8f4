"""Read a returned workbook: its identity, the raw value of every field cell and label. Only openpyxl here."""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property, lru_cache
from itertools import pairwise
from pathlib import Path
from xml.etree import ElementTree as ET  # the C parser; safe here, see _Package
from xml.parsers import expat

from .cellvalues import (  # openpyxl's rules without importing it: it is loaded only where it reads a file
    CALENDAR_MAC_1904,
    WINDOWS_EPOCH,
    builtin_format_code,
    from_excel,
    is_date_format,
    is_timedelta_format,
)
from .cellvalues import cast_number as _cast_number
from .errors import InputError, XlsreportError
from .guard import Package, inspect
from .identity import declared, sheet_identity, template_of, verified
from .layout import layout_of
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
    import openpyxl

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
    """The same questions answered from the zip directly: only the parts and cells asked for are parsed,
    each part when first needed (the identity alone needs none of the cells' parts).

    A cell reads exactly as openpyxl gives it (_SheetCells); what this does not expect raises, and openpyxl
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
            _parse(src, book)
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
            return _string_table(src)

    @cached_property
    def styles(self) -> tuple[frozenset[int], frozenset[int]]:
        """The cell styles that make a number a date, and those that make it a time span."""
        if "xl/styles.xml" not in self.names:
            return frozenset(), frozenset()
        return _date_styles(self.zf.read("xl/styles.xml"))

    def __enter__(self) -> _Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.zf.close()

    def cells(self, sheet: str, wanted: Mapping[str, tuple[int, int]]) -> dict[str, object]:
        """Raw values (formulas as `Formula`) of the cells at `wanted` (A1 → row, column from 1)."""
        parts, epoch = self._book
        info = self.zf.getinfo(parts[sheet])
        if info.file_size <= _PLAIN_PART:
            plain = _SheetCells(wanted, self.strings, epoch, *self.styles)
            if plain.scan(self.zf.read(info)):
                return plain.found
        cells = _SheetCells(wanted, self.strings, epoch, *self.styles)
        with self.zf.open(info) as src:
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


class _Done(Exception):
    """Raised from within the parser once what is wanted of a part has gone by."""


def _parse(src, events) -> None:
    """Feed the part `src` to expat, its events to `events` (start, end, chars), until the end or _Done."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.StartElementHandler, parser.EndElementHandler = events.start, events.end
    parser.CharacterDataHandler = events.chars
    try:
        while chunk := src.read(1 << 16):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Done:
        pass


# element and attribute names as expat gives them with namespace_separator="}"
_C, _V, _F, _ROW, _DATA = (f"{_MAIN[1:]}{n}" for n in ("c", "v", "f", "row", "sheetData"))
_SI, _IS, _T, _PHONETIC = (f"{_MAIN[1:]}{n}" for n in ("si", "is", "t", "rPh"))
_BOOK_PR, _SHEET, _SHEETS = (f"{_MAIN[1:]}{n}" for n in ("workbookPr", "sheet", "sheets"))
_REL_ID = f"{_REL[1:-1]}}}id"
_CELL_REF = re.compile(r"[A-Z]{1,3}[1-9][0-9]{0,6}")  # what openpyxl reads as the reference it says


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
            raise _Done

    def chars(self, data: str) -> None:
        pass


class _RichText:
    """The text of a shared or inline string (<si>, <is>) as openpyxl's Text.content gives it: its <t>,
    then its runs' <t>; the phonetic guide's (<rPh><t>) left out."""

    def __init__(self, text: str | None = None) -> None:
        self.parts: list[str] = [] if text is None else [text]  # `text`: one read whole already
        self.phonetic = False

    def start(self, name: str) -> list[str] | None:
        """Where the character data of the element `name`, within the string, goes: its text, or nowhere."""
        if name == _PHONETIC:
            self.phonetic = True
        return self.parts if name == _T and not self.phonetic else None

    def end(self, name: str) -> None:
        if name == _PHONETIC:
            self.phonetic = False

    def __str__(self) -> str:
        return "".join(self.parts)


def _string_table(src) -> list[str]:
    """The shared strings as openpyxl's read_string_table gives them, without building its object per
    string (a third of a read's time)."""
    table = _StringTable()
    _parse(src, table)
    return table.strings


class _StringTable:
    """The events of sharedStrings.xml, made into its strings."""

    def __init__(self) -> None:
        self.strings: list[str] = []
        self.string: _RichText | None = None
        self.text: list[str] | None = None

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == _SI:
            self.string = _RichText()
        elif self.string is not None:
            self.text = self.string.start(name)

    def end(self, name: str) -> None:
        if name == _SI:
            self.strings.append(str(self.string).replace("x005F_", ""))
            self.string = None
        elif self.string is not None:
            self.string.end(name)
        self.text = None

    def chars(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)


# The plain form of a worksheet part, as Excel, WPS, LibreOffice, xlsxwriter and openpyxl write it.
_PLAIN_PART = 4 * 1024 * 1024  # a bigger part is read by events, so no more of it is held than needed
_PLAIN_ROOT = re.compile(
    r'(?:<\?xml [^>]*\?>\s*)?<worksheet xmlns="http://schemas\.openxmlformats\.org/spreadsheetml/2006/main"[ >]'
)
_PLAIN_ROW = re.compile(r'<row r="([1-9][0-9]{0,6})"[ >/]')
_ANY_CELL = re.compile(r"<c[\s/>]")
# an attribute: a short name, and a value that needs no unescaping
_NAME, _VALUE = r"[a-z]{1,3}", r'[^"<>&\s]*'
_PLAIN_ATTR = re.compile(f' ({_NAME})="({_VALUE})"')
_ATTRS = f'((?: {_NAME}="{_VALUE}")*)'  # any number of them, as one group
_PLAIN_CELL = re.compile(f'<c r="({_CELL_REF.pattern})"{_ATTRS}(?:/>|>(.*?)</c>)', re.S)
_PLAIN_BODY = re.compile(
    f"(?:<f{_ATTRS}(?:/>|>([^<]*)</f>))?"
    r"(?:<v/>|<v>([^<]*)</v>)?"
    r'(?:<is><t(?: xml:space="preserve")?>([^<]*)</t></is>)?'
)
_ENTITY = re.compile(r"&(?:(amp|lt|gt|quot|apos)|#([0-9]+)|#x([0-9a-fA-F]+));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _unxml(text: str) -> str:
    """Character data as an XML parser gives it: the five named entities and character references."""
    if "&" not in text:
        return text
    return _ENTITY.sub(lambda m: _NAMED[m[1]] if m[1] else chr(int(m[2]) if m[2] else int(m[3], 16)), text)


class _SheetCells:
    """The cells at `wanted` of one worksheet part, read as openpyxl's WorkSheetParser.parse_cell reads
    them (shared strings, shared formulas, dates by number format), by expat's callbacks: no element is
    built for the hundreds of cells not wanted, and the part is read no further than the last row wanted.
    What this does not expect (a cell without its reference, rows out of order) raises
    ValueError, and openpyxl reads the file instead."""

    def __init__(self, wanted, strings, epoch, dates, timedeltas) -> None:
        self.wanted, self.strings, self.epoch = wanted, strings, epoch
        self.dates, self.timedeltas = dates, timedeltas
        self.max_row = max(r for r, _ in wanted.values())
        self.found: dict[str, object] = {}
        self.shared: dict[str, object] = {}  # a shared formula's index → openpyxl's Translator
        self.row, self.in_data = 0, False
        self.cell: dict[str, str] | None = None  # the attributes of the cell being read
        self.value: list[str] | None = None  # its <v> text, once one began
        self.formula: dict[str, str] | None = None  # its <f> attributes, once one began
        self.inline: _RichText | None = None  # its inline string, once one began
        self.text: list[str] | None = None  # where character data goes now
        self.formula_text: list[str] = []

    def parse(self, src) -> None:
        _parse(src, self)
        if not self.in_data:  # no sheetData in the main namespace: not a part this reader knows
            raise ValueError("no sheetData")

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == _C:
            ref = attrs.get("r", "")
            if ref not in self.wanted and not _CELL_REF.fullmatch(ref):
                raise ValueError("a cell without its reference, or one openpyxl would read otherwise")
            self.cell, self.value, self.formula, self.inline = attrs, None, None, None
            self.formula_text = []
        elif self.cell is None:
            if name == _ROW:
                number = int(attrs["r"]) if "r" in attrs else self.row + 1
                if number <= self.row:  # openpyxl's read-only reader would give such rows again
                    raise ValueError("rows out of order")
                if number > self.max_row:
                    raise _Done
                self.row = number
            elif name == _DATA:
                self.in_data = True
        elif self.inline is not None:
            self.text = self.inline.start(name)
        elif name == _V and self.value is None:
            self.value = self.text = []
        elif name == _F and self.formula is None:
            self.formula, self.text = attrs, self.formula_text
        elif name == _IS:
            self.inline = _RichText()

    def chars(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def end(self, name: str) -> None:
        if name == _C:
            self.close_cell()
        elif name == _DATA:
            raise _Done
        elif self.inline is not None:
            self.inline.end(name)
        self.text = None

    def close_cell(self) -> None:
        """The cell just read: its value kept if it is wanted; a shared formula's first cell remembered."""
        ref = self.cell["r"]
        value = self.read_formula(ref) if self.formula is not None else None
        if ref in self.wanted:
            self.found[ref] = value if self.formula is not None else self.read_value()
        self.cell = None

    def scan(self, data: bytes) -> bool:
        """Read the cells from the part's text, as the writers of .xlsx files write it, in one regular
        expression pass instead of one callback per element: a third of the time. Only a part written in
        the plain form is read so (the main namespace the default one, attributes in double quotes, no
        comments, CDATA or carriage returns among the cells, a cell holding only a formula, a value or one
        unformatted inline string), and only once expat has found it well-formed up to the end of its
        cells; for anything else this returns False and `parse` reads the part."""
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        start, end = text.find("<sheetData>"), text.find("</sheetData>")
        if not _PLAIN_ROOT.match(text) or start < 0 or end < start or text.find("<sheetData", start + 1) >= 0:
            return False
        cells = text[start + len("<sheetData>") : end]
        if any(mark in cells for mark in ("<!", "<?", "\r", "xmlns")):
            return False
        try:
            expat.ParserCreate(namespace_separator="}").Parse(text[: end + len("</sheetData>")], False)
        except expat.ExpatError:
            return False
        rows = [int(r) for r in _PLAIN_ROW.findall(cells)]
        if len(rows) != cells.count("<row"):
            return False  # a row without its number: `parse` counts
        beyond = next((r for r in rows if r > self.max_row), None)
        if beyond is not None:  # read no further than `parse` would
            cells, rows = cells[: cells.find(f'<row r="{beyond}"')], rows[: rows.index(beyond)]
        if any(a >= b for a, b in pairwise(rows)):
            return False  # rows out of order: `parse` says so
        matches = list(_PLAIN_CELL.finditer(cells))
        if len(matches) != len(_ANY_CELL.findall(cells)):
            return False
        for m in matches:
            ref, attrs, inner = m.groups()
            body = _PLAIN_BODY.fullmatch(inner or "")
            if body is None:
                return False
            f_attrs, f_text, v_text, t_text = body.groups()
            self.cell = {"r": ref, **dict(_PLAIN_ATTR.findall(attrs))}
            self.formula = None if f_attrs is None else dict(_PLAIN_ATTR.findall(f_attrs))
            self.formula_text = [_unxml(f_text or "")]
            self.value = None if v_text is None else [_unxml(v_text)]
            self.inline = None if t_text is None else _RichText(_unxml(t_text))
            self.close_cell()
        return True

    def read_formula(self, ref: str) -> Formula:
        text = "=" + "".join(self.formula_text)
        if self.formula.get("t") == "shared":
            index = self.formula.get("si")
            if index in self.shared:
                text = self.shared[index].translate_formula(ref)
            elif text != "=":
                from openpyxl.formula.translate import Translator  # shared formulas are rare: loaded then

                self.shared[index] = Translator(text, ref)
        return Formula(text)

    def read_value(self) -> object:
        kind, value = self.cell.get("t", "n"), "".join(self.value or ()) or None
        if kind == "inlineStr":
            return None if self.inline is None else str(self.inline)
        if value is None:
            return None
        if kind == "n":
            number = _cast_number(value)
            style = int(self.cell.get("s") or 0)
            if style not in self.dates:
                return number
            try:
                return from_excel(number, self.epoch, timedelta=style in self.timedeltas)
            except (OverflowError, ValueError):
                return "#VALUE!"
        if kind == "s":
            return self.strings[int(value)]
        if kind == "b":
            return bool(int(value))
        if kind == "d":
            from openpyxl.utils.datetime import from_ISO8601  # a date stored as text is rare: loaded then

            return from_ISO8601(value)
        return value


@lru_cache(maxsize=8)  # the same bytes in every workbook written from one template
def _date_styles(styles: bytes) -> tuple[frozenset[int], frozenset[int]]:
    """The cell styles whose number format is a date, and those that are a time span (as openpyxl reads them)."""
    root = ET.fromstring(styles)
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
    return frozenset(dates), frozenset(spans)


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
        with _Package(path) as quick:
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


def _raw(cell) -> object:
    return _raw_value(getattr(cell, "value", None), getattr(cell, "data_type", None))


def _raw_value(value: object, data_type: str | None) -> object:
    from openpyxl.worksheet.formula import ArrayFormula  # openpyxl has read the file

    if isinstance(value, ArrayFormula):
        return Formula(value.text)
    if data_type == "f" and isinstance(value, str):
        return Formula(value)
    return value
