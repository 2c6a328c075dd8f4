"""Published reports (PDF, Word, web pages) read back through the CLI: `import`, `check`, `--previous`,
`collect`, `fill` from imported JSON. The real 洪泽区 PDF against its transcription; our own reports
rendered by python-docx and LibreOffice read back exactly; CMS-shaped pages bent the ways real ones are;
damaged and hostile files refused with their codes."""

from __future__ import annotations

import ctypes
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import openpyxl
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import sample
from published_pages import Bends, cms_page
from xlsreport import api, office
from xlsreport.cli import app
from xlsreport.county import STATUS_SHEET
from xlsreport.formats import DEFAULT
from xlsreport.previous import PreviousIndex
from xlsreport.published import is_published
from xlsreport.published.limits import LIMITS
from xlsreport.published.model import is_page_number
from xlsreport.spec import Node, field_key, leaves_of
from xlsreport.wording import PUBLISHED_PLACES, STOCK_NOTE, SUMMARY_NAME

DATA = Path(__file__).parent / "data"
REAL_PDF = DATA / "hongze-district-2024.pdf"
# two more published reports, copies kept in public repositories on GitHub: zxj6827111-blip/govnianbao
# (szfgs2024.pdf) and zxj6827111-blip/KIROGOVCOMPARE (sample_pdfs_v1/hzq2023_working.pdf)
CITY_PDF = DATA / "published" / "huaian-city-2024.pdf"
LAST_YEAR_PDF = DATA / "published" / "hongze-district-2023.pdf"
runner = CliRunner(env={"COLUMNS": "2000"})
needs_office = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(
        office.soffice() is None, reason="LibreOffice (soffice) is not installed; .ci/run installs it"
    ),
]


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def imported(tmp_path: Path, source: Path, *extra: object) -> dict:
    out = tmp_path / f"{source.name}.json"
    result = run("import", source, "-o", out, "--overwrite", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- the real PDF
def transcribed(name: str = "hongze-district-2024.json") -> dict[str, object]:
    """A transcription in tests/data (figures typed from the printed PDF) by field key."""
    t = json.loads((DATA / name).read_text(encoding="utf-8"))
    out: dict[str, object] = {}
    t2 = DEFAULT.table("t2")
    for b in t2.blocks:
        for row in b.rows:
            for (col, _), value in zip(leaves_of(b.columns), t["table2"][row.label], strict=True):
                out[field_key("t2", row, col)] = value
    t3 = DEFAULT.table("t3").blocks[0]
    columns = [c for c, _ in leaves_of(t3.columns)]
    for node, path in leaves_of(t3.rows):
        label = "/".join(path)
        if label in t["table3"]:
            figures = t["table3"][label]
        else:  # printed as one row (（六）其他处理): its figures stand in 3.其他, 1 and 2 are blank
            figures = t["table3"]["/".join(path[:2])] if node.key == "other_3" else [None] * len(columns)
        for col, value in zip(columns, figures, strict=True):
            out[field_key("t3", node, col)] = value
    t4 = DEFAULT.table("t4").blocks[0]
    for (col, _), value in zip(leaves_of(t4.columns), t["table4"], strict=True):
        out[field_key("t4", Node(""), col)] = value
    return out


def test_import_reads_every_printed_figure_of_the_real_pdf(tmp_path):
    data = imported(tmp_path, REAL_PDF)
    expected = transcribed()
    assert len(expected) == len(DEFAULT.table_fields)
    got = {k: data["fields"][k] for k in expected}
    assert got == expected
    assert (data["org"], data["year"]) == ("淮安市洪泽区人民政府", 2024)
    assert data["fields"]["info_org"] == "淮安市洪泽区人民政府" and data["fields"]["info_year"] == 2024
    assert data["source"] == {"file": "hongze-district-2024.pdf", "kind": "pdf", "pages": 5}
    assert data["pages"]["t2_licensing_decisions"] == 2 and data["pages"]["t2_penalty_decisions"] == 3
    assert data["pages"]["t3_unable_1_natural"] == 3 and data["pages"]["t3_unable_2_natural"] == 4
    assert data["pages"]["t4_after_review_total"] == 4


def test_import_reads_every_printed_figure_of_another_real_pdf(tmp_path):
    """淮安市 2024 (WPS, six pages, thousands of applications), against its own transcription."""
    data = imported(tmp_path, CITY_PDF)
    assert {k: data["fields"][k] for k in transcribed("huaian-city-2024.json")} == transcribed(
        "huaian-city-2024.json"
    )
    assert (data["org"], data["year"], data["source"]["pages"]) == ("淮安市人民政府", 2024, 6)
    assert data["check"]["errors"] == 0
    assert not [f for f in data["findings"] if f["code"].startswith("PUB_")]
    assert data["fields"]["text_other"].startswith("2024年，市政府严格落实《政府信息公开信息处理费管理办法》")


def test_check_finds_the_total_printed_as_0_in_a_real_pdf():
    """洪泽区 2023 prints 表四's 总计 as 0 beside 10 + 1 (复议) and 5 (复议后起诉)."""
    result = run("check", LAST_YEAR_PDF, "--format", "json")
    assert result.exit_code == 1, result.output
    totals = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "T4_TOTAL"]
    assert [(f["column"], f["found"], f["expected"], f["page"]) for f in totals] == [
        (["行政复议", "总计"], 0, 11, 4),
        (["行政诉讼", "复议后起诉", "总计"], 0, 5, 4),
    ]
    fields = imported_fields(LAST_YEAR_PDF)
    printed = {  # as poppler's pdftotext shows the pages
        "t2_normative_repealed": 5,
        "t2_normative_in_force": 5,
        "t2_licensing_decisions": 550,
        "t2_penalty_decisions": 4119,
        "t2_coercion_decisions": 195,
        "t2_fees_amount": 7730.28,
        "t3_new_natural": 21,
        "t3_partial_natural": 4,
        "t3_unable_1_natural": 10,
        "t3_unable_2_natural": 3,
        "t3_total_total": 21,
        "t4_review_upheld": 10,
        "t4_review_corrected": 1,
        "t4_review_total": 0,
        "t4_after_review_upheld": 5,
    }
    assert {k: fields[k] for k in printed} == printed


