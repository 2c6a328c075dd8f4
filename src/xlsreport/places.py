"""Bodies and places: a body's normalised and short name, its province, the place names a text may mention.

The province list and every province-, prefecture- and county-level division by its code ship as package
data (data/places.json; its `divisions` say from which code list and of what date, tools/make_places.py
regenerates them).
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


@dataclass(frozen=True)
class Division:
    code: str  # six digits: 220621
    name: str  # 抚松县

    @property
    def prefix(self) -> str:
        """What the codes of its subdivisions start with: 22 for 吉林省, 2206 for 白山市, 220621 for 抚松县."""
        return (
            self.code[:2]
            if self.code[2:] == "0000"
            else self.code[:4]
            if self.code[4:] == "00"
            else self.code
        )


@cache
def _divisions() -> tuple[dict[str, tuple[Division, ...]], int]:
    """Every name a body's name may hold → the divisions so named (朝阳区 is in 北京 and in 长春), and the
    longest name. An autonomous county also goes by its short name (琼中黎族苗族自治县 → 琼中县)."""
    index: dict[str, list[Division]] = {}
    codes = _data()["divisions"]["codes"]
    for code, name in codes.items():
        index.setdefault(name, []).append(Division(code, name))
    official = set(index)
    for code, name in codes.items():
        m = _AUTONOMOUS.match(name)
        if m and f"{m[1]}{m[2]}" not in official:
            index.setdefault(f"{m[1]}{m[2]}", []).append(Division(code, name))
    return {k: tuple(v) for k, v in index.items()}, max(map(len, index))


_AUTONOMOUS = re.compile(r"^(.{2,}?)(?:[^族各]{1,4}族)+自治(县|旗)$")


def _name_at(name: str, at: int) -> str | None:
    """The longest division name that `name` holds at `at`."""
    index, longest = _divisions()
    return next((name[at : at + n] for n in range(longest, 1, -1) if name[at : at + n] in index), None)


def divisions_of(org: str) -> tuple[Division, ...]:
    """The divisions a body's name places it in: 抚松县仙人桥镇人民政府 → (抚松县,); 朝阳区… → both 朝阳区.

    The names are read from the first one the name holds, each narrowing the one before, as bodies write
    them (省, 市, 县 or 区, then the township, which is not a division here): 长春市朝阳区… → 长春's only.
    """
    name = normalise_name(org)
    index, _ = _divisions()
    at = next((at for at in range(len(name)) if _name_at(name, at)), len(name))
    found: tuple[Division, ...] = ()
    while (word := _name_at(name, at)) is not None:
        within = tuple(d for d in index[word] if not found or any(d.code.startswith(f.prefix) for f in found))
        if not within:
            break
        found, at = within, at + len(word)
    return found


def province_of(org: str) -> Province | None:
    """The province of a body, from its name: a province, any city or county in it, a major city; else None
    (also for a county name several provinces have, when the name does not say which: 朝阳区)."""
    name = normalise_name(org)
    for p in provinces():
        if p.name in name:
            return p
    codes = {d.code[:2] for d in divisions_of(name)}  # before short names: 海南藏族自治州 is in 青海
    if len(codes) == 1:
        return find_province(_data()["divisions"]["codes"][f"{codes.pop()}0000"])
    for p in provinces():
        if name.startswith(p.short) or any(name.startswith(c) for c in p.cities):
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
