"""How long the command takes to start: `xlsreport --help` and `check` of one workbook, each in a fresh
process as a clerk runs it, beside a bare `python -c pass`.

    .venv/bin/python benchmarks/startup.py [runs]

Prints the median wall time of each over `runs` (default 15), in seconds. Targets: --help under 0.15 s,
check of one workbook under 0.25 s.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from xlsreport import api

ORG, YEAR = "宝清县小城子镇人民政府", 2024


def median_seconds(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main(runs: int = 15) -> None:
    command = str(Path(sys.executable).parent / "xlsreport")
    with tempfile.TemporaryDirectory() as tmp:
        seed = dict(api.sample_files())[api.SEED]
        book = api.fill(json.loads(seed), Path(tmp) / "book.xlsx")
        cases = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "xlsreport --help": [command, "--help"],
            "xlsreport check (1 workbook)": [command, "check", str(book)],
        }
        for name, argv in cases.items():
            median_seconds(argv, 2)  # warm the file cache and the bytecode
            print(f"{name:32s} {median_seconds(argv, runs):.3f} s")


if __name__ == "__main__":
    main(*map(int, sys.argv[1:2]))
