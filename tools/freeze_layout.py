"""Write the frozen layout of the current version of each format: every label and field cell of its workbook.

    python tools/freeze_layout.py

The file of an earlier version is what lets xlsreport read the workbooks made with it after layout.py or
the format changed (README: 格式与版本). tests/test_versions.py fails when the current layout is not the
frozen one: then bump the format's version, keep the old file and declare the old version (formats/).
Runs against older code as well (git archive an old commit, PYTHONPATH=its src), which is how the first
frozen file was made.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from xlsreport.formats import DEFAULT
from xlsreport.layout import layout_of

FROZEN = Path(__file__).resolve().parent.parent / "src" / "xlsreport" / "formats" / "frozen"


def frozen(fmt) -> str:
    lay = layout_of(fmt)
    span = lambda s: [s.sheet, s.row, s.col, s.last_row, s.last_col]  # noqa: E731
    one = lambda v: json.dumps(v, ensure_ascii=False)  # noqa: E731
    cells = ",\n".join(f"  {one(k)}: {one(span(s))}" for k, s in lay.cells.items())
    labels = ",\n".join(f"  {one([*span(lbl.span), lbl.text, lbl.role])}" for lbl in lay.labels)
    head = f'"format": {one(fmt.id)}, "version": {fmt.version}, "label_hash": {one(lay.label_hash)}'
    # one cell or label a line: a diff between two versions reads as what moved
    return f'{{{head},\n"sheets": {one(list(lay.sheets))},\n"cells": {{\n{cells}\n}},\n"labels": [\n{labels}\n]}}\n'


def main(out: Path = FROZEN) -> None:
    path = out / f"{DEFAULT.id}-{DEFAULT.version}.json"
    path.write_text(frozen(DEFAULT), encoding="utf-8")
    print(path)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else FROZEN)
