"""A county's returned workbooks in one run: every file checked, reports built, feedback sent back, a summary.

`collect(in_dir, out_dir)` takes every workbook below `in_dir` and writes into `out_dir`:

* `报告/<title>.docx` for each body that passed (as `build` writes it);
* `退回修改/<body>_校验意见.xlsx` for each body with errors: its returned file with every finding marked
  (feedback.py); the returned file itself is only read;
* `汇总.xlsx`: a status row per file, the county's tables 二/三/四 summed over the bodies that passed (in the
  template's own layout, so its live checks hold), and with `previous` the year-over-year figures;
* `findings.json`: every file's findings in the shape of `check --format json`.

Files are read in two passes, each spread over worker processes: first each file's identity (body, year),
from which the year collected, the same body sent twice and bodies off the roster are decided; then the
full check and the outputs. A published report has to be read whole to learn its body and year: what the
first pass read is what the second checks. One bad file never stops the run.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

from . import api
from .collected import Collected, Entry
from .collectfile import Identity, Options, Task, identify, init_worker, run_task
from .county import write_summary
from .errors import FATAL, InputError, readable
from .filenames import safe_name
from .findings import Finding, Report
from .formats import DEFAULT
from .formats import newest as newest_version
from .guard import regular
from .inbox import newest, walk
from .outfolder import OutputFolder
from .outputs import keep_apart
from .ownfiles import left_by_build
from .places import normalise_name, visible
from .published import SUFFIXES as PUBLISHED
from .render import check_template
from .roster import read_roster
from .wording import (
    FEEDBACK_DIR,
    FEEDBACK_SUFFIX,
    FINDINGS_NAME,
    FROM_BATCH,
    FROM_ROSTER,
    KEPT_NAME_AS,
    LISTED,
    NO_SUFFIX,
    NOTE_MISSING,
    REPORTS_DIR,
    SKIP_HIDDEN,
    SKIP_LOCK,
    SKIP_OTHER,
    SKIP_PUBLISHED,
    STAGE_CHECK,
    STAGE_IDENTIFY,
    SUMMARY_NAME,
    Status,
)
from .workers import Progress, run_parallel

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
# Spreadsheets in another format are a body's answer in the wrong form: read (and refused with their
# reason, FILE_OTHER_FORMAT) so that the body is told, not skipped.
OTHER_SPREADSHEETS = (".xls", ".et", ".ods", ".xlsb")


# ---------------------------------------------------------------- finding the files
def discover(in_dir: Path) -> tuple[list[Path], list[Entry]]:
    """The workbooks and published reports below `in_dir` (sorted) and an entry for each other file,
    skipped with its reason.

    What is not a file (a FIFO, a socket, a device, a folder named like a workbook, a link that loops) is
    answered from its status, never opened, and reported as unreadable. Links to folders are not followed.
    """
    books, entries = [], []
    for path in sorted(walk(in_dir, WORKBOOK_SUFFIXES + OTHER_SPREADSHEETS)):
        shown = readable(str(path.relative_to(in_dir)))
        suffix = path.suffix.lower()
        try:
            regular(path)
        except InputError as exc:
            entries.append(Entry(shown, Status.UNREADABLE, report=api.unreadable_report(path, exc)))
            continue
        if path.name.startswith("~$"):
            entries.append(Entry(shown, Status.SKIPPED, note=SKIP_LOCK))
        elif path.name.startswith("."):
            entries.append(Entry(shown, Status.SKIPPED, note=SKIP_HIDDEN))
        elif left_by_build(path, WORKBOOK_SUFFIXES):  # `build` without -o: a by-product, no body's answer
            continue
        elif suffix in WORKBOOK_SUFFIXES + OTHER_SPREADSHEETS + PUBLISHED:
            books.append(path)
        else:
            entries.append(Entry(shown, Status.SKIPPED, note=SKIP_OTHER.format(suffix=suffix or NO_SUFFIX)))
    return books, entries


# ---------------------------------------------------------------- the run
def collect(
    in_dir: Path,
    out_dir: Path,
    *,
    jobs: int | None = None,
    year: int | None = None,
    roster: Path | None = None,
    previous: Path | None = None,
    template: Path | None = None,
    overwrite: bool = False,
    progress: Progress = lambda stage, done, total: None,
    html: bool = False,
) -> Collected:
    """Check every workbook below `in_dir`, write reports, feedback workbooks, 汇总.xlsx and findings.json.

    `year`: the year collected (default: the most common among the files); `roster`: the bodies expected;
    `previous`: last year's workbooks, for the checks across years and the year-over-year view; `jobs`:
    worker processes (default: one per core); `overwrite`: replace outputs of an earlier run; `html`: a web
    page (webpage.py) beside each report, same name, .html.
    """
    in_dir, out_dir = Path(in_dir), Path(out_dir)
    if not in_dir.is_dir():
        raise InputError("FOLDER_NOT_FOUND", path=str(in_dir))
    keep_apart([in_dir, roster, previous, template], [out_dir])
    expected = read_roster(Path(roster)) if roster is not None else None
    if previous is not None and not Path(previous).exists():
        raise InputError("FILE_NOT_FOUND", path=str(previous))
    if template is not None:
        regular(Path(template))  # a FIFO or a folder is answered here, never opened
    fmt = newest_version(DEFAULT)  # every body's figures are summed in it, whatever version it returned
    check_template(template, fmt)
    jobs = max(1, jobs or os.cpu_count() or 1)

    books, entries = discover(in_dir)
    ids = run_parallel(identify, books, jobs, STAGE_IDENTIFY, progress)
    known = {p: i for p, i in zip(books, ids, strict=True) if i.error is None and not i.skipped}
    if year is None and known:
        counts = Counter(i.year for i in known.values())
        year = max(counts, key=lambda y: (counts[y], y))
    kept = _kept(known, year)
    on_roster = {normalise_name(n): n for n in expected} if expected is not None else None
    others = tuple(
        {**{i.org: FROM_BATCH for i in known.values()}, **dict.fromkeys(expected or [], FROM_ROSTER)}.items()
    )
    names = _Names()
    tasks, task_entries = [], []
    for p, ident in zip(books, ids, strict=True):
        shown = readable(str(p.relative_to(in_dir)))
        if ident.error is not None:
            entries.append(Entry(shown, Status.UNREADABLE, report=ident.error))
            continue
        if ident.skipped:
            note = SKIP_PUBLISHED.format(reason=FATAL[ident.skipped].summary, code=ident.skipped)
            entries.append(Entry(shown, Status.SKIPPED, note=note))
            continue
        key = normalise_name(ident.org)
        if ident.year == year and kept[key][0] != p:
            entries.append(_duplicate(p, ident, *kept[key], known, in_dir))
            continue
        extra = []
        if ident.year != year:
            extra.append(Finding.at(DEFAULT, "info_year", "COLLECT_YEAR", ident.year, year))
        if on_roster is not None and key not in on_roster:
            extra.append(Finding.at(DEFAULT, "info_org", "COLLECT_NOT_ON_ROSTER", ident.org, str(roster)))
        elif on_roster is not None and ident.org.strip() != on_roster[key]:
            listed = LISTED.format(name=visible(on_roster[key]))
            extra.append(Finding.at(DEFAULT, "info_org", "NAME_LOOKALIKE", visible(ident.org), listed))
        title = DEFAULT.title(ident.org, ident.year)
        report_out = out_dir / REPORTS_DIR / names.take(f"{safe_name(title)}.docx")
        tasks.append(
            Task(
                p,
                tuple(extra),
                report_out,
                out_dir / FEEDBACK_DIR / names.take(f"{safe_name(ident.org)}{FEEDBACK_SUFFIX}"),
                report_out.with_suffix(".html") if html else None,
                ident.read,
            )
        )
        task_entries.append(Entry(shown, Status.PASSED, ident.org, ident.year))
    summary, findings_path = out_dir / SUMMARY_NAME, out_dir / FINDINGS_NAME
    pages = [t.page_out for t in tasks if t.page_out is not None]
    outputs = [
        summary,
        findings_path,
        *(t.report_out for t in tasks),
        *pages,
        *(t.feedback_out for t in tasks),
    ]

    keep_apart([roster, previous, template], outputs)
    with OutputFolder(out_dir, overwrite) as folder:
        folder.claim(outputs)  # refused before anything is written, not halfway through
        options = Options(Path(previous) if previous else None, template, others)
        done = run_parallel(run_task, tasks, jobs, STAGE_CHECK, progress, init_worker, options)
        for entry, result in zip(task_entries, done, strict=True):
            entry.report, entry.note = result.report, result.note
            entry.outputs = [str(o.relative_to(out_dir)) for o in result.outputs]
            entry.values, entry.last_values = result.values, result.last_values
            if result.report.unreadable:
                entry.status = Status.UNREADABLE
            elif result.unwritten:
                entry.status = Status.UNWRITTEN
            elif not result.report.ok:
                entry.status = Status.ERRORS
        entries += task_entries
        entries.sort(key=lambda e: e.file)
        # re-run after corrections: a body that passes now must not keep last run's feedback workbook;
        # only files this program wrote here are removed, never a clerk's own
        written = [summary, findings_path, *(out_dir / o for e in task_entries for o in e.outputs)]
        stale = folder.stale(written)
        keep_apart([roster, previous, template], stale)
        for path in stale:
            folder.remove(path)
        removed = [str(p.relative_to(out_dir)) for p in stale]
        if expected is not None:
            sent = {normalise_name(e.org) for e in entries if e.org and e.year == year}
            entries += [
                Entry("", Status.MISSING, org, year, note=NOTE_MISSING)
                for org in expected
                if normalise_name(org) not in sent
            ]

        result = Collected(in_dir, out_dir, year, entries, summary, findings_path, removed, fmt)
        reports = [e.report.to_dict() for e in entries if e.report is not None]
        with api.atomic_output(findings_path, True) as fh:
            fh.write(json.dumps(reports, ensure_ascii=False, indent=1).encode())
        with api.atomic_output(summary, True) as fh:
            write_summary(fh, result, previous is not None)
    return result


# ---------------------------------------------------------------- the same body twice
def _kept(known: Mapping[Path, Identity], year: int | None) -> dict[str, tuple[Path, str]]:
    """The file used for each body of `year` (inbox.newest), and why it was preferred over the others."""
    groups: dict[str, list[Path]] = {}
    for p, i in known.items():
        if i.year == year:
            groups.setdefault(normalise_name(i.org), []).append(p)
    return {key: newest(paths) for key, paths in groups.items()}


def _duplicate(
    path: Path, ident: Identity, kept: Path, why: str, known: Mapping[Path, Identity], in_dir: Path
) -> Entry:
    """The status row of a file not used because its body sent another (`kept`)."""
    shown = readable(str(kept.relative_to(in_dir)))
    findings = [Finding.at(DEFAULT, "info_org", "COLLECT_DUPLICATE", ident.org, f"{shown}（{why}）")]
    if ident.org.strip() != known[kept].org.strip():
        other = KEPT_NAME_AS.format(file=shown, name=visible(known[kept].org))
        findings.append(Finding.at(DEFAULT, "info_org", "NAME_LOOKALIKE", visible(ident.org), other))
    report = Report(str(path), findings)
    return Entry(
        readable(str(path.relative_to(in_dir))),
        Status.DUPLICATE,
        ident.org,
        ident.year,
        report,
        note=findings[0].message,
    )


class _Names:
    """Output file names, unique in a folder whatever the case: a second 甲.docx becomes 甲（2）.docx."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def take(self, name: str) -> str:
        stem, suffix = name.rsplit(".", 1)
        candidate, n = name, 1
        while candidate.casefold() in self.taken:
            n += 1
            candidate = f"{stem}（{n}）.{suffix}"
        self.taken.add(candidate.casefold())
        return candidate
