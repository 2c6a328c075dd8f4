"""The Word report: tables in the official layout, texts, draft marker, the template and its checks."""

from __future__ import annotations

import importlib.util
import io
import random
import re
import shutil
import subprocess
import zipfile
from importlib import resources
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table

from render_cases import random_values
from xlsreport import content, office, render, stablezip, templatecheck
from xlsreport.errors import XlsreportError
from xlsreport.formats import DEFAULT as F
from xlsreport.render import TABLE_STYLE, check_template, render_docx
from xlsreport.rules import compute
from xlsreport.spec import leaves_of
from xlsreport.wording import DRAFT_MARK

ORG, YEAR = "宝清县小城子镇人民政府", 2024
ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "src" / "xlsreport" / "templates" / "report.docx"
CLERKS = ROOT / "templates" / "report.docx"


def zeros() -> dict:
    return compute(F, {})


def build(values=None, texts=None, draft=False, template=None) -> docx.document.Document:
    buf = io.BytesIO()
    render_docx(F, ORG, YEAR, values or zeros(), texts or {}, buf, template, draft)
    return docx.Document(io.BytesIO(buf.getvalue()))


def tables_by_key(doc) -> dict:
    """Each table of the document under the key of the section whose heading comes right before it."""
    out, heading = {}, None
    for el in doc.element.body:
        if el.tag == qn("w:p"):
            text = "".join(t.text or "" for t in el.iter(qn("w:t")))
            heading = next((s.table for s in F.sections if s.heading == text), heading)
        elif el.tag == qn("w:tbl"):
            out[heading] = Table(el, doc._body)
    return out


def grid(table) -> list[list]:
    """The w:tc under each grid position: merged positions share one."""
    return [[c._tc for c in row.cells] for row in table.rows]


def extent(table, row: int, col: int) -> tuple[int, int]:
    """How many rows and columns the cell at (row, col) covers."""
    g = grid(table)
    tc = g[row][col]
    rows = {r for r, line in enumerate(g) if tc in line}
    cols = {c for line in g for c, x in enumerate(line) if x is tc}
    return len(rows), len(cols)


def texts_of(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def body_paragraphs(doc) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in doc.paragraphs]


# ---------------------------------------------------------------- tables
@pytest.fixture(scope="module")
def doc():
    return build(random_values())


def test_every_label_of_the_spec_in_its_own_table(doc):
    tables = tables_by_key(doc)
    assert set(tables) == {t.key for t in F.tables}
    for t in F.tables:
        cells = {text for row in texts_of(tables[t.key]) for text in row}
        for b in t.blocks:
            labels = [x for x in (b.caption, b.corner) if x]
            for tree in (b.columns, b.rows):
                for _, path in leaves_of(tree):
                    labels += [label for label in path if label]
            for label in labels:
                assert label in cells, f"{t.sheet}: “{label}” missing"


def test_table_three_merges_as_the_official_layout(doc):
    t = tables_by_key(doc)["t3"]
    rows = texts_of(t)
    assert len(rows) == 3 + 25 and len(rows[0]) == 3 + 7
    assert rows[0][0].startswith("（本列数据的勾稽关系为") and extent(t, 0, 0) == (3, 3)
    assert rows[0][3] == "申请人情况" and extent(t, 0, 3) == (1, 7)
    assert rows[1][3] == "自然人" and extent(t, 1, 3) == (2, 1)
    assert rows[1][4] == "法人或其他组织" and extent(t, 1, 4) == (1, 5)
    assert rows[2][4:9] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert rows[1][9] == "总计" and extent(t, 1, 9) == (2, 1)
    assert rows[3][0] == "一、本年新收政府信息公开申请数量" and extent(t, 3, 0) == (1, 3)
    assert rows[5][0] == "三、本年度办理结果" and extent(t, 5, 0) == (22, 1)
    assert rows[5][1] == "（一）予以公开" and extent(t, 5, 1) == (1, 2)
    groups = {"（三）不予公开": 8, "（四）无法提供": 3, "（五）不予处理": 5, "（六）其他处理": 3}
    for r, row in enumerate(rows):
        if row[1] in groups and (r == 0 or rows[r - 1][1] != row[1]):
            assert extent(t, r, 1) == (groups.pop(row[1]), 1), row[1]
            assert row[2].startswith("1.")
    assert not groups
    assert rows[26][1] == "（七）总计" and rows[27][0] == "四、结转下年度继续办理"


