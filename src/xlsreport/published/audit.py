"""A published report's check, told in its own terms: findings by table, row, column and page (not by a
workbook cell), and the JSON `import` writes (the shape of `export`, totals as printed)."""

from __future__ import annotations

import re
from pathlib import Path

from ..findings import Finding
from ..layout import layout_of
from ..validate import Checked
from ..wording import PUBLISHED_PLACES
from .read import Published

# What a workbook's check says that means nothing for a printed report: its totals are printed, not formulas,
# and it names no filler, phone or date.
_NOT_APPLICABLE = {"FORMULA_REPLACED", "FORMULA_CHANGED", "INFO_MISSING"}
_CELL = re.compile(r"（[A-Z]{1,3}\d{1,5}）")


def relocate(raw: Published, findings: list[Finding]) -> list[Finding]:
    """`findings` moved from workbook cells to the printed report."""
    at = {(span.sheet, span.a1): key for key, span in layout_of(raw.fmt).cells.items()}
    out = []
    for f in findings:
        if f.code in _NOT_APPLICABLE:
            continue
        key = at.get((f.sheet, f.cell))
        table = raw.fmt.fields[key].table if key else ""
        sheet = PUBLISHED_PLACES.get(table, f.sheet)
        expected = _CELL.sub("", f.expected) if isinstance(f.expected, str) else f.expected
        page = raw.pages.get(key) if key else None
        out.append(
            Finding.make(
                f.code, sheet, "", f.row, f.column, f.found, expected, page, f.left, f.right, dict(f.words)
            )
        )
    return out


def document(raw: Published, checked: Checked) -> dict:
    """What `import` writes: `export`'s JSON of the printed report, with its source, pages and findings."""
    fmt, report = raw.fmt, checked.report
    fields = checked.fields()
    for f in fmt.table_fields:  # as printed: a total too, and a blank as null
        fields[f.key] = None if f.key in raw.merged else raw.cells[f.key]
    return {
        "format": fmt.id,
        "version": fmt.version,
        "source": {"file": Path(raw.path).name, "kind": raw.kind, "pages": raw.page_count},
        "org": checked.org,
        "year": checked.year,
        "check": {"ok": report.ok, "errors": report.errors, "warnings": report.warnings},
        "fields": fields,
        "pages": dict(sorted(raw.pages.items(), key=lambda kv: list(fmt.fields).index(kv[0]))),
        "preamble": raw.preamble,
        "findings": [f.to_dict() for f in report.findings],
    }
