"""Fixtures: workbooks are made by the public API, and edited the way another program would edit them."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import openpyxl
import pytest

from xlsreport import api
from xlsreport.formats import DEFAULT
from xlsreport.layout import layout_of

ORG, YEAR = "宝清县小城子镇人民政府", 2024
LAYOUT = layout_of(DEFAULT)


def cell(key: str) -> str:
    """The A1 address of a field."""
    return LAYOUT.cells[key].a1


def sheet(key: str) -> str:
    return LAYOUT.cells[key].sheet


def sample(name: str) -> dict:
    return json.loads((resources.files("xlsreport") / "samples" / name).read_text(encoding="utf-8"))


def make(tmp_path: Path, fields: dict | None = None, name: str = "book.xlsx") -> Path:
    """A workbook of ORG/YEAR filled with `fields` (field key -> value) through `xlsreport fill`."""
    data = {"format": DEFAULT.id, "fields": {"info_org": ORG, "info_year": YEAR, **(fields or {})}}
    return api.fill(data, tmp_path / name, overwrite=True)


def edit(path: Path, changes: dict[tuple[str, str], object]) -> Path:
    """Change cells as a clerk's spreadsheet program would: {(sheet, "D7"): value}. Saved with openpyxl."""
    wb = openpyxl.load_workbook(path)
    for (ws, a1), value in changes.items():
        wb[ws][a1].value = value
    wb.save(path)
    return path


@pytest.fixture
def seed_fields() -> dict:
    return sample("xiaochengzi-2024.json")["fields"]
