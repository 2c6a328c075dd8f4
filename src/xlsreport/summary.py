"""Sentences written from the figures: the standard 依申请公开 paragraph from 表三 and the no-fee sentence of 六.

Number style: counts are written in Arabic numerals (7件), as GB/T 15835-2011 prescribes for counting and as
the national format's published reports do throughout; Chinese numerals are kept for what is conventionally
Chinese — enumerations (一是、（一）) — which these sentences do not need. The year is Arabic too (2024年).

Every generated paragraph starts with GENERATED_MARK so a clerk can see what the machine wrote; `check`
warns (TEXT_GENERATED) until the mark is deleted, and the Word report highlights the paragraph.
"""

from __future__ import annotations

from collections.abc import Mapping

from .narrative import FEE_STATED, GENERATED_MARK
from .spec import Format

Number = int | float

# Wording of this module, in one place.
_APPLICANTS = (
    ("natural", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("nonprofit", "社会公益组织"),
    ("legal", "法律服务机构"),
    ("other", "其他法人或其他组织"),
)
_RESULTS = (  # (label in the sentence, row keys of 表三 summed)
    ("予以公开", ("granted",)),
    ("部分公开", ("partial",)),
    ("不予公开", tuple(f"withheld_{i}" for i in range(1, 9))),
    ("无法提供", tuple(f"unable_{i}" for i in range(1, 4))),
    ("不予处理", tuple(f"refused_{i}" for i in range(1, 6))),
    ("其他处理", tuple(f"other_{i}" for i in range(1, 4))),
)
NO_FEE = "本年度未收取信息处理费，未发出收费通知。"


def _n(values: Mapping[str, Number], key: str) -> int:
    return int(values.get(f"t3_{key}_total", 0))


def request_paragraph(values: Mapping[str, Number], year: int) -> str:
    """The standard paragraph on applications, from 表三's totals (`values` as `Checked.values`)."""
    new, carried = _n(values, "new"), _n(values, "carried")
    done, forward = _n(values, "total"), _n(values, "carry_forward")
    if new:
        by = [f"{label}申请{int(values.get(f't3_new_{k}', 0))}件" for k, label in _APPLICANTS]
        by = [s for s, (k, _) in zip(by, _APPLICANTS, strict=True) if values.get(f"t3_new_{k}", 0)]
        first = f"{year}年，本机关{'共' if new > 1 else ''}新收政府信息公开申请{new}件"
        if len(by) > 1:
            first += f"，其中{'、'.join(by)}"
    else:
        first = f"{year}年，本机关未收到新的政府信息公开申请"
    if carried:
        first += f"；上年结转{carried}件"
        if new:
            first += f"，共需办理{new + carried}件"
    elif not new:
        first += "，也无上年结转的申请"
    sentences = [first + "。"]
    if done:
        results = [f"{label}{sum(_n(values, r) for r in rows)}件" for label, rows in _RESULTS]
        results = [
            s for s, (_, rows) in zip(results, _RESULTS, strict=True) if sum(_n(values, r) for r in rows)
        ]
        parts = f"本年度办结{done}件"
        if len(results) > 1:
            parts += f"，其中{'，'.join(results)}"
        elif results:
            label = next(label for label, rows in _RESULTS if sum(_n(values, r) for r in rows))
            parts += f"，均{'作' if label == '其他处理' else ''}{label}"
        sentences.append(parts + "。")
    if forward:
        sentences.append(f"结转下年度继续办理{forward}件。")
    elif new or carried:
        sentences.append("无结转下年度继续办理的申请。")
    return "".join(sentences)


def fee_stated(text: str | None) -> bool:
    """Whether a 六 text already states the 信息处理费 position."""
    return bool(FEE_STATED.search(text or ""))


def fee_charged(values: Mapping[str, Number]) -> bool:
    """Whether 表三 shows a charge notice was issued: （六）2 counts applicants who did not pay one."""
    return bool(values.get("t3_other_2_total", 0))


def marked(paragraph: str) -> str:
    return GENERATED_MARK + paragraph


def auto_summary(
    fmt: Format, values: Mapping[str, Number], texts: Mapping[str, str], year: int
) -> dict[str, str]:
    """The texts with generated paragraphs added, marked: 依申请公开 (unless already generated), and the
    no-fee sentence in 六 when 六 does not state the fee position and 表三 shows no charge notice."""
    out = dict(texts)
    request = out.get("request") or ""
    if GENERATED_MARK not in request:
        out["request"] = "\n".join(p for p in (request, marked(request_paragraph(values, year))) if p)
    other = fmt.parts[-1].key  # 六、其他需要报告的事项
    if not fee_stated(out.get(other)) and not fee_charged(values):
        out[other] = "\n".join(p for p in (marked(NO_FEE), out.get(other) or "") if p)
    return out
