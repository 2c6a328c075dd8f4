"""Across years (rules 6 and 7 of the format): last year's returned workbook of the same body.

Bodies are linked by name, normalised (full-width forms, spaces); last year's workbook is found in a folder
or given as a file. Last year's published reports (PDF, .docx, web pages) serve as well: in the first year
there is no workbook of last year, only what each body published. `blank --previous` pre-fills 二、上年结转 from it (`carry_over`), `check --previous`
compares (`compare`), and `collect` can call `find_previous`, `compare` and `key_figures` too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .findings import Finding
from .formats import DEFAULT, newest, values_in
from .guard import regular
from .places import normalise_name
from .published.read import SUFFIXES as PUBLISHED
from .published.read import read_report
from .reader import RawWorkbook
from .spec import Format, Node, field_key, leaves_of
from .validate import Checked, check_raw
from .wording import CARRIED_NOTE, STOCK_NOTE

Number = int | float


# ---------------------------------------------------------------- finding last year's workbook
@dataclass
class PreviousIndex:
    """The workbooks and published reports in a folder (or one file) by (normalised body name, year);
    unreadable files are skipped. A workbook is preferred to a published report of the same body and year."""

    source: Path
    books: dict[tuple[str, int], Path] = field(default_factory=dict)
    skipped: list[Path] = field(default_factory=list)
    _raws: dict[Path, RawWorkbook] = field(default_factory=dict, repr=False)  # read once, checked on demand

    @classmethod
    def load(cls, source: Path) -> PreviousIndex:
        source = Path(source)
        if not source.is_dir():
            regular(source)  # missing, or a FIFO, a device, a link loop: said at once, never opened
        index = cls(source)
        if source.is_dir():  # workbooks first: what a body filled in is exact, what it printed is read
            files = sorted(source.glob("*.xlsx"))
            files += sorted(p for p in source.iterdir() if p.suffix.lower() in PUBLISHED and p.is_file())
        else:
            files = [source]
        for path in files:
            if path.name.startswith(("~$", ".~")):  # lock files of Excel and LibreOffice
                continue
            try:
                raw = read_report(path)
            except InputError:
                index.skipped.append(path)
                continue
            key = (normalise_name(raw.identity["org"]), int(raw.identity["year"]))
            if key not in index.books:
                index.books[key] = path
                index._raws[path] = raw
        return index

    def find(self, org: str, year: int) -> Path | None:
        """The workbook (or published report) of `org` for `year`, or None.

        A published report's title may name the body with or without its city (洪泽区人民政府 one year,
        淮安市洪泽区人民政府 the next): when no name is the same, the one name of that year that ends
        with the other (six characters at least) is the body's."""
        name = normalise_name(org)
        found = self.books.get((name, year))
        if found is not None:
            return found
        ends = [
            path
            for (other, y), path in self.books.items()
            if y == year
            and min(len(name), len(other)) >= 6
            and (name.endswith(other) or other.endswith(name))
        ]
        return ends[0] if len(ends) == 1 else None

    def checked(self, org: str, year: int) -> Checked | None:
        """The workbook of `org` for `year`, checked (totals recomputed from its inputs), or None."""
        path = self.find(org, year)
        return None if path is None else check_raw(self._raws[path])


def find_previous(source: Path | PreviousIndex, org: str, year: int) -> Path | None:
    """Last year's workbook (of `year` − 1) of `org` in a folder or file, or None."""
    index = source if isinstance(source, PreviousIndex) else PreviousIndex.load(Path(source))
    return index.find(org, year - 1)


def load_previous(path: Path) -> Checked:
    """Last year's workbook, read and checked (its totals recomputed from its inputs)."""
    return check_raw(read_report(Path(path)))


# ---------------------------------------------------------------- the carried fields
def carried_pairs(fmt: Format = DEFAULT) -> list[tuple[str, str]]:
    """(this year's field, last year's field it takes over) of each input column of each carried row
    (二、上年结转 ← 四、结转下年度继续办理), as the format declares them (`Format.carried`)."""
    return [
        (this, field_key(c.table, Node("", c.source), col))
        for c in fmt.carried
        for b in fmt.table(c.table).blocks
        for col, _ in leaves_of(b.columns)
        if (this := field_key(c.table, Node("", c.row), col)) in fmt.fields and not fmt.fields[this].computed
    ]


def carried_from(fmt: Format, source: str) -> str:
    """The label of the row last year's figure `source` is carried from, as the format declares it."""
    return fmt.fields[source].row[-1]


