"""The report formats xlsreport knows, by id and version.

A new workbook is always made with the newest version of its format (`FORMATS`); a returned one is read and
checked with the version it was made with (`VERSIONS`), so last year's workbooks stay readable after the
layout or the format changed. README: 格式与版本.
"""

import copyreg
from collections.abc import Mapping

from ..spec import Format
from .national_2021 import NATIONAL_2021, NATIONAL_2021_V1

VERSIONS: dict[tuple[str, int], Format] = {(f.id, f.version): f for f in (NATIONAL_2021_V1, NATIONAL_2021)}
FORMATS: dict[str, Format] = {f.id: f for _, f in sorted(VERSIONS.items())}  # id -> its newest version
DEFAULT = NATIONAL_2021


def newest(fmt: Format) -> Format:
    """The version of `fmt`'s format that workbooks are made with now."""
    return FORMATS[fmt.id]


def key_in(key: str, old: Format, new: Format) -> str:
    """The key in `new` of field `key` of `old`, another version of the same format: renamed forward by each
    version after `old` up to `new`, or back through them when `old` is the later (last year's workbook made
    with a newer form than this year's)."""
    for version in range(old.version + 1, new.version + 1):
        key = VERSIONS[new.id, version].renamed.get(key, key)
    for version in range(old.version, new.version, -1):
        key = {to: was for was, to in VERSIONS[old.id, version].renamed.items()}.get(key, key)
    return key


def values_in(values: Mapping[str, object], old: Format, new: Format) -> dict[str, object]:
    """`values` of a workbook of `old`, keyed as in `new` (either may be the later): what `--previous` and
    collect compare across a version."""
    return {key_in(k, old, new): v for k, v in values.items()}


def _registered(format_id: str, version: int) -> Format:
    return VERSIONS[format_id, version]


def _by_registry(fmt: Format) -> tuple:
    """How a format is pickled (sent to collect's workers with what was read): as its place in the registry,
    so it is the one object of its version there too (formats are compared by identity); one that is not
    registered, by value."""
    if VERSIONS.get((fmt.id, fmt.version)) is fmt:
        return _registered, (fmt.id, fmt.version)
    return object.__reduce_ex__(fmt, 2)


copyreg.pickle(Format, _by_registry)
