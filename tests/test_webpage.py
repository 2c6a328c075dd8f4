"""`build --html`: the report as a web page, read back as a browser and a screen reader would.

Structure: every label of the format is a header cell, every figure sits in the cell whose header cells
(headers="…") are its row and column labels, merged headers span what the printed format spans. In a
real browser (headless Chromium): screenshots at 1280 and 375 pixels wide are not blank and are as wide
as the window, and at 375 the text reflows while only the tables scroll sideways.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from lxml import html as lxml_html
from typer.testing import CliRunner

from conftest import make, sample
from xlsreport import api, content, wording
from xlsreport.cli import app
from xlsreport.formats import DEFAULT
from xlsreport.rules import compute
from xlsreport.spec import leaves_of
from xlsreport.webpage import render_html

runner = CliRunner(env={"COLUMNS": "2000"})
LONG_ORG = "新疆维吾尔自治区伊犁哈萨克自治州察布查尔锡伯自治县人民政府办公室"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("page")
    book = api.fill(sample("xiaochengzi-2024.json"), folder / "xiaochengzi.xlsx")
    result = runner.invoke(app, ["build", str(book), "--html"])
    assert result.exit_code == 0, result.output
    page = book.with_suffix(".html")
    assert f"已生成 {page}" in result.output
    return book, page, lxml_html.fromstring(page.read_bytes())


def test_a_standalone_utf8_page_in_chinese(built):
    _, page, doc = built
    data = page.read_bytes()
    assert data.startswith(b"<!DOCTYPE html>") and b'<meta charset="utf-8">' in data
    assert doc.get("lang") == "zh-CN"
    # nothing fetched: no scripts, no linked styles, fonts or images, no url() in the styles
    assert not doc.xpath("//script | //link | //img | //iframe | //object")
    assert not re.search(rb"url\(|@import|https?://", data)
    assert doc.xpath("//meta[@name='viewport']")


def test_title_and_headings_in_order(built):
    book, _, doc = built
    checked = api.check(book)
    (h1,) = doc.xpath("//h1")
    assert [s.text_content() for s in h1.xpath("span[@class='line']")] == [
        checked.org,
        f"{checked.year}年政府信息公开工作年度报告",
    ]
    assert doc.findtext(".//title") == DEFAULT.title(checked.org, checked.year)
    levels = [int(h.tag[1]) for h in doc.xpath("//h1|//h2|//h3|//h4|//h5|//h6")]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels))
    assert [h.text_content() for h in doc.xpath("//h2")] == [s.heading for s in DEFAULT.sections]
    assert [h.text_content() for h in doc.xpath("//h3")][:2] == ["（一）主动公开", "（二）政府信息管理"]


def test_a_long_name_is_broken_between_words_in_the_title():
    page = lxml_html.fromstring(render_html(DEFAULT, LONG_ORG, 2024, compute(DEFAULT, {}), {}))
    lines = [s.text_content() for s in page.xpath("//h1/span[@class='line']")]
    assert lines == [
        "新疆维吾尔自治区伊犁哈萨克自治州",
        "察布查尔锡伯自治县人民政府办公室",
        "2024年政府信息公开工作年度报告",
    ]
    words = page.xpath("//h1/span[1]/span[@class='word']/text()")
    assert words == ["新疆维吾尔自治区", "伊犁哈萨克自治州"]  # a phone wraps between them, never inside


def _cells(table) -> dict[str, object]:
    return {el.get("id"): el for el in table.xpath(".//th[@id]")}


def test_every_label_is_a_header_cell_and_every_figure_in_its_cell(built):
    book, _, doc = built
    values = api.check(book).values
    for t in DEFAULT.tables:
        (table,) = doc.xpath(f"//table[@id='{t.key}']")
        assert table.findtext("caption").startswith(t.sheet)
        headers = [th.text_content() for th in table.xpath(".//th")]
        for b in t.blocks:
            labels = [x for x in (b.caption, b.corner) if x]
            for tree in (b.columns, b.rows):
                labels += [label for _, path in leaves_of(tree) for label in path if label]
            assert set(labels) <= set(headers), t.sheet
        ids = _cells(table)
        fields = [f for f in DEFAULT.table_fields if f.table == t.key]
        tds = table.xpath(".//td")
        assert len(tds) == len(fields)
        for f in fields:
            (td,) = table.xpath(f".//td[@data-field='{f.key}']")
            assert td.text_content() == content.format_number(values[f.key]), f.key
            named = [ids[i].text_content() for i in td.get("headers").split()]
            assert sorted(x for x in (*f.row, *f.column) if x) == sorted(named), f.key


def test_merged_headers_span_as_the_printed_format(built):
    _, _, doc = built

    def span(key: str, text: str) -> tuple[int, int]:
        th = next(th for th in doc.xpath(f"//table[@id='{key}']//th") if th.text_content() == text)
        return int(th.get("rowspan", 1)), int(th.get("colspan", 1))

    assert span("t3", "申请人情况") == (1, 7) and span("t3", "自然人") == (2, 1)
    assert span("t3", "法人或其他组织") == (1, 5) and span("t3", "三、本年度办理结果") == (22, 1)
    assert span("t3", "（三）不予公开") == (8, 1) and span("t3", "一、本年新收政府信息公开申请数量") == (1, 3)
    assert span("t4", "行政复议") == (2, 5) and span("t4", "行政诉讼") == (1, 10)
    assert span("t2", "第二十条第（一）项") == (1, 4) and span("t2", "本年处理决定数量") == (1, 3)
    scopes = {th.text_content(): th.get("scope") for th in doc.xpath("//table[@id='t3']//th")}
    assert scopes["申请人情况"] == "col" and scopes["三、本年度办理结果"] == "row"
    assert scopes["（一）予以公开"] == "row" and scopes["商业企业"] == "col"


def test_text_is_escaped_and_the_page_is_the_same_every_time():
    texts = {"other": "a < b & <script>alert(1)</script> {{ title }}"}
    first = render_html(DEFAULT, "甲<乙>", 2024, compute(DEFAULT, {}), texts)
    assert first == render_html(DEFAULT, "甲<乙>", 2024, compute(DEFAULT, {}), texts)
    doc = lxml_html.fromstring(first)
    assert not doc.xpath("//script")
    assert texts["other"] in [p.text_content() for p in doc.xpath("//p")]
    assert "甲<乙>" in doc.xpath("//h1")[0].text_content()


def test_collect_writes_a_page_beside_each_report(tmp_path):
    returned = tmp_path / "收回"
    make(returned, sample("xiaochengzi-2024.json")["fields"], "a.xlsx")
    result = api_collect(returned, tmp_path / "out")
    reports = sorted((tmp_path / "out" / "报告").iterdir())
    assert [p.suffix for p in reports] == [".docx", ".html"] and reports[0].stem == reports[1].stem
    assert result.entries[0].outputs == [str(p.relative_to(tmp_path / "out")) for p in reports]


def api_collect(in_dir: Path, out_dir: Path):
    from xlsreport.collect import collect

    return collect(in_dir, out_dir, jobs=1, html=True)


# ---------------------------------------------------------------- in a real browser
CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed; .ci/run installs it")


def chromium(tmp_path: Path, url: str, width: int, *args: str) -> bytes:
    """Run headless Chromium once on `url` with a fresh profile; its whole process group ends with it."""
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={tmp_path / f'profile-{width}-{len(args)}'}",
        f"--window-size={width},2000",
        *args,
        url,
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=120)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # its renderer and GPU helpers too
        proc.wait()
    return out


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the RGB(A) rows of an 8-bit PNG (Chromium's screenshots), unfiltered."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        chunk = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8 and colour in (2, 6)
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line[:stride:bpp]))  # the red channel is enough to tell ink from paper
        prev = line
    return width, height, rows


@needs_chromium
@pytest.mark.parametrize("width", [1280, 375])
def test_the_page_in_a_browser_at_desktop_and_phone_width(built, tmp_path, width):
    _, page, _ = built
    shot = tmp_path / f"page-{width}.png"
    chromium(tmp_path, page.as_uri(), width, f"--screenshot={shot}")
    w, h, rows = png_pixels(shot.read_bytes())
    assert (w, h) == (width, 2000)
    ink = [sum(v < 128 for v in row) for row in rows]
    assert sum(ink) > w * h * 0.01, "the page is blank"
    # the title at the top: two lines (the body's name, the report's name), each centred in the window
    bands, start = [], None
    for i, n in enumerate(ink[:400]):
        if n and start is None:
            start = i
        elif not n and start is not None:
            bands.append((start, i))
            start = None
    assert len(bands) >= 3 and bands[0][0] < 120
    for top, end in bands[:2]:
        left = sum(sum(v < 128 for v in rows[i][: w // 2]) for i in range(top, end))
        right = sum(sum(v < 128 for v in rows[i][w // 2 :]) for i in range(top, end))
        assert 0.6 < left / right < 1.6, (width, top, left, right)


PHONE = 375
# headless Chromium lays out no narrower than 500 px whatever the window: the probe narrows the page itself
_MEASURE = (
    """<style>html { width: PHONEpx; }</style><script>
