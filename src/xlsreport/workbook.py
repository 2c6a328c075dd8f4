"""The locked workbook sent to townships. The only module that uses xlsxwriter."""

from __future__ import annotations

import json
import warnings
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import IO

import xlsxwriter

from . import __version__
from .findings import Finding
from .layout import (
    IDENTITY_KEYS,
    IDENTITY_PROPERTY,
    IDENTITY_SHEET,
    WORKINGS_SHEET,
    Layout,
    Span,
    layout_of,
)
from .live import HOLDS, check_formula, code_formula, failing_formula, message_formula, predicted, showing
from .rules import FAIL, PASS, compute, defining_formula
from .spec import Format, Kind, Wording
from .xlsxwrite import flag_checks, multi_range, rectangles, summed_number, write_cell

INPUT_FILL = "#FFF2CC"  # pale yellow: the cells a township fills
COMPUTED_FILL = "#E7E6E6"
HEADER_FILL = "#DDEBF7"
# Fixed so that the same input gives a byte-identical workbook.
CREATED = datetime(2021, 9, 26)

_PROTECT = {
    "format_columns": True,
    "format_rows": True,
    "select_locked_cells": True,
    "select_unlocked_cells": True,
}


def identity(fmt: Format, org: str, year: int) -> dict[str, str]:
    """What the workbook says about itself, on its hidden sheet and in a custom document property."""
    values = {
        "format": fmt.id,
        "version": str(fmt.version),
        "org": org,
        "year": str(year),
        "layout": layout_of(fmt).label_hash,
        "generator": f"xlsreport {__version__}",
    }
    return {k: values[k] for k in IDENTITY_KEYS}


_BASE = {"font_name": "宋体", "font_size": 11, "valign": "vcenter", "text_wrap": True}
_BOXED = {**_BASE, "border": 1}
STYLES: dict[str, dict[str, object]] = {
    "title": {**_BASE, "bold": True, "font_size": 16, "align": "center", "text_wrap": False},
    # a title too long for the page's width (填报说明 names the format): wraps, as big and bold
    "heading": {**_BASE, "bold": True, "font_size": 16, "align": "center"},
    "hint": {**_BASE, "font_color": "#595959", "font_size": 10, "italic": True},
    "caption": {**_BOXED, "bold": True, "bg_color": HEADER_FILL},
    "corner": {**_BOXED, "font_size": 9, "align": "center", "bg_color": HEADER_FILL},
    "header": {**_BOXED, "bold": True, "align": "center", "bg_color": HEADER_FILL},
    "stub": {**_BOXED, "bg_color": HEADER_FILL},
    "check": {**_BOXED, "font_size": 9, "align": "center", "font_color": "#595959"},
    "note": {**_BASE, "font_color": "#595959", "valign": "top"},
    "count": {**_BOXED, "locked": False, "bg_color": INPUT_FILL, "num_format": "0"},
    "amount": {**_BOXED, "locked": False, "bg_color": INPUT_FILL, "num_format": "General"},
    "computed": {**_BOXED, "bold": True, "bg_color": COMPUTED_FILL, "num_format": "0"},
    "text": {**_BASE, "border": 1, "locked": False, "bg_color": INPUT_FILL, "valign": "top"},
    "locked_text": {**_BOXED, "bg_color": COMPUTED_FILL},
    # a count pre-filled by the county (二、上年结转 from last year's report): shown, not editable
    "locked_count": {**_BOXED, "bg_color": COMPUTED_FILL, "num_format": "0"},
    "locked_amount": {**_BOXED, "bg_color": COMPUTED_FILL, "num_format": "General"},
    "live": {**_BOXED, "bold": True, "align": "center"},
    "cell": _BOXED,
    "bad": {"bg_color": "#FFC7CE", "font_color": "#9C0006"},
    "good": {"font_color": "#006100"},
}
# a cell the county's check found wrong, in a feedback workbook: the red of a failing live check; orange
# where the cell has warnings only
MARK_FILLS = {"error": "#FFC7CE", "warning": "#F8CBAD"}


