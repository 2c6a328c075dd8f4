"""Look at a returned file before any parser does: what it is, whether it is safe to open, what it carries.

Files come by email from many hands and many programs. `inspect` decides from the file's first bytes, its
zip directory and the first bytes of each XML part whether it may reach openpyxl at all:

* not a workbook (empty, a PDF, a Word document, a truncated zip) → FILE_NOT_WORKBOOK, saying what it is;
* another spreadsheet format (.xls, WPS .et, .ods, .xlsb, Strict OOXML) → FILE_OTHER_FORMAT;
* a password-encrypted workbook (an OLE file holding an EncryptionInfo stream) → FILE_ENCRYPTED;
* bigger than `LIMITS` allow, read from the zip directory before anything is decompressed → FILE_TOO_LARGE;
* an XML part that declares a DTD (entity bombs, external entities) → FILE_UNSAFE.

An .xlsm is read like an .xlsx: its macros are never run nor kept, and `Package.findings` adds a warning.
Python's zipfile never inflates a part beyond the size its directory declares, so checking declared sizes
bounds what any later reader can be made to decompress.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

from .errors import InputError
from .findings import Finding
from .layout import layout_of
from .reasons import damage_reason, os_reason
from .spec import Format

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What a returned workbook may be. Ours is about 25 KB holding 20 parts of at most 80 KB."""

    file_bytes: int = 32 * MiB  # the file itself
    parts: int = 1_000  # entries in the zip directory
    part_bytes: int = 32 * MiB  # one part, uncompressed, as the directory declares it
    total_bytes: int = 128 * MiB  # all parts, uncompressed
    ratio: int = 100  # uncompressed / compressed, for a part over `ratio_from` bytes
    ratio_from: int = 1 * MiB
    prolog_bytes: int = 64 * 1024  # how far into an XML part its root element must start


LIMITS = Limits()

# Why a file is refused, in the words the clerk reads (the codes' templates are in errors.py).
REASONS = {
    "empty": "文件是空的（0字节），可能是邮件附件没有下载完整，请重新下载或让填报单位重新发送",
    "pdf": "这是PDF文件，不是Excel工作簿；请让填报单位发送填好的 .xlsx 原表",
    "docx": "这是Word文档，不是Excel工作簿；请让填报单位发送填好的 .xlsx 原表",
    "pptx": "这是PowerPoint演示文稿，不是Excel工作簿",
    "doc": "这是旧版Word文档（.doc），不是Excel工作簿",
    "ole": "这是旧版Office文件，不是 .xlsx 工作簿",
    "image": "这是图片，不是Excel工作簿；请让填报单位发送填好的 .xlsx 原表，而不是截图或照片",
    "archive": "这是压缩包（RAR/7z），请先解压，再校验其中的 .xlsx 文件",
    "html": "这是网页（HTML）文件，只是扩展名为表格；请在Excel或WPS中打开后另存为Excel工作簿（.xlsx）",
    "text": "这是文本文件（如CSV），不是Excel工作簿",
    "unknown": "文件内容不是Excel工作簿（.xlsx）",
    "truncated": "文件不完整或已损坏（zip目录缺失），可能是邮件附件没有下载完整，请重新下载",
    "corrupt": "文件已损坏（{detail}），请重新下载或让填报单位重新发送",
    "no_workbook": "压缩包里没有Excel工作簿（缺少 xl/workbook.xml）",
    "xls": "这是旧版Excel工作簿（.xls），请在Excel中打开，“另存为”Excel工作簿（.xlsx）后再校验",
    "et": "这是WPS表格文件（.et），请在WPS中打开，“另存为”Excel工作簿（.xlsx）后再校验",
    "ods": "这是OpenDocument表格（.ods），请在LibreOffice或WPS中打开，“另存为”Excel工作簿（.xlsx）后再校验",
    "xml2003": "这是“XML表格（2003）”格式的文件，请在Excel或WPS中打开，“另存为”Excel工作簿（.xlsx）后再校验",
    "xlsb": "这是Excel二进制工作簿（.xlsb），请在Excel中打开，“另存为”Excel工作簿（.xlsx）后再校验",
    "strict": "这是“Strict Open XML”格式的工作簿，请在Excel中“另存为”普通的Excel工作簿（.xlsx）后再校验",
    "file_bytes": "文件有{found}，超过上限{limit}",
    "parts": "文件包含{found}个部件，超过上限{limit}个",
    "part_bytes": "部件 {part} 解压后有{found}，超过上限{limit}",
    "total_bytes": "全部部件解压后共{found}，超过上限{limit}",
    "ratio": "部件 {part} 的压缩比为{found}:1，超过上限{limit}:1（疑似“压缩炸弹”）",
    "dtd": "部件 {part} 含有DTD或实体定义（<!DOCTYPE>），Excel从不写这种内容，可能是恶意构造的文件",
    "prolog": "部件 {part} 的开头不是正常的XML",
}

