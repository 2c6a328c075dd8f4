"""The quick reader's copy of openpyxl's cell rules gives what openpyxl's own give."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st
from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH, from_excel
from openpyxl.worksheet._reader import _cast_number

from xlsreport import cellvalues as ours


def test_builtin_formats_read_as_dates_alike():
    for index in range(200):
        theirs = builtin_format_code(index)
        assert ours.is_date_format(ours.builtin_format_code(index)) == is_date_format(theirs), index
        assert ours.is_timedelta_format(ours.builtin_format_code(index)) == is_timedelta_format(theirs), index


FORMATS = st.text(alphabet='0#.,;@"[]$-hmsdyHMSDY年月日_\\ /:AMP', max_size=20) | st.sampled_from(
    ['yyyy"年"m"月"d"日"', "[$-804]yyyy/m/d", '"d"0', "[Red]0.00", "[hh]:mm:ss", "0_);[Red](0)", "[mm]:ss.00"]
)


@given(FORMATS)
def test_custom_formats_read_as_dates_alike(fmt):
    assert ours.is_date_format(fmt) == is_date_format(fmt)
    assert ours.is_timedelta_format(fmt) == is_timedelta_format(fmt)


@given(st.floats(min_value=-1000, max_value=2_000_000, allow_nan=False), st.booleans(), st.booleans())
def test_serials_read_as_dates_alike(value, mac, span):
    epoch, their_epoch = (
        (ours.CALENDAR_MAC_1904, CALENDAR_MAC_1904) if mac else (ours.WINDOWS_EPOCH, WINDOWS_EPOCH)
    )
    try:
        theirs = from_excel(value, their_epoch, timedelta=span)
    except (OverflowError, ValueError) as exc:
        theirs = type(exc)
    try:
        mine = ours.from_excel(value, epoch, timedelta=span)
    except (OverflowError, ValueError) as exc:
        mine = type(exc)
    assert mine == theirs


@given(st.integers(-(10**12), 10**12) | st.floats(allow_nan=False, allow_infinity=False))
def test_numbers_read_alike(number):
    for text in {str(number), repr(number), f"{number:E}" if isinstance(number, float) else str(number)}:
        assert ours.cast_number(text) == _cast_number(text)
        assert type(ours.cast_number(text)) is type(_cast_number(text))


def test_epochs_alike():
    assert (ours.WINDOWS_EPOCH, ours.CALENDAR_MAC_1904) == (WINDOWS_EPOCH, CALENDAR_MAC_1904)
    assert ours.from_excel(45292.5) == datetime.datetime(2024, 1, 1, 12)
