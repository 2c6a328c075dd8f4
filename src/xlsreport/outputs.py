"""Where outputs may go, and how they are written: never onto an input, never over a file xlsreport did not
write, one run at a time per folder, nothing half-written left behind.

* `keep_apart(inputs, outputs)`: every command asks it before writing anything; an output that is an input
  (by path, through a symlink or `..`, or a hard link), lies inside an input folder or holds one is refused.
* `atomic_output(path)`: a temporary sibling renamed into place only once everything was written.
* `OutputFolder`: a folder many files are written into (collect, blank --roster). It is locked while a run
  writes it and keeps a manifest of the files written there with their digests, so `--overwrite` replaces
  or removes only those, never a clerk's own file, and a run that was stopped can be continued.
"""

from __future__ import annotations

import errno
import gc
import hashlib
import json
import os
import socket
import stat
import sys
import tempfile
import traceback
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

from .errors import OutputError, XlsreportError, os_reason

TEMP_PREFIX = ".~xlsreport-"
MANIFEST, LOCK = ".xlsreport-manifest.json", ".xlsreport.lock"

# Wording of this module, in one place.
SAME_FILE = "就是输入文件"
INSIDE_INPUT = "在输入文件夹里面"
HOLDS_INPUT = "包含输入文件夹"
A_FOLDER = "已有同名的文件夹"
NOT_A_FILE = "已有同名的特殊文件（设备、管道等），不能替换"

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


def _folder(path: Path) -> None:
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
    _folder(path.parent)
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


