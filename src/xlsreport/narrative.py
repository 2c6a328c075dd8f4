"""Checks across the text and the tables (rule 8 of the format): warnings at the 文字部分 cell they concern.

A year other than the report's used as this year, another body's name, a place outside the body's province,
section 六 silent on 信息处理费, figures contradicting the tables, placeholders, unchecked generated text.
Heuristics by nature, so every finding is a warning that says what to look at.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from .findings import Finding, describe
from .layout import layout_of
from .places import Province, foreign_places, normalise_name, short_name
from .spec import Format
from .wording import FROM_ROSTER, GENERATED_MARK

Number = int | float

_N = r"\s*(\d+|[零一二两三四五六七八九十百]+)\s*件"  # 5件 or 五件
_CN = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}


def count_of(text: str) -> int:
    """5 → 5, 五 → 5, 十七 → 17, 二十 → 20, 一百零五 → 105."""
    if text.isdigit():
        return int(text)
    total, digit = 0, 0
    for ch in text:
        if ch in _CN:
            digit = _CN[ch]
        else:  # 十 or 百
            total += (digit or 1) * (10 if ch == "十" else 100)
            digit = 0
    return total + digit


@lru_cache(maxsize=8)
def figures(fmt: Format) -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    """(what states a figure, the fields it must agree with) as the format declares them (`Format.figures`),
    and one for each category of 表三's 办理结果 by its short name (不予公开5件: the sum of its rows)."""
    phrases = [(f.phrase, f.keys) for f in fmt.figures]
    phrases += [(re.escape(word), keys) for word, keys in fmt.results]
    return tuple((re.compile(phrase + _N), keys) for phrase, keys in phrases)


_YEAR = re.compile(r"(?<![\d〔（(])((?:19|20)\d{2})\s*年(度)?(?=\s*(?:，|,|以来|全年|共|本|我))")
_NOT_THIS_YEAR = re.compile(r"上|去|比|较|与|自|从|截至|至|同期")  # comparisons and ranges name other years
_FUTURE = re.compile(r"将|计划|下一步|拟|要|争取")
_PLACEHOLDER = re.compile(
    r"[XxＸｘ]{2,}|[×＊*]{2,}|某某|○○|□□|（\s*）|\(\s*\)|【(?!" + GENERATED_MARK[1:-1] + r"】)[^】]{0,20}】"
)
FEE_STATED = re.compile(r"信息处理费|(?:未|没有|不)收取[^。]{0,8}费")


def _sentence(text: str, at: int) -> str:
    start = max(text.rfind(c, 0, at) for c in "。；\n") + 1
    ends = [i for i in (text.find(c, at) for c in "。；\n") if i >= 0]
    return text[start : min(ends) if ends else len(text)]


class _Narrative:
    def __init__(self, fmt: Format) -> None:
        self.fmt, self.lay = fmt, layout_of(fmt)
        self.findings: list[Finding] = []

    def add(self, code: str, part: str, found: object = None, expected: object = None) -> None:
        self.findings.append(Finding.at(self.fmt, f"text_{part}", code, found, expected))

    def expected(self, keys: tuple[str, ...], value: Number) -> str:
        """Where the table's figure stands: 表三 “一、本年新收政府信息公开申请数量” · 总计（J6）＝3."""
        fields = [self.fmt.fields[k] for k in keys]
        rows = [f.row for f in fields]
        common: list[str] = []
        for level in zip(*rows, strict=False):
            if len(set(level)) != 1:
                break
            common.append(level[0])
        cell = self.lay.cells[keys[0]].a1 if len(keys) == 1 else ""
        shown = int(value) if isinstance(value, float) and value.is_integer() else value
        return f"{describe(self.lay.cells[keys[0]].sheet, cell, tuple(common), fields[0].column)}＝{shown}"

    def inputs_of(self, key: str) -> set[str]:
        check = self.fmt.definitions.get(key)
        if check is None:
            return {key}
        return {k for part in check.right for k in self.inputs_of(part)}


