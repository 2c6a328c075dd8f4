"""No surprises: collect passes over what xlsreport wrote itself; TEXT_OTHER_BODY says whose name it
found and where that name came from. (demo against check: tests/test_cli.py.)"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from conftest import make
from xlsreport.wording import FROM_BATCH, FROM_ROSTER

XLSREPORT = str(Path(sys.executable).parent / "xlsreport")
FEE = {"text_other": "本年度未收取信息处理费。"}


def run(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([XLSREPORT, *argv], capture_output=True, text=True, check=False)


def collected(returned: Path, out: Path) -> dict[str, str]:
    done = run("collect", str(returned), "-o", str(out), "--format", "json")
    return {e["file"]: e["status"] for e in json.loads(done.stdout)["entries"]}


def test_a_report_build_left_beside_the_workbooks_is_not_listed(tmp_path):
    returned = tmp_path / "收回"
    book = make(returned, name="小城子镇.xlsx")
    assert run("build", str(book), "--html").returncode == 0  # without -o: beside the workbook
    assert (returned / "小城子镇.docx").is_file()
    assert (returned / "小城子镇.html").is_file()
    theirs = docx.Document()  # a body's own Word document, sent by mistake: still listed
    theirs.add_paragraph("我镇年报")
    theirs.save(returned / "年报草稿.docx")
    (returned / "说明.pdf").write_bytes(b"%PDF-1.4\n1 0 obj<</Author(somebody)>>endobj\n%%EOF\n")
    assert collected(returned, tmp_path / "out") == {
        "小城子镇.xlsx": "通过",
        "年报草稿.docx": "已跳过",
        "说明.pdf": "已跳过",
    }


@pytest.mark.libreoffice
def test_the_pdf_of_a_report_is_not_listed(tmp_path):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    returned = tmp_path / "收回"
    book = make(returned, name="小城子镇.xlsx")
    assert run("build", str(book), "--pdf").returncode == 0
    assert (returned / "小城子镇.pdf").is_file()
    assert collected(returned, tmp_path / "out") == {"小城子镇.xlsx": "通过"}


def other_bodies(done: subprocess.CompletedProcess) -> list[str]:
    report = json.loads(done.stdout)
    report = report[0] if isinstance(report, list) else report
    return [f["message"] for f in report["findings"] if f["code"] == "TEXT_OTHER_BODY"]


def test_other_body_says_whose_name_and_from_where(tmp_path):
    copied = make(tmp_path, {"text_platform": "依托七星泡镇信息公开专栏发布信息。", **FEE}, "a.xlsx")
    other = make(tmp_path, {"info_org": "宝清县七星泡镇人民政府", **FEE}, "b.xlsx")
    (message,) = other_bodies(run("check", str(copied), str(other), "--format", "json"))
    assert f"“七星泡镇”（宝清县七星泡镇人民政府，{FROM_BATCH}）" in message
    roster = tmp_path / "roster.txt"
    roster.write_text("宝清县七星泡镇人民政府\n", encoding="utf-8")
    (message,) = other_bodies(run("check", str(copied), "--roster", str(roster), "--format", "json"))
    assert f"“七星泡镇”（宝清县七星泡镇人民政府，{FROM_ROSTER}）" in message
    # both: the roster is named, whichever files are checked with it
    (message,) = other_bodies(
        run("check", str(copied), str(other), "--roster", str(roster), "--format", "json")
    )
    assert FROM_ROSTER in message
    assert other_bodies(run("check", str(copied), "--format", "json")) == []
