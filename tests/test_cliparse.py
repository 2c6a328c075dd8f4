"""How the command line reads what it is given (clihelp's own parser): the forms a script or a clerk writes,
each with the result or the Chinese usage error, and a new command's parameters as typer declares them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import pytest
import typer
from typer.testing import CliRunner

from conftest import ORG, make
from test_cli import ENV, run
from xlsreport.clihelp import Command, Group, between

runner = CliRunner()


def usage(done: subprocess.CompletedProcess) -> str:
    """The reason of a usage error, asserting that it is one: exit 2, one line on stderr, nothing on stdout."""
    assert done.returncode == 2 and done.stdout == "", done.stdout + done.stderr
    assert done.stderr.startswith("错误 [USAGE] ") and done.stderr.count("\n") == 1, done.stderr
    return done.stderr.removeprefix("错误 [USAGE] ")


def test_an_option_and_its_value_in_one_word(tmp_path):
    book = make(tmp_path)
    assert json.loads(run("schema", "--format=json").stdout)["name"]
    written = tmp_path / "data.json"
    assert run("export", str(book), f"-o{written}").returncode == 0  # -oVALUE, as click reads it
    assert json.loads(written.read_text(encoding="utf-8"))["fields"]["info_org"] == ORG
    assert usage(run("check", str(book), "--format=xml")).startswith(
        "选项 --format 的值不正确：应为 text、json"
    )


def test_an_option_given_twice_takes_the_last_value():
    assert run("schema", "--format", "json", "--format", "text").stdout.startswith("政府信息公开")
    assert json.loads(run("schema", "--format", "text", "--format=json").stdout)["name"]


def test_after_a_double_dash_every_word_is_an_argument(tmp_path):
    (tmp_path / "--format").write_bytes(make(tmp_path).read_bytes())
    done = run("check", "--", "--format", cwd=tmp_path)  # a workbook named like an option
    assert done.returncode == 0 and "--format" in done.stdout, done.stderr
    assert done.stdout.startswith("✓")


def test_options_may_come_between_the_arguments(tmp_path):
    one, two = make(tmp_path, name="a.xlsx"), make(tmp_path, name="b.xlsx")
    done = run("check", str(one), "--format", "json", str(two))
    assert [r["file"] for r in json.loads(done.stdout)] == [str(one), str(two)]


@pytest.mark.parametrize(
    ("argv", "reason"),
    [
        (("blank", "--year", "2024", "--org=某镇", "-o"), "选项 -o 后面缺少值"),
        (("build", "x.xlsx", "--pdf=no"), "选项 --pdf 不带值"),
        (("build", "x.xlsx", "--hmtl"), "没有选项 --hmtl。是不是要用 --help、--html？"),
        (("collect", "a", "b", "-o", "c"), "多余的参数：b"),
        (
            ("collect", "in", "-o", "out", "--jobs", "many"),
            "选项 --jobs 的值不正确：应为1至256之间的整数，实为“many”",
        ),
        (
            ("collect", "in", "--jobs", "0"),
            "选项 --jobs 的值不正确",
        ),  # a wrong value is said before a missing one
        (("export", "-x"), "没有选项 -x"),
        (("--hepl",), "没有选项 --hepl。是不是要用 --help？"),
        (("--year", "2024", "blank"), "没有选项 --year"),  # an option before the command
        (("--", "check"), "缺少参数 填报表…"),
        (("--", "chek"), "没有命令“chek”。是不是要用 check"),
        (("check", ""), "参数 填报表… 的值不正确：路径不能为空"),  # not the current folder
        (("build", "x.xlsx", "-o", ""), "选项 -o/--output 的值不正确：路径不能为空"),
    ],
)
def test_what_is_wrong_is_said_in_chinese(argv, reason):
    assert usage(run(*argv)).startswith(reason)


@pytest.mark.parametrize("argv", [("check", "a.xlsx", "--help"), ("check", "--format", "json", "--help")])
def test_help_anywhere_among_a_commands_options(argv):
    done = run(*argv)
    assert done.returncode == 0 and done.stdout.startswith("用法：xlsreport check [选项] 填报表…"), (
        done.stderr
    )


@pytest.mark.parametrize("argv", [("-h",), ("check", "-h"), ("collect", "in", "-h")])
def test_h_is_help_as_well(argv):
    done = run(*argv)
    assert done.returncode == 0 and done.stdout == run(*argv[:-1], "--help").stdout, done.stderr


@pytest.mark.parametrize("argv", [("--version",), ("--version", "check", "a.xlsx")])
def test_version_is_told_and_nothing_else_done(argv):
    """What TEMPLATE_VERSION's advice to upgrade needs a clerk to find out first."""
    from xlsreport import __version__

    done = run(*argv)
    assert (done.returncode, done.stdout, done.stderr) == (0, f"xlsreport {__version__}\n", "")
    assert usage(run("check", "--version")).startswith("没有选项 --version")


def test_python_m_xlsreport_alone_shows_the_help():
    done = subprocess.run(
        [sys.executable, "-m", "xlsreport"], capture_output=True, text=True, env=ENV, check=False
    )
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout == run("--help").stdout and done.stdout.startswith("用法：xlsreport [选项] 命令")


# ---------------------------------------------------------------- a new command, as typer declares it
def _app(seen: dict) -> typer.Typer:
    app = typer.Typer(cls=Group, add_completion=False, rich_markup_mode=None)

    @app.callback()
    def top(loud: Annotated[bool, typer.Option("--loud/--quiet")] = False) -> None:
        seen["loud"] = loud

    @app.command(cls=Command)
    def go(
        first: Annotated[str, typer.Argument()],
        middle: Annotated[list[Path] | None, typer.Argument()] = None,
        last: Annotated[Path, typer.Argument()] = Path("-"),
        count: Annotated[int, typer.Option("-n", "--count", parser=between(1, 9))] = 1,
        color: Annotated[bool, typer.Option("--color/--no-color")] = True,
    ) -> None:
        seen.update(first=first, middle=middle, last=last, count=count, color=color)

    @app.command(cls=Command)
    def plain(count: int = 1) -> None:
        """An int without a parser: clihelp does not guess how to read it."""

    @app.command(cls=Command)
    def checked(folder: Annotated[Path, typer.Argument(exists=True)]) -> None:
        """A setting the parser would ignore."""

    return app


def test_a_new_command_gets_its_values_typed_in_order():
    seen: dict = {}
    done = runner.invoke(_app(seen), ["--quiet", "go", "a", "b", "-n3", "c", "d", "--no-color"])
    assert done.exit_code == 0, done.output
    assert seen == {
        "loud": False,
        "first": "a",
        "middle": [Path("b"), Path("c")],
        "last": Path("d"),
        "count": 3,
        "color": False,
    }
    assert runner.invoke(_app(seen), ["--loud", "go", "a", "d"]).exit_code == 0
    assert seen == {"loud": True, "first": "a", "middle": None, "last": Path("d"), "count": 1, "color": True}


@pytest.mark.parametrize(
    ("argv", "named"), [(["plain"], "plain count"), (["checked", "--help"], "['exists']")]
)
def test_a_new_command_says_what_the_parser_cannot_take(argv, named):
    done = runner.invoke(_app({}), argv)
    assert isinstance(done.exception, TypeError) and named in str(done.exception)
