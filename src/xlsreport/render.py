"""The Word report: a docxtpl template filled with the texts and the official tables (python-docx only here)."""

from __future__ import annotations

import copy
import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import SimpleNamespace
from typing import BinaryIO

from docx.document import Document
from docx.enum.text import WD_COLOR_INDEX
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.coreprops import CoreProperties
from docx.opc.oxml import serialize_part_xml
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Pt
from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, TemplateError
from lxml import etree
from markupsafe import Markup

from .content import cell_text, text_context
from .docxtable import NUMBER, table_xml
from .errors import InputError
from .reasons import reason
from .sandbox import SafeEnvironment, failure, time_limit
from .spec import Format, Table
from .stablezip import Compressed, compress, zip_bytes
from .templatecheck import TABLE_STYLE, check_docx, table_var
from .title import title_lines
from .wording import GENERATED_MARK


# ---------------------------------------------------------------- loading templates, once per file
class _CachingEnvironment(SafeEnvironment):
    """docxtpl compiles each part's XML with from_string on every render; compile each source once.
    A template is code from elsewhere: rendered in a sandbox (sandbox.py)."""

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=StrictUndefined)
        self._compiled: dict[str, object] = {}

    def from_string(self, source, globals=None, template_class=None):  # type: ignore[override]
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        if source not in self._compiled:
            self._compiled[source] = super().from_string(source)
        return self._compiled[source]


class _Template(DocxTemplate):
    """docxtpl's rendering steps, two of them skipped where they cannot change the document."""

    def __init__(self, own_tables: bool) -> None:
        super().__init__(None)  # used for its steps only: it never opens a file
        self.own_tables = own_tables
        self.docx_ids_index = 1000  # as render_init sets it: pictures' docPr ids count from 1001

    def resolve_listing(self, xml):
        # it rewrites only tabs, bells, newlines and form feeds in run text, with three nested regex passes
        # over every paragraph: a document without them is returned as is
        return super().resolve_listing(xml) if any(c in xml for c in "\t\a\n\f") else xml

    def fix_tables(self, xml):
        # it widens or narrows the grid of tables whose rows a {%tc %} loop or a clerk left of another
        # width; the tables we generate always fill their grid, so without the template's own only parse
        if self.own_tables:
            return super().fix_tables(xml)
        return etree.fromstring(xml, parser=etree.XMLParser(recover=True))


@dataclass(frozen=True)
class _TableCopy:
    """A table laid out and parsed once; each report gets a copy with its numbers in."""

    element: etree._Element
    texts: tuple[int, ...]  # which w:t of the table, in document order, holds each number
    keys: tuple[str, ...]  # the field of each number


@dataclass(frozen=True)
class _Loaded:
    """A checked template, with everything a document of it does not change done once (see _prepare)."""

    data: bytes
    env: _CachingEnvironment
    body: str  # the document body as docxtpl patches it: jinja source
    own_tables: bool  # whether the body has tables of its own (not our placeholders')
    document: tuple[str, bytes]  # member name, and the XML the rendered body is put into
    hdrftr: tuple[tuple[str, str, str], ...]  # each header, then each footer: member, jinja source, encoding
    core: tuple[str, bytes]
    footnotes: tuple[tuple[str, bytes], ...]
    sections: int
    title_ems: float  # how many characters of the title style a line of the text block holds
    tables: Mapping[str, _TableCopy]  # by table key
    members: tuple[tuple[str, Compressed | None], ...]  # the .docx in order; None: rendered per document


# (path, mtime, size, format) -> a checked template; a batch of renders reads and checks a template once
_CACHE: dict[tuple[str, int, int, Format], _Loaded] = {}
_CACHE_SIZE = 8


def _default_template() -> Path:
    ref = resources.files("xlsreport") / "templates" / "report.docx"
    with resources.as_file(ref) as path:  # a real file for an installed or source tree package
        return Path(path)


def _load(template: Path | None, fmt: Format) -> _Loaded:
    path = Path(template) if template is not None else _default_template()
    try:
        st = path.stat()
    except OSError:
        raise InputError(
            "DOCX_TEMPLATE_INVALID", path=path, reason=reason("DOCX_TEMPLATE_INVALID", "missing")
        ) from None
    key = (str(path.resolve()), st.st_mtime_ns, st.st_size, fmt)
    if key not in _CACHE:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError("DOCX_TEMPLATE_INVALID", path=path, reason=exc.strerror or str(exc)) from None
        env = _CachingEnvironment()
        tpl = check_docx(path, data, env, fmt)
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.clear()
        _CACHE[key] = _prepare(data, env, tpl, fmt)
    return _CACHE[key]


