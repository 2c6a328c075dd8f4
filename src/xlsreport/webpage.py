"""The report as a web page for the government website: one standalone UTF-8 HTML file per report.

The page holds everything it needs (styles inline, no fonts, scripts or images fetched), reads on a phone
(text reflows, the official tables scroll sideways inside their own box) and follows GB/T 37668-2019: the
language is zh-CN, headings go 1 → 2 → 3 in order, each table has a caption, and every figure names its
row and column header cells (headers="…"). The tables are laid out by content.table_grid, the same grid
as the Word tables: merged headers span the same rows and columns.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from .content import PARTS_VAR, GridCell, cell_text, column_widths_mm, table_grid, text_context
from .spec import Format, Table
from .title import name_words, title_lines
from .wording import DRAFT_MARK

TITLE_EMS = 18  # a title line on a wide screen, in characters; a phone wraps between words
_NUMBERING = re.compile(r"^[一二三四五六七八九十]+、")

# The 公文 fonts by kind, with the names they go by on Windows, macOS and Linux; the title in a bold Song
# (小标宋 is a heavy Song a reader's computer seldom has, and a bold 小标宋 would be a smeared one).
_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="xlsreport">
<title>{{ title }}</title>
<style>
body { margin: 0; background: #fff; color: #111; font-size: 18px; line-height: 1.8;
  font-family: "FangSong", "仿宋", "STFangsong", "SimSun", "宋体", "Noto Serif CJK SC", "Source Han Serif SC", serif; }
main { max-width: 48em; margin: 0 auto; padding: 1em; }
h1 { margin: 1em 0; text-align: center; font-weight: bold; line-height: 1.5; font-size: 1.6em;
  font-family: "SimSun", "宋体", "Songti SC", "Noto Serif CJK SC", "Source Han Serif SC", serif; }
h1 .line { display: block; }
h1 .word { display: inline-block; }
h2 { margin: 1em 0 .3em; font-size: 1em; font-weight: normal;
  font-family: "SimHei", "黑体", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; }
h3 { margin: .3em 0; font-size: 1em; font-weight: normal;
  font-family: "KaiTi", "楷体", "STKaiti", "AR PL UKai CN", "Noto Serif CJK SC", serif; }
h2, h3 { text-indent: 2em; }
p { margin: 0 0 .4em; text-indent: 2em; text-align: justify; overflow-wrap: anywhere; }
p.draft { color: #c00; font-weight: bold; text-align: center; text-indent: 0; }
.table { overflow-x: auto; margin: .5em 0 1em; }
table { border-collapse: collapse; width: 100%; min-width: 40em; font-size: 14px; line-height: 1.4; }
caption { padding: .3em; font-weight: bold; }
th, td { border: 1px solid #000; padding: .2em .3em; text-align: center; vertical-align: middle;
  font-weight: normal; }
th.stub { text-align: left; }
@media (max-width: 600px) { body { font-size: 16px; } h1 { font-size: 1.3em; } caption { text-align: left; } }
</style>
</head>
<body>
<main>
{% if draft %}<p class="draft" role="note">{{ draft_mark }}</p>
{% endif %}<h1>{% for line in title_lines %}<span class="line">{% for text, word in line %}{% if word %}<span class="word">{{ text }}</span>{% else %}{{ text }}{% endif %}{% endfor %}</span>{% endfor %}</h1>
{% for section in sections %}<h2>{{ section.heading }}</h2>
{% for para in section.paragraphs %}<p>{{ para }}</p>
{% endfor %}{% for part in section.parts %}<h3>{{ part.heading }}</h3>
{% for para in part.paragraphs %}<p>{{ para }}</p>
{% endfor %}{% endfor %}{{ section.table }}{% endfor %}</main>
</body>
</html>
"""

_TABLE = """<div class="table" role="region" aria-labelledby="{{ t.key }}-caption" tabindex="0">
<table id="{{ t.key }}">
<caption id="{{ t.key }}-caption">{{ t.caption }}</caption>
<colgroup>{% for w in t.widths %}<col style="width: {{ w }}%">{% endfor %}</colgroup>
{% for body in t.bodies %}<tbody>
{% for row in body %}<tr>{% for c in row %}<{{ c.tag }}{% if c.id %} id="{{ c.id }}"{% endif %}{% if c.scope %} scope="{{ c.scope }}"{% endif %}{% if c.cls %} class="{{ c.cls }}"{% endif %}{% if c.rowspan > 1 %} rowspan="{{ c.rowspan }}"{% endif %}{% if c.colspan > 1 %} colspan="{{ c.colspan }}"{% endif %}{% if c.headers %} headers="{{ c.headers }}"{% endif %}{% if c.key %} data-field="{{ c.key }}"{% endif %}>{{ figures[c.key] if c.key else c.text }}</{{ c.tag }}>{% endfor %}</tr>
{% endfor %}</tbody>
{% endfor %}</table>
</div>
"""

_ENV = Environment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
_TEMPLATE = _ENV.from_string(_PAGE)
_TABLE_TEMPLATE = _ENV.from_string(_TABLE)
_FIGURE = "\ue000"  # where a figure goes while a table is laid out: a private-use character, in no label


