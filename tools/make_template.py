"""Generate the default Word template from the format spec (GB/T 9704 党政机关公文格式).

    python tools/make_template.py          # writes src/xlsreport/templates/report.docx and templates/report.docx

The output is deterministic (fixed document properties and zip dates): run it twice, get the same bytes.
"""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE as CT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, RGBColor

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from xlsreport.content import PARTS_VAR  # noqa: E402
from xlsreport.fonts import FONTS, font_of, font_table_entry  # noqa: E402
from xlsreport.formats import DEFAULT  # noqa: E402
from xlsreport.render import stable_save  # noqa: E402
from xlsreport.spec import Format  # noqa: E402
from xlsreport.templatecheck import TABLE_STYLE, table_var  # noqa: E402
from xlsreport.wording import DRAFT_MARK  # noqa: E402

OUTPUTS = (ROOT / "src" / "xlsreport" / "templates" / "report.docx", ROOT / "templates" / "report.docx")

# GB/T 9704-2012: fonts and sizes (号 → pt: 二号 22, 三号 16, 四号 14, 小五 9)
LATIN = "Times New Roman"
TITLE_FONT = "方正小标宋简体"
BODY_FONT = TABLE_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
PAGE_FONT = "宋体"
BODY_PT, TITLE_PT, PAGE_PT, TABLE_PT = 16, 22, 14, 9  # 小五 tables: 15 columns of 10 mm hold 5 digits
LINE_TWIPS = 580  # fixed 29 pt: 22 lines on the 225 mm high text block
FIXED_DATE = datetime(2021, 9, 26, tzinfo=UTC)  # the national format's date; any fixed date will do
TABLE_STYLE_ID = "TableText"
_RED = RGBColor(0xC0, 0x00, 0x00)


def _rpr(east_asia: str, pt: float, latin: str = LATIN, extra: str = "") -> str:
    half = round(pt * 2)
    return (
        f'<w:rPr {nsdecls("w")}><w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east_asia}"'
        f' w:cs="{latin}"/>{extra}<w:kern w:val="0"/><w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr>'
    )


def _ppr(
    jc: str = "both",
    indent: bool = True,
    line: str = f'w:line="{LINE_TWIPS}" w:lineRule="exact"',
    extra: str = "",
    after: int = 0,
    before: int = 0,
    pt: float = BODY_PT,
) -> str:
    # two characters of the paragraph's own size; firstLine is the fallback of programs ignoring firstLineChars
    ind = (
        f'<w:ind w:firstLine="{round(pt * 40)}" w:firstLineChars="200"/>'
        if indent
        else '<w:ind w:firstLine="0" w:firstLineChars="0"/>'
    )
    return (
        f'<w:pPr {nsdecls("w")}>{extra}<w:spacing w:before="{before}" w:after="{after}" {line}/>{ind}'
        f'<w:jc w:val="{jc}"/></w:pPr>'
    )


def _restyle(style, ppr: str, rpr: str) -> None:
    """Replace a style's paragraph and run properties (python-docx's defaults carry theme fonts and colours)."""
    el = style.element
    for child in el.findall(qn("w:pPr")) + el.findall(qn("w:rPr")):
        el.remove(child)
    el.append(parse_xml(ppr))
    el.append(parse_xml(rpr))


