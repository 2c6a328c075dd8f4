"""The worksheet and shared-strings parts of an .xlsx package, read as openpyxl reads them, by expat events:
no element built per cell, no part read past the last row wanted. What this does not expect raises
ValueError, and xlsxcells.py hands the file to openpyxl.

(A regular-expression pass over parts in the plain form every spreadsheet program writes sat in front of
the events until measured: it bought nothing, 7.9 against 7.3 ms per read at best; README, “读取的速度”.)"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.parsers import expat

from .cellvalues import cast_number as _cast_number
from .cellvalues import from_excel

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@dataclass(frozen=True)
class Formula:
    """A formula found in a cell, as text ("=SUM(D7:I7)"); its cached result is never trusted."""

    text: str


class Stop(Exception):
    """Raised from within the parser once what is wanted of a part has gone by."""


def parse_part(src, events) -> None:
    """Feed the part `src` to expat, its events to `events` (start, end, chars), until the end or Stop."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.StartElementHandler, parser.EndElementHandler = events.start, events.end
    parser.CharacterDataHandler = events.chars
    try:
        while chunk := src.read(1 << 16):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except Stop:
        pass


# element and attribute names as expat gives them with namespace_separator="}"
_C, _V, _F, _ROW, _DATA = (f"{MAIN[1:]}{n}" for n in ("c", "v", "f", "row", "sheetData"))
_SI, _IS, _T, _PHONETIC = (f"{MAIN[1:]}{n}" for n in ("si", "is", "t", "rPh"))
_CELL_REF = re.compile(r"[A-Z]{1,3}[1-9][0-9]{0,6}")  # what openpyxl reads as the reference it says


class _RichText:
    """The text of a shared or inline string (<si>, <is>) as openpyxl's Text.content gives it: its <t>,
    then its runs' <t>; the phonetic guide's (<rPh><t>) left out."""

    def __init__(self) -> None:
        self.parts: list[str] = []
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


def string_table(src) -> list[str]:
    """The shared strings as openpyxl's read_string_table gives them, without building its object per
    string (a third of a read's time)."""
    table = _StringTable()
    parse_part(src, table)
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


class SheetCells:
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
        parse_part(src, self)
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
                    raise Stop
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
            raise Stop
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
