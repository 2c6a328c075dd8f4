"""Files made on Chinese Windows, through the command line: rosters in Notepad's and Excel's encodings,
names with invisible or look-alike characters, file names in GBK bytes, names too long for a file name."""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from conftest import YEAR, make, sample
from xlsreport import api
from xlsreport.cli import app
from xlsreport.collect import REPORTS_DIR, Status, collect
from xlsreport.places import visible
from xlsreport.wording import SUMMARY_NAME

runner = CliRunner(env={"COLUMNS": "2000"})

XIAO, QIXING = "宝清县小城子镇人民政府", "宝清县七星泡镇人民政府"
RARE = "宝清县𠀾䶮镇人民政府"  # characters GBK lacks and GB18030 has


def invoke(argv: list[object]):
    done = runner.invoke(app, [a if isinstance(a, str) else str(a) for a in argv])
    assert "Traceback" not in done.output, done.output
    assert done.exception is None or isinstance(done.exception, SystemExit), repr(done.exception)
    return done


def _blanks(tmp_path: Path, roster: Path) -> dict[str, str]:
    """blank --roster: each file's name → the body written inside it."""
    out = tmp_path / "下发"
    done = invoke(["blank", "--roster", roster, "--year", YEAR, "-o", out, "--overwrite"])
    assert done.exit_code == 0, done.output
    return {p.name: api.check(p).org for p in out.glob("*.xlsx")}


ENCODED = {
    "utf-16-le-bom": lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"),
    "utf-16-be-bom": lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
    "utf-8-bom": lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    "utf-8": lambda t: t.encode("utf-8"),
    "gbk": lambda t: t.encode("gbk"),
    "gb18030": lambda t: t.encode("gb18030"),
}


@pytest.mark.parametrize("encoding", list(ENCODED))
def test_rosters_in_every_windows_encoding(tmp_path, encoding):
    names = [XIAO, QIXING] + ([RARE] if encoding not in ("gbk",) else [])
    text = "# 宝清县\r\n" + "\r\n".join(names) + "\r\n"
    for suffix, content in (
        (".txt", text),
        (".csv", "序号,机关名称\r\n" + "".join(f"{i},{n}\r\n" for i, n in enumerate(names))),
    ):
        roster = tmp_path / f"名单{suffix}"
        roster.write_bytes(ENCODED[encoding](content))
        made = _blanks(tmp_path, roster)
        assert made == {api.blank_name(n, YEAR): n for n in names}, (encoding, suffix)


def test_excel_unicode_text_roster(tmp_path):
    """Excel's "Unicode 文本 (*.txt)": UTF-16 LE with a BOM, tab separated, with the header row."""
    roster = tmp_path / "名单.txt"
    rows = ["序号\t机关名称\t联系人", f"1\t{XIAO}\t张三", f"2\t{QIXING}\t李四"]
    roster.write_bytes(codecs.BOM_UTF16_LE + "\r\n".join(rows).encode("utf-16-le"))
    assert set(_blanks(tmp_path, roster).values()) == {XIAO, QIXING}


def test_an_undecodable_roster_is_refused_in_chinese(tmp_path):
    roster = tmp_path / "名单.txt"
    roster.write_bytes(b"\x81\x30\xff\xff\xfe")
    done = invoke(["blank", "--roster", roster, "--year", YEAR, "-o", tmp_path / "下发"])
    assert done.exit_code == 2 and "[ROSTER_INVALID]" in done.output and "编码" in done.output


LOOKALIKES = {
    "zero-width space": ("宝清县小城子镇\u200b人民政府", XIAO),
    "NBSP": ("宝清县\u00a0七星泡镇人民政府", QIXING),
    "ideographic space": ("宝清县\u3000双鸭山镇人民政府", "宝清县双鸭山镇人民政府"),
    "full-width letters": ("宝清县ＡＢ镇人民政府", "宝清县AB镇人民政府"),
    "BOM inside": ("\ufeff宝清县青原镇人民政府", "宝清县青原镇人民政府"),
}


def test_lookalike_names_match_the_roster_and_are_reported(tmp_path):
    inbox = tmp_path / "in"
    for i, (written, _) in enumerate(LOOKALIKES.values()):
        make(inbox, {**sample("xiaochengzi-2024.json")["fields"], "info_org": written}, f"{i}.xlsx")
    roster = tmp_path / "名单.txt"
    roster.write_text("\n".join(listed for _, listed in LOOKALIKES.values()), encoding="utf-8")
    done = invoke(["collect", inbox, "-o", tmp_path / "out", "--roster", roster, "--jobs", 1])
    assert "未报送" not in done.output and "COLLECT_NOT_ON_ROSTER" not in done.output
    result = collect(inbox, tmp_path / "out2", roster=roster, jobs=1)
    for entry, (written, listed) in zip(result.entries, LOOKALIKES.values(), strict=True):
        codes = [f.code for f in entry.report.findings]
        assert "COLLECT_NOT_ON_ROSTER" not in codes and entry.status is not Status.MISSING
        [finding] = [f for f in entry.report.findings if f.code == "NAME_LOOKALIKE"]
        assert finding.found == visible(written) and listed in finding.expected
    zwsp = next(e for e in result.entries if e.file == "0.xlsx").report.findings
    assert "⟨U+200B⟩" in next(f.message for f in zwsp if f.code == "NAME_LOOKALIKE")


