"""What a cell's stored text means, exactly as openpyxl reads it: numbers, and dates by number format.

The quick reader (xlsxcells.QuickPackage, sheetxml.SheetCells) needs only these few of openpyxl's rules; importing openpyxl for them
would cost every `check` a twentieth of a second before any file is opened. Taken from openpyxl 3.1
(MIT licence: openpyxl/styles/numbers.py, utils/datetime.py, worksheet/_reader.py);
tests/test_cellvalues.py holds them to openpyxl's own.
"""

from __future__ import annotations

import datetime
import re

WINDOWS_EPOCH = datetime.datetime(1899, 12, 30)
CALENDAR_MAC_1904 = datetime.datetime(1904, 1, 1)

# the built-in number formats that read as dates or times (the others read as numbers)
_BUILTIN_DATES = {
    14: "mm-dd-yy",
    15: "d-mmm-yy",
    16: "d-mmm",
    17: "mmm-yy",
    18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM",
    20: "h:mm",
    21: "h:mm:ss",
    22: "m/d/yy h:mm",
    45: "mm:ss",
    46: "[h]:mm:ss",
    47: "mmss.0",
}
_STRIP = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')  # quoted text, [colours] and [$locales]
_DATE_PART = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_TIMEDELTA = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)


def builtin_format_code(index: int) -> str | None:
    """A built-in number format's code, where it makes a date; None for the others."""
    return _BUILTIN_DATES.get(index)


def is_date_format(fmt: str | None) -> bool:
    return fmt is not None and _DATE_PART.search(_STRIP.sub("", fmt.split(";")[0])) is not None


def is_timedelta_format(fmt: str | None) -> bool:
    return fmt is not None and _TIMEDELTA.search(fmt.split(";")[0]) is not None


def cast_number(value: str) -> int | float:
    """A number cell's text as int or float."""
    if "." in value or "E" in value or "e" in value:
        return float(value)
    return int(value)


def from_excel(value: float, epoch: datetime.datetime = WINDOWS_EPOCH, timedelta: bool = False):
    """A date serial as datetime (time, for a fraction of a day; timedelta for a time span)."""
    if timedelta:
        td = datetime.timedelta(days=value)
        if td.microseconds:  # to the millisecond
            td = datetime.timedelta(seconds=td.total_seconds() // 1, microseconds=round(td.microseconds, -3))
        return td
    day, fraction = divmod(value, 1)
    diff = datetime.timedelta(milliseconds=round(fraction * 86400 * 1000))
    if 0 <= value < 1 and diff.days == 0:
        minutes, seconds = divmod(diff.seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return datetime.time(hours, minutes, seconds, diff.microseconds)
    if 0 < value < 60 and epoch == WINDOWS_EPOCH:
        day += 1  # Excel's 29 February 1900, which was not
    return epoch + datetime.timedelta(days=day) + diff