def imported_fields(path: Path) -> dict:
    return json.loads(run("import", path).stdout)["fields"]


def test_previous_with_last_years_real_pdf(tmp_path):
    """Last year's report names the body 洪泽区人民政府, this year's 淮安市洪泽区人民政府: still the same body."""
    folder = tmp_path / "2023"
    folder.mkdir()
    shutil.copy(LAST_YEAR_PDF, folder)
    result = run("check", REAL_PDF, "--previous", folder, "--format", "json")
    codes = [f["code"] for f in json.loads(result.stdout)["findings"]]
    assert not [c for c in codes if c.startswith("PREV_")]  # 上年结转 0 = 0; 现行有效 5 + 3 − 0 = 8
    out = tmp_path / "blank.xlsx"
    result = run("blank", "--org", "淮安市洪泽区人民政府", "--year", 2024, "-o", out, "--previous", folder)
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    shown = [c.value for row in wb["表二"].iter_rows() for c in row if isinstance(c.value, str)]
    assert STOCK_NOTE.format(year=2023, value=5) in shown


def test_import_reads_the_real_pdf_narrative_by_section(tmp_path):
    data = imported(tmp_path, REAL_PDF)
    fields = data["fields"]
    assert data["preamble"].startswith(
        "本报告由淮安市洪泽区人民政府办公室根据《中华人民共和国政府信息公开条例》"
    )
    assert "\n" not in data["preamble"] and data["preamble"].endswith("电话：0517-87290606）。")
    assert fields["text_overview"].startswith("2024年，淮安市洪泽区人民政府坚持以习近平新时代")
    assert fields["text_overview"].endswith("有力服务保障我区经济社会高质量发展。")
    for key, start in (
        ("active", "（一）主动公开情况。"),
        ("request", "（二）依申请公开情况。"),
        ("management", "（三）政府信息管理情况。"),
        ("platform", "（四）政府信息公开平台建设情况。"),
        ("oversight", "（五）政府信息公开监督保障情况。"),
    ):
        assert fields[f"text_{key}"].startswith(start), key
    # a paragraph running on over the page break (4 → 5) is one paragraph
    assert "答复书模板，使各行政机关答复的方式" in fields["text_problems"]
    assert fields["text_problems"].count("\n") == 1
    assert (
        fields["text_other"]
        == "2024年，区政府严格落实《政府信息公开信息处理费管理办法》，全年收取政府信息公开信息处理费0元。"
    )


