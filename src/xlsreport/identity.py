"""Which template a workbook says it was made from (its identity), and whether xlsreport knows that template.

The identity is written twice (layout.py: a hidden sheet and a custom document property); a reader gives
`sheet_identity`/`declared` an opened workbook that answers `sheetnames`, `cells(sheet, wanted)` and
`custom_property(name)`.
"""

from __future__ import annotations

import json

from .errors import InputError
from .formats import FORMATS, VERSIONS
from .layout import IDENTITY_KEYS, IDENTITY_PROPERTY, IDENTITY_SHEET, layout_of
from .reasons import VERSION_ADVICE, reason
from .spec import Format
from .wording import VERSION

DAMAGED_IDENTITY = reason("NOT_TEMPLATE", "damaged_identity")  # also said by the readers of a whole file
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
    """The workbook's identity and the version of its format it was made with, or InputError when that
    is not a template xlsreport knows (an unknown format or version, or labels of no version's layout)."""
    if ident is None:
        raise InputError("NOT_TEMPLATE", path=shown, reason=reason("NOT_TEMPLATE", "no_identity"))
    newest = FORMATS.get(ident.get("format", ""))
    if newest is None:
        raise InputError(
            "TEMPLATE_VERSION",
            path=shown,
            found=ident.get("format", "?"),
            expected="、".join(FORMATS),
            advice=VERSION_ADVICE["refill"],
        )
    version = ident.get("version", "")
    fmt = _made_with(newest.id, version, ident.get("layout"))
    if fmt is None:
        known = "、".join(VERSION.format(version=v) for i, v in sorted(VERSIONS) if i == newest.id)
        newer = version.isdigit() and int(version) > newest.version
        raise InputError(
            "TEMPLATE_VERSION",
            path=shown,
            found=f"{newest.id} {VERSION.format(version=version)}（{ident.get('layout')}）",
            expected=f"{newest.id} {known}",
            advice=VERSION_ADVICE["upgrade" if newer else "refill"],
        )
    return ident, fmt


def _made_with(format_id: str, version: str, fingerprint: str | None) -> Format | None:
    """The version of the format the workbook was made with: the one it names, or, where the fingerprint
    of its labels is another known version's, that one (workbooks made after a change of layout.py but
    before the version bump that should have come with it name the old number). A version this program
    does not know (a newer one) is None: its rules may differ whatever its labels."""
    named = VERSIONS.get((format_id, int(version))) if version.isdigit() else None
    if named is None:
        return None
    others = [f for (i, _), f in sorted(VERSIONS.items(), reverse=True) if i == format_id and f is not named]
    return next((f for f in (named, *others) if layout_of(f).label_hash == fingerprint), None)


def verified(wb, shown: str) -> tuple[dict[str, str], Format]:
    """The identity and format of an opened workbook; InputError when it has none, one of an unknown
    template, or a sheet and a property that disagree."""
    ident, fmt = template_of(sheet_identity(wb), shown)
    found = declared(wb)
    if found is not None and any(found[k] != ident.get(k) for k in IDENTITY_KEYS):
        # the sheet edited (or the property): which body and year the file is for cannot be told
        raise InputError("NOT_TEMPLATE", path=shown, reason=DAMAGED_IDENTITY)
    return ident, fmt
