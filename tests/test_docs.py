"""What is generated from the spec and committed (docs, samples) is what the generators write now."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import make_docs  # noqa: E402
import make_samples  # noqa: E402

from xlsreport.wording import NOTE_MISSING, Status  # noqa: E402


def test_fields_doc_and_readme_codes_are_up_to_date():
    assert (ROOT / "docs" / "fields.md").read_text(encoding="utf-8") == make_docs.fields_md()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert make_docs.readme(readme) == readme, "run python tools/make_docs.py"
    assert "`T3_BALANCE`" in readme and "`NOT_TEMPLATE`" in readme
    assert "| `DATA_INVALID` | not_json |" in readme and "| guard | xls |" in readme
    assert "| os | ENOSPC |" in readme and "| `INTERRUPTED` | SIGHUP |" in readme  # every table of reasons.py
    assert f"| {Status.MISSING} | {NOTE_MISSING} |" in readme  # collect's statuses, from wording.py


def test_committed_samples_are_what_fill_writes(tmp_path):
    for path in make_samples.write(tmp_path):
        name = path.relative_to(tmp_path)
        assert (ROOT / "samples" / name).read_bytes() == path.read_bytes(), (
            f"run python tools/make_samples.py ({name})"
        )


def test_wheel_ships_every_data_file():
    """Every non-code file of the package matches a package-data pattern, or the wheel would lack it."""
    import tomllib

    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"
    ]["xlsreport"]
    package = ROOT / "src" / "xlsreport"
    shipped = {p for pattern in patterns for p in package.glob(pattern)}
    data = {p for p in package.rglob("*") if p.is_file() and p.suffix not in {".py", ".pyc"}}
    assert data - shipped == set()
