"""What `collect` did: a row per file found (and per body on the roster that sent none), and the run's totals.

collect.py makes them, county.py writes 汇总.xlsx from them, printing.py prints them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .findings import Report
from .formats import DEFAULT
from .rules import Number
from .spec import Format
from .wording import Status


@dataclass
class Entry:
    """One row of the status sheet: a file found (or a body on the roster that sent none)."""

    file: str  # the path below in_dir; "" for a body that sent nothing
    status: Status
    org: str = ""
    year: int | None = None
    report: Report | None = None
    outputs: list[str] = field(default_factory=list)  # relative to out_dir
    note: str = ""
    # the table values of a body that passed, keyed as in `Collected.fmt` (collectfile.summed)
    values: dict[str, Number] | None = None
    last_values: dict[str, Number] | None = None  # last year's, with `previous`

    @property
    def errors(self) -> int:
        return self.report.errors if self.report else 0

    @property
    def warnings(self) -> int:
        return self.report.warnings if self.report else 0


@dataclass
class Collected:
    """What `collect` did: a row per file (and per missing body), the year collected, the files written."""

    in_dir: Path
    out_dir: Path
    year: int | None
    entries: list[Entry]
    summary: Path
    findings: Path
    removed: list[str] = field(default_factory=list)  # an earlier run's outputs no longer true (--overwrite)
    fmt: Format = DEFAULT  # the version the county's tables are summed in: the newest

    def count(self, status: Status) -> int:
        return sum(e.status is status for e in self.entries)

    @property
    def missing(self) -> list[str]:
        return [e.org for e in self.entries if e.status is Status.MISSING]

    @property
    def ok(self) -> bool:
        """Every file passed and no body on the roster is missing."""
        bad = (Status.ERRORS, Status.UNREADABLE, Status.UNWRITTEN, Status.MISSING)
        return not any(e.status in bad for e in self.entries)