def test_check_on_the_real_pdf_locates_findings_by_table_row_and_page():
    result = run("check", REAL_PDF, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    by_code = {f["code"]: f for f in report["findings"]}
    assert set(by_code) == {"PUB_LABEL", "PUB_OTHER_ONE_ROW", "TEXT_FIGURE"}
    label = by_code["PUB_LABEL"]
    assert label["page"] == 3 and label["cell"] == "" and label["sheet"] == "表三"
    assert label["row"] == ["三、本年度办理结果", "（三）不予公开", "2.其他法律行政法规禁止公开"]
    assert label["found"] == "2.其他法律行政止公开"
    assert by_code["PUB_OTHER_ONE_ROW"]["page"] == 4
    assert by_code["PUB_OTHER_ONE_ROW"]["row"] == ["三、本年度办理结果", "（六）其他处理"]
    figure = by_code["TEXT_FIGURE"]  # the narrative says 17 applications, table 三 95
    assert figure["found"] == "受理政府信息公开申请17件" and "95" in figure["expected"]
    assert (
        "（J" not in figure["message"] and figure["sheet"] == PUBLISHED_PLACES["text"] and figure["page"] == 1
    )
    text = run("check", REAL_PDF)
    assert "表三 第3页" in text.stdout and "（第4页）" in text.stdout


# ---------------------------------------------------------------- our own reports, read back
@pytest.fixture(scope="module")
def ours(tmp_path_factory) -> dict:
    """The bundled sample's texts with a different figure in every cell, as a workbook and its Word report
    (python-docx), with what a reader must get: a row or column read in the wrong place cannot pass."""
    tmp = tmp_path_factory.mktemp("ours")
    data = sample("xiaochengzi-2024.json")
    data["fields"] |= distinct_figures()
    book = api.fill(data, tmp / "book.xlsx")
    built = api.build(book, tmp / "report.docx")
    checked = built.checked
    assert checked.report.ok, checked.report.findings
    return {
        "dir": tmp,
        "book": book,
        "docx": built.document,
        "values": checked.values,
        "texts": checked.texts,
    }


def distinct_figures() -> dict[str, int | float]:
    """Every input a figure of its own, the rules kept: 四 is what 一 + 二 − 三 leaves in each column."""
    out: dict[str, int | float] = {}
    figures = iter(range(1, 1000))
    for f in DEFAULT.inputs:
        if not f.key.startswith(("t3_new_", "t3_carry_forward_")):
            out[f.key] = next(figures)
    out["t2_fees_amount"] = 12.5
    t3 = DEFAULT.table("t3").blocks[0]
    results = [n for n, path in leaves_of(t3.rows) if path[0].startswith("三") and not n.computed]
    for col, _ in leaves_of(t3.columns):
        if col.computed:
            continue
        done = sum(out[field_key("t3", n, col)] for n in results)
        out[field_key("t3", Node("", "carry_forward"), col)] = next(figures)
        out[field_key("t3", Node("", "new"), col)] = (
            done + out[f"t3_carry_forward_{col.key}"] - out[f"t3_carried_{col.key}"]
        )
    return out


@pytest.fixture(scope="module")
def rendered(ours) -> dict[str, Path]:
    """The same report turned into PDF, HTML and XHTML (another markup, saved as .html) by LibreOffice."""
    if office.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed; .ci/run installs it")
    out = ours["dir"] / "lo"
    (pdf,) = office.convert([ours["docx"]], "pdf:writer_pdf_Export", out)
    (html,) = office.convert([ours["docx"]], "html", out)
    (xhtml,) = office.convert([ours["docx"]], "xhtml:XHTML Writer File:UTF8", out / "x")
    return {"pdf": pdf, "html": html, "xhtml": xhtml.rename(xhtml.with_suffix(".html"))}


def assert_exact(data: dict, ours: dict) -> None:
    fields = data["fields"]
    assert {f.key: fields[f.key] for f in DEFAULT.table_fields} == dict(ours["values"])
    assert {p.key: fields[f"text_{p.key}"] for p in DEFAULT.parts} == ours["texts"]
    assert (data["org"], data["year"]) == ("宝清县小城子镇人民政府", 2024)


def test_round_trip_docx_is_exact(tmp_path, ours):
    data = imported(tmp_path, ours["docx"])
    assert_exact(data, ours)
    assert data["source"]["kind"] == "docx" and data["pages"] == {}


@pytest.mark.libreoffice
@pytest.mark.parametrize("kind", ["pdf", "html", "xhtml"])
def test_round_trip_through_libreoffice_is_exact(tmp_path, ours, rendered, kind):
    data = imported(tmp_path, rendered[kind])
    assert_exact(data, ours)
    if kind == "pdf":
        assert set(data["pages"].values()) >= {3, 4}


def test_fill_from_imported_json_prefills_a_workbook(tmp_path, ours):
    data = tmp_path / "imported.json"
    assert run("import", ours["docx"], "-o", data).exit_code == 0
    book = tmp_path / "prefilled.xlsx"
    result = run("fill", data, "-o", book)
    assert result.exit_code == 0, result.output
    again = api.check(book)
    assert again.values == ours["values"] and again.texts == ours["texts"]
    assert (again.org, again.year) == ("宝清县小城子镇人民政府", 2024)


def test_fill_from_the_real_pdf_keeps_its_figures(tmp_path):
    data = tmp_path / "hongze.json"
    assert run("import", REAL_PDF, "-o", data).exit_code == 0
    book = tmp_path / "hongze.xlsx"
    assert run("fill", data, "-o", book).exit_code == 0
    exported = json.loads(run("export", book).stdout)["fields"]
    expected = transcribed()
    for f in DEFAULT.inputs:
        assert exported[f.key] == expected[f.key], f.key


# ---------------------------------------------------------------- pages in the shape of government CMSs
def page(tmp_path: Path, ours: dict, name: str = "page.html", values: dict | None = None, **kw) -> Path:
    path = tmp_path / name
    path.write_bytes(
        cms_page("宝清县小城子镇人民政府", 2024, values or dict(ours["values"]), ours["texts"], **kw)
    )
    return path


def test_cms_page_in_gbk_with_its_deviations_is_read_exactly(tmp_path, ours):
    bends = Bends(
        spaced=("自然人", "（一）予以公开"),
        half_width=True,
        broken="5.要求行政机关确认或重新出具已获取信息",
        split_at="1.本机关不掌握相关政府信息",
    )
    path = page(tmp_path, ours, bends=bends)
    assert b"charset=gb2312" in path.read_bytes() and "政府".encode("gbk") in path.read_bytes()
    data = imported(tmp_path, path)
    assert_exact(data, ours)
    assert not [f for f in data["findings"] if f["code"].startswith("PUB_")]


@pytest.mark.parametrize("encoding", ["gbk", "utf-8"])
def test_an_undeclared_encoding_is_sniffed(tmp_path, ours, encoding):
    path = page(tmp_path, ours, encoding=encoding)
    path.write_bytes(
        path.read_bytes().replace(f"charset={'gb2312' if encoding == 'gbk' else encoding}".encode(), b"")
    )
    assert b"charset" not in path.read_bytes()
    assert_exact(imported(tmp_path, path), ours)


def test_a_table_of_the_bodys_own_in_the_narrative_does_not_stand_for_the_national_one(tmp_path, ours):
    data = imported(tmp_path, page(tmp_path, ours, bends=Bends(own_table=True)))
    assert_exact(data, ours)  # 行政许可 98 in the narrative's table is not 表二's


def test_cms_page_in_utf8_with_a_typo_and_the_2019_row(tmp_path, ours):
    values = dict(ours["values"])
    bends = Bends(one_row_other=True, typos={"2.其他法律行政法规禁止公开": "2.其他法律行政止公开"})
    data = imported(tmp_path, page(tmp_path, ours, values=values, encoding="utf-8", bends=bends))
    fields = data["fields"]
    for col, _ in leaves_of(DEFAULT.table("t3").blocks[0].columns):  # the one row's figures, in 3.其他
        assert fields[f"t3_other_3_{col.key}"] == sum(values[f"t3_other_{i}_{col.key}"] for i in (1, 2, 3))
        assert fields[f"t3_other_1_{col.key}"] is None and fields[f"t3_other_2_{col.key}"] is None
    assert fields["t3_withheld_2_natural"] == values["t3_withheld_2_natural"]
    codes = [f["code"] for f in data["findings"]]
    assert "PUB_OTHER_ONE_ROW" in codes and "PUB_LABEL" in codes and "VALUE_BLANK" not in codes


def test_printed_totals_that_do_not_add_up_are_errors_at_their_labels(tmp_path, ours):
    values = dict(ours["values"]) | {"t4_review_upheld": 10, "t4_review_corrected": 1, "t4_review_total": 0}
    values |= {"t3_new_natural": 7}  # its row's printed 总计 and the balance no longer hold
    path = page(tmp_path, ours, values=values)
    result = run("check", path, "--format", "json")
    assert result.exit_code == 1, result.output
    findings = json.loads(result.stdout)["findings"]
    t4 = next(f for f in findings if f["code"] == "T4_TOTAL")
    assert (t4["sheet"], t4["cell"], t4["column"]) == ("表四", "", ["行政复议", "总计"])
    assert (t4["found"], t4["expected"]) == (0, 11 + values["t4_review_other"] + values["t4_review_pending"])
    row = next(f for f in findings if f["code"] == "T3_ROW_TOTAL")
    assert row["row"] == ["一、本年新收政府信息公开申请数量"] and row["column"][-1] == "总计"
    balance = next(f for f in findings if f["code"] == "T3_BALANCE")
    # the two sides of the equation are said, as in a workbook's finding
    assert (
        balance["left"] is not None and balance["right"] is not None and balance["left"] != balance["right"]
    )
    assert (
        f"之和为{balance['left']}，" in balance["message"]
        and f"之和为{balance['right']}，" in balance["message"]
    )
    data = imported(tmp_path, path)
    assert data["fields"]["t4_review_total"] == 0  # as printed
    assert data["check"]["ok"] is False


def test_blank_printed_cells_are_null(tmp_path, ours):
    values = dict(ours["values"]) | {"t2_fees_amount": None, "t3_granted_research": None}
    data = imported(tmp_path, page(tmp_path, ours, values=values))
    assert data["fields"]["t2_fees_amount"] is None and data["fields"]["t3_granted_research"] is None
    assert {f["code"] for f in data["findings"]} >= {"VALUE_BLANK"}


# ---------------------------------------------------------------- --previous with published reports
@pytest.fixture(scope="module")
def last_year(tmp_path_factory) -> dict:
    """Last year's reports of the samples, as Word files only: the first year, with no workbooks."""
    tmp = tmp_path_factory.mktemp("last")
    folder, books = tmp / "2023", tmp / "books"
    folder.mkdir()
    values = {}
    for name, data in api.sample_files("2023"):
        book = api.fill(json.loads(data), books / api.sample_name(name))
        built = api.build(book, folder / f"{name.removesuffix('.json')}.docx", force=True)
        values[built.checked.org] = built.checked.values
    return {"folder": folder, "books": books, "values": values}


def test_blank_previous_takes_last_years_published_reports(tmp_path, last_year):
    org = "宝清县小城子镇人民政府"
    out = tmp_path / "blank.xlsx"
    result = run("blank", "--org", org, "--year", 2024, "-o", out, "--previous", last_year["folder"])
    assert result.exit_code == 0, result.output
    filled = api.check(out).values
    for f in DEFAULT.inputs:
        if f.key.startswith("t3_carried_"):
            old = f.key.replace("t3_carried_", "t3_carry_forward_")
            assert filled[f.key] == last_year["values"][org][old]


def test_check_previous_with_published_reports(tmp_path, ours, last_year):
    result = run("check", ours["book"], "--previous", last_year["folder"], "--format", "json")
    codes = [f["code"] for f in json.loads(result.stdout)["findings"]]
    assert "PREV_MISSING" not in codes
    # a published report this year against last year's published reports
    result = run("check", ours["docx"], "--previous", last_year["folder"], "--format", "json")
    codes = [f["code"] for f in json.loads(result.stdout)["findings"]]
    assert "PREV_MISSING" not in codes
    lonely = tmp_path / "empty"
    lonely.mkdir()
    result = run("check", ours["docx"], "--previous", lonely, "--format", "json")
    assert "PREV_MISSING" in [f["code"] for f in json.loads(result.stdout)["findings"]]


def test_check_previous_finds_a_carry_over_broken_against_the_published_one(tmp_path, ours, last_year):
    values = dict(ours["values"]) | {"t3_carried_natural": 99}
    path = page(tmp_path, ours, values=values)
    result = run("check", path, "--previous", last_year["folder"], "--format", "json")
    prev = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "PREV_CARRY"]
    assert prev and prev[0]["found"] == 99 and prev[0]["cell"] == ""
    assert prev[0]["row"] == ["二、上年结转政府信息公开申请数量"]


