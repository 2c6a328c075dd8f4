"""Findings are values: what `check` found, where, and what to do about it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .errors import FATAL, Severity, readable
from .findingcodes import FINDINGS, finding_message
from .layout import layout_of
from .spec import Format
from .wording import PAGE

Scalar = str | int | float | None


@dataclass(frozen=True)
class Finding:
    code: str
    sheet: str
    cell: str  # A1, or "" for a finding about a whole sheet
    row: tuple[str, ...]  # label path of the row
    column: tuple[str, ...]  # label path of the column
    found: Scalar  # the value in the cell, as it stands
    expected: Scalar  # what it should be
    message: str
    page: int | None = None  # a published report's page (PDF), where there is no cell
    # a rule's finding: the two sides of its equation (found is the cell's own value, one term of them)
    left: Scalar = None
    right: Scalar = None
    # what else the message names (Finding.make's `words`), kept so the finding can be said again elsewhere
    words: tuple[tuple[str, str], ...] = ()

    @property
    def severity(self) -> Severity:
        """A fatal code (a file that could not be read) counts as an error."""
        return FINDINGS[self.code].severity if self.code in FINDINGS else Severity.ERROR

    @classmethod
    def make(
        cls,
        code: str,
        sheet: str,
        cell: str = "",
        row: tuple[str, ...] = (),
        column: tuple[str, ...] = (),
        found: Scalar = None,
        expected: Scalar = None,
        page: int | None = None,
        left: Scalar = None,
        right: Scalar = None,
        words: Mapping[str, str] | None = None,
    ) -> Finding:
        """A finding with its message rendered from the catalogue; `words`: what else its message names
        (a label the format declares, where the message would otherwise name one format's row)."""
        where = describe(sheet, cell or (PAGE.format(page=page) if page else ""), row, column)
        shown = {
            k: show(v)
            for k, v in (("found", found), ("expected", expected), ("left", left), ("right", right))
        }
        words = dict(words or {})
        message = finding_message(code, where=where, **shown, **words)
        return cls(
            code, sheet, cell, row, column, found, expected, message, page, left, right, tuple(words.items())
        )

    @classmethod
    def at(
        cls, fmt: Format, key: str, code: str, found: Scalar = None, expected: Scalar = None, **kw
    ) -> Finding:
        """A finding at the cell of field `key`: its sheet, cell and labels taken from the format's layout."""
        f, span = fmt.fields[key], layout_of(fmt).cells[key]
        return cls.make(code, span.sheet, span.a1, f.row, f.column, found, expected, **kw)

    def to_dict(self) -> dict:
        page = {} if self.page is None else {"page": self.page}
        return {
            **page,
            "code": self.code,
            "severity": str(self.severity),
            "sheet": self.sheet,
            "cell": self.cell,
            "row": list(self.row),
            "column": list(self.column),
            "found": self.found,
            "expected": self.expected,
            "left": self.left,
            "right": self.right,
            "message": self.message,
        }


def show(value: Scalar) -> str:
    """A value as a message shows it, and as a spreadsheet joins it to text: 5.0 as 5."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def describe(sheet: str, cell: str, row: tuple[str, ...], column: tuple[str, ...]) -> str:
    """表三 “三、本年度办理结果 / （三）不予公开 / 1.属于国家秘密” · 自然人（D11）."""
    text = sheet
    if row:
        text += f" “{' / '.join(p for p in row if p)}”"
    if column:
        text += f" · {column[-1]}"
    if cell:
        text += f"（{cell}）"
    return text


@dataclass
class Report:
    """The outcome of checking one workbook."""

    file: str
    findings: list[Finding] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.file = readable(self.file)  # a file name in GBK bytes, shown as the characters it means

    @property
    def errors(self) -> int:
        return sum(f.severity is Severity.ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity is Severity.WARNING for f in self.findings)

    @property
    def ok(self) -> bool:
        return self.errors == 0

    @property
    def unreadable(self) -> bool:
        """The file could not be read at all: its finding is a fatal code."""
        return any(f.code in FATAL for f in self.findings)

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "ok": self.ok,
            "errors": self.errors,
            "warnings": self.warnings,
            "findings": [f.to_dict() for f in self.findings],
        }