def test_table_two_has_four_captioned_blocks(doc):
    t = tables_by_key(doc)["t2"]
    rows = texts_of(t)
    captions = [r for r, row in enumerate(rows) if row[0].startswith("第二十条")]
    assert [rows[r][0] for r in captions] == [b.caption for b in F.table("t2").blocks]
    for r in captions:
        assert extent(t, r, 0) == (1, 4)
        assert rows[r + 1][0] == "信息内容"
    assert rows[1][1:] == ["本年制发件数", "本年废止件数", "现行有效件数"]
    one_column = captions[1] + 1
    assert rows[one_column][1] == "本年处理决定数量" and extent(t, one_column, 1) == (1, 3)
    assert rows[-1][0] == "行政事业性收费" and extent(t, len(rows) - 1, 1) == (1, 3)


def test_table_four_has_fifteen_columns_in_three_groups(doc):
    t = tables_by_key(doc)["t4"]
    rows = texts_of(t)
    assert len(rows) == 4 and len(rows[0]) == 15
    assert rows[0][0] == "行政复议" and extent(t, 0, 0) == (2, 5)
    assert rows[0][5] == "行政诉讼" and extent(t, 0, 5) == (1, 10)
    assert rows[1][5] == "未经复议直接起诉" and extent(t, 1, 5) == (1, 5)
    assert rows[1][10] == "复议后起诉" and extent(t, 1, 10) == (1, 5)
    assert rows[2] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3
    assert all(extent(t, 3, c) == (1, 1) for c in range(15))  # the data row has no row label


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_number_in_its_cell(seed):
    values = random_values(seed)
    tables = tables_by_key(build(values))
    for t in F.tables:
        rows = texts_of(tables[t.key])
        stub = max(len(path) for b in t.blocks for _, path in leaves_of(b.rows)) if t.blocks[0].rows else 0
        for f in (f for f in F.table_fields if f.table == t.key):
            block = next(b for b in t.blocks if not b.caption or f.row[0] == b.caption)
            col = stub + [path for _, path in leaves_of(block.columns)].index(f.column)
            if f.row[-1:] and block.rows:  # the row whose last stub cell is the row's own label
                r = next(i for i, row in enumerate(rows) if row[stub - 1] == f.row[-1])
            else:
                r = len(rows) - 1
            expected = content.format_number(values[f.key])
            assert rows[r][col] == expected, (f.key, rows[r][col], expected)
    assert values["t3_total_total"] > 0 and str(values["t3_total_total"]) in texts_of(tables["t3"])[26]


def test_amounts_print_without_trailing_zeros():
    assert [content.format_number(v) for v in (12.5, 0, 0.0, 3.0, 0.1234, 7)] == [
        "12.5",
        "0",
        "0",
        "3",
        "0.1234",
        "7",
    ]
    rows = texts_of(tables_by_key(build({**zeros(), "t2_fees_amount": 12.50}))["t2"])
    assert rows[-1][1] == "12.5"


def test_tables_fit_the_text_width_with_borders(doc):
    for t in tables_by_key(doc).values():
        tbl = t._tbl
        widths = [int(g.get(qn("w:w"))) for g in tbl.tblGrid.iter(qn("w:gridCol"))]
        assert abs(sum(widths) - 156 / 25.4 * 1440) < 2
        borders = tbl.tblPr.find(qn("w:tblBorders"))
        assert {b.tag.split("}")[1] for b in borders} == {
            "top",
            "left",
            "bottom",
            "right",
            "insideH",
            "insideV",
        }
        assert {p.style.name for row in t.rows for c in row.cells for p in c.paragraphs} == {TABLE_STYLE}


