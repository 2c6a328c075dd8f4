"""Read a published report (PDF, .docx, web page) into the shape `check` reads a workbook in.

`read_published` gives a `Published`: a `RawWorkbook` whose cells are the printed figures (totals as printed,
so the rules test them) and the narrative by section, plus the page of each figure and what reading found.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..findings import Finding
from ..formats import DEFAULT
from ..guard import Package
from ..layout import layout_of
from ..reader import RawWorkbook, read_workbook
from ..reasons import reason
from ..spec import Format
from ..wording import NO_SUFFIX
from .limits import LIMITS, MiB, too_large
from .match import match
from .model import Grid, Paragraph, Source
from .sections import narrative

SUFFIXES = (".pdf", ".docx", ".html", ".htm")
_OLE = b"\xd0\xcf\x11\xe0"  # old .doc, and a password-protected .docx


def is_published(path: Path) -> bool:
    """Whether `path` is read as a published report (by its extension) rather than as a workbook."""
    return Path(path).suffix.lower() in SUFFIXES


@dataclass(frozen=True)
class Published(RawWorkbook):
    kind: str = ""  # "pdf", "docx", "html"
    page_count: int | None = None
    pages: dict[str, int] = field(default_factory=dict)  # field key -> page it is printed on
    reading: tuple[Finding, ...] = ()  # what reading found: misprinted labels, a one-row group, rows missing
    merged: frozenset[str] = frozenset()  # fields printed as part of one row (（六） in the 2019 layout)
    preamble: str = ""  # the text between the title and 一、总体情况


def read_source(path: Path) -> Source:
    """The file's tables and paragraphs, or InputError with the reason it cannot be read."""
    path, shown = Path(path), str(path)
    if not path.is_file():
        raise InputError("FILE_NOT_FOUND", path=shown)
    size = path.stat().st_size
    if size > LIMITS.bytes:
        raise too_large(shown, "bytes", n=size // MiB, limit=LIMITS.bytes // MiB)
    with path.open("rb") as fh:
        data = fh.read()
    try:
        return _read(path, data)
    except InputError:
        raise
    except Exception as exc:  # the parsers raise many types for a damaged file; all mean the same to the user
        raise InputError("PUB_DAMAGED", path=shown, reason=reason("PUB_DAMAGED", "unparsable")) from exc


def _read(path: Path, data: bytes) -> Source:
    # each kind's library (pypdfium2, python-docx, lxml) is loaded only for a file of that kind
    from .pdf import read_pdf
    from .web import read_html
    from .word import read_docx

    shown, suffix = str(path), path.suffix.lower()
    if data.startswith(b"%PDF") or (suffix == ".pdf" and b"%PDF" in data[:1024]):
        return read_pdf(path)
    if suffix == ".pdf":
        raise InputError("PUB_DAMAGED", path=shown, reason=reason("PUB_DAMAGED", "not_pdf"))
    if data.startswith(_OLE):
        if suffix == ".docx":
            raise InputError("PUB_ENCRYPTED", path=shown)
        raise InputError("PUB_UNSUPPORTED", path=shown, reason=reason("PUB_UNSUPPORTED", "old_doc"))
    if data.startswith(b"PK"):
        return read_docx(path)
    if suffix == ".docx":
        raise InputError("PUB_DAMAGED", path=shown, reason=reason("PUB_DAMAGED", "not_docx"))
    if suffix in (".html", ".htm"):
        return read_html(path, data)
    raise InputError(
        "PUB_UNSUPPORTED", path=shown, reason=reason("PUB_UNSUPPORTED", "other", suffix=suffix or NO_SUFFIX)
    )


def read_published(path: Path, fmt: Format = DEFAULT) -> Published:
    """A published report read into the format's fields; raises InputError when it cannot be read exactly."""
    shown = str(path)
    source = read_source(Path(path))
    grids = [b for b in source.blocks if isinstance(b, Grid)]
    if not grids:
        raise InputError("PUB_NO_TABLES", path=shown, reason=reason("PUB_NO_TABLES", "none"))
    matched = match(fmt, grids, shown)
    story = narrative(fmt, [b for b in source.blocks if isinstance(b, Paragraph)], source.title)
    if not story.org or story.year is None:
        raise InputError("PUB_NO_TITLE", path=shown, year="")
    cells: dict[str, object] = {f.key: matched.cells.get(f.key) for f in fmt.table_fields}
    cells |= dict.fromkeys(matched.merged, 0)  # their figures stand in the row printed for them all
    cells |= {f"text_{k}": v for k, v in story.texts.items()}
    cells |= {f.key: None for f in fmt.info_fields}
    cells |= {"info_org": story.org, "info_year": story.year}
    lay = layout_of(fmt)
    labels = {(lbl.span.sheet, lbl.span.row, lbl.span.col): lbl.text.strip() for lbl in lay.labels}
    return Published(
        path=shown,
        fmt=fmt,
        identity={"org": story.org, "year": str(story.year)},
        cells=cells,
        labels=labels,
        package=Package((), False, None),
        kind=source.kind,
        page_count=source.pages,
        pages=matched.pages | {f"text_{k}": page for k, page in story.pages.items()},
        reading=tuple(matched.findings),
        preamble=story.preamble,
        merged=frozenset(matched.merged),
    )


def read_report(path: Path) -> RawWorkbook:
    """A returned workbook, or a published report (by its extension) read into the same shape."""
    return read_published(path) if is_published(path) else read_workbook(path)
