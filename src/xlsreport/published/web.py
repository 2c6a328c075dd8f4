"""A report saved from a government website (.html/.htm) as tables and paragraphs (lxml's HTML parser).

Pages come from CMSs: GBK or UTF-8 (declared in a <meta>, or not at all), tables inside layout tables,
rowspan/colspan, &nbsp; for a blank, numbers inside <p> and <span style=…>. The encoding is the byte-order
mark's, else the declared one (gb2312 and gbk read as their superset GB18030), else whichever of UTF-8 and
GB18030 decodes the bytes. The report is the element around its tables, not the site's navigation.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import lxml.html
from lxml import etree

from ..errors import InputError
from ..reasons import reason
from .limits import LIMITS, too_large
from .model import Cell, Grid, Paragraph, Source, is_page_number

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_WIDER = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section", "article", "br", "td", "th"}
_SKIP = {"script", "style", "noscript", "head", "title", "iframe", "template"}
_MAX_SPAN = 1000  # rowspan/colspan as browsers clamp them (colspan 1000, rowspan 65534)


def decode(data: bytes) -> str:
    """The page's text, by BOM, declared charset or sniffing."""
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(name, errors="replace")
    m = _CHARSET.search(data[:4096])
    declared = m.group(1).decode("ascii").lower() if m else ""
    tried = [_WIDER.get(declared, declared)] if declared else []
    for name in (*tried, "utf-8", "gb18030"):
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace")


def read_html(path: Path, data: bytes) -> Source:
    shown = str(path)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", decode(data))
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise InputError("PUB_DAMAGED", path=shown, reason=reason("PUB_DAMAGED", "html", detail=exc)) from exc
    title = root.findtext(".//title") or ""
    depth = {root: 0}
    for el in root.iterdescendants():
        depth[el] = depth[el.getparent()] + 1
        if depth[el] > LIMITS.html_nesting:
            raise too_large(shown, "html_nesting", limit=LIMITS.html_nesting)
    source = Source("html", title=title.strip())
    walker = _Walker(source, shown)
    walker.walk(_content(root))
    walker.flush()
    return source


def _data_tables(root) -> list:
    return [t for t in root.iter("table") if not t.xpath(".//table")]


def _content(root):
    """The element holding the report: the nearest common ancestor of its tables that has the narrative too."""
    tables = _data_tables(root)
    if not tables:
        return root
    chains = [list(t.iterancestors()) for t in tables]
    common = [el for el in chains[0] if all(el in chain for chain in chains[1:])]
    for el in common:
        if "总体情况" in el.text_content():
            return el
    return root


class _Walker:
    def __init__(self, source: Source, shown: str) -> None:
        self.source, self.shown = source, shown
        self.text: list[str] = []
        self.cells = 0

    def flush(self) -> None:
        text = re.sub(r"[ \t\r\n\xa0]+", " ", "".join(self.text)).strip()  # as a browser shows it
        if text and not is_page_number(text):
            self.source.blocks.append(Paragraph(text))
        self.text = []

    def walk(self, el) -> None:
        for node in el.iterchildren():
            tag = node.tag if isinstance(node.tag, str) else ""
            if tag.lower() in _SKIP or not tag:
                self.add(node.tail)
                continue
            if tag.lower() == "table" and not node.xpath(".//table"):
                self.flush()
                self.source.blocks.append(self.grid(node))
            else:
                block = tag.lower() in _BLOCK
                if block:
                    self.flush()
                self.add(node.text)
                self.walk(node)
                if block:
                    self.flush()
            self.add(node.tail)

    def add(self, text: str | None) -> None:
        if text:
            self.text.append(text)

    def grid(self, table) -> Grid:
        dense: list[list[Cell | None]] = []
        for r, tr in enumerate(table.iter("tr")):
            while len(dense) <= r:
                dense.append([])
            c = 0
            for td in tr:
                if not isinstance(td.tag, str) or td.tag.lower() not in ("td", "th"):
                    continue
                while c < len(dense[r]) and dense[r][c] is not None:
                    c += 1
                cell = Cell(_cell_text(td))
                rows, cols = _span(td.get("rowspan")), _span(td.get("colspan"))
                self.cells += rows * cols
                if self.cells > LIMITS.cells:
                    raise too_large(self.shown, "cells", limit=LIMITS.cells)
                for dr in range(rows):
                    while len(dense) <= r + dr:
                        dense.append([])
                    line = dense[r + dr]
                    line.extend([None] * (c + cols - len(line)))
                    for dc in range(cols):
                        line[c + dc] = cell
                c += cols
        width = max((len(r) for r in dense), default=0)
        rows = [
            [cell or Cell("") for cell in r] + [Cell("") for _ in range(width - len(r))] for r in dense if r
        ]
        return Grid(rows)


def _span(value: str | None) -> int:
    try:
        return min(max(int(str(value).strip()), 1), _MAX_SPAN)
    except (TypeError, ValueError):
        return 1


def _cell_text(td) -> str:
    return re.sub(r"[\xa0\u3000]", " ", "".join(td.itertext())).strip()
