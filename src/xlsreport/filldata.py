"""What `fill` accepts: data keyed by field key, as `export` prints it, checked before a workbook is written.

Every reason a DATA_INVALID message gives is in the catalogue (reasons.py), beside the code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .formats import DEFAULT, FORMATS
from .guard import read_input
from .reasons import json_error, os_reason, reason
from .spec import Format, Kind

MAX_TEXT = 32_767  # the most characters a spreadsheet cell holds


@dataclass(frozen=True)
class FillData:
    fmt: Format
    org: str
    year: int
    fields: dict[str, object]


def _bad(shown: str, key: str, **values: object) -> InputError:
    return InputError("DATA_INVALID", path=shown, reason=reason("DATA_INVALID", key, **values))


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
        what = json_error(exc.msg)
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
