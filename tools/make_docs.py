"""Regenerate the parts of the docs that are derived from the spec and the catalogue: docs/fields.md, and
README's tables of codes and of the reasons their messages give.

    python tools/make_docs.py

tests/test_docs.py fails when they are out of date.
"""

from __future__ import annotations

import re
from pathlib import Path

from xlsreport import api
from xlsreport.errors import REASONS
from xlsreport.guard import REASONS as GUARD_REASONS

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- codes:start -->", "<!-- codes:end -->"
REASONS_START, REASONS_END = "<!-- reasons:start -->", "<!-- reasons:end -->"


def fields_md() -> str:
    s = api.schema()
    lines = [
        f"# 字段与规则 · {s['name']}",
        "",
        "Generated from the spec by `tools/make_docs.py`; do not edit by hand. Each key is also the workbook's",
        "defined name for its cell, and the key used by `export` and `fill`.",
        "",
        "| key | table | row | column | cell | type |",
        "|---|---|---|---|---|---|",
    ]
    for f in s["fields"]:
        kind = f["type"] + (" (formula)" if f["computed"] else "")
        row, col = " / ".join(f["row"]), " / ".join(f["column"])
        lines.append(f"| `{f['key']}` | {f['table']} | {row} | {col} | {f['sheet']}!{f['cell']} | {kind} |")
    lines += ["", "## Rules", "", "| code | checks | description |", "|---|---|---|"]
    lines += [f"| `{r['code']}` | {r['checks']} | {r['description']} |" for r in s["rules"]]
    return "\n".join(lines) + "\n"


def codes_md() -> str:
    rows = ["| code | severity | meaning |", "|---|---|---|"]
    rows += [f"| `{c['code']}` | {c['severity']} | {c['description']} |" for c in api.schema()["codes"]]
    return "\n".join(rows)


def reasons_md() -> str:
    """Every reason a fatal code's message gives: the catalogue's (errors.REASONS), then guard.py's."""
    rows = ["| code | reason | text |", "|---|---|---|"]
    rows += [
        f"| `{code}` | {key} | {text} |" for code, texts in REASONS.items() for key, text in texts.items()
    ]
    rows += [f"| guard | {key} | {text} |" for key, text in GUARD_REASONS.items()]
    return "\n".join(rows).replace("<", "&lt;")


def readme(text: str) -> str:
    text = re.sub(f"{START}.*?{END}", f"{START}\n{codes_md()}\n{END}", text, flags=re.S)
    return re.sub(
        f"{REASONS_START}.*?{REASONS_END}",
        f"{REASONS_START}\n{reasons_md()}\n{REASONS_END}",
        text,
        flags=re.S,
    )


if __name__ == "__main__":
    (ROOT / "docs").mkdir(exist_ok=True)
    (ROOT / "docs" / "fields.md").write_text(fields_md(), encoding="utf-8")
    path = ROOT / "README.md"
    path.write_text(readme(path.read_text(encoding="utf-8")), encoding="utf-8")
    print("docs/fields.md, README.md")
