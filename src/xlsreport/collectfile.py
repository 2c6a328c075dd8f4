"""What collect's worker processes do to one file: who sent it (pass 1), then its check and outputs (pass 2)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import api
from .errors import InputError, OutputError, XlsreportError
from .feedback import feedback_workbook
from .findings import Finding, Report
from .formats import newest, values_in
from .identity import DAMAGED_IDENTITY
from .outputs import atomic_output
from .previous import PreviousIndex, last_values
from .published import Published, is_published, read_published, read_report, relocate
from .reader import RawWorkbook, read_identity
from .reasons import os_reason
from .render import render_docx
from .rules import Number
from .validate import Checked
from .webpage import render_html


# ---------------------------------------------------------------- pass 1: who sent what
@dataclass(frozen=True)
class Identity:
    org: str = ""
    year: int | None = None
    error: Report | None = None  # the file cannot be read as our workbook
    skipped: str = ""  # a PDF, Word file or web page that is not a published report we can read: the code why
    read: Published | None = None  # a published report, read whole to learn who sent it: not read twice


def identify(path: Path) -> Identity:
    if is_published(path):  # read if it is a published report; a notice or a scan beside them is skipped
        try:
            published = read_published(path)
        except InputError as exc:
            return Identity(skipped=exc.code)
        return Identity(published.identity["org"], int(published.identity["year"]), read=published)
    try:
        ident = read_identity(path)
        return Identity(ident["org"], int(ident["year"]))
    except (KeyError, ValueError):
        err = InputError("NOT_TEMPLATE", path=str(path), reason=DAMAGED_IDENTITY)
        return Identity(error=api.unreadable_report(path, err))
    except XlsreportError as exc:
        return Identity(error=api.unreadable_report(path, exc))


# ---------------------------------------------------------------- pass 2: check and write
@dataclass(frozen=True)
class Task:
    path: Path
    extra: tuple[Finding, ...]  # collect's own findings about this file (year, roster)
    report_out: Path
    feedback_out: Path
    page_out: Path | None = None  # the web page beside the report, with html=True
    read: RawWorkbook | None = None  # the file as pass 1 read it (Identity.read), or None: read it here


@dataclass(frozen=True)
class Options:
    previous: Path | None
    template: Path | None
    others: tuple[str, ...]  # every body's name, sent to each worker once rather than with every file


@dataclass
class Done:
    report: Report
    outputs: list[Path]
    note: str = ""
    # the body's values and last year's, keyed as in the newest version of the format (`summed`)
    values: dict[str, Number] | None = None
    last_values: dict[str, Number] | None = None
    unwritten: bool = False  # checked, but its output could not be written (note says why)


class Worker:
    """What a worker process keeps between files: last year's workbooks, read once."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.previous = PreviousIndex.load(options.previous) if options.previous else None

    def run(self, task: Task) -> Done:
        try:
            raw = task.read if task.read is not None else read_report(task.path)
            checked = api.check_read(raw, self.previous, None, self.options.others)
        except XlsreportError as exc:
            return Done(api.unreadable_report(task.path, exc), [])
        report = checked.report
        report.findings.extend(relocate(raw, list(task.extra)) if isinstance(raw, Published) else task.extra)
        prior = self.previous.checked(checked.org, checked.year - 1) if self.previous is not None else None
        values, last = summed(checked, prior)
        if isinstance(raw, Published):  # an audit of what was published: no report or feedback to write
            return Done(report, [], values=values if report.ok else None, last_values=last)
        try:
            if report.ok:
                fmt = checked.fmt
                with atomic_output(task.report_out, True) as fh:  # claimed by the run: see OutputFolder
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
                    with atomic_output(task.page_out, True) as fh:
                        fh.write(render_html(fmt, checked.org, checked.year, checked.values, checked.texts))
                    outputs.append(task.page_out)
                return Done(report, outputs, values=values, last_values=last)
            with atomic_output(task.feedback_out, True) as fh:
                fh.write(feedback_workbook(checked, report.findings))
        except XlsreportError as exc:  # a full disk, a folder gone, a template failing on this body's data
            return Done(report, [], note=exc.message, last_values=last, unwritten=True)
        except OSError as exc:
            error = OutputError("OUTPUT_UNWRITABLE", path=str(task.report_out.parent), reason=os_reason(exc))
            return Done(report, [], note=error.message, last_values=last, unwritten=True)
        return Done(report, [task.feedback_out], last_values=last)


def summed(checked: Checked, prior: Checked | None) -> tuple[dict[str, Number], dict[str, Number] | None]:
    """A body's values and its last year's (`prior`, or None), keyed as in the newest version of its format:
    what 汇总 sums and compares year on year, whatever version each workbook was made with. Its report is
    built with the version it was made with, as `build` builds it."""
    fmt = newest(checked.fmt)
    return values_in(checked.values, checked.fmt, fmt), None if prior is None else last_values(prior, fmt)


_WORKER: Worker | None = None  # one per worker process, set by its initializer


def init_worker(options: Options) -> None:
    global _WORKER
    _WORKER = Worker(options)


def run_task(task: Task) -> Done:
    assert _WORKER is not None
    return _WORKER.run(task)
