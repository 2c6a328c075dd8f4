"""LibreOffice, headless: convert files with a private profile that recalculates every formula on load.

A private profile per call keeps runs independent of the user's own LibreOffice (its settings, its lock
files, an instance already open), and lets us switch recalculation on load to "always", so a converted
workbook shows what LibreOffice itself computes, never the cached results stored in the file.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .errors import XlsreportError

_RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(files: Sequence[Path], to: str, out_dir: Path, timeout: float = 300) -> list[Path]:
    """Convert `files` with LibreOffice (`to`: "pdf", "xlsx", …) into `out_dir`; returns the new files in order."""
    program = soffice()
    if program is None:
        raise XlsreportError("OFFICE_MISSING")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="xlsreport-lo-") as profile:
        user = Path(profile) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(_RECALC_ALWAYS, encoding="utf-8")
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
            done = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise XlsreportError("OFFICE_FAILED", reason=f"超过{int(timeout)}秒未完成") from exc
    ext = to.split(":")[0]
    outputs = [out_dir / f"{Path(f).stem}.{ext}" for f in files]
    missing = [p.name for p in outputs if not p.is_file()]
    if missing:
        reason = done.stderr.decode(errors="replace").strip()[-300:] or f"未生成 {'、'.join(missing)}"
        raise XlsreportError("OFFICE_FAILED", reason=reason)
    return outputs