def test_import_previous_with_published_reports(tmp_path, ours, last_year):
    data = imported(tmp_path, ours["docx"], "--previous", last_year["folder"])
    assert "PREV_MISSING" not in [f["code"] for f in data["findings"]]
    alone = tmp_path / "alone"
    alone.mkdir()
    data = imported(tmp_path, ours["docx"], "--previous", alone)
    missing = [f for f in data["findings"] if f["code"] == "PREV_MISSING"]
    assert missing and missing[0]["sheet"] == PUBLISHED_PLACES["info"] and missing[0]["cell"] == ""


def test_collect_previous_with_published_reports_finds_what_last_years_workbooks_find(tmp_path, last_year):
    inbox = tmp_path / "returned"
    for name, data in api.sample_files():
        api.fill(json.loads(data), inbox / api.sample_name(name))
    found = {}
    for kind, previous in (("published", last_year["folder"]), ("workbooks", last_year["books"])):
        out = tmp_path / kind
        run("collect", inbox, "-o", out, "--jobs", 1, "--previous", previous)
        reports = json.loads((out / "findings.json").read_text(encoding="utf-8"))
        found[kind] = {Path(r["file"]).name: sorted(f["code"] for f in r["findings"]) for r in reports}
        wb = openpyxl.load_workbook(out / SUMMARY_NAME)
        assert len(wb.sheetnames) >= 3  # the year-over-year sheet is written with --previous
    assert found["published"] == found["workbooks"]
    assert not [c for codes in found["published"].values() for c in codes if c == "PREV_MISSING"]
    assert any(c.startswith("PREV_") for codes in found["published"].values() for c in codes)


