"""The feedback workbook sent back to a body: its workbook made again, with every finding marked on it.

The body's figures and texts (as `export` gives them) are written into a fresh copy of the template, so the
township gets an intact, protected workbook it can correct and send back. Each cell a finding points at is
filled red (orange when it has warnings only) and carries a comment with the Chinese message; a sheet
listing every finding (cell, labels, found, expected, message) is put first. The returned file is only read.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from .findings import Finding
from .formats import key_in, newest, values_in
from .layout import layout_of
from .validate import Checked
from .wording import FEEDBACK_HEADER as HEADER
from .wording import FEEDBACK_SHEET as SHEET
from .wording import SEVERITY
from .workbook import PlainSheet, write_workbook

_WIDTHS = (6, 6, 18, 10, 8, 40, 16, 16, 16, 80)


def marked_cells(findings: Iterable[Finding]) -> dict[tuple[str, str], list[Finding]]:
    """(sheet, cell) → the findings at it, for the findings that name a cell."""
    out: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if f.sheet and f.cell:
            out.setdefault((f.sheet, f.cell), []).append(f)
    return out


def feedback_workbook(checked: Checked, findings: list[Finding]) -> bytes:
    """The workbook `checked` was read from, written again with `findings` marked: the bytes of a new .xlsx."""
    fmt = newest(checked.fmt)  # a workbook of an earlier version goes back as the one made now
    field_at = {
        (span.sheet, span.a1): key_in(key, checked.fmt, fmt)
        for key, span in layout_of(checked.fmt).cells.items()
    }
    marks, notes = {}, {}
    for (sheet, a1), found in marked_cells(findings).items():
        key = field_at.get((sheet, a1))
        if key is not None:  # every finding's cell is a field's; any other is still listed on SHEET
            marks[key] = min(str(f.severity) for f in found)  # "error" < "warning"
            notes[key] = "\n".join(f.message for f in found)
    rows = tuple(
        (
            i,
            SEVERITY[f.severity],
            f.code,
            f.sheet,
            f.cell,
            " / ".join(f.row),
            " / ".join(f.column),
            f.found,
            f.expected,
            f.message,
        )
        for i, f in enumerate(findings, start=1)
    )
    buf = io.BytesIO()
    write_workbook(
        buf,
        fmt,
        checked.org,
        checked.year,
        values_in(checked.fields(), checked.fmt, fmt),
        notes=notes,
        marks=marks,
        plain_sheets=(PlainSheet(SHEET, HEADER, rows, _WIDTHS),),
    )
    return buf.getvalue()
