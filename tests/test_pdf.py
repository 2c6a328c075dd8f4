"""`build --pdf`: the report as LibreOffice prints it, read back with poppler; and how it stops without it.

The real-engine tests read every word of the PDF with its box (pdftotext -bbox) and find each cell of the
official tables where the .docx put it: a left-aligned label starts at its column's left edge, a centred
one is centred on its columns, and cells come top to bottom in the order of their rows. So a label or a
figure that is missing, cut, moved to another column or out of order fails, and so does a word outside
the text block of the page.
"""

from __future__ import annotations

import html
import re
import shutil
import stat
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import docx
import pypdf
import pytest
from docx.oxml.ns import qn
from fontTools.ttLib import TTCollection
from typer.testing import CliRunner

from conftest import make, sample
from test_render import tables_by_key
from xlsreport import api, content, docxtable, fonts, office, render
from xlsreport.cli import app
from xlsreport.errors import FATAL, XlsreportError
from xlsreport.findingcodes import finding_message
from xlsreport.formats import DEFAULT
from xlsreport.reasons import reason
from xlsreport.wording import DRAFT_MARK

runner = CliRunner(env={"COLUMNS": "2000"})
POPPLER = ("pdftotext",)
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="the stand-in programs are shell scripts")

A4_PT = (595.3, 841.9)
TOLERANCE_PT = 1.5
TABLE_TEXT_MAX_PT = 14  # a word of table text (小五, 9 pt) is about 12 pt high; body text (三号) about 20


def returned(tmp_path: Path, name: str) -> Path:
    """A bundled sample as a township returns it."""
    return api.fill(sample(name), tmp_path / api.sample_name(name))


def script(path: Path, body: str) -> Path:
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


# ---------------------------------------------------------------- without LibreOffice: how it stops
def test_no_libreoffice_stops_before_writing_anything(tmp_path, monkeypatch):
    book = returned(tmp_path, "xiaochengzi-2024.json")
    monkeypatch.setattr(office, "soffice", lambda: None)
    result = runner.invoke(app, ["build", str(book), "--pdf"])
    assert result.exit_code == 2
    assert f"[OFFICE_MISSING] {FATAL['OFFICE_MISSING'].template}" in result.output
    assert not book.with_suffix(".docx").exists() and not book.with_suffix(".pdf").exists()
    assert runner.invoke(app, ["build", str(book)]).exit_code == 0  # without --pdf, LibreOffice is not needed


@posix_only
def test_a_failed_conversion_says_why_and_leaves_nothing(tmp_path, monkeypatch):
    book = returned(tmp_path, "xiaochengzi-2024.json")
    fake = script(tmp_path / "soffice", "echo 'Error: source file could not be loaded' >&2\nexit 1\n")
    monkeypatch.setattr(office, "soffice", lambda: str(fake))
    result = runner.invoke(app, ["build", str(book), "--pdf"])
    assert result.exit_code == 2
    said = FATAL["OFFICE_FAILED"].template.format(reason="Error: source file could not be loaded")
    assert f"[OFFICE_FAILED] {said}" in result.output
    assert not book.with_suffix(".docx").exists() and not book.with_suffix(".pdf").exists()


@posix_only
def test_a_hung_office_is_killed_with_its_children_at_the_timeout(tmp_path, monkeypatch):
    # like soffice: a launcher whose child holds our pipes; killing only the launcher would wait forever
    fake = script(tmp_path / "soffice", "sleep 60 &\nsleep 60\n")
    monkeypatch.setattr(office, "soffice", lambda: str(fake))
    book = returned(tmp_path, "xiaochengzi-2024.json")
    started = time.monotonic()
    with pytest.raises(XlsreportError) as err:
        api.build(book, pdf=True, pdf_timeout=1)
    assert time.monotonic() - started < 15
    assert err.value.code == "OFFICE_FAILED" and err.value.message == FATAL["OFFICE_FAILED"].template.format(
        reason=reason("OFFICE_FAILED", "timeout", seconds=1)
    )
    assert not book.with_suffix(".docx").exists()


