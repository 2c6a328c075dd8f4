"""Check a read workbook: template integrity, value types, every rule. Cached formula results are never trusted."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from .errors import InputError
from .findings import Finding, Report
from .identity import DAMAGED_IDENTITY
from .layout import layout_of
from .narrative import check_texts
from .places import Province, province_of
from .reader import RawWorkbook
from .rules import MAX_NUMBER, Number, compute, defining_formula, judge, number_codes
from .sheetxml import Formula
from .spec import Field, Format, Kind

_PLAIN_NUMBER = re.compile(r"[+]?\d+(\.\d+)?")
_STRUCTURE = ("caption", "corner", "header", "stub")


@dataclass
class Checked:
    """What `check` learned from one workbook: the report, and the data a document is built from."""

    report: Report
    fmt: Format
    org: str
    year: int
    values: dict[str, Number]  # every table field, totals recomputed
    texts: dict[str, str]  # part key -> text
    info: dict[str, str]  # info key -> text
    raw: dict[str, object]  # input field key -> value as a JSON scalar (for export)

    def fields(self) -> dict[str, object]:
        """Every field's value keyed by field key, as `export` gives them and `fill` takes them back."""
        out: dict[str, object] = {f"info_{k}": v for k, v in self.info.items()}
        out["info_year"] = self.year
        for f in self.fmt.table_fields:
            out[f.key] = self.values[f.key] if f.computed else self.raw.get(f.key)
        out.update({f"text_{k}": v for k, v in self.texts.items()})
        return out


_XSTRING = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(text: str) -> str:
    """Characters XML forbids are stored as _x000B_ (ECMA-376 ST_Xstring); openpyxl leaves them so."""
    return _XSTRING.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def _text(value: object) -> str:
    if isinstance(value, str):
        value = _unescape(value)
    if value is None or isinstance(value, Formula):
        return ""
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date().isoformat()
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _same_formula(found: str, expected: str) -> bool:
    norm = lambda f: f.replace(" ", "").replace("$", "").upper().lstrip("=")  # noqa: E731
    return norm(found) == norm(expected)


