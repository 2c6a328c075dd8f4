"""A roster: the bodies a county expects, as a clerk saves it on Windows.

A text file with one body per line (`#` starts a comment), or a table with a 机关名称 column: CSV, tab
separated text (Excel's "Unicode 文本"), or an .xlsx (read with openpyxl, the one reader of a file that is
not our template). Notepad saves "Unicode" as UTF-16 with a byte-order mark, "UTF-8" with or without one,
"ANSI" on Chinese Windows as GBK; all of them are read. Names keep their own characters, but invisible
ones (zero-width spaces, the BOM) and surrounding spaces of any kind are dropped, and names that are the
same body (places.normalise_name) are listed once.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from pathlib import Path

from .errors import InputError
from .guard import inspect, read_input, regular
from .places import INVISIBLE, normalise_name
from .reasons import damage_reason, reason
from .wording import ROSTER_HEADER

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(raw: bytes) -> str:
    """The text of a file saved by Notepad or Excel in any of their encodings; UnicodeDecodeError if none."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return raw.decode(encoding)
    if len(raw) >= 4 and raw.count(0) * 3 > len(raw):  # UTF-16 without its mark: every other byte is 0
        return raw.decode("utf-16-le" if raw[1] == 0 else "utf-16-be")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030")  # GBK's superset: "ANSI" on a Chinese Windows


def clean(name: str) -> str:
    """A body's name as written, without invisible characters and surrounding spaces of any kind."""
    return name.translate(INVISIBLE).strip()


def read_roster(path: Path) -> list[str]:
    """Body names from a roster (see the module), each body once, in the roster's order."""
    path = Path(path)
    shown = str(path)
    regular(path)
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            names = _column(_xlsx_rows(path), shown)
        else:
            text = decode(read_input(path))
            lines = text.splitlines()
            if path.suffix.lower() == ".csv":
                names = _column(list(csv.reader(io.StringIO(text))), shown)
            elif any(ROSTER_HEADER in ln.split("\t") for ln in lines):
                names = _column([ln.split("\t") for ln in lines], shown)
            else:
                names = [ln for ln in lines if not ln.strip().startswith("#")]
    except UnicodeDecodeError:
        raise InputError("ROSTER_INVALID", path=shown, reason=reason("ROSTER_INVALID", "encoding")) from None
    except (OSError, csv.Error, zipfile.BadZipFile, KeyError, ValueError, TypeError, IndexError) as exc:
        what = (
            reason("ROSTER_INVALID", "not_xlsx")
            if path.suffix.lower().startswith(".xls")
            else damage_reason(exc)
        )
        raise InputError(
            "ROSTER_INVALID", path=shown, reason=reason("ROSTER_INVALID", "unreadable", what=what)
        ) from None
    seen: dict[str, str] = {}
    for name in map(clean, names):
        if name:
            seen.setdefault(normalise_name(name), name)
    if not seen:
        raise InputError("ROSTER_INVALID", path=shown, reason=reason("ROSTER_INVALID", "no_names"))
    return list(seen.values())


def _xlsx_rows(path: Path) -> list[list[str]]:
    import openpyxl  # only for a roster kept as a workbook: check and collect start without it

    inspect(path)  # the limits and refusals of any workbook we open (zip bombs, entity declarations)
    wb = openpyxl.load_workbook(io.BytesIO(read_input(path)), read_only=True, data_only=True)
    try:
        return [
            ["" if v is None else str(v) for v in r]
            for r in wb.worksheets[0].iter_rows(max_col=50, values_only=True)
        ]
    finally:
        wb.close()


def _column(rows: list[list[str]], shown: str) -> list[str]:
    for i, row in enumerate(rows):
        cells = [clean(c) for c in row]
        if ROSTER_HEADER in cells:
            j = cells.index(ROSTER_HEADER)
            return [r[j] for r in rows[i + 1 :] if len(r) > j]
    raise InputError(
        "ROSTER_INVALID", path=shown, reason=reason("ROSTER_INVALID", "no_header", header=ROSTER_HEADER)
    )
