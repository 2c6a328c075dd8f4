"""Fuzz: valid workbooks mutated in memory — zip bytes, XML of the parts, cell values — through the CLI.

Whatever comes in, every command answers: no uncaught exception, exit 0, 1 or 2, a code and a message for
every non-zero exit, the input unchanged and no half-written output. 2,000 cases in all, derandomized so
CI runs the same ones each time; set XLSREPORT_FUZZ=10 to run ten times as many (each run then differs).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import ORG, YEAR, sample
from xlsreport import api
from xlsreport.cli import app
from xlsreport.errors import FATAL
from xlsreport.findingcodes import FINDINGS
from xlsreport.formats import DEFAULT
from xlsreport.layout import layout_of

SCALE = int(os.environ.get("XLSREPORT_FUZZ", "1"))
runner = CliRunner(env={"COLUMNS": "2000"})
LAY = layout_of(DEFAULT)
WORK = Path(tempfile.mkdtemp(prefix="xlsreport-fuzz-"))
CODES = set(FATAL) | set(FINDINGS)


def fuzz(n: int):
    return settings(
        max_examples=n * SCALE,
        deadline=None,
        derandomize=SCALE == 1,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


def _seeds() -> list[bytes]:
    blank = api.blank(ORG, YEAR, WORK / "blank.xlsx", overwrite=True)
    seed = api.fill(
        {"format": DEFAULT.id, "fields": sample("xiaochengzi-2024.json")["fields"]},
        WORK / "seed.xlsx",
        overwrite=True,
    )
    return [blank.read_bytes(), seed.read_bytes()]


SEEDS = _seeds()


@pytest.fixture(scope="module", autouse=True)
def _work_removed():
    """WORK is made when the module is imported (the seeds are built from it); gone when its tests end."""
    yield
    shutil.rmtree(WORK, ignore_errors=True)


PARTS = sorted(zipfile.ZipFile(io.BytesIO(SEEDS[0])).namelist())
COMMANDS = st.sampled_from(["check"] * 4 + ["check-text"] * 2 + ["export"] * 2 + ["build"] * 2)


def answers(data: bytes, command: str) -> int:
    """Run `command` on `data` and assert the contract; return the exit code."""
    path = WORK / "case.xlsx"
    path.write_bytes(data)
    out_dir = WORK / "out"
    out_dir.mkdir(exist_ok=True)
    for old in out_dir.iterdir():
        old.unlink()
    argv = {
        "check": ["check", "--format", "json", str(path)],
        "check-text": ["check", str(path)],  # through rich's tables, where file text must not act as markup
        "export": ["export", str(path)],
        "build": ["build", "--force", str(path), "-o", str(out_dir / "r.docx")],
    }[command]
    done = runner.invoke(app, argv)
    if done.exception is not None and not isinstance(done.exception, SystemExit):
        raise done.exception  # hypothesis shows the case and the traceback
    assert done.exit_code in (0, 1, 2), done.output
    assert path.read_bytes() == data, "the input was modified"
    if command == "check":
        report = json.loads(done.stdout)
        assert done.exit_code == (
            2 if report["findings"] and report["findings"][0]["code"] in FATAL else int(not report["ok"])
        )
        for f in report["findings"]:
            assert f["code"] in CODES and f["message"], f
    elif command == "check-text":
        assert done.exit_code == 0 or re.search(r"[A-Z][A-Z_0-9]+", done.output), done.output
    elif done.exit_code:
        code = re.search(r"\[([A-Z_0-9]+)\] (\S.*)", done.output)
        assert code and code.group(1) in FATAL, done.output
    if command == "build":
        made = sorted(p.name for p in out_dir.iterdir())
        assert made == (["r.docx"] if done.exit_code == 0 else []), made  # nothing half-written
    return done.exit_code


# ---------------------------------------------------------------- the zip's bytes
@st.composite
def byte_mutations(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        tail = draw(st.booleans())  # the central directory sits in the last ~2 KB
        lo = max(len(data) - 2500, 0) if tail else 0
        at = draw(st.integers(lo, max(len(data) - 1, lo)))
        op = draw(st.sampled_from(["flip", "set", "insert", "delete", "truncate"]))
        if op == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "set":
            chunk = draw(st.binary(min_size=1, max_size=8))
            data[at : at + len(chunk)] = chunk
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        else:
            del data[at:]
        if not data:
            break
    return bytes(data)


@fuzz(1000)
@given(byte_mutations(), COMMANDS)
def test_fuzz_zip_bytes(data, command):
    answers(data, command)


# ---------------------------------------------------------------- the XML of the parts
XMLISH = st.text(alphabet='<>/="&;!?[]-: xvcrtsfn01ABC_#', min_size=1, max_size=40)


def rezip(seed: bytes, parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(seed)) as zin,
        zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout,
    ):
        for info in zin.infolist():
            zout.writestr(info.filename, parts.get(info.filename, zin.read(info)))
    return buf.getvalue()


@st.composite
def xml_mutations(draw) -> bytes:
    seed = draw(st.sampled_from(SEEDS))
    part = draw(st.sampled_from(PARTS))
    xml = zipfile.ZipFile(io.BytesIO(seed)).read(part)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(xml)))
        op = draw(st.sampled_from(["delete", "insert", "duplicate", "retag", "truncate", "attr"]))
        if op == "delete":
            xml = xml[:at] + xml[at + draw(st.integers(1, 200)) :]
        elif op == "insert":
            xml = xml[:at] + draw(XMLISH).encode() + xml[at:]
        elif op == "duplicate":
            xml = xml[:at] + xml[at : at + draw(st.integers(1, 400))] + xml[at:]
        elif op == "retag":
            tags = re.findall(rb"<(\w+)", xml)
            if tags:
                old, new = (
                    draw(st.sampled_from(tags)),
                    draw(st.sampled_from([b"x", b"row", b"c", b"v", b"f", b"sheet", b"definedName"])),
                )
                xml = xml.replace(b"<" + old, b"<" + new, 1)
        elif op == "truncate":
            xml = xml[:at]
        else:  # an attribute's value: r="D7" → r="ZZZ0", count="3" → count="-1"
            attrs = list(re.finditer(rb'="([^"]*)"', xml))
            if attrs:
                m = draw(st.sampled_from(attrs))
                value = draw(
                    st.sampled_from(
                        [
                            b"",
                            b"-1",
                            b"0",
                            b"ZZZ0",
                            b"XFD1048576",
                            b"1e309",
                            b"A1:XFD1048576",
                            b"\xe4\xb8\x89",
                        ]
                    )
                )
                xml = xml[: m.start(1)] + value + xml[m.end(1) :]
    return rezip(seed, {part: xml})


@fuzz(550)
@given(xml_mutations(), COMMANDS)
def test_fuzz_xml_parts(data, command):
    answers(data, command)


# ---------------------------------------------------------------- cell values
def _cell_xml(ref: str, kind: str, value: str, raw: bool) -> bytes:
    text = value if raw else escape(value, {'"': "&quot;"})
    return {
        "inline": f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>',
        "str": f'<c r="{ref}" t="str"><v>{text}</v></c>',
        "number": f'<c r="{ref}"><v>{text}</v></c>',
        "bool": f'<c r="{ref}" t="b"><v>{text}</v></c>',
        "error": f'<c r="{ref}" t="e"><v>{text}</v></c>',
        "formula": f'<c r="{ref}"><f>{text}</f><v>0</v></c>',
        "shared": f'<c r="{ref}" t="s"><v>{text}</v></c>',
        "date": f'<c r="{ref}" t="d"><v>{text}</v></c>',
    }[kind].encode("utf-8", errors="surrogatepass")


VALUES = st.one_of(
    st.integers(-(10**25), 10**25).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(
        [
            "三",
            "3件",
            "1,200",
            "3.0",
            " ３ ",
            "-1",
            "0.5",
            "1e20",
            "TRUE",
            "#N/A",
            "#DIV/0!",
            "=1+2",
            "",
            " ",
            "2024-01-01",
            "nan",
            "inf",
            "99999",
            "[/x]",
            "[/]",
            "[bold]三[/bold]",
            "[link=file:///etc/passwd]x",
            "[red]3件",
            "_x0001_",
        ]
    ),
    st.text(max_size=60),
)
NUMBERS = st.one_of(
    st.integers(-(10**25), 10**25).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["3.0", "1e20", "-0", "0.1", "1E+308", "1e309", "-1e999", "NaN", "INF"]),
)
TYPED = {
    "number": NUMBERS,
    "bool": st.sampled_from(["0", "1"]),
    "error": st.sampled_from(["#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!"]),
    "shared": st.integers(0, 60).map(str),
    "date": st.sampled_from(["2024-01-01", "2024-02-30", "1900-01-01T00:00:00", "9999-12-31", "24:00"]),
}
KINDS = st.sampled_from(
    ["inline", "inline", "number", "number", "str", "bool", "error", "formula", "shared", "date"]
)
KEYS = st.sampled_from(sorted(LAY.cells))


@st.composite
def cell_mutations(draw) -> bytes:
    seed = draw(st.sampled_from(SEEDS))
    zf = zipfile.ZipFile(io.BytesIO(seed))
    sheet_part = {name: f"xl/worksheets/sheet{i + 1}.xml" for i, name in enumerate(LAY.sheets)}
    parts: dict[str, bytes] = {}
    for key in draw(st.lists(KEYS, min_size=1, max_size=6, unique=True)):
        span = LAY.cells[key]
        part = sheet_part[span.sheet]
        xml = parts.get(part) or zf.read(part)
        kind = draw(KINDS)
        # mostly what that cell type can hold, so the values reach validation; now and then anything
        value = draw(VALUES if draw(st.integers(0, 9)) == 0 else TYPED.get(kind, VALUES))
        new = _cell_xml(span.a1, kind, value, raw=draw(st.integers(0, 19)) == 0)
        pattern = rb'<c r="' + span.a1.encode() + rb'"(?:[^>]*?/>|[^>]*>.*?</c>)'
        parts[part] = re.sub(pattern, lambda m, new=new: new, xml, count=1, flags=re.S)
    return rezip(seed, parts)


@fuzz(450)
@given(cell_mutations(), COMMANDS)
def test_fuzz_cell_values(data, command):
    answers(data, command)


@pytest.mark.parametrize("seed", range(len(SEEDS)))
def test_seeds_themselves_pass(seed):
    assert answers(SEEDS[seed], "check") == 0
