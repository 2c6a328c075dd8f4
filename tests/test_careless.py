"""Careless use, through the command line: outputs never land on inputs, --overwrite replaces only what
xlsreport wrote, one run per output folder, resource failures worded in Chinese with nothing left behind."""

from __future__ import annotations

import hashlib
import io
import json
import os
import resource
import struct
import subprocess
import sys
import zipfile
import zlib
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ORG, YEAR, make, sample
from xlsreport import outputs
from xlsreport.cli import app
from xlsreport.collect import REPORTS_DIR, Status
from xlsreport.errors import FATAL
from xlsreport.outputs import LOCK, MANIFEST, TEMP_PREFIX
from xlsreport.reasons import OS_REASONS
from xlsreport.wording import FEEDBACK_DIR, FEEDBACK_SUFFIX, FINDINGS_NAME, SUMMARY_NAME

runner = CliRunner(env={"COLUMNS": "2000"})


def message(code: str, **fields: object) -> str:
    """`[CODE] message` as the CLI prints it, rendered from the catalogue."""
    return f"[{code}] {FATAL[code].template.format(**{k: str(v) for k, v in fields.items()})}"


def digest(folder: Path) -> dict[str, str]:
    """Every file below `folder` (or the file itself) by path, with its content's hash."""
    files = [folder] if folder.is_file() else sorted(p for p in folder.rglob("*") if p.is_file())
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def stray(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.startswith(TEMP_PREFIX) or p.name == LOCK]


def invoke(argv: list[object]):
    done = runner.invoke(app, [str(a) for a in argv])
    assert "Traceback" not in done.output, done.output
    assert done.exception is None or isinstance(done.exception, SystemExit), repr(done.exception)
    return done


def _county(folder: Path) -> Path:
    """A returned workbook that passes and one with an error, below `folder`."""
    make(folder, sample("xiaochengzi-2024.json")["fields"], "小城子镇.xlsx")
    make(folder, {**sample("qixingpao-2024.json")["fields"], "t3_new_natural": "3件"}, "七星泡镇.xlsx")
    return folder


def _data(tmp_path: Path) -> Path:
    p = tmp_path / "data.json"
    p.write_text(json.dumps({"fields": {"info_org": ORG, "info_year": YEAR}}), encoding="utf-8")
    return p


# ---------------------------------------------------------------- 1. outputs never land on inputs
def _same_file_cases(tmp_path: Path):
    """(argv, the input, the output as given) for every command writing a file, the output reaching the
    input by its own name, through a symlink, through `..`, and through a hard link."""
    book = make(tmp_path / "in", name="表.xlsx")
    data = _data(tmp_path)
    link = tmp_path / "link.xlsx"
    link.symlink_to(book)
    hard = tmp_path / "hard.xlsx"
    os.link(book, hard)
    dotted = tmp_path / "in" / ".." / "in" / "表.xlsx"
    for target in (book, link, dotted, hard):
        yield ["build", book, "-o", target], book, target
        yield ["export", book, "-o", target], book, target
    yield ["fill", data, "-o", data], data, data
    previous = tmp_path / "in"
    yield ["blank", "--org", ORG, "--year", YEAR + 1, "--previous", previous, "-o", book], previous, book


def test_an_output_on_an_input_is_refused_with_or_without_overwrite(tmp_path):
    for argv, source, target in _same_file_cases(tmp_path):
        before = digest(tmp_path)
        for extra in ([], ["--overwrite"]):
            done = invoke([*argv, *extra])
            assert done.exit_code == 2, (argv, done.output)
            assert f"[OUTPUT_IS_INPUT] 输出 {target} " in done.output and f"（{source}）" in done.output
            assert digest(tmp_path) == before, argv  # nothing written, nothing changed
    # the message in full, for one of them
    book = tmp_path / "in" / "表.xlsx"
    done = invoke(["build", book, "-o", book, "--overwrite"])
    expected = message("OUTPUT_IS_INPUT", path=book, input=book, reason=outputs.SAME_FILE)
    assert expected in done.output


