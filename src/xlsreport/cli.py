"""The command line: parse, call one api function, print, exit. No logic of its own.

What was typed is read, and help pages and usage errors are written in Chinese, by clihelp.py; what is
printed is whole off a terminal and drawn on one (console.py). The library is imported inside each command,
so `xlsreport --help` and a `check` load only what they use. A new command is one more `@app.command()`
function: it gets the Chinese help and usage errors (a parameter of a type other than Path, str or bool
needs a `parser=`, as `--year` has). (Most of this module's length is the declaration of the nine commands'
parameters.)
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from . import printing, wording
from .clihelp import Command, Group, between, one_of
from .console import err, out
from .errors import XlsreportError
from .reasons import reason
from .stopping import Stopped, stop_on_signals


class _App(typer.Typer):
    def command(self, *args, cls=Command, **kwargs):  # every command gets the Chinese help and errors
        return super().command(*args, cls=cls, **kwargs)


app = _App(
    cls=Group,
    context_settings={"help_option_names": ["-h", "--help"]},
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help="政府信息公开工作年度报告：下发锁定的Excel填报表，校验收回的表，生成Word报告（国办公开办函〔2021〕30号格式）。",
)


@app.callback()
def options(
    version: Annotated[bool, typer.Option("--version", help="显示 xlsreport 的版本并退出")] = False,
) -> None:
    """The group's own options, given before a command (or alone)."""
    if version:
        from . import __version__

        out.line(wording.VERSION_SHOWN.format(version=__version__))
        raise typer.Exit(0)


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


# the options several commands share, declared once
Format = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        help="输出格式：text 给人看，json 给脚本用",
        metavar="text|json",
        parser=one_of(OutputFormat),
    ),
]
Overwrite = Annotated[bool, typer.Option("--overwrite", help="覆盖已存在的文件")]
Province = Annotated[
    str | None,
    typer.Option("--province", help="机关所在省份，如 黑龙江省；默认由机关名称推断", metavar="省份"),
]
AutoSummary = Annotated[
    bool,
    typer.Option("--auto-summary", help="按表三生成依申请公开段落和信息处理费说明（标有【系统生成】）"),
]
Template = Annotated[
    Path | None, typer.Option("--template", help="自定义Word模板（.docx）", metavar="模板.docx")
]
YEARS = between(2000, 2100)


@contextmanager
def _stops() -> Iterator[None]:
    """A stopping error becomes one Chinese line with its code, and its exit code; never a traceback."""
    from . import api

    try:
        yield
    except api.BuildRefused as exc:
        printing.findings(exc.checked.report, errors_only=True)
        err.line((wording.NOT_WRITTEN, "red"), f" [{exc.code}] {exc.message}")
        raise typer.Exit(exc.exit_code) from None
    except XlsreportError as exc:
        err.line((wording.FAILED, "red"), f" [{exc.code}] {exc.message}")
        raise typer.Exit(exc.exit_code) from None