# ---------------------------------------------------------------- a folder of outputs
def digest(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _process_start(pid: int) -> str | None:
    """When process `pid` started (Linux), so a lock left by a dead run whose pid was reused is seen stale."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def _alive(pid: int) -> bool:
    if sys.platform == "win32":  # os.kill(pid, 0) would end the process there
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x100000, False, pid)  # SYNCHRONIZE
        if not handle:
            return False
        try:
            return ctypes.windll.kernel32.WaitForSingleObject(handle, 0) == 0x102  # WAIT_TIMEOUT
        finally:
            ctypes.windll.kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class OutputFolder:
    """A folder a run writes many files into: locked while written, with a manifest of what was written.

    `claim(paths)` decides, before anything is written, that each path is free or holds a file written
    here by xlsreport and unchanged since (replaced only with `overwrite`, or when the run that wrote it
    was stopped before it finished); `stale()` lists such files this run will not write again. Leaving the
    `with` block records every file now written and whether the run finished, and releases the lock.
    """

    def __init__(self, root: Path, overwrite: bool) -> None:
        self.root, self.overwrite = Path(root), overwrite
        self.files: dict[str, str] = {}  # relative path -> sha256, from the manifest
        self.pending: set[str] = set()  # relative paths a run claimed, while it runs
        self.finished = True
        self.replaceable = overwrite
        self.planned: list[Path] = []
        self.made: list[Path] = []  # folders this run made for its outputs: removed again if left empty
        self._locked = False

    def __enter__(self) -> OutputFolder:
        _folder(self.root)
        self._lock()
        try:
            self._load()
            self.sweep()
        except BaseException:
            self._unlock()
            raise
        return self

    def __exit__(self, kind, exc, tb) -> None:
        for folder in reversed(self.made):  # a 退回修改 folder nobody needed this time
            with suppress(OSError):
                folder.rmdir()
        try:
            self.sweep()
            if self.planned:
                self._save(finished=kind is None)
        except XlsreportError:
            if kind is None:
                raise
        finally:
            self._unlock()

    # -- the lock
    def _lock(self) -> None:
        lock = self.root / LOCK
        me = {"pid": os.getpid(), "host": socket.gethostname(), "start": _process_start(os.getpid())}
        for _ in range(3):
            try:
                fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = self._holder(lock)
                if holder is not None:
                    raise OutputError(
                        "OUTPUT_BUSY", pid=holder, path=str(self.root), lock=str(lock)
                    ) from None
                with suppress(FileNotFoundError):
                    os.unlink(lock)  # left by a run that no longer exists
                continue
            except OSError as exc:
                raise OutputError("OUTPUT_UNWRITABLE", path=str(self.root), reason=os_reason(exc)) from None
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(me, fh)
            self._locked = True
            return
        raise OutputError("OUTPUT_BUSY", pid="?", path=str(self.root), lock=str(lock))

    @staticmethod
    def _holder(lock: Path) -> int | None:
        """The pid of the live run holding `lock`, or None when the lock is stale."""
        try:
            held = json.loads(lock.read_text(encoding="utf-8"))
            pid, host, start = int(held["pid"]), held.get("host"), held.get("start")
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            return -1  # being written this instant, or not ours to judge: treat as held
        if host != socket.gethostname():
            return pid  # another computer's run on a shared folder: we cannot tell, so we wait
        if not _alive(pid) or (start is not None and _process_start(pid) not in (None, start)):
            return None
        return pid

    def _unlock(self) -> None:
        if self._locked:
            self._locked = False
            with suppress(FileNotFoundError):
                os.unlink(self.root / LOCK)

    # -- the manifest
    def _load(self) -> None:
        try:
            data = json.loads((self.root / MANIFEST).read_text(encoding="utf-8"))
            self.files = {str(k): str(v) for k, v in data["files"].items()}
            self.finished = bool(data["finished"])
            self.pending = {str(rel) for rel in data.get("pending", ())}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.files, self.finished = {}, True  # none, or damaged: nothing here is known to be ours
            self.pending = set()
        # files written here before may be replaced when asked to, or when their run did not finish
        self.replaceable = self.overwrite or not self.finished

    def _save(self, finished: bool) -> None:
        files = {}
        for path in [*self.planned, *(self.root / rel for rel in [*self.files, *sorted(self.pending)])]:
            rel = path.relative_to(self.root).as_posix()
            if rel in files or not path.is_file():
                continue
            if path in self.planned or self.ours(path):
                files[rel] = digest(path)
        # while a run writes, the paths it claimed: if it dies without saying what it wrote (killed, a full
        # disk), whatever stands there now was written by it (anything before was absent or ours)
        pending = [] if finished else sorted(p.relative_to(self.root).as_posix() for p in self.planned)
        record = {"finished": finished, "files": files, "pending": pending}
        with atomic_output(self.root / MANIFEST, overwrite=True) as fh:
            fh.write(json.dumps(record, ensure_ascii=False).encode())
        self.files, self.finished, self.pending = files, finished, set(pending)

    def ours(self, path: Path) -> bool:
        """Whether `path` holds a file this folder's manifest says xlsreport wrote (unchanged since), or one
        a run that did not finish claimed."""
        rel = Path(path).relative_to(self.root).as_posix()
        try:
            if not Path(path).is_file():
                return False
            if not self.finished and rel in self.pending:
                return True
            return rel in self.files and digest(path) == self.files[rel]
        except OSError:
            return False

    def claim(self, paths: list[Path]) -> None:
        """Refuse before anything is written unless every path may be written (see the class)."""
        for path in paths:  # first what no option can help: a folder or a device in the way
            check_target(path, overwrite=True)
        for path in paths:
            if path.exists() and not (self.replaceable and self.ours(path)):
                code = "OUTPUT_NOT_OURS" if self.overwrite and not self.ours(path) else "OUTPUT_EXISTS"
                raise OutputError(code, path=str(path))
        for folder in sorted({p.parent for p in paths}):
            if not folder.exists():
                self.made.append(folder)
            _folder(folder)
            self._probe(folder)
        self.planned = list(paths)
        self._save(finished=False)  # a run that dies from here leaves a record the next run continues from

    @staticmethod
    def _probe(folder: Path) -> None:
        try:
            fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=folder)
            os.close(fd)
            os.unlink(tmp)
        except OSError as exc:
            raise OutputError("OUTPUT_UNWRITABLE", path=str(folder), reason=os_reason(exc)) from None

    def stale(self, written: Iterable[Path]) -> list[Path]:
        """Files written here before, unchanged, that this run did not write again (to remove)."""
        if not self.replaceable:
            return []
        written = set(written)
        known = {self.root / rel for rel in [*self.files, *self.pending]}
        return sorted(p for p in known if p not in written and self.ours(p))

    def remove(self, path: Path) -> None:
        try:
            os.unlink(path)
        except OSError as exc:
            raise OutputError("OUTPUT_UNWRITABLE", path=str(path), reason=os_reason(exc)) from None

    def sweep(self) -> None:
        """Remove the temporary files a stopped run left here and in the folders here (no other run is
        writing: we hold the lock)."""
        try:
            folders = [self.root, *(p for p in self.root.iterdir() if p.is_dir() and not p.is_symlink())]
        except OSError:
            return
        for folder in folders:
            try:
                leftovers = [p for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX)]
            except OSError:
                continue
            for p in leftovers:
                with suppress(OSError):
                    p.unlink()
