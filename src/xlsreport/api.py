"""What users call, from Python or through the CLI: blank, check, build, export, fill, schema, demo.

Each is thin: what it checks or makes lives in a module of its own (checking, filldata, describe, pdfprint,
filenames, samples, published, render, workbook), named here so a caller finds everything in one place.

Every file written here is written atomically (a temporary file in the same folder, then renamed), so an
interrupted run never leaves half a workbook or document behind, and an input file is only ever read.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import office
from .checking import check_files as check_files
from .checking import check_read as check_read
from .checking import unreadable_report as unreadable_report
from .describe import schema as schema
from .errors import InputError, XlsreportError
from .filenames import safe_name
from .filldata import fill_data
from .findings import Finding, Report
from .formats import DEFAULT
from .generated import auto_summary as summarise
from .guard import regular
from .outfolder import OutputFolder
from .outputs import atomic_output, check_target, keep_apart
from .pdfprint import font_notices as font_notices
from .pdfprint import print_pdf
from .places import Province, find_province
from .previous import PreviousIndex, carry_over
from .published import document, is_published, read_published, read_report
from .reasons import reason
from .roster import read_roster
from .rules import compute
from .samples import LAST_YEAR, SEED, sample_files, sample_name
from .samples import roster_text as roster_text
from .spec import Format
from .validate import Checked
from .wording import (
    BLANK_NAME,
    DEMO_BLANK,
    DEMO_LAST_YEAR,
    DEMO_REPORT,
    DEMO_RETURNED,
    GENERATED_NOTE,
)


# ---------------------------------------------------------------- blank
def blank(
    org: str,
    year: int,
    out: Path,
    *,
    overwrite: bool = False,
    fmt: Format = DEFAULT,
    previous: Path | PreviousIndex | None = None,
) -> Path:
    """Write the locked blank workbook for one body.

    With `previous` (last year's returned workbooks: a folder or a file), 二、上年结转 is pre-filled from
    last year's 四、结转下年度继续办理 and locked, and last year's 现行有效件数 is shown beside this year's;
    raises PREVIOUS_NOT_FOUND when last year's workbook of the body is not there.
    """
    org = org.strip()
    if not org:
        raise XlsreportError("USAGE", reason=reason("USAGE", "no_org"))
    keep_apart([previous if isinstance(previous, Path | str) else None], [out])
    check_target(Path(out), overwrite)
    extra: dict = {}
    if previous is not None:
        index = previous if isinstance(previous, PreviousIndex) else PreviousIndex.load(Path(previous))
        last = index.checked(org, year - 1)
        if last is None:
            raise InputError("PREVIOUS_NOT_FOUND", path=str(index.source), org=org, year=year - 1)
        carried = carry_over(last)
        extra = {
            "fields": carried.fields,
            "locked": set(carried.fields),
            "notes": carried.notes,
            "beside_notes": carried.beside,
        }
    from .workbook import write_workbook  # xlsxwriter only where a workbook is written: check starts faster

    with atomic_output(out, overwrite) as fh:
        write_workbook(fh, fmt, org, year, **extra)
    return Path(out)


def blank_name(org: str, year: int) -> str:
    return BLANK_NAME.format(org=safe_name(org), year=year)


def blank_roster(
    roster: Path,
    year: int,
    out_dir: Path,
    *,
    overwrite: bool = False,
    fmt: Format = DEFAULT,
    previous: Path | None = None,
    on_missing: Callable[[InputError], None] | None = None,
) -> list[Path]:
    """One blank workbook per body on the roster, in `out_dir`, named after the body.

    With `previous`, a body whose last year's workbook is missing still gets a blank workbook (not
    pre-filled), and `on_missing` is told (PREVIOUS_NOT_FOUND) instead of the run stopping.
    """
    keep_apart([roster, previous], [out_dir])
    orgs = read_roster(Path(roster))
    seen: dict[str, str] = {}
    for org in orgs:  # "a/b" and "a:b" make the same file name; case differs not on Windows
        other = seen.setdefault(blank_name(org, year).casefold(), org)
        if other != org:
            why = reason("ROSTER_INVALID", "same_file_name", other=other, org=org, name=blank_name(org, year))
            raise InputError("ROSTER_INVALID", path=str(roster), reason=why)
    outs = [Path(out_dir) / blank_name(org, year) for org in orgs]
    keep_apart([roster], outs)
    index = PreviousIndex.load(Path(previous)) if previous is not None else None
    written = []
    with OutputFolder(Path(out_dir), overwrite) as folder:
        folder.claim(outs)
        for org, out in zip(orgs, outs, strict=True):
            try:
                written.append(blank(org, year, out, overwrite=True, fmt=fmt, previous=index))
            except InputError as exc:
                if exc.code != "PREVIOUS_NOT_FOUND":
                    raise
                if on_missing is not None:
                    on_missing(exc)
                written.append(blank(org, year, out, overwrite=True, fmt=fmt))
    return written


# ---------------------------------------------------------------- check
def province_option(name: str | None) -> Province | None:
    """The province given with --province (黑龙江省 or 黑龙江), or None when not given."""
    if name is None:
        return None
    found = find_province(name)
    if found is None:
        raise XlsreportError("USAGE", reason=reason("USAGE", "province", name=name))
    return found


def check(
    path: Path,
    *,
    previous: Path | PreviousIndex | None = None,
    province: Province | None = None,
    others: tuple[str, ...] = (),
) -> Checked:
    """Read and validate one returned workbook, or a published report (PDF, .docx, .html/.htm).

    Raises InputError when it is not our workbook at all, or a published report that cannot be read exactly.

    `previous`: last year's workbooks (folder or file) for the checks across years; `province`: the body's
    (default: derived from its name); `others`: other bodies' names the text should not contain.
    """
    return check_read(read_report(Path(path)), previous, province, others)


# ---------------------------------------------------------------- build
@dataclass(frozen=True)
class Built:
    document: Path
    checked: Checked
    draft: bool
    pdf: Path | None = None  # beside the document, with `pdf=True`
    notices: tuple[Finding, ...] = ()  # about the PDF: fonts LibreOffice substitutes or could not check
    page: Path | None = None  # the web page beside the document, with `html=True`


def build(
    path: Path,
    out: Path | None = None,
    *,
    template: Path | None = None,
    force: bool = False,
    overwrite: bool = False,
    auto_summary: bool = False,
    previous: Path | None = None,
    province: Province | None = None,
    pdf: bool = False,
    pdf_timeout: float = office.PDF_TIMEOUT,
    html: bool = False,
) -> Built:
    """The Word report of one workbook; refused when the workbook has errors unless `force` (then a draft).

    `auto_summary`: add the paragraphs generated from 表三 (generated.py), marked and highlighted.
    `pdf`: also write the PDF beside the document (same name, .pdf) through LibreOffice; both files are
    written only once both were made, and the fonts LibreOffice substitutes come back as `notices`.
    `html`: also write the report as a web page beside the document (same name, .html; webpage.py).
    """
    from .render import check_template, render_docx  # python-docx only where a document is made
    from .webpage import render_html

    out = Path(out) if out else Path(path).with_suffix(".docx")
    pdf_out = out.with_suffix(".pdf") if pdf else None
    page_out = out.with_suffix(".html") if html else None
    keep_apart([path, template, previous], [out, pdf_out, page_out])
    if template is not None:
        regular(Path(template))  # a FIFO or a folder is answered here, never opened
    checked = check(path, previous=previous, province=province)
    check_template(template, checked.fmt)
    if not checked.report.ok and not force:
        raise BuildRefused(checked)
    # before the work, so a refused PDF does not leave a document behind
    for target in (out, pdf_out, page_out):
        if target is not None:
            check_target(target, overwrite)
    if pdf and office.soffice() is None:
        raise XlsreportError("OFFICE_MISSING")
    draft = not checked.report.ok
    texts = checked.texts
    if auto_summary:
        texts = summarise(checked.fmt, checked.values, texts, checked.year)
    buf = io.BytesIO()
    render_docx(checked.fmt, checked.org, checked.year, checked.values, texts, buf, template, draft)
    document = buf.getvalue()
    printed, notices = None, ()
    if pdf:
        printed, notices = print_pdf(document, pdf_timeout)
    with atomic_output(
        out, overwrite
    ) as fh:  # renamed into place only once the PDF and page were written too
        fh.write(document)
        if pdf_out is not None:
            with atomic_output(pdf_out, overwrite) as fp:
                fp.write(printed)
        if page_out is not None:
            with atomic_output(page_out, overwrite) as fp:
                fp.write(render_html(checked.fmt, checked.org, checked.year, checked.values, texts, draft))
    return Built(out, checked, draft, pdf_out, notices, page_out)


class BuildRefused(XlsreportError):
    """`build` refused a workbook with errors: carries the check so the caller can list them."""

    exit_code = 1

    def __init__(self, checked: Checked) -> None:
        super().__init__("BUILD_HAS_ERRORS", path=checked.report.file, count=checked.report.errors)
        self.checked = checked


# ---------------------------------------------------------------- export / fill
def export(path: Path, out: Path | None = None, *, overwrite: bool = False) -> dict:
    """The workbook's data keyed by field key, with the outcome of its check; also written to `out` as JSON."""
    if out is not None:
        keep_apart([path], [out])
        check_target(Path(out), overwrite)
    c = check(path)
    report = c.report
    data = {
        "format": c.fmt.id,
        "version": c.fmt.version,
        "check": {"ok": report.ok, "errors": report.errors, "warnings": report.warnings},
        "fields": c.fields(),
    }
    if out is not None:
        with atomic_output(Path(out), overwrite) as fh:
            fh.write(json.dumps(data, ensure_ascii=False, indent=1).encode() + b"\n")
    return data


