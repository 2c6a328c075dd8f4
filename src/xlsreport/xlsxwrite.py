"""xlsxwriter plumbing under workbook.py: values and formulas written to a cell, one rule put on many ranges."""

from __future__ import annotations

from collections.abc import Iterable

from xlsxwriter.utility import xl_range

from .layout import Span
from .rules import FAIL, PASS


def summed_number(value: object) -> int | float | None:
    """A value the spreadsheet would add up: SUM skips text, as Excel, WPS and LibreOffice all do."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def write_cell(ws, span, value: object, style, formula_value: object = None) -> None:
    """A value, or with `formula_value` a formula (`value`) with its cached result."""
    if span.merged:  # a one-column block of 表二: the value cell spans the table's width
        ws.merge_range(span.row, span.col, span.last_row, span.last_col, None, style)
    if formula_value is not None:
        ws.write_formula(span.row, span.col, value, style, formula_value)
    elif value is None or value == "":
        ws.write_blank(span.row, span.col, None, style)
    elif summed_number(value) is not None:
        ws.write_number(span.row, span.col, value, style)
    else:
        ws.write_string(span.row, span.col, str(value), style)


def rectangles(spans: Iterable[Span]) -> list[tuple[int, int, int, int]]:
    """The cells of `spans` (their top-left cells) as few rectangles: runs of neighbouring cells in a row,
    then runs of the same columns on neighbouring rows. (first row, first col, last row, last col)"""
    runs: list[tuple[int, int, int, int]] = []
    for s in sorted(spans, key=lambda s: (s.row, s.col)):
        if runs and runs[-1][2] == s.row and runs[-1][3] == s.col - 1:
            runs[-1] = (s.row, runs[-1][1], s.row, s.col)
        else:
            runs.append((s.row, s.col, s.row, s.col))
    out: list[tuple[int, int, int, int]] = []
    below: dict[tuple[int, int], int] = {}  # columns -> the rectangle they would extend
    for r, c0, _, c1 in runs:
        i = below.get((c0, c1))
        if i is not None and out[i][2] == r - 1:
            out[i] = (out[i][0], c0, r, c1)
        else:
            below[(c0, c1)] = len(out)
            out.append((r, c0, r, c1))
    return out


def multi_range(ranges: list[tuple[int, int, int, int]]) -> dict[str, object]:
    """xlsxwriter's options putting one rule on all of `ranges` (a sqref of several ranges, in one element
    instead of one per cell: a smaller file, written faster)."""
    return {"multi_range": " ".join(xl_range(*r) for r in ranges)}


def flag_checks(ws, ranges: list[tuple[int, int, int, int]], fm) -> None:
    """Red when a live check fails, green when it holds."""
    for shown, style in ((FAIL, "bad"), (PASS, "good")):
        rule = {"type": "cell", "criteria": "==", "value": f'"{shown}"', "format": fm[style]}
        ws.conditional_format(*ranges[0], {**rule, **multi_range(ranges)})
