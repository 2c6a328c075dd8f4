"""What a county's inbox holds: every file below a folder, and which of one body's files counts.

Links to folders are not followed (a link to a parent would loop for ever), and a folder named like a
workbook (an .xlsx unpacked by an archiver) is an entry of its own, not looked into.

When a body sent two files, the one used is the later by time modified; files of the same time (unpacked
from one archive, copied together) by the time saved inside the workbook (docProps/core.xml, which
Excel, WPS and LibreOffice set when they save); and of the same time saved too, the file name sorting last.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from .wording import KEPT_NAME, KEPT_NEWER, KEPT_SAVED

_SAVED = re.compile(rb"<dcterms:modified[^>]*>([^<]*)</dcterms:modified>")


def walk(folder: Path, workbook_suffixes: tuple[str, ...]) -> Iterator[Path]:
    """Every entry below `folder` that is not a folder to descend into; a folder whose name ends with one
    of `workbook_suffixes` is an entry, not descended into."""
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        named = [d for d in dirs if Path(d).suffix.lower() in workbook_suffixes]
        dirs[:] = sorted(d for d in dirs if d not in named and not (here / d).is_symlink())
        yield from (here / name for name in (*files, *named))


def saved(path: Path) -> str:
    """When the workbook says it was last saved (ISO 8601), or "" when it does not say."""
    try:
        with zipfile.ZipFile(path) as zf:
            found = _SAVED.search(zf.read("docProps/core.xml")[:65536])
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return ""
    return found[1].decode("ascii", "replace").strip() if found else ""


def newest(paths: list[Path]) -> tuple[Path, str]:
    """The file of one body to use, and why over the others ("" when there is only one); see the module."""
    if len(paths) == 1:
        return paths[0], ""
    ages = {p: (p.stat().st_mtime_ns, saved(p), p.name, str(p)) for p in paths}
    best = max(ages, key=ages.__getitem__)
    rest = [ages[p] for p in paths if p != best]
    if all(a[0] < ages[best][0] for a in rest):
        return best, KEPT_NEWER
    if all(a[:2] < ages[best][:2] for a in rest):
        return best, KEPT_SAVED
    return best, KEPT_NAME
