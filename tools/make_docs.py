"""Regenerate the parts of the docs that are derived from the spec and the catalogue: docs/fields.md, and
README's tables of codes, of the reasons their messages give, and of collect's statuses and notes.

    python tools/make_docs.py

tests/test_docs.py fails when they are out of date.
"""

from __future__ import annotations

from pathlib import Path

from xlsreport import api
from xlsreport.guard import REASONS as GUARD_REASONS
from xlsreport.reasons import (
    DAMAGE_OTHER,
    DAMAGE_REASONS,
    JSON_ERRORS,
    JSON_OTHER,
    OS_OTHER,
    OS_REASONS,
    REASONS,
    SIGNAL_NAMES,
    SIGNAL_OTHER,
    VERSION_ADVICE,
)
from xlsreport.wording import NOTES, Status

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- codes:start -->", "<!-- codes:end -->"
REASONS_START, REASONS_END = "<!-- reasons:start -->", "<!-- reasons:end -->"
COLLECT_START, COLLECT_END = "<!-- collect:start -->", "<!-- collect:end -->"


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
    """Every reason a fatal code's message gives: by code (reasons.py), then the tables a message takes its
    reason from whatever its code, then guard.py's."""
    tables = [(f"`{code}`", texts) for code, texts in REASONS.items()] + [
        (
            "`DATA_INVALID`",
            {f"not_json: {en}": zh for en, zh in {**JSON_ERRORS, "other": JSON_OTHER}.items()},
        ),
        ("`TEMPLATE_VERSION`", VERSION_ADVICE),
        ("`INTERRUPTED`", {**SIGNAL_NAMES, "other": SIGNAL_OTHER}),
        ("os", {**OS_REASONS, "other": OS_OTHER}),
        ("damage", {**DAMAGE_REASONS, "other": DAMAGE_OTHER}),
        ("guard", GUARD_REASONS),
    ]
    rows = ["| code | reason | text |", "|---|---|---|"]
    rows += [f"| {code} | {key} | {text} |" for code, texts in tables for key, text in texts.items()]
    return "\n".join(rows).replace("<", "&lt;")


def collect_md() -> str:
    """Every status a collect row can have, each with the notes said without a code (wording.py)."""
    rows = ["| status | note |", "|---|---|"]
    for status in Status:
        notes = [note for s, note in NOTES if s is status] or [""]
        rows += [f"| {status} | {note} |" for note in notes]
    return "\n".join(rows)


def readme(text: str) -> str:
    for start, end, table in (
        (START, END, codes_md),
        (REASONS_START, REASONS_END, reasons_md),
        (COLLECT_START, COLLECT_END, collect_md),
    ):
        before, after = text.index(start), text.index(end) + len(end)
        text = f"{text[:before]}{start}\n{table()}\n{end}{text[after:]}"
    return text


if __name__ == "__main__":
    (ROOT / "docs").mkdir(exist_ok=True)
    (ROOT / "docs" / "fields.md").write_text(fields_md(), encoding="utf-8")
    path = ROOT / "README.md"
    path.write_text(readme(path.read_text(encoding="utf-8")), encoding="utf-8")
    print("docs/fields.md, README.md")
