"""How long the command takes to start: `xlsreport --help` and `check` of one workbook, each in a fresh
process as a clerk runs it, beside a bare `python -c pass`.

    .venv/bin/python benchmarks/startup.py [runs]

Prints the median wall and CPU time of each over `runs` (default 15), in seconds. Targets: --help under 0.15 s,
check of one workbook under 0.25 s. The package's bytecode is compiled first, as pip does when it installs
the wheel: an editable checkout run with PYTHONDONTWRITEBYTECODE would compile ours from source each time.
"""

from __future__ import annotations

import compileall
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from xlsreport import api

ORG, YEAR = "宝清县小城子镇人民政府", 2024


def median_seconds(argv: list[str], runs: int) -> tuple[float, float]:
    """The median wall time, and the median CPU time (user + system) of the process: on a shared machine
    the wall time grows with the others' load, the CPU time much less."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        walls.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main(runs: int = 15) -> None:
    command = str(Path(sys.executable).parent / "xlsreport")
    compileall.compile_dir(Path(api.__file__).parent, quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        seed = dict(api.sample_files())[api.SEED]
        book = api.fill(json.loads(seed), Path(tmp) / "book.xlsx")
        cases = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "xlsreport --help": [command, "--help"],
            "xlsreport check (1 workbook)": [command, "check", str(book)],
        }
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        for name, argv in cases.items():
            median_seconds(argv, 2)  # warm the file cache
            wall, cpu = median_seconds(argv, runs)
            print(f"{name:32s} {wall:.3f} s wall, {cpu:.3f} s CPU")


if __name__ == "__main__":
    main(*map(int, sys.argv[1:2]))
