"""A PDF's text layer, with positions, as tables and paragraphs (pypdfium2: PDFium in C, fast enough to read a
six-page report in a fraction of a second; pdfplumber's pure-Python parser takes seconds for the same file).

Tables are rebuilt from their ruling lines: each stroked (or hairline-filled) horizontal and vertical segment
of a page, joined where they touch; a cell is a run of the finest grid with no line between its parts. Text
outside every table makes the paragraphs: lines joined until a line starts indented or a heading begins.
"""

from __future__ import annotations

import ctypes
import itertools
import re
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..errors import InputError
from ..reasons import reason
from .limits import LIMITS, too_large
from .model import Cell, Grid, Paragraph, Source, is_page_number

TOL = 2.0  # points: lines closer than this are one line
RULE = 3.0  # points: a filled bar no thicker than this is a ruling line (a 2¼ pt border is drawn as one)


@dataclass
class _Char:
    ch: str
    x0: float
    x1: float
    top: float  # the line's extent as the font sets it: punctuation lines up with its line
    bottom: float
    cx: float  # the middle of the glyph itself: which table cell it is in
    cy: float


def read_pdf(path: Path) -> Source:
    shown = str(path)
    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise InputError("PUB_ENCRYPTED", path=shown) from exc
        raise InputError(
            "PUB_DAMAGED", path=shown, reason=reason("PUB_DAMAGED", "pdf_open", detail=exc)
        ) from exc
    try:
        if len(doc) > LIMITS.pages:
            raise too_large(shown, "pages", n=len(doc), limit=LIMITS.pages)
        source = Source("pdf", pages=len(doc), title=(doc.get_metadata_dict().get("Title") or "").strip())
        text = _Paragraphs(source)
        chars = 0
        for number in range(1, len(doc) + 1):
            page = doc[number - 1]
            try:
                chars += _read_page(page, number, text, shown)
            finally:
                page.close()
        text.flush()
        if chars == 0:
            raise InputError("PUB_SCANNED", path=shown)
        return source
    except pdfium.PdfiumError as exc:
        raise InputError(
            "PUB_DAMAGED", path=shown, reason=reason("PUB_DAMAGED", "pdf_content", detail=exc)
        ) from exc
    finally:
        doc.close()


def _read_page(page, number: int, text: _Paragraphs, shown: str) -> int:
    height = page.get_height()
    chars = _chars(page, height, shown)
    horizontal, vertical = (_joined(segs) for segs in _segments(page, height, shown))
    items: list[tuple[float, object]] = []
    inside: set[int] = set()
    for hs, vs in _tables(horizontal, vertical):
        made = _grid(hs, vs, chars, number)
        if made is not None:
            top, grid, used = made
            items.append((top, grid))
            inside.update(id(c) for c in used)
    lines = [run for line in _lines([c for c in chars if id(c) not in inside]) for run in _runs(line)]
    items += [(line[0].top, line) for line in lines]
    items.sort(key=lambda item: item[0])
    left = min((line[0].x0 for line in lines), default=0.0)
    right = max((line[-1].x1 for line in lines), default=0.0)
    for _, item in items:
        if isinstance(item, Grid):
            text.flush()
            text.source.blocks.append(item)
        else:
            text.add(item, number, left, right)
    return len(chars)


def _chars(page, height: float, shown: str) -> list[_Char]:
    text = page.get_textpage()
    try:
        n = text.count_chars()
        if n > LIMITS.chars_per_page:
            raise too_large(shown, "chars", n=n, limit=LIMITS.chars_per_page)
        out = []
        for i in range(n):
            code = pdfium_c.FPDFText_GetUnicode(text.raw, i)
            ch = chr(code) if 0 < code < 0x110000 else ""
            if not ch or ch in "\r\n" or pdfium_c.FPDFText_IsGenerated(text.raw, i) == 1:
                continue  # line breaks come from the positions; PDFium's guessed spaces are left out
            x0, x1, y0, y1 = _tight(text, i)
            _, _, loose0, loose1 = _loose(text, i) or (x0, x1, y0, y1)
            cx, cy = (x0 + x1) / 2, height - (y0 + y1) / 2
            out.append(_Char(ch, x0, x1, height - loose1, height - loose0, cx, cy))
        return out
    finally:
        text.close()


def _loose(text, i: int) -> tuple[float, float, float, float] | None:
    """The character's box as its font sets it (the whole line height)."""
    rect = pdfium_c.FS_RECTF()
    if pdfium_c.FPDFText_GetLooseCharBox(text.raw, i, rect):
        return rect.left, rect.right, rect.bottom, rect.top
    return None


def _tight(text, i: int) -> tuple[float, float, float, float]:
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    pdfium_c.FPDFText_GetCharBox(text.raw, i, left, right, bottom, top)
    return left.value, right.value, bottom.value, top.value