@app.command()
def blank(
    year: Annotated[int, typer.Option("--year", help="报告年度，如 2024", metavar="年份", parser=YEARS)],
    org: Annotated[
        str | None, typer.Option("--org", help="机关全称，如 宝清县小城子镇人民政府", metavar="名称")
    ] = None,
    roster: Annotated[
        Path | None,
        typer.Option("--roster", help="名单：每行一个机关，或含“机关名称”列的 CSV/XLSX", metavar="名单"),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="输出文件（--org）或文件夹（--roster）", metavar="文件或文件夹"),
    ] = None,
    overwrite: Overwrite = False,
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous",
            help="上一年度收回的填报表或已公开的年度报告：结转“二、上年结转”并锁定",
            metavar="文件夹或文件",
        ),
    ] = None,
    format: Format = OutputFormat.text,
) -> None:
    """生成下发给乡镇的锁定填报表。"""
    from . import api

    with _stops():
        if (org is None) == (roster is None):
            raise XlsreportError("USAGE", reason=reason("USAGE", "org_or_roster"))
        if roster is not None:
            paths = api.blank_roster(
                roster,
                year,
                output or Path("."),
                overwrite=overwrite,
                previous=previous,
                on_missing=lambda exc: printing.notice(exc.code, exc.message),
            )
        else:
            out_path = output or Path(api.blank_name(org, year))
            paths = [api.blank(org, year, out_path, overwrite=overwrite, previous=previous)]
    printing.written(paths, format is OutputFormat.json)


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(help="收回的填报表（.xlsx），可多个", metavar="填报表")],
    format: Format = OutputFormat.text,
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous",
            help="上一年度收回的填报表或已公开的年度报告：核对上年结转和现行有效件数",
            metavar="文件夹或文件",
        ),
    ] = None,
    province: Province = None,
    roster: Annotated[
        Path | None,
        typer.Option("--roster", help="本县机关名单：文字中出现名单上其他机关的名称时提示", metavar="名单"),
    ] = None,
) -> None:
    """校验填报表：退出码 0 无错误，1 有错误，2 无法按填报表读取。"""
    from . import api

    with _stops():
        reports = api.check_files(
            files, previous=previous, province=api.province_option(province), roster=roster
        )
    if format is OutputFormat.json:
        printing.print_json(reports[0].to_dict() if len(reports) == 1 else [r.to_dict() for r in reports])
    else:
        printing.reports(reports)
    raise typer.Exit(printing.exit_code(reports))


@app.command()
def build(
    file: Annotated[Path, typer.Argument(help="填报表（.xlsx）", metavar="填报表")],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="输出的 .docx，默认与填报表同名，放在一起", metavar="报告.docx"),
    ] = None,
    template: Template = None,
    force: Annotated[
        bool, typer.Option("--force", help="有错误也生成，文档标明“草稿（未通过校验）”")
    ] = False,
    overwrite: Overwrite = False,
    auto_summary: AutoSummary = False,
    province: Province = None,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="同时用 LibreOffice 生成PDF，与Word文档同名，放在一起")
    ] = False,
    html: Annotated[
        bool, typer.Option("--html", help="同时生成在政府网站发布用的网页（.html），与Word文档同名，放在一起")
    ] = False,
    format: Format = OutputFormat.text,
) -> None:
    """生成Word年度报告（加 --pdf 同时生成PDF，加 --html 同时生成网页）。"""
    from . import api

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
            html=html,
        )
    if built.draft:
        printing.notice("BUILD_HAS_ERRORS", wording.DRAFT_WRITTEN.format(n=built.checked.report.errors))
    for notice in built.notices:
        printing.notice(notice.code, notice.message)
    printing.written(
        [p for p in (built.document, built.pdf, built.page) if p is not None], format is OutputFormat.json
    )


@app.command()
def collect(
    in_dir: Annotated[Path, typer.Argument(help="收回填报表所在的文件夹（含子文件夹）", metavar="文件夹")],
    output: Annotated[Path, typer.Option("-o", "--output", help="输出文件夹", metavar="文件夹")],
    year: Annotated[
        int | None,
        typer.Option("--year", help="收集的年度；默认取多数填报表的年度", metavar="年份", parser=YEARS),
    ] = None,
    roster: Annotated[
        Path | None,
        typer.Option(
            "--roster", help="本县机关名单：核对不在名单上的机关，列出尚未报送的机关", metavar="名单"
        ),
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous",
            help="上一年度收回的填报表或已公开的年度报告：跨年度核对，汇总中加同比",
            metavar="文件夹或文件",
        ),
    ] = None,
    template: Template = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", help="同时处理的进程数，默认为CPU核数", metavar="进程数", parser=between(1, 256)
        ),
    ] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="覆盖上次生成的文件")] = False,
    html: Annotated[
        bool, typer.Option("--html", help="在每份Word报告旁边同时生成在政府网站发布用的网页（.html）")
    ] = False,
    format: Format = OutputFormat.text,
) -> None:
    """批量处理收回的填报表：逐个校验，生成Word报告和退回修改的校验意见表，写出汇总.xlsx和findings.json。"""
    from .collect import collect as run_collect

    with _stops(), err.progress() as progress:
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
            html=html,
        )
    if format is OutputFormat.json:
        printing.print_json(printing.collected_dict(result))
    else:
        printing.collected(result)
    raise typer.Exit(0 if result.ok else 1)


