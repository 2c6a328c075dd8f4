"""Formats are versioned: a workbook made with an earlier version (last year's, before a layout change) is
read and checked against that version, and serves as --previous for one of the newest version."""

from __future__ import annotations

import json
import pickle
import shutil
import sys
from pathlib import Path

import docx
import openpyxl
import pytest
from typer.testing import CliRunner

from conftest import sample
from xlsreport import api
from xlsreport.cli import app
from xlsreport.collect import collect
from xlsreport.errors import InputError
from xlsreport.formats import DEFAULT, FORMATS, VERSIONS
from xlsreport.layout import layout_of

ROOT = Path(__file__).resolve().parent.parent
V1 = ROOT / "tests" / "data" / "v1"  # samples/2023 and a LibreOffice-saved blank as b58dcd0 made them
sys.path.insert(0, str(ROOT / "tools"))
runner = CliRunner()

import freeze_layout  # noqa: E402

NAMES = ("xiaochengzi", "qingyuan", "qixingpao")


def test_the_newest_layout_is_frozen_as_its_version():
    """A change to layout.py or the format that moves or rewords a label fails here: bump the version,
    keep the frozen file of the old one and declare it (README: 格式与版本), then run freeze_layout."""
    path = freeze_layout.FROZEN / f"{DEFAULT.id}-{DEFAULT.version}.json"
    assert path.read_text(encoding="utf-8") == freeze_layout.frozen(DEFAULT), "see this test's docstring"
    assert FORMATS[DEFAULT.id] is DEFAULT and VERSIONS[DEFAULT.id, 1] is not DEFAULT