# ---------------------------------------------------------------- ruling lines → grids
def _segments(page, height: float, shown: str) -> tuple[list, list]:
    """Horizontal (y, x0, x1) and vertical (x, y0, y1) segments, in top-down coordinates."""
    horizontal, vertical = [], []
    count = 0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=LIMITS.nesting):
        count += 1
        if count > LIMITS.paths_per_page:
            raise too_large(shown, "paths", limit=LIMITS.paths_per_page)
        fill, stroke = ctypes.c_int(), ctypes.c_int()
        pdfium_c.FPDFPath_GetDrawMode(obj.raw, fill, stroke)
        left, bottom, right, top = obj.get_bounds()
        if not stroke.value:  # a filled shape is a line only when it is a thin bar (a border of up to 3 pt)
            width, tall = right - left, top - bottom
            if width <= RULE < tall and tall >= 4 * width:
                vertical.append(((left + right) / 2, height - top, height - bottom))
            elif tall <= RULE < width and width >= 4 * tall:
                horizontal.append((height - (top + bottom) / 2, left, right))
            continue
        for (x0, y0), (x1, y1) in _path_edges(obj):
            if abs(y0 - y1) <= TOL and abs(x0 - x1) > TOL:
                horizontal.append((height - (y0 + y1) / 2, min(x0, x1), max(x0, x1)))
            elif abs(x0 - x1) <= TOL and abs(y0 - y1) > TOL:
                vertical.append(((x0 + x1) / 2, height - max(y0, y1), height - min(y0, y1)))
    return horizontal, vertical


def _path_edges(obj) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    m = obj.get_matrix()
    points: list[tuple[float, float]] = []
    edges = []
    start = None
    for i in range(pdfium_c.FPDFPath_CountSegments(obj.raw)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj.raw, i)
        x, y = ctypes.c_float(), ctypes.c_float()
        pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
        p = (m.a * x.value + m.c * y.value + m.e, m.b * x.value + m.d * y.value + m.f)
        if pdfium_c.FPDFPathSegment_GetType(seg) == pdfium_c.FPDF_SEGMENT_MOVETO or not points:
            start = p
        else:
            edges.append((points[-1], p))
        points.append(p)
        if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None:
            edges.append((p, start))
    return edges


