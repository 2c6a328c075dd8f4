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
full check and the outputs. One bad file never stops the run.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from . import api
from .errors import FATAL, InputError, OutputError, XlsreportError, os_reason, readable
from .feedback import feedback_workbook
from .filenames import safe_name
from .findings import Finding, Report
from .formats import DEFAULT
from .guard import regular
from .inbox import newest, walk
from .layout import layout_of
from .narrative import FROM_BATCH, FROM_ROSTER
from .outputs import OutputFolder, keep_apart
from .ownfiles import left_by_build
from .places import normalise_name, visible
from .previous import PreviousIndex
from .published import SUFFIXES as PUBLISHED
from .published import Published, is_published, read_published, read_report, relocate
from .reader import DAMAGED_IDENTITY, read_identity
from .render import check_template, render_docx
from .roster import read_roster
from .rules import Number
from .stopping import as_worker, end_processes
from .webpage import render_html

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
# Spreadsheets in another format are a body's answer in the wrong form: read (and refused with their
# reason, FILE_OTHER_FORMAT) so that the body is told, not skipped.
OTHER_SPREADSHEETS = (".xls", ".et", ".ods", ".xlsb")

# Wording of this module, in one place.
REPORTS_DIR, FEEDBACK_DIR = "报告", "退回修改"
SUMMARY_NAME, FINDINGS_NAME = "汇总.xlsx", "findings.json"
FEEDBACK_SUFFIX = "_校验意见.xlsx"
SKIP_LOCK = "Excel或WPS打开文件时生成的临时文件（~$），已跳过"
SKIP_HIDDEN = "隐藏文件或临时文件，已跳过"
SKIP_OTHER = "不是Excel工作簿（{suffix}），已跳过"
SKIP_PUBLISHED = "不是可以读取的已公开年度报告（{reason}，{code}），已跳过"
NOTE_MISSING = "名单上的机关，尚未报送"
LISTED = "名单上的“{name}”"
KEPT_NAME_AS = "{file} 中的“{name}”"


class Status(StrEnum):
    PASSED = "通过"
    ERRORS = "有错误"
    UNREADABLE = "无法读取"
    UNWRITTEN = "未能写出"
    DUPLICATE = "重复（已忽略）"
    SKIPPED = "已跳过"
    MISSING = "未报送"


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
    values: dict[str, Number] | None = None  # the table values of a body that passed
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


Progress = Callable[[str, int, int], None]  # (stage, done, total)


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
            entries.append(Entry(shown, Status.SKIPPED, note=SKIP_OTHER.format(suffix=suffix or "无扩展名")))
    return books, entries


# ---------------------------------------------------------------- pass 1: who sent what
@dataclass(frozen=True)
class _Identity:
    org: str = ""
    year: int | None = None
    error: Report | None = None  # the file cannot be read as our workbook
    skipped: str = ""  # a PDF, Word file or web page that is not a published report we can read: why


def _identify(path: Path) -> _Identity:
    if is_published(path):  # read if it is a published report; a notice or a scan beside them is skipped
        try:
            ident = read_published(path).identity
        except InputError as exc:
            return _Identity(skipped=SKIP_PUBLISHED.format(reason=FATAL[exc.code].summary, code=exc.code))
        return _Identity(ident["org"], int(ident["year"]))
    try:
        ident = read_identity(path)
        return _Identity(ident["org"], int(ident["year"]))
    except (KeyError, ValueError):
        err = InputError("NOT_TEMPLATE", path=str(path), reason=DAMAGED_IDENTITY)
        return _Identity(error=api.unreadable_report(path, err))
    except XlsreportError as exc:
        return _Identity(error=api.unreadable_report(path, exc))


# ---------------------------------------------------------------- pass 2: check and write
@dataclass(frozen=True)
class _Task:
    path: Path
    extra: tuple[Finding, ...]  # collect's own findings about this file (year, roster)
    report_out: Path
    feedback_out: Path
    page_out: Path | None = None  # the web page beside the report, with html=True


@dataclass(frozen=True)
class _Options:
    previous: Path | None
    template: Path | None
    others: tuple[str, ...]  # every body's name, sent to each worker once rather than with every file


