"""What a Word template must hold to render a report of a format: its placeholders and styles, and the check
that refuses one lacking them (or with placeholders of its own, or not a .docx at all)."""

from __future__ import annotations

import io
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2 import Environment, TemplateError

from .content import PARTS_VAR
from .errors import InputError
from .reasons import reason
from .spec import Format, Table

TABLE_STYLE = "表格文字"  # the paragraph style of every table cell; a clerk restyles the tables through it


def table_var(table: Table) -> str:
    """The placeholder of a table: t3 → table3."""
    return "table" + table.key.removeprefix("t")


def _numbered(fmt: Format) -> set[str]:
    return {p.key for p in fmt.parts if p.title}


def placeholders(fmt: Format) -> tuple[str, ...]:
    """The placeholders a template must use, in document order: a custom template lacking one is refused."""
    numbered = _numbered(fmt)
    out = ["draft", "title"]
    for s in fmt.sections:
        if s.table:
            out.append(table_var(fmt.table(s.table)))
        for key in s.parts:
            name = PARTS_VAR if key in numbered else key
            if name not in out:
                out.append(name)
    return tuple(out)


def optional_placeholders(fmt: Format) -> tuple[str, ...]:
    """Placeholders a template may use besides the required ones: org, year, each numbered part by its key."""
    return ("org", "year", *(p.key for p in fmt.parts if p.title))


def required_styles(fmt: Format) -> tuple[str, ...]:
    """The styles the generated content (the tables) applies by name."""
    return (TABLE_STYLE,)


def check_docx(path: Path, data: bytes, env: Environment, fmt: Format) -> DocxTemplate:
    tpl = DocxTemplate(io.BytesIO(data))
    try:
        found = tpl.get_undeclared_template_variables(env)
        styles = {s.name for s in tpl.get_docx().styles}
    except TemplateError as exc:
        why = reason("DOCX_TEMPLATE_INVALID", "syntax", detail=getattr(exc, "message", None) or exc)
        raise InputError("DOCX_TEMPLATE_INVALID", path=path, reason=why) from None
    except Exception as exc:  # a zip, a package or XML error: python-docx raises many kinds
        why = reason("DOCX_TEMPLATE_INVALID", "not_docx", detail=exc)
        raise InputError("DOCX_TEMPLATE_INVALID", path=path, reason=why) from None
    required = placeholders(fmt)
    _require(path, "placeholders", required, found)
    unknown = sorted(found - set(required) - set(optional_placeholders(fmt)))
    if unknown:
        raise InputError(
            "DOCX_TEMPLATE_INVALID",
            path=path,
            reason=reason("DOCX_TEMPLATE_INVALID", "unknown", names="、".join(unknown)),
        )
    _require(path, "styles", required_styles(fmt), styles)
    return tpl


def _require(path: Path, what: str, required: tuple[str, ...], present: set[str]) -> None:
    """DOCX_TEMPLATE_INCOMPLETE naming what of `required` (placeholders or styles) is not `present`."""
    missing = [name for name in required if name not in present]
    if missing:
        raise InputError(
            "DOCX_TEMPLATE_INCOMPLETE",
            path=path,
            what=reason("DOCX_TEMPLATE_INCOMPLETE", what),
            missing="、".join(missing),
        )