def _formats(wb: xlsxwriter.Workbook) -> dict[str, xlsxwriter.format.Format]:
    styles = {name: wb.add_format(props) for name, props in STYLES.items()}
    for name, props in STYLES.items():
        for mark, fill in MARK_FILLS.items():
            styles[f"{name}/{mark}"] = wb.add_format({**props, "bg_color": fill})
    return styles


@dataclass(frozen=True)
class PlainSheet:
    """A plain table put before the template's sheets (汇总.xlsx's 状态 and 同比): a header row, then rows.

    Text is always written as text: a body's name starting with = + - @ never becomes a formula.
    """

    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    widths: tuple[float, ...] = ()
    title: str = ""  # a line above the header, across it


def write_workbook(
    target: Path | IO[bytes],
    fmt: Format,
    org: str,
    year: int,
    fields: Mapping[str, object] | None = None,
    *,
    locked: Collection[str] = (),
    notes: Mapping[str, str] | None = None,
    beside_notes: Mapping[str, str] | None = None,
    plain_sheets: Sequence[PlainSheet] = (),
    marks: Mapping[str, str] | None = None,
    total_of: str = "",
) -> None:
    """Write the locked workbook for one body; `fields` pre-fills cells by field key (for `fill`).

    `locked`: input fields pre-filled by the county that the body cannot change; `notes`: a comment on a
    field's cell; `beside_notes`: a visible note in the cell to a field's right; `plain_sheets`: tables
    put first (the county's summary workbook), the first of them shown on opening; `marks`: fields whose
    cell is filled in the colour of MARK_FILLS["error"] or ["warning"] (a feedback workbook);
    `total_of`: not a body's workbook but a total (汇总.xlsx), saying so where a body's has its filling
    hints: only the tables and their checks, every value locked, no template identity.
    """
    if fmt.frozen:
        raise ValueError(f"{fmt.id} version {fmt.version} is only read; workbooks are made with the newest")
    fields = dict(fields or {})
    fields["info_org"], fields["info_year"] = org, year
    lay = layout_of(fmt)
    inputs = {k: n for k, v in fields.items() if (n := summed_number(v)) is not None}
    values = compute(fmt, inputs)
    found = predicted(fmt, lay, fields)
    outcomes = [showing(lc, found) for lc in lay.checks]  # the finding each live check shows, or None

    wb = xlsxwriter.Workbook(target, {"in_memory": True, "strings_to_numbers": False})
    wb.set_properties(
        {"title": fmt.title(org, year), "created": CREATED, "company": org, "comments": fmt.name}
    )
    ident = identity(fmt, org, year)
    if not total_of:
        with warnings.catch_warnings():  # over 255 characters (a body name of 120+) Excel may drop the
            warnings.simplefilter("ignore")  # property on save; the hidden sheet still carries the identity
            wb.set_custom_property(IDENTITY_PROPERTY, json.dumps(ident, ensure_ascii=False, sort_keys=True))
    fm = _formats(wb)
    for plain in plain_sheets:
        _plain_sheet(wb.add_worksheet(plain.name), plain, fm)
    kept = (
        {*(t.sheet for t in fmt.tables), fmt.sheets["checks"], WORKINGS_SHEET}
        if total_of
        else set(lay.sheets)
    )
    sheets = {name: wb.add_worksheet(name) for name in lay.sheets if name in kept}

    for label in lay.labels:
        s, ws, text = label.span, sheets.get(label.span.sheet), label.text
        if ws is None:
            continue
        if total_of and label.role == "hint":
            text = total_of
        if s.merged:
            ws.merge_range(s.row, s.col, s.last_row, s.last_col, text, fm[label.role])
        else:
            ws.write_string(s.row, s.col, text, fm[label.role])

    marks = marks or {}

    def style(name: str, key: str):
        return fm[f"{name}/{marks[key]}" if key in marks else name]

    validated: dict[tuple[str, Kind], list[Span]] = {}
    for f in fmt.fields.values():
        span, ws = lay.cells[f.key], sheets.get(lay.cells[f.key].sheet)
        if ws is None:
            continue
        wb.define_name(f.key, "=" + span.absolute)
        if f.computed:
            formula = defining_formula(fmt.definitions[f.key], lay)
            write_cell(ws, span, formula, style("computed", f.key), formula_value=values[f.key])
        elif f.kind is Kind.TEXT:
            write_cell(ws, span, fields.get(f.key), style("locked_text" if f.locked else "text", f.key))
        elif f.key in locked or total_of:
            write_cell(ws, span, fields.get(f.key), style(f"locked_{f.kind.value}", f.key))
        else:
            write_cell(ws, span, fields.get(f.key), style(f.kind.value, f.key))
            validated.setdefault((span.sheet, f.kind), []).append(span)
    for (name, kind), spans in validated.items():
        _validate(sheets[name], spans, kind, fmt.words)
    for key, text in (notes or {}).items():
        span = lay.cells[key]
        sheets[span.sheet].write_comment(span.row, span.col, text, {"x_scale": 2, "y_scale": 1.5})
    for key, text in (beside_notes or {}).items():
        note = lay.beside(lay.cells[key])
        sheets[note.sheet].write_string(note.row, note.col, text, fm["note"])

    flagged: dict[str, list[Span]] = {}
    for lc, verdict, failed in zip(lay.checks, lay.verdicts, outcomes, strict=True):
        ws = sheets[lc.span.sheet]
        shows = FAIL if failed else PASS
        ws.write_formula(lc.span.row, lc.span.col, f"={verdict.absolute}", fm["live"], shows)
        flagged.setdefault(lc.span.sheet, []).append(lc.span)
    for name, spans in flagged.items():
        flag_checks(sheets[name], rectangles(spans), fm)

    _checks_sheet(sheets[fmt.sheets["checks"]], sheets[WORKINGS_SHEET], fmt, lay, fm, found, outcomes)
    sheets[WORKINGS_SHEET].hide()
    if not total_of:
        _identity_sheet(sheets[IDENTITY_SHEET], ident)
    _finish(fmt, lay, sheets)
    try:
        wb.close()
    except xlsxwriter.exceptions.FileCreateError as exc:  # xlsxwriter wraps the OSError of a failed write
        raise exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else OSError(str(exc)) from None


