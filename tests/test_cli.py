"""The command line as a Chinese clerk and a script meet it: Chinese help and errors, whole output off a
terminal, a quick start, and demo printing what check prints."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import make
from xlsreport.cli import app
from xlsreport.wording import CHECKED_COUNTS, CHECKED_ERRORS, FINDINGS_HEADER, SEVERITY

ENV = {
    **os.environ,
    "COLUMNS": "60",
    "PYTHONIOENCODING": "utf-8",
}  # a narrow terminal: nothing may be cut to it
COMMANDS = [*app.registered_commands]
NAMES = [c.name or c.callback.__name__ for c in COMMANDS]
# what may stay in Latin letters: program, command and option names, formats and products
LATIN_OK = {
    "xlsreport", "help", "text", "json", "JSON", "Excel", "Word", "LibreOffice", "PDF", "CSV", "XLSX", "xlsx",
    "docx", "html", "htm", "CPU", "findings", "export", "check", "pdf", "org", "roster", "previous", "province", "format",
    "overwrite", "auto", "summary", "force", "template", "year", "jobs", "output", *NAMES,
}  # fmt: skip
ENGLISH = ("Usage", "Options", "Arguments", "Commands", "Show this message", "[required]", "default:", "<list[",
           "<path>", "<str>", "<int", "Did you mean", "Error", "Try '", "Missing", "Invalid", "No such")  # fmt: skip


XLSREPORT = str(Path(sys.executable).parent / "xlsreport")  # the installed command


def run(*argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The command as a script runs it: stdout and stderr are files, not a terminal."""
    return subprocess.run([XLSREPORT, *argv], capture_output=True, text=True, env=ENV, cwd=cwd, check=False)


def latin_words(text: str) -> set[str]:
    text = re.sub(r"(?<![\w-])--?[a-z][a-z-]*", "", text)  # option names stay as they are
    return {w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in LATIN_OK}


@pytest.mark.parametrize("argv", [(), ("--help",), *((n, "--help") for n in NAMES)])
def test_every_help_page_is_chinese(argv):
    done = run(*argv)
    assert done.returncode == 0 and done.stderr == ""
    page = done.stdout
    assert page.startswith("用法：xlsreport")
    assert not [e for e in ENGLISH if e in page], page
    assert latin_words(page) == set(), page
    assert "显示本帮助并退出" in page
    if argv and argv[0] != "--help":  # a command: every parameter has its description
        assert "选项：" in page


def test_help_shows_values_defaults_and_what_is_required():
    page = run("collect", "--help").stdout
    assert re.search(r"^  文件夹\s+收回填报表所在的文件夹（含子文件夹）（必填）$", page, re.M)
    assert re.search(r"^  -o, --output 文件夹\s+输出文件夹（必填）$", page, re.M)
    assert re.search(r"^  --format text\|json\s+.*（默认：text）$", page, re.M)
    assert re.search(r"^  --overwrite\s+覆盖", page, re.M)  # a flag takes no value


USAGE = {
    ("chek", "a.xlsx"): "没有命令“chek”。是不是要用 check",
    ("nosuch",): "没有命令“nosuch”（可用的命令：blank、check",
    ("check",): "缺少参数 填报表…",
    ("collect", "in"): "缺少选项 -o/--output",
    ("check", "--format", "xml", "x.xlsx"): "选项 --format 的值不正确：应为 text、json 之一，实为“xml”",
    (
        "blank",
        "--year",
        "20x4",
        "--org",
        "某镇",
    ): "选项 --year 的值不正确：应为2000至2100之间的整数，实为“20x4”",
    ("collect", "in", "-o", "out", "--jobs", "0"): "选项 --jobs 的值不正确：应为1至256之间的整数",
    ("check", "--rostr", "a.txt", "x.xlsx"): "没有选项 --rostr。是不是要用 --roster？",
    ("blank", "--org"): "选项 --org 后面缺少值",
    ("fill", "--overwrite=yes", "d.json"): "选项 --overwrite 不带值",
    ("schema", "extra"): "多余的参数：extra",
}


@pytest.mark.parametrize(("argv", "reason"), USAGE.items())
def test_usage_errors_are_one_chinese_line(argv, reason):
    done = run(*argv)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(f"错误 [USAGE] {reason}"), done.stderr
    assert done.stderr.count("\n") == 1 and "--help 查看用法" in done.stderr
    assert latin_words(
        done.stderr.replace("[USAGE]", "").replace("“xml”", "").replace("“chek”", "").replace("“nosuch”", "")
    ) <= {
        "extra",
        "json",
    }


