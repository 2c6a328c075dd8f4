"""Zip files that are the same bytes for the same members: every member dated ZIP_DATE and deflated.

A member many files share (a Word template's 800 kB of styles) can be compressed once and copied into each.
"""

from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # every member carries this date: same input, same bytes


@dataclass(frozen=True)
class Compressed:
    """A member deflated once: its zip entry (CRC, sizes) and its compressed bytes."""

    info: zipfile.ZipInfo
    data: bytes


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def compress(name: str, blob: bytes) -> Compressed:
    """The member `name` holding `blob`, deflated as zip_bytes would."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(_info(name), blob)
        info = z.getinfo(name)
        data = buf.getvalue()  # the entry's header, then its data: the directory comes on close
    return Compressed(info, data[len(data) - info.compress_size :])


def zip_bytes(members: Iterable[tuple[str, bytes | Compressed]]) -> bytes:
    """A zip of `members`, in order."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, member in members:
            if isinstance(member, Compressed):
                _append(z, member)
            else:
                z.writestr(_info(name), member)
    return buf.getvalue()


def _append(z: zipfile.ZipFile, member: Compressed) -> None:
    """What writestr writes, without deflating the same bytes again.

    zipfile has no public way to add compressed data, so this does what ZipFile._open_to_write and
    _ZipWriteFile.close do for a seekable file; benchmarks/render_oracle.py checks documents written this
    way are byte-identical to documents compressed whole.
    """
    info = copy.copy(member.info)  # its offset is this file's
    z.fp.seek(z.start_dir)
    info.header_offset = z.fp.tell()
    z._writecheck(info)
    z._didModify = True
    z.fp.write(info.FileHeader(False))
    z.fp.write(member.data)
    z.start_dir = z.fp.tell()
    z.filelist.append(info)
    z.NameToInfo[info.filename] = info
