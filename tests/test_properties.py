"""Property tests of the rules: consistent tables pass; one perturbed cell breaks exactly its rule, at its cell."""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from conftest import cell, edit, make, sheet
from xlsreport import api
from xlsreport.formats import DEFAULT
from xlsreport.rules import of_total
from xlsreport.spec import leaves_of

T3 = DEFAULT.table("t3").blocks[0]
COLUMNS = [n.key for n, _ in leaves_of(T3.columns) if not n.computed]
RESULTS = [n.key for n, _ in leaves_of(T3.rows) if n.key not in ("new", "carried", "total", "carry_forward")]
# Each example writes and reads real files: no shrinking (it takes minutes over 150 fields); the
# failing example is still printed whole.
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)

small = st.integers(0, 40) | st.just(0)


@st.composite
def consistent(draw) -> dict:
    """A filled report whose every rule holds: 一 + 二 = 三（七）+ 四 in every column."""
    fields: dict[str, object] = {}
    for col in COLUMNS:
        results = {r: draw(small) for r in RESULTS}
        carry_forward = draw(st.integers(0, 5))
        handled = sum(results.values()) + carry_forward
        carried = draw(st.integers(0, handled))
        fields |= {f"t3_{r}_{col}": v for r, v in results.items()}
        fields |= {
            f"t3_carry_forward_{col}": carry_forward,
            f"t3_carried_{col}": carried,
            f"t3_new_{col}": handled - carried,
        }
    for f in DEFAULT.inputs:
        if f.table == "t4" or (f.table == "t2" and "regulations" not in f.key):
            fields[f.key] = (
                draw(st.integers(0, 10**6))
                if f.kind == "count"
                else draw(st.decimals(0, 10**4, places=4).map(float))
            )
    return fields


@SETTINGS
@given(fields=consistent())
def test_consistent_tables_pass(tmp_path, fields):
    report = api.check(make(tmp_path, fields)).report
    assert report.ok, [f.message for f in report.findings if f.severity == "error"]


@SETTINGS
@given(
    fields=consistent(),
    col=st.sampled_from(COLUMNS),
    row=st.sampled_from(["new", "carried", "carry_forward", *RESULTS]),
    delta=st.integers(1, 9),
)
def test_one_changed_input_breaks_the_balance_of_its_column_only(tmp_path, fields, col, row, delta):
    key = f"t3_{row}_{col}"
    fields = {**fields, key: fields[key] + delta}
    report = api.check(make(tmp_path, fields)).report
    errors = {(f.code, f.cell) for f in report.findings if f.severity == "error"}
    assert errors == {
        ("T3_BALANCE", cell(f"t3_carry_forward_{col}")),
        ("T3_BALANCE", cell("t3_carry_forward_total")),
    }


TOTALS = sorted(DEFAULT.definitions)


@settings(SETTINGS, max_examples=15)
@given(fields=consistent(), key=st.sampled_from(TOTALS), delta=st.integers(1, 9))
def test_an_overwritten_total_is_reported_at_that_cell(tmp_path, fields, key, delta):
    check = DEFAULT.definitions[key]
    right = sum(api.check(make(tmp_path, fields, "ok.xlsx")).values[k] for k in check.right)
    path = edit(make(tmp_path, fields), {(sheet(key), cell(key)): right + delta})
    report = api.check(path).report
    at_cell = {f.code for f in report.findings if f.cell == cell(key) and f.sheet == sheet(key)}
    # the checks of this total's own cell ((七)总计×总计 has two); the equations add up inputs only
    rules_here = {
        c.rule for r in DEFAULT.rules for c in r.checks if of_total(DEFAULT, c) and c.cell_key == key
    }
    assert at_cell == {"FORMULA_REPLACED", *rules_here}
    assert check.rule in rules_here
    # so nothing else fails: the ✗ is at the total typed over, and only there
    assert [f for f in report.findings if f.severity == "error" and f.cell != cell(key)] == []
