"""Recognising the files xlsreport wrote itself, by what is inside them rather than by their name alone.

`collect` passes over them without a word where they stand beside the workbook they were made of: a report
`build` left beside the returned workbooks, its PDF, a page made of it, are not a body's answer and not worth
a 已跳过 line. Our reports anywhere else (last year's, published and gathered for an audit) are read as
published reports; a file of another program with the same extension is read or listed as usual.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

CREATOR = "xlsreport"  # the author our Word template gives every report, and LibreOffice gives its PDF

_DOCX_CREATOR = re.compile(rb"<dc:creator>\s*xlsreport\s*</dc:creator>")
# the PDF information dictionary LibreOffice writes: the author as UTF-16 (hex) or as plain text
_PDF_AUTHOR = re.compile(
    rb"/Author\s*(?:<FEFF%s>|\(xlsreport\))" % CREATOR.encode("utf-16-be").hex().upper().encode()
)
_PAGE = re.compile(rb"<meta\s+name=\"generator\"\s+content=\"xlsreport", re.IGNORECASE)
_TAIL = 16 * 1024  # the information dictionary is written near a PDF's end


def written_by_us(path: Path) -> bool:
    """True for a Word report, its PDF or a page that xlsreport wrote; False for anything else or unreadable."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".docx":
            with zipfile.ZipFile(path) as zf:
                return _DOCX_CREATOR.search(zf.read("docProps/core.xml")) is not None
        if suffix == ".pdf":
            with path.open("rb") as fh:
                fh.seek(max(0, path.stat().st_size - _TAIL))
                return _PDF_AUTHOR.search(fh.read()) is not None
        if suffix in (".html", ".htm"):
            with path.open("rb") as fh:
                return _PAGE.search(fh.read(4096)) is not None
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return False


def left_by_build(path: Path, workbook_suffixes: tuple[str, ...]) -> bool:
    """A report, PDF or page xlsreport wrote beside the workbook of the same name (`build` without -o)."""
    return any(path.with_suffix(s).is_file() for s in workbook_suffixes) and written_by_us(path)