def render_html(
    fmt: Format,
    org: str,
    year: int,
    values: Mapping[str, int | float],
    texts: Mapping[str, str],
    draft: bool = False,
) -> bytes:
    """The web page of `org`'s report for `year`, as UTF-8 bytes: the same input, the same bytes."""
    words = set(name_words(org))
    lines = [_split(line, words) for line in title_lines(fmt, org, year, TITLE_EMS)]
    context = text_context(fmt, texts)
    sections = []
    for s in fmt.sections:
        paragraphs, parts = [], []
        for key in s.parts:
            if any(p.key == key and p.title for p in fmt.parts):
                parts += [p for p in context[PARTS_VAR] if p["title"] == _title_of(fmt, key)]
            else:
                paragraphs += context[key]
        table = _table_html(fmt, fmt.table(s.table), values) if s.table else ""
        sections.append({"heading": s.heading, "paragraphs": paragraphs, "parts": parts, "table": table})
    page = _TEMPLATE.render(
        title=fmt.title(org, year),
        title_lines=lines,
        draft=draft,
        draft_mark=DRAFT_MARK,
        sections=sections,
    )
    return page.encode("utf-8")


def _title_of(fmt: Format, key: str) -> str:
    return next(p.title for p in fmt.parts if p.key == key)


def _split(line: str, words: set[str]) -> list[tuple[str, bool]]:
    """A title line as (text, whether it is a word of the body's name): a phone wraps the name between its
    words, never inside one; the rest of the title wraps wherever it must."""
    out: list[tuple[str, bool]] = []
    rest = line
    while rest:
        word = next((w for w in sorted(words, key=len, reverse=True) if rest.startswith(w)), None)
        if word is None:
            out.append((rest, False))
            break
        out.append((word, True))
        rest = rest[len(word) :]
    return out


def _table_html(fmt: Format, t: Table, values: Mapping[str, int | float]) -> Markup:
    """A table of the page with `values` in: laid out once per format, only the figures differ."""
    pieces = _table_pieces(fmt, t)
    # the even pieces are markup, the odd ones field keys: their figures are escaped as text
    return Markup("").join(Markup(p) if i % 2 == 0 else cell_text(values[p]) for i, p in enumerate(pieces))


@cache
def _table_pieces(fmt: Format, t: Table) -> tuple[str, ...]:
    """The table's markup split at its figures: markup, field key, markup, … markup."""
    marks = {key: f"{_FIGURE}{key}{_FIGURE}" for key in fmt.fields}
    return tuple(_TABLE_TEMPLATE.render(t=_table(fmt, t), figures=marks).split(_FIGURE))


def _table(fmt: Format, t: Table) -> dict:
    cells = table_grid(t)
    ident = {c: f"{t.key}-r{c.row}c{c.col}" for c in cells if c.role != "value"}
    widths = column_widths_mm(t)
    rows: dict[int, list[dict]] = {}
    bodies: list[list[list[dict]]] = []
    caption_rows = {c.row for c in cells if c.role == "caption"}
    for c in sorted(cells, key=lambda c: (c.row, c.col)):
        rows.setdefault(c.row, []).append(_cell(c, cells, ident))
    for r in sorted(rows):
        if not bodies or r in caption_rows:  # each block of 表二 is a row group under its caption
            bodies.append([])
        bodies[-1].append(rows[r])
    return {
        "key": t.key,
        "caption": f"{t.sheet}　{_NUMBERING.sub('', fmt.heading(t.key))}",
        "widths": [f"{w / sum(widths) * 100:.2f}" for w in widths],
        "bodies": bodies,
    }


def _block_of(c: GridCell, cells: list[GridCell]) -> int:
    """The first row of the block (表二's caption row, else 0) a cell belongs to."""
    return max((x.row for x in cells if x.role == "caption" and x.row <= c.row), default=0)


def _cell(c: GridCell, cells: list[GridCell], ident: Mapping[GridCell, str]) -> dict:
    out = {
        "tag": "td" if c.role == "value" else "th",
        "text": c.text,
        "rowspan": c.last_row - c.row + 1,
        "colspan": c.last_col - c.col + 1,
        "id": ident.get(c, ""),
        "scope": "",
        "cls": "",
        "headers": "",
        "key": c.key,
    }
    if c.role == "value":
        block = _block_of(c, cells)
        over = [
            x
            for x in cells
            if x.role in ("caption", "header")
            and _block_of(x, cells) == block
            and x.col <= c.col <= x.last_col
            and x.row < c.row
        ]
        beside = [x for x in cells if x.role in ("group", "stub") and x.row <= c.row <= x.last_row]
        out["headers"] = " ".join(ident[x] for x in sorted(over + beside, key=lambda x: (x.row, x.col)))
    elif c.role in ("group", "stub"):
        # scope applies over the rows a header spans; each figure also names its headers outright
        out["scope"] = "row"
        out["cls"] = "stub" if c.role == "stub" else ""
    else:  # column headers, 表二's block captions, the corner (信息内容, or 表三's note on its sums)
        out["scope"] = "col"
    return out
