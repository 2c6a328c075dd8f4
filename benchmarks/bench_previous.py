"""How much the checks across years and across the text cost: prints figures, asserts nothing.

PYTHONPATH=src python benchmarks/bench_previous.py [bodies]
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from xlsreport import api
from xlsreport.formats import DEFAULT
from xlsreport.narrative import check_texts
from xlsreport.places import province_of


def main(n: int) -> None:
    seed = json.loads(dict(api.sample_files())["qixingpao-2024.json"])
    last = json.loads(
        (Path(api.__file__).parent / "samples" / "2023" / "qixingpao-2023.json").read_text(encoding="utf-8")
    )
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        this_year = []
        for i in range(n):
            org = f"宝清县第{i}镇人民政府"
            for data, folder, year in ((seed, root / "2024", 2024), (last, root / "2023", 2023)):
                data = json.loads(json.dumps(data))
                data["fields"].update(info_org=org, info_year=year)
                path = api.fill(data, folder / f"{i}.xlsx")
                if year == 2024:
                    this_year.append(path)
        t0 = time.perf_counter()
        api.check_files(this_year)
        t1 = time.perf_counter()
        api.check_files(this_year, previous=root / "2023")
        t2 = time.perf_counter()
        checked = api.check(this_year[0])
        province = province_of(checked.org)
        runs = 200
        t3 = time.perf_counter()
        for _ in range(runs):
            check_texts(DEFAULT, checked.org, checked.year, checked.values, checked.texts, province=province)
        t4 = time.perf_counter()
    print(f"bodies: {n}")
    print(f"check_files: {t1 - t0:.2f} s ({(t1 - t0) / n * 1000:.0f} ms per workbook)")
    print(
        f"check_files --previous: {t2 - t1:.2f} s ({(t2 - t1) / n * 1000:.0f} ms per workbook, last year's read too)"
    )
    print(f"narrative checks alone: {(t4 - t3) / runs * 1000:.2f} ms per report")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
