"""Which printed cell is which field: one matcher for every source, derived from the format declaration.

Rows are found by their labels (normalised: width, spaces, punctuation), so a table may be split over pages,
repeat its header, print a label over two lines or with a typo. A row's figures are its last cells, as many
as its block has columns. A block without row labels (表四) is found by its top-level column labels and
takes the first row of figures after them. Nothing is guessed: a row not found is left blank and said so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache

from ..errors import InputError
from ..findings import Finding
from ..reasons import reason
from ..spec import Block, Format, Node, Table, field_key, leaves_of
from .model import Cell, Grid, distinct, is_value, normalise, value_of

SIMILAR = 0.75  # a printed label this close to the format's is the same label, misprinted
SIMILAR_NUMBERED = 0.5  # ... or this close, when its number (2.) and its group agree


@dataclass(frozen=True)
class _Row:
    table: Table
    block: Block
    node: Node
    path: tuple[str, ...]  # label path, as the format declares it
    groups: tuple[str, ...]  # the normalised labels of the inner rows above it

    @property
    def norm(self) -> str:
        return normalise(self.node.label)


@dataclass(frozen=True)
class _Group:
    table: Table
    block: Block
    node: Node
    path: tuple[str, ...]


class _Index:
    """The format's rows, groups and label-less blocks, by normalised label."""

    def __init__(self, fmt: Format) -> None:
        self.rows: list[_Row] = []
        self.groups: dict[str, _Group] = {}
        self.headerless: list[tuple[Table, Block, frozenset[str]]] = []
        for t in fmt.tables:
            for b in t.blocks:
                if not b.rows:
                    self.headerless.append((t, b, frozenset(normalise(c.label) for c in b.columns)))
                    continue
                prefix = (b.caption,) if b.caption else ()
                for node in b.rows:
                    self._add(t, b, node, prefix, ())
        self.columns = {
            normalise(c.label) for t in fmt.tables for b in t.blocks for c, _ in leaves_of(b.columns)
        }
        self.by_label: dict[str, list[_Row]] = {}
        for r in self.rows:
            self.by_label.setdefault(r.norm, []).append(r)

    def _add(self, t: Table, b: Block, node: Node, path: tuple[str, ...], groups: tuple[str, ...]) -> None:
        path = (*path, node.label)
        if not node.children:
            self.rows.append(_Row(t, b, node, path, groups))
            return
        self.groups[normalise(node.label)] = _Group(t, b, node, path)
        for child in node.children:
            self._add(t, b, child, path, (*groups, normalise(node.label)))


@cache
def _index(fmt: Format) -> _Index:
    return _Index(fmt)


_ORDINAL = re.compile(r"\d+|[一二三四五六七八九十]+")


def _ordinal(norm: str) -> str:
    """The number a normalised label begins with (2 of 2其他法律…, 三 of 三不予公开), or ""."""
    m = _ORDINAL.match(norm)
    return m.group() if m else ""


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


@dataclass
class Matched:
    """The printed values by field key (None: blank), the page of each, and what reading them found."""

    cells: dict[str, object] = field(default_factory=dict)
    pages: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    merged: set[str] = field(default_factory=set)  # fields whose figures stand in a group's one row


