"""The workbook's live checks as Excel formulas: each ✓/✗ cell, and its message on 校验结果.

A live check tests what `check` tests, from the same declarations, so the two never disagree:

* the values of a row's (表四: a column's) input cells: a formula, text, a negative number, a number over
  MAX_NUMBER, a fraction of a count (VALUE_*);
* a total's own cell: its formula is there and unchanged (FORMULA_REPLACED, FORMULA_CHANGED); a number
  typed over it that is not the sum of the inputs below it also breaks the total's rule, at the same ✗;
* an equation over inputs (T3_BALANCE).

Every sum adds up input cells, never the total cells, so a total typed over shows ✗ at that total only,
and an input holding a formula counts as 0 (as `check` counts it: it never trusts a formula's result).
The message of a failing check is the catalogue's message of the first finding it shows, rendered by the
spreadsheet: the same template, with the cell's value joined in where `check` puts it.

Functions relied on, all in Excel 2013 and later, WPS Spreadsheets and LibreOffice Calc (which reads and
writes them with Excel's `_xlfn.` prefix): IF, OR, NOT, SUM, INT, ISNUMBER, ISTEXT, ISBLANK, TRIM, UPPER,
SUBSTITUTE, COUNTIF (Excel 2007 and before them), ISFORMULA and FORMULATEXT (Excel 2013; LibreOffice maps
them to its ISFORMULA and FORMULA, as tests/test_libreoffice.py checks; WPS Spreadsheets follows Excel's
functions, not tested here). A program without them shows #NAME?, never a false ✓. No array formulas, no
volatile functions. The long formulas sit on a hidden sheet (WORKINGS_SHEET); the ✓/✗ cells refer to them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from string import Formatter

from .errors import FINDINGS
from .findings import Finding, describe
from .layout import VALUE_CODES, Layout, LiveCheck, Span, col_letter
from .rules import FAIL, MAX_NUMBER, PASS, Number, defining_formula, judge, number_codes, of_total
from .spec import Format, Kind

EXCEL_FORMULA_LIMIT = 8192  # characters; Excel refuses a longer formula


def _ref(span: Span, sheet: str) -> str:
    return span.a1 if span.sheet == sheet else f"'{span.sheet}'!{span.a1}"


def _text(literal: str) -> str:
    return '"' + literal.replace('"', '""') + '"'


def inputs_of(fmt: Format, key: str) -> Iterator[str]:
    """The input fields a field adds up: itself, for an input."""
    if key in fmt.definitions:
        for k in fmt.definitions[key].right:
            yield from inputs_of(fmt, k)
    else:
        yield key


def _pure(fmt: Format, lay: Layout, keys: tuple[str, ...], sheet: str) -> str:
    """The sum of the inputs below `keys`, a formula in an input counting 0 (SUM skips text)."""
    refs = [_ref(lay.cells[i], sheet) for k in keys for i in inputs_of(fmt, k)]
    return "(" + "+".join(f"IF(_xlfn.ISFORMULA({r}),0,SUM({r}))" for r in refs) + ")"


def _bad(ref: str, kind: Kind) -> str:
    """TRUE when an input cell holds what `check` reports (blank and spaces only are no error)."""
    fraction = f",{ref}<>INT({ref})" if kind is Kind.COUNT else ""
    number = f"OR({ref}<0,{ref}>{MAX_NUMBER}{fraction})"
    return f'IF(_xlfn.ISFORMULA({ref}),TRUE,IF(ISNUMBER({ref}),{number},IF(ISTEXT({ref}),TRIM({ref})<>"",NOT(ISBLANK({ref})))))'


def _same_formula(ref: str, expected: str) -> str:
    """TRUE when a formula cell holds `expected`, compared as `check` compares (no spaces, no $)."""
    text = f'UPPER(SUBSTITUTE(SUBSTITUTE(_xlfn.FORMULATEXT({ref})," ",""),"$",""))'
    return f"{text}={_text(expected.replace(' ', '').replace('$', '').upper())}"


def message_expr(code: str, where: str, **values: str) -> str:
    """The catalogue's message of `code` as an Excel text expression: `values` are expressions."""
    parts = []
    for literal, name, _, _ in Formatter().parse(FINDINGS[code].template):
        if literal:
            parts.append(_text(literal))
        if name == "where":
            parts += [_text(where)] if where else []  # "": the caller puts the place before
        elif name:
            parts.append(f"({values[name]})")
    return "&".join(parts)


def _where(fmt: Format, lay: Layout, key: str) -> str:
    f, span = fmt.fields[key], lay.cells[key]
    return describe(span.sheet, span.a1, f.row, f.column)