// where an element ends on screen: inside a table's box that scrolls, no further than the box
const right = e => {
  const r = e.getBoundingClientRect().right, box = e.closest(".table");
  return box && box !== e && getComputedStyle(box).overflowX !== "visible"
    ? Math.min(r, box.getBoundingClientRect().right) : r;
};
addEventListener("load", () => {
  const out = {
    width: document.documentElement.getBoundingClientRect().width,
    page: Math.max(...[...document.querySelectorAll("body *")].map(right)),
    text: Math.max(...[...document.querySelectorAll("p, h1, h2, h3")].map(e => e.getBoundingClientRect().right)),
    boxes: [...document.querySelectorAll(".table")].map(e => [e.clientWidth, e.scrollWidth]),
  };
  document.body.setAttribute("data-measured", JSON.stringify(out));
});
</script>"""
).replace("PHONE", str(PHONE))


@needs_chromium
def test_on_a_phone_text_reflows_and_only_tables_scroll_sideways(built, tmp_path):
    _, page, _ = built
    probe = tmp_path / "measured.html"  # the page with a measuring script added: the page itself has none
    probe.write_bytes(page.read_bytes().replace(b"</head>", _MEASURE.encode() + b"</head>"))
    dom = chromium(tmp_path, probe.as_uri(), PHONE, "--dump-dom", "--virtual-time-budget=5000")
    m = json.loads(lxml_html.fromstring(dom).xpath("//body/@data-measured")[0])
    assert m["width"] == PHONE
    assert m["page"] <= PHONE, "the page scrolls sideways"
    assert m["text"] <= PHONE, "a paragraph or heading runs past the screen"
    assert len(m["boxes"]) == len(DEFAULT.tables)
    for client, scroll in m["boxes"]:
        assert client <= PHONE and scroll > client  # each table scrolls inside its own box


def test_a_draft_page_says_so_and_an_existing_page_is_not_overwritten(tmp_path):
    book = make(tmp_path, {"t3_new_natural": 5})  # 表三 no longer adds up: a draft with --force
    assert runner.invoke(app, ["build", str(book), "--html"]).exit_code == 1
    assert not book.with_suffix(".html").exists() and not book.with_suffix(".docx").exists()
    assert runner.invoke(app, ["build", str(book), "--html", "--force"]).exit_code == 0
    doc = lxml_html.fromstring(book.with_suffix(".html").read_bytes())
    assert doc.xpath("//p[@class='draft']")[0].text_content() == wording.DRAFT_MARK
    book.with_suffix(".docx").unlink()  # the page alone is in the way: refused before anything is written
    result = runner.invoke(app, ["build", str(book), "--html", "--force"])
    assert result.exit_code == 2 and "[OUTPUT_EXISTS]" in result.output
    assert not book.with_suffix(".docx").exists()