@posix_only
def test_pdf_is_written_beside_the_document_and_not_over_one(tmp_path, monkeypatch):
    # a stand-in that “converts” as soffice does: <outdir>/<stem of the input>.pdf
    fake = script(
        tmp_path / "soffice",
        'while [ $# -gt 0 ]; do case "$1" in --outdir) shift; out="$1";; *) src="$1";; esac; shift; done\n'
        'mkdir -p "$out" && printf "%%PDF-1.7 stand-in" > "$out/$(basename "$src" .docx).pdf"\n',
    )
    monkeypatch.setattr(office, "soffice", lambda: str(fake))
    book = returned(tmp_path, "xiaochengzi-2024.json")
    out = tmp_path / "报告" / "小城子镇.docx"
    built = api.build(book, out, pdf=True)
    assert built.document == out and built.pdf == tmp_path / "报告" / "小城子镇.pdf"
    assert built.pdf.read_bytes() == b"%PDF-1.7 stand-in"
    assert docx.Document(out).core_properties.title == DEFAULT.title(*_org_year())
    out.unlink()  # the PDF alone is in the way: refused before the document is written
    with pytest.raises(XlsreportError) as err:
        api.build(book, out, pdf=True)
    assert err.value.code == "OUTPUT_EXISTS" and err.value.fields["path"] == str(built.pdf)
    assert not out.exists()
    assert api.build(book, out, pdf=True, overwrite=True).pdf == built.pdf


def _org_year() -> tuple[str, int]:
    fields = sample("xiaochengzi-2024.json")["fields"]
    return fields["info_org"], fields["info_year"]


# ---------------------------------------------------------------- fonts
def template_document() -> bytes:
    return (Path(render.__file__).parent / "templates" / "report.docx").read_bytes()


def test_the_fonts_checked_are_the_templates_own():
    fonts = render.east_asian_fonts(template_document())
    assert {"仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312"} <= set(fonts)
    assert len(fonts) == len(set(fonts))


def test_without_fc_match_the_fonts_are_said_to_be_unchecked(monkeypatch):
    monkeypatch.setenv("PATH", "")
    (notice,) = api.font_notices(template_document())
    fonts = "、".join(render.east_asian_fonts(template_document()))
    assert notice.code == "FONTS_UNCHECKED" and notice.severity == "warning"
    assert notice.message == finding_message("FONTS_UNCHECKED", found=fonts)


@posix_only
def test_a_font_installed_under_another_language_name_is_not_substituted(tmp_path, monkeypatch):
    # fc-match names a family in every language it has: 黑体 is installed as “SimHei,黑体”
    script(
        tmp_path / "fc-match",
        'case "$3" in 黑体:*) printf "SimHei,黑体";; *) printf "Noto Serif CJK SC,Noto Serif CJK SC Regular";; esac\n',
    )
    monkeypatch.setenv("PATH", str(tmp_path))
    notices = api.font_notices(template_document())
    substituted = {n.found: n.expected for n in notices}
    assert "黑体" not in substituted
    assert substituted == {
        f: "Noto Serif CJK SC" for f in render.east_asian_fonts(template_document()) if f != "黑体"
    }
    assert all(n.code == "FONT_SUBSTITUTED" for n in notices)
    said = finding_message("FONT_SUBSTITUTED", found="仿宋_GB2312", expected="Noto Serif CJK SC")
    assert notices[0].message == said


@posix_only
def test_the_notice_names_the_face_the_pdf_carries(tmp_path, monkeypatch):
    # fc-match's face, when the PDF has it (a .ttc's faces share the name of its first one); else the PDF's
    script(
        tmp_path / "fc-match",
        'printf "Noto Serif CJK SC\\tNotoSerifCJKsc-Regular\\t/fonts/NotoSerifCJK-Regular.ttc"\n',
    )
    monkeypatch.setenv("PATH", str(tmp_path))
    noto = b"<< /Type /Font /BaseFont /BAAAAA+NotoSerifCJKjp-Regular-VKana >>"
    other = b"<< /Type /Font /BaseFont /CAAAAA+DejaVu#20Sans >>"
    assert fonts.pdf_fonts(noto + other) == ("NotoSerifCJKjp-Regular-VKana", "DejaVu Sans")
    document = template_document()
    assert {n.expected for n in api.font_notices(document, noto + other)} == {"Noto Serif CJK SC"}
    assert {n.expected for n in api.font_notices(document, other)} == {"DejaVu Sans"}


