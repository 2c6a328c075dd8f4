"""How fast `collect` is, against the obvious baseline: prints figures, asserts nothing (not a timed test).

PYTHONPATH=src python benchmarks/collect.py [N] [--jobs J] [--baseline-files B] [--published P]

Generates N filled workbooks (every fifth with an error, so it gets a feedback workbook instead of a report),
runs `collect` on them, then times the baseline — openpyxl full load plus a python-docx document built per
file, in one process, on the first B files — and prints files per second for both, the ratio, and the peak
memory of collect's process tree (sampled from /proc, so Linux only). The machine is shared: wall time varies
with its load, so the CPU time of collect's process and workers (user + sys) is printed beside it.

With P > 0 it also makes P published reports of other bodies (PDFs, through LibreOffice) and times `collect`
on a folder of them alone: each is read whole to learn its body and year, then checked.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import docx
import openpyxl

from xlsreport import api, office
from xlsreport.collect import collect
from xlsreport.formats import DEFAULT
from xlsreport.layout import layout_of

FAIL_EVERY = 5


def make_workbook(args: tuple[int, Path]) -> Path:
    i, folder = args
    data = json.loads(dict(api.sample_files())["qixingpao-2024.json"])
    data["fields"]["info_org"] = f"宝清县第{i}镇人民政府"
    if i % FAIL_EVERY == 0:
        data["fields"]["t3_granted_natural"] = "3件"
    return api.fill(data, folder / f"{i:05d}.xlsx")


def _baseline(path: Path, out: Path) -> None:
    """What one would write first: load the whole workbook, read the cells, build a document with python-docx."""
    lay = layout_of(DEFAULT)
    wb = openpyxl.load_workbook(path)
    values = {k: wb[s.sheet][s.a1].value for k, s in lay.cells.items()}
    doc = docx.Document()
    doc.add_heading(DEFAULT.title(str(values["info_org"]), year_of(values)), 0)
    for f in DEFAULT.text_fields:
        doc.add_paragraph(str(values[f.key] or ""))
    for t in DEFAULT.tables:
        fields = [f for f in DEFAULT.table_fields if f.table == t.key]
        table = doc.add_table(rows=len(fields), cols=2)
        for row, f in zip(table.rows, fields, strict=True):
            row.cells[0].text = " / ".join(f.row + f.column)
            row.cells[1].text = str(values[f.key] if values[f.key] is not None else "")
    buf = io.BytesIO()
    doc.save(buf)
    out.write_bytes(buf.getvalue())


def published_reports(n: int, folder: Path) -> list[Path]:
    """`n` PDFs of the sample report, each of another body, converted by one LibreOffice run."""
    data = json.loads(dict(api.sample_files())["qixingpao-2024.json"])
    docs = []
    for i in range(n):
        data["fields"]["info_org"] = f"宝清县第{i}乡人民政府"
        book = api.fill(data, folder / "books" / f"{i:05d}.xlsx")
        docs.append(api.build(book, folder / "docs" / f"{i:05d}.docx").document)
    return office.convert(docs, "pdf", folder / "pdf")


def cpu() -> float:
    """CPU seconds of this process and its ended children (collect's workers, once it returned)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def year_of(values: dict) -> int:
    return int(values["info_year"])


class PeakMemory:
    """The largest total resident memory of this process and its children, sampled every 20 ms."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _tree_rss(self) -> int:
        me, total = os.getpid(), 0
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    parent = int(fh.read().rsplit(")", 1)[1].split()[1])
                if int(entry) != me and parent != me:
                    continue
                with open(f"/proc/{entry}/statm") as fh:
                    total += int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            except (OSError, ValueError, IndexError):
                continue
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._tree_rss())
            time.sleep(0.02)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--baseline-files", type=int, default=100)
    parser.add_argument("--published", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        inbox = root / "收回"
        inbox.mkdir()
        with ProcessPoolExecutor() as pool:
            books = list(pool.map(make_workbook, [(i, inbox) for i in range(args.n)], chunksize=16))
        with PeakMemory() as memory:
            t0, c0 = time.perf_counter(), cpu()
            result = collect(inbox, root / "out", jobs=args.jobs)
            elapsed, spent = time.perf_counter() - t0, cpu() - c0
        passed = sum(e.status == "通过" for e in result.entries)
        base_files = books[: args.baseline_files]
        (root / "base").mkdir()
        t1 = time.perf_counter()
        for p in base_files:
            _baseline(p, root / "base" / f"{p.stem}.docx")
        base_elapsed = time.perf_counter() - t1
        if args.published:
            pdfs = published_reports(args.published, root / "published")
            t2, c2 = time.perf_counter(), cpu()
            audited = collect(pdfs[0].parent, root / "out-published", jobs=args.jobs)
            pub_elapsed, pub_spent = time.perf_counter() - t2, cpu() - c2
            pub_passed = sum(e.status == "通过" for e in audited.entries)
    rate, base_rate = args.n / elapsed, len(base_files) / base_elapsed
    print(
        f"workbooks: {args.n} ({passed} passed, {args.n - passed} with errors), jobs: {args.jobs}, cores: {os.cpu_count()}"
    )
    print(
        f"collect:  {elapsed:.1f} s, {rate:.1f} workbooks/s (check + Word report or feedback workbook, 汇总.xlsx); "
        f"CPU {spent:.1f} s, {spent / args.n * 1000:.1f} ms a workbook"
    )
    print(
        f"baseline: {base_elapsed:.1f} s for {len(base_files)}, {base_rate:.1f} workbooks/s (openpyxl full load + python-docx, one process)"
    )
    print(f"ratio:    {rate / base_rate:.1f}x")
    print(f"peak memory of collect (process and workers): {memory.peak / 2**20:.0f} MB")
    if args.published:
        print(
            f"published: {args.published} PDFs ({pub_passed} passed), {pub_elapsed:.1f} s, "
            f"{args.published / pub_elapsed:.1f} reports/s (read, check; no report written); "
            f"CPU {pub_spent:.1f} s, {pub_spent / args.published * 1000:.0f} ms a report"
        )


if __name__ == "__main__":
    main()
