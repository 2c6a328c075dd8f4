"""What `check` does once a file is read, and `check` of several files together.

`check_read` adds to the validation of one workbook (validate.py) what needs more than its cells: the
package's own findings, last year's workbook (`--previous`), and, for a published report, the places of
its findings in print. `check_files` checks several files as one batch, each body's name a name the
others' texts should not contain; a file that cannot be read becomes a report of one finding
(`unreadable_report`), the shape `collect` gives it too. api.py names these for its callers.
"""

from __future__ import annotations

from pathlib import Path

from .errors import InputError, XlsreportError
from .findings import Finding, Report
from .places import Province
from .previous import PreviousIndex, compare, missing
from .published import Published, read_report, relocate
from .reader import RawWorkbook
from .roster import read_roster
from .validate import Checked, check_raw
from .wording import FROM_BATCH, FROM_ROSTER


def check_read(
    raw: RawWorkbook,
    previous: PreviousIndex | Path | None = None,
    province: Province | None = None,
    others: tuple[str, ...] = (),
) -> Checked:
    """`check` of a workbook already read (`reader.read_workbook`): what `check` and `collect` share."""
    checked = check_raw(raw, province=province, others=others)
    checked.report.findings.extend(raw.package.findings(checked.fmt))
    if previous is not None:
        index = previous if isinstance(previous, PreviousIndex) else PreviousIndex.load(Path(previous))
        last = index.checked(checked.org, checked.year - 1)
        if last is None:
            checked.report.findings.append(missing(checked, index.source))
        else:
            checked.report.findings += compare(checked, last)
    if isinstance(raw, Published):  # told by table, row, column and page, not by a workbook cell
        checked.report.findings[:] = [*raw.reading, *relocate(raw, checked.report.findings)]
    return checked


def unreadable_report(path: Path, error: XlsreportError) -> Report:
    """A file that could not be read, in the same shape as any other report."""
    return Report(str(path), [Finding(error.code, "", "", (), (), None, None, error.message)])


def check_files(
    paths: list[Path],
    *,
    previous: Path | None = None,
    province: Province | None = None,
    roster: Path | None = None,
) -> list[Report]:
    """Check several files; one that cannot be read gives a one-finding report instead of stopping the rest.

    The bodies checked together, and those on `roster`, are each other's `others`: a text naming another
    of them is flagged.
    """
    index = PreviousIndex.load(Path(previous)) if previous is not None else None
    raws: list[object] = []
    for p in paths:
        try:
            raws.append(read_report(Path(p)))
        except InputError as exc:
            raws.append(unreadable_report(p, exc))
    orgs = tuple((r.identity["org"], FROM_BATCH) for r in raws if not isinstance(r, Report))
    if roster is not None:
        orgs += tuple((name, FROM_ROSTER) for name in read_roster(Path(roster)))
    reports = []
    for p, r in zip(paths, raws, strict=True):
        try:
            reports.append(r if isinstance(r, Report) else check_read(r, index, province, orgs).report)
        except InputError as exc:  # an identity damaged past reading shows only once the values are checked
            reports.append(unreadable_report(p, exc))
    return reports
