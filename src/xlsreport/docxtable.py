"""The w:tbl of each official table, as WordprocessingML: fixed column widths (content.py's geometry), full
borders, merged header and stub cells, rows kept together across pages. The only raw table XML; render.py
puts a copy of it into each report, with the numbers in."""

from __future__ import annotations

from xml.sax.saxutils import escape

from docx.oxml.ns import nsdecls

from .content import GridCell, column_widths_mm, table_grid
from .spec import Table

_CELL_MARGIN_TWIPS = 57  # 1 mm left and right: 15 columns of 10 mm still hold a number
_TWIPS_PER_MM = 1440 / 25.4


def _twips(widths_mm: list[float]) -> list[int]:
    """Whole twips summing exactly to the text width."""
    edges = [round(sum(widths_mm[: i + 1]) * _TWIPS_PER_MM) for i in range(len(widths_mm))]
    return [b - a for a, b in zip([0, *edges], edges, strict=False)]


ALIGN = {
    "stub": "left",
    "group": "center",
    "corner": "center",
}  # a cell role's alignment; any other role is centred
_BORDER = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'


def table_xml(t: Table, style_id: str) -> tuple[str, tuple[str, ...]]:
    """The w:tbl of a table (fixed column widths, full borders, merged header and stub cells), every number
    NUMBER, and the field of each number in document order."""
    cells = table_grid(t)
    widths = _twips(column_widths_mm(t))
    nrows = max(c.last_row for c in cells) + 1
    header_rows = {r for c in cells if c.role in ("header", "corner") for r in range(c.row, c.last_row + 1)}
    # a header repeats on the next page only when it is the table's top: not for 表二's later blocks
    repeat: set[int] = set()
    while len(repeat) in header_rows:
        repeat.add(len(repeat))
    starts = {(c.row, c.col): c for c in cells}
    below = {(r, c.col): c for c in cells for r in range(c.row + 1, c.last_row + 1)}
    borders = "".join(
        _BORDER.format(side) for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    xml = [
        f"<w:tbl {nsdecls('w')}><w:tblPr>"
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:left w:w="{_CELL_MARGIN_TWIPS}" w:type="dxa"/>'
        f'<w:right w:w="{_CELL_MARGIN_TWIPS}" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0"'
        ' w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>',
        *(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
    ]
    keys: list[str] = []
    keep = _kept_with_next(cells, nrows)
    for r in range(nrows):
        xml.append(f"<w:tr><w:trPr><w:cantSplit/>{'<w:tblHeader/>' if r in repeat else ''}</w:trPr>")
        keep_next = "<w:keepNext/>" if r in keep else ""
        col = 0
        while col < len(widths):
            cell, merge = starts.get((r, col)), ""
            if cell is not None and cell.last_row > cell.row:
                merge = '<w:vMerge w:val="restart"/>'
            elif cell is None:
                cell, merge = below[(r, col)], "<w:vMerge/>"
            span = cell.last_col - cell.col + 1
            xml.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{sum(widths[col : col + span])}" w:type="dxa"/>'
                + (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "")
                + merge
                + '<w:vAlign w:val="center"/></w:tcPr>'
                f'<w:p><w:pPr><w:pStyle w:val="{escape(style_id)}"/>{keep_next}'
                f'<w:jc w:val="{ALIGN.get(cell.role, "center")}"/></w:pPr>'
            )
            if cell.key:
                keys.append(cell.key)
            xml.append(_run(NUMBER if cell.key else cell.text if cell.row == r else ""))
            xml.append("</w:p></w:tc>")
            col += span
        xml.append("</w:tr>")
    xml.append("</w:tbl>")
    return "".join(xml), tuple(keys)


KEEP_ROWS = 3  # a table broken across pages leaves at least this many rows of figures on either page
GROUP_ROWS = 8  # the rows under a merged label of up to this many rows stay on one page
SHORT_BLOCK = 8  # a block with no more rows of figures than this is never broken


def _kept_with_next(cells: list[GridCell], nrows: int) -> set[int]:
    """The rows that stay on the page of the row below them (Word and LibreOffice both honour it).

    A short table stays whole; 表二 may break between its blocks; a long table (表三) breaks only between
    its groups of rows, never right under its header or before its last rows, and repeats its header. Kept
    whole, 表三 (two thirds of a page) left two thirds of the page before it blank.
    """
    figures = {c.row for c in cells if c.role == "value"}
    blocks: list[list[int]] = []
    for r in range(nrows):
        if not blocks or (r not in figures and r - 1 in figures):  # a caption or header starts a block
            blocks.append([])
        blocks[-1].append(r)
    keep = set()
    for rows in blocks:
        data = [r for r in rows if r in figures]
        for r in rows[:-1]:
            if len(data) <= SHORT_BLOCK or r < data[KEEP_ROWS - 1] or r >= data[-KEEP_ROWS]:
                keep.add(r)
    for c in cells:
        if c.last_row - c.row < GROUP_ROWS:
            keep.update(range(c.row, c.last_row))
    return keep


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else ""


NUMBER = "\ue000"  # a number's place while a table is laid out: a private-use character, in no label
