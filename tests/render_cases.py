"""Rendering cases reaching every corner of docxtpl's rendering: the bundled samples and variants (draft,
generated paragraphs, empty and hostile texts, odd organisation names) with the shipped template, and custom
templates (headers and footers with placeholders, footnotes in two sections, the template's own tables, a
{%tr %} loop, a picture, core properties with placeholders, tabs and line breaks), and refused templates.
tests/test_render_oracle.py renders each with render_docx and with plain docxtpl.
"""

from __future__ import annotations

import io
import json
import random
import struct
import zlib
from pathlib import Path

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.shared import Mm, Pt

from xlsreport import api
from xlsreport.errors import XlsreportError
from xlsreport.formats import DEFAULT as F
from xlsreport.generated import auto_summary
from xlsreport.render import TABLE_STYLE, render_docx
from xlsreport.rules import compute
from xlsreport.spec import Kind

SHIPPED = Path(__file__).resolve().parent.parent / "src" / "xlsreport" / "templates" / "report.docx"
HOSTILE = "a < b && c > d \"x\" 'y' {{ title }} {% if %} ]]> &amp; \x01\x07\x0c\x1f end"


def random_values(seed: int = 1) -> dict:
    rng = random.Random(seed)
    inputs = {
        f.key: round(rng.uniform(0, 500), rng.randint(0, 4)) if f.kind is Kind.AMOUNT else rng.randint(0, 999)
        for f in F.inputs
    }
    return compute(F, inputs)


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0\0\0\0"))
        + chunk(b"IEND", b"")
    )


def _footnotes(doc, text: str) -> None:
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    blob = (
        f"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n<w:footnotes {ns}>"
        f'<w:footnote w:id="1"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:footnote></w:footnotes>'
    ).encode()
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, blob, doc.part.package)
    doc.part.relate_to(part, RT.FOOTNOTES)


def templates(folder: Path) -> dict[str, Path]:
    """Custom templates, each reaching a different corner of docxtpl's rendering."""
    out = {}

    def save(name: str, edit) -> None:
        doc = docx.Document(SHIPPED)
        edit(doc)
        out[name] = folder / f"{name}.docx"
        doc.save(out[name])

    def restyled(doc):
        doc.styles["Normal"].font.size = Pt(14)
        doc.add_paragraph("{{ org }}（盖章）")

    def rich(doc):
        doc.sections[0].header.paragraphs[0].add_run("{{ org }}\t{{ year }}")
        doc.sections[0].footer.add_paragraph("第{{ year }}年 & <页>")
        doc.add_paragraph("制表\t单位：{{ org }}")
        doc.core_properties.subject = "{{ org }}的{{ year }}年报告"
        doc.core_properties.author = "A & B <x>"
        doc.core_properties.comments = "{{ title }}"
        t = doc.add_table(rows=2, cols=3)
        t.style = doc.styles["Table Grid"] if "Table Grid" in [s.name for s in doc.styles] else None
        t.cell(0, 0).text = "{{ org }}"
        t.cell(1, 0).merge(t.cell(1, 2)).text = "合并"
        loop = doc.add_table(rows=3, cols=2)
        loop.cell(0, 0).text = "{%tr for para in overview %}"
        loop.cell(1, 0).text = "{{ para }}"
        loop.cell(1, 1).text = "{{ loop.index }}"
        loop.cell(2, 0).text = "{%tr endfor %}"
        short = doc.add_table(rows=1, cols=4)
        tr = short.rows[0]._tr
        tr.remove(tr.tc_lst[-1])  # a row shorter than its grid: fix_tables drops a column
        short.cell(0, 0).text = "{{ year }}"
        doc.add_paragraph().add_run().add_picture(io.BytesIO(_png()), width=Mm(10))
        doc.add_paragraph().add_run().add_picture(io.BytesIO(_png()), width=Mm(10))
        _footnotes(doc, "注：{{ org }}")
        doc.add_section()
        doc.sections[1].header.is_linked_to_previous = False
        doc.sections[1].header.paragraphs[0].text = "第二节 {{ title }}"

    def plain_headers(doc):
        doc.sections[0].header.paragraphs[0].text = "无占位符的页眉"
        doc.add_paragraph("{% if draft %}草稿{% endif %}{{ title }}")

    save("restyled", restyled)
    save("rich", rich)
    save("plain_headers", plain_headers)

    def no_placeholder(doc):
        p = next(p for p in doc.paragraphs if p.text == "{{p table3 }}")
        p._p.getparent().remove(p._p)

    def no_style(doc):
        el = doc.styles[TABLE_STYLE].element
        el.getparent().remove(el)

    save("err_missing", no_placeholder)
    save("err_style", no_style)
    save("err_unknown", lambda doc: doc.add_paragraph("{{ signature }}"))
    save("err_broken", lambda doc: doc.add_paragraph("{% if draft %}"))
    save("err_misused", lambda doc: doc.add_paragraph("{{ title.nothing }}"))
    (folder / "err_notdocx.docx").write_bytes(b"PK\x03\x04broken")
    out["err_notdocx"] = folder / "err_notdocx.docx"
    return out


