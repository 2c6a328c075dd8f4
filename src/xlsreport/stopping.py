"""Ctrl-C and SIGTERM: stop at once, and cleanly.

The command line turns either signal into `Stopped`, raised where the main process is. Being a
BaseException, it passes every `except Exception` and unwinds through the `finally` blocks that remove
temporary files and end child processes (office.py's LibreOffice, collect's worker processes), then the
CLI prints one line and exits with 128 + the signal's number (130, 143). Files already written are
complete: every output is renamed into place only once written.

A worker process ignores Ctrl-C (the terminal sends it to the whole process group) and dies at once on
SIGTERM: its parent decides when to stop it, and removes what it was writing.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from multiprocessing.process import BaseProcess

from .errors import FATAL
from .reasons import SIGNAL_NAMES, SIGNAL_OTHER

# Ctrl-C, a request to end, the terminal closed (those this system has)
SIGNALS = tuple(getattr(signal, name) for name in SIGNAL_NAMES if hasattr(signal, name))
_GROUP = (signal.SIGINT, getattr(signal, "SIGHUP", None))  # sent to a whole process group by the terminal


class Stopped(BaseException):
    """A signal asked the run to stop; carries the exit code and the one line the CLI prints."""

    code = "INTERRUPTED"

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.exit_code = 128 + signum
        self.message = FATAL[self.code].template.format(signal=signal_name(signum))
        super().__init__(self.message)


def signal_name(signum: int) -> str:
    """The signal `signum` in the words of INTERRUPTED's message."""
    name = next((s.name for s in SIGNALS if s == signum), "")
    return SIGNAL_NAMES.get(name) or SIGNAL_OTHER.format(number=signum)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """While inside: SIGINT, SIGTERM or SIGHUP raises Stopped in the main thread; a second one is ignored, so
    the clean-up of the first is not cut short. A signal ignored already (nohup, a background job) stays so."""

    def stop(signum, frame) -> None:
        for s in SIGNALS:
            signal.signal(s, signal.SIG_IGN)
        raise Stopped(signum)

    before = {s: signal.signal(s, stop) for s in SIGNALS if signal.getsignal(s) is not signal.SIG_IGN}
    try:
        yield
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)


def as_worker() -> None:
    """In a worker process: leave the terminal's signals to the parent, die at once on SIGTERM."""
    for s in SIGNALS:
        signal.signal(s, signal.SIG_IGN if s in _GROUP else signal.SIG_DFL)


def end_processes(processes: Iterable[BaseProcess], grace: float = 2.0) -> None:
    """Terminate `processes`, and kill those still running after `grace` seconds."""
    processes = [p for p in processes if p.is_alive()]
    for p in processes:
        p.terminate()
    deadline = time.monotonic() + grace
    for p in processes:
        p.join(max(0.0, deadline - time.monotonic()))
    for p in processes:
        if p.is_alive():
            p.kill()
            p.join(1.0)
