"""What inspecting a file before reading it costs, and how fast hostile files are turned away.

    PYTHONPATH=src python benchmarks/guard.py

Prints milliseconds per call (median of repeated runs) and the peak memory of `check` on an absurd sheet.
"""

from __future__ import annotations

import contextlib
import io
import re
import statistics
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

from xlsreport import api, guard
from xlsreport.errors import InputError

ORG, YEAR = "宝清县小城子镇人民政府", 2024


def ms(fn, n: int = 20) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        with contextlib.suppress(InputError):
            fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def rezip(src: Path, dst: Path, part: str, change) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info.filename, change(data) if info.filename == part else data)
    dst.write_bytes(buf.getvalue())
    return dst


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    blank = api.blank(ORG, YEAR, tmp / "blank.xlsx")
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(100, 300_100))
    absurd = rezip(
        blank,
        tmp / "absurd.xlsx",
        "xl/worksheets/sheet4.xml",
        lambda d: d.replace(b"</sheetData>", rows.encode() + b"</sheetData>"),
    )
    bomb = rezip(
        blank,
        tmp / "bomb.xlsx",
        "xl/sharedStrings.xml",
        lambda d: re.sub(rb"^<\?xml[^>]*\?>", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>', d),
    )
    print(
        f"guard.inspect, our blank ({blank.stat().st_size // 1024} KB): {ms(lambda: guard.inspect(blank)):.2f} ms"
    )
    print(f"api.check, our blank: {ms(lambda: api.check(blank)):.1f} ms")
    print(f"api.check, entity bomb in sharedStrings.xml: {ms(lambda: api.check(bomb)):.2f} ms")
    size = zipfile.ZipFile(absurd).getinfo("xl/worksheets/sheet4.xml").file_size
    tracemalloc.start()
    t = ms(lambda: api.check(absurd), n=3)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(
        f"api.check, 表三 with 300,000 extra rows ({size / 1e6:.0f} MB of XML): {t:.0f} ms (traced), peak {peak / 1e6:.1f} MB"
    )
    print(f"python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
