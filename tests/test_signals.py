"""Ctrl-C and SIGTERM to a running command, as a real process: everything it started ends within 5 s, no
temporary file or folder is left, the exit code is 130/143 with one Chinese line, and what was written
before is complete and taken up by the next run."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from conftest import sample
from xlsreport import api
from xlsreport.errors import FATAL
from xlsreport.outputs import LOCK, MANIFEST, TEMP_PREFIX
from xlsreport.reasons import SIGNAL_NAMES
from xlsreport.stopping import Stopped
from xlsreport.wording import SUMMARY_NAME

GRACE = 5.0


def _start(argv: list[object], tmp: Path, cwd: Path) -> subprocess.Popen:
    """The CLI as its own process, with a private temporary folder (so what it leaves there is seen)."""
    tmp.mkdir(exist_ok=True)
    env = {**os.environ, "TMPDIR": str(tmp), "TEMP": str(tmp), "TMP": str(tmp), "COLUMNS": "2000"}
    return subprocess.Popen(
        [sys.executable, "-m", "xlsreport", *map(str, argv)],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _processes_mentioning(text: str) -> list[str]:
    """Command lines of the running processes that mention `text` (our unique temporary paths)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        if text in cmd and "State:\tZ" not in status:
            found.append(f"{pid}: {cmd}")
    return found


def _wait_for(condition, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the command never reached the point to interrupt")
        time.sleep(0.02)


def _stop(proc: subprocess.Popen, signum: int, marker: str) -> tuple[str, str]:
    """Send `signum`; the process and everything mentioning `marker` must be gone within GRACE seconds."""
    proc.send_signal(signum)
    start = time.monotonic()
    try:
        out, err = proc.communicate(timeout=GRACE + 5)
    finally:
        proc.kill()
    assert time.monotonic() - start < GRACE, "did not end within 5 s"
    _wait_for(lambda: not _processes_mentioning(marker), timeout=GRACE)
    assert proc.returncode == 128 + signum, err
    line = f"[{Stopped.code}] " + FATAL[Stopped.code].template.format(
        signal=SIGNAL_NAMES[signal.Signals(signum).name]
    )
    assert line in err and "Traceback" not in err + out, err
    return out, err


def _finished(folder: Path, pattern: str) -> list[Path]:
    """The outputs in `folder` renamed into place (not the temporary files being written)."""
    return [p for p in folder.glob(pattern) if not p.name.startswith(TEMP_PREFIX)] if folder.is_dir() else []


def _leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.startswith(TEMP_PREFIX) or p.name == LOCK]


def _inbox(folder: Path, n: int) -> Path:
    """`n` returned workbooks of `n` bodies, every fifth with an error; made by copying and renaming one."""
    base = sample("xiaochengzi-2024.json")["fields"]
    for i in range(n):
        fields = {**base, "info_org": f"宝清县第{i}镇人民政府"}
        if i % 5 == 0:
            fields["t3_new_natural"] = "3件"
        api.fill({"fields": fields}, folder / f"{i:04d}.xlsx")
    return folder


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    return _inbox(tmp_path_factory.mktemp("signals") / "收回", 240)


def _complete(path: Path) -> bool:
    with zipfile.ZipFile(path) as zf:
        return zf.testzip() is None


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_collect_stops_its_workers_and_a_rerun_continues(tmp_path, inbox, signum):
    out, tmp = tmp_path / "输出", tmp_path / "tmp"
    before = {p.name: p.read_bytes() for p in inbox.iterdir()}
    proc = _start(["collect", inbox, "-o", out, "--jobs", 2], tmp, tmp_path)
    reports = out / "报告"
    _wait_for(lambda: len(_finished(reports, "*.docx")) >= 3)
    _stop(proc, signum, str(out))
    assert not _leftovers(out) and list(tmp.iterdir()) == []
    written = [p for p in out.rglob("*") if p.suffix in (".docx", ".xlsx")]
    assert written and all(_complete(p) for p in written)
    assert not (out / SUMMARY_NAME).exists()  # stopped before the end
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["finished"] is False
    assert {str(p.relative_to(out)) for p in written} <= set(manifest["files"])
    # the same command again, without --overwrite, continues from what was written
    again = subprocess.run(
        [sys.executable, "-m", "xlsreport", "collect", str(inbox), "-o", str(out), "--jobs", "2"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert again.returncode == 1, again.stderr  # every fifth has an error
    assert len(list(reports.glob("*.docx"))) == 192 and len(list((out / "退回修改").iterdir())) == 48
    assert json.loads((out / MANIFEST).read_text(encoding="utf-8"))["finished"] is True
    assert {p.name: p.read_bytes() for p in inbox.iterdir()} == before


def test_a_second_run_into_the_same_folder_is_refused_while_the_first_runs(tmp_path, inbox):
    out, tmp = tmp_path / "输出", tmp_path / "tmp"
    first = _start(["collect", inbox, "-o", out, "--jobs", 2], tmp, tmp_path)
    _wait_for(lambda: len(_finished(out / "报告", "*.docx")) >= 1)
    second = subprocess.run(
        [sys.executable, "-m", "xlsreport", "collect", str(inbox), "-o", str(out), "--overwrite"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "2000"},
    )
    expected = FATAL["OUTPUT_BUSY"].template.format(pid=first.pid, path=out, lock=out / LOCK)
    assert second.returncode == 2 and f"[OUTPUT_BUSY] {expected}" in second.stderr, second.stderr
    _, err = first.communicate(timeout=600)  # the first run is not disturbed
    assert first.returncode == 1, err
    assert len(list((out / "报告").glob("*.docx"))) == 192 and not _leftovers(out)


def test_blank_roster_stops_and_a_rerun_continues(tmp_path):
    roster = tmp_path / "名单.txt"
    names = [f"宝清县第{i}镇人民政府" for i in range(400)]
    roster.write_text("\n".join(names), encoding="utf-8")
    out, tmp = tmp_path / "下发", tmp_path / "tmp"
    proc = _start(["blank", "--roster", roster, "--year", 2024, "-o", out], tmp, tmp_path)
    _wait_for(lambda: len(_finished(out, "*.xlsx")) >= 5)
    _stop(proc, signal.SIGINT, str(out))
    written = _finished(out, "*.xlsx")
    assert 5 <= len(written) < len(names) and not _leftovers(out) and list(tmp.iterdir()) == []
    assert all(api.check(p).report.ok for p in written[:20])
    again = subprocess.run(
        [
            sys.executable,
            "-m",
            "xlsreport",
            "blank",
            "--roster",
            str(roster),
            "--year",
            "2024",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert again.returncode == 0, again.stderr
    assert len(list(out.glob("*.xlsx"))) == len(names)


@pytest.mark.libreoffice
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_build_pdf_ends_libreoffice(tmp_path, signum):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    book = api.fill({"fields": sample("xiaochengzi-2024.json")["fields"]}, tmp_path / "表.xlsx")
    out, tmp = tmp_path / "out", tmp_path / "tmp"
    proc = _start(["build", book, "--pdf", "-o", out / "报告.docx"], tmp, tmp_path)
    _wait_for(lambda: any("soffice" in p for p in _processes_mentioning(str(tmp))))
    time.sleep(0.5)  # the office itself started by its launcher
    _stop(proc, signum, str(tmp))
    assert list(tmp.iterdir()) == [] and not out.exists()
    assert book.read_bytes() == (tmp_path / "表.xlsx").read_bytes()
