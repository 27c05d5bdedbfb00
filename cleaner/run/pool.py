"""Work on many items in worker processes, results in input order, with bounded memory.

`ordered_map` keeps at most a few chunks per worker in flight, so a source of any
length (a crawl of hundreds of gigabytes) is read only as fast as it is cleaned. Workers
ignore Ctrl-C (the parent stops them) and end themselves when the parent dies, even by
`kill -9`, so a stopped run leaves no process behind. With a time limit per item, a
worker that overruns it is killed and its item given up, as if it had crashed.
"""
from __future__ import annotations

import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Any, Self, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Items handed to a worker at a time: enough to amortise the hand-off, few enough that
# the progress bar moves smoothly.
CHUNK_SIZE = 16
# Chunks in flight per worker: enough to keep every worker busy while the parent takes
# results, few enough that memory stays flat.
CHUNKS_PER_WORKER = 4
# How often a worker checks that its parent is alive, in seconds.
WATCH_INTERVAL = 1.0
# Why an item failed when working on it killed its worker process.
WORKER_DIED = "the worker process cleaning it died (crashed or killed)"
# Why an item failed when working on it took longer than the time limit.
TIMED_OUT = "cleaning it took over {seconds:g} s (the time limit): stopped"

_work: Callable[[list[Any]], list[Any]] | None = None


def _watch_parent(parent: int) -> None:
    """End this worker when its parent process is gone."""
    while True:
        time.sleep(WATCH_INTERVAL)
        if os.getppid() != parent:
            os._exit(1)


def start_worker(work: Callable[[list[Any]], list[Any]], parent: int) -> None:
    global _work
    _work = work
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def run_chunk(items: list[Any]) -> list[Any]:
    assert _work is not None
    return _work(items)


def ordered_map(
    work: Callable[[list[T]], list[R]],
    items: Iterable[T],
    jobs: int,
    crashed: Callable[[T, str], R],
    timeout: float | None = None,
) -> Iterator[R]:
    """The results of `work` on every item, in input order, on `jobs` processes (1 and no
    `timeout`: this one).

    `work` takes a chunk of items and returns one result per item (work done a chunk at a
    time is cheaper: fingerprints, for one); it must be picklable (a module-level function
    or an object of a module-level class) and is sent to each worker once. An item whose
    work kills its worker process (a crash in a C library, the kernel's out-of-memory
    killer) gives `crashed(item, reason)`, and the run goes on in a new pool: the items
    that were in flight with it are done again one by one, to tell which one it was.

    `timeout`: seconds an item's work may take. A chunk not done within that per item is
    taken for one holding an item that hangs: the workers are killed, and the chunks in
    flight done again one by one, each within `timeout`; the item over it gives
    `crashed(item, TIMED_OUT)`. (Work in this process cannot be stopped safely: with a
    time limit, even one job works in a worker process.)
    """
    source = iter(items)
    if jobs <= 1 and timeout is None:
        while chunk := list(islice(source, CHUNK_SIZE)):
            yield from work(chunk)
        return
    retry: list[T] = []
    while True:
        with _Pool(work, max(jobs, 1), timeout) as pool:
            try:
                yield from pool.run(retry, crashed)
                yield from pool.run_chunks(source)
                return
            except _Broken as broken:
                retry = broken.items


class _Broken(Exception):
    """The pool broke; `items` were in flight and must be done again."""

    def __init__(self, items: list[Any]) -> None:
        super().__init__()
        self.items = items


class _Pool:
    """A process pool that keeps a few chunks per worker in flight."""

    def __init__(self, work: Callable[[list[Any]], list[Any]], jobs: int,
                 timeout: float | None = None) -> None:
        self.jobs = jobs
        self.timeout = timeout
        self.executor = ProcessPoolExecutor(
            jobs, initializer=start_worker, initargs=(work, os.getpid())
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc_info: object) -> None:
        if exc_type is not None:
            # Ctrl-C, or an error of the run: the items in flight are given up, and a
            # worker stuck on one (the reason a user presses Ctrl-C) must not hold the
            # run waiting for it
            self.kill()
        self.executor.shutdown(wait=True, cancel_futures=True)

    def run_chunks(self, source: Iterator[Any]) -> Iterator[Any]:
        pending: deque[tuple[list[Any], Future]] = deque()
        while True:
            while len(pending) < self.jobs * CHUNKS_PER_WORKER:
                chunk = list(islice(source, CHUNK_SIZE))
                if not chunk:
                    break
                pending.append((chunk, self.executor.submit(run_chunk, chunk)))
            if not pending:
                return
            chunk, future = pending[0]
            try:
                # the oldest chunk in flight is being worked on: it gets the time limit of
                # its items from now on
                results = future.result(None if self.timeout is None
                                        else self.timeout * len(chunk))
            except (BrokenProcessPool, FutureTimeout):
                self.kill()
                raise _Broken([item for chunk, _ in pending for item in chunk]) from None
            pending.popleft()
            yield from results

    def run(self, items: list[Any], crashed: Callable[[Any, str], Any]) -> Iterator[Any]:
        """Each item alone: the one that breaks the pool gets `crashed`, the rest go on."""
        for n, item in enumerate(items):
            try:
                yield self.executor.submit(run_chunk, [item]).result(self.timeout)[0]
            except BrokenProcessPool:
                yield crashed(item, WORKER_DIED)
                raise _Broken(items[n + 1 :]) from None
            except FutureTimeout:
                self.kill()
                yield crashed(item, TIMED_OUT.format(seconds=self.timeout))
                raise _Broken(items[n + 1 :]) from None

    def kill(self) -> None:
        """Kill the pool's worker processes (one is stuck, and which one is not known):
        the pool breaks, and `__exit__` no longer waits for them."""
        kill_workers(self.executor)


def kill_workers(executor: ProcessPoolExecutor) -> None:
    """Kill a process pool's workers (busy ones too): the pool breaks."""
    # ProcessPoolExecutor names no public way to stop a busy worker before Python 3.14
    processes = getattr(executor, "_processes", None) or {}
    for process in list(processes.values()):
        process.kill()