def test_a_title_over_three_lines_is_found(tmp_path, ours):
    document = docx.Document(str(ours["docx"]))
    title = document.paragraphs[0]
    assert title.text == "宝清县小城子镇人民政府\n2024年政府信息公开工作年度报告"  # broken after the name
    title.text = "宝清县小城子镇人民政府"
    for line in ("年度报告", "2024年政府信息公开工作"):  # inserted before the next paragraph, so in reverse
        document.paragraphs[1].insert_paragraph_before(line)
    path = tmp_path / "three-lines.docx"
    document.save(str(path))
    data = imported(tmp_path, path)
    assert (data["org"], data["year"]) == ("宝清县小城子镇人民政府", 2024)


# ---------------------------------------------------------------- collect on published reports
def test_collect_audits_a_folder_of_published_reports(tmp_path, ours):
    folder = tmp_path / "published"
    folder.mkdir()
    shutil.copy(REAL_PDF, folder / "hongze.pdf")
    shutil.copy(ours["docx"], folder / "xiaochengzi.docx")
    _blank_pdf(folder / "scanned.pdf")
    values = dict(ours["values"]) | {"t4_review_upheld": 10, "t4_review_corrected": 1, "t4_review_total": 0}
    cms = cms_page("宝清县七星泡镇人民政府", 2024, values, ours["texts"], encoding="utf-8")
    (folder / "qixingpao.html").write_bytes(cms)
    book = {
        "format": DEFAULT.id,
        "fields": {"info_org": "宝清县青原镇人民政府", "info_year": 2024, **distinct_figures()},
    }
    api.fill(book, folder / "qingyuan.xlsx")  # a returned workbook among them
    out = tmp_path / "out"
    result = run("collect", folder, "-o", out, "--jobs", 1)
    assert result.exit_code == 1, result.output  # one report prints a wrong total
    reports = {
        Path(r["file"]).name: r for r in json.loads((out / "findings.json").read_text(encoding="utf-8"))
    }
    assert set(reports) == {"hongze.pdf", "xiaochengzi.docx", "qixingpao.html", "qingyuan.xlsx"}
    assert reports["hongze.pdf"]["ok"] and reports["xiaochengzi.docx"]["ok"]
    assert [f["code"] for f in reports["qixingpao.html"]["findings"] if f["severity"] == "error"] == [
        "T4_TOTAL"
    ]
    label = next(f for f in reports["hongze.pdf"]["findings"] if f["code"] == "PUB_LABEL")
    assert label["page"] == 3
    wb = openpyxl.load_workbook(out / SUMMARY_NAME)
    status = wb[STATUS_SHEET]
    rows = {r[0]: r for r in status.iter_rows(values_only=True) if r[0]}
    assert rows["hongze.pdf"][1] == "淮安市洪泽区人民政府" and rows["hongze.pdf"][3] == "通过"
    assert rows["qixingpao.html"][3] == "有错误"
    assert rows["scanned.pdf"][3] == "已跳过" and "PUB_SCANNED" in rows["scanned.pdf"][7]
    assert rows["qingyuan.xlsx"][3] == "通过"
    # a Word report for the workbook only: a published report is audited, not rebuilt
    assert [p.name for p in (out / "报告").iterdir()] == [
        "宝清县青原镇人民政府2024年政府信息公开工作年度报告.docx"
    ]
    assert not (out / "退回修改").exists()


