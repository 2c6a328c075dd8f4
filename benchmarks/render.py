"""How long render_docx takes per document: prints figures, asserts nothing (not a timed test).

    PYTHONPATH=src python benchmarks/render.py [N]

Renders the 七星泡镇 sample N times (default 50) after one warm-up render (which checks and prepares the
template), as `collect` does for each passing workbook, and prints the median and best of 5 rounds in
milliseconds per document, for the final report, the draft and the report with generated paragraphs;
then the first render of a process, which checks and prepares the template.
"""

from __future__ import annotations

import io
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from xlsreport import api, render
from xlsreport.generated import auto_summary
from xlsreport.render import render_docx


def per_document(n: int, **kwargs) -> list[float]:
    render_docx(out=io.BytesIO(), **kwargs)
    rounds = []
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(n):
            render_docx(out=io.BytesIO(), **kwargs)
        rounds.append((time.perf_counter() - t) / n * 1000)
    return rounds


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    with tempfile.TemporaryDirectory() as tmp:
        sample = json.loads(dict(api.sample_files())["qixingpao-2024.json"])
        c = api.check(api.fill(sample, Path(tmp) / "q.xlsx"))
    base = {"fmt": c.fmt, "org": c.org, "year": c.year, "values": c.values, "texts": c.texts}
    cases = {
        "report": base,
        "draft": {**base, "draft": True},
        "generated paragraphs": {**base, "texts": auto_summary(c.fmt, c.values, c.texts, c.year)},
    }
    for name, kwargs in cases.items():
        rounds = per_document(n, **kwargs)
        print(
            f"{name:22} {statistics.median(rounds):6.2f} ms/document (best {min(rounds):.2f}, {n}×5 renders)"
        )
    first = []
    for _ in range(5):
        render._CACHE.clear()
        t = time.perf_counter()
        render_docx(out=io.BytesIO(), **base)
        first.append((time.perf_counter() - t) * 1000)
    print(f"{'first, loading':22} {statistics.median(first):6.2f} ms (median of 5)")


if __name__ == "__main__":
    main()
