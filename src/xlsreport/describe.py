"""Every field and rule of a format, and every code, as data: what `xlsreport schema`, scripts and the
README's tables are made from."""

from __future__ import annotations

from .errors import FATAL
from .findingcodes import FINDINGS
from .formats import DEFAULT
from .layout import layout_of
from .spec import Format


def schema(fmt: Format = DEFAULT) -> dict:
    """Every field and rule of a format, and every code: what scripts and the README are made from."""
    lay = layout_of(fmt)
    return {
        "format": fmt.id,
        "version": fmt.version,
        "name": fmt.name,
        "fields": [
            {
                "key": f.key,
                "table": f.table,
                "row": list(f.row),
                "column": list(f.column),
                "sheet": lay.cells[f.key].sheet,
                "cell": lay.cells[f.key].a1,
                "name": f.key,
                "type": f.kind.value,
                "computed": f.computed,
            }
            for f in fmt.fields.values()
        ],
        "rules": [
            {"code": r.code, "description": FINDINGS[r.code].summary, "checks": len(r.checks)}
            for r in fmt.rules
        ],
        "codes": [
            {"code": c.code, "severity": str(c.severity) if c.severity else "fatal", "description": c.summary}
            for c in (*FINDINGS.values(), *FATAL.values())
        ],
    }
