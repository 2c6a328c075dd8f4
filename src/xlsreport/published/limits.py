"""How much of a published file is read at most, so that a hostile PDF or page cannot hang or exhaust memory."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError
from ..reasons import reason

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    bytes: int = 32 * MiB  # the file; a real report is 0.1–3 MB
    pages: int = 60  # a report runs 5–15 pages
    chars_per_page: int = 20_000  # a dense A4 page holds about 1,500 Chinese characters
    paths_per_page: int = 20_000  # ruling lines and shapes
    nesting: int = 16  # form objects inside form objects (PDF)
    html_nesting: int = 200  # elements inside elements; CMS pages nest 20–40 deep
    cells: int = 20_000  # table cells of a whole document, merged spans counted in full
    docx_part: int = 32 * MiB  # word/document.xml uncompressed, as the zip declares it


LIMITS = Limits()


def too_large(path: str, which: str, **values: object) -> InputError:
    """PUB_TOO_LARGE for the limit named `which` (its reason in reasons.REASONS["PUB_TOO_LARGE"])."""
    return InputError("PUB_TOO_LARGE", path=path, reason=reason("PUB_TOO_LARGE", which, **values))
