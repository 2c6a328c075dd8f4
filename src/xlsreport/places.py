"""Bodies and places: a body's normalised and short name, its province, the place names a text may mention.

The province list and the county→province table ship as package data (data/places.json).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

# Characters that show as nothing (format characters: zero-width spaces and joiners, direction marks, the
# BOM, the soft hyphen): pasted from web pages and chat programs into names that then look the same.
INVISIBLE = dict.fromkeys(
    [
        0x00AD,
        0x034F,
        0x061C,
        0x180E,
        *range(0x200B, 0x2010),
        *range(0x202A, 0x202F),
        *range(0x2060, 0x2070),
        0xFEFF,
    ]
)


def normalise_name(name: str) -> str:
    """The key bodies are linked by: NFKC (full-width forms), every kind of space and invisible character
    removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", (name or "").translate(INVISIBLE)))


def visible(name: str) -> str:
    """`name` with its invisible characters and unusual spaces shown by code point, as ⟨U+200B⟩."""
    return "".join(
        f"⟨U+{ord(c):04X}⟩" if ord(c) in INVISIBLE or (c.isspace() and c != " ") else c for c in name
    )


_GOVERNMENT = re.compile(r"(人民政府|政府)$")
_UNIT = re.compile(r"(?:县|市|区|旗)([^县市区旗]{1,8}?(?:镇|乡|街道|苏木))$")


def short_name(name: str) -> str:
    """How a report names its body in running text: 宝清县七星泡镇人民政府 → 七星泡镇; else the name as given."""
    core = _GOVERNMENT.sub("", normalise_name(name))
    m = _UNIT.search(core)
    return m.group(1) if m else core


@dataclass(frozen=True)
class Province:
    name: str  # 黑龙江省
    short: str  # 黑龙江
    cities: tuple[str, ...]  # major cities, without 市


@cache
def provinces() -> tuple[Province, ...]:
    return tuple(Province(p["name"], p["short"], tuple(p["cities"])) for p in _data()["provinces"])


@cache
def _data() -> dict:
    text = (resources.files("xlsreport") / "data" / "places.json").read_text(encoding="utf-8")
    return json.loads(text)


def find_province(name: str) -> Province | None:
    """A province given by its full or short name (黑龙江省, 黑龙江), or None."""
    key = normalise_name(name)
    return next((p for p in provinces() if key in (p.name, p.short)), None)


def province_of(org: str) -> Province | None:
    """The province of a body, derived from its name: a province, a major city, or a county we know; else None."""
    name = normalise_name(org)
    for p in provinces():
        if p.name in name or name.startswith(p.short):
            return p
    counties = _data()["counties"]
    for county, province in counties.items():
        if county in name:
            return find_province(province)
    for p in provinces():
        if any(name.startswith(c) for c in p.cities):
            return p
    return None


@cache
def _foreign_pattern(own: Province) -> tuple[re.Pattern[str], dict[str, Province]]:
    """One pattern for every province and major city not in `own`, longest name first at each spot."""
    where: dict[str, Province] = {}
    for p in provinces():
        if p.name != own.name:
            for place in (p.name, p.short, *p.cities):
                where.setdefault(place, p)  # a name two lists share counts for the first province
    names = sorted(where, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names))), where


def foreign_places(text: str, own: Province) -> list[tuple[int, str, Province]]:
    """(offset, place, its province) for every province or major city in `text` that is not in `own`.

    A full name (甘肃省) and its short form (甘肃) at one spot are one mention: the regex takes the longest.
    """
    for word in _data()["not_places"]:  # 幸福建设 does not name 福建
        text = text.replace(word, "　" * len(word))
    pattern, where = _foreign_pattern(own)
    return [(m.start(), m.group(0), where[m.group(0)]) for m in pattern.finditer(text)]