@dataclass
class _Done:
    report: Report
    outputs: list[Path]
    note: str = ""
    values: dict[str, Number] | None = None
    last_values: dict[str, Number] | None = None
    unwritten: bool = False  # checked, but its output could not be written (note says why)


class _Worker:
    """What a worker process keeps between files: last year's workbooks, read once."""

    def __init__(self, options: _Options) -> None:
        self.options = options
        self.previous = PreviousIndex.load(options.previous) if options.previous else None

    def run(self, task: _Task) -> _Done:
        try:
            raw = read_report(task.path)
            checked = api.check_read(raw, self.previous, None, self.options.others)
        except XlsreportError as exc:
            return _Done(api.unreadable_report(task.path, exc), [])
        report = checked.report
        report.findings.extend(relocate(raw, list(task.extra)) if isinstance(raw, Published) else task.extra)
        last = None
        if self.previous is not None:
            prior = self.previous.checked(checked.org, checked.year - 1)
            last = prior.values if prior is not None else None
        if isinstance(raw, Published):  # an audit of what was published: no report or feedback to write
            return _Done(report, [], values=checked.values if report.ok else None, last_values=last)
        try:
            if report.ok:
                fmt = checked.fmt
                with api.atomic_output(task.report_out, True) as fh:  # claimed by the run: see OutputFolder
                    render_docx(
                        fmt,
                        checked.org,
                        checked.year,
                        checked.values,
                        checked.texts,
                        fh,
                        self.options.template,
                    )
                outputs = [task.report_out]
                if task.page_out is not None:
                    with api.atomic_output(task.page_out, True) as fh:
                        fh.write(render_html(fmt, checked.org, checked.year, checked.values, checked.texts))
                    outputs.append(task.page_out)
                return _Done(report, outputs, values=checked.values, last_values=last)
            with api.atomic_output(task.feedback_out, True) as fh:
                fh.write(feedback_workbook(checked, report.findings))
        except XlsreportError as exc:  # a full disk, a folder gone, a template failing on this body's data
            return _Done(report, [], note=exc.message, last_values=last, unwritten=True)
        except OSError as exc:
            error = OutputError("OUTPUT_UNWRITABLE", path=str(task.report_out.parent), reason=os_reason(exc))
            return _Done(report, [], note=error.message, last_values=last, unwritten=True)
        return _Done(report, [task.feedback_out], last_values=last)


_WORKER: _Worker | None = None  # one per worker process, set by its initializer


def _init_worker(options: _Options) -> None:
    global _WORKER
    _WORKER = _Worker(options)


def _init_process(options: _Options | None) -> None:
    """A worker process: signals left to the parent (stopping.py), then what its work needs."""
    as_worker()
    if options is not None:
        _init_worker(options)


def _run_in_worker(task: _Task) -> _Done:
    assert _WORKER is not None
    return _WORKER.run(task)