def stock_rows(fmt: Format = DEFAULT) -> list[tuple[str, str, str]]:
    """(stock, added, removed) fields of each row of a block with the columns of a declared stock
    (现行有效件数, 本年制发件数, 本年废止件数 of 第二十条第（一）项)."""
    return [
        tuple(field_key(s.table, row, Node("", k)) for k in (s.stock, s.added, s.removed))
        for s in fmt.stocks
        for b in fmt.table(s.table).blocks
        if {s.stock, s.added, s.removed} <= {c.key for c, _ in leaves_of(b.columns)}
        for row, _ in leaves_of(b.rows)
    ]


@dataclass(frozen=True)
class CarryOver:
    """What a new workbook takes over from last year's: values of locked fields, and notes beside fields."""

    fields: dict[str, Number]  # 二、上年结转 by column, locked in the new workbook
    notes: dict[str, str]  # field -> a comment on its cell saying where its value came from
    beside: dict[str, str]  # field -> a visible note in the cell to its right (last year's 现行有效件数)


def last_values(last: Checked, fmt: Format) -> dict[str, Number]:
    """Last year's values keyed as in `fmt`: its workbook may be of an earlier version of the format."""
    return values_in(last.values, last.fmt, fmt)


def carry_over(last: Checked, fmt: Format | None = None) -> CarryOver:
    """The pre-filled values of a new workbook of `fmt` (the newest version of last year's format) from
    last year's checked workbook."""
    fmt = fmt or newest(last.fmt)
    before = last_values(last, fmt)
    fields = {new: before[old] for new, old in carried_pairs(fmt)}
    notes = {
        new: CARRIED_NOTE.format(year=last.year, source=carried_from(fmt, old), value=_show(before[old]))
        for new, old in carried_pairs(fmt)
    }
    beside = {
        in_force: STOCK_NOTE.format(year=last.year, value=_show(before[in_force]))
        for in_force, _, _ in stock_rows(fmt)
    }
    return CarryOver(fields, notes, beside)


def _show(value: Number) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


# ---------------------------------------------------------------- comparing
def compare(this: Checked, last: Checked) -> list[Finding]:
    """Rule 6 (error at each broken 二、上年结转 cell), rule 7 (warning at 现行有效件数), 五 copied (warning)."""
    fmt = this.fmt
    out: list[Finding] = []

    def add(code: str, key: str, found: object = None, expected: object = None, **kw) -> None:
        out.append(Finding.at(fmt, key, code, found, expected, **kw))

    unreadable = {k for k, v in this.raw.items() if not isinstance(v, int | float)}  # VALUE_TEXT says it
    before = last_values(last, fmt)
    for new, old in carried_pairs(fmt):
        if new not in unreadable and this.values[new] != before[old]:
            add("PREV_CARRY", new, this.values[new], before[old], words={"source": carried_from(fmt, old)})
    for in_force, issued, repealed in stock_rows(fmt):
        expected = before[in_force] + this.values[issued] - this.values[repealed]
        if this.values[in_force] != expected:
            add("PREV_IN_FORCE", in_force, this.values[in_force], expected)
    problems = fmt.roles["problems"]  # 五、存在的主要问题及改进情况
    now, earlier = _plain(this.texts.get(problems)), _plain(last.texts.get(problems))
    if now and now == earlier:
        add("TEXT_COPIED", f"text_{problems}")
    return out


def _plain(text: str | None) -> str:
    return normalise_name(text or "")


def missing(this: Checked, source: Path) -> Finding:
    """The warning for a body whose last year's workbook is not in `source`, at its 机关全称."""
    return Finding.at(this.fmt, "info_org", "PREV_MISSING", str(source), this.year - 1)


# ---------------------------------------------------------------- year over year, for collect
@dataclass(frozen=True)
class FigureRow:
    key: str
    row: tuple[str, ...]  # label path of the field's row
    column: tuple[str, ...]
    this: Number
    last: Number | None  # None: no workbook of last year

    @property
    def change(self) -> Number | None:
        return None if self.last is None else self.this - self.last


def key_figures(
    this: Mapping[str, Number], last: Mapping[str, Number] | None, fmt: Format = DEFAULT
) -> list[FigureRow]:
    """This year against last year for the key figures; `this`/`last` are `Checked.values` (or county sums)."""
    return [
        FigureRow(
            k,
            fmt.fields[k].row,
            fmt.fields[k].column,
            this[k],
            None if last is None else last[k],
        )
        for k in fmt.key_figures
    ]