# ---------------------------------------------------------------- texts
def test_parts_are_numbered_in_the_order_present():
    texts = {
        "overview": "开篇",
        "active": "主动",
        "request": "",
        "management": " \n ",
        "platform": "平台",
        "oversight": "监督",
    }
    doc = build(texts=texts)
    headings = [text for style, text in body_paragraphs(doc) if style == "Heading 2"]
    assert headings == ["（一）主动公开", "（二）政府信息公开平台建设", "（三）监督保障"]


def test_each_line_is_a_paragraph_and_sections_follow_the_spec():
    texts = {"overview": "第一段\n\n   第二段  \r\n", "problems": "问题", "other": ""}
    paras = body_paragraphs(build(texts=texts))
    assert paras[0] == ("Title", f"{ORG}\n{YEAR}年政府信息公开工作年度报告")  # a line break after the name
    h1 = [text for style, text in paras if style == "Heading 1"]
    assert h1 == [s.heading for s in F.sections]
    start = paras.index(("Heading 1", F.sections[0].heading))
    assert paras[start + 1 : start + 3] == [("Normal", "第一段"), ("Normal", "第二段")]
    assert paras[-2:] == [("Normal", "问题"), ("Heading 1", F.sections[-1].heading)]  # 六 empty: heading only
    assert not any("{" in text or "%" in text for _, text in paras)


def test_text_is_escaped_not_interpreted():
    raw = "a < b && c > d \"x\" 'y' {{ title }}"
    paras = [text for _, text in body_paragraphs(build(texts={"other": raw}))]
    assert raw in paras


def test_draft_marker_only_when_draft():
    for draft in (True, False):
        doc = build(draft=draft)
        body = [text for _, text in body_paragraphs(doc)]
        header = doc.sections[0].header.paragraphs[0].text
        assert (DRAFT_MARK in body) is draft and (DRAFT_MARK in header) is draft
        assert body[1 if draft else 0].replace("\n", "") == F.title(ORG, YEAR)


def test_same_input_same_bytes():
    values, outs = random_values(), []
    for _ in range(2):
        buf = io.BytesIO()
        render_docx(F, ORG, YEAR, values, {"overview": "x"}, buf)
        outs.append(buf.getvalue())
    assert outs[0] == outs[1]


def test_same_bytes_whatever_was_rendered_before(tmp_path):
    """A template is prepared once per process: a report does not depend on what the process did before."""
    values = random_values(5)
    texts = {"overview": "开篇", "other": "其他"}

    def report(**kwargs) -> bytes:
        buf = io.BytesIO()
        render_docx(F, ORG, YEAR, values, texts, buf, **kwargs)
        return buf.getvalue()

    first = report()
    report(draft=True)
    custom_path = custom(tmp_path, lambda doc: doc.add_paragraph("{{ org }}"))
    report(template=custom_path)
    assert report() == first
    render._CACHE.clear()
    assert report() == first


def test_the_document_is_a_plain_zip_with_fixed_dates():
    buf = io.BytesIO()
    render_docx(F, ORG, YEAR, random_values(), {"overview": "x"}, buf, draft=True)
    with zipfile.ZipFile(buf) as z:
        assert z.testzip() is None
        names = z.namelist()
        assert names[:2] == ["[Content_Types].xml", "_rels/.rels"] and len(set(names)) == len(names)
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert {i.compress_type for i in z.infolist()} == {zipfile.ZIP_DEFLATED}
        with zipfile.ZipFile(SHIPPED) as template:
            assert set(names) == set(template.namelist())