def test_output_inside_an_input_folder_or_holding_one_is_refused(tmp_path):
    inbox = _county(tmp_path / "收回")
    (tmp_path / "下发").mkdir()
    roster = tmp_path / "名单.txt"
    roster.write_text(ORG + "\n", encoding="utf-8")
    cases = [
        (["collect", inbox, "-o", inbox], inbox, inbox, outputs.SAME_FILE),
        (["collect", inbox, "-o", inbox / "输出"], inbox / "输出", inbox, outputs.INSIDE_INPUT),
        (
            ["collect", inbox / "..", "-o", tmp_path / "输出"],
            tmp_path / "输出",
            inbox / "..",
            outputs.INSIDE_INPUT,
        ),
        (["collect", inbox, "-o", tmp_path], tmp_path, inbox, outputs.HOLDS_INPUT),
        (
            ["blank", "--roster", roster, "--year", YEAR + 1, "--previous", inbox, "-o", inbox / "新"],
            inbox / "新",
            inbox,
            outputs.INSIDE_INPUT,
        ),
        (["build", inbox / "小城子镇.xlsx", "--template", inbox, "-o", inbox / "r.docx"], None, None, None),
    ]
    link = tmp_path / "捷径"
    link.symlink_to(inbox)
    cases.append((["collect", inbox, "-o", link / "输出"], link / "输出", inbox, outputs.INSIDE_INPUT))
    for argv, out, source, reason in cases:
        before = digest(tmp_path)
        for extra in ([], ["--overwrite"]):
            done = invoke([*argv, *extra])
            assert done.exit_code == 2, (argv, done.output)
            if reason is not None:
                assert message("OUTPUT_IS_INPUT", path=out, input=source, reason=reason) in done.output, (
                    done.output
                )
            assert digest(tmp_path) == before and not stray(tmp_path)
    assert not (tmp_path / "输出").exists() and not (inbox / "输出").exists()


def test_an_input_file_inside_the_output_folder_is_fine_and_kept(tmp_path):
    """A roster kept in the folder the blanks go to: allowed, and never replaced or removed."""
    out = tmp_path / "下发"
    out.mkdir()
    roster = out / "名单.txt"
    roster.write_text(ORG + "\n", encoding="utf-8")
    for extra in ([], ["--overwrite"]):
        done = invoke(["blank", "--roster", roster, "--year", YEAR, "-o", out, *extra])
        assert done.exit_code == 0, done.output
    assert roster.read_text(encoding="utf-8") == ORG + "\n"


# ---------------------------------------------------------------- 2. --overwrite only replaces what we wrote
def _collected(tmp_path: Path) -> tuple[Path, Path]:
    inbox, out = _county(tmp_path / "收回"), tmp_path / "输出"
    done = invoke(["collect", inbox, "-o", out, "--jobs", 1])
    assert done.exit_code == 1, done.output
    return inbox, out


def test_overwrite_keeps_a_clerks_own_files(tmp_path):
    inbox, out = _collected(tmp_path)
    own = out / REPORTS_DIR / "领导批示.docx"
    own.write_bytes(b"a clerk's own document")
    notes = out / "说明.txt"
    notes.write_text("mine", encoding="utf-8")
    (inbox / "七星泡镇.xlsx").unlink()  # its feedback workbook is no longer true: removed, being ours
    done = invoke(["collect", inbox, "-o", out, "--jobs", 1, "--overwrite"])
    assert done.exit_code == 0, done.output
    assert own.read_bytes() == b"a clerk's own document" and notes.read_text(encoding="utf-8") == "mine"
    assert (
        "领导批示" not in done.output
        and f"{FEEDBACK_DIR}/宝清县七星泡镇人民政府{FEEDBACK_SUFFIX}" in done.output
    )


