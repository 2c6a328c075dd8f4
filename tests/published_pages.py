"""Web pages in the shape government CMSs publish annual reports in, made from the format declaration.

A page has the site's navigation and footer around the report, the report inside a layout table, its
tables with rowspan/colspan, &nbsp; for a blank, every figure inside <p><span style=…>, and is saved in
GBK (declared as gb2312) or UTF-8. Options bend it the ways real pages do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from xlsreport.formats import DEFAULT
from xlsreport.spec import Block, Node, depth_of, field_key, leaves_of


@dataclass
class Bends:
    spaced: tuple[str, ...] = ()  # labels printed with spaces between their characters (自 然 人)
    half_width: bool = False  # （一） printed as (一), “” as ""
    broken: str = ""  # a row label printed over two rows, its figures on the second
    split_at: str = ""  # T3 continues in a second table from this row, its header rows repeated
    typos: dict[str, str] = field(default_factory=dict)  # label -> as printed
    one_row_other: bool = False  # （六）其他处理 as one row (the 2019 layout)
    t2_columns: tuple[str, ...] = ()  # other column labels over 第二十条第（一）项 (the 2019 trial format)
    border: str = "1px"  # the cells' border width (3px prints as a 2¼ pt bar)
    own_table: bool = False  # a table of the body's own in 一、总体情况, with rows named like 表二's


def _label(text: str, bends: Bends) -> str:
    text = bends.typos.get(text, text)
    if text in bends.spaced:
        text = " ".join(text)
    if bends.half_width:
        text = text.replace("（", "(").replace("）", ")").replace("“", '"').replace("”", '"')
    return escape(text)


def _td(text: str, rowspan: int = 1, colspan: int = 1) -> str:
    span = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
    return f'<td{span} style="text-align:center;vertical-align:middle">{text}</td>'


def _figure(value: object) -> str:
    if value is None:
        return _td("&nbsp;")
    return _td(
        f'<p style="margin:0"><span style="font-family:仿宋;font-size:12pt">{escape(str(value))}</span></p>'
    )


def _header(block: Block, bends: Bends, corner_rows: int) -> list[str]:
    depth = depth_of(block.columns)
    rows: list[list[str]] = [[] for _ in range(depth)]
    if corner_rows:
        rows[0].append(_td(_label(block.corner, bends), depth, corner_rows))

    def put(node: Node, level: int) -> None:
        width = len((node.children and list(node.leaves())) or [node])
        rows[level].append(_td(_label(node.label, bends), 1 if node.children else depth - level, width))
        for child in node.children:
            put(child, level + 1)

    for node in block.columns:
        put(node, 0)
    return ["<tr>" + "".join(r) + "</tr>" for r in rows]


def _body(table: str, block: Block, values: dict, bends: Bends, rows) -> list[str]:
    depth = depth_of(block.rows)
    columns = [c for c, _ in leaves_of(block.columns)]
    out = []
    started: set[str] = set()
    for node, ancestors in rows:
        cells = []
        for anc in ancestors:
            if anc.label not in started:
                started.add(anc.label)
                span = sum(1 + (n.label == bends.broken) for n, a in rows if anc in a)
                cells.append(_td(_label(anc.label, bends), span))
        label = _label(node.label, bends)
        figures = [_printed(table, node, c, values) for c in columns]
        if bends.broken and node.label == bends.broken:
            cut = len(node.label) * 2 // 3
            head = _td(_label(node.label[:cut], bends), 1, depth - len(ancestors))
            out.append("<tr>" + "".join(cells) + head + "".join(_figure(None) for _ in columns) + "</tr>")
            cells, label = [], _label(node.label[cut:], bends)
        cells.append(_td(label, 1, depth - len(ancestors)))
        out.append("<tr>" + "".join(cells) + "".join(_figure(v) for v in figures) + "</tr>")
    return out


def _printed(table: str, node: Node, column: Node, values: dict) -> object:
    """A row's figure; a group printed as one row prints the sum of its items."""
    if not node.children:
        return values.get(field_key(table, node, column))
    return sum(values.get(field_key(table, leaf, column)) or 0 for leaf, _ in node.leaves())


def _row_list(block: Block, bends: Bends):
    """(row, the nodes above it) of each printed row."""
    out = []

    def walk(node: Node, ancestors: tuple[Node, ...]) -> None:
        if not node.children or (bends.one_row_other and node.label == "（六）其他处理"):
            out.append((node, ancestors))
            return
        for child in node.children:
            walk(child, (*ancestors, node))

    for node in block.rows:
        walk(node, ())
    return out