# What a path is when it is not a file (FILE_NOT_REGULAR): answered from its status, never by opening it,
# since opening a FIFO waits for a writer and reading a device may never end.
KINDS = {
    stat.S_IFDIR: "这是一个文件夹",
    stat.S_IFIFO: "这是命名管道（FIFO），不是文件",
    stat.S_IFSOCK: "这是套接字（socket），不是文件",
    stat.S_IFCHR: "这是设备，不是文件",
    stat.S_IFBLK: "这是设备，不是文件",
}
LOOP = "链接（快捷方式）循环指向自己，找不到真正的文件"
NO_READ = "没有读取权限"

_MAGIC = (  # first bytes → what the file is, for files that are not a zip or an OLE file
    (b"%PDF", "pdf"),
    (b"\x89PNG", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF8", "image"),
    (b"BM", "image"),
    (b"Rar!", "archive"),
    (b"7z\xbc\xaf", "archive"),
)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_STRICT_NS = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
# XML before its root element: declaration, processing instructions, comments, white space
_PROLOG = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)
_ROOT = re.compile(rb"<[A-Za-z_:\x80-\xff]")


@dataclass(frozen=True)
class Package:
    """What `inspect` learned about a workbook it lets through."""

    parts: tuple[str, ...]
    macros: bool  # an .xlsm's VBA project: never run, never kept
    defined_names: frozenset[str] | None  # None when workbook.xml could not be read here

    def findings(self, fmt: Format) -> list[Finding]:
        """Warnings about the package itself: macros present, the cells' defined names deleted."""
        out = []
        if self.macros:
            out.append(Finding.make("MACROS_IGNORED", ""))
        if self.defined_names is not None:
            missing = [k for k in layout_of(fmt).cells if k not in self.defined_names]
            if missing:
                out.append(Finding.make("NAMES_MISSING", "", found=len(missing), expected=missing[0]))
        return out


def _size(n: int) -> str:
    return f"{n / MiB:.0f} MB" if n >= MiB else f"{n / 1024:.0f} KB"


def regular(path: Path) -> os.stat_result:
    """The status of `path`, refused at once unless it is a regular file: FILE_NOT_FOUND, FILE_NOT_REGULAR."""
    shown = str(path)
    try:
        st = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError("FILE_NOT_REGULAR", path=shown, reason=LOOP) from None
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            raise InputError("FILE_NOT_FOUND", path=shown) from None
        raise _unreadable(shown, exc) from None
    if not stat.S_ISREG(st.st_mode):
        reason = KINDS.get(stat.S_IFMT(st.st_mode), KINDS[stat.S_IFCHR])
        raise InputError("FILE_NOT_REGULAR", path=shown, reason=reason)
    return st


