"""render_docx re-does DocxTemplate.render step by step on sources prepared once per template (render.py);
here every case of render_cases.py is rendered both ways and must come out the same, so an upgrade of docxtpl
or python-docx that changes what they produce fails here rather than in a clerk's report.

The comparison is of the packages' members: the same names in the same order, each member's bytes identical.
Only the zip container differs: docxtpl's save dates every member now and compresses it at zlib's default
level, where render_docx dates them ZIP_DATE (stablezip.py), so equal documents are equal files.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined
from lxml import etree
from markupsafe import Markup

from render_cases import cases
from xlsreport import render
from xlsreport.errors import XlsreportError
from xlsreport.sandbox import SafeEnvironment
from xlsreport.wording import GENERATED_MARK


def members(document: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(document)) as z:
        return [(info.filename, z.read(info)) for info in z.infolist()]


def ours(kwargs: dict) -> bytes:
    buf = io.BytesIO()
    render.render_docx(out=buf, **kwargs)
    return buf.getvalue()


def plain_docxtpl(kwargs: dict) -> bytes:
    """The same report made the documented way: DocxTemplate(template).render(context), then what
    render_docx adds (the tables in place of their placeholders, highlights, the title property), saved."""
    fmt, values = kwargs["fmt"], kwargs["values"]
    template = kwargs.get("template") or render._default_template()
    loaded = render._load(kwargs.get("template"), fmt)
    context = render._context(
        loaded, fmt, kwargs["org"], kwargs["year"], kwargs["texts"], kwargs.get("draft", False)
    )
    for t in fmt.tables:
        table = etree.tostring(render._table(loaded.tables[t.key], values), encoding="unicode")
        context[render.table_var(t)] = Markup(table)
    tpl = DocxTemplate(template)
    tpl.render(context, SafeEnvironment(autoescape=True, undefined=StrictUndefined))
    if any(p.text.startswith(GENERATED_MARK) for p in tpl.docx.paragraphs):
        render._highlight_generated(tpl.docx)
    tpl.docx.core_properties.title = fmt.title(kwargs["org"], kwargs["year"])
    buf = io.BytesIO()
    tpl.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def all_cases(tmp_path_factory):
    return list(cases(tmp_path_factory.mktemp("oracle")))


def test_render_docx_makes_what_docxtpl_makes(all_cases):
    compared = refused = 0
    for name, kwargs in all_cases:
        try:
            mine = ours(kwargs)
        except XlsreportError:  # a template we refuse: docxtpl would render it, or fail its own way
            refused += 1
            continue
        theirs = plain_docxtpl(kwargs)
        mine_members, their_members = members(mine), members(theirs)
        assert [n for n, _ in mine_members] == [n for n, _ in their_members], name
        for (member, a), (_, b) in zip(mine_members, their_members, strict=True):
            assert a == b, f"{name}: {member} differs from docxtpl's"
        compared += 1
    assert compared == 27 and refused == 12, (compared, refused)  # the err_ templates, final and draft