class _Checker:
    def __init__(self, raw: RawWorkbook) -> None:
        self.raw, self.fmt, self.lay = raw, raw.fmt, layout_of(raw.fmt)
        self.findings: list[Finding] = []

    def add(self, code: str, f: Field | None = None, sheet: str = "", cell: str = "", **kw) -> None:
        """A finding at field `f`'s cell, or at `sheet`!`cell` (a label)."""
        if f is not None:
            self.findings.append(Finding.at(self.fmt, f.key, code, **kw))
        else:
            self.findings.append(Finding.make(code, sheet, cell, **kw))

    def labels(self) -> set[str]:
        """Report changed labels; return the sheets whose table structure can no longer be trusted."""
        broken: set[str] = set()
        for lbl in self.lay.labels:
            s = lbl.span
            raw, expected = self.raw.labels.get((s.sheet, s.row, s.col)), lbl.text.strip()
            if raw == expected:  # as written: nothing to unescape or strip (no label holds "_x")
                continue
            found = _text(raw)
            if found != expected:
                self.add("LABEL_CHANGED", sheet=s.sheet, cell=s.a1, found=found, expected=lbl.text)
                if lbl.role in _STRUCTURE:
                    broken.add(s.sheet)
        return broken

    def number(self, f: Field, value: object) -> Number | None:
        """The number in an input cell (after its findings), or None when it holds none (text, a formula)."""
        if isinstance(value, Formula):
            self.add("VALUE_FORMULA", f, found=value.text)
            return None
        if isinstance(value, bool | date | datetime):
            self.add("VALUE_TEXT", f, found=_text(value).upper())
            return None
        if isinstance(value, str):
            text = unicodedata.normalize("NFKC", value).strip()
            if not _PLAIN_NUMBER.fullmatch(text):
                self.add("VALUE_TEXT", f, found=value)
                return None
            number = float(text)
            number = int(number) if number.is_integer() else number
            self.add("VALUE_COERCED", f, found=value, expected=number)
            value = number
        if not math.isfinite(value):  # NaN or infinity: a damaged or hand-made file
            self.add("VALUE_TEXT", f, found=str(value))
            return None
        for code in number_codes(value, f.kind):  # reported, yet added up as the spreadsheet adds them,
            self.add(code, f, found=value, expected=MAX_NUMBER if code == "VALUE_TOO_LARGE" else None)
        return (
            int(value) if f.kind is Kind.COUNT and value == int(value) else value
        )  # so its ✓/✗ and ours agree

    def tables(self, broken: set[str]) -> tuple[dict[str, Number], dict[str, object]]:
        inputs: dict[str, Number] = {}
        constants: dict[str, Number] = {}
        exported: dict[str, object] = {}
        blanks: dict[str, list[Field]] = {}
        for f in self.fmt.table_fields:
            value = self.raw.cells[f.key]
            sheet = self.lay.cells[f.key].sheet
            if sheet in broken:
                continue
            if f.computed:
                self.computed(f, value, constants)
                continue
            if value is None or (isinstance(value, str) and not value.strip()):
                blanks.setdefault(sheet, []).append(f)
                continue
            number = self.number(f, value)
            if number is not None:
                inputs[f.key] = number
            shown = value.text if isinstance(value, Formula) else _text(value) or value
            exported[f.key] = number if number is not None else shown
        for sheet, fields in blanks.items():
            self.add("VALUE_BLANK", sheet=sheet, cell=self.lay.cells[fields[0].key].a1, found=len(fields))
        values = compute(self.fmt, inputs, constants)
        for o in judge(self.fmt, inputs, constants):
            at = o.check.cell_key
            if not o.ok and self.lay.cells[at].sheet not in broken:
                kw = {"found": o.found, "expected": o.expected, "left": o.left, "right": o.right}
                self.add(o.check.rule, self.fmt.fields[at], **kw)
        for code, keys in self.fmt.implausible.items():
            for key in keys:
                if values[key]:
                    self.add(code, self.fmt.fields[key], found=values[key])
        return values, exported

    def computed(self, f: Field, value: object, constants: dict[str, Number]) -> None:
        expected = defining_formula(self.fmt.definitions[f.key], self.lay)
        if isinstance(value, Formula):
            if not _same_formula(value.text, expected):
                self.add("FORMULA_CHANGED", f, found=value.text, expected=expected)
            return
        self.add("FORMULA_REPLACED", f, found=_text(value), expected=expected)
        # like the spreadsheet, whatever stands in the cell now is what the totals above it add up
        number = value if isinstance(value, int | float) and not isinstance(value, bool) else 0
        constants[f.key] = number

    def info(self) -> dict[str, str]:
        out = {}
        ident = self.raw.identity
        for f in self.fmt.info_fields:
            key = f.key.removeprefix("info_")
            out[key] = _text(self.raw.cells[f.key])
            if f.locked and key in ident and out[key] != ident[key]:
                self.add("IDENTITY_MISMATCH", f, found=out[key], expected=ident[key])
            elif not f.locked and not out[key]:
                self.add("INFO_MISSING", f)
        return out

    def texts(self) -> dict[str, str]:
        out = {}
        for part, f in zip(self.fmt.parts, self.fmt.text_fields, strict=True):
            out[part.key] = _text(self.raw.cells[f.key])
            if not out[part.key]:
                self.add("TEXT_EMPTY", f)
        return out


def check_raw(raw: RawWorkbook, *, province: Province | None = None, others: tuple[str, ...] = ()) -> Checked:
    """Validate a read workbook; findings are returned, never raised.

    The narrative is checked against the tables too; `province` (default: derived from the body's name)
    and `others` (other bodies' names) feed its place and name checks.
    """
    c = _Checker(raw)
    broken = c.labels()
    info = c.info()
    values, exported = c.tables(broken)
    texts = c.texts()
    try:
        org, year = raw.identity["org"], int(raw.identity["year"])
    except (KeyError, ValueError):
        raise InputError("NOT_TEMPLATE", path=raw.path, reason=DAMAGED_IDENTITY) from None
    invalid = {k for k, v in exported.items() if not isinstance(v, int | float)}
    c.findings += check_texts(
        raw.fmt,
        org,
        year,
        values,
        texts,
        province=province or province_of(org),
        others=others,
        invalid=invalid,
    )
    report = Report(raw.path, c.findings)
    return Checked(report, raw.fmt, org, year, values, texts, info, exported)
