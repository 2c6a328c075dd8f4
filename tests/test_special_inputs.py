"""Inputs that are not what they seem, through the command line: special files answered at once, the same
body sent twice at the same time decided by a stated rule, a Word template that is hostile code."""

from __future__ import annotations

import json
import os
import signal
import socket
import time
import zipfile
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from conftest import ORG, YEAR, make, sample
from xlsreport import collect as collect_module
from xlsreport import guard, render, sandbox
from xlsreport.cli import app
from xlsreport.collect import REPORTS_DIR, Status
from xlsreport.errors import FATAL
from xlsreport.reasons import OS_REASONS
from xlsreport.wording import KEPT_NAME, KEPT_NEWER, KEPT_SAVED

runner = CliRunner(env={"COLUMNS": "2000"})


def invoke(argv: list[object]):
    done = runner.invoke(app, [str(a) for a in argv])
    assert "Traceback" not in done.output, done.output
    assert done.exception is None or isinstance(done.exception, SystemExit), repr(done.exception)
    return done


@pytest.fixture
def no_hang():
    """Fail, instead of waiting for ever, when a command blocks on a FIFO."""

    def hung(signum, frame):
        raise TimeoutError("the command waited on a special file")

    before = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, before)


# ---------------------------------------------------------------- 5. special files
def _specials(folder: Path) -> dict[str, tuple[Path, str]]:
    """Special files named like inputs, each with the reason it is refused."""
    folder.mkdir(parents=True, exist_ok=True)
    fifo = folder / "管道.xlsx"
    os.mkfifo(fifo)
    sock_path = folder / "套接字.xlsx"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))  # left bound: the socket file stays while the test runs
    (folder / "文件夹.xlsx").mkdir()
    loop = folder / "循环.xlsx"
    loop.symlink_to(loop.name)
    device = folder / "设备.xlsx"
    device.symlink_to("/dev/zero")
    return {
        "fifo": (fifo, guard.KINDS[0o010000]),
        "socket": (sock_path, guard.KINDS[0o140000]),
        "folder": (folder / "文件夹.xlsx", guard.KINDS[0o040000]),
        "loop": (loop, guard.LOOP),
        "device": (device, guard.KINDS[0o020000]),
    }


def test_special_files_as_input_are_answered_at_once(tmp_path, no_hang):
    specials = _specials(tmp_path / "in")
    book = make(tmp_path)
    for path, reason in specials.values():
        expected = FATAL["FILE_NOT_REGULAR"].template.format(path=path, reason=reason)
        for argv in (
            ["check", path],
            ["export", path],
            ["build", path, "-o", tmp_path / "r.docx"],
            ["fill", path, "-o", tmp_path / "f.xlsx"],
            ["blank", "--roster", path, "--year", YEAR, "-o", tmp_path / "下发"],
            ["check", book, "--roster", path],
            ["build", book, "--template", path, "-o", tmp_path / "r.docx"],
            ["collect", tmp_path / "in", "-o", tmp_path / "输出", "--roster", path],
            # last year's workbooks may be a folder; anything else special is refused
            *([] if path.is_dir() else [["check", book, "--previous", path]]),
            *(
                []
                if path.is_dir()
                else [["blank", "--org", ORG, "--year", YEAR, "--previous", path, "-o", tmp_path / "b.xlsx"]]
            ),
        ):
            done = invoke(argv)
            assert done.exit_code == 2, (argv, done.output)
            assert "FILE_NOT_REGULAR" in done.output and expected in done.output, (argv, done.output)
    assert not (tmp_path / "r.docx").exists() and not (tmp_path / "下发").exists()


