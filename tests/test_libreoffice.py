"""The workbook's formulas and the validator are two implementations of the same checks: recalculated by a
real spreadsheet engine, every ✗ in the workbook is an error `check` reports there, and every error `check`
reports (of the kinds a live check shows) is a ✗ there, with the same message on 校验结果."""

from __future__ import annotations

import openpyxl
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from conftest import LAYOUT, ORG, YEAR, edit, make, sheet
from test_properties import consistent
from xlsreport import api, office
from xlsreport.feedback import feedback_workbook
from xlsreport.formats import DEFAULT
from xlsreport.live import showing
from xlsreport.rules import FAIL, PASS, defining_formula
from xlsreport.spec import Kind

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(
        office.soffice() is None, reason="LibreOffice (soffice) is not installed; .ci/run installs it"
    ),
]

INPUTS = [f.key for f in DEFAULT.inputs]
COUNTS = [f.key for f in DEFAULT.inputs if f.kind is Kind.COUNT]
TOTALS = sorted(DEFAULT.definitions)
SHOWN = {code for lc in LAYOUT.checks for code in lc.codes}  # the codes a live check shows
FIELD_AT = {(span.sheet, span.a1): key for key, span in LAYOUT.cells.items()}
XLSX = "xlsx:Calc MS Excel 2007 XML"

# the mistakes clerks make, each as (kind, field strategy, value strategy)
MISTAKES = {
    "text": (INPUTS, st.sampled_from(["3件", "无", "—", "3 件", "１０件"])),
    "negative": (INPUTS, st.integers(-50, -1) | st.just(-0.5)),
    "fraction": (COUNTS, st.integers(0, 30).map(lambda n: n + 0.5)),
    "formula": (INPUTS, st.sampled_from(["=1+2", "=2*0", "=SUM(1,2)"])),
    "too_large": (INPUTS, st.integers(10**9, 10**12) | st.just(1.5e9)),
    "rule": (COUNTS, st.integers(0, 60)),
    "replaced": (TOTALS, st.integers(0, 500)),
    "changed": (TOTALS, st.sampled_from(["+0", "-1", "*2"])),
    "blank": (INPUTS, st.none()),
}


KINDS = sorted(MISTAKES)
# which mistakes the cases make: none, each kind alone, several kinds at once (left to draw the kinds,
# hypothesis left some kinds out of 60 cases)
SCHEDULE = [
    (),
    *((k,) for k in KINDS),
    *(tuple(KINDS[(i + j) % len(KINDS)] for j in range(2 + i % 4)) for i in range(9)),
]


def mistakes(draw, kinds: tuple[str, ...]) -> dict[str, object]:
    edits: dict[str, object] = {}
    for kind in kinds:
        keys, values = MISTAKES[kind]
        key, value = draw(st.sampled_from(keys)), draw(values)
        if kind == "changed":  # the total's formula with something added: the same cells, another formula
            value = defining_formula(DEFAULT.definitions[key], LAYOUT) + value
        edits[key] = value
    return edits


def _shows(book, saved):
    """What LibreOffice shows in each live check, its message and the failing count; what `check` finds."""
    checked = api.check(book)
    shown = openpyxl.load_workbook(saved, data_only=True)
    findings = {}
    for f in checked.report.findings:
        if f.severity == "error" and f.code in SHOWN:
            findings.setdefault((f.code, FIELD_AT[f.sheet, f.cell]), f)
    return checked, shown, findings