def test_an_earlier_version_is_checked_against_its_own_layout():
    for name in NAMES:
        checked = api.check(V1 / f"{name}-2023.xlsx")
        assert checked.fmt.version == 1 and checked.report.ok, checked.report.findings
        assert checked.values == api.check(ROOT / "samples" / "2023" / f"{name}-2023.xlsx").values
    # the same as a workbook of now: same findings; there are no live-check columns to read in it
    old = api.check(V1 / "blank-libreoffice.xlsx")
    assert old.fmt is VERSIONS[DEFAULT.id, 1] and layout_of(old.fmt).checks == ()
    assert {f.code for f in old.report.findings} >= {"VALUE_BLANK", "TEXT_EMPTY", "INFO_MISSING"}
    result = runner.invoke(app, ["check", str(V1 / "xiaochengzi-2023.xlsx"), "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.output)["ok"]


def test_an_earlier_version_with_an_error_is_told_where(tmp_path):
    path = shutil.copy(V1 / "qingyuan-2023.xlsx", tmp_path / "q.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["表三"]["D7"] = "3件"  # t3_new_natural
    wb.save(path)
    (f,) = [f for f in api.check(path).report.findings if f.code == "VALUE_TEXT"]
    assert (f.sheet, f.cell, f.found) == ("表三", "D7", "3件")


def test_an_old_workbook_claiming_the_newest_layout_is_refused(tmp_path):
    path = shutil.copy(V1 / "qingyuan-2023.xlsx", tmp_path / "q.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["_xlsreport"]["B5"] = layout_of(DEFAULT).label_hash  # says the newest layout, has the old labels
    wb.save(path)
    with pytest.raises(InputError) as exc:
        api.check(path)
    assert exc.value.code in ("TEMPLATE_VERSION", "NOT_TEMPLATE")


def test_an_earlier_version_serves_as_previous(tmp_path):
    last, inbox = tmp_path / "2023", tmp_path / "in"
    last.mkdir()
    for name in NAMES:
        shutil.copy(V1 / f"{name}-2023.xlsx", last / f"{name}.xlsx")
    before = {n: sample(f"2023/{n}-2023.json")["fields"] for n in NAMES}
    org = before["xiaochengzi"]["info_org"]
    # blank --previous: 二、上年结转 pre-filled from the old workbook's 四
    blank = api.blank(org, 2024, tmp_path / "blank.xlsx", previous=last)
    ws = openpyxl.load_workbook(blank)["表三"]
    assert (
        ws[layout_of(DEFAULT).cells["t3_carried_natural"].a1].value
        == before["xiaochengzi"]["t3_carry_forward_natural"]
    )
    # check --previous: the same findings as against last year's workbooks made again with the newest
    # version (samples/2023); qingyuan's carried figures are wrong on purpose (PREV_CARRY)
    for name in NAMES:
        api.fill(sample(f"{name}-2024.json"), inbox / f"{name}.xlsx")
    now = ROOT / "samples" / "2023"
    for name in NAMES:
        old = api.check(inbox / f"{name}.xlsx", previous=last).report.to_dict()
        assert old == api.check(inbox / f"{name}.xlsx", previous=now).report.to_dict()
        codes = {f["code"] for f in old["findings"]}
        assert "PREV_MISSING" not in codes and ("PREV_CARRY" in codes) == (name == "qingyuan"), codes
    # collect --previous: the year-over-year sheet has last year's figures from the old workbooks
    result = collect(inbox, tmp_path / "out", jobs=1, previous=last)
    rows = list(openpyxl.load_workbook(result.summary)["同比"].iter_rows(values_only=True))
    by_org = {r[0]: r for r in rows[1:] if r[2] == "一、本年新收政府信息公开申请数量"}
    last_new = {c.org: c.values["t3_new_total"] for c in (api.check(p) for p in last.glob("*.xlsx"))}
    bodies = {org: r[5] for org, r in by_org.items() if org in last_new}
    assert bodies and bodies == {org: last_new[org] for org in bodies}


def test_an_earlier_version_builds_and_goes_back_as_the_newest(tmp_path):
    out = tmp_path / "r.docx"
    assert runner.invoke(app, ["build", str(V1 / "qingyuan-2023.xlsx"), "-o", str(out)]).exit_code == 0
    assert "2023年" in docx.Document(out).core_properties.title
    (tmp_path / "in").mkdir()
    bad = shutil.copy(V1 / "qingyuan-2023.xlsx", tmp_path / "in" / "q.xlsx")
    wb = openpyxl.load_workbook(bad)
    wb["表三"]["D7"] = "3件"
    wb.save(bad)
    result = collect(tmp_path / "in", tmp_path / "out", jobs=1)
    (back,) = (tmp_path / "out").rglob("退回修改/*.xlsx")
    assert api.check(back).fmt is DEFAULT  # the feedback workbook is a template of now, the figures kept
    assert api.export(back)["fields"]["t3_new_natural"] == "3件"
    assert len(result.entries) == 1


def test_keys_renamed_by_a_later_version_are_mapped(monkeypatch):
    """A version that renames a field says so (`renamed`); last year's values arrive under this year's keys."""
    from dataclasses import replace

    from xlsreport.formats import key_in, values_in

    later = replace(DEFAULT, version=DEFAULT.version + 1, renamed={"t3_new_natural": "t3_fresh_natural"})
    monkeypatch.setitem(VERSIONS, (DEFAULT.id, later.version), later)
    old = VERSIONS[DEFAULT.id, 1]
    assert key_in("t3_new_natural", old, later) == "t3_fresh_natural"
    assert values_in({"t3_new_natural": 4, "t3_carried_natural": 1}, old, later) == {
        "t3_fresh_natural": 4,
        "t3_carried_natural": 1,
    }
    assert key_in("t3_new_natural", old, DEFAULT) == "t3_new_natural"
    # and back: last year's workbook may be of a later version than this year's
    assert key_in("t3_fresh_natural", later, old) == "t3_new_natural"
    assert values_in({"t3_fresh_natural": 4, "t3_carried_natural": 1}, later, DEFAULT) == {
        "t3_new_natural": 4,
        "t3_carried_natural": 1,
    }


def test_a_format_crosses_to_a_worker_process_as_itself():
    """Formats are compared by identity; collect sends what it read (a published report, with its format)
    to its workers: each version arrives as the registry's object, an unregistered format as a copy."""
    from dataclasses import replace

    for fmt in VERSIONS.values():
        assert pickle.loads(pickle.dumps(fmt)) is fmt
    other = replace(DEFAULT, version=DEFAULT.version + 1)
    copy = pickle.loads(pickle.dumps(other))
    assert copy is not other and copy.version == other.version and list(copy.fields) == list(other.fields)