def test_schema_into_a_file_has_every_key_whole(tmp_path):
    """`xlsreport schema > file`: tab-separated lines, nothing cut or wrapped, no escape codes."""
    with (tmp_path / "fields.txt").open("w") as fh:
        subprocess.run([XLSREPORT, "schema"], stdout=fh, env=ENV, check=True)
    text = (tmp_path / "fields.txt").read_text(encoding="utf-8")
    data = json.loads(run("schema", "--format", "json").stdout)
    assert "\x1b" not in text and "…" not in text
    lines = text.splitlines()
    title, head, *rest = lines
    assert title == data["name"] and head.split("\t") == ["字段键", "表", "行", "列", "单元格", "类型"]
    fields = [ln.split("\t") for ln in rest[: len(data["fields"])]]
    assert [f[0] for f in fields] == [f["key"] for f in data["fields"]]
    assert all(len(f) == 6 for f in fields)
    assert [f[4] for f in fields] == [f"{f['sheet']}!{f['cell']}" for f in data["fields"]]
    codes = [ln.split("\t") for ln in rest[len(data["fields"]) + 2 :]]
    assert [(c[0], c[2]) for c in codes] == [(c["code"], c["description"]) for c in data["codes"]]


def test_piped_check_is_the_json_line_by_line(tmp_path):
    book = make(tmp_path, {"t3_new_natural": "3件", "text_overview": "2019年我镇" + "推进政务公开，" * 40})
    text, data = run("check", str(book)), run("check", str(book), "--format", "json")
    assert text.returncode == data.returncode == 1
    report = json.loads(data.stdout)
    first, head, *rows = text.stdout.splitlines()
    counts = CHECKED_COUNTS.format(file=book, errors=report["errors"], warnings=report["warnings"])
    assert first == CHECKED_ERRORS + counts
    assert head == "\t".join(FINDINGS_HEADER) and "\x1b" not in text.stdout
    shown = sorted(tuple(r.split("\t")) for r in rows)
    assert shown == sorted(
        (SEVERITY[f["severity"]], f["code"], f"{f['sheet']}!{f['cell']}", f["message"])
        for f in report["findings"]
    )
    assert any(len(r) > 100 for r in rows)  # a long message stays on its line, whatever COLUMNS says


def test_piped_collect_is_the_json_and_draws_no_progress(tmp_path):
    returned = tmp_path / "returned"
    make(returned, name="a.xlsx")
    make(returned, {"info_org": "宝清县七星泡镇人民政府", "t3_new_natural": "x"}, name="b.xlsx")
    text = run("collect", str(returned), "-o", str(tmp_path / "out"))
    data = run("collect", str(returned), "-o", str(tmp_path / "out2"), "--format", "json")
    assert text.returncode == data.returncode == 1
    assert text.stderr == "" and data.stderr == ""  # no progress bars off a terminal
    result = json.loads(data.stdout)
    lines = text.stdout.splitlines()
    assert lines[1] == "文件\t机关\t状态\t错误\t警告\t说明"
    rows = [ln.split("\t") for ln in lines[2 : 2 + len(result["entries"])]]
    assert [r[:5] for r in rows] == [
        [e["file"], e["org"], e["status"], str(e["errors"]), str(e["warnings"])] for e in result["entries"]
    ]


def test_blank_and_build_list_what_they_wrote_as_json(tmp_path):
    roster = tmp_path / "roster.txt"
    roster.write_text("宝清县小城子镇人民政府\n宝清县七星泡镇人民政府\n", encoding="utf-8")
    done = run(
        "blank", "--year", "2024", "--roster", str(roster), "-o", str(tmp_path / "b"), "--format", "json"
    )
    written = json.loads(done.stdout)
    assert len(written) == 2 and all(Path(p).is_file() for p in written)
    text = run("blank", "--year", "2024", "--roster", str(roster), "-o", str(tmp_path / "c"))
    assert text.stdout.splitlines() == [f"已生成 {p.replace('/b/', '/c/')}" for p in written]


def test_the_command_line_imports_no_heavy_library():
    """`import xlsreport.cli`, and a whole `check` of one workbook, load none of the writers' libraries."""
    heavy = ("openpyxl", "docx", "docxtpl", "xlsxwriter", "pydantic", "rich")
    probe = f"import sys, xlsreport.cli; print([m for m in {heavy!r} if m in sys.modules])"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_check_of_one_workbook_imports_no_heavy_library(tmp_path):
    book = make(tmp_path)
    heavy = ("openpyxl", "docx", "docxtpl", "xlsxwriter", "pydantic", "rich")
    probe = (
        "import sys; from xlsreport.cli import main\n"
        f"try:\n main(['check', {str(book)!r}])\nexcept SystemExit:\n pass\n"
        f"print([m for m in {heavy!r} if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "[]", done.stdout


def test_demo_prints_what_check_prints_and_says_what_it_adds(tmp_path):
    demo = run("demo", "-o", "d", cwd=tmp_path)
    assert demo.returncode == 0, demo.stderr
    call = next(ln for ln in demo.stdout.splitlines() if ln.startswith("校验：xlsreport check "))
    assert "（demo 加了 --previous" in call
    argv = call.removeprefix("校验：xlsreport ").split("（")[0].split()
    assert argv[-2] == "--previous"
    check = run(*argv, cwd=tmp_path)
    assert check.stdout and check.stdout in demo.stdout
    assert demo.stdout.index(call) < demo.stdout.index(check.stdout)