def _map(fn, items: list, jobs: int, stage: str, progress: Progress, options: _Options | None = None):
    """fn over items, in order, on `jobs` processes (in this one for 1), telling `progress` as each ends."""
    total, results = len(items), []
    progress(stage, 0, total)
    if jobs <= 1 or total <= 1:
        if options is not None:
            _init_worker(options)
        for i, item in enumerate(items, start=1):
            results.append(fn(item))
            progress(stage, i, total)
        return results
    size = max(1, min(16, total // (jobs * 8)))
    pool = ProcessPoolExecutor(max_workers=min(jobs, total), initializer=_init_process, initargs=(options,))
    # submitted chunk by chunk rather than by pool.map, whose clean-up cancels the futures a stopped pool
    # then fails (Python 3.11: InvalidStateError printed from the pool's thread)
    futures = [pool.submit(_each, fn, items[i : i + size]) for i in range(0, total, size)]
    try:
        for future in futures:
            results += future.result()
            progress(stage, len(results), total)
    except BaseException:  # stopped, or this process failing: no worker outlives the run
        end_processes(list(pool._processes.values()))  # Python 3.14: pool.terminate_workers()
        raise
    finally:
        pool.shutdown()
    return results


def _each(fn, chunk: list) -> list:
    return [fn(item) for item in chunk]


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
    check_template(template, DEFAULT)
    jobs = max(1, jobs or os.cpu_count() or 1)

    books, entries = discover(in_dir)
    ids = _map(_identify, books, jobs, "识别", progress)
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
            entries.append(Entry(shown, Status.SKIPPED, note=ident.skipped))
            continue
        key = normalise_name(ident.org)
        if ident.year == year and kept[key][0] != p:
            entries.append(_duplicate(p, ident, *kept[key], known, in_dir))
            continue
        extra = []
        if ident.year != year:
            extra.append(_finding("COLLECT_YEAR", "info_year", ident.year, year))
        if on_roster is not None and key not in on_roster:
            extra.append(_finding("COLLECT_NOT_ON_ROSTER", "info_org", ident.org, str(roster)))
        elif on_roster is not None and ident.org.strip() != on_roster[key]:
            listed = LISTED.format(name=visible(on_roster[key]))
            extra.append(_finding("NAME_LOOKALIKE", "info_org", visible(ident.org), listed))
        title = DEFAULT.title(ident.org, ident.year)
        report_out = out_dir / REPORTS_DIR / names.take(f"{safe_name(title)}.docx")
        tasks.append(
            _Task(
                p,
                tuple(extra),
                report_out,
                out_dir / FEEDBACK_DIR / names.take(f"{safe_name(ident.org)}{FEEDBACK_SUFFIX}"),
                report_out.with_suffix(".html") if html else None,
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
        options = _Options(Path(previous) if previous else None, template, others)
        done = _map(_run_in_worker, tasks, jobs, "校验", progress, options)
        for entry, result in zip(task_entries, done, strict=True):
            entry.report, entry.note = result.report, result.note
            entry.outputs = [str(o.relative_to(out_dir)) for o in result.outputs]
            entry.values, entry.last_values = result.values, result.last_values
            if any(f.code in FATAL for f in result.report.findings):
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

        result = Collected(in_dir, out_dir, year, entries, summary, findings_path, removed)
        reports = [e.report.to_dict() for e in entries if e.report is not None]
        with api.atomic_output(findings_path, True) as fh:
            fh.write(json.dumps(reports, ensure_ascii=False, indent=1).encode())
        from .county import write_summary  # county.py builds on this module's entries

        with api.atomic_output(summary, True) as fh:
            write_summary(fh, result, previous is not None)
    return result


# ---------------------------------------------------------------- the same body twice
def _kept(known: Mapping[Path, _Identity], year: int | None) -> dict[str, tuple[Path, str]]:
    """The file used for each body of `year` (inbox.newest), and why it was preferred over the others."""
    groups: dict[str, list[Path]] = {}
    for p, i in known.items():
        if i.year == year:
            groups.setdefault(normalise_name(i.org), []).append(p)
    return {key: newest(paths) for key, paths in groups.items()}


def _duplicate(
    path: Path, ident: _Identity, kept: Path, why: str, known: Mapping[Path, _Identity], in_dir: Path
) -> Entry:
    """The status row of a file not used because its body sent another (`kept`)."""
    shown = readable(str(kept.relative_to(in_dir)))
    findings = [_finding("COLLECT_DUPLICATE", "info_org", ident.org, f"{shown}（{why}）")]
    if ident.org.strip() != known[kept].org.strip():
        other = KEPT_NAME_AS.format(file=shown, name=visible(known[kept].org))
        findings.append(_finding("NAME_LOOKALIKE", "info_org", visible(ident.org), other))
    report = Report(str(path), findings)
    return Entry(
        readable(str(path.relative_to(in_dir))),
        Status.DUPLICATE,
        ident.org,
        ident.year,
        report,
        note=findings[0].message,
    )


def _finding(code: str, key: str, found: object, expected: object) -> Finding:
    f, span = DEFAULT.fields[key], layout_of(DEFAULT).cells[key]
    return Finding.make(code, span.sheet, span.a1, f.row, f.column, found, expected)


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