@pytest.mark.parametrize("change", ["replaced", "edited"])
def test_overwrite_refuses_a_file_it_did_not_write(tmp_path, change):
    """A clerk saved their own file under an output's name, or edited the report we wrote: kept, and the
    run stops before writing anything."""
    inbox, out = _collected(tmp_path)
    [report] = (out / REPORTS_DIR).iterdir()
    if change == "replaced":
        report.write_bytes(b"the clerk's own report")
    else:
        report.write_bytes(report.read_bytes() + b"\0")
    before = digest(out)
    done = invoke(["collect", inbox, "-o", out, "--jobs", 1, "--overwrite"])
    assert done.exit_code == 2
    assert message("OUTPUT_NOT_OURS", path=report) in done.output
    assert digest(out) == before and not stray(out)


def test_a_folder_in_the_way_is_refused_before_anything_changes(tmp_path):
    inbox, out = _collected(tmp_path)
    [report] = (out / REPORTS_DIR).iterdir()
    report.unlink()
    report.mkdir()  # a folder where an output must go
    before = digest(out)
    for extra in ([], ["--overwrite"]):
        done = invoke(["collect", inbox, "-o", out, "--jobs", 1, *extra])
        assert done.exit_code == 2
        assert message("OUTPUT_UNWRITABLE", path=report, reason=outputs.A_FOLDER) in done.output
        assert digest(out) == before and not stray(out)


def test_a_file_where_a_folder_must_be(tmp_path):
    inbox = _county(tmp_path / "收回")
    out = tmp_path / "输出"
    out.mkdir()
    (out / REPORTS_DIR).write_bytes(b"not a folder")
    done = invoke(["collect", inbox, "-o", out, "--jobs", 1])
    assert done.exit_code == 2
    reason = OS_REASONS["ENOTDIR"]
    before, after = FATAL["OUTPUT_UNWRITABLE"].template.split("{path}")  # about a file in the folder
    assert f"[OUTPUT_UNWRITABLE] {before}{out / REPORTS_DIR}/" in done.output
    assert after.format(reason=reason) + "\n" in done.output
    assert sorted(p.name for p in out.iterdir()) == [REPORTS_DIR]  # nothing else written
    done = invoke(["collect", inbox, "-o", out / "汇总" / "x", "--jobs", 1])  # fine: a fresh folder
    assert done.exit_code == 1


def test_a_second_run_into_the_same_folder_is_refused_while_one_runs(tmp_path):
    inbox, out = _collected(tmp_path)
    before = digest(out)
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (out / LOCK).write_text(json.dumps({"pid": holder.pid, "host": os.uname().nodename}))
        done = invoke(["collect", inbox, "-o", out, "--jobs", 1, "--overwrite"])
        assert done.exit_code == 2
        expected = message("OUTPUT_BUSY", pid=holder.pid, path=out, lock=out / LOCK)
        assert expected in done.output
        assert (out / LOCK).exists()  # not ours to remove
    finally:
        holder.kill()
        holder.wait()
    # the run that held it is gone: its lock is stale, taken over and removed at the end
    done = invoke(["collect", inbox, "-o", out, "--jobs", 1, "--overwrite"])
    assert done.exit_code == 1, done.output
    assert not (out / LOCK).exists() and digest(out).keys() == before.keys()


def test_blank_roster_overwrite_keeps_a_clerks_file_of_the_same_name(tmp_path):
    roster = tmp_path / "名单.txt"
    roster.write_text(ORG + "\n", encoding="utf-8")
    out = tmp_path / "下发"
    assert invoke(["blank", "--roster", roster, "--year", YEAR, "-o", out]).exit_code == 0
    [blank] = [p for p in out.iterdir() if p.suffix == ".xlsx"]
    assert invoke(["blank", "--roster", roster, "--year", YEAR, "-o", out, "--overwrite"]).exit_code == 0
    blank.write_bytes(b"filled in by hand")
    done = invoke(["blank", "--roster", roster, "--year", YEAR, "-o", out, "--overwrite"])
    assert done.exit_code == 2 and message("OUTPUT_NOT_OURS", path=blank) in done.output
    assert blank.read_bytes() == b"filled in by hand"


