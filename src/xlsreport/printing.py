"""What the command line prints: findings, reports, collect's table, the schema, the files written. The
declarations of the commands and their options are in cli.py; the wording printed is here."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .console import err, out
from .errors import readable

if TYPE_CHECKING:
    from .collect import Collected
    from .findings import Report


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def notice(code: str, message: str) -> None:
    err.line(("注意", "yellow"), f" [{code}] {message}")


def findings(report: Report, errors_only: bool = False) -> None:
    rows = sorted(
        (f for f in report.findings if not errors_only or f.severity == "error"),
        key=lambda f: f.severity != "error",
    )
    if rows:
        console = err if errors_only else out
        console.table(
            ("级别", "代码", "位置", "说明"),
            [
                (
                    ("错误", "red") if f.severity == "error" else ("警告", "yellow"),
                    f.code,
                    f"{f.sheet}!{f.cell}" if f.cell else f.sheet + (f" 第{f.page}页" if f.page else ""),
                    f.message,
                )
                for f in rows
            ],
        )


def reports(reports: list[Report]) -> None:
    """What `check` prints of its reports (and `demo` of the same call): a line and the findings of each."""
    for r in reports:
        if r.unreadable:
            out.line(("✗ 无法读取", "red"), f" {r.file}")
        else:
            mark = ("✓ 通过", "green") if r.ok else ("✗ 有错误", "red")
            out.line(mark, f" {r.file}：{r.errors}个错误，{r.warnings}个警告")
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
        out.line(f"已生成 {shown(p)}")


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
    from .collect import Status

    if e.status is Status.UNREADABLE and e.report is not None:
        return e.report.findings[0].message
    return e.note or "、".join(e.outputs)


def collected(result: Collected) -> None:
    from .collect import Status

    style = {Status.PASSED: "green", Status.ERRORS: "red", Status.UNREADABLE: "red", Status.MISSING: "red"}
    out.table(
        ("文件", "机关", "状态", "错误", "警告", "说明"),
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
        title=f"{result.year or ''}年度 · {shown(result.in_dir)}",
    )
    counts = "，".join(f"{s}{result.count(s)}个" for s in Status if result.count(s))
    out.line(f"共{len(result.entries)}项：{counts}")
    if result.removed:
        out.line(
            f"已删除上次运行留下、本次不再适用的{len(result.removed)}个文件：{'、'.join(result.removed)}"
        )
    out.line(f"已生成 {shown(result.summary)}、{shown(result.findings)}")


def schema(data: dict) -> None:
    """`xlsreport schema` as two tables: the fields, then the codes."""
    out.table(
        ("字段键", "表", "行", "列", "单元格", "类型"),
        [
            (
                f["key"],
                f["table"],
                " / ".join(f["row"]),
                " / ".join(f["column"]),
                f"{f['sheet']}!{f['cell']}",
                f["type"] + ("（公式）" if f["computed"] else ""),
            )
            for f in data["fields"]
        ],
        title=data["name"],
    )
    out.table(
        ("代码", "级别", "说明"),
        [(c["code"], c["severity"], c["description"]) for c in data["codes"]],
        title="校验规则与代码",
    )
