"""The workbook prints: every sheet inside A4's printable area, each table on one page, a list's header on
each of its pages. Printed by LibreOffice to PDF, read back word by word with `pdftotext -bbox`."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from conftest import LAYOUT, ORG, YEAR, make, sample
from xlsreport import api, office
from xlsreport.formats import DEFAULT

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(
        office.soffice() is None or shutil.which("pdftotext") is None,
        reason="LibreOffice (soffice) and pdftotext are not installed; .ci/run installs them",
    ),
]

A4 = (595.3, 841.9)  # points, portrait
MARGIN_X, MARGIN_Y = 0.7 * 72, 0.75 * 72  # the workbook's page margins
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def pages(pdf) -> list[tuple[float, float, list[tuple[float, float, float, float, str]]]]:
    """(width, height, words with their boxes) of each page."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout
    return [
        (float(w), float(h), [(*map(float, m.groups()[:4]), m.group(5)) for m in _WORD.finditer(body)])
        for w, h, body in _PAGE.findall(xml.decode())
    ]


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("print")
    blank = api.blank(ORG, YEAR, tmp / "blank.xlsx")
    # every value check of 表三 failing: 校验结果 shows its longest messages
    wrong = {f.key: "无" for f in DEFAULT.inputs if f.table == "t3"}
    failing = make(tmp, {**sample("xiaochengzi-2024.json")["fields"], **wrong}, "failing.xlsx")
    return [pages(pdf) for pdf in office.convert([blank, failing], "pdf", tmp / "pdf")]


def _sheet_of(words: list) -> str:
    text = "".join(w[4] for w in words)
    for t in DEFAULT.tables:
        if DEFAULT.heading(t.key) in text:
            return t.sheet
    for role in ("guide", "info"):
        if DEFAULT.sheets[role] in text:
            return DEFAULT.sheets[role]
    heads = {w[4] for w in words}  # a list's page: its header row
    return DEFAULT.sheets["checks"] if "序号" in heads else DEFAULT.sheets["text"] if "部分" in heads else "?"


@pytest.mark.parametrize("book", [0, 1], ids=["blank", "failing"])
def test_every_page_is_a4_and_every_word_inside_its_printable_area(printed, book):
    for n, (width, height, words) in enumerate(printed[book], 1):
        assert sorted((round(width), round(height))) == [round(A4[0]), round(A4[1])], n
        assert words, n
        for x0, y0, x1, y1, text in words:
            assert x0 >= MARGIN_X - 1 and x1 <= width - MARGIN_X + 1, (n, text, x0, x1)
            assert y0 >= MARGIN_Y - 1 and y1 <= height - MARGIN_Y + 1, (n, text, y0, y1)


@pytest.mark.parametrize("book", [0, 1], ids=["blank", "failing"])
def test_tables_on_one_page_each_lists_with_their_header_on_every_page(printed, book):
    sheets = [_sheet_of(words) for _, _, words in printed[book]]
    s = DEFAULT.sheets
    one_page = [s["guide"], s["info"], *(t.sheet for t in DEFAULT.tables)]
    assert sheets[: len(one_page)] == one_page
    rest = sheets[len(one_page) :]
    text_pages = rest.count(s["text"])
    assert rest == [s["text"]] * text_pages + [s["checks"]] * (len(rest) - text_pages), sheets
    assert text_pages >= 2 and len(rest) - text_pages >= 2  # both lists run over pages
    portrait = {s["guide"], s["info"], "表二"}
    for sheet, (width, height, _) in zip(sheets, printed[book], strict=True):
        assert (width < height) == (sheet in portrait), sheet
    # each table whole on its page: its last row of checks is there
    for t in DEFAULT.tables:
        page = printed[book][sheets.index(t.sheet)][2]
        last = max((lbl for lbl in LAYOUT.sheet_labels(t.sheet)), key=lambda lbl: lbl.span.last_row)
        assert last.text.replace(" ", "") in "".join(w[4] for w in page), t.sheet
    # a list's header row on each of its pages, at the top
    for sheet, header in ((s["text"], "部分"), (s["checks"], "序号")):
        for _, _, words in (p for name, p in zip(sheets, printed[book], strict=True) if name == sheet):
            top = min(words, key=lambda w: w[1])
            heads = [w for w in words if w[4] == header]
            assert heads and heads[0][1] <= top[1] + 60, (sheet, header)
