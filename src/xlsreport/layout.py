"""Where every label, field and live check sits in the workbook: the only module that computes addresses."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources

from .spec import Block, Check, Format, Node, Table, depth_of, field_key, leaves_of


def col_letter(col: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    s = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        s = chr(65 + rem) + s
    return s


@dataclass(frozen=True)
class Span:
    """A cell, or a merged range when it covers more than one cell. Rows and columns count from 0."""

    sheet: str
    row: int
    col: int
    last_row: int = -1
    last_col: int = -1

    def __post_init__(self) -> None:
        object.__setattr__(self, "last_row", max(self.last_row, self.row))
        object.__setattr__(self, "last_col", max(self.last_col, self.col))

    @cached_property  # asked of each field and label of every file read
    def a1(self) -> str:
        return f"{col_letter(self.col)}{self.row + 1}"

    @property
    def absolute(self) -> str:
        """='表三'!$D$6 — for defined names and cross-sheet formulas."""
        return f"'{self.sheet}'!${col_letter(self.col)}${self.row + 1}"

    @property
    def merged(self) -> bool:
        return (self.last_row, self.last_col) != (self.row, self.col)

    @property
    def range_a1(self) -> str:
        return f"{self.a1}:{col_letter(self.last_col)}{self.last_row + 1}"


@dataclass(frozen=True)
class Label:
    span: Span
    text: str
    role: str  # title, hint, caption, corner, header, stub, check, note


VALUES = "VALUES"  # the rule of a live check over input values (the codes of VALUE_CODES)
VALUE_CODES = ("VALUE_FORMULA", "VALUE_TEXT", "VALUE_NEGATIVE", "VALUE_TOO_LARGE", "VALUE_FRACTION")
FORMULA_CODES = ("FORMULA_REPLACED", "FORMULA_CHANGED")


@dataclass(frozen=True)
class LiveCheck:
    """A ✓/✗ cell beside a row or below a column: a rule's check, or the values of a row's (column's) inputs."""

    span: Span
    rule: str  # a rule's code, or VALUES
    where: str  # the row or column it is about, in words
    check: Check | None = None  # a rule's check
    inputs: tuple[str, ...] = ()  # a value check's input fields, in the order they are looked at

    @property
    def keys(self) -> tuple[str, ...]:
        """The fields whose findings this cell shows."""
        return self.inputs if self.check is None else (self.check.cell_key,)

    @property
    def codes(self) -> tuple[str, ...]:
        """The finding codes this cell shows, at `keys`; a total's own check also shows its formula's."""
        if self.check is None:
            return VALUE_CODES
        return (*FORMULA_CODES, self.rule) if self.check.defines else (self.rule,)


@dataclass(frozen=True, eq=False)  # one per format (layout_of): equal only to itself, so it can key a cache
class Layout:
    sheets: tuple[str, ...]  # in workbook order
    cells: dict[str, Span]  # field key -> its cell
    labels: tuple[Label, ...]
    # The rest is for writing a workbook: a frozen layout (an earlier version, only read) has none of it.
    checks: tuple[LiveCheck, ...] = ()
    check_rows: tuple[Span, ...] = ()  # on 校验结果, the result cell of each live check, same order
    messages: tuple[Span, ...] = ()  # on 校验结果, beside each result: what is wrong where, and what to do
    # on WORKINGS_SHEET, the long formulas: each check's ✓/✗ and message, which the cells on the tables
    # and on 校验结果 show (a read never parses them)
    verdicts: tuple[Span, ...] = ()
    reasons: tuple[Span, ...] = ()
    value_codes: tuple[tuple[Span, ...], ...] = ()  # a value check's: what each input holds, by VALUE_CODES
    failing: Span | None = None  # on 校验结果, the number of failing checks
    widths: dict[str, dict[int, float]] = field(
        default_factory=dict
    )  # sheet -> column -> width in characters

    @cached_property  # asked of every file read
    def label_hash(self) -> str:
        """A fingerprint of every label and where it sits: the template's identity across office suites."""
        text = "\n".join(f"{lbl.span.sheet}!{lbl.span.range_a1}={lbl.text}" for lbl in self.labels)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @cached_property  # asked of every file read
    def read_at(self) -> dict[str, dict[str, tuple[int, int]]]:
        """Sheet → the cells a read needs (every field and label): A1 → (row, column), counted from 1."""
        at: dict[str, dict[str, tuple[int, int]]] = {}
        for span in (*self.cells.values(), *(lbl.span for lbl in self.labels)):
            at.setdefault(span.sheet, {})[span.a1] = (span.row + 1, span.col + 1)
        return at

    def beside(self, span: Span) -> Span:
        """Where a pre-filled workbook shows a note on a field (last year's figure): on its row, right of
        the table and its checks."""
        return Span(span.sheet, span.row, max(self.widths[span.sheet]) + 1)

    def sheet_labels(self, sheet: str) -> list[Label]:
        return [lbl for lbl in self.labels if lbl.span.sheet == sheet]


# The template's identity: a hidden sheet (key in column A, value in column B, one per row in this order)
# and the same as JSON in a custom document property; each survives a save in Excel, WPS and LibreOffice.
IDENTITY_SHEET = "_xlsreport"
IDENTITY_PROPERTY = "xlsreport"
IDENTITY_KEYS = ("format", "version", "org", "year", "layout", "generator")
# Hidden: the live checks' long formulas, kept off the sheets a read parses.
WORKINGS_SHEET = "_checks"
TABLE_TOP = 3  # tables start below a title, a hint and a blank row


def header_spans(
    nodes: tuple[Node, ...], top: int, depth: int, first: int
) -> list[tuple[Node, int, int, int, int]]:
    """(node, first_level, last_level, first_leaf, last_leaf) for a header tree laid out across `depth` levels.

    Leaves sit on the last level; a leaf nearer the root reaches down to it, and an inner node whose
    subtree is shallower than the tree stretches down so its children still end on the last level.
    """
    out = []
    leaf = first
    for n in nodes:
        width = len(list(n.leaves()))
        last_level = top + depth - n.height
        out.append((n, top, last_level, leaf, leaf + width - 1))
        out += header_spans(n.children, last_level + 1, n.height - 1, leaf)
        leaf += width
    return out


def _table(fmt: Format, t: Table, cells: dict, labels: list, checks: list, widths: dict) -> None:
    sheet = t.sheet
    stub = max(depth_of(b.rows) for b in t.blocks)
    width = max(len(leaves_of(b.columns)) for b in t.blocks)
    rules = [r for r in fmt.rules if r.table == t.key]
    # beside each row: the check of its values (a table with a row stub), then the rules placed right
    right = ([VALUES] if stub else []) + [r.code for r in rules if r.place == "right"]
    first_check = stub + width
    last_col = first_check + max(len(right), 1) - 1
    labels.append(Label(Span(sheet, 0, 0, 0, last_col), fmt.heading(t.key), "title"))
    labels.append(
        Label(
            Span(sheet, 1, 0, 1, last_col),
            fmt.words.table_hint,
            "hint",
        )
    )
    row = TABLE_TOP
    grid = _Grid(t, stub, width, first_check, {code: first_check + i for i, code in enumerate(right)})
    for b in t.blocks:
        row = _block(fmt, grid, b, row, rules, cells, labels, checks)
    widths[sheet] = {
        **{c: (24 if c == stub - 1 else 8) for c in range(stub)},
        **{c: 11 for c in range(stub, first_check)},
        **{c: 12 for c in range(first_check, last_col + 1)},
    }


@dataclass(frozen=True)
class _Grid:
    table: Table
    stub: int  # columns of row labels
    width: int  # value columns
    first_check: int  # the first column of checks beside the rows
    right: dict[str, int]  # rule code (or VALUES) -> its column beside the rows


def _path(labels: tuple[str, ...]) -> str:
    return " / ".join(p for p in labels if p)


def _check_label(rule: str, fmt: Format) -> str:
    w = fmt.words
    return w.check.format(rule=w.values_check if rule == VALUES else fmt.rule(rule).label)


def _block(fmt: Format, g: _Grid, b: Block, row: int, rules, cells, labels, checks) -> int:
    sheet, t, stub = g.table.sheet, g.table, g.stub
    if b.caption:
        labels.append(Label(Span(sheet, row, 0, row, g.first_check - 1), b.caption, "caption"))
        row += 1
    depth = depth_of(b.columns)
    if stub:
        labels.append(Label(Span(sheet, row, 0, row + depth - 1, stub - 1), b.corner, "corner"))
    col_leaves = leaves_of(b.columns)
    last_value_col = stub + g.width - 1
    for node, r0, r1, c0, c1 in header_spans(b.columns, row, depth, stub):
        if c1 == stub + len(col_leaves) - 1:
            c1 = last_value_col  # a narrower block's last column takes the rest of the table's width
        labels.append(Label(Span(sheet, r0, c0, r1, c1), node.label, "header"))
    for rule, col in g.right.items():
        labels.append(Label(Span(sheet, row, col, row + depth - 1, col), _check_label(rule, fmt), "check"))
    row += depth
    row_leaves = leaves_of(b.rows) or [(Node(""), ())]
    first_data = row
    for node, r0, r1, c0, c1 in header_spans(b.rows, 0, stub, first_data):
        # header_spans is written for columns; for the row stub, levels are columns and leaves are rows
        labels.append(Label(Span(sheet, c0, r0, c1, r1), node.label, "stub"))
    for i, (rnode, rpath) in enumerate(row_leaves):
        inputs = []
        for j, (cnode, _) in enumerate(col_leaves):
            key = field_key(t.key, rnode, cnode)
            last = last_value_col if j == len(col_leaves) - 1 else stub + j
            cells[key] = Span(sheet, first_data + i, stub + j, first_data + i, last)
            if not (rnode.computed or cnode.computed):
                inputs.append(key)
        if VALUES in g.right and inputs:
            span = Span(sheet, first_data + i, g.right[VALUES])
            checks.append(LiveCheck(span, VALUES, _path(rpath), inputs=tuple(inputs)))
    row = first_data + len(row_leaves)
    for r in rules:
        if r.place != "right":
            continue
        for c in r.checks:
            if c.left[0] in cells and cells[c.left[0]].row >= first_data:
                span = Span(sheet, cells[c.left[0]].row, g.right[r.code])
                checks.append(LiveCheck(span, r.code, c.where, check=c))
    below = [] if stub else [VALUES]  # a table without a row stub checks each column's value below it
    for rule in [*below, *(r.code for r in rules if r.place == "below")]:
        if rule == VALUES:
            placed = [
                LiveCheck(Span(sheet, row, cells[k].col), VALUES, _path(path), inputs=(k,))
                for (n, path) in col_leaves
                if not n.computed and (k := field_key(t.key, Node(""), n)) in cells
            ]
        else:
            placed = [
                LiveCheck(Span(sheet, row, cells[c.left[0]].col), rule, c.where, check=c)
                for c in fmt.rule(rule).checks
                if c.left[0] in cells and cells[c.left[0]].row >= first_data
            ]
        if not placed:
            continue
        label_span = Span(sheet, row, 0, row, stub - 1) if stub else Span(sheet, row, g.first_check)
        labels.append(Label(label_span, _check_label(rule, fmt), "check"))
        checks += placed
        row += 1
    return row


@cache
def layout_of(fmt: Format) -> Layout:
    """The workbook layout of a format; computed once per format, or read from its file when frozen."""
    if fmt.frozen:
        return _frozen(fmt)
    s = fmt.sheets
    cells: dict[str, Span] = {}
    labels: list[Label] = []
    checks: list[LiveCheck] = []
    widths: dict[str, dict[int, float]] = {}

    w = fmt.words
    labels.append(Label(Span(s["guide"], 0, 0), w.guide_title.format(name=fmt.name), "heading"))
    for i, line in enumerate(fmt.instructions):
        labels.append(Label(Span(s["guide"], 2 + i, 0), f"{i + 1}. {line}", "note"))
    widths[s["guide"]] = {0: 68}  # inside A4 portrait at 100% (LibreOffice does not scale this sheet)

    labels.append(Label(Span(s["info"], 0, 0, 0, 2), w.info_title, "title"))
    for i, f in enumerate(fmt.info_fields):
        labels.append(Label(Span(s["info"], 2 + i, 0), f.row[0], "stub"))
        cells[f.key] = Span(s["info"], 2 + i, 1)
        note = w.info_locked if f.locked else w.info_open
        labels.append(Label(Span(s["info"], 2 + i, 2), note, "note"))
    widths[s["info"]] = {0: 14, 1: 40, 2: 34}

    for t in fmt.tables:
        _table(fmt, t, cells, labels, checks, widths)

    labels.append(Label(Span(s["text"], 0, 0, 0, 2), w.text_title, "title"))
    for j, head in enumerate(w.text_heads):
        labels.append(Label(Span(s["text"], 1, j), head, "header"))
    for i, (part, f) in enumerate(zip(fmt.parts, fmt.text_fields, strict=True)):
        labels.append(Label(Span(s["text"], 2 + i, 0), part.label, "stub"))
        cells[f.key] = Span(s["text"], 2 + i, 1)
        labels.append(Label(Span(s["text"], 2 + i, 2), part.guidance, "note"))
    widths[s["text"]] = {0: 18, 1: 80, 2: 30}

    sc = s["checks"]
    labels.append(Label(Span(sc, 0, 0, 0, 4), w.checks_title, "title"))
    labels.append(Label(Span(sc, 1, 0, 1, 2), w.checks_failing, "stub"))
    failing = Span(sc, 1, 3)
    for j, head in enumerate(w.checks_heads):
        labels.append(Label(Span(sc, 3, j), head, "header"))
    check_rows, messages, verdicts, reasons, value_codes = [], [], [], [], []
    for i, lc in enumerate(checks):
        r = 4 + i
        rule = w.values_rule if lc.rule == VALUES else fmt.rule(lc.rule).label
        labels.append(Label(Span(sc, r, 0), str(i + 1), "note"))
        labels.append(Label(Span(sc, r, 1), lc.span.sheet, "note"))
        labels.append(Label(Span(sc, r, 2), rule, "note"))
        labels.append(Label(Span(sc, r, 3), lc.where, "note"))
        labels.append(Label(Span(sc, r, 5), f"{lc.span.sheet}!{lc.span.a1}", "note"))
        check_rows.append(Span(sc, r, 4))
        messages.append(Span(sc, r, 6))
        verdicts.append(Span(WORKINGS_SHEET, i, 0))
        reasons.append(Span(WORKINGS_SHEET, i, 1))
        value_codes.append(tuple(Span(WORKINGS_SHEET, i, 2 + j) for j in range(len(lc.inputs))))
    widths[sc] = {0: 5, 1: 6, 2: 22, 3: 30, 4: 6, 5: 9, 6: 60}

    order = (
        s["guide"],
        s["info"],
        *(t.sheet for t in fmt.tables),
        s["text"],
        sc,
        WORKINGS_SHEET,
        IDENTITY_SHEET,
    )
    return Layout(
        order,
        cells,
        tuple(labels),
        tuple(checks),
        tuple(check_rows),
        tuple(messages),
        tuple(verdicts),
        tuple(reasons),
        tuple(value_codes),
        failing,
        widths,
    )


def _frozen(fmt: Format) -> Layout:
    """The layout of an earlier version, as tools/freeze_layout.py wrote it while that version was current:
    its labels and field cells, enough to read and check a workbook made with it (never to write one)."""
    doc = json.loads(resources.files("xlsreport.formats").joinpath("frozen", fmt.frozen).read_text("utf-8"))
    span = lambda v: Span(*v)  # noqa: E731
    lay = Layout(
        tuple(doc["sheets"]),
        {k: span(v) for k, v in doc["cells"].items()},
        tuple(Label(span(v[:5]), v[5], v[6]) for v in doc["labels"]),
    )
    if lay.label_hash != doc["label_hash"] or set(lay.cells) != set(fmt.fields):
        raise ValueError(f"{fmt.frozen} is not the layout of {fmt.id} version {fmt.version}")
    return lay