# ---------------------------------------------------------------- files that cannot be read exactly
def _blank_pdf(path: Path, pages: int = 1) -> Path:
    doc = pdfium.PdfDocument.new()
    for _ in range(pages):
        doc.new_page(595, 842)
    doc.save(str(path))
    return path


def _crowded_pdf(path: Path, chars: int = 0, bars: int = 0) -> Path:
    """One page with `chars` characters in one text object and `bars` filled bars: past a page's limits."""
    doc = pdfium.PdfDocument.new()
    page = doc.new_page(595, 842)
    if chars:
        text = pdfium_c.FPDFPageObj_NewTextObj(doc.raw, b"Helvetica", ctypes.c_float(10))
        utf16 = ("1" * chars + "\0").encode("utf-16-le")
        pdfium_c.FPDFText_SetText(text, (ctypes.c_ushort * (len(utf16) // 2)).from_buffer_copy(utf16))
        pdfium_c.FPDFPage_InsertObject(page.raw, text)
    for i in range(bars):
        bar = pdfium_c.FPDFPageObj_CreateNewRect(10, 10 + i % 800, 100, 1)
        pdfium_c.FPDFPath_SetDrawMode(bar, pdfium_c.FPDF_FILLMODE_ALTERNATE, False)
        pdfium_c.FPDFPage_InsertObject(page.raw, bar)
    pdfium_c.FPDFPage_GenerateContent(page.raw)
    doc.save(str(path))
    return path


def _deep_page(path: Path) -> Path:
    depth = LIMITS.html_nesting + 10
    path.write_text(
        "<html><body>" + "<div>" * depth + "x" + "</div>" * depth + "</body></html>", encoding="utf-8"
    )
    return path


def _wide_table(path: Path) -> Path:
    row = '<td colspan="1000" rowspan="1000">1</td>'
    path.write_text(
        f"<html><body><table><tr>{row}</tr><tr>{row}</tr></table></body></html>", encoding="utf-8"
    )
    return path


def _trial_page(tmp_path: Path, ours: dict) -> Path:
    bends = Bends(t2_columns=("本年新制作数量", "本年新公开数量", "对外公开总数量"))
    return page(tmp_path, ours, name="trial.html", bends=bends)


def _untitled(tmp_path: Path, ours: dict) -> Path:
    path = page(tmp_path, ours, name="untitled.html")
    text = path.read_bytes().decode("gbk").replace("政府信息公开工作年度报告", "报告")
    path.write_bytes(text.encode("gbk"))
    return path


def _cut_docx(tmp: Path, ours: dict) -> Path:
    """Our report with its body part cut off in the middle of an element."""
    path = tmp / "cut.docx"
    with zipfile.ZipFile(ours["docx"]) as zin, zipfile.ZipFile(path, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, data[: len(data) // 2] if info.filename == "word/document.xml" else data)
    return path


def _no_tables(path: Path) -> Path:
    path.write_text(
        "<html><head><meta charset='utf-8'></head><body><p>一、总体情况</p><p>无。</p></body></html>"
    )
    return path


def _zip_garbage(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not a document")
    return path


BAD = {
    "scanned.pdf": ("PUB_SCANNED", lambda tmp, ours: _blank_pdf(tmp / "scanned.pdf")),
    "encrypted.pdf": (
        "PUB_ENCRYPTED",
        lambda tmp, ours: shutil.copy(DATA / "published" / "encrypted.pdf", tmp),
    ),
    "damaged.pdf": (
        "PUB_DAMAGED",
        lambda tmp, ours: _write(tmp / "damaged.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj <<"),
    ),
    "truncated.pdf": (
        "PUB_DAMAGED",
        lambda tmp, ours: _write(tmp / "truncated.pdf", REAL_PDF.read_bytes()[:3000]),
    ),
    "notpdf.pdf": ("PUB_DAMAGED", lambda tmp, ours: _write(tmp / "notpdf.pdf", b"<html></html>")),
    "many-pages.pdf": (
        "PUB_TOO_LARGE",
        lambda tmp, ours: _blank_pdf(tmp / "many-pages.pdf", LIMITS.pages + 1),
    ),
    "many-chars.pdf": (
        "PUB_TOO_LARGE",
        lambda tmp, ours: _crowded_pdf(tmp / "many-chars.pdf", chars=LIMITS.chars_per_page + 1),
    ),
    "many-shapes.pdf": (
        "PUB_TOO_LARGE",
        lambda tmp, ours: _crowded_pdf(tmp / "many-shapes.pdf", chars=10, bars=LIMITS.paths_per_page + 1),
    ),
    "huge.pdf": (
        "PUB_TOO_LARGE",
        lambda tmp, ours: _write(tmp / "huge.pdf", b"%PDF-1.7\n" + bytes(LIMITS.bytes)),
    ),
    "old.doc": (
        "PUB_UNSUPPORTED",
        lambda tmp, ours: _write(tmp / "old.doc", b"\xd0\xcf\x11\xe0" + b"\0" * 600),
    ),
    "locked.docx": (
        "PUB_ENCRYPTED",
        lambda tmp, ours: _write(tmp / "locked.docx", b"\xd0\xcf\x11\xe0" + b"\0" * 600),
    ),
    "garbage.docx": ("PUB_DAMAGED", lambda tmp, ours: _zip_garbage(tmp / "garbage.docx")),
    "cut.docx": ("PUB_DAMAGED", _cut_docx),
    "text.docx": ("PUB_DAMAGED", lambda tmp, ours: _write(tmp / "text.docx", "一、总体情况".encode())),
    "deep.html": ("PUB_TOO_LARGE", lambda tmp, ours: _deep_page(tmp / "deep.html")),
    "wide.html": ("PUB_TOO_LARGE", lambda tmp, ours: _wide_table(tmp / "wide.html")),
    "no-tables.html": ("PUB_NO_TABLES", lambda tmp, ours: _no_tables(tmp / "no-tables.html")),
    "trial.html": ("PUB_TRIAL_FORMAT", _trial_page),
    "untitled.html": ("PUB_NO_TITLE", _untitled),
    "notes.txt": ("PUB_UNSUPPORTED", lambda tmp, ours: _write(tmp / "notes.txt", b"hello")),
}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("name", sorted(BAD))
def test_files_that_cannot_be_read_exactly_get_a_code(tmp_path, ours, name):
    code, make = BAD[name]
    path = Path(make(tmp_path, ours))
    before = path.read_bytes()
    result = run("import", path, "-o", tmp_path / "out.json")
    assert result.exit_code == 2, result.output
    assert f"[{code}]" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out.json").exists() and path.read_bytes() == before
    checked = run("check", path, "--format", "json")
    if is_published(path):  # check reads other files as workbooks, and says they are not
        assert checked.exit_code == 2 and json.loads(checked.stdout)["findings"][0]["code"] == code


def test_a_figure_printed_as_text_is_reported_not_lost(tmp_path, ours):
    values = dict(ours["values"]) | {"t3_granted_natural": "三", "t2_normative_issued": "2件"}
    data = imported(tmp_path, page(tmp_path, ours, values=values))
    assert data["fields"]["t3_granted_natural"] == "三" and data["fields"]["t2_normative_issued"] == "2件"
    texts = [f for f in data["findings"] if f["code"] == "VALUE_TEXT"]
    assert {tuple(f["row"][-1:]) for f in texts} == {("（一）予以公开",), ("行政规范性文件",)}
    assert "PUB_ROW_MISSING" not in [f["code"] for f in data["findings"]]


def test_short_rows_are_read_as_a_browser_shows_them_and_a_row_without_figures_is_missing(tmp_path):
    path = tmp_path / "short.html"
    path.write_text(
        "<html><head><meta charset='utf-8'></head><body><h1>某县人民政府2024年政府信息公开工作年度报告</h1>"
        "<table><tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>"
        "<tr><td>规章</td><td>1</td></tr><tr><td></td><td></td><td></td><td>行政规范性文件</td></tr>"
        "<tr><td>行政许可</td><td colspan='3'>7</td></tr></table></body></html>",
        encoding="utf-8",
    )
    data = imported(tmp_path, path)
    fields = data["fields"]
    # the cells a row leaves out are blank where a browser shows them
    assert (fields["t2_regulations_issued"], fields["t2_regulations_in_force"]) == (1, None)
    assert fields["t2_licensing_decisions"] == 7
    missing = [f["row"] for f in data["findings"] if f["code"] == "PUB_ROW_MISSING"]
    assert ["第二十条第（一）项", "行政规范性文件"] in missing and [
        "第二十条第（一）项",
        "规章",
    ] not in missing
    assert fields["t2_normative_issued"] is None
    assert (data["org"], data["year"]) == ("某县人民政府", 2024)


def test_figures_are_the_cells_under_the_column_labels_when_a_row_has_more(tmp_path):
    """A blank column drawn beside the table (a frame, a stray line): the figures stand under the labels."""
    path = tmp_path / "extra.html"
    row = "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td></td></tr>"
    path.write_text(
        "<html><head><meta charset='utf-8'></head><body><p>某县人民政府2024年政府信息公开工作年度报告</p><table>"
        + row.format("信息内容", "本年制发件数", "本年废止件数", "现行有效件数")
        + row.format("规章", 1, 2, 3)
        + row.format("行政规范性文件", 4, 5, 6)
        + "</table></body></html>",
        encoding="utf-8",
    )
    fields = imported(tmp_path, path)["fields"]
    assert [fields[f"t2_regulations_{k}"] for k in ("issued", "repealed", "in_force")] == [1, 2, 3]
    assert [fields[f"t2_normative_{k}"] for k in ("issued", "repealed", "in_force")] == [4, 5, 6]


@pytest.mark.parametrize("footer", ["-1-", "— 12 —", "第3页", "第 3 页 共 5 页", "3/5", "·4·"])
def test_footers_page_numbers_are_not_text(footer):
    assert is_page_number(footer)
    assert not is_page_number("2024年") and not is_page_number("共5件")


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed")
@pytest.mark.parametrize("border", ["1px", "3px"])
def test_a_web_page_printed_to_pdf_by_chromium_is_read(tmp_path, ours, border):
    """Another PDF maker: Skia draws each cell's borders as filled bars (¾ pt, or 2¼ pt for 3px), cell by
    cell, and the tables of the page sit edge to edge; the page's sidebar stands beside its title."""
    bends = Bends(split_at="1.本机关不掌握相关政府信息", border=border)
    html = page(tmp_path, ours, encoding="utf-8", bends=bends)
    pdf = tmp_path / "printed.pdf"
    subprocess.run(
        [
            shutil.which("chromium"),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            html.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    data = imported(tmp_path, pdf)
    assert {f.key: data["fields"][f.key] for f in DEFAULT.table_fields} == dict(ours["values"])
    assert (data["org"], data["year"]) == ("宝清县小城子镇人民政府", 2024)


# ---------------------------------------------------------------- hostile bytes
_FUZZ = settings(
    max_examples=40, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)


def _answers(tmp_path: Path, name: str, data: bytes) -> None:
    """Whatever the bytes, import answers: exit 0, 1 or 2, a code for 2, no exception, no output left for 2."""
    path = tmp_path / name
    path.write_bytes(data)
    out = tmp_path / "out.json"
    out.unlink(missing_ok=True)
    result = run("import", path, "-o", out)
    assert result.exit_code in (0, 1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert re.search(r"\[(PUB|FILE)_[A-Z_]+\]", result.output) and not out.exists()


@_FUZZ
@given(
    at=st.integers(0, len(REAL_PDF.read_bytes()) - 1),
    junk=st.binary(min_size=1, max_size=64),
    cut=st.booleans(),
)
def test_a_damaged_pdf_never_breaks_import(tmp_path_factory, at, junk, cut):
    data = REAL_PDF.read_bytes()
    data = data[:at] if cut else data[:at] + junk + data[at + len(junk) :]
    _answers(tmp_path_factory.mktemp("fuzz"), "report.pdf", data)


@_FUZZ
@given(
    at=st.integers(0, 40_000),
    junk=st.sampled_from(
        ["<table>", "</tr>", "<td rowspan='99'>", "</table>", "<td colspan=0>", "\x00", "<!--", "é"]
    ),
)
def test_a_mangled_web_page_never_breaks_import(tmp_path_factory, at, junk):
    data = cms_page("宝清县小城子镇人民政府", 2024, {}, {}, encoding="utf-8").decode("utf-8")
    at = min(at, len(data))
    _answers(tmp_path_factory.mktemp("fuzz"), "report.html", (data[:at] + junk + data[at:]).encode("utf-8"))


def test_a_body_named_with_and_without_its_city_is_matched_only_when_unambiguous():
    one = PreviousIndex(
        Path("."), {("洪泽区人民政府", 2023): Path("a.pdf"), ("洪泽区人民政府", 2022): Path("b.pdf")}
    )
    assert one.find("淮安市洪泽区人民政府", 2023) == Path("a.pdf")
    assert one.find("淮安市洪泽区人民政府", 2021) is None
    two = PreviousIndex(
        Path("."), {("甲市洪泽区人民政府", 2023): Path("a.pdf"), ("乙市洪泽区人民政府", 2023): Path("c.pdf")}
    )
    assert two.find("洪泽区人民政府", 2023) is None  # two bodies it could be: none is taken
    assert PreviousIndex(Path("."), {("人民政府", 2023): Path("d.pdf")}).find("某县人民政府", 2023) is None


def test_a_word_row_ending_early_is_read_on_the_tables_grid(tmp_path):
    """A Word row may leave grid columns out after its cells (w:gridAfter): its cells stay in their columns
    and the next row is not shifted into the gap."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.add_paragraph("某县人民政府2024年政府信息公开工作年度报告")
    rows = [
        ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
        ("规章", 1, 2, 3),
        ("行政规范性文件", 4, 5, 6),
    ]
    table = document.add_table(rows=len(rows), cols=4)
    for docx_row, texts in zip(table.rows, rows, strict=True):
        for cell, text in zip(docx_row.cells, texts, strict=True):
            cell.text = str(text)
    tr = table.rows[1]._tr  # 规章's row ends after 本年废止件数
    tr.remove(tr.tc_lst[-1])
    grid_after = OxmlElement("w:gridAfter")
    grid_after.set(qn("w:val"), "1")
    tr.get_or_add_trPr().append(grid_after)
    path = tmp_path / "short.docx"
    document.save(path)
    fields = imported(tmp_path, path)["fields"]
    assert [fields[f"t2_regulations_{k}"] for k in ("issued", "repealed", "in_force")] == [1, 2, None]
    assert [fields[f"t2_normative_{k}"] for k in ("issued", "repealed", "in_force")] == [4, 5, 6]
