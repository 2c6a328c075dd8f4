"""Where outputs may go, and how they are written: never onto an input, never over a file xlsreport did not
write, one run at a time per folder, nothing half-written left behind.

* `keep_apart(inputs, outputs)`: every command asks it before writing anything; an output that is an input
  (by path, through a symlink or `..`, or a hard link), lies inside an input folder or holds one is refused.
* `atomic_output(path)`: a temporary sibling renamed into place only once everything was written.
* `OutputFolder` (outfolder.py): a folder many files are written into (collect, blank --roster). It is
  locked while a run writes it and keeps a manifest of the files written there with their digests, so
  `--overwrite` replaces or removes only those, never a clerk's own file, and a run that was stopped can
  be continued. Its manifest and lock are named here.
"""

from __future__ import annotations

import errno
import gc
import os
import stat
import sys
import tempfile
import traceback
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from .errors import OutputError
from .reasons import REASONS, os_reason

TEMP_PREFIX = ".~xlsreport-"
MANIFEST, LOCK = ".xlsreport-manifest.json", ".xlsreport.lock"

# the reasons this module gives, from the catalogue
SAME_FILE, INSIDE_INPUT, HOLDS_INPUT = REASONS["OUTPUT_IS_INPUT"].values()
A_FOLDER, NOT_A_FILE = REASONS["OUTPUT_UNWRITABLE"].values()

_UMASK = os.umask(0o22)
os.umask(_UMASK)  # read once: the process's umask can only be read by setting it


# ---------------------------------------------------------------- outputs never land on inputs
def _real(path: Path) -> Path:
    """The path as the file system resolves it: symlinks and `..` followed, case folded where it is ignored."""
    try:
        resolved = Path(path).resolve()
    except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13): as written
        resolved = Path(os.path.abspath(path))
    return Path(os.path.normcase(resolved))


def _identity(path: Path) -> tuple[int, int] | None:
    """What the file system knows a file by (device, inode), through links; None when it does not exist."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


class _Place:
    """A path as written, resolved and identified, with the folders above it: what outputs and inputs are
    compared by. A hard link, a bind mount or a name differing in case is the same by identity."""

    def __init__(self, path: Path, above: list[tuple[Path, tuple[int, int] | None]]) -> None:
        self.path, self.real, self.id = path, _real(path), _identity(path)
        self.above = above  # (resolved, identity) of each folder above, innermost first

    def same(self, other: _Place) -> bool:
        return self.real == other.real or (self.id is not None and self.id == other.id)

    def below(self, folder: _Place) -> bool:
        return any(r == folder.real or (i is not None and i == folder.id) for r, i in self.above)


def keep_apart(inputs: Iterable[Path | None], outputs: Iterable[Path | None]) -> None:
    """Refuse with OUTPUT_IS_INPUT when an output would land on an input, before anything is written.

    An output may not be an input file, lie inside an input folder, or be a folder holding an input folder.
    An input file inside an output folder is allowed: the files to be written there are checked one by one.
    """
    folders: dict[Path, list[tuple[Path, tuple[int, int] | None]]] = {}  # outputs share a few folders

    def place(path: Path) -> _Place:
        parent = path.parent
        if parent not in folders:
            real = _real(parent)
            folders[parent] = [(f, _identity(f)) for f in (real, *real.parents)]
        return _Place(path, folders[parent])

    ins = [(place(Path(p)), Path(p).is_dir()) for p in inputs if p is not None]
    if not ins:
        return
    for out in (place(Path(p)) for p in outputs if p is not None):
        for source, is_folder in ins:
            reason = None
            if out.same(source):
                reason = SAME_FILE
            elif is_folder and out.below(source):
                reason = INSIDE_INPUT
            elif is_folder and source.below(out):
                reason = HOLDS_INPUT
            if reason is not None:
                raise OutputError(
                    "OUTPUT_IS_INPUT", path=str(out.path), input=str(source.path), reason=reason
                )


# ---------------------------------------------------------------- one file
def check_target(path: Path, overwrite: bool) -> None:
    """Refuse an output path before the work: a file there (unless `overwrite`), a folder or a device in
    the way, a path through a file."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return
    except OSError as exc:  # a component is a file (ENOTDIR), a symlink loop, a name too long
        raise OutputError("OUTPUT_UNWRITABLE", path=str(path), reason=os_reason(exc)) from None
    if stat.S_ISDIR(st.st_mode):
        raise OutputError("OUTPUT_UNWRITABLE", path=str(path), reason=A_FOLDER)
    if not stat.S_ISREG(st.st_mode):
        raise OutputError("OUTPUT_UNWRITABLE", path=str(path), reason=NOT_A_FILE)
    if not overwrite:
        raise OutputError("OUTPUT_EXISTS", path=str(path))


def make_folder(path: Path) -> None:
    """Make the folder an output goes into; OUTPUT_UNWRITABLE when a file stands where a folder must be."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # what mkdir says when a file stands where the folder would be
        reason = os_reason(NotADirectoryError(errno.ENOTDIR, ""))
        raise OutputError("OUTPUT_UNWRITABLE", path=str(path), reason=reason) from None
    except OSError as exc:
        raise OutputError("OUTPUT_UNWRITABLE", path=str(path), reason=os_reason(exc)) from None


@contextmanager
def atomic_output(path: Path, overwrite: bool = False) -> Iterator[IO[bytes]]:
    """Write `path` through a temporary sibling renamed into place only when everything was written."""
    path = Path(path)
    check_target(path, overwrite)
    make_folder(path.parent)
    try:
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=path.suffix, dir=path.parent)
    except OSError as exc:
        raise OutputError("OUTPUT_UNWRITABLE", path=str(path), reason=os_reason(exc)) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes it private; the output is an ordinary file
        os.replace(tmp, path)
    except OSError as exc:
        _release(exc)
        raise OutputError("OUTPUT_UNWRITABLE", path=str(path), reason=os_reason(exc)) from None
    except BaseException as exc:  # stopped (Ctrl-C, SIGTERM) or the writer failed: as quiet
        _release(exc)
        raise
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)


def _release(exc: BaseException | None) -> None:
    """Free what the failed writer's frames hold, quietly: a zip abandoned mid-write (xlsxwriter's) tries
    to finish itself when collected, on a file now closed, and Python would print that as a traceback."""
    hook = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        seen: set[int] = set()
        while exc is not None and id(exc) not in seen:  # the whole chain: a close that failed again
            seen.add(id(exc))
            traceback.clear_frames(exc.__traceback__)
            exc = exc.__context__
        gc.collect()
    finally:
        sys.unraisablehook = hook
