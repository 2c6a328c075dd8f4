"""A later version of the national format that renames a field: `collect` sums and compares every body's
figures under the newest version's keys, whatever version each workbook (and last year's) was made with.

The later version is built here from the newest declaration (表二's 行政许可 row keyed and worded anew, the
key declared in `renamed`) and registered for the test in the registry (`VERSIONS`, `FORMATS`), which everything asks for
the newest version of a format: workbooks filled before it is registered are of the version before it.
"""

from __future__ import annotations

import json
import multiprocessing
import shutil
from dataclasses import replace
from pathlib import Path

import docx
import openpyxl
import pytest
from typer.testing import CliRunner

from conftest import sample
from xlsreport import api
from xlsreport.cli import app
from xlsreport.collect import collect
from xlsreport.formats import DEFAULT, FORMATS, VERSIONS
from xlsreport.layout import layout_of
from xlsreport.spec import Format, Node
from xlsreport.wording import COUNTY_ROW

ROOT = Path(__file__).resolve().parent.parent
V1 = ROOT / "tests" / "data" / "v1"
OLD, NEW = "t2_licensing_decisions", "t2_permits_decisions"
OLD_LABEL, NEW_LABEL = "行政许可", "行政许可事项"
runner = CliRunner()


def renamed(base: Format, row: str, to: str, label: str) -> Format:
    """The version after `base` with the row keyed `row` keyed `to` and labelled `label`, in the same cells:
    the fields of that row under other keys, and every key the declaration names mapped to them."""

    def rekey(node: Node) -> Node:
        if node.key == row:
            return replace(node, key=to, label=label)
        return replace(node, children=tuple(rekey(c) for c in node.children))

    tables = tuple(
        replace(t, blocks=tuple(replace(b, rows=tuple(rekey(r) for r in b.rows)) for b in t.blocks))
        for t in base.tables
    )
    moved = replace(base, tables=tables)
    names = {
        a.key: b.key for a, b in zip(base.table_fields, moved.table_fields, strict=True) if a.key != b.key
    }
    assert not any(k in names for r in base.rules for c in r.checks for k in (*c.left, *c.right))

    def key(k: str) -> str:
        return names.get(k, k)

    return replace(
        moved,
        version=base.version + 1,
        renamed=names,
        key_figures=tuple(map(key, base.key_figures)),
        figures=tuple(replace(f, keys=tuple(map(key, f.keys))) for f in base.figures),
        implausible={code: tuple(map(key, keys)) for code, keys in base.implausible.items()},
    )


def fields(name: str, **values: int) -> dict:
    data = sample(name)
    data["fields"].update(values)
    return data


@pytest.fixture
def county(tmp_path, monkeypatch):
    """This year: 小城子 returned a workbook of the version before the later one (行政许可 3), 七星泡 one of the
    later version (37). Last year: 小城子's of version 1 (2), 七星泡's of the version before the later (31)."""
    inbox, last = tmp_path / "in", tmp_path / "2023"
    last.mkdir()
    before = shutil.copy(V1 / "xiaochengzi-2023.xlsx", last / "xiaochengzi.xlsx")
    at = layout_of(VERSIONS[DEFAULT.id, 1]).cells[OLD]
    wb = openpyxl.load_workbook(before)
    wb[at.sheet][at.a1] = 2
    wb.save(before)
    api.fill(fields("2023/qixingpao-2023.json"), last / "qixingpao.xlsx")
    api.fill(fields("xiaochengzi-2024.json", **{OLD: 3}), inbox / "xiaochengzi.xlsx")

    later = renamed(DEFAULT, "licensing", "permits", NEW_LABEL)
    assert later.renamed == {OLD: NEW}
    monkeypatch.setitem(VERSIONS, (later.id, later.version), later)
    monkeypatch.setitem(FORMATS, later.id, later)
    data = fields("qixingpao-2024.json")
    data["fields"][NEW] = data["fields"].pop(OLD)  # 37, as its text states
    api.fill(data, inbox / "qixingpao.xlsx")

    made = {p.stem: api.check(p, previous=last) for p in inbox.iterdir()}
    assert made["xiaochengzi"].fmt is DEFAULT and made["qixingpao"].fmt is later
    assert all(c.report.ok for c in made.values()), [c.report.findings for c in made.values()]
    return inbox, last, later, made


