"""A folder a run writes many files into (collect, blank --roster): locked while written, with a manifest of
what was written there, so `--overwrite` replaces only xlsreport's own files (outputs.py)."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sys
import tempfile
from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path

from .errors import OutputError, XlsreportError
from .outputs import LOCK, MANIFEST, TEMP_PREFIX, atomic_output, check_target, make_folder
from .reasons import os_reason


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
        make_folder(self.root)
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
            make_folder(folder)
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