def test_members_compressed_once_are_what_zipfile_writes():
    """stablezip copies members deflated before by doing what zipfile does inside: a new Python must agree."""
    rng = random.Random(7)
    blobs = [
        (f"m{i}.xml", bytes(rng.choice(b"<w:p/>\n\xe4\xb8\x80") for _ in range(n)))
        for i, n in enumerate([0, 1, 5000, 80000])
    ]
    plain = stablezip.zip_bytes(blobs)
    for keep in range(len(blobs)):  # every member but one copied
        members = [
            (name, blob if i == keep else stablezip.compress(name, blob))
            for i, (name, blob) in enumerate(blobs)
        ]
        assert stablezip.zip_bytes(members) == plain
    with zipfile.ZipFile(io.BytesIO(plain)) as z:
        assert [(i.filename, z.read(i)) for i in z.infolist()] == blobs


def test_tabs_in_texts_and_names_become_tabs():
    doc = build(texts={"overview": "甲\t乙"})
    p = next(p for p in doc.paragraphs if p.text.startswith("甲"))
    assert p.text == "甲\t乙" and p._p.xpath(".//w:tab")


def test_writes_to_a_path(tmp_path):
    out = tmp_path / "r.docx"
    render_docx(F, ORG, YEAR, zeros(), {}, out)
    assert docx.Document(out).core_properties.title == F.title(ORG, YEAR)


