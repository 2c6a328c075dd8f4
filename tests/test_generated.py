"""Sentences written from 表三: exact wording for zero, one and mixed results, and how they are marked."""

from __future__ import annotations

import json

import openpyxl
from docx import Document
from docx.enum.text import WD_COLOR_INDEX
from typer.testing import CliRunner

from conftest import ORG, YEAR, cell, sample
from xlsreport import api
from xlsreport.cli import app
from xlsreport.formats import DEFAULT
from xlsreport.generated import NO_FEE, auto_summary, request_paragraph
from xlsreport.rules import compute
from xlsreport.wording import GENERATED_MARK, GENERATED_NOTE

runner = CliRunner(env={"COLUMNS": "300"})


def para(**inputs: int) -> str:
    return request_paragraph(compute(DEFAULT, {f"t3_{k}": v for k, v in inputs.items()}), 2024)


def test_zero_applications():
    assert para() == "2024年，本机关未收到新的政府信息公开申请，也无上年结转的申请。"


def test_one_application_one_result():
    assert para(new_natural=1, granted_natural=1) == (
        "2024年，本机关新收政府信息公开申请1件。本年度办结1件，均予以公开。无结转下年度继续办理的申请。"
    )
    assert para(new_commercial=1, other_3_commercial=1).endswith(
        "本年度办结1件，均作其他处理。无结转下年度继续办理的申请。"
    )


def test_only_carried_over():
    assert para(carried_natural=2, unable_1_natural=1, carry_forward_natural=1) == (
        "2024年，本机关未收到新的政府信息公开申请；上年结转2件。本年度办结1件，均无法提供。结转下年度继续办理1件。"
    )


def test_mixed_results_from_a_sample():
    values = compute(
        DEFAULT,
        {k: v for k, v in sample("qixingpao-2024.json")["fields"].items() if isinstance(v, int | float)},
    )
    assert request_paragraph(values, 2024) == (
        "2024年，本机关共新收政府信息公开申请7件，其中自然人申请6件、商业企业申请1件；上年结转1件，共需办理8件。"
        "本年度办结7件，其中予以公开2件，部分公开1件，不予公开1件，无法提供2件，不予处理1件。"
        "结转下年度继续办理1件。"
    )


def test_no_fee_sentence_only_when_six_is_silent_and_no_charge_notice():
    empty = compute(DEFAULT, {})
    texts = {"request": "", "other": "无其他需要报告事项。"}
    out = auto_summary(DEFAULT, empty, texts, 2024)
    assert out["other"] == f"{GENERATED_MARK}{NO_FEE}\n无其他需要报告事项。"
    assert out["request"].startswith(GENERATED_MARK)
    stated = auto_summary(DEFAULT, empty, {"other": "本年度未收取信息处理费。"}, 2024)
    assert stated["other"] == "本年度未收取信息处理费。"
    charged = auto_summary(
        DEFAULT, compute(DEFAULT, {"t3_new_natural": 1, "t3_other_2_natural": 1}), texts, 2024
    )
    assert charged["other"] == texts["other"]  # a charge notice was issued: the clerk must write the figures
    again = auto_summary(DEFAULT, empty, out, 2024)
    assert again["request"] == out["request"]  # generated once, not twice


def test_fill_auto_summary_marks_the_workbook_and_agrees_with_the_checker(tmp_path):
    data = sample("qixingpao-2024.json")
    data["fields"]["text_request"] = ""
    data["fields"]["text_other"] = ""
    out = tmp_path / "q.xlsx"
    data_file = tmp_path / "q.json"
    data_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["fill", str(data_file), "-o", str(out), "--auto-summary"])
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out)["文字部分"]
    request = ws[cell("text_request")]
    assert request.value.startswith(GENERATED_MARK + "2024年，本机关共新收政府信息公开申请7件")
    assert GENERATED_NOTE in request.comment.text
    assert ws[cell("text_other")].value == GENERATED_MARK + NO_FEE
    report = api.check(out).report
    codes = [(f.code, f.cell) for f in report.findings]
    assert codes == [("TEXT_GENERATED", cell("text_request")), ("TEXT_GENERATED", cell("text_other"))]


def test_build_auto_summary_highlights_generated_paragraphs(tmp_path):
    book = api.fill(sample("xiaochengzi-2024.json"), tmp_path / "x.xlsx")
    plain = Document(api.build(book, tmp_path / "plain.docx").document)
    assert not [p for p in plain.paragraphs if p.text.startswith(GENERATED_MARK)]
    result = runner.invoke(app, ["build", str(book), "-o", str(tmp_path / "auto.docx"), "--auto-summary"])
    assert result.exit_code == 0, result.output
    doc = Document(tmp_path / "auto.docx")
    generated = [p for p in doc.paragraphs if p.text.startswith(GENERATED_MARK)]
    assert [p.text for p in generated] == [
        GENERATED_MARK + "2024年，本机关未收到新的政府信息公开申请，也无上年结转的申请。",
        GENERATED_MARK + NO_FEE,
    ]
    assert all(r.font.highlight_color == WD_COLOR_INDEX.YELLOW for p in generated for r in p.runs)
    texts = [p.text for p in doc.paragraphs]
    assert texts.index("（二）依申请公开") + 1 == texts.index(
        generated[0].text
    )  # the part is no longer missing
    assert ORG in texts[0] and str(YEAR) in texts[0]
