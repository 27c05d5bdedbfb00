"""Cleaning one capture at a time within a time limit, for streams and crawlers.

A crawler's post-processor cleans each item as it comes (`run.stream`), in its own
process: a page that sent a parser into an endless loop would stall the crawl. With a
time limit, `LimitedCleaning` cleans each capture in one worker process instead, waits
for it at most that long, and kills and replaces the worker when it overruns; the
capture is then an error, and the next one goes on. (Work in the caller's own process
cannot be stopped safely.) Each capture crosses to the worker and its article back,
pickled: about a tenth of a millisecond a capture.
"""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import Self

from ..document import Article, Capture
from ..siterules.rulebook import RuleBook
from .pool import TIMED_OUT, WORKER_DIED, kill_workers, run_chunk, start_worker
from .work import clean_or_reason


class _Cleaning:
    """What the worker runs: `clean_or_reason` with the rules and engine it was given."""

    def __init__(self, rules: RuleBook | None, html_engine: str | None) -> None:
        self.rules = rules
        self.html_engine = html_engine

    def __call__(self, captures: list[Capture]) -> list[tuple[Article | None, str | None]]:
        return [clean_or_reason(capture, self.rules, self.html_engine) for capture in captures]


class LimitedCleaning:
    """`clean_or_reason` in a worker process, each capture within `timeout` seconds.

    Called with a capture: (article, None), or (None, why) when it could not be cleaned,
    including when it overran the limit or killed its worker. Close it (or use it in a
    `with` block) to end the worker.
    """

    def __init__(self, timeout: float, rules: RuleBook | None = None,
                 html_engine: str | None = None) -> None:
        self.timeout = timeout
        self.work = _Cleaning(rules, html_engine)
        self.executor: ProcessPoolExecutor | None = None

    def __call__(self, capture: Capture) -> tuple[Article | None, str | None]:
        if self.executor is None:
            self.executor = ProcessPoolExecutor(
                1, initializer=start_worker, initargs=(self.work, os.getpid()))
        future = self.executor.submit(run_chunk, [capture])
        try:
            return future.result(self.timeout)[0]
        except FutureTimeout:
            self._replace()
            return None, TIMED_OUT.format(seconds=self.timeout)
        except BrokenProcessPool:
            self._replace()
            return None, WORKER_DIED

    def _replace(self) -> None:
        """Kill the worker; the next capture starts a new one."""
        if self.executor is not None:
            kill_workers(self.executor)
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc_info: object) -> None:
        if exc_type is not None and self.executor is not None:
            kill_workers(self.executor)  # Ctrl-C while a capture hangs: do not wait for it
        self.close()

