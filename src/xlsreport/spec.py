"""The types a report format is declared with. A format is data; everything else is derived from it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property


class Kind(StrEnum):
    COUNT = "count"  # a whole number >= 0
    AMOUNT = "amount"  # a number >= 0 (万元)
    TEXT = "text"


@dataclass(frozen=True)
class Node:
    """A row or column header: a leaf carries a key and holds values; an inner node groups leaves."""

    label: str
    key: str = ""
    children: tuple[Node, ...] = ()
    computed: bool = False
    kind: Kind = Kind.COUNT
    # The word a sentence uses for it (不予公开, 其他法人或其他组织). On 表三's rows it makes the node one
    # category of 办理结果: the generated paragraph names it, and a figure the text states of it is checked.
    short: str = ""

    def leaves(self, path: tuple[str, ...] = ()) -> Iterator[tuple[Node, tuple[str, ...]]]:
        """Each leaf below (or this node itself) with its label path from the top."""
        path = (*path, self.label)
        if not self.children:
            yield self, path
        for child in self.children:
            yield from child.leaves(path)

    @property
    def height(self) -> int:
        return 1 + max((c.height for c in self.children), default=0)


def field_key(table: str, row: Node, col: Node) -> str:
    """The stable key of a table cell: t3_withheld_1_natural."""
    return "_".join(k for k in (table, row.key, col.key) if k)


def leaves_of(nodes: tuple[Node, ...], prefix: tuple[str, ...] = ()) -> list[tuple[Node, tuple[str, ...]]]:
    return [leaf for n in nodes for leaf in n.leaves(prefix)]


def _walk(node: Node) -> Iterator[Node]:
    yield node
    for child in node.children:
        yield from _walk(child)


def depth_of(nodes: tuple[Node, ...]) -> int:
    return max((n.height for n in nodes), default=0)


@dataclass(frozen=True)
class Block:
    """One grid of a table: a header of columns, a stub of rows; table 二 has four, the others one."""

    columns: tuple[Node, ...]
    rows: tuple[Node, ...] = ()  # empty: a single unlabelled data row (table 四)
    caption: str = ""  # e.g. 第二十条第（一）项, a full-width line above the grid
    corner: str = ""  # the top-left cell over the row stub


@dataclass(frozen=True)
class Table:
    key: str  # "t2"
    sheet: str  # worksheet name, "表二"
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Field:
    """One value of the report: a table cell, a line of 基本信息 or a narrative text."""

    key: str  # ASCII, stable; also the workbook's defined name
    table: str  # table key, or "info" / "text"
    row: tuple[str, ...]  # label path of the row
    column: tuple[str, ...]  # label path of the column
    kind: Kind
    computed: bool = False
    locked: bool = False  # pre-filled by the county, not by the township (机关全称, 年度)


@dataclass(frozen=True)
class Check:
    """One equation: sum(left) == sum(right). When `defines`, left is one computed field, right its formula."""

    rule: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    where: str  # which instance, in words: "自然人", "行政复议"
    defines: bool = False
    at: str = ""  # the field a failure is reported at; left[0] when empty

    @property
    def cell_key(self) -> str:
        return self.at or self.left[0]


@dataclass(frozen=True)
class Rule:
    code: str  # also the finding code when it fails
    table: str
    label: str  # short Chinese label for the live-check row/column
    place: str  # "right": a check column beside each row; "below": a check row under the block
    checks: tuple[Check, ...]


@dataclass(frozen=True)
class InfoLine:
    key: str
    label: str
    locked: bool = False


@dataclass(frozen=True)
class Part:
    """A narrative text: the opening of section 一, a numbered part of it, or a whole section."""

    key: str
    label: str  # the row label in the workbook's 文字部分
    guidance: str  # shown beside the text cell in the workbook
    title: str = ""  # a numbered part's title in the document (主动公开); empty for unnumbered text


@dataclass(frozen=True)
class Section:
    """A section of the report, in order: its heading, then its texts or its table."""

    heading: str  # "一、总体情况"
    parts: tuple[str, ...] = ()  # part keys
    table: str = ""  # table key


@dataclass(frozen=True)
class Wording:
    """The workbook's own words, beside the format's labels: titles, hints, column heads, the prompts of a
    cell's data validation. All but the prompts are labels the layout's fingerprint covers: changing one
    makes a new version (README: 格式与版本)."""

    table_hint: str  # under each table's title
    check: str  # the head of a live-check column or row: "校验：{rule}"
    values_check: str  # {rule} of a value check there
    values_rule: str  # a value check's rule on 校验结果
    guide_title: str  # "填报说明 · {name}"
    info_title: str
    info_locked: str  # beside a line of 基本信息 the county fills
    info_open: str  # beside one the body fills
    text_title: str
    text_heads: tuple[str, ...]  # part, text, guidance
    checks_title: str
    checks_failing: str  # beside the number of failing checks
    checks_heads: tuple[str, ...]  # number, sheet, rule, where, result, cell, message
    count_prompt: tuple[str, str, str, str]  # a count cell's input title and message, error title and message
    amount_prompt: tuple[str, str, str, str]  # an amount's


@dataclass(frozen=True)
class Requests:
    """Which rows and columns of the applications table (表三) are which: what the generated paragraph
    (generated.py), the figure checks (narrative.py) and the checks across years read by role."""

    table: str  # "t3"
    new: str  # row keys: 一、本年新收
    carried: str  # 二、上年结转
    done: str  # 三（七）总计
    forward: str  # 四、结转下年度继续办理
    total: str  # the column key of 总计
    fee_notice: str  # the row of applications dropped for a charge notice not paid: a charge was notified


@dataclass(frozen=True)
class Carried:
    """A row that takes last year's figures: this year's `row` = last year's `source`, column by column."""

    table: str
    row: str
    source: str


