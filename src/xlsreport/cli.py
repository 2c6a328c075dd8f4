"""The command line: parse, call one api function, print, exit. No logic of its own."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape as _markup_escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from typer.exceptions import TyperException

from . import api
from .collect import Collected, Status
from .collect import collect as run_collect
from .errors import FATAL, XlsreportError, readable
from .findings import Report
from .stopping import Stopped, stop_on_signals

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="政府信息公开工作年度报告：下发锁定的Excel填报表，校验收回的表，生成Word报告（国办公开办函〔2021〕30号格式）。",
)


def escape(text: str) -> str:
    """Text from files is never markup (a cell may hold “[/x]”); a file name in GBK bytes shows as Chinese."""
    return _markup_escape(readable(text))


out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


@contextmanager
def _stops() -> Iterator[None]:
    """A stopping error becomes one Chinese line with its code, and its exit code; never a traceback."""
    try:
        yield
    except api.BuildRefused as exc:
        _findings(exc.checked.report, errors_only=True)
        err.print(f"[red]未生成[/red] [{exc.code}] {escape(exc.message)}")
        raise typer.Exit(exc.exit_code) from None
    except XlsreportError as exc:
        err.print(f"[red]错误[/red] [{exc.code}] {escape(exc.message)}")
        raise typer.Exit(exc.exit_code) from None


def _json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def _findings(report: Report, errors_only: bool = False) -> None:
    rows = sorted(
        (f for f in report.findings if not errors_only or f.severity == "error"),
        key=lambda f: f.severity != "error",
    )
    if not rows:
        return
    table = Table(show_lines=False)
    table.add_column("级别", no_wrap=True)
    table.add_column("代码", overflow="fold")
    table.add_column("位置", overflow="fold")
    table.add_column("说明", overflow="fold", ratio=1)  # wrapped, never cut: the message is the point
    for f in rows:
        level = "[red]错误[/red]" if f.severity == "error" else "[yellow]警告[/yellow]"
        where = f"{f.sheet}!{f.cell}" if f.cell else f.sheet
        table.add_row(level, f.code, escape(where), escape(f.message))
    err.print(table) if errors_only else out.print(table)


def _summary(report: Report) -> str:
    if any(f.code in FATAL for f in report.findings):
        return f"[red]✗ 无法读取[/red] {escape(report.file)}"
    mark = "[green]✓ 通过[/green]" if report.ok else "[red]✗ 有错误[/red]"
    return f"{mark} {escape(report.file)}：{report.errors}个错误，{report.warnings}个警告"


def _exit_code(reports: list[Report]) -> int:
    if any(f.code in FATAL for r in reports for f in r.findings):
        return 2
    return int(any(not r.ok for r in reports))


@app.command()
def blank(
    year: Annotated[int, typer.Option("--year", help="报告年度，如 2024", min=2000, max=2100)],
    org: Annotated[str | None, typer.Option("--org", help="机关全称，如 宝清县小城子镇人民政府")] = None,
    roster: Annotated[
        Path | None, typer.Option("--roster", help="名单：每行一个机关，或含“机关名称”列的 CSV/XLSX")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="输出文件（--org）或文件夹（--roster）")
    ] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="覆盖已存在的文件")] = False,
    previous: Annotated[
        Path | None,
        typer.Option("--previous", help="上一年度收回的填报表（文件夹或文件）：结转“二、上年结转”并锁定"),
    ] = None,
) -> None:
    """生成下发给乡镇的锁定填报表。"""
    with _stops():
        if (org is None) == (roster is None):
            raise XlsreportError("USAGE", reason="请给出 --org（一个机关）或 --roster（名单）之一")
        if roster is not None:
            paths = api.blank_roster(
                roster,
                year,
                output or Path("."),
                overwrite=overwrite,
                previous=previous,
                on_missing=lambda exc: err.print(f"[yellow]注意[/yellow] [{exc.code}] {exc.message}"),
            )
        else:
            out_path = output or Path(api.blank_name(org, year))
            paths = [api.blank(org, year, out_path, overwrite=overwrite, previous=previous)]
        for p in paths:
            out.print(f"已生成 {escape(str(p))}")


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(help="收回的填报表（.xlsx），可多个")],
    format: Annotated[OutputFormat, typer.Option("--format", help="text 或 json")] = OutputFormat.text,
    previous: Annotated[
        Path | None,
        typer.Option("--previous", help="上一年度收回的填报表（文件夹或文件）：核对上年结转和现行有效件数"),
    ] = None,
    province: Annotated[
        str | None, typer.Option("--province", help="机关所在省份，如 黑龙江省；默认由机关名称推断")
    ] = None,
    roster: Annotated[
        Path | None, typer.Option("--roster", help="本县机关名单：文字中出现名单上其他机关的名称时提示")
    ] = None,
) -> None:
    """校验填报表：退出码 0 无错误，1 有错误，2 无法按填报表读取。"""
    with _stops():
        reports = api.check_files(
            files, previous=previous, province=api.province_option(province), roster=roster
        )
    if format is OutputFormat.json:
        _json(reports[0].to_dict() if len(reports) == 1 else [r.to_dict() for r in reports])
    else:
        for r in reports:
            out.print(_summary(r))
            _findings(r)
    raise typer.Exit(_exit_code(reports))


@app.command()
def build(
    file: Annotated[Path, typer.Argument(help="填报表（.xlsx）")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="输出的 .docx，默认与填报表同名")
    ] = None,
    template: Annotated[Path | None, typer.Option("--template", help="自定义Word模板（.docx）")] = None,
    force: Annotated[
        bool, typer.Option("--force", help="有错误也生成，文档标明“草稿（未通过校验）”")
    ] = False,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="覆盖已存在的文件")] = False,
    auto_summary: Annotated[
        bool,
        typer.Option("--auto-summary", help="按表三生成依申请公开段落和信息处理费说明（标有【系统生成】）"),
    ] = False,
    province: Annotated[
        str | None, typer.Option("--province", help="机关所在省份，如 黑龙江省；默认由机关名称推断")
    ] = None,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="同时用 LibreOffice 生成PDF，与Word文档同名，放在一起")
    ] = False,
) -> None:
    """生成Word年度报告（加 --pdf 同时生成PDF）。"""
    with _stops():
        built = api.build(
            file,
            output,
            template=template,
            force=force,
            overwrite=overwrite,
            auto_summary=auto_summary,
            province=api.province_option(province),
            pdf=pdf,
        )
    if built.draft:
        err.print(f"[yellow]注意[/yellow] 工作簿有{built.checked.report.errors}个错误，已生成草稿")
    for notice in built.notices:
        err.print(f"[yellow]注意[/yellow] [{notice.code}] {escape(notice.message)}")
    for written in (built.document, built.pdf):
        if written is not None:
            out.print(f"已生成 {escape(str(written))}")


@app.command()
def collect(
    in_dir: Annotated[Path, typer.Argument(help="收回填报表所在的文件夹（含子文件夹）")],
    output: Annotated[Path, typer.Option("-o", "--output", help="输出文件夹")],
    year: Annotated[
        int | None, typer.Option("--year", help="收集的年度；默认取多数填报表的年度", min=2000, max=2100)
    ] = None,
    roster: Annotated[
        Path | None, typer.Option("--roster", help="本县机关名单：核对不在名单上的机关，列出尚未报送的机关")
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option("--previous", help="上一年度收回的填报表（文件夹或文件）：跨年度核对，汇总中加同比"),
    ] = None,
    template: Annotated[Path | None, typer.Option("--template", help="自定义Word模板（.docx）")] = None,
    jobs: Annotated[
        int | None, typer.Option("--jobs", help="同时处理的进程数，默认为CPU核数", min=1, max=256)
    ] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="覆盖上次生成的文件")] = False,
) -> None:
    """批量处理收回的填报表：逐个校验，生成Word报告和退回修改的校验意见表，写出汇总.xlsx和findings.json。"""
    with (
        _stops(),
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
        ) as bar,
    ):
        tasks: dict[str, object] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done)

        result = run_collect(
            in_dir,
            output,
            jobs=jobs,
            year=year,
            roster=roster,
            previous=previous,
            template=template,
            overwrite=overwrite,
            progress=progress,
        )
    _collected(result)
    raise typer.Exit(0 if result.ok else 1)


_STATUS_STYLE = {
    Status.PASSED: "green",
    Status.ERRORS: "red",
    Status.UNREADABLE: "red",
    Status.MISSING: "red",
}


def _collected(result: Collected) -> None:
    table = Table(title=f"{result.year or ''}年度 · {escape(str(result.in_dir))}")
    for head in ("文件", "机关", "状态", "错误", "警告", "说明"):
        table.add_column(head, overflow="fold")
    for e in result.entries:
        style = _STATUS_STYLE.get(e.status, "yellow")
        note = e.note or "、".join(e.outputs)
        if e.status is Status.UNREADABLE and e.report is not None:
            note = e.report.findings[0].message
        table.add_row(
            escape(e.file),
            escape(e.org),
            f"[{style}]{e.status}[/{style}]",
            str(e.errors),
            str(e.warnings),
            escape(note),
        )
    out.print(table)
    counts = "，".join(f"{s}{result.count(s)}个" for s in Status if result.count(s))
    out.print(f"共{len(result.entries)}项：{counts}")
    if result.removed:
        out.print(
            f"已删除上次运行留下、本次不再适用的{len(result.removed)}个文件：{escape('、'.join(result.removed))}"
        )
    out.print(f"已生成 {escape(str(result.summary))}、{escape(str(result.findings))}")


@app.command()
def export(
    file: Annotated[Path, typer.Argument(help="填报表（.xlsx）")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="写入 JSON 文件，而不是屏幕")] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="覆盖已存在的文件")] = False,
) -> None:
    """以 JSON 输出填报表的数据（按字段键）。"""
    with _stops():
        data = api.export(file, output, overwrite=overwrite)
    _json(data) if output is None else out.print(f"已生成 {escape(str(output))}")


@app.command()
def fill(
    data: Annotated[Path, typer.Argument(help="export 输出格式的 JSON 数据")],
    output: Annotated[Path, typer.Option("-o", "--output", help="输出的填报表（.xlsx）")],
    overwrite: Annotated[bool, typer.Option("--overwrite", help="覆盖已存在的文件")] = False,
    auto_summary: Annotated[
        bool,
        typer.Option("--auto-summary", help="按表三生成依申请公开段落和信息处理费说明（标有【系统生成】）"),
    ] = False,
) -> None:
    """把 JSON 数据写入一份新的填报表。"""
    with _stops():
        written = api.fill(data, output, overwrite=overwrite, auto_summary=auto_summary)
        out.print(f"已生成 {escape(str(written))}")


@app.command()
def schema(
    format: Annotated[OutputFormat, typer.Option("--format", help="text 或 json")] = OutputFormat.text,
) -> None:
    """列出全部字段、校验规则和代码。"""
    data = api.schema()
    if format is OutputFormat.json:
        _json(data)
        return
    fields = Table("字段键", "表", "行", "列", "单元格", "类型", title=data["name"])
    for f in data["fields"]:
        kind = f["type"] + ("（公式）" if f["computed"] else "")
        fields.add_row(
            f["key"],
            f["table"],
            " / ".join(f["row"]),
            " / ".join(f["column"]),
            f"{f['sheet']}!{f['cell']}",
            kind,
        )
    out.print(fields)
    codes = Table("代码", "级别", "说明", title="校验规则与代码")
    for c in data["codes"]:
        codes.add_row(c["code"], c["severity"], c["description"])
    out.print(codes)


@app.command()
def demo(
    output: Annotated[Path, typer.Option("-o", "--output", help="输出文件夹")] = Path("xlsreport-demo"),
) -> None:
    """在自带样例上走一遍完整流程：空白表、校验每份样例、生成小城子镇的Word报告。"""
    with _stops():
        reports = api.demo(output, progress=lambda what, path: out.print(f"{what}：{escape(str(path))}"))
    for r in reports:
        out.print(_summary(r))
    out.print(f"完成。打开 {escape(str(output))} 查看生成的文件。")


# the parser's errors by class, worded for a clerk; anything else keeps the parser's own words
_USAGE_REASONS = {
    "MissingParameter": "缺少参数 {name}",
    "NoSuchOption": "没有选项 {option}",
    "BadOptionUsage": "选项 {option} 后面缺少值",
    "BadParameter": "参数 {name} 的值不正确：{detail}",
}


def _usage_reason(exc: TyperException) -> str:
    detail = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    param = getattr(exc, "param", None)
    names = "/".join(getattr(param, "opts", None) or ()) or getattr(param, "name", None) or ""
    template = _USAGE_REASONS.get(type(exc).__name__)
    if template is None:
        command = re.match(r"No such command '(.*)'", detail)
        return f"没有命令“{command[1]}”" if command else f"命令用法有误（{detail}）"
    return template.format(name=names, option=getattr(exc, "option_name", ""), detail=exc.message)


def main() -> None:
    """Entry point of the `xlsreport` command and `python -m xlsreport`."""
    if not sys.stdout.isatty():  # piped JSON is UTF-8 whatever the Windows code page
        sys.stdout.reconfigure(encoding="utf-8")
    try:
        with stop_on_signals():
            code = app(standalone_mode=False)
    except Stopped as exc:  # Ctrl-C or SIGTERM: everything started was ended and cleaned up on the way out
        err.print(f"[red]中断[/red] [{exc.code}] {escape(exc.message)}")
        code = exc.exit_code
    except (
        TyperException
    ) as exc:  # the parser words these in English; a clerk gets one Chinese line with the code
        usage = XlsreportError("USAGE", reason=f"{_usage_reason(exc)}，用 xlsreport --help 查看用法")
        err.print(f"[red]错误[/red] [{usage.code}] {escape(usage.message)}")
        code = usage.exit_code
    except typer.Abort:
        err.print("已中断")
        code = 130
    sys.exit(code or 0)