def test_special_files_met_while_collecting_are_rows(tmp_path, no_hang):
    inbox = tmp_path / "in"
    specials = _specials(inbox / "第二批")
    (inbox / "第二批" / "文件夹.xlsx" / "inside.xlsx").write_bytes(b"not looked into")
    make(inbox, sample("xiaochengzi-2024.json")["fields"], "小城子镇.xlsx")
    done = invoke(["collect", inbox, "-o", tmp_path / "out", "--jobs", 2])
    assert done.exit_code == 1, done.output
    rows = collect_module.collect(inbox, tmp_path / "out2", jobs=1).entries
    by_file = {e.file: e for e in rows}
    for path, reason in specials.values():
        entry = by_file[str(path.relative_to(inbox))]
        assert entry.status is Status.UNREADABLE
        [finding] = entry.report.findings
        assert finding.code == "FILE_NOT_REGULAR" and reason in finding.message
    assert by_file["小城子镇.xlsx"].status is Status.PASSED
    assert not any("inside.xlsx" in f for f in by_file)  # a folder named like a workbook is not entered


# ---------------------------------------------------------------- 7. the same body twice, of the same age
def _saved_at(path: Path, when: str) -> Path:
    """Rewrite docProps/core.xml's time saved, as Excel does when it saves."""
    with zipfile.ZipFile(path) as zf:
        parts = [(i, zf.read(i)) for i in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in parts:
            if info.filename == "docProps/core.xml":
                text = data.decode()
                start = text.index("<dcterms:modified")
                end = text.index("</dcterms:modified>")
                text = text[:start] + f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}' + text[end:]
                data = text.encode()
            zf.writestr(info, data)
    return path


def _twice(inbox: Path, saved: tuple[str, str]) -> tuple[Path, Path]:
    fields = sample("xiaochengzi-2024.json")["fields"]
    a = _saved_at(make(inbox, fields, "甲.xlsx"), saved[0])
    b = _saved_at(make(inbox, fields, "乙.xlsx"), saved[1])
    for p in (a, b):
        os.utime(p, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    return a, b


@pytest.mark.parametrize(
    ("saved", "kept", "why"),
    [
        (("2025-01-10T09:00:00Z", "2025-01-09T09:00:00Z"), "甲.xlsx", KEPT_SAVED),
        (("2025-01-09T09:00:00Z", "2025-01-10T09:00:00Z"), "乙.xlsx", KEPT_SAVED),
        # the same time saved too: the file name sorting last
        (
            ("2025-01-09T09:00:00Z", "2025-01-09T09:00:00Z"),
            max("甲.xlsx", "乙.xlsx"),
            KEPT_NAME,
        ),
    ],
)
def test_duplicates_of_the_same_age(tmp_path, saved, kept, why):
    inbox = tmp_path / "in"
    _twice(inbox, saved)
    for run in range(2):  # deterministic: the same answer every time
        done = invoke(["collect", inbox, "-o", tmp_path / f"out{run}", "--jobs", 1])
        assert done.exit_code == 0, done.output
        assert "较新" not in done.output
    other = ({"甲.xlsx", "乙.xlsx"} - {kept}).pop()
    entries = {e.file: e for e in collect_module.collect(inbox, tmp_path / "out3", jobs=1).entries}
    assert entries[kept].status is Status.PASSED and entries[other].status is Status.DUPLICATE
    [finding] = entries[other].report.findings
    assert finding.code == "COLLECT_DUPLICATE" and finding.expected == f"{kept}（{why}）"
    assert finding.message in done.output


def test_duplicate_by_time_modified_says_so(tmp_path):
    inbox = tmp_path / "in"
    a, _b = _twice(inbox, ("2025-01-10T09:00:00Z", "2025-01-10T09:00:00Z"))
    os.utime(a, (1_800_000_000, 1_800_000_000))
    entries = {e.file: e for e in collect_module.collect(inbox, tmp_path / "out", jobs=1).entries}
    assert entries["乙.xlsx"].report.findings[0].expected == f"甲.xlsx（{KEPT_NEWER}）"


# ---------------------------------------------------------------- 8. a Word template is code
ATTACKS = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}",
    "{{ lipsum.__globals__['os'].popen('touch PWNED') }}",
    "{{ joiner.__init__.__globals__.__builtins__.open('/etc/passwd').read() }}",
    "{{ org|attr('__class__') }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ 'x' * 100000000 }}",
    "{{ 9 ** 99999999 }}",
]