# ---------------------------------------------------------------- 4. resource failures
def test_output_occupied_by_a_folder_or_a_device(tmp_path):
    book = make(tmp_path)
    folder = tmp_path / "r.docx"
    folder.mkdir()
    for argv in (
        ["build", book],
        ["fill", _data(tmp_path)],
        ["blank", "--org", ORG, "--year", YEAR],
        ["export", book],
    ):
        for extra in ([], ["--overwrite"]):
            done = invoke([*argv, "-o", folder, *extra])
            assert done.exit_code == 2, done.output
            assert message("OUTPUT_UNWRITABLE", path=folder, reason=outputs.A_FOLDER) in done.output
    assert list(folder.iterdir()) == [] and not stray(tmp_path)
    null = os.stat("/dev/null")
    done = invoke(["build", book, "-o", "/dev/null", "--overwrite"])
    assert done.exit_code == 2
    assert message("OUTPUT_UNWRITABLE", path="/dev/null", reason=outputs.NOT_A_FILE) in done.output
    assert os.stat("/dev/null").st_rdev == null.st_rdev and Path("/dev/null").is_char_device()


def test_a_path_through_a_file(tmp_path):
    book = make(tmp_path)
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    for target in (blocker / "r.docx", blocker / "sub" / "r.docx"):
        done = invoke(["build", book, "-o", target])
        assert done.exit_code == 2
        assert message("OUTPUT_UNWRITABLE", path=target, reason=OS_REASONS["ENOTDIR"]) in done.output


def _limited(argv: list[object], limit: int, cwd: Path) -> subprocess.CompletedProcess:
    """The CLI in a process that may write no file bigger than `limit` bytes (RLIMIT_FSIZE: EFBIG)."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "xlsreport", *map(str, argv)],
        preexec_fn=cap,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "2000"},
    )


def test_a_file_size_limit_in_build_fill_blank(tmp_path):
    book = make(tmp_path)
    out = tmp_path / "out"
    reason = OS_REASONS["EFBIG"]
    for argv, target in (
        (["build", book], out / "r.docx"),
        (["fill", _data(tmp_path)], out / "f.xlsx"),
        (["blank", "--org", ORG, "--year", YEAR], out / "b.xlsx"),
    ):
        done = _limited([*argv, "-o", target], 8_000, tmp_path)
        assert done.returncode == 2, done.stderr
        assert message("OUTPUT_UNWRITABLE", path=target, reason=reason) in done.stderr
        assert "Traceback" not in done.stderr + done.stdout and "Error" not in done.stderr
        assert not out.exists() or list(out.iterdir()) == []


def _heavy_template(path: Path) -> Path:
    """The shipped template with a 60 KB picture of noise (incompressible): its reports pass 60 KB."""
    import docx
    from docx.shared import Mm

    side = 140
    rows = b"".join(b"\0" + os.urandom(side * 3) for _ in range(side))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    document = docx.Document(str(resources.files("xlsreport") / "templates" / "report.docx"))
    document.add_paragraph().add_run().add_picture(io.BytesIO(png), width=Mm(20))
    document.save(str(path))
    return path


def test_a_file_size_limit_in_collect_is_that_files_row(tmp_path):
    """Word reports (past 60 KB with this template) cannot be written, feedback workbooks and the summary
    (about 40 KB) can: each report's failure is its own row, the pool carries on, the summary is written."""
    inbox = _county(tmp_path / "收回")
    make(inbox, {**sample("qixingpao-2024.json")["fields"]}, "七星泡镇（改正后）.xlsx")
    (inbox / "七星泡镇.xlsx").unlink()
    out = tmp_path / "输出"
    template = _heavy_template(tmp_path / "模板.docx")
    done = _limited(["collect", inbox, "-o", out, "--jobs", 2, "--template", template], 50_000, tmp_path)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr + done.stdout and "abruptly" not in done.stderr + done.stdout
    assert f"{Status.UNWRITTEN}2个" in done.stdout
    assert OS_REASONS["EFBIG"] in done.stdout
    assert (out / SUMMARY_NAME).is_file() and not (out / REPORTS_DIR).exists()  # made for them, left empty
    assert not stray(out)
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["finished"] is True and set(manifest["files"]) == {SUMMARY_NAME, FINDINGS_NAME}