def _table(key: str, values: dict, bends: Bends) -> list[str]:
    t = DEFAULT.table(key)
    html = []
    if key == "t2":
        rows = ['<table border="1" cellspacing="0" style="border-collapse:collapse;width:100%">']
        for b in t.blocks:
            rows.append("<tr>" + _td(escape(b.caption), 1, 4) + "</tr>")
            labels = list(bends.t2_columns) if bends.t2_columns and b is t.blocks[0] else None
            heads = labels or [c.label for c, _ in leaves_of(b.columns)]
            width = 3 // len(heads)
            rows.append(
                "<tr>"
                + _td(escape(b.corner))
                + "".join(_td(_label(h, bends), 1, width) for h in heads)
                + "</tr>"
            )
            for node in b.rows:
                figures = [values.get(field_key(key, node, c)) for c, _ in leaves_of(b.columns)]
                rows.append(
                    "<tr>"
                    + _td(_label(node.label, bends))
                    + "".join(
                        _figure(v).replace("<td", f'<td colspan="{width}"', 1) if width > 1 else _figure(v)
                        for v in figures
                    )
                    + "</tr>"
                )
        return [*rows, "</table>"]
    b = t.blocks[0]
    listed = _row_list(b, bends)
    parts = [listed]
    if bends.split_at and b.rows:
        at = next(i for i, (n, _) in enumerate(listed) if n.label == bends.split_at)
        parts = [listed[:at], listed[at:]]
    for part in parts:
        html.append('<table border="1" cellspacing="0" style="border-collapse:collapse">')
        html += _header(b, bends, depth_of(b.rows) if b.rows else 0)
        if b.rows:
            html += _body(key, b, values, bends, part)
        else:
            figures = [values.get(field_key(key, Node(""), c)) for c, _ in leaves_of(b.columns)]
            html.append("<tr>" + "".join(_figure(v) for v in figures) + "</tr>")
        html.append("</table>")
    return html


def cms_page(
    org: str,
    year: int,
    values: dict,
    texts: dict[str, str],
    *,
    encoding: str = "gbk",
    bends: Bends | None = None,
) -> bytes:
    """The page of one report; `values`: printed figures by field key (None: blank), `texts`: by part key."""
    bends = bends or Bends()
    title = DEFAULT.title(org, year)
    body = [
        f'<h1 style="text-align:center">{escape(title)}</h1>',
        '<div class="info">发布时间：2025-01-20 来源：本站</div>',
    ]
    parts = {p.key: p for p in DEFAULT.parts}
    for s in DEFAULT.sections:
        body.append(f'<p style="text-indent:2em"><strong>{escape(s.heading)}</strong></p>')
        for i, key in enumerate(s.parts):
            if parts[key].title:
                number = "一二三四五六七八九十"[i - 1]
                body.append(f'<p style="text-indent:2em"><b>（{number}）{escape(parts[key].title)}</b></p>')
            for para in texts.get(key, "").split("\n"):
                if para:
                    body.append(f'<p style="text-indent:2em;line-height:1.8"><span>{escape(para)}</span></p>')
        if bends.own_table and s.parts and s.parts[0] == "overview":
            body.append(  # one under its own column labels, one with none
                "<table border='1'><tr><td>类别</td><td>数量</td></tr><tr><td>规章</td><td>99</td></tr>"
                "<tr><td>行政许可</td><td>98</td></tr></table>"
                "<table border='1'><tr><td>行政规范性文件</td><td>97</td><td>96</td><td>95</td></tr>"
                "<tr><td>行政处罚</td><td>94</td></tr></table>"
            )
        if s.table:
            body += _table(s.table, values, bends)
    charset = "gb2312" if encoding == "gbk" else encoding
    page = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{escape(title)}_年度报告_政务公开</title><style>.article td {{ border: {bends.border} solid #000 }}</style><script>var x = "一、总体情况";</script></head>
<body><div class="nav">首页 &gt; 政务公开 &gt; 政府信息公开年报</div>
<table width="1000" class="layout"><tr><td width="200"><ul><li>政府信息公开指南</li><li>年度报告</li></ul></td>
<td><div class="article">{"".join(body)}</div></td></tr></table>
<div class="footer">主办单位：某县人民政府办公室　版权所有　网站标识码1234567890</div></body></html>"""
    return page.encode(encoding)