@dataclass(frozen=True)
class Stock:
    """Columns of a stock: this year's `stock` = last year's + `added` − `removed` (现行有效件数)."""

    table: str
    stock: str
    added: str
    removed: str


@dataclass(frozen=True)
class Figure:
    """What a report's text says when it states a figure (a regular expression, before the number), and
    the fields whose sum it must agree with."""

    phrase: str
    keys: tuple[str, ...]


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one object per format
class Format:
    id: str
    version: int
    name: str
    title_pattern: str  # "{org}{year}年政府信息公开工作年度报告"
    sections: tuple[Section, ...]
    tables: tuple[Table, ...]
    info: tuple[InfoLine, ...]
    parts: tuple[Part, ...]
    rules: tuple[Rule, ...]
    instructions: tuple[str, ...]  # the 填报说明 sheet, one paragraph a line
    words: Wording
    sheets: dict[str, str] = field(default_factory=dict)  # role -> sheet name for non-table sheets
    # warning code -> fields that bodies below the rule-making level should leave at 0
    implausible: dict[str, tuple[str, ...]] = field(default_factory=dict)
    requests: Requests | None = None
    carried: tuple[Carried, ...] = ()  # checked across years, and pre-filled by blank --previous
    stocks: tuple[Stock, ...] = ()  # checked across years
    figures: tuple[Figure, ...] = ()  # besides 表三's categories, which each give one (`results`)
    key_figures: tuple[str, ...] = ()  # the fields compared year over year in 汇总.xlsx
    # part key by role: "request" (依申请公开, the generated paragraph), "fee" (where 信息处理费 is stated),
    # "problems" (五, not to be copied from last year)
    roles: dict[str, str] = field(default_factory=dict)
    # An earlier version, kept to read the workbooks made with it: its layout frozen in formats/frozen/<file>
    # (tools/freeze_layout.py) and read from there, never computed; no workbook of it is written.
    frozen: str = ""
    # field keys of the version before this one -> this version's key, where a field was renamed
    renamed: dict[str, str] = field(default_factory=dict)

    @cached_property
    def table_fields(self) -> tuple[Field, ...]:
        out = []
        for t in self.tables:
            for b in t.blocks:
                prefix = (b.caption,) if b.caption else ()
                rows = leaves_of(b.rows, prefix) or [(Node(""), prefix)]
                for r, rpath in rows:
                    for c, cpath in leaves_of(b.columns):
                        out.append(
                            Field(
                                key=field_key(t.key, r, c),
                                table=t.key,
                                row=rpath,
                                column=cpath,
                                kind=c.kind,
                                computed=r.computed or c.computed,
                            )
                        )
        return tuple(out)

    @cached_property
    def info_fields(self) -> tuple[Field, ...]:
        return tuple(
            Field(f"info_{i.key}", "info", (i.label,), (), Kind.TEXT, locked=i.locked) for i in self.info
        )

    @cached_property
    def text_fields(self) -> tuple[Field, ...]:
        return tuple(Field(f"text_{p.key}", "text", (p.label,), (), Kind.TEXT) for p in self.parts)

    @cached_property
    def fields(self) -> dict[str, Field]:
        return {f.key: f for f in (*self.info_fields, *self.table_fields, *self.text_fields)}

    @cached_property
    def inputs(self) -> tuple[Field, ...]:
        """The numeric cells a township fills."""
        return tuple(f for f in self.table_fields if not f.computed)

    @cached_property
    def definitions(self) -> dict[str, Check]:
        """For each computed field, the check whose right side is its formula."""
        return {c.left[0]: c for r in self.rules for c in r.checks if c.defines}

    @cached_property
    def results(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """(short name, the 总计 fields summed) of each category of 表三's 办理结果 (rows with `short`)."""
        r = self.requests
        if r is None:
            return ()
        total = Node("", r.total)
        rows = [n for b in self.table(r.table).blocks for top in b.rows for n in _walk(top)]
        return tuple(
            (n.short, tuple(field_key(r.table, leaf, total) for leaf, _ in n.leaves()))
            for n in rows
            if n.short
        )

    @cached_property
    def applicants(self) -> tuple[tuple[str, str], ...]:
        """(column key, the word for it) of each input column of the applications table."""
        r = self.requests
        if r is None:
            return ()
        cols = leaves_of(self.table(r.table).blocks[0].columns)
        return tuple((c.key, c.short or c.label) for c, _ in cols if not c.computed)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    def rule(self, code: str) -> Rule:
        return next(r for r in self.rules if r.code == code)

    def heading(self, table_key: str) -> str:
        return next(s.heading for s in self.sections if s.table == table_key)

    def title(self, org: str, year: int) -> str:
        return self.title_pattern.format(org=org, year=year)