class _OtherNames:
    """Other bodies' short names, found in a text in one pass however many there are (a city has thousands)."""

    def __init__(self, others: tuple[str | tuple[str, str], ...]) -> None:
        self.full: dict[str, set[str]] = {}  # short name → normalised full names (城关镇 is in many counties)
        self.source: dict[str, tuple[str, str]] = {}  # short name → a full name as given, where it came from
        for o in others:
            name, source = (o, "") if isinstance(o, str) else o
            if len(s := short_name(name)) >= 2:
                self.full.setdefault(s, set()).add(normalise_name(name))
                if source == FROM_ROSTER or s not in self.source:  # the roster is the surer source
                    self.source[s] = (name, source)
        self.by_start: dict[str, list[str]] = {}  # first two characters → short names
        for s in self.full:
            self.by_start.setdefault(s[:2], []).append(s)
        # where a name may start: found at C speed, so only those places are looked at one by one
        firsts = "".join(sorted({re.escape(s[0]) for s in self.full}))
        self.starts = re.compile(f"[{firsts}]") if firsts else None

    def named_in(self, plain: str, own: str) -> list[str]:
        """The other bodies' short names `plain` contains, sorted; not the body's own (`own`, normalised)."""
        if self.starts is None:
            return []
        found = {
            s
            for m in self.starts.finditer(plain)
            for s in self.by_start.get(plain[m.start() : m.start() + 2], ())
            if plain.startswith(s, m.start())
        }
        return sorted(s for s in found if s not in own and self.full[s] != {own})


@lru_cache(maxsize=4)
def _other_names(others: tuple[str | tuple[str, str], ...]) -> _OtherNames:
    """Indexed once per run: every file of a run is checked against the same county's list."""
    return _OtherNames(others)


def check_texts(
    fmt: Format,
    org: str,
    year: int,
    values: Mapping[str, Number],
    texts: Mapping[str, str],
    *,
    province: Province | None = None,
    others: Iterable[str | tuple[str, str]] = (),
    invalid: Iterable[str] = (),
) -> list[Finding]:
    """Warnings about the narrative of one report, each at its 文字部分 cell.

    `province`: the body's own (None: place names are not checked); `others`: names of other bodies, each
    alone or with where it came from (FROM_ROSTER, FROM_BATCH), which the finding says; `invalid`: input
    fields that could not be read, so figures that depend on them are not compared.
    """
    n = _Narrative(fmt)
    invalid = set(invalid)
    own = normalise_name(org)
    other_names = _other_names(tuple(others))
    for part in fmt.parts:
        text = texts.get(part.key) or ""
        if not text:
            continue
        _years(n, part.key, text, year)
        for m in dict.fromkeys(m.group(0) for m in _PLACEHOLDER.finditer(text)):
            n.add("TEXT_PLACEHOLDER", part.key, found=m)
        if GENERATED_MARK in text:
            at = text.index(GENERATED_MARK) + len(GENERATED_MARK)
            n.add("TEXT_GENERATED", part.key, found=text[at : at + 20] + "…", expected=GENERATED_MARK)
        plain = normalise_name(text)
        for name in other_names.named_in(plain, own):
            full, source = other_names.source[name]
            n.add("TEXT_OTHER_BODY", part.key, found=name, expected=f"{full}，{source}" if source else full)
        if province is not None:
            for place in dict.fromkeys(place for _, place, _p in foreign_places(text, province)):
                n.add("TEXT_PLACE", part.key, found=place, expected=province.name)
        for pattern, keys in figures(fmt):
            for m in pattern.finditer(text):
                if any(n.inputs_of(k) & invalid for k in keys):
                    continue
                table = sum(values[k] for k in keys)
                if count_of(m.group(1)) != table:
                    n.add("TEXT_FIGURE", part.key, found=m.group(0), expected=n.expected(keys, table))
    other = fmt.roles["fee"]  # 六、其他需要报告的事项
    if not FEE_STATED.search(texts.get(other) or ""):
        n.add("TEXT_NO_FEE", other)
    return n.findings


def _years(n: _Narrative, part: str, text: str, year: int) -> None:
    seen: set[int] = set()
    for m in _YEAR.finditer(text):
        y = int(m.group(1))
        if y == year or y in seen or _NOT_THIS_YEAR.search(text[max(0, m.start() - 4) : m.start()]):
            continue
        if y > year and _FUTURE.search(_sentence(text, m.start())):
            continue  # plans for next year (五、改进措施) name next year as such
        seen.add(y)
        n.add("TEXT_YEAR", part, found=m.group(0).replace(" ", ""), expected=year)