def test_stand_ins_are_simplified_chinese_faces_of_each_fonts_kind():
    families = ("仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体", "微软雅黑")
    noto = {"noto serif cjk sc", "noto sans cjk sc", "noto serif cjk jp", "noto sans cjk jp"}
    assert fonts.stand_ins(families, noto) == {
        "仿宋_GB2312": "Noto Serif CJK SC",
        "方正小标宋简体": "Noto Serif CJK SC",
        "黑体": "Noto Sans CJK SC",
        "楷体_GB2312": "Noto Serif CJK SC",  # no Kai face: a serif, not a sans
        "宋体": "Noto Serif CJK SC",
    }  # 微软雅黑 is not a 公文 font: LibreOffice finds its own stand-in
    windows = {"fangsong", "simhei", "kaiti", "simsun", "ar pl ukai cn", *noto}
    chosen = fonts.stand_ins(families, windows)
    assert chosen == {"仿宋_GB2312": "FangSong", "方正小标宋简体": "SimSun", "楷体_GB2312": "KaiTi"}
    assert fonts.stand_ins(["楷体_GB2312"], {"ar pl ukai cn", *noto}) == {"楷体_GB2312": "AR PL UKai CN"}
    assert fonts.stand_ins(["仿宋_GB2312"], {"fangsong_gb2312", *noto}) == {}  # installed by its English name
    conf = fonts.fontconfig_conf(fonts.stand_ins(families, noto))
    assert "<family>仿宋_GB2312</family><prefer><family>Noto Serif CJK SC</family>" in conf
    assert conf.count("<const>bold</const>") == 1 and "<string>方正小标宋简体</string>" in conf
    assert "<const>bold</const>" not in fonts.fontconfig_conf({"方正小标宋简体": "STZhongsong"})


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig (fc-match) is not installed")
def test_each_missing_font_stands_in_for_a_simplified_chinese_face_of_its_kind():
    installed = fonts.installed_families()
    if "noto serif cjk sc" not in installed or "noto sans cjk sc" not in installed:
        pytest.skip(
            "Noto Serif/Sans CJK SC (Debian's fonts-noto-cjk) are not installed; .ci/run installs them"
        )
    families = render.east_asian_fonts(template_document())
    chosen = fonts.stand_ins(families, installed)
    matches = {m.wanted: m.used for m in fonts.font_matches(families, fonts.fontconfig_conf(chosen))}
    serif = "Noto Serif CJK SC" if "simsun" not in installed else "SimSun"
    for family in families:
        if fonts.font_of(family).name.casefold() in installed:
            continue
        kind = fonts.font_of(family).kind
        assert matches[family] == chosen[family], family
        if kind == fonts.HEI:
            assert "Sans" in matches[family] or matches[family] in fonts.STAND_INS[fonts.HEI], family
        else:  # 仿宋, 宋体, 小标宋 and (without a Kai face) 楷体: a serif face
            assert matches[family] in fonts.STAND_INS[kind], family
            assert "Sans" not in matches[family], family
    assert matches["仿宋_GB2312"] in ("FangSong", "仿宋", serif)
    without = {m.wanted: m.used for m in fonts.font_matches(families)}  # fontconfig on its own
    assert without["仿宋_GB2312"] != "Noto Serif CJK SC"  # what the configuration is for


# ---------------------------------------------------------------- in LibreOffice, read back with poppler
# the seed report; a consistent sample with figures in every table; the largest figures a clerk can enter
# (nine digits, 999,999,999 is VALUE_TOO_LARGE's bound), which LibreOffice wraps inside a 10 mm column
LARGEST = 999_999_999
LONG_ORG = "新疆维吾尔自治区伊犁哈萨克自治州察布查尔锡伯自治县人民政府办公室"
LONG_TITLE = ["新疆维吾尔自治区伊犁哈萨克自治州", "察布查尔锡伯自治县人民政府办公室"]  # broken between words
CASES = {
    "xiaochengzi-2024.json": None,
    "long name": {"info_org": LONG_ORG},
    "qixingpao-2024.json": None,
    # a draft (--force): its texts put 表三 across two pages, between its groups of rows
    "qingyuan-2024.json": None,
    "largest": {
        "t2_licensing_decisions": LARGEST,
        "t2_fees_amount": 12_345_678.1234,
        "t3_new_natural": LARGEST,
        "t3_granted_natural": LARGEST,
        **{f"t4_{group}_upheld": LARGEST for group in ("review", "direct", "after_review")},
    },
}


@dataclass(frozen=True)
class Word:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(frozen=True)
class Printed:
    book: Path
    document: Path
    pdf: Path
    output: str
    words: list[Word]
    pages: list[tuple[float, float]]  # width, height in points


def words_of(pdf: Path) -> tuple[list[Word], list[tuple[float, float]]]:
    xhtml = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    words, pages = [], []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', xhtml, re.S):
        pages.append((float(page[1]), float(page[2])))
        for w in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', page[3]
        ):
            words.append(Word(len(pages), *map(float, w.groups()[:4]), html.unescape(w[5])))
    return words, pages


