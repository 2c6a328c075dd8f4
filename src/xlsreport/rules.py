"""Each rule evaluated in Python and rendered as its Excel formula, from the same declaration."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from .layout import Layout, Span, col_letter
from .spec import Check, Format

Number = int | float
PASS, FAIL = "✓", "✗"


@dataclass(frozen=True)
class Outcome:
    check: Check
    left: Number
    right: Number

    @property
    def ok(self) -> bool:
        return self.left == self.right


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


def evaluate(fmt: Format, values: Mapping[str, Number]) -> list[Outcome]:
    """The outcome of every check of every rule, in declaration order."""
    return [
        Outcome(c, sum(values[k] for k in c.left), sum(values[k] for k in c.right))
        for r in fmt.rules
        for c in r.checks
    ]


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


@cache  # asked of every live check of every workbook written
def check_formula(check: Check, layout: Layout) -> str:
    """The live ✓/✗ of a check: =IF(SUM(D7:D8)=SUM(D30:D31),"✓","✗")."""
    sheet = layout.cells[check.left[0]].sheet
    left, right = sum_formula(check.left, layout, sheet), sum_formula(check.right, layout, sheet)
    return f'=IF({left}={right},"{PASS}","{FAIL}")'


def failing_formula(layout: Layout) -> str:
    """On 校验结果: how many live checks show ✗."""
    first, last = layout.check_rows[0], layout.check_rows[-1]
    return f'=COUNTIF({first.a1}:{col_letter(last.col)}{last.row + 1},"{FAIL}")'
