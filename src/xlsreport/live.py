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

from .findingcodes import FINDINGS
from .findings import Finding, describe
from .layout import VALUE_CODES, Layout, LiveCheck, Span, col_letter
from .rules import FAIL, MAX_NUMBER, PASS, Number, defining_formula, judge, number_codes, of_total
from .spec import Format, Kind

EXCEL_FORMULA_LIMIT = 8192  # characters; Excel refuses a longer formula
HOLDS = {code: n for n, code in enumerate(VALUE_CODES, 1)}  # what an input holds, as code_formula says it


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


def code_formula(fmt: Format, lay: Layout, key: str, at: Span) -> str:
    """In cell `at`: what input `key` holds that `check` reports, as its number in HOLDS, or 0 for nothing.

    Blank and spaces only are no error; a number too large and a fraction is too large first, as in `check`.
    """
    r, n = _ref(lay.cells[key], at.sheet), HOLDS
    fraction = f"IF({r}<>INT({r}),{n['VALUE_FRACTION']},0)" if fmt.fields[key].kind is Kind.COUNT else "0"
    number = f"IF({r}<0,{n['VALUE_NEGATIVE']},IF({r}>{MAX_NUMBER},{n['VALUE_TOO_LARGE']},{fraction}))"
    text = n["VALUE_TEXT"]
    return (
        f"=IF(_xlfn.ISFORMULA({r}),{n['VALUE_FORMULA']},IF(ISNUMBER({r}),{number},"
        f'IF(ISTEXT({r}),IF(TRIM({r})="",0,{text}),IF(ISBLANK({r}),0,{text}))))'
    )


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


def _value_message(fmt: Format, lay: Layout, key: str, code: str, sheet: str) -> str:
    """The message of an input cell holding a wrong value, whose `code` (an expression) says what it holds."""
    r, where = _ref(lay.cells[key], sheet), _where(fmt, lay, key)
    values = {
        "VALUE_FORMULA": {"found": f"_xlfn.FORMULATEXT({r})"},
        "VALUE_TOO_LARGE": {"found": r, "expected": str(MAX_NUMBER)},
    }
    # every value message starts with the place: said once, before the choice of what follows it
    assert all(FINDINGS[c].template.startswith("{where}") for c in VALUE_CODES)
    wordings = [message_expr(c, "", **values.get(c, {"found": r})) for c in VALUE_CODES]
    return f"{_text(where)}&CHOOSE({code},{','.join(wordings)})"


def _parts(fmt: Format, lay: Layout, i: int, sheet: str) -> tuple[str, str]:
    """(a condition TRUE when check `i` fails, the message then) as Excel expressions on `sheet`."""
    lc = lay.checks[i]
    if lc.check is None:
        codes = [_ref(span, sheet) for span in lay.value_codes[i]]
        message = '""'
        for k, code in reversed(list(zip(lc.inputs, codes, strict=True))):
            message = f"IF({code}>0,{_value_message(fmt, lay, k, code, sheet)},{message})"
        return f"SUM({codes[0]}:{codes[-1]})>0", message
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
def check_formula(fmt: Format, lay: Layout, i: int) -> str:
    """The ✓/✗ of live check `i`, in its verdict cell."""
    failing, _ = _parts(fmt, lay, i, lay.verdicts[i].sheet)
    return f'=IF({failing},"{FAIL}","{PASS}")'


@cache
def message_formula(fmt: Format, lay: Layout, i: int) -> str:
    """The message of live check `i`, in its reason cell: empty while it holds, else what is wrong where."""
    at = lay.reasons[i]
    _, message = _parts(fmt, lay, i, at.sheet)
    return f'=IF({_ref(lay.verdicts[i], at.sheet)}="{PASS}","",{message})'


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
        out.setdefault((code, key), Finding.at(fmt, key, code, **kw))

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