def licensing_row(path: Path, label: str) -> list[str]:
    """The row of 行政许可 in a Word report, by the label it is printed with; none printed with the other."""
    rows = [[c.text for c in r.cells] for t in docx.Document(path).tables for r in t.rows]
    other = NEW_LABEL if label == OLD_LABEL else OLD_LABEL
    assert not [r for r in rows if other in r]
    (row,) = [r for r in rows if label in r]
    return row


def assert_summed(summary: Path, later: Format, orgs: dict[str, str]) -> None:
    """汇总.xlsx of the run below: the renamed row summed once, of both bodies, and compared year on year."""
    wb = openpyxl.load_workbook(summary)
    at = layout_of(later).cells[NEW]
    assert wb[at.sheet][at.a1].value == 3 + 37
    assert NEW in wb.defined_names and OLD not in wb.defined_names
    assert not [r for r in wb[at.sheet].iter_rows(values_only=True) if OLD_LABEL in r]
    (row,) = [r for r in wb[at.sheet].iter_rows(values_only=True) if NEW_LABEL in r]
    assert 40 in row
    yoy = {}
    label = " / ".join(p for p in later.fields[NEW].row if p)
    for org, _, row_label, _, this, last, change in list(wb["同比"].iter_rows(values_only=True))[1:]:
        if row_label == label:
            assert org not in yoy, org  # once per body: the old key and the new are one row
            yoy[org] = (this, last, change)
    assert yoy == {
        COUNTY_ROW.format(n=2, of=2): (40, 33, 7),
        orgs["xiaochengzi"]: (3, 2, 1),
        orgs["qixingpao"]: (37, 31, 6),
    }


def test_collect_sums_and_compares_a_renamed_field_under_the_newest_key(county, tmp_path):
    inbox, last, later, made = county
    orgs = {name: c.org for name, c in made.items()}
    result = collect(inbox, tmp_path / "out", jobs=1, previous=last)
    assert result.fmt is later and result.ok, [(e.file, e.status, e.note) for e in result.entries]
    assert_summed(result.summary, later, orgs)
    assert json.loads(result.findings.read_text(encoding="utf-8")) == [
        made[name].report.to_dict() for name in ("qixingpao", "xiaochengzi")
    ]
    # each report is built with the version its workbook was made with (its labels), as `build` builds it
    for name, label, value in (("xiaochengzi", OLD_LABEL, "3"), ("qixingpao", NEW_LABEL, "37")):
        (entry,) = [e for e in result.entries if e.org == orgs[name]]
        (report,) = entry.outputs
        assert licensing_row(result.out_dir / report, label)[-1] == value
        built = api.build(inbox / f"{name}.xlsx", tmp_path / f"{name}.docx")
        assert (result.out_dir / report).read_bytes() == built.document.read_bytes()


@pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork",
    reason="the registry patched here reaches collect's workers only when they are forked from this process",
)
def test_the_cli_collects_a_renamed_field_on_worker_processes(county, tmp_path):
    inbox, last, later, made = county
    out = tmp_path / "cli"
    args = ["collect", str(inbox), "-o", str(out), "--previous", str(last), "--jobs", "2", "--format", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    said = json.loads(result.output)
    assert [(e["org"], e["status"], e["errors"]) for e in said["entries"]] == [
        (made["qixingpao"].org, "通过", 0),
        (made["xiaochengzi"].org, "通过", 0),
    ]
    assert_summed(Path(said["summary"]), later, {name: c.org for name, c in made.items()})