def _plain_sheet(ws, plain: PlainSheet, fm) -> None:
    top = 1 if plain.title else 0  # the header's row
    if plain.title:
        last = max(len(plain.header) - 1, 1)
        ws.merge_range(0, 0, 0, last, plain.title, fm["heading"])
        width = sum(plain.widths[: last + 1]) or 8.43 * (last + 1)
        ws.set_row(0, 22 * _lines(plain.title, width * 11 / 16))
    for col, head in enumerate(plain.header):
        ws.write_string(top, col, head, fm["header"])
    for r, row in enumerate(plain.rows, start=top + 1):
        for col, value in enumerate(row):
            if value is None or value == "":
                ws.write_blank(r, col, None, fm["cell"])
            elif summed_number(value) is not None:
                ws.write_number(r, col, value, fm["cell"])
            else:
                ws.write_string(r, col, str(value), fm["cell"])
    for col, width in enumerate(plain.widths):
        ws.set_column(col, col, width)
    for r, row in enumerate(
        plain.rows, start=top + 1
    ):  # office suites do not grow the rows of a file they open
        lines = max((_lines(str(v), w) for v, w in zip(row, plain.widths, strict=False) if v), default=1)
        if lines > 1:
            ws.set_row(r, 15 * lines)
    ws.freeze_panes(top + 1, 0)
    ws.autofilter(top, 0, top + max(len(plain.rows), 1), max(len(plain.header) - 1, 0))
    # printed as a list: every column on one page width, the header on every page
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(top)


def _validate(ws, spans: list[Span], kind: Kind, words: Wording) -> None:
    whole = kind is Kind.COUNT
    ranges = rectangles(spans)
    prompt = dict(
        zip(
            ("input_title", "input_message", "error_title", "error_message"),
            words.count_prompt if whole else words.amount_prompt,
            strict=True,
        )
    )
    ws.data_validation(
        *ranges[0],
        {
            "validate": "integer" if whole else "decimal",
            "criteria": ">=",
            "value": 0,
            **prompt,
            **multi_range(ranges),
        },
    )


