"""Each rule evaluated in Python, and the totals' Excel formulas, from the same declaration (the live ✓/✗: live.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from .layout import Layout, Span, col_letter
from .spec import Check, Format, Kind

Number = int | float
PASS, FAIL = "✓", "✗"
# Above this no count or amount (万元) is plausible, and beyond 2**53 spreadsheets stop adding exactly.
MAX_NUMBER = 999_999_999


def compute(
    fmt: Format, inputs: Mapping[str, Number], constants: Mapping[str, Number] | None = None
) -> dict[str, Number]:
    """Every table value: inputs as given (missing counts as 0), computed fields from their formulas.

    `constants` holds computed cells whose formula was overwritten by a number: like a spreadsheet, the
    number then stands in for the formula, and everything summing over it sees that number.
    """
    constants = constants or {}
    values: dict[str, Number] = {}

    def value(key: str) -> Number:
        if key not in values:
            if key in constants:
                values[key] = constants[key]
            elif key in fmt.definitions:
                values[key] = sum(value(k) for k in fmt.definitions[key].right)
            else:
                values[key] = inputs.get(key, 0)
        return values[key]

    for f in fmt.table_fields:
        value(f.key)
    return values


def number_codes(value: Number, kind: Kind) -> tuple[str, ...]:
    """The findings a number in an input cell gets: negative; else too large, a fraction of a count, or both.

    However wrong, the number is added up, as a spreadsheet adds it: the ✓/✗ in the workbook and ours agree.
    """
    if value < 0:
        return ("VALUE_NEGATIVE",)
    large = ("VALUE_TOO_LARGE",) if value > MAX_NUMBER else ()
    return large + (("VALUE_FRACTION",) if kind is Kind.COUNT and value != int(value) else ())


@dataclass(frozen=True)
class Outcome:
    """A check judged: the value of its cell as it stands (`found`) and the two sides of its equation."""

    check: Check
    found: Number
    left: Number
    right: Number

    @property
    def ok(self) -> bool:
        return self.left == self.right

    @property
    def expected(self) -> Number:
        """The value of the check's cell that would make the equation hold."""
        if self.check.cell_key in self.check.left:
            return self.found - self.left + self.right
        return self.found + self.left - self.right


def of_total(fmt: Format, check: Check) -> bool:
    """A check of a total's own cell (总计 = its parts): it holds while the total's formula is there."""
    return check.left == (check.cell_key,) and fmt.fields[check.cell_key].computed


def judge(fmt: Format, inputs: Mapping[str, Number], constants: Mapping[str, Number]) -> list[Outcome]:
    """Every check that can fail, judged as the workbook's live checks judge it.

    Each side adds up the inputs (a total stands for the inputs below it, whatever its cell shows), so a
    wrong number is reported once, where it is. A check at a total judges that total's cell: only a total
    whose formula was overwritten by a number (`constants`) can be wrong; an intact formula is right by
    construction, and a changed one is reported as such (FORMULA_CHANGED), its result unknown to us.
    """
    pure = compute(fmt, inputs)
    out = []
    for r in fmt.rules:
        for c in r.checks:
            at = c.cell_key
            if not of_total(fmt, c):
                out.append(Outcome(c, pure[at], sum(pure[k] for k in c.left), sum(pure[k] for k in c.right)))
            elif at in constants:
                out.append(Outcome(c, constants[at], constants[at], sum(pure[k] for k in c.right)))
    return out


def _runs(pairs) -> list[list[int]]:
    """[major, first, last] for each run of consecutive minors in sorted (major, minor) pairs."""
    runs: list[list[int]] = []
    for major, minor in sorted(pairs):
        if runs and runs[-1][0] == major and runs[-1][2] == minor - 1:
            runs[-1][2] = minor
        else:
            runs.append([major, minor, minor])
    return runs


def _ranges(spans: list[Span]) -> list[str]:
    """Cells as few A1 ranges as possible: runs down a column, then the single cells as runs along a row."""
    down = _runs({(s.col, s.row) for s in spans})
    out = [f"{col_letter(c)}{r0 + 1}:{col_letter(c)}{r1 + 1}" for c, r0, r1 in down if r1 > r0]
    for r, c0, c1 in _runs((r0, c) for c, r0, r1 in down if r0 == r1):
        out.append(f"{col_letter(c0)}{r + 1}" + (f":{col_letter(c1)}{r + 1}" if c1 > c0 else ""))
    return out


def sum_formula(keys: tuple[str, ...], layout: Layout, sheet: str) -> str:
    """SUM(...) over the fields' cells, with a sheet prefix for fields on another sheet."""
    spans = [layout.cells[k] for k in keys]
    assert all(s.sheet == sheet for s in spans), "a rule stays on its table's sheet"
    return f"SUM({','.join(_ranges(spans))})"


@cache  # asked of every computed field of every workbook written or checked
def defining_formula(check: Check, layout: Layout) -> str:
    """The formula of a computed field: =SUM(D9:D28)."""
    return "=" + sum_formula(check.right, layout, layout.cells[check.left[0]].sheet)
