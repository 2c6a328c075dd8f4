"""The report's title broken where a person would break it.

Published reports put the body's name on one line and “2024年政府信息公开工作年度报告” on the next; a name
too long for one line is broken between its words (宝清县 / 小城子镇 / 人民政府), never inside one. Chinese
has no spaces, so the words of a body's name are found by its administrative units: a place ends in 省、市、
县、区、镇、乡、街道…, and the body's own name follows (人民政府办公室, 市场监督管理局).
"""

from __future__ import annotations

import re
import unicodedata

from .spec import Format

# A place: a few characters ending in the name of an administrative unit, unless that character begins a
# word with the next one (市场, 县委, 区域, 县级, 市政 …).
_PLACE = re.compile(
    r".{1,9}?(?:特别行政区|自治区|自治州|自治县|自治旗|省|市|州|盟|地区|县|旗|区|镇|乡|苏木|街道办事处|街道)"
    r"(?![委级场直属域政])"
)
# After the places: the body's name, broken after these words when more follows (人民政府 / 办公室).
_BODY_BREAK = re.compile(r"(?:(?<=人民政府)|(?<=委员会)|(?<=办公室))(?=.)")


def name_words(org: str) -> list[str]:
    """The words of a body's name a title may be broken between: 宝清县小城子镇人民政府 → 宝清县, 小城子镇, 人民政府."""
    words, rest = [], org.strip()
    while (m := _PLACE.match(rest)) and m.end() < len(rest):
        words.append(m[0])
        rest = rest[m.end() :]
    return [*words, *(w for w in _BODY_BREAK.split(rest) if w)]


def width(text: str) -> float:
    """How wide `text` sets, in ems: a Chinese character or full-width form is 1, anything else about ½."""
    return sum(1 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in text)


def lines_of(words: list[str], per_line: float) -> list[str]:
    """`words` on the fewest lines no wider than `per_line` ems, as evenly as can be; a word wider than a
    line is cut (there is no other place to break it)."""
    pieces = []
    for w in words:
        while width(w) > per_line:
            cut = max(i for i in range(1, len(w) + 1) if width(w[:i]) <= per_line)
            pieces.append(w[:cut])
            w = w[cut:]
        pieces.append(w)
    if not pieces:
        return []
    fewest = len(_filled(pieces, per_line))
    # the narrowest measure that still needs no more lines balances them: 9 + 9 rather than 16 + 2
    narrowest = max(map(width, pieces))
    measures = [narrowest + k / 2 for k in range(int((per_line - narrowest) * 2) + 1)]
    measure = next((m for m in measures if len(_filled(pieces, m)) == fewest), per_line)
    return _filled(pieces, measure)


def _filled(pieces: list[str], measure: float) -> list[str]:
    """Pieces on lines, each line filled up to `measure` ems before the next begins."""
    lines = [pieces[0]]
    for piece in pieces[1:]:
        if width(lines[-1] + piece) > measure:
            lines.append(piece)
        else:
            lines[-1] += piece
    return lines


def title_lines(fmt: Format, org: str, year: int, per_line: float) -> list[str]:
    """The title of `org`'s report for `year` in lines of at most `per_line` ems: the body's name (on as
    many lines as it needs), then the rest of the title on a line of its own."""
    before, found, after = fmt.title_pattern.partition("{org}")
    if not found:
        return [fmt.title(org, year)]
    name = before.format(year=year) + org.strip()
    return [*lines_of(name_words(name), per_line), after.format(year=year)]
