"""The workbook's formulas and the validator are two implementations of the same rules: in a real
spreadsheet engine they must agree on every total, every live ✓/✗ and the failing count."""

from __future__ import annotations

import openpyxl
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from conftest import LAYOUT, edit, make, sheet
from test_properties import consistent
from xlsreport import api, office
from xlsreport.formats import DEFAULT
from xlsreport.rules import FAIL, PASS

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(
        office.soffice() is None, reason="LibreOffice (soffice) is not installed; .ci/run installs it"
    ),
]

RULE_CODES = {r.code for r in DEFAULT.rules}
INPUTS = [f.key for f in DEFAULT.inputs if f.kind == "count"]


@st.composite
def case(draw) -> tuple[dict, dict]:
    """A filled table, then edits a clerk might make: changed inputs (breaking rules), blanks, huge
    numbers, totals overwritten by numbers."""
    fields = draw(consistent())
    edits: dict[str, object] = {}
    for _ in range(draw(st.integers(0, 3))):
        edits[draw(st.sampled_from(INPUTS))] = draw(
            st.integers(0, 50) | st.just(None) | st.integers(10**9, 10**12)
        )
    if draw(st.booleans()):
        edits[draw(st.sampled_from(sorted(DEFAULT.definitions)))] = draw(st.integers(0, 500))
    return fields, edits


def test_libreoffice_recalculation_agrees_with_check(tmp_path):
    books: list = []

    # hypothesis generates the cases; LibreOffice then recalculates all of them in one run
    @settings(
        max_examples=50,
        derandomize=True,  # the same 50 cases on every run: CI cannot turn red by chance
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case())
    def collect(c: tuple[dict, dict]) -> None:
        fields, edits = c
        path = make(tmp_path, fields, f"case{len(books):02d}.xlsx")
        # saved by openpyxl: every cached formula result is dropped, so only a recalculation can show one
        books.append(edit(path, {(sheet(k), LAYOUT.cells[k].a1): v for k, v in edits.items()}))

    collect()
    assert len(books) == 50
    folder = tmp_path
    recalculated = office.convert(books, "xlsx:Calc MS Excel 2007 XML", folder / "out")
    broken: list[int] = []  # how many rules fail, per case
    for book, saved in zip(books, recalculated, strict=True):
        checked = api.check(book)
        shown = openpyxl.load_workbook(saved, data_only=True)
        for key in DEFAULT.definitions:
            span = LAYOUT.cells[key]
            assert shown[span.sheet][span.a1].value == checked.values[key], (book.name, key)
        failing = {(f.code, f.cell) for f in checked.report.findings if f.code in RULE_CODES}
        for lc in LAYOUT.checks:
            at = LAYOUT.cells[lc.check.cell_key].a1
            expected = FAIL if (lc.check.rule, at) in failing else PASS
            assert shown[lc.span.sheet][lc.span.a1].value == expected, (book.name, lc.check)
        rule_findings = [f for f in checked.report.findings if f.code in RULE_CODES]
        assert shown["校验结果"][LAYOUT.failing.a1].value == len(rule_findings), book.name
        broken.append(len({f.code for f in rule_findings}))
        # the file as LibreOffice saved it still passes the template-identity check, with the same findings
        again = api.check(saved)
        assert (again.org, again.year, again.fmt) == (checked.org, checked.year, checked.fmt)
        assert [(f.code, f.cell) for f in again.report.findings] == [
            (f.code, f.cell) for f in checked.report.findings
        ]
    # consistent tables, and tables with one and with several broken rules, are all among the cases
    assert 0 in broken and 1 in broken and max(broken) >= 2, broken
