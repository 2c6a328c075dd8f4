"""How long reading a published report takes: `import` of a 6-page PDF (target: under 1 s), and the others.

    PYTHONPATH=src python benchmarks/published.py

Makes a 6-page report (the bundled sample with a longer narrative, through LibreOffice), then prints, for it,
its .docx and LibreOffice's HTML, and for the real 洪泽区 (5 pages) and 淮安市 (6 pages) PDFs: the pages, the time of
`api.import_report` in this process (median of repeated runs, everything imported already), and the wall
time of the whole command `python -m xlsreport import FILE -o OUT.json` (a fresh interpreter, as a clerk
runs it).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from xlsreport import api, office

ROOT = Path(__file__).resolve().parent.parent
REAL = [  # real published reports (WPS): 洪泽区 2024, five pages; 淮安市 2024, six pages
    ROOT / "tests" / "data" / "hongze-district-2024.pdf",
    ROOT / "tests" / "data" / "published" / "huaian-city-2024.pdf",
]


def median_ms(fn, n: int = 7) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def command_ms(path: Path, out: Path, n: int = 3) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    times = []
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "xlsreport", "import", str(path), "-o", str(out), "--overwrite"],
            check=True,
            capture_output=True,
            env=env,
        )
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def six_pages(tmp: Path) -> list[Path]:
    """The sample report with two parts twice as long: six pages as LibreOffice lays it out."""
    data = json.loads(dict(api.sample_files())[api.SEED])
    fields = data["fields"]
    for key in ("text_overview", "text_problems"):
        fields[key] = f"{fields[key]}\n{fields[key]}"
    book = api.fill(data, tmp / "six.xlsx")
    built = api.build(book, tmp / "six.docx", pdf=True)
    (html,) = office.convert([built.document], "html", tmp / "html")
    return [built.pdf, built.document, html]


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        files = [*six_pages(tmp), *REAL]
        print(f"{'file':34} {'pages':>5} {'import_report':>14} {'command':>9}")
        for path in files:
            data = api.import_report(path)
            pages = data["source"]["pages"] or "-"
            inside = median_ms(lambda p=path: api.import_report(p))
            whole = command_ms(path, tmp / "out.json")
            print(f"{path.name:34} {pages!s:>5} {inside:11.0f} ms {whole:6.0f} ms")


if __name__ == "__main__":
    main()
