"""LibreOffice, headless: convert files with a private profile that recalculates every formula on load.

A private profile per call keeps runs independent of the user's own LibreOffice (its settings, its lock
files, an instance already open), and lets us switch recalculation on load to "always", so a converted
workbook shows what LibreOffice itself computes, never the cached results stored in the file.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .errors import XlsreportError
from .reasons import os_reason, reason

_RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


# Windows installs LibreOffice under Program Files without putting it on PATH
_WINDOWS_HOMES = ("PROGRAMFILES", "PROGRAMFILES(X86)", "PROGRAMW6432")


PDF_TIMEOUT = 180  # seconds: a first start with a fresh profile takes 5–30 s on an office PC


def soffice() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None and sys.platform == "win32":
        for home in filter(None, map(os.environ.get, _WINDOWS_HOMES)):
            exe = Path(home) / "LibreOffice" / "program" / "soffice.exe"
            if exe.is_file():
                return str(exe)
    return found


def _run(cmd: list[str], timeout: float, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run `cmd`; past `timeout`, kill it with every process it started and raise OFFICE_FAILED.

    soffice is a launcher: the office itself is a child that inherits our pipes, so killing the
    launcher alone (what subprocess.run does) would leave us waiting on pipes the office still holds.
    """
    windows = sys.platform == "win32"
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=not windows,
        creationflags=subprocess.CREATE_NEW_PROCESS_GROUP if windows else 0,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except (
        BaseException
    ) as exc:  # past the timeout, or stopped (Ctrl-C, SIGTERM): the office never outlives us
        if windows:
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)], capture_output=True, check=False)
        else:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        if isinstance(exc, subprocess.TimeoutExpired):
            raise XlsreportError(
                "OFFICE_FAILED", reason=reason("OFFICE_FAILED", "timeout", seconds=int(timeout))
            ) from exc
        raise
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def convert(
    files: Sequence[Path], to: str, out_dir: Path, timeout: float = 300, fontconfig: str | None = None
) -> list[Path]:
    """Convert `files` with LibreOffice (`to`: "pdf", "xlsx", …) into `out_dir`; returns the new files in order.

    `fontconfig`: a fontconfig configuration (fonts.fontconfig_conf) LibreOffice finds its fonts through.
    """
    program = soffice()
    if program is None:
        raise XlsreportError("OFFICE_MISSING")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="xlsreport-lo-") as profile:
        user = Path(profile) / "user"
        user.mkdir()
        scratch = Path(profile) / "tmp"  # the office's own temporary files, removed with the profile even
        scratch.mkdir()  # when it is killed (Ctrl-C, SIGTERM, the timeout) before it can remove them
        env = {**os.environ, **dict.fromkeys(("TMPDIR", "TMP", "TEMP"), str(scratch))}
        (user / "registrymodifications.xcu").write_text(_RECALC_ALWAYS, encoding="utf-8")
        if fontconfig is not None:
            (Path(profile) / "fonts.conf").write_text(fontconfig, encoding="utf-8")
            env["FONTCONFIG_FILE"] = str(Path(profile) / "fonts.conf")
        cmd = [
            program,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            to,
            "--outdir",
            str(out_dir),
            *map(str, files),
        ]
        try:
            done = _run(cmd, timeout, env)
        except OSError as exc:  # found but not runnable: a broken install, no permission
            raise XlsreportError(
                "OFFICE_FAILED",
                reason=reason("OFFICE_FAILED", "cannot_run", program=program, detail=os_reason(exc)),
            ) from exc
    ext = to.split(":")[0]
    outputs = [out_dir / f"{Path(f).stem}.{ext}" for f in files]
    missing = [p.name for p in outputs if not p.is_file()]
    if missing:
        said = done.stderr.decode(errors="replace").strip()[-300:]
        why = said or reason("OFFICE_FAILED", "not_written", names="、".join(missing))
        raise XlsreportError("OFFICE_FAILED", reason=why)
    return outputs


def pdf_of(document: bytes, timeout: float = PDF_TIMEOUT, fontconfig: str | None = None) -> bytes:
    """The PDF LibreOffice makes of a .docx (its bytes), through a private profile and temporary files."""
    try:
        with tempfile.TemporaryDirectory(prefix="xlsreport-pdf-") as tmp:
            source = Path(tmp) / "report.docx"
            source.write_bytes(document)
            (made,) = convert([source], "pdf:writer_pdf_Export", Path(tmp) / "pdf", timeout, fontconfig)
            return made.read_bytes()
    except OSError as exc:  # the temporary folder: a full disk, no permission
        raise XlsreportError("OFFICE_FAILED", reason=os_reason(exc)) from exc