# ---------------------------------------------------------------- the template
def make_template_module():
    spec = importlib.util.spec_from_file_location("make_template", ROOT / "tools" / "make_template.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_templates_are_the_generated_one():
    data = make_template_module().build()
    assert SHIPPED.read_bytes() == data
    assert CLERKS.read_bytes() == data
    assert (resources.files("xlsreport") / "templates" / "report.docx").read_bytes() == data


def style_font(doc, name: str) -> tuple[str, float]:
    style = doc.styles[name]
    return style.element.rPr.rFonts.get(qn("w:eastAsia")), style.font.size.pt


def test_template_follows_gb_t_9704():
    doc = docx.Document(SHIPPED)
    assert style_font(doc, "Title") == ("方正小标宋简体", 22)
    assert style_font(doc, "Normal") == ("仿宋_GB2312", 16)
    assert style_font(doc, "Heading 1") == ("黑体", 16)
    assert style_font(doc, "Heading 2") == ("楷体_GB2312", 16)
    assert style_font(doc, "Footer") == ("宋体", 14)
    assert style_font(doc, TABLE_STYLE)[1] in (9, 10.5)
    normal = doc.styles["Normal"].element.pPr
    assert normal.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    assert normal.find(qn("w:spacing")).get(qn("w:lineRule")) == "exact"
    assert 560 <= int(normal.find(qn("w:spacing")).get(qn("w:line"))) <= 580
    sec = doc.sections[0]
    mm = [round(x.mm) for x in (sec.page_width, sec.page_height, sec.top_margin, sec.bottom_margin)]
    assert mm == [210, 297, 37, 35] and [round(sec.left_margin.mm), round(sec.right_margin.mm)] == [28, 26]
    footer = sec.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "— " in footer
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == [s.heading for s in F.sections]


MM = 1440 / 25.4  # twips


def style_xml(doc, name: str) -> tuple[str | None, int | None]:
    """A style's own w:eastAsia font and w:sz (half-points), read from the XML as Word reads it."""
    rpr = doc.styles[name].element.rPr
    fonts, size = rpr.find(qn("w:rFonts")), rpr.find(qn("w:sz"))
    return fonts.get(qn("w:eastAsia")), int(size.get(qn("w:val")))


def test_built_report_follows_gb_t_9704_in_its_xml(doc):
    """GB/T 9704-2012 as the built document's XML states it, where Word and LibreOffice read it."""
    sect = doc.sections[0]._sectPr
    size, margins = sect.find(qn("w:pgSz")), sect.find(qn("w:pgMar"))
    assert (size.get(qn("w:w")), size.get(qn("w:h")), size.get(qn("w:orient"))) == ("11906", "16838", None)
    for side, mm in {"top": 37, "bottom": 35, "left": 28, "right": 26}.items():  # 天头 37, 订口 28 (±1)
        assert int(margins.get(qn(f"w:{side}"))) == round(mm * MM), side
    # 二号小标宋 title, 三号仿宋 body, 三号黑体 and 楷体 headings, 4号宋体 page numbers, 小五 tables
    assert style_xml(doc, "Title") == ("方正小标宋简体", 44)
    assert style_xml(doc, "Normal") == ("仿宋_GB2312", 32)
    assert style_xml(doc, "Heading 1") == ("黑体", 32)
    assert style_xml(doc, "Heading 2") == ("楷体_GB2312", 32)
    assert style_xml(doc, "Footer") == ("宋体", 28)
    assert style_xml(doc, TABLE_STYLE) == ("仿宋_GB2312", 18)
    # the styles decide: no run of the body, the tables or the footer sets its own font or size
    parts = [doc.element.body, doc.sections[0].footer._element]
    for part in parts:
        for run in part.iter(qn("w:r")):
            rpr = run.find(qn("w:rPr"))
            assert rpr is None or (rpr.find(qn("w:rFonts")) is None and rpr.find(qn("w:sz")) is None)
    assert doc.paragraphs[0].style.name == "Title"
    for tbl in doc.element.body.iter(qn("w:tbl")):
        styles = {p.find(qn("w:pPr")).find(qn("w:pStyle")).get(qn("w:val")) for p in tbl.iter(qn("w:p"))}
        assert styles == {doc.styles[TABLE_STYLE].style_id}
    # the page number is a PAGE field between dashes: begin, instruction, end, in that order
    footer = doc.sections[0].footer._element
    field = [
        el.get(qn("w:fldCharType")) or el.text.strip()
        for el in footer.iter(qn("w:fldChar"), qn("w:instrText"))
    ]
    assert field == ["begin", "PAGE", "separate", "end"]
    assert footer.xpath("string(.)").startswith("— ") and footer.xpath("string(.)").endswith(" —")


# ---------------------------------------------------------------- custom templates
def custom(tmp_path: Path, edit) -> Path:
    doc = docx.Document(SHIPPED)
    edit(doc)
    path = tmp_path / "custom.docx"
    doc.save(path)
    return path


def drop_paragraph(text: str):
    def edit(doc):
        p = next(p for p in doc.paragraphs if p.text == text)
        p._p.getparent().remove(p._p)

    return edit


def test_a_restyled_template_renders(tmp_path):
    def restyle(doc):
        doc.styles["Normal"].font.size = Pt(14)
        doc.add_paragraph("{{ org }}（盖章）")

    path = custom(tmp_path, restyle)
    check_template(path, F)
    doc = build(template=path)
    assert doc.paragraphs[-1].text == f"{ORG}（盖章）"


def test_a_template_fills_its_own_headers_footers_and_tables(tmp_path):
    def extend(doc):
        doc.sections[0].header.paragraphs[0].add_run("{{ org }}")
        doc.sections[0].footer.add_paragraph("{{ year }}年")
        table = doc.add_table(rows=3, cols=2)
        table.cell(0, 0).text = "{%tr for para in overview %}"
        table.cell(1, 0).text = "{{ para }}"
        table.cell(1, 1).text = "{{ org }}"
        table.cell(2, 0).text = "{%tr endfor %}"

    doc = build(texts={"overview": "一\n二"}, template=custom(tmp_path, extend))
    assert doc.sections[0].header.paragraphs[0].text == ORG
    assert doc.sections[0].footer.paragraphs[-1].text == f"{YEAR}年"
    assert texts_of(doc.tables[-1]) == [["一", ORG], ["二", ORG]]
    assert {t.key for t in F.tables} <= set(tables_by_key(doc))


def test_missing_placeholder_is_refused(tmp_path):
    path = custom(tmp_path, drop_paragraph("{{p table3 }}"))
    with pytest.raises(XlsreportError) as err:
        check_template(path, F)
    assert err.value.code == "DOCX_TEMPLATE_INCOMPLETE"
    assert err.value.fields["missing"] == "table3" and err.value.fields["what"] == "占位符"
    with pytest.raises(XlsreportError, match="DOCX_TEMPLATE_INCOMPLETE"):
        build(template=path)


def test_missing_style_is_refused(tmp_path):
    def drop_style(doc):
        el = doc.styles[TABLE_STYLE].element
        el.getparent().remove(el)

    with pytest.raises(XlsreportError) as err:
        check_template(custom(tmp_path, drop_style), F)
    assert err.value.code == "DOCX_TEMPLATE_INCOMPLETE" and err.value.fields["missing"] == TABLE_STYLE


def test_unknown_placeholder_is_refused(tmp_path):
    path = custom(tmp_path, lambda doc: doc.add_paragraph("{{ signature }}"))
    with pytest.raises(XlsreportError) as err:
        check_template(path, F)
    assert err.value.code == "DOCX_TEMPLATE_INVALID" and "signature" in err.value.message


def test_broken_placeholder_is_refused(tmp_path):
    path = custom(tmp_path, lambda doc: doc.add_paragraph("{% if draft %}"))
    with pytest.raises(XlsreportError) as err:
        check_template(path, F)
    assert err.value.code == "DOCX_TEMPLATE_INVALID"


def test_misused_placeholder_stops_with_a_message(tmp_path):
    path = custom(tmp_path, lambda doc: doc.add_paragraph("{{ title.nothing }}"))
    with pytest.raises(XlsreportError) as err:
        build(template=path)
    assert err.value.code == "DOCX_TEMPLATE_INVALID"


@pytest.mark.parametrize("content", [b"not a word file", b"PK\x03\x04broken", None])
def test_not_a_docx_is_refused(tmp_path, content):
    path = tmp_path / "report.docx"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(XlsreportError) as err:
        check_template(path, F)
    assert err.value.code == "DOCX_TEMPLATE_INVALID" and str(path) in err.value.message


def test_a_template_is_checked_once_per_version(tmp_path, monkeypatch):
    path = tmp_path / "t.docx"
    shutil.copy(SHIPPED, path)
    calls = []
    real = render.check_docx
    monkeypatch.setattr(render, "check_docx", lambda *a: calls.append(a) or real(*a))
    for _ in range(3):
        build(template=path)
    assert len(calls) == 1


def test_docs_name_every_placeholder_and_style():
    text = (ROOT / "docs" / "template.md").read_text(encoding="utf-8")
    for name in (
        *templatecheck.placeholders(F),
        *templatecheck.optional_placeholders(F),
        *templatecheck.required_styles(F),
    ):
        assert name in text, name


# ---------------------------------------------------------------- as LibreOffice lays it out
@pytest.mark.libreoffice
def test_libreoffice_lays_out_the_draft(tmp_path):
    """The draft mark in the header and body, as LibreOffice prints them (the final report: test_pdf.py)."""
    if office.soffice() is None or not shutil.which("pdftotext"):
        pytest.skip("LibreOffice (soffice) or pdftotext is not installed")
    buf = io.BytesIO()
    render_docx(F, ORG, YEAR, random_values(), {"overview": "开篇"}, buf, draft=True)
    (tmp_path / "r.pdf").write_bytes(office.pdf_of(buf.getvalue()))
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert re.search(r"—\s*1\s*—", text) and DRAFT_MARK in text
    assert "（本列数据的勾稽关系为" in text and "复议后起诉" in text


# ---------------------------------------------------------------- fonts and title
def test_the_template_declares_each_chinese_font_for_a_simplified_chinese_fallback():
    from xlsreport import fonts

    with zipfile.ZipFile(SHIPPED) as z:
        parts = {name: z.read(name).decode() for name in z.namelist() if name.endswith(".xml")}
    table = docx.oxml.parse_xml(parts["word/fontTable.xml"].encode())
    declared = {f.get(qn("w:name")): f for f in table.iter(qn("w:font"))}
    for family in render.east_asian_fonts(SHIPPED.read_bytes()):
        font, entry = fonts.font_of(family), declared[family]
        assert entry.find(qn("w:charset")).get(qn("w:val")) == "86", family  # GB2312
        assert entry.find(qn("w:altName")).get(qn("w:val")) == font.alt
        assert re.fullmatch(r"[0-9A-F]{20}", entry.find(qn("w:panose1")).get(qn("w:val")))
        family_class = entry.find(qn("w:family")).get(qn("w:val"))
        assert family_class == ("swiss" if font.kind == fonts.HEI else "roman"), family
    # nothing Japanese (nor Korean, Traditional Chinese) left from python-docx's default package
    for name, xml in parts.items():
        assert not re.search(r"ＭＳ|明朝|ゴシック|Jpan|Hang|Hant|ja-JP|eastAsiaTheme", xml), name
    langs = re.findall(r'<w:lang [^>]*w:eastAsia="([^"]+)"', parts["word/styles.xml"])
    assert langs and set(langs) == {"zh-CN"}
    assert 'w:eastAsia="zh-CN"' in re.search(r"<w:themeFontLang [^>]*>", parts["word/settings.xml"])[0]


def title_xml(doc) -> list[str]:
    """The title paragraph's text, split at its line breaks (w:br), as Word and LibreOffice lay it out."""
    p = next(p for p in doc.paragraphs if p.style.name == "Title")
    lines = [""]
    for el in p._p.iter(qn("w:t"), qn("w:br")):
        if el.tag == qn("w:br"):
            lines.append("")
        else:
            lines[-1] += el.text or ""
    return lines


@pytest.mark.parametrize(
    ("org", "lines"),
    [
        (ORG, [ORG]),
        ("黑龙江省双鸭山市宝清县小城子镇人民政府", ["黑龙江省双鸭山市宝清县小城子镇人民政府"]),  # 19: fits
        (
            "新疆维吾尔自治区伊犁哈萨克自治州察布查尔锡伯自治县人民政府办公室",
            ["新疆维吾尔自治区伊犁哈萨克自治州", "察布查尔锡伯自治县人民政府办公室"],
        ),
        ("双鸭山市市场监督管理局", ["双鸭山市市场监督管理局"]),
        (
            "黑龙江省双鸭山市宝清县人民政府办公室政务公开办",
            ["黑龙江省双鸭山市宝清县", "人民政府办公室政务公开办"],
        ),
    ],
)
def test_the_title_breaks_after_the_body_and_between_words(org, lines):
    buf = io.BytesIO()
    render_docx(F, org, YEAR, zeros(), {}, buf)
    doc = docx.Document(io.BytesIO(buf.getvalue()))
    assert title_xml(doc) == [*lines, f"{YEAR}年政府信息公开工作年度报告"]
    assert doc.core_properties.title == F.title(org, YEAR)  # the document's title stays one line


def test_title_words_of_body_names():
    from xlsreport.title import name_words

    assert name_words("宝清县小城子镇人民政府") == ["宝清县", "小城子镇", "人民政府"]
    assert name_words("双鸭山市市场监督管理局") == ["双鸭山市", "市场监督管理局"]  # not 市 / 场
    assert name_words("中共宝清县委员会办公室") == ["中共宝清县委员会", "办公室"]  # not 县 / 委
    assert name_words("济南市市中区人民政府") == ["济南市", "市中区", "人民政府"]
    assert name_words("宝清县政务服务中心") == ["宝清县政务服务中心"]