def import_report(
    path: Path,
    out: Path | None = None,
    *,
    overwrite: bool = False,
    previous: Path | PreviousIndex | None = None,
) -> dict:
    """A published report (PDF, .docx, .html/.htm) as `export`'s JSON: fields by key, totals as printed.

    Also its body, year, source file, the page of each figure, the text before 一、总体情况 and the findings
    of its check (with `previous`, against last year's reports or workbooks too); written to `out` if given.
    """
    if not is_published(Path(path)):
        raise InputError("PUB_UNSUPPORTED", path=str(path), reason=reason("PUB_UNSUPPORTED", "suffix"))
    if out is not None:
        keep_apart([path, previous], [out])
        check_target(Path(out), overwrite)
    raw = read_published(Path(path))
    data = document(raw, check_read(raw, previous))
    if out is not None:
        with atomic_output(Path(out), overwrite) as fh:
            fh.write((json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    return data


def fill(data: Path | dict, out: Path, *, overwrite: bool = False, auto_summary: bool = False) -> Path:
    """Write data keyed by field key (as `export` prints it) into a fresh locked workbook.

    `auto_summary`: add the paragraphs generated from 表三, marked, with a comment on their cells.
    """
    keep_apart([data if isinstance(data, Path | str) else None], [out])
    given = fill_data(data)
    fmt, org, year, fields = given.fmt, given.org, given.year, given.fields
    inputs = {k: v for k, v in fields.items() if not fmt.fields[k].computed and not fmt.fields[k].locked}
    notes: dict[str, str] = {}
    if auto_summary:
        numbers = {
            k: v for k, v in inputs.items() if isinstance(v, int | float) and fmt.fields[k].table != "text"
        }
        texts = {p.key: inputs.get(f"text_{p.key}") or "" for p in fmt.parts}
        generated = summarise(fmt, compute(fmt, numbers), texts, year)
        for key, text in generated.items():
            if text != texts[key]:
                inputs[f"text_{key}"] = text
                notes[f"text_{key}"] = GENERATED_NOTE
    from .workbook import write_workbook

    with atomic_output(out, overwrite) as fh:
        write_workbook(fh, fmt, org, year, inputs, notes=notes)
    return Path(out)


# ---------------------------------------------------------------- demo
@dataclass(frozen=True)
class DemoRun:
    """What `demo` checked: the reports of `check_files(checked, previous=previous)`, that call's own."""

    reports: list[Report]
    checked: list[Path]
    previous: Path


def demo(out_dir: Path, progress: Callable[[str, Path], None] = lambda what, path: None) -> DemoRun:
    """The whole loop on the bundled samples: a blank workbook, the returned ones, their checks, the seed report."""
    out_dir = Path(out_dir)
    seed = json.loads(dict(sample_files())[SEED])["fields"]
    blank_book = out_dir / f"{DEMO_BLANK}.xlsx"
    progress(DEMO_BLANK, blank(seed["info_org"], seed["info_year"], blank_book, overwrite=True))
    returned = []
    for name, data in sample_files():
        path = fill(json.loads(data), out_dir / "returned" / sample_name(name), overwrite=True)
        progress(DEMO_RETURNED, path)
        returned.append(path)
    last_year = out_dir / "returned" / LAST_YEAR
    for name, data in sample_files(LAST_YEAR):
        progress(DEMO_LAST_YEAR, fill(json.loads(data), last_year / sample_name(name), overwrite=True))
    reports = check_files(returned, previous=last_year)
    seed_book = out_dir / "returned" / sample_name(SEED)
    title = DEFAULT.title(seed["info_org"], seed["info_year"])
    doc = build(seed_book, out_dir / f"{safe_name(title)}.docx", overwrite=True)
    progress(DEMO_REPORT, doc.document)
    return DemoRun(reports, returned, last_year)