def open_input(path: Path):
    """Open an input file for reading without ever waiting: checked first, opened non-blocking, and checked
    again on the open file (a FIFO put in its place meanwhile is refused, not waited on)."""
    regular(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        regular(path)  # gone or replaced meanwhile: say what it is now
        raise _unreadable(str(path), exc) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        regular(path)
    return os.fdopen(fd, "rb")


def _unreadable(shown: str, exc: OSError) -> InputError:
    denied = exc.errno in (errno.EACCES, errno.EPERM)
    return InputError("FILE_UNREADABLE", path=shown, reason=NO_READ if denied else os_reason(exc))


def read_input(path: Path, limit: int = LIMITS.file_bytes) -> bytes:
    """The bytes of a small input file (a roster, JSON data, a Word template), refused if not a file."""
    with open_input(path) as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > limit:
            reason = REASONS["file_bytes"].format(found=_size(size), limit=_size(limit))
            raise InputError("FILE_TOO_LARGE", path=str(path), reason=reason)
        return fh.read()


def inspect(path: Path, limits: Limits = LIMITS) -> Package:
    """Refuse `path` with an InputError unless it is an .xlsx (or .xlsm) that is safe to hand to a parser."""
    path = Path(path)
    shown = str(path)

    def refuse(code: str, reason: str | None = None, **kw: object) -> InputError:
        fields = {"reason": REASONS[reason].format(**kw)} if reason else {}
        return InputError(code, path=shown, **fields)

    size = regular(path).st_size
    if size == 0:
        raise refuse("FILE_NOT_WORKBOOK", "empty")
    if size > limits.file_bytes:
        raise refuse("FILE_TOO_LARGE", "file_bytes", found=_size(size), limit=_size(limits.file_bytes))
    with open_input(path) as fh:
        head = fh.read(512)
    if head.startswith(_OLE_MAGIC):
        raise _ole(path, shown)
    if not head.startswith(_ZIP_MAGIC):
        what = _sniff(head)
        raise refuse("FILE_OTHER_FORMAT" if what == "xml2003" else "FILE_NOT_WORKBOOK", what)
    entries = _declared_entries(path)
    if entries > limits.parts:  # before zipfile builds an object for each of them
        raise refuse("FILE_TOO_LARGE", "parts", found=entries, limit=limits.parts)
    try:
        with zipfile.ZipFile(path) as zf:
            return _package(zf, refuse, limits)
    except InputError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        OSError,
        ValueError,
        NotImplementedError,  # a compression method zipfile lacks (Deflate64, PPMd…)
    ) as exc:
        reason = "truncated" if not zipfile.is_zipfile(path) else "corrupt"
        raise refuse("FILE_NOT_WORKBOOK", reason, detail=damage_reason(exc)) from None


def _declared_entries(path: Path) -> int:
    """The entry count in the zip's end-of-central-directory record (0 when there is none)."""
    with path.open("rb") as fh:
        fh.seek(0, 2)
        fh.seek(max(fh.tell() - 65_557, 0))
        tail = fh.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return 0
    return struct.unpack_from("<H", tail, at + 10)[0]


def _sniff(head: bytes) -> str:
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        return "xml2003"
    if start.startswith((b"<!doctype html", b"<html", b"<table")) or b"<html" in start:
        return "html"
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = head.decode("gb18030")
        except UnicodeDecodeError:
            return "unknown"
    return "text" if text and all(c.isprintable() or c in "\r\n\t" for c in text) else "unknown"


def _package(zf: zipfile.ZipFile, refuse, limits: Limits) -> Package:
    infos = zf.infolist()
    names = {i.filename for i in infos}
    if len(infos) > limits.parts:
        raise refuse("FILE_TOO_LARGE", "parts", found=len(infos), limit=limits.parts)
    total = 0
    for i in infos:
        total += i.file_size
        if i.file_size > limits.part_bytes:
            raise refuse(
                "FILE_TOO_LARGE",
                "part_bytes",
                part=i.filename,
                found=_size(i.file_size),
                limit=_size(limits.part_bytes),
            )
        if i.file_size > limits.ratio_from and i.file_size > limits.ratio * max(i.compress_size, 1):
            ratio = i.file_size // max(i.compress_size, 1)
            raise refuse("FILE_TOO_LARGE", "ratio", part=i.filename, found=ratio, limit=limits.ratio)
    if total > limits.total_bytes:
        raise refuse("FILE_TOO_LARGE", "total_bytes", found=_size(total), limit=_size(limits.total_bytes))
    if any(not i.filename for i in infos):  # zipfile cuts a name at a NUL: no program writes one so
        raise refuse("FILE_NOT_WORKBOOK", "corrupt", detail="部件名称为空")
    if any(i.flag_bits & 0x1 for i in infos):  # a zip-level password, as some archivers set
        raise refuse("FILE_ENCRYPTED")
    if "mimetype" in names and zf.read("mimetype")[:100].strip() == _ODS_MIME:
        raise refuse("FILE_OTHER_FORMAT", "ods")
    if "xl/workbook.xml" not in names:
        if "xl/workbook.bin" in names:
            raise refuse("FILE_OTHER_FORMAT", "xlsb")
        if "word/document.xml" in names:
            raise refuse("FILE_NOT_WORKBOOK", "docx")
        if "ppt/presentation.xml" in names:
            raise refuse("FILE_NOT_WORKBOOK", "pptx")
        raise refuse("FILE_NOT_WORKBOOK", "no_workbook")
    for i in infos:
        if not i.is_dir():
            _prolog(zf, i, refuse, limits)
    workbook = zf.read("xl/workbook.xml")
    if _STRICT_NS in workbook[: limits.prolog_bytes]:
        raise refuse("FILE_OTHER_FORMAT", "strict")
    macros = any(n.lower().endswith("vbaproject.bin") for n in names)
    return Package(tuple(sorted(names)), macros, _defined_names(workbook))


