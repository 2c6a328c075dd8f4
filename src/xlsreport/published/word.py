"""A .docx report as tables and paragraphs, in body order (python-docx, which the renderer already uses).

Merged cells come from python-docx's public rows (gridSpan and vMerge resolved), where a cell spanning
columns is one object.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from ..errors import InputError
from ..reasons import reason
from .limits import LIMITS, too_large
from .model import Cell, Grid, Paragraph, Source

_DOCUMENT = "word/document.xml"


def read_docx(path: Path) -> Source:
    shown = str(path)
    try:
        with zipfile.ZipFile(path) as z:
            info = z.getinfo(_DOCUMENT)
            if info.file_size > LIMITS.docx_part:
                raise too_large(shown, "docx_part", n=info.file_size, limit=LIMITS.docx_part)
        document = docx.Document(str(path))
    except KeyError as exc:  # what else a damaged package raises, read.py turns into PUB_DAMAGED
        raise InputError("PUB_DAMAGED", path=shown, reason=reason("PUB_DAMAGED", "no_body")) from exc
    source = Source("docx", title=(document.core_properties.title or "").strip())
    cells = 0
    for item in document.iter_inner_content():
        if isinstance(item, DocxParagraph):
            if item.text.strip():
                source.blocks.append(Paragraph(item.text.strip()))
        elif isinstance(item, DocxTable):
            grid = _grid(item)
            cells += sum(len(r) for r in grid.rows)
            if cells > LIMITS.cells:
                raise too_large(shown, "cells", limit=LIMITS.cells)
            source.blocks.append(grid)
    return source


def _grid(table: DocxTable) -> Grid:
    """The table's rows on its layout grid. python-docx gives a cell spanning columns as one object at each of
    them (kept one Cell here) and a row's gaps before and after its cells as counts."""
    rows = []
    for docx_row in table.rows:
        cells = docx_row.cells  # held while read: an id stays its cell's
        ours: dict[int, Cell] = {}
        row = [Cell("") for _ in range(docx_row.grid_cols_before)]
        for c in cells:
            if id(c) not in ours:
                ours[id(c)] = Cell("\n".join(p.text for p in c.paragraphs).strip())
            row.append(ours[id(c)])
        rows.append(row + [Cell("") for _ in range(docx_row.grid_cols_after)])
    return Grid(rows)