def _checks_sheet(
    ws,
    workings,
    fmt: Format,
    lay: Layout,
    fm,
    found: Mapping[tuple[str, str], Finding],
    outcomes: Sequence[Finding | None],
) -> None:
    """校验结果, and the live checks' workings (hidden) whose ✓/✗ and messages it shows."""
    f = lay.failing
    ws.write_formula(f.row, f.col, failing_formula(lay), fm["live"], sum(map(bool, outcomes)))
    ws.conditional_format(
        f.row, f.col, f.row, f.col, {"type": "cell", "criteria": ">", "value": 0, "format": fm["bad"]}
    )
    for i, (lc, failed) in enumerate(zip(lay.checks, outcomes, strict=True)):
        shows, message = (FAIL, failed.message) if failed else (PASS, "")
        verdict, reason, span, note = lay.verdicts[i], lay.reasons[i], lay.check_rows[i], lay.messages[i]
        workings.write_formula(verdict.row, verdict.col, check_formula(fmt, lay, i), None, shows)
        workings.write_formula(reason.row, reason.col, message_formula(fmt, lay, i), None, message)
        for key, at in zip(lc.inputs, lay.value_codes[i], strict=True):
            held = next((n for code, n in HOLDS.items() if (code, key) in found), 0)
            workings.write_formula(at.row, at.col, code_formula(fmt, lay, key, at), None, held)
        ws.write_formula(span.row, span.col, f"={verdict.absolute}", fm["live"], shows)
        ws.write_formula(note.row, note.col, f"={reason.absolute}", fm["note"], message)
    first, last = lay.check_rows[0], lay.check_rows[-1]
    flag_checks(ws, [(first.row, first.col, last.row, last.col)], fm)


def _lines(text: str, width: float) -> int:
    """How many lines `text` wraps to in a column `width` characters wide (a Chinese character is two)."""
    return sum(-(-len(line) * 2 // max(int(width) - 1, 1)) or 1 for line in text.split("\n"))


@cache  # the same for every workbook of a format
def _row_heights(lay: Layout, sheet: str) -> dict[int, float]:
    """Tall enough for each one-row label to wrap: office suites do not grow rows of a file they open."""
    widths = lay.widths.get(sheet, {})
    heights: dict[int, float] = {}
    for lbl in lay.sheet_labels(sheet):
        s = lbl.span
        if s.row != s.last_row or lbl.role == "title":
            continue
        width = sum(widths.get(c, 8.43) for c in range(s.col, s.last_col + 1))
        size = STYLES[lbl.role].get("font_size", 11) / 11  # a heading's characters are bigger
        height = 15 * size * _lines(lbl.text, width / size)
        heights[s.row] = max(heights.get(s.row, 15), height)
    return heights


def _identity_sheet(ws, ident: Mapping[str, str]) -> None:
    for i, (key, value) in enumerate(ident.items()):
        ws.write_string(i, 0, key)
        ws.write_string(i, 1, value)
    ws.hide()


# A4 at 100%: what a portrait page's printable width holds, in characters of column width
PORTRAIT_WIDTH = 90


def _finish(fmt: Format, lay: Layout, sheets) -> None:
    tables = {t.sheet for t in fmt.tables}
    for name, ws in sheets.items():
        widths = lay.widths.get(name, {})
        for col, width in widths.items():
            ws.set_column(col, col, width)
        for row, height in _row_heights(lay, name).items():
            ws.set_row(row, height)
        ws.set_paper(9)  # A4, for the clerk who prints it
        if sum(widths.values()) > PORTRAIT_WIDTH:
            ws.set_landscape()
        # a list (文字部分, 校验结果) as wide as the page, as long as it runs, its header on every page;
        # anything else on one page
        heads = [lbl.span.row for lbl in lay.sheet_labels(name) if lbl.role == "header"]
        if heads and name not in tables:
            ws.fit_to_pages(1, 0)
            ws.repeat_rows(min(heads), max(heads))
        else:
            ws.fit_to_pages(1, 1)
        ws.protect("", _PROTECT)
    text = sheets.get(fmt.sheets["text"])
    for f in fmt.text_fields if text else ():
        text.set_row(lay.cells[f.key].row, 150)