def _cluster(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= TOL:
            continue
        out.append(v)
    return out


def _snap(value: float, stops: list[float]) -> int:
    return min(range(len(stops)), key=lambda i: abs(stops[i] - value))


def _joined(segments: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Pieces of one line made one: a browser draws a row's border cell by cell, often under merged cells.

    Pieces are one line only at the same place (half a point): two tables printed edge to edge keep
    their own lines even where those lie a point or two apart."""
    out: list[tuple[float, float, float]] = []
    line: list[tuple[float, float, float]] = []
    for seg in [*sorted(segments), (float("inf"), 0.0, 0.0)]:
        if line and seg[0] - line[0][0] > 0.5:
            at = line[0][0]
            pieces = sorted(line, key=lambda p: p[1])
            start, end = pieces[0][1], pieces[0][2]
            for _, s0, s1 in pieces[1:]:
                if s0 <= end + TOL:
                    end = max(end, s1)
                else:
                    out.append((at, start, end))
                    start, end = s0, s1
            out.append((at, start, end))
            line = []
        line.append(seg)
    return out


def _tables(horizontal: list, vertical: list):
    """Segments grouped into tables: those that touch each other, transitively."""
    segs = [("h", s) for s in horizontal] + [("v", s) for s in vertical]
    parent = list(range(len(segs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    hs = [i for i, (k, _) in enumerate(segs) if k == "h"]
    vs = [i for i, (k, _) in enumerate(segs) if k == "v"]
    for i in hs:
        y, x0, x1 = segs[i][1]
        for j in vs:
            x, y0, y1 = segs[j][1]
            if x0 - TOL <= x <= x1 + TOL and y0 - TOL <= y <= y1 + TOL:
                parent[find(i)] = find(j)
    groups: dict[int, tuple[list, list]] = {}
    for i, (kind, seg) in enumerate(segs):
        group = groups.setdefault(find(i), ([], []))
        group[0 if kind == "h" else 1].append(seg)
    return [g for g in groups.values() if g[0] and g[1]]


def _covered(spans: list[tuple[float, float]], a: float, b: float) -> bool:
    """Whether the segments `spans` cover most of (a, b): a line between two grid cells."""
    mid, half = (a + b) / 2, (b - a) / 4
    return any(s0 - TOL <= mid - half and mid + half <= s1 + TOL for s0, s1 in spans)


def _grid(
    horizontal: list, vertical: list, chars: list[_Char], number: int
) -> tuple[float, Grid, list[_Char]] | None:
    """The table the segments rule, its top, and the characters inside it."""
    # the table's edges are where its lines end too: a row cut by a page break has no border on that side
    ys = _cluster([h[0] for h in horizontal] + [min(v[1] for v in vertical), max(v[2] for v in vertical)])
    xs = _cluster([v[0] for v in vertical] + [min(h[1] for h in horizontal), max(h[2] for h in horizontal)])
    if len(ys) < 2 or len(xs) < 2:
        return None
    h_at: dict[int, list] = {}
    for y, x0, x1 in horizontal:
        h_at.setdefault(_snap(y, ys), []).append((x0, x1))
    v_at: dict[int, list] = {}
    for x, y0, y1 in vertical:
        v_at.setdefault(_snap(x, xs), []).append((y0, y1))
    rows, cols = len(ys) - 1, len(xs) - 1
    parent = list(range(rows * cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(rows):
        for c in range(cols):
            if c + 1 < cols and not _covered(v_at.get(c + 1, []), ys[r], ys[r + 1]):
                parent[find(r * cols + c + 1)] = find(r * cols + c)
            if r + 1 < rows and not _covered(h_at.get(r + 1, []), xs[c], xs[c + 1]):
                parent[find((r + 1) * cols + c)] = find(r * cols + c)
    texts: dict[int, list[_Char]] = {}
    inside = []
    for ch in chars:
        if not (xs[0] <= ch.cx <= xs[-1] and ys[0] <= ch.cy <= ys[-1]):
            continue
        r = next(i for i in range(rows) if ch.cy <= ys[i + 1])
        c = next(i for i in range(cols) if ch.cx <= xs[i + 1])
        texts.setdefault(find(r * cols + c), []).append(ch)
        inside.append(ch)
    cells: dict[int, Cell] = {}
    dense = []
    for r in range(rows):
        row = []
        for c in range(cols):
            root = find(r * cols + c)
            if root not in cells:
                cells[root] = Cell(_cell_text(texts.get(root, [])), number)
            row.append(cells[root])
        if not dense or any(a is not b for a, b in zip(row, dense[-1], strict=True)):
            dense.append(row)
    return ys[0], Grid(dense, number), inside


def _cell_text(chars: list[_Char]) -> str:
    if len(chars) > 2 and max(c.x0 for c in chars) < min(c.x1 for c in chars):  # one character a line
        return "".join(c.ch for c in sorted(chars, key=lambda c: c.cy))
    return "\n".join("".join(c.ch for c in line).strip() for line in _lines(chars)).strip()


# ---------------------------------------------------------------- text lines → paragraphs
def _lines(chars: list[_Char]) -> list[list[_Char]]:
    """Characters in reading order, grouped into lines by their vertical middle."""
    lines: list[list[_Char]] = []
    for ch in sorted(chars, key=lambda c: ((c.top + c.bottom) / 2, c.x0)):
        line = lines[-1] if lines else None
        middle = (ch.top + ch.bottom) / 2
        if line and abs(middle - (line[0].top + line[0].bottom) / 2) <= max(
            2.0, (line[0].bottom - line[0].top) / 2
        ):
            line.append(ch)
        else:
            lines.append([ch])
    for line in lines:
        line.sort(key=lambda c: c.x0)
    return lines


def _runs(line: list[_Char]) -> list[list[_Char]]:
    """A line split where a wide gap parts it: text side by side (a sidebar beside a title) is not one line."""
    runs = [[line[0]]]
    for prev, ch in itertools.pairwise(line):
        if ch.x0 - prev.x1 > 3 * max(
            ch.bottom - ch.top, 1.0
        ):  # three ems: a narrow glyph's box is no measure
            runs.append([])
        runs[-1].append(ch)
    return runs


_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十]+\s*[）)])")


class _Paragraphs:
    """Lines outside the tables, joined into paragraphs; a paragraph may run on over a page break."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.text, self.page, self.ended = "", 0, True

    def add(self, line: list[_Char], number: int, left: float, right: float) -> None:
        text = "".join(c.ch for c in line).strip()
        if not text or is_page_number(text):
            return
        size = max(c.x1 - c.x0 for c in line)
        if self.ended or line[0].x0 > left + size * 0.8 or _HEADING.match(text):
            self.flush()
            self.page = number
        elif self.text[-1:].isascii() and text[:1].isascii():
            self.text += " "
        self.text += text
        self.ended = line[-1].x1 < right - size * 2  # a line stopping well short of the margin ends it

    def flush(self) -> None:
        if self.text:
            self.source.blocks.append(Paragraph(self.text, self.page))
        self.text, self.ended = "", True
