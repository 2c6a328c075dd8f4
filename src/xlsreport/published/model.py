"""What every reader (PDF, Word, web page) makes of a published report: tables of text cells, and paragraphs.

One matcher (match.py) reads the figures from this neutral form, so a PDF, a .docx and a web page are read
by the same rules. A merged cell is one `Cell` object standing at every grid position it covers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field


@dataclass(eq=False)  # compared by identity: a merged cell is the same object in every position
class Cell:
    text: str
    page: int | None = None


@dataclass
class Grid:
    """A table, dense: rows × columns, a merged cell repeated where it spans."""

    rows: list[list[Cell]]
    page: int | None = None


@dataclass(frozen=True)
class Paragraph:
    text: str
    page: int | None = None


Block = Grid | Paragraph


@dataclass
class Source:
    """A published report as read: its blocks in document order."""

    kind: str  # "pdf", "docx", "html"
    blocks: list[Block] = field(default_factory=list)
    pages: int | None = None  # PDFs only
    title: str = ""  # the web page's <title>, the PDF's or document's title property


def distinct(row: list[Cell]) -> list[Cell]:
    """The cells of a dense row, each merged cell once, left to right."""
    out: list[Cell] = []
    for cell in row:
        if not out or out[-1] is not cell:
            out.append(cell)
    return out


# Quotes, brackets, separators and spaces vary from one office to the next (full or half width, 1. or 1、,
# “” or ""); labels are compared without them.
_NOISE = re.compile(r"[\s\u3000.,、，。:：;；\"'“”‘’()（）〔〕\[\]【】《》<>\-—–_·•…/／]+")


def normalise(text: str) -> str:
    """A label as compared: NFKC (full width → half width), without spaces or punctuation."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", text))


_BLANKS = {"", "-", "—", "–", "/", "--", "——", "无"}
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def value_of(text: str) -> int | float | str | None:
    """A printed figure: None for a blank (or a dash), a number, or the text as printed."""
    plain = unicodedata.normalize("NFKC", text)
    plain = re.sub(r"[\s,]+", "", plain)
    if plain in _BLANKS:
        return None
    if _NUMBER.fullmatch(plain):
        number = float(plain)
        return int(number) if number.is_integer() and "." not in plain else number
    return text.strip()


def is_value(text: str) -> bool:
    """A cell that holds a figure or a blank, not a label."""
    return not isinstance(value_of(text), str)


_PAGE_NUMBER = re.compile(
    r"^[\s\-—–－·]*(?:第\s*)?\d{1,3}\s*页?(?:\s*[,，]?\s*共\s*\d{1,3}\s*页|\s*/\s*\d{1,3})?[\s\-—–－·]*$"
)


def is_page_number(text: str) -> bool:
    """A page's number as printed in its footer (-1-, — 1 —, 第1页 共5页, 1/5), not part of the report's text."""
    return bool(_PAGE_NUMBER.match(text))