def _prepare(data: bytes, env: _CachingEnvironment, tpl: DocxTemplate, fmt: Format) -> _Loaded:
    """What DocxTemplate.render and stable_save do that does not depend on the document, done once.

    Rendering a report used to reload the whole package (its styles are 800 kB of XML), patch the body's
    XML with docxtpl's regexes, lay out the tables and compress every part again; only the body, the
    headers, footers, footnotes and core properties change from one report to the next.
    """
    doc = tpl.get_docx()
    doc.core_properties  # noqa: B018 -- a template without them gets python-docx's default, as rendering does
    package = doc.part.package
    hdrftr = []
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for _, part in tpl.get_headers_footers(uri):
            xml = tpl.get_part_xml(part)
            hdrftr.append(
                (part.partname.membername, tpl.patch_xml(xml), tpl.get_headers_footers_encoding(xml))
            )
    footnotes = tuple(
        (part.partname.membername, part.blob)
        for part in package.parts
        if part.content_type == CT.WML_FOOTNOTES
    )
    body = tpl.patch_xml(tpl.get_xml())
    document = (doc.part.partname.membername, serialize_part_xml(doc.element))
    core_part = package.part_related_by(RT.CORE_PROPERTIES)
    core = (core_part.partname.membername, serialize_part_xml(core_part.element))
    rendered = {document[0], core[0], *(name for name, _, _ in hdrftr), *(name for name, _ in footnotes)}
    style_id = doc.styles[TABLE_STYLE].style_id
    return _Loaded(
        data=data,
        env=env,
        body=body,
        own_tables="<w:tbl" in body,
        document=document,
        hdrftr=tuple(hdrftr),
        core=core,
        footnotes=footnotes,
        sections=len(doc.sections),
        title_ems=_title_ems(doc),
        tables={t.key: _table_copy(tpl, env, t, style_id) for t in fmt.tables},
        members=tuple(
            (name, None if name in rendered else compress(name, blob)) for name, blob in _members(package)
        ),
    )


_TITLE_PT = 22  # 二号, for a template whose title style says no size


def _title_ems(doc) -> float:
    """Characters of the title's size a line holds, one kept in hand: a font a little wider than its size
    (a substitute, a bold) still fits, so Word and LibreOffice break the title at the same places."""
    sec = doc.sections[0]
    size = next((s.font.size for s in _style_chain(doc, "Title") if s.font.size), None) or Pt(_TITLE_PT)
    return (sec.page_width - sec.left_margin - sec.right_margin) / size - 1


def _style_chain(doc, name: str):
    style = next((s for s in doc.styles if s.name == name), None)
    while style is not None:
        yield style
        style = style.base_style


def check_template(template: Path | None, fmt: Format) -> None:
    """Raise XlsreportError when `template` (None: the shipped one) cannot render a report of `fmt`."""
    _load(template, fmt)


# ---------------------------------------------------------------- the document
def render_docx(
    fmt: Format,
    org: str,
    year: int,
    values: Mapping[str, int | float],
    texts: Mapping[str, str],
    out: Path | BinaryIO,
    template: Path | None = None,
    draft: bool = False,
) -> None:
    """Write the report of `org` for `year` to `out` (a path or a binary file), as a draft if `draft`."""
    loaded = _load(template, fmt)
    title = fmt.title(org, year)
    context = _context(loaded, fmt, org, year, texts, draft)
    try:
        with time_limit():
            parts = _render_parts(loaded, context, title, values)
    except TemplateError as exc:  # a placeholder used the wrong way, e.g. {{ parts.title }}
        why = reason("DOCX_TEMPLATE_INVALID", "syntax", detail=getattr(exc, "message", None) or exc)
        raise InputError("DOCX_TEMPLATE_INVALID", path=template or _default_template(), reason=why) from None
    except Exception as exc:  # refused by the sandbox, or an expression failing on this report's data
        sources = [loaded.body, *(source for _, source, _ in loaded.hdrftr)]
        raise failure(template or _default_template(), exc, sources, loaded.env, context) from None
    data = zip_bytes((name, parts[name] if member is None else member) for name, member in loaded.members)
    if isinstance(out, (str, Path)):
        Path(out).write_bytes(data)
    else:
        out.write(data)


_TABLE_PI = "xlsreport-table"


def _context(
    loaded: _Loaded, fmt: Format, org: str, year: int, texts: Mapping[str, str], draft: bool
) -> dict[str, object]:
    """What the template's placeholders are given (docs/template.md)."""
    # the body's name, then the report's name, each line ended by a line break in the title's run
    lines = title_lines(fmt, org, year, loaded.title_ems)
    shown = Markup('</w:t><w:br/><w:t xml:space="preserve">').join(lines)
    context: dict[str, object] = {"title": shown, "org": org, "year": year, "draft": draft}
    context.update(text_context(fmt, texts))
    for t in fmt.tables:
        # a table goes in place of the `{{p tableN }}` paragraph, as docxtpl's Subdoc would put it; its
        # Subdoc class needs the optional docxcompose package and parses a blank document per table.
        # The body holds a processing instruction there, which _render_parts replaces with the table.
        context[table_var(t)] = Markup(f"<?{_TABLE_PI} {t.key}?>")
    return context