@app.command()
def export(
    file: Annotated[Path, typer.Argument(help="填报表（.xlsx）", metavar="填报表")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="写入 JSON 文件，而不是屏幕", metavar="数据.json")
    ] = None,
    overwrite: Overwrite = False,
) -> None:
    """以 JSON 输出填报表的数据（按字段键）。"""
    from . import api

    with _stops():
        data = api.export(file, output, overwrite=overwrite)
    printing.print_json(data) if output is None else printing.written([output], as_json=False)


@app.command("import")
def import_(
    file: Annotated[
        Path, typer.Argument(help="已公开的年度报告（.pdf、.docx、.html/.htm）", metavar="报告文件")
    ],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="输出的 JSON 文件；不给则输出到屏幕", metavar="数据.json"),
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option("--previous", help="上年的填报表或已公开报告（跨年度核对）", metavar="文件夹或文件"),
    ] = None,
    overwrite: Overwrite = False,
) -> None:
    """读取已公开的年度报告（PDF、Word、网页），以 export 的 JSON 格式输出（合计按报告所印）。"""
    from . import api

    with _stops():
        data = api.import_report(file, out=output, overwrite=overwrite, previous=previous)
    if output is None:
        printing.print_json(data)
        return
    check = data["check"]
    out.line(
        wording.IMPORTED.format(
            org=data["org"],
            year=data["year"],
            path=printing.shown(output),
            errors=check["errors"],
            warnings=check["warnings"],
        )
    )


@app.command()
def fill(
    data: Annotated[Path, typer.Argument(help="export 输出格式的 JSON 数据", metavar="数据.json")],
    output: Annotated[Path, typer.Option("-o", "--output", help="输出的填报表（.xlsx）", metavar="填报表")],
    overwrite: Overwrite = False,
    auto_summary: AutoSummary = False,
) -> None:
    """把 JSON 数据写入一份新的填报表。"""
    from . import api

    with _stops():
        written = api.fill(data, output, overwrite=overwrite, auto_summary=auto_summary)
    printing.written([written], as_json=False)


@app.command()
def schema(format: Format = OutputFormat.text) -> None:
    """列出全部字段、校验规则和代码。"""
    from . import api

    data = api.schema()
    if format is OutputFormat.json:
        printing.print_json(data)
        return
    printing.schema(data)


@app.command()
def demo(
    output: Annotated[Path, typer.Option("-o", "--output", help="输出文件夹", metavar="文件夹")] = Path(
        "xlsreport-demo"
    ),
) -> None:
    """在自带样例上走一遍完整流程：空白表、校验每份样例（与 check 的输出相同）、生成小城子镇的Word报告。"""
    from . import api

    with _stops():
        run = api.demo(
            output,
            progress=lambda what, path: out.line(
                wording.DEMO_WROTE.format(what=what, path=printing.shown(path))
            ),
        )
    call = " ".join(["xlsreport check", *map(str, run.checked), "--previous", str(run.previous)])
    out.line(wording.DEMO_CHECKED.format(call=call))
    printing.reports(run.reports)
    out.line(wording.DEMO_DONE.format(path=printing.shown(output)))


def main(args: list[str] | None = None) -> None:
    """Entry point of the `xlsreport` command and `python -m xlsreport`."""
    for stream in (sys.stdout, sys.stderr):
        if not stream.isatty():  # piped output is UTF-8 whatever the Windows code page
            stream.reconfigure(encoding="utf-8")
    try:
        with stop_on_signals():
            code = app(args, prog_name="xlsreport", standalone_mode=False)
    except Stopped as exc:  # Ctrl-C or SIGTERM: everything started was ended and cleaned up on the way out
        err.line((wording.STOPPED, "red"), f" [{exc.code}] {exc.message}")
        code = exc.exit_code
    except XlsreportError as exc:  # a usage error, worded by clihelp
        err.line((wording.FAILED, "red"), f" [{exc.code}] {exc.message}")
        code = exc.exit_code
    except typer.Abort:
        err.line(wording.ABORTED)
        code = 130
    sys.exit(code or 0)