def _value_message(fmt: Format, lay: Layout, key: str, sheet: str) -> str:
    """The message of the first finding of an input cell holding a wrong value (as `check` orders them)."""
    r, where = _ref(lay.cells[key], sheet), _where(fmt, lay, key)
    # every value message starts with the place: said once, before the choice of what follows it
    assert all(FINDINGS[code].template.startswith("{where}") for code in VALUE_CODES)
    m = lambda code, **v: message_expr(code, "", **v)  # noqa: E731
    large = m("VALUE_TOO_LARGE", found=r, expected=str(MAX_NUMBER))
    number = (
        large
        if fmt.fields[key].kind is Kind.AMOUNT
        else f"IF({r}>{MAX_NUMBER},{large},{m('VALUE_FRACTION', found=r)})"
    )
    return (
        f"{_text(where)}&IF(_xlfn.ISFORMULA({r}),{m('VALUE_FORMULA', found=f'_xlfn.FORMULATEXT({r})')},"
        f"IF(ISNUMBER({r}),IF({r}<0,{m('VALUE_NEGATIVE', found=r)},{number}),{m('VALUE_TEXT', found=r)}))"
    )


def _parts(fmt: Format, lay: Layout, lc: LiveCheck, sheet: str) -> tuple[str, str]:
    """(a condition TRUE when the check fails, the message then) as Excel expressions on `sheet`."""
    if lc.check is None:
        kinds = [(_ref(lay.cells[k], sheet), fmt.fields[k].kind) for k in lc.inputs]
        bad = [_bad(r, kind) for r, kind in kinds]
        message = '""'
        for k, b in reversed(list(zip(lc.inputs, bad, strict=True))):
            message = f"IF({b},{_value_message(fmt, lay, k, sheet)},{message})"
        return f"OR({','.join(bad)})", message
    c, at = lc.check, lc.check.cell_key
    t, where = _ref(lay.cells[at], sheet), _where(fmt, lay, at)
    right = _pure(fmt, lay, c.right, sheet)
    if c.defines:  # a total: its formula there and unchanged (a number typed over it is FORMULA_REPLACED)
        expected = defining_formula(c, lay)
        formula = message_expr(
            "FORMULA_CHANGED", where, found=f"_xlfn.FORMULATEXT({t})", expected=_text(expected)
        )
        replaced = message_expr("FORMULA_REPLACED", where, found=f'{t}&""')
        return (
            f"IF(_xlfn.ISFORMULA({t}),NOT({_same_formula(t, expected)}),TRUE)",
            f"IF(_xlfn.ISFORMULA({t}),{formula},{replaced})",
        )
    if of_total(fmt, c):  # a total defined by another check: judged only once typed over
        found = f"SUM({t})"
        message = message_expr(c.rule, where, found=found, expected=right, left=found, right=right)
        return f"IF(_xlfn.ISFORMULA({t}),FALSE,{found}<>{right})", message
    left, found = _pure(fmt, lay, c.left, sheet), _pure(fmt, lay, (at,), sheet)
    expected = f"{found}+{left}-{right}" if at in c.right else f"{found}-{left}+{right}"
    message = message_expr(c.rule, where, found=found, expected=expected, left=left, right=right)
    return f"{left}<>{right}", message


@cache  # the same for every workbook of a format
def check_formula(fmt: Format, lay: Layout, lc: LiveCheck, at: Span) -> str:
    """In cell `at`: the ✓/✗ of a live check."""
    failing, _ = _parts(fmt, lay, lc, at.sheet)
    return f'=IF({failing},"{FAIL}","{PASS}")'


@cache
def message_formula(fmt: Format, lay: Layout, lc: LiveCheck, verdict: Span, at: Span) -> str:
    """In cell `at`, for the check's ✓/✗ in `verdict`: empty while it holds, else what is wrong where."""
    _, message = _parts(fmt, lay, lc, at.sheet)
    return f'=IF({_ref(verdict, at.sheet)}="{PASS}","",{message})'


def failing_formula(layout: Layout) -> str:
    """On 校验结果: how many live checks show ✗."""
    first, last = layout.check_rows[0], layout.check_rows[-1]
    return f'=COUNTIF({first.a1}:{col_letter(last.col)}{last.row + 1},"{FAIL}")'


def showing(lc: LiveCheck, findings: Mapping[tuple[str, str], Finding]) -> Finding | None:
    """The finding a live check shows among `findings` ((code, field key) → the first), or None when ✓."""
    for key in lc.keys:
        for code in lc.codes:
            if (code, key) in findings:
                return findings[(code, key)]
    return None


def predicted(fmt: Format, lay: Layout, fields: Mapping[str, object]) -> dict[tuple[str, str], Finding]:
    """What the live checks show in a workbook written with `fields` (every total an intact formula):
    (code, field key) → finding, for the cached results a program that does not recalculate shows."""
    out: dict[tuple[str, str], Finding] = {}

    def add(code: str, key: str, **kw: Number | str | None) -> None:
        f, span = fmt.fields[key], lay.cells[key]
        out.setdefault((code, key), Finding.make(code, span.sheet, span.a1, f.row, f.column, **kw))

    inputs: dict[str, Number] = {}
    for f in fmt.inputs:
        value = fields.get(f.key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            inputs[f.key] = value
            for code in number_codes(value, f.kind):
                add(code, f.key, found=value, expected=MAX_NUMBER if code == "VALUE_TOO_LARGE" else None)
        elif value is not None and str(value).strip(" "):  # TRIM takes spaces only
            add("VALUE_TEXT", f.key, found=str(value))
    for o in judge(fmt, inputs, {}):
        if not o.ok:
            add(
                o.check.rule, o.check.cell_key, found=o.found, expected=o.expected, left=o.left, right=o.right
            )
    return out