def test_workbook_and_check_agree_on_every_mistake(tmp_path):
    books: list = []
    seen: list[set[str]] = []

    # hypothesis generates the cases, two for each line of SCHEDULE; LibreOffice then recalculates all of
    # them in one run
    def cases(kinds: tuple[str, ...]):
        @settings(
            max_examples=2,
            derandomize=True,  # the same cases on every run: CI cannot turn red by chance
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(fields=consistent(), data=st.data())
        def collect(fields: dict, data) -> None:
            edits = mistakes(data.draw, kinds)
            path = make(tmp_path, fields, f"case{len(books):02d}.xlsx")
            # saved by openpyxl: cached formula results are dropped, so only a recalculation can show one
            books.append(edit(path, {(sheet(k), LAYOUT.cells[k].a1): v for k, v in edits.items()}))
            seen.append(set(kinds))

        return collect

    for kinds in SCHEDULE:
        cases(kinds)()
    recalculated = office.convert(books, XLSX, tmp_path / "out")
    counts: list[int] = []
    shown_codes: set[str] = set()
    for book, saved, kinds in zip(books, recalculated, seen, strict=True):
        checked, shown, findings = _shows(book, saved)
        results = shown["校验结果"]
        crosses = 0
        for lc, result, note in zip(LAYOUT.checks, LAYOUT.check_rows, LAYOUT.messages, strict=True):
            expected = showing(lc, findings)
            cell = shown[lc.span.sheet][lc.span.a1].value
            # no ✗ without an error there, no error there without a ✗ ...
            assert cell == (FAIL if expected else PASS), (book.name, lc.span.a1, kinds, expected)
            assert results[result.a1].value == cell
            # ... and 校验结果 says what `check` says, in the catalogue's words
            assert (results[note.a1].value or "") == (expected.message if expected else ""), (book.name, lc)
            crosses += cell == FAIL
        # every error of a kind the workbook shows is shown by a live check at its place
        placed = {(code, key) for lc in LAYOUT.checks for code in lc.codes for key in lc.keys}
        assert set(findings) <= placed
        assert results[LAYOUT.failing.a1].value == crosses
        counts.append(len(findings))
        shown_codes |= {code for code, _ in findings}
        # LibreOffice runs a changed formula and adds up a formula in an input; check does neither
        if not kinds & {"changed", "formula"}:
            for key in DEFAULT.definitions:
                span = LAYOUT.cells[key]
                assert shown[span.sheet][span.a1].value == checked.values[key], (book.name, key)
        # the file as LibreOffice saved it is still the template, with the same findings
        again = api.check(saved)
        assert (again.org, again.year, again.fmt) == (checked.org, checked.year, checked.fmt)
        assert [(f.code, f.cell) for f in again.report.findings] == [
            (f.code, f.cell) for f in checked.report.findings
        ]
    # every kind of mistake, alone and with others, and clean tables are among the cases
    assert set().union(*seen) == set(MISTAKES)
    # and the workbook showed every kind of error, not only agreed on their absence
    values = {"VALUE_TEXT", "VALUE_NEGATIVE", "VALUE_FRACTION", "VALUE_FORMULA", "VALUE_TOO_LARGE"}
    assert {*values, "FORMULA_REPLACED", "FORMULA_CHANGED", "T3_BALANCE"} <= shown_codes, shown_codes
    assert shown_codes & {"T3_ROW_TOTAL", "T3_COL_TOTAL", "T4_TOTAL"}, shown_codes
    assert 0 in counts and 1 in counts and max(counts) >= 3, counts
    for kind in MISTAKES:
        assert any(kinds == {kind} for kinds in seen), kind


def _formula_cells(path):
    """(sheet, A1) → cached value of every formula cell, as the writer stored it."""
    formulas, cached = openpyxl.load_workbook(path), openpyxl.load_workbook(path, data_only=True)
    return {
        (ws.title, c.coordinate): cached[ws.title][c.coordinate].value
        for ws in formulas
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=")
    }


@settings(max_examples=1, deadline=None, database=None, derandomize=True, phases=[Phase.generate])
@given(fields=consistent(), wrong=st.lists(st.sampled_from(INPUTS), min_size=3, max_size=6, unique=True))
def test_cached_results_are_what_the_formulas_compute(tmp_path_factory, fields, wrong):
    """A viewer that does not recalculate shows the truth: blank, filled and feedback workbooks."""
    tmp = tmp_path_factory.mktemp("cached")
    values = ["3件", -2, 2.5, 10**10, "无", 1.25e9]
    bad = {**fields, **{k: values[i % len(values)] for i, k in enumerate(wrong)}, "t3_new_natural": 10**4}
    blank = api.blank(ORG, YEAR, tmp / "blank.xlsx")
    filled = make(tmp, fields, "filled.xlsx")
    wrong_book = make(tmp, bad, "wrong.xlsx")
    checked = api.check(wrong_book)
    feedback = tmp / "feedback.xlsx"
    feedback.write_bytes(feedback_workbook(checked, checked.report.findings))
    books = [blank, filled, wrong_book, feedback]
    recalculated = office.convert(books, XLSX, tmp / "out")
    for book, saved in zip(books, recalculated, strict=True):
        ours = _formula_cells(book)
        theirs = openpyxl.load_workbook(saved, data_only=True)
        assert len(ours) > 200
        differ = {
            at: (v, theirs[at[0]][at[1]].value) for at, v in ours.items() if theirs[at[0]][at[1]].value != v
        }
        # an empty message is stored as an empty string by us and read back as nothing
        differ = {at: d for at, d in differ.items() if set(d) != {"", None}}
        assert differ == {}, book.name
    assert openpyxl.load_workbook(wrong_book, data_only=True)["校验结果"][LAYOUT.failing.a1].value >= 3