def _styles(doc) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault"))
    rpr_default.remove(rpr_default.find(qn("w:rPr")))
    rpr_default.append(parse_xml(_rpr(BODY_FONT, BODY_PT)))
    ppr_default = defaults.find(qn("w:pPrDefault"))
    ppr_default.remove(ppr_default.find(qn("w:pPr")))
    ppr_default.append(
        parse_xml(f'<w:pPr {nsdecls("w")}><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>')
    )

    s = doc.styles
    _restyle(s["Normal"], _ppr(), _rpr(BODY_FONT, BODY_PT))
    _restyle(
        s["Title"],
        _ppr(
            jc="center", indent=False, line='w:line="720" w:lineRule="exact"', after=LINE_TWIPS, pt=TITLE_PT
        ),
        _rpr(TITLE_FONT, TITLE_PT),
    )
    _restyle(
        s["Heading 1"],
        # half a line before, so a heading does not sit flush under the table of the section before it
        _ppr(extra='<w:keepNext/><w:outlineLvl w:val="0"/>', before=LINE_TWIPS // 2),
        _rpr(H1_FONT, BODY_PT, extra='<w:b w:val="0"/><w:bCs w:val="0"/>'),
    )
    _restyle(
        s["Heading 2"],
        _ppr(extra='<w:keepNext/><w:outlineLvl w:val="1"/>'),
        _rpr(H2_FONT, BODY_PT, extra='<w:b w:val="0"/><w:bCs w:val="0"/>'),
    )
    for name in ("Header", "Footer"):
        _restyle(
            s[name],
            _ppr(jc="center", indent=False, line='w:line="240" w:lineRule="auto"'),
            _rpr(PAGE_FONT, PAGE_PT),
        )
    table = s.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    table.style_id = TABLE_STYLE_ID
    table.base_style = s["Normal"]
    table.quick_style = True
    _restyle(
        table,
        _ppr(jc="center", indent=False, line='w:line="240" w:lineRule="auto"', pt=TABLE_PT),
        _rpr(TABLE_FONT, TABLE_PT),
    )


# python-docx's default package is a Japanese Word's: ＭＳ 明朝 and ＭＳ ゴシック in its font table, a theme
# whose East Asian fonts are Japanese (and Korean, Traditional Chinese), themeFontLang ja-JP, and styles
# that take their East Asian font from that theme.
_THEME_SCRIPTS = re.compile(rb'<a:font script="(?:Jpan|Hang|Hant)" typeface="[^"]*"/>')
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
_LATIN_ENTRY = (
    f'<w:font w:name="{LATIN}"><w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/>'
    '<w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>'
)


def _fonts(doc) -> None:
    """Every 公文 font declared so that where it is missing a Simplified Chinese face of its kind is used."""
    used = [font_of(name) for name in (TITLE_FONT, BODY_FONT, H1_FONT, H2_FONT, PAGE_FONT)]
    assert all(used) and set(used) <= set(FONTS)
    for part in doc.part.package.iter_parts():
        if part.content_type == CT.WML_FONT_TABLE:
            entries = "".join(font_table_entry(f) for f in dict.fromkeys(used))
            part._blob = (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f"<w:fonts {nsdecls('w')}>{_LATIN_ENTRY}{entries}</w:fonts>"
            ).encode()
        elif part.content_type == CT.OFC_THEME:
            part._blob = _THEME_SCRIPTS.sub(b"", part.blob)
    # Word 2010's second copy of the styles, with the same theme fonts: Word and LibreOffice read styles.xml
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            doc.part.drop_rel(rid)
    for fonts in doc.styles.element.iter(qn("w:rFonts")):
        for attr in _THEME_ATTRS:
            fonts.attrib.pop(qn(attr), None)
        if not fonts.attrib:
            fonts.getparent().remove(fonts)
    lang = doc.settings.element.find(qn("w:themeFontLang"))
    lang.set(qn("w:eastAsia"), "zh-CN")


def _page(doc) -> None:
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    sec.header_distance, sec.footer_distance = Mm(15), Mm(25)
    sec.gutter = Mm(0)
    grid = sec._sectPr.find(qn("w:docGrid"))
    grid.set(qn("w:linePitch"), str(LINE_TWIPS))

    header = sec.header.paragraphs[0]
    header.style = doc.styles["Header"]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = header.add_run(f"{{% if draft %}}{DRAFT_MARK}{{% endif %}}")
    run.font.bold = True
    run.font.color.rgb = _RED

    # — 1 —: the page number between two dashes, a PAGE field so Word counts
    footer = sec.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    footer.add_run("— ")
    for xml in (
        '<w:fldChar w:fldCharType="begin"/>',
        '<w:instrText xml:space="preserve"> PAGE </w:instrText>',
        '<w:fldChar w:fldCharType="separate"/>',
        "<w:t>1</w:t>",
        '<w:fldChar w:fldCharType="end"/>',
    ):
        footer._p.append(parse_xml(f"<w:r {nsdecls('w')}>{xml}</w:r>"))
    footer.add_run(" —")


def _body(doc, fmt: Format) -> None:
    def para(text: str, style: str = "Normal"):
        return doc.add_paragraph(text, style=doc.styles[style])

    para("{%p if draft %}")
    mark = para(DRAFT_MARK)
    ind = mark._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLine"), "0")
    ind.set(qn("w:firstLineChars"), "0")
    mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for run in mark.runs:
        run.font.bold = True
        run.font.color.rgb = _RED
    para("{%p endif %}")
    para("{{ title }}", "Title")
    numbered = {p.key for p in fmt.parts if p.title}
    for section in fmt.sections:
        para(section.heading, "Heading 1")
        if section.table:
            para(f"{{{{p {table_var(fmt.table(section.table))} }}}}")
        loop_done = False
        for key in section.parts:
            if key not in numbered:
                para(f"{{%p for para in {key} %}}")
                para("{{ para }}")
                para("{%p endfor %}")
            elif not loop_done:
                loop_done = True
                para(f"{{%p for part in {PARTS_VAR} %}}")
                para("{{ part.heading }}", "Heading 2")
                para("{%p for para in part.paragraphs %}")
                para("{{ para }}")
                para("{%p endfor %}")
                para("{%p endfor %}")


def _properties(doc) -> None:
    p = doc.core_properties
    p.author = p.last_modified_by = "xlsreport"
    p.title = "政府信息公开工作年度报告模板"
    p.created = p.modified = p.last_printed = FIXED_DATE
    p.revision = 1


def build(fmt: Format = DEFAULT) -> bytes:
    """The template's bytes."""
    doc = Document()
    doc._body.clear_content()
    _styles(doc)
    _fonts(doc)
    _page(doc)
    _body(doc, fmt)
    _properties(doc)
    return stable_save(doc)


def main() -> None:
    data = build()
    for path in OUTPUTS:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"wrote {path.relative_to(ROOT)} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