def _template(tmp_path: Path, text: str, name: str = "t.docx") -> Path:
    doc = docx.Document(render._default_template())
    doc.add_paragraph(text)
    path = tmp_path / name
    doc.save(path)
    return path


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_template_cannot_run_commands_or_reach_python(tmp_path, monkeypatch, attack):
    monkeypatch.chdir(tmp_path)
    book = make(tmp_path, sample("xiaochengzi-2024.json")["fields"])
    template = _template(tmp_path, attack)
    done = invoke(["build", book, "--template", template, "-o", tmp_path / "r.docx"])
    assert done.exit_code == 2, done.output
    assert "[DOCX_TEMPLATE_FAILED]" in done.output and "{{ " + attack[3:] in done.output
    assert sandbox.BLOCKED in done.output or sandbox.TOO_BIG in done.output
    assert "root:" not in done.output and not (tmp_path / "PWNED").exists()
    assert not (tmp_path / "r.docx").exists()


def test_a_placeholder_failing_on_the_data_is_named_in_build_and_collect(tmp_path):
    fields = sample("xiaochengzi-2024.json")["fields"]
    inbox = tmp_path / "in"
    book = make(inbox, fields, "a.xlsx")
    make(inbox, {**sample("qixingpao-2024.json")["fields"], "t3_new_natural": "3件"}, "b.xlsx")
    template = _template(tmp_path, "{{ year + '年' }}")
    expected = "[DOCX_TEMPLATE_FAILED] " + FATAL["DOCX_TEMPLATE_FAILED"].template.format(
        path=template, placeholder="{{ year + '年' }}", reason=sandbox.WRONG_TYPE
    )
    done = invoke(["build", book, "--template", template, "-o", tmp_path / "r.docx"])
    assert done.exit_code == 2 and expected in done.output, done.output
    assert not (tmp_path / "r.docx").exists()
    done = invoke(["collect", inbox, "-o", tmp_path / "out", "--template", template, "--jobs", 2])
    assert done.exit_code == 1, done.output
    assert expected.split("] ", 1)[1] in done.output.replace("\n", "")
    assert f"{Status.UNWRITTEN}1个" in done.output and f"{Status.ERRORS}1个" in done.output
    assert not (tmp_path / "out" / REPORTS_DIR).exists()  # made for the report, left empty: removed
    findings = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    assert len(findings) == 2


def test_a_sandboxed_template_renders_as_before(tmp_path):
    """Loops, filters and conditions a clerk's template uses still work in the sandbox."""
    text = "{% for p in parts %}{{ p.number }}{{ p.title|trim }}{% endfor %}{% if draft %}草稿{% endif %}{{ org|length }}"
    book = make(tmp_path, sample("xiaochengzi-2024.json")["fields"])
    done = invoke(["build", book, "--template", _template(tmp_path, text), "-o", tmp_path / "r.docx"])
    assert done.exit_code == 0, done.output
    last = docx.Document(tmp_path / "r.docx").paragraphs[-1].text
    assert last.endswith(str(len(ORG))) and "草稿" not in last


def test_an_input_that_cannot_be_read_says_why(tmp_path):
    long = tmp_path / ("表" * 100 + ".xlsx")  # 300 bytes: longer than any file name may be
    done = invoke(["export", long])
    expected = FATAL["FILE_UNREADABLE"].template.format(path=long, reason=OS_REASONS["ENAMETOOLONG"])
    assert done.exit_code == 2 and f"[FILE_UNREADABLE] {expected}" in done.output


def test_a_template_that_loops_for_ever_is_stopped(tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox, "MAX_SECONDS", 2)
    book = make(tmp_path, sample("xiaochengzi-2024.json")["fields"])
    loops = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    template = _template(tmp_path, loops)
    start = time.monotonic()
    done = invoke(["build", book, "--template", template, "-o", tmp_path / "r.docx"])
    assert time.monotonic() - start < 30
    assert done.exit_code == 2 and "[DOCX_TEMPLATE_FAILED]" in done.output
    assert sandbox.TOO_SLOW.format(seconds=2) in done.output and not (tmp_path / "r.docx").exists()