def print_case(folder: Path, name: str) -> Printed:
    book = returned(folder, name) if CASES[name] is None else make(folder, CASES[name], f"{name}.xlsx")
    result = runner.invoke(app, ["build", str(book), "--pdf", "--force"])
    assert result.exit_code == 0, result.output
    pdf = book.with_suffix(".pdf")
    return Printed(book, book.with_suffix(".docx"), pdf, result.output, *words_of(pdf))


@pytest.fixture(scope="module", params=list(CASES))
def printed(request, tmp_path_factory) -> Printed:
    if office.soffice() is None or not all(map(shutil.which, POPPLER)):
        pytest.skip("LibreOffice (soffice) or poppler is not installed; .ci/run installs them")
    return print_case(tmp_path_factory.mktemp("pdf"), request.param)


def section_of_words(p: Printed) -> dict[str, list[Word]]:
    """The table text under each table's section heading, up to the next heading, by table key."""
    starts = []
    for s in DEFAULT.sections:
        heading = next(w for w in p.words if w.text == s.heading)  # a heading is one line: one word
        starts.append((s, (heading.page, heading.y1)))
    out = {}
    for i, (s, start) in enumerate(starts):
        end = starts[i + 1][1] if i + 1 < len(starts) else (len(p.pages) + 1, 0)
        if s.table:
            out[s.table] = [
                w for w in p.words if start <= (w.page, w.y0) < end and w.y1 - w.y0 < TABLE_TEXT_MAX_PT
            ]
    return out


@dataclass(frozen=True)
class Geometry:
    left_pt: float  # the left edge of the text block
    right_pt: float  # its right edge
    cell_margin_pt: float
    columns: dict[str, list[float]]  # each table's column edges, from its left edge


def geometry(document: Path) -> Geometry:
    """Where the .docx puts the text block and each table's columns (twips / 20 = points)."""
    doc = docx.Document(document)
    sec = doc.sections[0]
    left, right = sec.left_margin.pt, sec.page_width.pt - sec.right_margin.pt
    columns = {}
    for key, table in tables_by_key(doc).items():
        widths = [int(g.get(qn("w:w"))) / 20 for g in table._tbl.tblGrid.iter(qn("w:gridCol"))]
        start = left + ((right - left) - sum(widths)) / 2  # centred in the text block
        columns[key] = [start + sum(widths[:i]) for i in range(len(widths) + 1)]
    margin = table._tbl.tblPr.find(qn("w:tblCellMar")).find(qn("w:left"))
    return Geometry(left, right, int(margin.get(qn("w:w"))) / 20, columns)


def locate(t, cells, words: list[Word], g: Geometry) -> dict:
    """Find each cell's text where the .docx put it; returns cell -> (page, y) of its first line.

    Cells sharing an anchor (a column's left edge or centre) are matched in the order of their rows,
    each to the next words at that anchor whose text, put together, is exactly the cell's.
    """
    edges = g.columns[t.key]
    anchored: dict[tuple[str, float], list] = {}
    for c in cells:
        if docxtable.ALIGN.get(c.role, "center") == "left":
            key = ("left", round(edges[c.col] + g.cell_margin_pt, 1))
        else:
            key = ("centre", round((edges[c.col] + edges[c.last_col + 1]) / 2, 1))
        anchored.setdefault(key, []).append(c)
    found = {}
    for (kind, x), group in anchored.items():
        at = [w for w in words if abs((w.x0 if kind == "left" else w.centre) - x) <= TOLERANCE_PT]
        at.sort(key=lambda w: (w.page, w.y0))
        i = 0
        for c in sorted(group, key=lambda c: (c.row, c.col)):
            want = re.sub(r"\s+", "", c.text)
            for start in range(i, len(at)):
                text, end = "", start
                while end < len(at) and len(text) < len(want):
                    text += re.sub(r"\s+", "", at[end].text)
                    end += 1
                if text == want:
                    found[c] = (at[start].page, at[start].y0)
                    i = end
                    break
            else:
                shown = " | ".join(w.text for w in at[i:][:8])
                raise AssertionError(
                    f"{t.sheet}: “{c.text}” (row {c.row}, columns {c.col}–{c.last_col}) is not at its "
                    f"{kind} x={x} in order; there: {shown or 'nothing'}"
                )
    return found


