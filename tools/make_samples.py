"""Regenerate samples/: the bundled sample data as filled workbooks, and the roster, for clerks to open.

    python tools/make_samples.py

tests/test_docs.py fails when samples/ is not what this script writes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from xlsreport import api

ROOT = Path(__file__).resolve().parent.parent


def write(folder: Path) -> list[Path]:
    written = [
        api.fill(json.loads(data), folder / sub / api.sample_name(name), overwrite=True)
        for sub in ("", api.LAST_YEAR)
        for name, data in api.sample_files(sub)
    ]
    roster = folder / "roster.txt"
    roster.write_text(api.roster_text(), encoding="utf-8")
    return [*written, roster]


if __name__ == "__main__":
    for path in write(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "samples"):
        print(path)