def _prolog(zf: zipfile.ZipFile, info: zipfile.ZipInfo, refuse, limits: Limits) -> None:
    """An XML part may not declare a DTD: no part Excel writes has one, and entity bombs need one."""
    with zf.open(info) as fh:
        raw = b""
        while True:  # 4 KB at a time: the root element of a part Excel writes starts in its first 100 bytes
            chunk = fh.read(4096)
            raw += chunk
            head = raw
            if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: rare, but legal XML
                head = head.decode("utf-16", errors="replace").encode("utf-8", errors="replace")
            head = head.removeprefix(b"\xef\xbb\xbf")
            if not head.lstrip().startswith(b"<"):
                return  # not XML: an image, a VBA project, a printer setting
            rest = head[_PROLOG.match(head).end() :]
            if _ROOT.match(rest) or _DTD.match(rest) or not chunk or len(raw) >= limits.prolog_bytes:
                break
    if _DTD.match(rest):
        raise refuse("FILE_UNSAFE", "dtd", part=info.filename)
    if not _ROOT.match(rest):  # a comment or instruction left open: whatever follows it is unseen
        raise refuse("FILE_NOT_WORKBOOK", "prolog", part=info.filename)


def _defined_names(workbook: bytes) -> frozenset[str] | None:
    """The defined names of workbook.xml, by the C parser: _prolog has just found it declares no DTD, and
    none can follow its root element, so no entity can be declared (defusedxml's parser: 3× the time)."""
    try:
        root = ET.fromstring(workbook)
    except Exception:  # left to the reader to word; here it only means we cannot tell
        return None
    return frozenset(
        e.get("name", "") for e in root.iter() if isinstance(e.tag, str) and e.tag.endswith("}definedName")
    )


# ---------------------------------------------------------------- OLE (compound) files
def _ole(path: Path, shown: str) -> InputError:
    """An OLE file: an encrypted OOXML workbook, a legacy .xls or WPS .et, a .doc, or something else."""
    streams = ole_streams(path.read_bytes())
    if {"EncryptionInfo", "EncryptedPackage"} & streams:
        return InputError("FILE_ENCRYPTED", path=shown)
    if {"Workbook", "Book"} & streams:
        reason = "et" if path.suffix.lower() == ".et" else "xls"
        return InputError("FILE_OTHER_FORMAT", path=shown, reason=REASONS[reason])
    if "WordDocument" in streams:
        return InputError("FILE_NOT_WORKBOOK", path=shown, reason=REASONS["doc"])
    return InputError("FILE_NOT_WORKBOOK", path=shown, reason=REASONS["ole"])


def ole_streams(data: bytes) -> set[str]:
    """The names in an OLE compound file's directory ([MS-CFB]); an empty set when it cannot be read."""
    try:
        shift = struct.unpack_from("<H", data, 30)[0]
        if shift not in (9, 12):
            return set()
        sector = 1 << shift
        fat_count, first_dir = struct.unpack_from("<II", data, 44)
        difat = list(struct.unpack_from("<109I", data, 76))[: min(fat_count, 109)]
        n_sectors = max(len(data) // sector - 1, 0)
        fat: list[int] = []
        for s in difat:  # enough for files of up to 7 MB (512-byte sectors); the rest is not needed here
            if s < n_sectors:
                fat += struct.unpack_from(f"<{sector // 4}I", data, (s + 1) * sector)
        names: set[str] = set()
        s, seen = first_dir, 0
        while s < n_sectors and seen <= n_sectors:  # a chain may loop in a damaged file
            base = (s + 1) * sector
            for off in range(base, base + sector, 128):
                length = struct.unpack_from("<H", data, off + 64)[0]
                if 2 <= length <= 64 and data[off + 66] in (1, 2, 5):
                    names.add(data[off : off + length - 2].decode("utf-16-le", errors="replace"))
            s = fat[s] if s < len(fat) else n_sectors
            seen += 1
        return names
    except (struct.error, IndexError):
        return set()
