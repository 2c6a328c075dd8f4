"""What the command line prints: findings, reports, collect's table, the schema, the files written. The
declarations of the commands and their options are in cli.py; the wording printed is in wording.py."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .console import err, out
from .errors import readable
from .wording import (
    CHECKED_COUNTS,
    CHECKED_ERRORS,
    CHECKED_PASSED,
    CHECKED_UNREADABLE,
    CODES_HEADER,
    CODES_TITLE,
    COLLECT_HEADER,
    COLLECT_TITLE,
    ENTRIES,
    FINDINGS_HEADER,
    FORMULA,
    NOTICE,
    PAGE,
    REMOVED,
    SCHEMA_HEADER,
    SEVERITY,
    STATUS_COUNT,
    WRITTEN,
    Status,
)

if TYPE_CHECKING:
    from .collected import Collected
    from .findings import Report


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def notice(code: str, message: str) -> None:
    err.line((NOTICE, "yellow"), f" [{code}] {message}")


def findings(report: Report, errors_only: bool = False) -> None:
    rows = sorted(
        (f for f in report.findings if not errors_only or f.severity == "error"),
        key=lambda f: f.severity != "error",
    )
    if rows:
        console = err if errors_only else out
        console.table(
            FINDINGS_HEADER,
            [
                (
                    (SEVERITY[f.severity], "red" if f.severity == "error" else "yellow"),
                    f.code,
                    f"{f.sheet}!{f.cell}"
                    if f.cell
                    else f.sheet + (" " + PAGE.format(page=f.page) if f.page else ""),
                    f.message,
                )
                for f in rows
            ],
        )


def reports(reports: list[Report]) -> None:
    """What `check` prints of its reports (and `demo` of the same call): a line and the findings of each."""
    for r in reports:
        if r.unreadable:
            out.line((CHECKED_UNREADABLE, "red"), f" {r.file}")
        else:
            mark = (CHECKED_PASSED, "green") if r.ok else (CHECKED_ERRORS, "red")
            out.line(mark, CHECKED_COUNTS.format(file=r.file, errors=r.errors, warnings=r.warnings))
        findings(r)


def exit_code(reports: list[Report]) -> int:
    if any(r.unreadable for r in reports):
        return 2
    return int(any(not r.ok for r in reports))


def shown(path: Path) -> str:
    """A path as printed: a file name in GBK bytes (an archive from Chinese Windows) as the Chinese it was."""
    return readable(str(path))


def written(paths: list[Path], as_json: bool) -> None:
    if as_json:
        print_json([shown(p) for p in paths])
    for p in () if as_json else paths:
        out.line(WRITTEN.format(paths=shown(p)))


def collected_dict(result: Collected) -> dict:
    return {
        "year": result.year,
        "in_dir": shown(result.in_dir),
        "entries": [
            {
                "file": e.file,
                "org": e.org,
                "status": str(e.status),
                "errors": e.errors,
                "warnings": e.warnings,
                "note": _note(e),
                "outputs": e.outputs,
            }
            for e in result.entries
        ],
        "removed": result.removed,
        "summary": str(result.summary),
        "findings": str(result.findings),
    }


def _note(e) -> str:
    if e.status is Status.UNREADABLE and e.report is not None:
        return e.report.findings[0].message
    return e.note or "、".join(e.outputs)


def collected(result: Collected) -> None:
    style = {Status.PASSED: "green", Status.ERRORS: "red", Status.UNREADABLE: "red", Status.MISSING: "red"}
    out.table(
        COLLECT_HEADER,
        [
            (
                e.file,
                e.org,
                (str(e.status), style.get(e.status, "yellow")),
                str(e.errors),
                str(e.warnings),
                _note(e),
            )
            for e in result.entries
        ],
        title=COLLECT_TITLE.format(year=result.year or "", folder=shown(result.in_dir)),
    )
    counts = "，".join(STATUS_COUNT.format(status=s, n=result.count(s)) for s in Status if result.count(s))
    out.line(ENTRIES.format(n=len(result.entries), counts=counts))
    if result.removed:
        out.line(REMOVED.format(n=len(result.removed), files="、".join(result.removed)))
    out.line(WRITTEN.format(paths=f"{shown(result.summary)}、{shown(result.findings)}"))


def schema(data: dict) -> None:
    """`xlsreport schema` as two tables: the fields, then the codes."""
    out.table(
        SCHEMA_HEADER,
        [
            (
                f["key"],
                f["table"],
                " / ".join(f["row"]),
                " / ".join(f["column"]),
                f"{f['sheet']}!{f['cell']}",
                f["type"] + (FORMULA if f["computed"] else ""),
            )
            for f in data["fields"]
        ],
        title=data["name"],
    )
    out.table(
        CODES_HEADER,
        [(c["code"], c["severity"], c["description"]) for c in data["codes"]],
        title=CODES_TITLE,
    )
