"""A function mapped over items on worker processes, in order, with progress, and no worker outliving the run.

Knows nothing of workbooks: collect.py hands it the work of each pass (collectfile.py).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

from .stopping import as_worker, end_processes

Progress = Callable[[str, int, int], None]  # stage, done, total


def _init_process(init: Callable[[object], None] | None, arg: object) -> None:
    """A worker process: signals left to the parent (stopping.py), then what its work needs."""
    as_worker()
    if init is not None:
        init(arg)


def run_parallel(
    fn,
    items: list,
    jobs: int,
    stage: str,
    progress: Progress,
    init: Callable[[object], None] | None = None,
    arg: object = None,
) -> list:
    """fn over items, in order, on `jobs` processes (in this one for 1), telling `progress` as each ends;
    `init(arg)` runs once in each process before its first item."""
    total, results = len(items), []
    progress(stage, 0, total)
    if jobs <= 1 or total <= 1:
        if init is not None:
            init(arg)
        for i, item in enumerate(items, start=1):
            results.append(fn(item))
            progress(stage, i, total)
        return results
    size = max(1, min(16, total // (jobs * 8)))
    # the pool's processes are told apart from any other child by who was there before (public API, where
    # the pool itself names them only privately until Python 3.14's terminate_workers)
    before = set(multiprocessing.active_children())
    pool = ProcessPoolExecutor(max_workers=min(jobs, total), initializer=_init_process, initargs=(init, arg))
    # submitted chunk by chunk rather than by pool.map, whose clean-up cancels the futures a stopped pool
    # then fails (Python 3.11: InvalidStateError printed from the pool's thread)
    futures = [pool.submit(_each, fn, items[i : i + size]) for i in range(0, total, size)]
    try:
        for future in futures:
            results += future.result()
            progress(stage, len(results), total)
    except BaseException:  # stopped, or this process failing: no worker outlives the run
        end_processes(set(multiprocessing.active_children()) - before)
        raise
    finally:
        pool.shutdown()
    return results


def _each(fn, chunk: list) -> list:
    return [fn(item) for item in chunk]