def _render_parts(
    loaded: _Loaded, context: Mapping[str, object], title: str, values: Mapping[str, int | float]
) -> dict[str, bytes]:
    """The parts of a document that change with `context`, by member name: DocxTemplate.render step by step
    on the sources _prepare made, then what render_docx adds (highlights, the title), serialized as
    python-docx saves them."""
    env, tpl = loaded.env, _Template(loaded.own_tables)
    xml = tpl.render_xml_part(loaded.body, None, context, env)
    tree = tpl.fix_tables(xml)
    for pi in list(tree.iter(etree.ProcessingInstruction)):
        if pi.target == _TABLE_PI:
            table = _table(loaded.tables[pi.text], values)
            table.tail = pi.tail
            pi.getparent().replace(pi, table)
    tpl.fix_docpr_ids(tree)
    root = parse_xml(loaded.document[1])
    root.replace(root.body, tree)
    del tree  # its proxy is lxml's plain class; the body's proxies made from here on are python-docx's
    if GENERATED_MARK[0] in xml:  # a paragraph cannot start with the mark unless its first character is there
        _highlight_generated(Document(root, None))
    out = {loaded.document[0]: serialize_part_xml(root)}
    for name, source, encoding in loaded.hdrftr:
        rendered = tpl.render_xml_part(source, None, context, env).encode(encoding)
        out[name] = serialize_part_xml(parse_xml(rendered))  # docxtpl loads it as a new XmlPart
    core = parse_xml(loaded.core[1])
    props = CoreProperties(core)
    tpl.docx = SimpleNamespace(core_properties=props)  # all render_properties reads of its document
    tpl.render_properties(context, env)
    props.title = title
    out[loaded.core[0]] = serialize_part_xml(core)
    for name, blob in loaded.footnotes:
        for _ in range(loaded.sections):  # docxtpl renders every footnotes part once per section
            source = tpl.patch_xml(blob.decode("utf-8"))
            blob = tpl.render_xml_part(source, None, context, env).encode("utf-8")
        out[name] = blob
    return out


# ---------------------------------------------------------------- the official tables
_W_T = qn("w:t")


def _table_copy(tpl: DocxTemplate, env: Environment, t: Table, style_id: str) -> _TableCopy:
    """Only the numbers of a table differ between reports: it is laid out and parsed once per template."""
    xml, keys = table_xml(t, style_id)
    # as docxtpl leaves it when the body it is rendered into holds it (resolve_listing etc.)
    xml = tpl.render_xml_part("{{ table }}", None, {"table": Markup(xml)}, env)
    element = etree.fromstring(xml)
    texts = tuple(i for i, el in enumerate(element.iter(_W_T)) if el.text == NUMBER)
    assert len(texts) == len(keys), t.key
    return _TableCopy(element, texts, keys)


def _table(copied: _TableCopy, values: Mapping[str, int | float]) -> etree._Element:
    """A table of a report: a copy of the template's, with the numbers of `values` in."""
    table = copy.deepcopy(copied.element)
    texts = list(table.iter(_W_T))
    for i, key in zip(copied.texts, copied.keys, strict=True):
        text = cell_text(values[key])
        if text:
            texts[i].text = text
        else:  # an empty cell has no run, as _run writes it
            run = texts[i].getparent()
            run.getparent().remove(run)
    return table


def _highlight_generated(doc) -> None:
    """Paragraphs the program wrote (they start with GENERATED_MARK) are highlighted for the clerk."""
    for p in doc.paragraphs:
        if p.text.startswith(GENERATED_MARK):
            for run in p.runs:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW


_FONT_PARTS = re.compile(r"word/(styles|document|header\d*|footer\d*)\.xml")


def east_asian_fonts(document: bytes) -> tuple[str, ...]:
    """The Chinese fonts a .docx names (w:eastAsia of its styles, body, headers and footers), in order.

    Theme references (w:eastAsiaTheme) are left out: they name no family of their own.
    """
    found: dict[str, None] = {}
    with zipfile.ZipFile(io.BytesIO(document)) as z:
        for name in z.namelist():
            if _FONT_PARTS.fullmatch(name):
                for fonts in parse_xml(z.read(name)).iter(qn("w:rFonts")):
                    family = (fonts.get(qn("w:eastAsia")) or "").strip()
                    if family:
                        found.setdefault(family, None)
    return tuple(found)


def _members(package) -> list[tuple[str, bytes]]:
    """The members of a package's .docx, in the order python-docx writes them: saved by its public API and
    read back (once per template; the members that do not change are then reused for every report)."""
    buf = io.BytesIO()
    package.save(buf)
    with zipfile.ZipFile(buf) as z:
        return [(info.filename, z.read(info)) for info in z.infolist()]


def stable_save(document) -> bytes:
    """The .docx of a python-docx `document`, every member dated ZIP_DATE: equal documents, equal files."""
    return zip_bytes(_members(document.part.package))
