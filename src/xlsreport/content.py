"""What a report shows, whatever it is set in (the Word document, the web page): its texts as paragraphs
and numbered parts, its official tables as grids of cells in the printed format's layout."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from .layout import header_spans
from .spec import Block, Format, Node, Table, depth_of, field_key, leaves_of

PARTS_VAR = "parts"  # the numbered parts of section 一, each {number, title, heading, paragraphs}

# Table geometry (A4 portrait, 210 mm − 28 mm − 26 mm of text width): the web page keeps its proportions.
TEXT_WIDTH_MM = 156
_STUB_GROUP_MM = 15  # each outer level of a row stub (三、本年度办理结果 / （三）不予公开)
_STUB_LEAF_MM = 48  # the innermost level of a row stub, which holds the long labels

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML; Excel cells can hold them


def paragraphs(text: str | None) -> list[str]:
    """The paragraphs of a workbook text: one per non-empty line, stripped."""
    lines = _CONTROL.sub("", (text or "").replace("\x0b", "\n")).splitlines()  # \x0b: Word's line break
    return [s for s in (line.strip() for line in lines) if s]


_CN_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (1–99)."""
    tens, ones = divmod(n, 10)
    if not tens:
        return _CN_DIGITS[ones]
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def text_context(fmt: Format, texts: Mapping[str, str]) -> dict[str, object]:
    """The texts of a report by part key, and the numbered parts of section 一 (PARTS_VAR)."""
    out: dict[str, object] = {p.key: paragraphs(texts.get(p.key)) for p in fmt.parts}
    numbered = []
    for p in fmt.parts:
        if p.title and out[p.key]:
            number = f"（{chinese_number(len(numbered) + 1)}）"
            numbered.append(
                {"number": number, "title": p.title, "heading": number + p.title, "paragraphs": out[p.key]}
            )
    out[PARTS_VAR] = numbered
    return out


def format_number(value: int | float) -> str:
    """12 → 12, 12.50 → 12.5, 3.0 → 3: no trailing zeros."""
    if isinstance(value, float):
        return f"{value + 0.0:.10f}".rstrip("0").rstrip(".")  # + 0.0 turns -0.0 into 0.0
    return str(value)


def cell_text(value: int | float | None) -> str:
    """A figure as a table cell shows it; an empty cell for None."""
    return format_number(value) if value is not None else ""


# ---------------------------------------------------------------- the official tables
@dataclass(frozen=True)
class GridCell:
    """A cell of a table's grid, or a merged range of it; rows and columns count from 0."""

    row: int
    col: int
    last_row: int
    last_col: int
    text: str
    role: str  # caption, corner, header, group (a stub row with children), stub, value
    key: str = ""  # the field a value cell shows


def table_grid(t: Table, values: Mapping[str, int | float] | None = None) -> list[GridCell]:
    """Every cell of a table in the official layout; with `values`, the value cells hold the numbers."""
    stub = max(depth_of(b.rows) for b in t.blocks)
    width = max(len(leaves_of(b.columns)) for b in t.blocks)
    cells: list[GridCell] = []
    row = 0
    for b in t.blocks:
        row = _block_grid(t, b, row, stub, width, values, cells)
    return cells


def _block_grid(t, b: Block, row, stub, width, values, cells: list[GridCell]) -> int:
    last = stub + width - 1
    if b.caption:
        cells.append(GridCell(row, 0, row, last, b.caption, "caption"))
        row += 1
    depth = depth_of(b.columns)
    if stub:
        cells.append(GridCell(row, 0, row + depth - 1, stub - 1, b.corner, "corner"))
    col_leaves = leaves_of(b.columns)
    for node, r0, r1, c0, c1 in header_spans(b.columns, row, depth, stub):
        # a block narrower than the table (表二's one-column blocks) lets its last column take the rest
        cells.append(
            GridCell(r0, c0, r1, last if c1 == stub + len(col_leaves) - 1 else c1, node.label, "header")
        )
    row += depth
    # header_spans is written for columns; for the row stub, levels are columns and leaves are rows
    for node, l0, l1, first, final in header_spans(b.rows, 0, stub, row):
        cells.append(GridCell(first, l0, final, l1, node.label, "group" if node.children else "stub"))
    row_leaves = leaves_of(b.rows) or [(Node(""), ())]
    for i, (rnode, _) in enumerate(row_leaves):
        for j, (cnode, _) in enumerate(col_leaves):
            key = field_key(t.key, rnode, cnode)
            text = cell_text(values[key]) if values is not None else ""
            c1 = last if j == len(col_leaves) - 1 else stub + j
            cells.append(GridCell(row + i, stub + j, row + i, c1, text, "value", key))
    return row + len(row_leaves)


def column_widths_mm(t: Table) -> list[float]:
    """Column widths filling the text width: the row stub first, the value columns share the rest."""
    stub = max(depth_of(b.rows) for b in t.blocks)
    width = max(len(leaves_of(b.columns)) for b in t.blocks)
    stub_mm = [_STUB_GROUP_MM] * (stub - 1) + [_STUB_LEAF_MM] * min(stub, 1)
    value_mm = (TEXT_WIDTH_MM - sum(stub_mm)) / width
    return [*stub_mm, *([value_mm] * width)]