class _Reader:
    def __init__(self, fmt: Format, shown: str) -> None:
        self.fmt, self.index, self.shown = fmt, _index(fmt), shown
        self.out = Matched()
        self.seen: set[str] = set()  # row keys read (or covered by a one-row group)
        self.group: str = ""  # the inner row the rows below belong to, across grids and pages
        self.pending = ""  # a label that ran on into the next row
        self.expect: tuple[Table, Block] | None = None  # a label-less block whose figures come next
        self.header: list[str] = []  # the last row of column labels in this grid
        self.spans: dict[int, tuple[int, int]] = {}  # id(cell) -> the grid columns it covers
        self.under: list[tuple[int, int]] = []  # the grid columns under the format's column labels
        self.labelled: set[str] = set()  # the format's column labels over the rows now read, across grids
        self.headed: set[str] = set()  # fields read under their own column labels

    def grid(self, grid: Grid) -> None:
        self.header, self.under, self.spans = [], [], {}
        for row in grid.rows:
            for j, cell in enumerate(row):
                first, _ = self.spans.get(id(cell), (j, j))
                self.spans[id(cell)] = (first, j)
        for row in grid.rows:
            self.row(distinct(row))

    def labels_over(self, cells: list[Cell]) -> None:
        """A row of column labels: remembered for the 2019 check, and where the figures stand under it."""
        self.header = [c.text for c in cells if c.text.strip()]
        under = [self.spans[id(c)] for c in cells if normalise(c.text) in self.index.columns]
        self.under = under or self.under
        self.labelled = {normalise(c.text) for c in cells} & self.index.columns or self.labelled

    def row(self, cells: list[Cell]) -> None:
        texts = [normalise(c.text) for c in cells]
        for t, b, labels in self.index.headerless:
            if labels <= set(texts):
                self.expect = (t, b)
                return
        labelled = [i for i, c in enumerate(cells) if texts[i] and not is_value(c.text)]
        if self.expect is not None and not labelled:
            t, b = self.expect
            if len(cells) >= len(leaves_of(b.columns)):
                self.expect = None
                self.take(t, b, None, cells)
            return
        if not labelled:
            return
        for i in labelled:
            if texts[i] in self.index.groups:
                self.group = texts[i]
        # the row's label: the last label cell, unless a figure printed as text (3件) stands after it
        exact = [i for i in labelled if texts[i] in self.index.by_label]
        last = exact[-1] if exact else labelled[-1]
        if texts[last] in self.index.columns:  # a row of column labels (repeated on a new page, too)
            self.labels_over(cells)
            return
        found = self.find(texts[last], any(value_of(c.text) is not None for c in cells[last + 1 :]))
        if found is None:
            if not self.pending and all(not is_value(c.text) for c in cells[last + 1 :]):
                self.labels_over(cells)  # column labels, maybe not ours
            return
        figures = cells[last + 1 :]
        if isinstance(found, _Group):
            self.one_row(found, figures, cells[last].page)
            return
        r, printed = found
        if normalise(printed) != r.norm:
            shown = cells[last].text.replace("\n", "")
            self.note("PUB_LABEL", r.table, r.path, cells[last].page, found=shown, expected=r.node.label)
        under = self.under_its_columns(r)
        self.header = []  # a row of column labels is over the first row below it, not over every later one
        if under:
            self.take(r.table, r.block, r, figures)

    def find(self, label: str, figures: bool) -> tuple[_Row, str] | _Group | None:
        """The format's row (and the label as printed) for a printed row label, or a group printed as one row.

        `figures`: the row prints figures; a label without them that begins a format label runs on into the
        next row (over a line or a page break).
        """
        text = self.pending + label
        for candidate in (text, label):
            rows = self.index.by_label.get(candidate)
            if rows:
                self.pending = ""
                return rows[0], rows[0].node.label
        group = self.index.groups.get(label)
        if group is not None:
            self.pending = ""
            return group if all(not c.children for c in group.node.children) else None
        started = [r for r in self.index.rows if len(text) >= 4 and r.norm.startswith(text)]
        if started and not figures:
            self.pending = text
            return None
        self.pending = ""
        if started:
            return started[0], label
        best, score = None, 0.0
        for r in self.index.rows if len(text) >= 4 else ():
            s = SequenceMatcher(None, text, r.norm).ratio()
            numbered = _ordinal(text) and _ordinal(text) == _ordinal(r.norm) and self.group in r.groups
            if (s >= SIMILAR or (numbered and s >= SIMILAR_NUMBERED)) and s > score:
                best, score = r, s
        return None if best is None else (best, label)

    def under_its_columns(self, r: _Row) -> bool:
        """Whether the row stands under its block's columns (or under no row of column labels at all).

        Under other columns it is not the format's row: a table of the body's own in the narrative, or,
        when the row of labels begins with the block's corner (信息内容), the 2019 trial format's 表二."""
        if not self.header:
            return True
        wanted = {normalise(c.label) for c, _ in leaves_of(r.block.columns)}
        printed = [normalise(h) for h in self.header]
        if wanted & set(printed) or any(
            SequenceMatcher(None, p, w).ratio() >= SIMILAR for p in printed for w in wanted
        ):
            return True
        if r.block.corner and printed[0] == normalise(r.block.corner) and len(printed) >= 2:
            raise InputError(
                "PUB_TRIAL_FORMAT", path=self.shown, table=r.table.sheet, reason="、".join(self.header[1:])
            )
        return False

    def take(self, t: Table, b: Block, r: _Row | None, cells: list[Cell]) -> None:
        """The row's figures: its last cells, one per column; a row with fewer cells is not read.

        With more cells than columns (a frame drawn round the table, a column split by a stray line),
        the cells under the column labels, when they are as many as the columns."""
        columns = leaves_of(b.columns)
        if len(cells) > len(columns) and self.under:
            under = [c for c in cells if any(_overlap(self.spans[id(c)], u) for u in self.under)]
            cells = under if len(under) == len(columns) else cells
        if len(cells) < len(columns):
            return
        figures = cells[-len(columns) :]
        row = r.node if r is not None else Node("")
        # a row under its block's own column labels outranks one read before (a table of the body's own
        # in the narrative may have a row 行政许可 too); otherwise the first row read stands
        headed = {normalise(c.label) for c, _ in columns} <= self.labelled
        for (col, _), cell in zip(columns, figures, strict=True):
            key = field_key(t.key, row, col)
            if key not in self.out.cells or (headed and key not in self.headed):
                self.out.cells[key] = value_of(cell.text)
                self.out.pages.pop(key, None)
                if cell.page is not None:
                    self.out.pages[key] = cell.page
                if headed:
                    self.headed.add(key)
        self.seen.add(f"{t.key}:{row.key}")

    def one_row(self, group: _Group, cells: list[Cell], page: int | None) -> None:
        """A group printed as one row (（六）其他处理 in the 2019 layout): its figures go to its last item."""
        children = group.node.children
        last = children[-1]
        self.take(group.table, group.block, _Row(group.table, group.block, last, (), ()), cells)
        if f"{group.table.key}:{last.key}" not in self.seen:
            return
        for child in children:
            self.seen.add(f"{group.table.key}:{child.key}")
            if child is not last:
                self.out.merged.update(
                    field_key(group.table.key, child, c) for c, _ in leaves_of(group.block.columns)
                )
        self.note("PUB_OTHER_ONE_ROW", group.table, group.path, page)

    def note(self, code: str, t: Table, path: tuple[str, ...], page: int | None, **kw) -> None:
        self.out.findings.append(Finding.make(code, t.sheet, "", tuple(path), (), page=page, **kw))

    def finish(self) -> Matched:
        if not self.seen:
            raise InputError("PUB_NO_TABLES", path=self.shown, reason=reason("PUB_NO_TABLES", "no_label"))
        for r in self.index.rows:
            if f"{r.table.key}:{r.node.key}" not in self.seen:
                self.note("PUB_ROW_MISSING", r.table, r.path, None)
        for t, _, _ in self.index.headerless:
            if f"{t.key}:" not in self.seen:
                self.note("PUB_ROW_MISSING", t, (), None)
        return self.out


def match(fmt: Format, grids: list[Grid], shown: str) -> Matched:
    """Read the format's fields from the tables of a published report, in document order."""
    reader = _Reader(fmt, shown)
    for grid in grids:
        reader.grid(grid)
    return reader.finish()