def cases(folder: Path):
    """(name, keyword arguments of render_docx) for every case."""
    samples = dict(api.sample_files())
    for name in sorted(samples):
        book = api.fill(json.loads(samples[name]), folder / f"{name}.xlsx")
        c = api.check(book)
        base = {"fmt": c.fmt, "org": c.org, "year": c.year, "values": c.values, "texts": c.texts}
        yield name, base
        yield name + "-draft", {**base, "draft": True}
        yield name + "-auto", {**base, "texts": auto_summary(c.fmt, c.values, c.texts, c.year)}
        yield (
            name + "-auto-draft",
            {**base, "texts": auto_summary(c.fmt, c.values, c.texts, c.year), "draft": True},
        )
    org, zeros = "宝清县小城子镇人民政府", compute(F, {})
    base = {"fmt": F, "org": org, "year": 2024, "values": zeros, "texts": {}}
    yield "empty", base
    yield "empty-draft", {**base, "draft": True}
    texts = {p.key: f"{p.key}\n{HOSTILE}\n\n  第二段\t制表符  \r\n\x0b三\x0b" for p in F.parts}
    yield "hostile", {**base, "values": random_values(1), "texts": texts}
    yield (
        "long",
        {**base, "values": random_values(2), "texts": {p.key: "长" * 20000 + "\n" + "短" for p in F.parts}},
    )
    yield (
        "some-parts",
        {**base, "values": random_values(3), "texts": {"overview": "开篇", "platform": "平台"}},
    )
    yield "odd-org", {**base, "org": "A&B <公司> \"引号\" '单'\t制表", "texts": {"overview": "x"}}
    yield "newline-org", {**base, "org": "第一行\n第二行", "draft": True}
    yield "generated", {**base, "texts": {"overview": "【系统生成】开头\n中间【系统生成】\n【系统生成】"}}
    for name, path in templates(folder).items():
        for draft in (False, True):
            yield (
                f"tpl-{name}-{'draft' if draft else 'final'}",
                {
                    **base,
                    "values": random_values(4),
                    "texts": {"overview": "一\n二", "active": "主动", "other": HOSTILE},
                    "template": path,
                    "draft": draft,
                },
            )
    yield "shipped-again", {**base, "draft": True}  # after the custom templates: nothing leaked


def outcome(kwargs: dict) -> bytes:
    buf = io.BytesIO()
    try:
        render_docx(out=buf, **kwargs)
    except XlsreportError as exc:
        path = str(kwargs.get("template"))
        return f"ERROR {exc.code} {exc.message.replace(path, '<template>')}".encode()
    return buf.getvalue()