@pytest.fixture
def tiny_disk(tmp_path):
    """A 256 KB file system (tmpfs), where it can be mounted: a disk that really fills up (ENOSPC)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs privileges); RLIMIT_FSIZE covers the same path")
    yield disk
    subprocess.run(["umount", str(disk)], check=True)


def test_a_disk_that_fills_up_and_the_run_continued_once_there_is_room(tiny_disk, tmp_path):
    inbox = tmp_path / "收回"
    for i, name in enumerate(("xiaochengzi", "qixingpao", "qixingpao")):
        make(
            inbox,
            {**sample(f"{name}-2024.json")["fields"], "info_org": f"宝清县第{i}镇人民政府"},
            f"{i}.xlsx",
        )
    before = digest(inbox)
    filler = tiny_disk / "别的文件.bin"
    filler.write_bytes(b"\0" * 190_000)
    out = tiny_disk / "输出"
    done = invoke(["collect", inbox, "-o", out, "--jobs", 2])
    assert done.exit_code in (1, 2), done.output  # a report's row, or the summary itself
    assert OS_REASONS["ENOSPC"] in done.output and "Errno" not in done.output
    assert not stray(tiny_disk) and digest(inbox) == before
    for p in out.rglob("*.docx"):
        assert zipfile.ZipFile(p).testzip() is None  # what was written is whole
    book = inbox / "0.xlsx"
    done = invoke(["build", book, "-o", tiny_disk / "r.docx", "--overwrite"])
    assert done.exit_code == 2
    assert message("OUTPUT_UNWRITABLE", path=tiny_disk / "r.docx", reason=OS_REASONS["ENOSPC"]) in done.output
    assert not (tiny_disk / "r.docx").exists() and not stray(tiny_disk)
    filler.unlink()  # room made: the same command, without --overwrite, finishes the run
    done = invoke(["collect", inbox, "-o", out, "--jobs", 2])
    assert done.exit_code == 0, done.output
    assert len(list((out / REPORTS_DIR).glob("*.docx"))) == 3 and (out / SUMMARY_NAME).is_file()
    assert json.loads((out / MANIFEST).read_text(encoding="utf-8"))["finished"] is True


def test_an_output_folder_that_became_read_only_keeps_the_earlier_run_whole(tiny_disk, tmp_path):
    """The disk turns read-only between two runs (a USB stick's lock, a remount): --overwrite can neither
    replace nor remove the earlier outputs, says so in Chinese, and leaves them exactly as they were."""
    inbox = tmp_path / "收回"
    make(inbox, sample("xiaochengzi-2024.json")["fields"], "小城子镇.xlsx")
    out = tiny_disk / "输出"
    assert invoke(["collect", inbox, "-o", out, "--jobs", 1]).exit_code == 0
    earlier = digest(out)
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    try:
        done = invoke(["collect", inbox, "-o", out, "--jobs", 1, "--overwrite"])
        assert done.exit_code == 2, done.output
        assert "OUTPUT_UNWRITABLE" in done.output and OS_REASONS["EROFS"] in done.output
        assert "Traceback" not in done.output and "Errno" not in done.output
        assert digest(out) == earlier
        done = invoke(["build", inbox / "小城子镇.xlsx", "-o", out / "r.docx"])
        assert done.exit_code == 2 and OS_REASONS["EROFS"] in done.output, done.output
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(tiny_disk)], check=True)
    assert digest(out) == earlier and not stray(tiny_disk)
