"""Which template a workbook says it was made from (its identity), and whether xlsreport knows that template.

The identity is written twice (layout.py: a hidden sheet and a custom document property); a reader gives
`sheet_identity`/`declared` an opened workbook that answers `sheetnames`, `cells(sheet, wanted)` and
`custom_property(name)`.
"""

from __future__ import annotations

import json

from .errors import InputError
from .formats import FORMATS
from .layout import IDENTITY_KEYS, IDENTITY_PROPERTY, IDENTITY_SHEET, layout_of
from .spec import Format

DAMAGED_IDENTITY = "填报表的标识已损坏"
# the hidden identity sheet: a key in column A, its value in column B, one row each
_IDENTITY_AT = {
    f"{col}{row}": (row, c) for row in range(1, len(IDENTITY_KEYS) + 1) for c, col in ((1, "A"), (2, "B"))
}


def sheet_identity(wb) -> dict[str, str] | None:
    """Who the workbook is for, as its hidden sheet says; where that sheet is gone, as its property says."""
    if IDENTITY_SHEET in wb.sheetnames:
        got = {
            k: getattr(v, "text", v)  # a formula in the sheet: its text (reader.Formula)
            for k, v in wb.cells(IDENTITY_SHEET, _IDENTITY_AT).items()
        }
        pairs = ((got.get(f"A{row}"), got.get(f"B{row}")) for row in range(1, len(IDENTITY_KEYS) + 1))
        found = {str(k): str(v) for k, v in pairs if k is not None}
        if set(IDENTITY_KEYS) <= set(found):
            return found
    return declared(wb, complete=False)


def declared(wb, complete: bool = True) -> dict[str, str] | None:
    """The identity in the workbook's custom document property; None when there is none, it does not
    read, or (`complete`) it lacks a key, as when Excel cut a long one short."""
    prop = wb.custom_property(IDENTITY_PROPERTY)
    if prop is None:
        return None
    try:
        found = {str(k): str(v) for k, v in json.loads(prop.value).items()}
    except (ValueError, AttributeError):
        return None
    return found if not complete or set(IDENTITY_KEYS) <= set(found) else None


def template_of(ident: dict[str, str] | None, shown: str) -> tuple[dict[str, str], Format]:
    """The workbook's identity and format, or InputError when it is not a template of a known version."""
    if ident is None:
        raise InputError("NOT_TEMPLATE", path=shown, reason="没有找到本系统填报表的标识")
    fmt = FORMATS.get(ident.get("format", ""))
    if fmt is None:
        raise InputError(
            "TEMPLATE_VERSION", path=shown, found=ident.get("format", "?"), expected="、".join(FORMATS)
        )
    lay = layout_of(fmt)
    if ident.get("version") != str(fmt.version) or ident.get("layout") != lay.label_hash:
        raise InputError(
            "TEMPLATE_VERSION",
            path=shown,
            found=f"{fmt.id} 第{ident.get('version')}版（{ident.get('layout')}）",
            expected=f"{fmt.id} 第{fmt.version}版（{lay.label_hash}）",
        )
    return ident, fmt


def verified(wb, shown: str) -> tuple[dict[str, str], Format]:
    """The identity and format of an opened workbook; InputError when it has none, one of an unknown
    template, or a sheet and a property that disagree."""
    ident, fmt = template_of(sheet_identity(wb), shown)
    found = declared(wb)
    if found is not None and any(found[k] != ident.get(k) for k in IDENTITY_KEYS):
        # the sheet edited (or the property): which body and year the file is for cannot be told
        raise InputError("NOT_TEMPLATE", path=shown, reason=DAMAGED_IDENTITY)
    return ident, fmt
