"""Where one file's time goes in `collect`: prints milliseconds per file for each stage, asserts nothing.

    PYTHONPATH=src python benchmarks/stages.py [N]

Generates N workbooks as benchmarks/collect.py does (every fifth with an error) and times, in this one
process, what a worker does with each: the identity read of the first pass, the full read, the check, the
Word report (passing files) and the feedback workbook (failing files). Each stage is run three times and
the fastest kept, as the machine's other load only ever adds time.

Then what the quick cell reader buys (xlsxcells.py, sheetxml.py): the full read as shipped (expat events),
and with openpyxl only (the quick package declining every file).
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from collect import make_workbook

from xlsreport import api, xlsxcells
from xlsreport.feedback import feedback_workbook
from xlsreport.guard import inspect
from xlsreport.reader import read_identity, read_workbook
from xlsreport.render import render_docx


def best_ms(items: Iterable, stage: Callable[[object], object], runs: int = 3) -> float:
    """The fastest of `runs` passes of `stage` over `items`, in milliseconds per item."""
    items, best = list(items), float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        for item in items:
            stage(item)
        best = min(best, (time.perf_counter() - t0) / len(items) * 1000)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = [make_workbook((i, Path(tmp))) for i in range(1, args.n + 1)]
        raws = [read_workbook(p) for p in paths]
        others = tuple(dict.fromkeys(r.identity["org"] for r in raws))

        def check_one(raw):
            return api.check_read(raw, None, None, others)

        checked = [check_one(r) for r in raws]
        passing = [c for c in checked if c.report.ok]
        failing = [c for c in checked if not c.report.ok]
        identity = best_ms(paths, read_identity)
        read = best_ms(paths, read_workbook)
        check = best_ms(raws, check_one)
        report = best_ms(
            passing, lambda c: render_docx(c.fmt, c.org, c.year, c.values, c.texts, io.BytesIO(), None)
        )
        feedback = best_ms(failing, lambda c: feedback_workbook(c, c.report.findings))
        rows = [
            ("inspect (zip directory, part heads)", best_ms(paths, inspect)),
            ("identity (pass 1, inspect included)", identity),
            ("read (pass 2, inspect included)", read),
            ("check", check),
            (f"Word report ({len(passing)} passing)", report),
            (f"feedback workbook ({len(failing)} failing)", feedback),
        ]
        cells = xlsxcells.QuickPackage.cells
        try:

            def declined(self, sheet, wanted):
                raise ValueError("openpyxl only")

            xlsxcells.QuickPackage.cells = declined
            slow = best_ms(paths, read_workbook)
        finally:
            xlsxcells.QuickPackage.cells = cells
        rows += [("read: quick reader (as shipped)", read), ("read: openpyxl only", slow)]
    share = len(failing) / len(checked)
    total = identity + read + check + (1 - share) * report + share * feedback
    rows.append(("a file on average, one process", total))
    for name, ms in rows:
        print(f"{name:40s} {ms:6.1f} ms")
    print(f"{'':40s} {1000 / total:6.1f} files/s per core")


if __name__ == "__main__":
    main()
