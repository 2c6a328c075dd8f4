"""汇总.xlsx: what a county's collection adds up to, saying what it is.

First a sheet titled as the county's total, saying how many bodies it sums and listing those left out
(errors, unreadable, not returned); then a status row per file, with `previous` the year-over-year figures,
then tables 二, 三 and 四 summed over the bodies that passed, in the template's own layout with its live
checks, but none of a body's workbook: no instructions, no 基本信息 to fill, no texts, no identity.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from .collected import Collected, Entry
from .previous import key_figures
from .rules import Number, compute
from .spec import Format
from .wording import (
    COUNTY,
    COUNTY_ROW,
    ERRORS_NOTE,
    LEFT_OUT,
    NO_LAST,
    NONE_LEFT_OUT,
    OVERVIEW_HEADER,
    OVERVIEW_SHEET,
    STATUS_HEADER,
    STATUS_SHEET,
    TITLE,
    TOTAL_OF,
    YOY_HEADER,
    YOY_SHEET,
    Status,
)
from .workbook import PlainSheet, write_workbook

LEFT_OUT_STATUSES = (Status.ERRORS, Status.UNREADABLE, Status.MISSING)


def county_totals(fmt: Format, bodies: Iterable[Mapping[str, Number]]) -> dict[str, Number]:
    """The input fields of `fmt` summed over bodies' table values, keyed as in `fmt` (collectfile.summed);
    totals follow from them, as in any workbook."""
    sums: dict[str, Number] = {f.key: 0 for f in fmt.inputs}
    for values in bodies:
        for key in sums:
            sums[key] += values[key]
    # amounts (万元) are decimals: float addition must not leave 0.30000000000000004 in the summary
    return {k: round(v, 6) if isinstance(v, float) else v for k, v in sums.items()}


def passed(entries: Iterable[Entry]) -> list[Entry]:
    """The bodies that passed: built, and summed into the county's tables."""
    return [e for e in entries if e.status is Status.PASSED and e.values is not None]


def _why(e: Entry) -> str:
    if e.status is Status.ERRORS:
        return ERRORS_NOTE.format(n=e.errors)
    if e.report is not None and e.report.findings and not e.note:
        return e.report.findings[0].message
    return e.note


def _overview(fmt: Format, entries: list[Entry], year: int) -> PlainSheet:
    left_out = [e for e in entries if e.status in LEFT_OUT_STATUSES]
    tables = "、".join(t.sheet for t in fmt.tables)
    title = TITLE.format(year=year, tables=tables, n=len(passed(entries)))
    title += LEFT_OUT.format(n=len(left_out)) if left_out else NONE_LEFT_OUT
    rows = tuple((e.org, e.file, str(e.status), _why(e)) for e in left_out)
    return PlainSheet(OVERVIEW_SHEET, OVERVIEW_HEADER, rows, (30, 28, 10, 70), title)


def _status_rows(entries: list[Entry]) -> tuple[tuple[object, ...], ...]:
    return tuple(
        (e.file, e.org, e.year, str(e.status), e.errors, e.warnings, "\n".join(e.outputs), e.note)
        for e in entries
    )


def _yoy_rows(fmt: Format, entries: list[Entry]) -> tuple[tuple[object, ...], ...]:
    bodies = passed(entries)
    # like for like: the county's figures of both years over the bodies that have last year's workbook
    both = [e for e in bodies if e.last_values is not None]
    this = compute(fmt, county_totals(fmt, (e.values for e in both)))
    last = compute(fmt, county_totals(fmt, (e.last_values for e in both))) if both else None
    rows = []
    county = COUNTY_ROW.format(n=len(both), of=len(bodies))
    for org, figures in [
        (county, key_figures(this, last, fmt)),
        *((e.org, key_figures(e.values, e.last_values, fmt)) for e in bodies),
    ]:
        for r in figures:
            table = fmt.table(fmt.fields[r.key].table).sheet
            change = r.change if r.change is not None else NO_LAST
            rows.append(
                (org, table, " / ".join(p for p in r.row if p), " / ".join(r.column), r.this, r.last, change)
            )
    return tuple(rows)


def write_summary(target, result: Collected, year_over_year: bool) -> None:
    """汇总.xlsx: what it sums and what it leaves out, the status sheet, the year-over-year sheet, then the
    county's tables."""
    year = result.year or date.today().year - 1  # no workbook read: reports are of the year past
    bodies = passed(result.entries)
    plain = [
        _overview(result.fmt, result.entries, year),
        PlainSheet(STATUS_SHEET, STATUS_HEADER, _status_rows(result.entries), (28, 30, 6, 14, 7, 7, 50, 60)),
    ]
    if year_over_year:
        rows = _yoy_rows(result.fmt, result.entries)
        plain.append(PlainSheet(YOY_SHEET, YOY_HEADER, rows, (30, 6, 40, 12, 8, 8, 10)))
    write_workbook(
        target,
        result.fmt,
        COUNTY,
        year,
        county_totals(result.fmt, (e.values for e in bodies)),
        plain_sheets=plain,
        total_of=TOTAL_OF.format(n=len(bodies)),
    )
