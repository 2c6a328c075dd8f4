"""The narrative of a published report by section, and the body and year from its title.

Section headings are the format's own (一、总体情况 … 六、其他需要报告的事项), found by their number and
their words; the numbered parts of 一 ((一) 主动公开 …) by their number, in the format's order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from ..spec import Format
from .model import Paragraph, normalise

_NUMERAL = "一二三四五六七八九十"
_SECTION = re.compile(rf"^\s*([{_NUMERAL}]+)\s*[、.．，,]")
_PART = re.compile(rf"^\s*[（(]\s*([{_NUMERAL}]+)\s*[）)]")
_TITLE = re.compile(r"(.{2,60}?)((?:19|20)\d{2})年度?政府信息公开(?:工作)?年度?报告")
_BEFORE_ORG = re.compile(r".*[>|｜_:：»›\-—]")  # breadcrumbs and site names before the body's name


@dataclass
class Narrative:
    texts: dict[str, str] = field(default_factory=dict)  # part key -> text, paragraphs joined by \n
    preamble: str = ""  # what stands between the title and 一、总体情况
    org: str = ""
    year: int | None = None
    pages: dict[str, int] = field(default_factory=dict)  # part key -> the page its text begins on (PDF)


def _numeral(text: str) -> int:
    """一 → 1 … 十 → 10; the format numbers no more than six sections and five parts."""
    return _NUMERAL.find(text) + 1 if len(text) == 1 else 0


def _heading(fmt: Format, text: str) -> tuple[int, str] | None:
    """(section index, text after the heading) when `text` begins a section of the format."""
    m = _SECTION.match(text)
    index = _numeral(m.group(1)) - 1 if m else -1
    if not 0 <= index < len(fmt.sections):
        return None
    words = normalise(fmt.sections[index].heading)
    plain = normalise(text)
    if plain.startswith(words):
        rest = text[m.end() :]
        # the heading's own words, then what follows them on the same line
        consumed, i = 0, 0
        target = words[len(normalise(m.group(1))) :]
        while i < len(rest) and consumed < len(target):
            if normalise(rest[i]):
                consumed += 1
            i += 1
        return index, rest[i:].lstrip("。：: \u3000")
    if len(plain) <= len(words) + 6 and SequenceMatcher(None, plain, words).ratio() >= 0.6:
        return index, ""
    return None


def narrative(fmt: Format, paragraphs: list[Paragraph], title: str = "") -> Narrative:
    """Split the paragraphs (in document order, tables left out) into the format's texts."""
    out = Narrative()
    section = -1
    before: list[str] = []
    chunks: dict[str, list[str]] = {p.key: [] for p in fmt.parts}
    parts = {p.key: p for p in fmt.parts}
    current = ""
    for para in paragraphs:
        text = para.text.strip()
        found = _heading(fmt, text)
        if found is not None and found[0] > section:
            section, text = found
            keys = fmt.sections[section].parts
            current = keys[0] if keys else ""
            if not text:
                continue
        if section < 0:
            before.append(text)
            continue
        keys = fmt.sections[section].parts
        m = _PART.match(text)
        titled = [k for k in keys if parts[k].title]
        if m and titled:
            key = _part(text[m.end() :], [parts[k] for k in titled], _numeral(m.group(1)))
            if key:
                current = key
                if _only_title(text[m.end() :], parts[current].title):
                    continue
        if current:
            chunks[current].append(text)
            if para.page is not None:
                out.pages.setdefault(current, para.page)
    out.texts = {k: "\n".join(v) for k, v in chunks.items()}
    out.org, out.year, rest = _title(before, title)
    out.preamble = "\n".join(rest)
    return out


def _part(rest: str, titled: list, number: int) -> str:
    """The part a numbered paragraph begins: by its title's words (a report leaves out empty parts and
    numbers the rest), else by its number."""
    plain = normalise(rest)
    for part in sorted(titled, key=lambda p: -len(p.title)):
        title = normalise(part.title)
        if title in plain[: len(title) + 8]:
            return part.key
    return titled[number - 1].key if 0 < number <= len(titled) else ""


def _only_title(rest: str, title: str) -> bool:
    """A paragraph that is only a part's title (as our reports print it), not a run-in title and text."""
    plain = normalise(rest)
    return plain.startswith(normalise(title)) and len(plain) <= len(normalise(title)) + 4 and "。" not in rest


def _title(before: list[str], title: str) -> tuple[str, int | None, list[str]]:
    """The body and year from the report's title, and the paragraphs after the title."""
    # a title is one paragraph, or broken over up to three lines (机关 / 年度 / 报告)
    candidates = [(i, i + n) for n in (1, 2, 3) for i in range(min(len(before) - n + 1, 8))]
    for start, end in candidates:
        found = _parse_title("".join(before[start:end]))
        if found:
            return found[0], found[1], before[end:]
    found = _parse_title(title)
    if found:
        return found[0], found[1], before
    return "", None, before


def _parse_title(text: str) -> tuple[str, int] | None:
    plain = re.sub(r"\s+", "", text)
    m = _TITLE.search(plain)
    if not m:
        return None
    org = _BEFORE_ORG.sub("", m.group(1)).strip()
    return (org, int(m.group(2))) if org else None