@pytest.mark.libreoffice
def test_build_pdf_writes_the_pdf_beside_the_document_and_names_substituted_fonts(printed):
    assert printed.pdf.read_bytes().startswith(b"%PDF-")
    assert f"已生成 {printed.document}" in printed.output and f"已生成 {printed.pdf}" in printed.output
    document = printed.document.read_bytes()
    families = render.east_asian_fonts(document)
    installed = fonts.installed_families() or set()
    conf = fonts.fontconfig_conf(fonts.stand_ins(families, installed))
    embedded = fonts.pdf_fonts(printed.pdf.read_bytes())
    for m in fonts.font_matches(families, conf) or []:
        said = f"本机没有字体“{m.wanted}”，LibreOffice 将以“{m.used}”代替" in printed.output
        assert said is m.substituted
        assert not m.substituted or fonts.in_pdf(m, embedded), (m, embedded)  # the face named is the PDF's


@pytest.mark.libreoffice
def test_every_page_is_a4_portrait_with_its_number(printed):
    assert printed.pages
    for width, height in printed.pages:
        assert abs(width - A4_PT[0]) < 1 and abs(height - A4_PT[1]) < 1
    text = subprocess.run(
        ["pdftotext", "-layout", str(printed.pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    numbers = [int(n) for n in re.findall(r"^\s*—\s*(\d+)\s*—\s*$", text, re.M)]
    assert numbers == list(range(1, len(printed.pages) + 1))
    headings = [
        line.strip() for line in text.splitlines() if line.strip() in {s.heading for s in DEFAULT.sections}
    ]
    assert headings == [s.heading for s in DEFAULT.sections]


def located(p: Printed):
    """Each table with its cells (those with text) and where each was found: (table, cells, found)."""
    g = geometry(p.document)
    values = api.check(p.book).values
    regions = section_of_words(p)
    for t in DEFAULT.tables:
        cells = [c for c in content.table_grid(t, values) if c.text]
        yield t, cells, locate(t, cells, regions[t.key], g)


@pytest.mark.libreoffice
def test_every_label_and_figure_is_in_its_column_in_order(printed):
    for t, cells, found in located(printed):
        assert set(found) == set(cells)
        for a in cells:  # a cell of an earlier row is printed above (or on a page before) a later one
            for b in cells:
                if a.last_row < b.row:
                    assert found[a] < found[b], (t.sheet, a.text, b.text)


@pytest.mark.libreoffice
def test_tables_fit_the_text_block_of_the_page(printed):
    g = geometry(printed.document)
    for key, words in section_of_words(printed).items():
        assert words, key
        for w in words:
            assert w.x0 >= g.left_pt - TOLERANCE_PT and w.x1 <= g.right_pt + TOLERANCE_PT, (key, w)
    for w in printed.words:  # nothing at all outside the page
        assert w.x0 >= 0 and w.x1 <= printed.pages[w.page - 1][0], w


@pytest.mark.libreoffice
def test_tables_break_only_between_blocks_and_groups_and_repeat_their_header(printed):
    """表二 may turn the page between its blocks, 表三 between its groups of rows (with its header again
    on the next page); 表四, every block of 表二 and every group of 表三 are read on one page."""
    regions = section_of_words(printed)
    for t, cells, found in located(printed):
        starts = sorted({c.row for c in cells if c.role == "caption"} | {0})
        for first, end in zip(starts, [*starts[1:], 10**6], strict=True):
            block = [c for c in cells if first <= c.row < end]
            if sum(c.role == "stub" for c in block) <= docxtable.SHORT_BLOCK:
                assert len({found[c][0] for c in block}) == 1, (t.sheet, block[0].text)
        for group in (c for c in cells if c.role == "group" and c.last_row - c.row < docxtable.GROUP_ROWS):
            inside = [c for c in cells if group.row <= c.row and c.last_row <= group.last_row]
            assert len({found[c][0] for c in inside}) == 1, (t.sheet, group.text)
        top_header = next(c for c in cells if c.role == "header")
        for page in {found[c][0] for c in cells if c.role == "value"} if len(t.blocks) == 1 else ():
            assert any(w.page == page and w.text == top_header.text for w in regions[t.key]), (t.sheet, page)


@pytest.mark.libreoffice
def test_no_page_is_left_largely_blank(printed):
    """Text runs on to the last quarter of every page but the last: no table waits on the next page with
    half a page blank before it."""
    sec = docx.Document(printed.document).sections[0]
    top, bottom = sec.top_margin.pt, sec.page_height.pt - sec.bottom_margin.pt
    for page in range(1, len(printed.pages)):
        lowest = max(w.y1 for w in printed.words if w.page == page and w.y1 <= bottom + TOLERANCE_PT)
        assert lowest >= top + 0.75 * (bottom - top), (page, lowest, bottom)


@pytest.mark.libreoffice
def test_the_title_breaks_after_the_body_and_between_words(printed):
    checked = api.check(printed.book)
    text = subprocess.run(
        ["pdftotext", "-layout", "-f", "1", "-l", "1", str(printed.pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    lines = [re.sub(r"\s+", "", line) for line in text.splitlines() if line.strip() not in ("", DRAFT_MARK)]
    name = LONG_TITLE if checked.org == LONG_ORG else [checked.org]
    assert lines[: lines.index(DEFAULT.sections[0].heading)] == [
        *name,
        f"{checked.year}年政府信息公开工作年度报告",
    ]


def _eexec(data: bytes) -> bytes:
    r, out = 55665, bytearray()
    for c in data:
        out.append(c ^ (r >> 8))
        r = ((c + r) * 52845 + 22719) & 0xFFFF
    return bytes(out[4:])


def glyphs_of(pdf: Path) -> dict[str, dict[str, str]]:
    """{font: {character: glyph}} of a PDF from LibreOffice, whose CJK fonts are Type 1 subsets with the
    glyph names of the font's CIDs (cid12345), through each font's ToUnicode map and built-in encoding."""
    out: dict[str, dict[str, str]] = {}
    for page in pypdf.PdfReader(pdf).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")  # a composite (Type0) font has it on its descendant
            if descriptor is None or "/FontFile" not in descriptor.get_object():
                continue
            descriptor = descriptor.get_object()
            program = descriptor["/FontFile"].get_object()
            clear = program.get_data()[: program["/Length1"]].decode("latin-1")
            names = {int(c): n for c, n in re.findall(r"dup (\d+) /(\S+) put", clear)}
            cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            glyphs = out.setdefault(re.sub(r"^/?[A-Z]{6}\+", "", font["/BaseFont"]), {})
            for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
                for code, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                    if int(code, 16) in names:
                        glyphs[bytes.fromhex(text).decode("utf-16-be")] = names[int(code, 16)]
    return out


def _cid(glyph: str) -> int:
    return int(glyph.removeprefix("cid"))  # the PDF names cid9828 what fontTools names cid09828


def _face_cmap(family: str) -> dict[int, str]:
    """The character map of an installed face (one face of a .ttc), by fontconfig family name."""
    found = subprocess.run(
        ["fc-list", f"{family}:style=Regular", "file", "index", "-f", "%{file}\t%{index}\n"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return TTCollection(found[0]).fonts[int(found[1])].getBestCmap()


@pytest.mark.libreoffice
def test_chinese_is_set_in_simplified_chinese_faces_and_the_body_in_a_serif(printed):
    """On a machine with only fonts-noto-cjk: every Chinese character of the PDF is drawn with the glyph
    of the SC face (where SC and JP forms differ, 直 骨 …), and the body text with the serif one."""
    installed = fonts.installed_families()
    if not {"noto serif cjk sc", "noto sans cjk sc"} <= installed or {"simsun", "simhei"} & installed:
        pytest.skip("this checks the stand-ins on a machine with only Noto CJK (fonts-noto-cjk)")
    glyphs = glyphs_of(printed.pdf)
    told = 0
    for style in ("Serif", "Sans"):
        sc, jp = _face_cmap(f"Noto {style} CJK SC"), _face_cmap(f"Noto {style} CJK JP")
        used = {k: v for k, v in glyphs.items() if k.startswith(f"Noto{style}CJK")}
        assert used, (style, list(glyphs))
        for chars in used.values():
            for ch, glyph in chars.items():
                if len(ch) == 1 and ord(ch) >= 0x3000 and sc.get(ord(ch)) != jp.get(ord(ch)):
                    assert _cid(glyph) == _cid(sc[ord(ch)]), (style, ch, glyph)
                    told += 1
    assert told > 10  # enough characters whose SC and JP glyphs differ were seen
    body = api.check(printed.book).texts["overview"][:60]
    serif = set().union(*(set(c) for k, c in glyphs.items() if k.startswith("NotoSerifCJK")))
    assert {ch for ch in body if ord(ch) > 0x3000} <= serif
    # the title (小标宋, a heavy Song) is set in the serif's bold weight
    bold = set().union(*(set(c) for k, c in glyphs.items() if k.startswith("NotoSerifCJK") and "Bold" in k))
    assert set("政府信息公开工作年度报告") <= bold
