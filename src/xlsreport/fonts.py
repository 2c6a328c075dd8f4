"""The 公文 fonts and what stands in for them where they are missing.

Each font the standard asks for has a kind: 仿宋 and 宋 are serif faces, 小标宋 a heavy Song for titles, 黑体
a sans, 楷体 a brush face. Where a font is missing, the face standing in for it must be of the same kind and
draw Simplified Chinese forms: a sans for 仿宋, or Japanese glyph forms for Chinese text, are what a reader
notices. So the Word template declares every font with its GB2312 character set, family class and PANOSE
(Word picks the closest installed face by them), and LibreOffice, which finds its fonts through fontconfig
on Linux, is run with a configuration naming the best installed Simplified Chinese face of each kind.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

GB2312_CHARSET = "86"  # w:charset of a font covering GB 2312, as Word writes it for Chinese fonts

FANG, SONG, TITLE_SONG, HEI, KAI = "fang", "song", "title-song", "hei", "kai"


@dataclass(frozen=True)
class ChineseFont:
    """A font of 公文 as a Word font table declares it: PANOSE as Windows' own fonts carry it, and the
    family class of its kind (Windows calls 仿宋 "modern", which Word reads as a fixed-pitch face)."""

    name: str
    alt: str  # its English name: the same font, installed under that name
    kind: str
    panose: str  # PANOSE-1, 10 bytes in hex: Word substitutes the installed face nearest to it
    family: str  # w:family: roman (serif), swiss (sans), modern, script, auto
    pitch: str = "variable"


# The default template's fonts, and the other names the same fonts go by.
FONTS = (
    ChineseFont("仿宋_GB2312", "FangSong_GB2312", FANG, "02010609030101010101", "roman"),
    ChineseFont("仿宋", "FangSong", FANG, "02010609060101010101", "roman"),
    # 小标宋 declares no PANOSE of its own worth copying: SimSun's says "a Song face"
    ChineseFont("方正小标宋简体", "FZXiaoBiaoSong-B05S", TITLE_SONG, "02010600030101010101", "roman"),
    ChineseFont("宋体", "SimSun", SONG, "02010600030101010101", "roman"),
    ChineseFont("黑体", "SimHei", HEI, "02010609060101010101", "swiss"),
    ChineseFont("楷体_GB2312", "KaiTi_GB2312", KAI, "02010609030101010101", "roman"),
    ChineseFont("楷体", "KaiTi", KAI, "02010609060101010101", "roman"),
)
_BY_NAME = {n.casefold(): f for f in FONTS for n in (f.name, f.alt)}

# Installed faces that may stand in for each kind, best first: only faces drawing Simplified Chinese forms.
_SERIF = (
    "SimSun",
    "宋体",
    "NSimSun",
    "STSong",
    "华文宋体",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "Source Han Serif CN",
    "思源宋体",
    "AR PL SungtiL GB",
    "AR PL UMing CN",
)
STAND_INS: dict[str, tuple[str, ...]] = {
    FANG: ("FangSong", "仿宋", "FangSong_GB2312", "仿宋_GB2312", "STFangsong", "华文仿宋", *_SERIF),
    TITLE_SONG: ("方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "STZhongsong", "华文中宋", *_SERIF),
    SONG: _SERIF,
    HEI: (
        "SimHei",
        "黑体",
        "Microsoft YaHei",
        "微软雅黑",
        "STHeiti",
        "Noto Sans CJK SC",
        "Source Han Sans SC",
        "Source Han Sans CN",
        "思源黑体",
        "WenQuanYi Zen Hei",
        "WenQuanYi Micro Hei",
    ),
    KAI: ("KaiTi", "楷体", "KaiTi_GB2312", "楷体_GB2312", "STKaiti", "华文楷体", "AR PL UKai CN", *_SERIF),
}


def font_of(family: str) -> ChineseFont | None:
    """The 公文 font a family names (by its Chinese or English name), or None for another font."""
    return _BY_NAME.get(family.strip().casefold())


def font_table_entry(font: ChineseFont) -> str:
    """The w:font of a word/fontTable.xml for `font` (namespace prefix w)."""
    return (
        f'<w:font w:name="{escape(font.name)}"><w:altName w:val="{escape(font.alt)}"/>'
        f'<w:panose1 w:val="{font.panose}"/><w:charset w:val="{GB2312_CHARSET}"/>'
        f'<w:family w:val="{font.family}"/><w:pitch w:val="{font.pitch}"/></w:font>'
    )


# ---------------------------------------------------------------- fontconfig (LibreOffice on Linux)
def installed_families(timeout: float = 30) -> set[str] | None:
    """Every font family fontconfig knows, under each of its names (casefolded); None without fontconfig."""
    program = shutil.which("fc-list")
    if program is None:
        return None
    try:
        done = subprocess.run(
            [program, "-f", "%{family}\n"], capture_output=True, timeout=timeout, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    text = done.stdout.decode(errors="replace")
    return {n.strip().casefold() for line in text.splitlines() for n in line.split(",") if n.strip()}


def stand_ins(families: Iterable[str], installed: set[str]) -> dict[str, str]:
    """For each 公文 font among `families` that is not installed, the best installed face of its kind."""
    out = {}
    for family in families:
        font = font_of(family)
        if font is None or {font.name.casefold(), font.alt.casefold()} & installed:
            continue
        best = next((face for face in STAND_INS[font.kind] if face.casefold() in installed), None)
        if best is not None:
            out[family] = best
    return out


SYSTEM_CONF = "/etc/fonts/fonts.conf"


def fontconfig_conf(chosen: Mapping[str, str]) -> str:
    """A fontconfig configuration: the system's, with each missing font an alias of the face chosen for it.

    The aliases come first so that the face is in place before the system's rules add a generic family
    (sans-serif, which is how 仿宋_GB2312 became DejaVu Sans). A title font (小标宋) standing in as a
    text Song is asked for in its bold weight: 小标宋 is a heavy face, a regular Song looks faint as a title.
    """
    rules = []
    for wanted, face in chosen.items():
        font = font_of(wanted)
        if font is not None and font.kind == TITLE_SONG and face in _SERIF:
            rules.append(
                f'<match target="pattern"><test name="family"><string>{escape(wanted)}</string></test>'
                '<edit name="weight" mode="assign" binding="strong"><const>bold</const></edit></match>\n'
            )
        rules.append(
            f'<alias binding="strong"><family>{escape(wanted)}</family>'
            f"<prefer><family>{escape(face)}</family></prefer></alias>\n"
        )
    system = os.environ.get("FONTCONFIG_FILE") or SYSTEM_CONF
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        f'{"".join(rules)}<include ignore_missing="yes">{escape(system)}</include>\n</fontconfig>\n'
    )


@dataclass(frozen=True)
class FontMatch:
    """A font a document asks for and the face that sets its Chinese text in the PDF."""

    wanted: str
    used: str
    postscript: str = ""  # the face's PostScript name, as a PDF names it
    file: str = ""

    @property
    def substituted(self) -> bool:
        return self.used.casefold() != self.wanted.casefold()


def _pattern(family: str) -> str:
    # fontconfig patterns treat \ - : , as syntax; ask for the family with Simplified Chinese coverage,
    # as LibreOffice does for the Chinese text of a run (without :lang, a missing family gives a Latin font)
    escaped = "".join("\\" + c if c in "\\-:," else c for c in family)
    return f"{escaped}:lang=zh-cn"


def font_matches(
    families: Iterable[str], conf: str | None = None, timeout: float = 30
) -> list[FontMatch] | None:
    """What each family resolves to (fc-match), under the configuration `conf` LibreOffice runs with.

    None when fonts cannot be checked: LibreOffice on Windows does not use fontconfig.
    """
    program = shutil.which("fc-match")
    if program is None:
        return None
    if conf is None:
        return _font_matches(program, families, None, timeout)
    with tempfile.TemporaryDirectory(prefix="xlsreport-fc-") as tmp:
        path = Path(tmp) / "fonts.conf"
        path.write_text(conf, encoding="utf-8")
        return _font_matches(program, families, {**os.environ, "FONTCONFIG_FILE": str(path)}, timeout)


def _font_matches(program, families, env, timeout) -> list[FontMatch] | None:
    matches = []
    for family in families:
        try:
            done = subprocess.run(
                [program, "-f", "%{family}\t%{postscriptname}\t%{file}", _pattern(family)],
                capture_output=True,
                timeout=timeout,
                check=False,
                env=env,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        names, postscript, file = [*done.stdout.decode(errors="replace").split("\t"), "", ""][:3]
        names = [n.strip() for n in names.split(",") if n.strip()]
        if done.returncode != 0 or not names:
            return None
        # a font names its family in several languages (“黑体,SimHei”): any of them is the font asked for
        used = next((n for n in names if n.casefold() == family.casefold()), names[0])
        matches.append(FontMatch(family, used, postscript.strip(), file.strip()))
    return matches


# ---------------------------------------------------------------- the PDF
_BASE_FONT = re.compile(rb"/BaseFont\s*/([^\s/\[\]<>()]+)")
_SUBSET = re.compile(r"^[A-Z]{6}\+")


def pdf_fonts(pdf: bytes) -> tuple[str, ...]:
    """The fonts a PDF embeds (its /BaseFont names, subset tags removed), in order of first use.

    LibreOffice writes font dictionaries as plain objects, so their names can be read from the bytes.
    """
    found: dict[str, None] = {}
    for m in _BASE_FONT.finditer(pdf):
        name = re.sub(r"#([0-9A-Fa-f]{2})", lambda h: chr(int(h[1], 16)), m[1].decode("latin-1"))
        found.setdefault(_SUBSET.sub("", name), None)
    return tuple(found)


def _squash(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.casefold())


def in_pdf(match: FontMatch, names: Iterable[str]) -> str | None:
    """The PDF font that is `match`'s face, or None. A PDF names a font by its PostScript name; the faces
    of a collection (Noto CJK's .ttc) share one outline table and so one name, that of the file's first
    face (NotoSerifCJKjp-Regular-VKana for Noto Serif CJK SC): the name then starts with the file's."""
    stem = _squash(os.path.basename(match.file).split(".")[0].split("-")[0])
    for name in names:
        squashed = _squash(name)
        if (match.postscript and squashed == _squash(match.postscript)) or (
            len(stem) >= 4 and squashed.startswith(stem)
        ):
            return name
    return None