def test_lookalike_names_in_two_files_are_one_body(tmp_path):
    inbox = tmp_path / "in"
    make(inbox, sample("xiaochengzi-2024.json")["fields"], "a.xlsx")
    make(
        inbox,
        {**sample("xiaochengzi-2024.json")["fields"], "info_org": "宝清县小城子镇\u200b人民政府"},
        "b.xlsx",
    )
    result = collect(inbox, tmp_path / "out", jobs=1)
    assert sorted(e.status for e in result.entries) == sorted([Status.PASSED, Status.DUPLICATE])
    dup = next(e for e in result.entries if e.status is Status.DUPLICATE)
    assert {f.code for f in dup.report.findings} == {"COLLECT_DUPLICATE", "NAME_LOOKALIKE"}


def test_a_roster_naming_one_body_twice_with_invisible_characters(tmp_path):
    roster = tmp_path / "名单.txt"
    roster.write_text(f"{XIAO}\n宝清县小城子镇\u200b人民政府\n\u3000{XIAO}\u00a0\n", encoding="utf-8")
    assert _blanks(tmp_path, roster) == {api.blank_name(XIAO, YEAR): XIAO}


def test_file_names_in_gbk_bytes_are_checked_collected_and_shown(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    book = make(tmp_path, sample("xiaochengzi-2024.json")["fields"])
    raw = os.fsencode(inbox) + b"/" + "小城子镇.xlsx".encode("gbk")
    with open(raw, "wb") as fh:
        fh.write(book.read_bytes())
    (Path(os.fsencode(inbox).decode("utf-8")) / "坏.xlsx").write_bytes(b"x")
    bad = os.fsencode(inbox) + b"/" + "损坏的表.xlsx".encode("gbk")
    with open(bad, "wb") as fh:
        fh.write(b"not a workbook")
    done = invoke(["collect", inbox, "-o", tmp_path / "out", "--jobs", 2])
    assert done.exit_code == 1, done.output
    assert "小城子镇.xlsx" in done.output and "损坏的表.xlsx" in done.output
    findings = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    assert {Path(f["file"]).name for f in findings} == {"小城子镇.xlsx", "损坏的表.xlsx", "坏.xlsx"}
    status = openpyxl.load_workbook(tmp_path / "out" / SUMMARY_NAME)["状态"]
    assert "小城子镇.xlsx" in [r[0] for r in status.iter_rows(values_only=True)]
    done = invoke(["check", os.fsdecode(bad)])
    assert done.exit_code == 2 and "损坏的表.xlsx" in done.output and "[FILE_NOT_WORKBOOK]" not in done.output
    done = invoke(["check", "--format", "json", os.fsdecode(raw)])
    assert done.exit_code == 0 and json.loads(done.stdout)["file"].endswith("小城子镇.xlsx")


LONG = "黑龙江省双鸭山市宝清县" + "某某" * 60 + "镇人民政府"  # 145 characters, 435 bytes


def test_names_too_long_for_a_file_name(tmp_path):
    twins = [LONG, LONG[:-5] + "乡人民政府"]  # the same first 140 characters
    roster = tmp_path / "名单.txt"
    roster.write_text("\n".join(twins), encoding="utf-8")
    made = _blanks(tmp_path, roster)
    assert sorted(made.values()) == sorted(twins) and len(made) == 2
    assert all(len(name.encode()) <= 255 for name in made)
    assert made == _blanks(tmp_path, roster)  # the same names again: deterministic
    inbox = tmp_path / "in"
    for i, org in enumerate(twins):
        make(inbox, {**sample("xiaochengzi-2024.json")["fields"], "info_org": org}, f"{i}.xlsx")
    done = invoke(["collect", inbox, "-o", tmp_path / "out", "--jobs", 2])
    assert done.exit_code == 0, done.output
    reports = sorted(p.name for p in (tmp_path / "out" / REPORTS_DIR).iterdir())
    assert len(reports) == 2 and all(len(n.encode()) <= 255 for n in reports)
    done = invoke(["collect", inbox, "-o", tmp_path / "out", "--jobs", 1, "--overwrite"])
    assert sorted(p.name for p in (tmp_path / "out" / REPORTS_DIR).iterdir()) == reports
    org_out = invoke(
        ["blank", "--org", LONG, "--year", YEAR, "-o", tmp_path / "one" / api.blank_name(LONG, YEAR)]
    )
    assert org_out.exit_code == 0, org_out.output


def test_paths_in_gbk_bytes_given_on_the_command_line_are_printed_readably(tmp_path):
    """The real console (not the test runner's): a path that is not UTF-8 is printed as Chinese."""
    book = make(tmp_path, sample("xiaochengzi-2024.json")["fields"])
    folder = os.fsencode(tmp_path) + b"/" + "收回".encode("gbk")
    os.mkdir(folder)
    os.link(book, folder + b"/" + "表.xlsx".encode("gbk"))
    out = os.fsencode(tmp_path) + b"/" + "报告".encode("gbk") + b".docx"
    env = {**os.environ, "COLUMNS": "2000"}
    for argv, shown in (
        ([b"build", os.fsencode(book), b"-o", out], f"已生成 {tmp_path}/报告.docx"),
        ([b"collect", folder, b"-o", os.fsencode(tmp_path / "输出"), b"--jobs", b"1"], "收回"),
        ([b"check", folder + b"/" + "表.xlsx".encode("gbk")], f"{tmp_path}/收回/表.xlsx"),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "xlsreport", *argv], capture_output=True, env=env, timeout=120
        )
        text = done.stdout.decode("utf-8") + done.stderr.decode("utf-8")
        assert done.returncode == 0, text
        assert shown in text and "Traceback" not in text
