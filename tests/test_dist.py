"""The wheel a clerk's PC installs: its package data, and every dependency installable on Windows and macOS
from binary wheels alone (a clerk's PC has no compiler)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLATFORMS = {"win_amd64": "win_amd64", "macosx_11_0_arm64": "macosx", "macosx_10_13_x86_64": "macosx"}


def _pypi_reachable() -> bool:
    try:
        socket.create_connection(("pypi.org", 443), timeout=5).close()
        return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Built as `make dist` builds it."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("xlsreport-*-py3-none-any.whl")
    return found


def test_the_wheel_carries_templates_data_and_samples(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for part in (
        "templates/report.docx",
        "data/places.json",
        "samples/roster.txt",
        "samples/xiaochengzi-2024.json",
    ):
        assert f"xlsreport/{part}" in names
    # the version is declared once, in the package, and is the wheel's
    from xlsreport import __version__

    assert wheel.name.startswith(f"xlsreport-{__version__}-")
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "xlsreport = xlsreport.cli:main" in zipfile.ZipFile(wheel).read(entry).decode()


@pytest.mark.skipif(
    not _pypi_reachable(), reason="PyPI is not reachable (offline): resolution needs the index"
)
@pytest.mark.parametrize("platform", PLATFORMS)
def test_dependencies_resolve_to_binary_wheels(wheel, platform, tmp_path):
    report = tmp_path / "report.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--dry-run",
            "--ignore-installed",
            "--quiet",
            "--platform",
            platform,
            "--python-version",
            "3.11",
            "--only-binary=:all:",
            "--report",
            str(report),
            str(wheel),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    installed = {
        i["metadata"]["name"].lower(): i["download_info"]["url"].rsplit("/", 1)[-1]
        for i in json.loads(report.read_text())["install"]
    }
    assert {"xlsreport", "openpyxl", "xlsxwriter", "python-docx", "docxtpl", "typer", "lxml"} <= set(
        installed
    )
    assert (
        PLATFORMS[platform] in installed["lxml"]
    )  # the one compiled dependency, as a wheel for that platform
