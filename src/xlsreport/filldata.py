"""What `fill` accepts: data keyed by field key, as `export` prints it, checked before a workbook is written.

Every reason a DATA_INVALID message gives is in REASONS, so the wording can be reviewed at a glance.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, os_reason
from .formats import DEFAULT, FORMATS
from .guard import read_input
from .spec import Format, Kind

MAX_TEXT = 32_767  # the most characters a spreadsheet cell holds

REASONS = {
    "not_utf8": "不是UTF-8编码的文字（第{offset}个字节起无法解码）",
    "not_json": "不是有效的JSON：第{line}行第{column}列{what}",
    "unreadable": "无法读取（{reason}）",
    "no_fields": "缺少 fields 对象",
    "format": "不认识的格式 {found}，可用：{known}",
    "unknown": "未知的字段 {keys}（字段见 xlsreport schema）",
    "org": "info_org（机关全称）必须是非空文字",
    "year": "info_year（年度）必须是2000至2100之间的整数",
    "value": "{key} 的值只能是数字、文字或 null",
    "too_long": "{key} 超过单元格上限 {limit} 个字符",
    "text": "{key} 应为文字",
}

# what Python's JSON parser says, in Chinese (the part of its message before the position)
_JSON_ERRORS = {
    "Expecting value": "处缺少值",
    "Expecting property name enclosed in double quotes": "处应为双引号括起的字段名",
    "Expecting ':' delimiter": "处缺少冒号",
    "Expecting ',' delimiter": "处缺少逗号",
    "Unterminated string starting at": "起的字符串没有结束",
    "Invalid control character at": "处有不允许的控制字符",
    "Invalid \\escape": "处有无效的转义（\\）",
    "Extra data": "起有多余的内容",
}


@dataclass(frozen=True)
class FillData:
    fmt: Format
    org: str
    year: int
    fields: dict[str, object]


def _bad(shown: str, reason: str, **values: object) -> InputError:
    return InputError("DATA_INVALID", path=shown, reason=REASONS[reason].format(**values))


def load(data: Path | dict) -> tuple[object, str]:
    """The parsed JSON of `data` (a file) and how to name it; a dict is taken as already parsed."""
    if isinstance(data, dict):
        return data, "<data>"
    shown = str(data)
    try:
        raw = read_input(Path(data))
    except OSError as exc:
        raise _bad(shown, "unreadable", reason=os_reason(exc)) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _bad(shown, "not_utf8", offset=exc.start + 1) from exc
    try:
        return json.loads(text), shown
    except json.JSONDecodeError as exc:
        what = next((zh for en, zh in _JSON_ERRORS.items() if exc.msg.startswith(en)), "处有误")
        raise _bad(shown, "not_json", line=exc.lineno, column=exc.colno, what=what) from exc


def fill_data(data: Path | dict) -> FillData:
    """The format, body, year and field values of `data`, or DATA_INVALID saying what is wrong."""
    doc, shown = load(data)
    if not isinstance(doc, dict) or not isinstance(doc.get("fields"), dict):
        raise _bad(shown, "no_fields")
    fmt = FORMATS.get(doc.get("format", DEFAULT.id))
    if fmt is None:
        raise _bad(shown, "format", found=doc.get("format"), known="、".join(FORMATS))
    fields = doc["fields"]
    unknown = sorted(set(fields) - set(fmt.fields))
    if unknown:
        raise _bad(shown, "unknown", keys="、".join(unknown[:5]))
    org, year = fields.get("info_org"), fields.get("info_year")
    if not isinstance(org, str) or not org.strip():
        raise _bad(shown, "org")
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise _bad(shown, "year")
    for key, value in fields.items():
        f = fmt.fields[key]
        if isinstance(value, bool) or (value is not None and not isinstance(value, str | int | float)):
            raise _bad(shown, "value", key=key)
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise _bad(shown, "too_long", key=key, limit=MAX_TEXT)
        if f.kind is Kind.TEXT and f.table == "text" and value is not None and not isinstance(value, str):
            raise _bad(shown, "text", key=key)
    return FillData(fmt, org.strip(), year, fields)
