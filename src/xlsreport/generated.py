"""The 【系统生成】 paragraphs, written from the figures: the standard 依申请公开 paragraph from 表三 and the no-fee sentence of 六.

Number style: counts are written in Arabic numerals (7件), as GB/T 15835-2011 prescribes for counting and as
the national format's published reports do throughout; Chinese numerals are kept for what is conventionally
Chinese — enumerations (一是、（一）) — which these sentences do not need. The year is Arabic too (2024年).

Every generated paragraph starts with GENERATED_MARK so a clerk can see what the machine wrote; `check`
warns (TEXT_GENERATED) until the mark is deleted, and the Word report highlights the paragraph.
"""

from __future__ import annotations

from collections.abc import Mapping

from .formats import DEFAULT
from .narrative import FEE_STATED
from .spec import Format
from .wording import GENERATED_MARK

Number = int | float

# Wording of this module, in one place (the categories and applicants are the format's: Format.results,
# Format.applicants).
NO_FEE = "本年度未收取信息处理费，未发出收费通知。"


def request_paragraph(values: Mapping[str, Number], year: int, fmt: Format = DEFAULT) -> str:
    """The standard paragraph on applications, from 表三's totals (`values` as `Checked.values`): its rows
    and columns by their roles in the format (`Format.requests`)."""
    r = fmt.requests
    at = lambda row, col=r.total: int(values.get(f"{r.table}_{row}_{col}", 0))  # noqa: E731
    new, carried, done, forward = at(r.new), at(r.carried), at(r.done), at(r.forward)
    if new:
        by = [f"{word}申请{at(r.new, col)}件" for col, word in fmt.applicants if at(r.new, col)]
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
        counts = [(word, int(sum(values.get(k, 0) for k in keys))) for word, keys in fmt.results]
        counts = [(word, n) for word, n in counts if n]
        parts = f"本年度办结{done}件"
        if len(counts) > 1:
            parts += f"，其中{'，'.join(f'{word}{n}件' for word, n in counts)}"
        elif counts:
            word = counts[0][0]
            parts += f"，均{'作' if word == '其他处理' else ''}{word}"
        sentences.append(parts + "。")
    if forward:
        sentences.append(f"结转下年度继续办理{forward}件。")
    elif new or carried:
        sentences.append("无结转下年度继续办理的申请。")
    return "".join(sentences)


def fee_stated(text: str | None) -> bool:
    """Whether a 六 text already states the 信息处理费 position."""
    return bool(FEE_STATED.search(text or ""))


def fee_charged(values: Mapping[str, Number], fmt: Format = DEFAULT) -> bool:
    """Whether 表三 shows a charge notice was issued: （六）2 counts applicants who did not pay one."""
    r = fmt.requests
    return bool(values.get(f"{r.table}_{r.fee_notice}_{r.total}", 0))


def marked(paragraph: str) -> str:
    return GENERATED_MARK + paragraph


def auto_summary(
    fmt: Format, values: Mapping[str, Number], texts: Mapping[str, str], year: int
) -> dict[str, str]:
    """The texts with generated paragraphs added, marked: 依申请公开 (unless already generated), and the
    no-fee sentence in 六 when 六 does not state the fee position and 表三 shows no charge notice."""
    out = dict(texts)
    key = fmt.roles["request"]
    request = out.get(key) or ""
    if GENERATED_MARK not in request:
        out[key] = "\n".join(p for p in (request, marked(request_paragraph(values, year, fmt))) if p)
    other = fmt.roles["fee"]  # 六、其他需要报告的事项
    if not fee_stated(out.get(other)) and not fee_charged(values, fmt):
        out[other] = "\n".join(p for p in (marked(NO_FEE), out.get(other) or "") if p)
    return out
