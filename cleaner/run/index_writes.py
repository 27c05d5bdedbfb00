"""The batch run's writes to the state's index: in this process, or in one of their own.

Placing a story writes its article and adds the story to the index (its band keys and
sampled shingles: about 90 rows); the captures placed are then marked processed and the
transaction committed, and only then are their manifest lines appended. The rows cost as
much as the placing itself (20,000 captures: 4.2 s of a 7.4 s placing), and the placing
runs after all the cleaning, on one core. With more than one job they are written by a
process of their own (`IndexWriter`) while this one goes on placing; with one job, here
(`IndexWrites`). Both apply the same calls in the same order: the index is the same.
"""
from __future__ import annotations

import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack
from typing import Any

from ..dedup import Deduplicator, StateError
from .pool import kill_workers, run_chunk, start_worker

# (key, sketch, payload) of the stories placed; (source, content hash, manifest line) of
# the captures placed.
Entries = list[tuple[str, Any, dict[str, Any]]]
Processed = list[tuple[str, str, dict[str, Any]]]
# Batches of stories handed to the writer process and not yet written, at most: when it
# falls behind, the placer waits rather than hold their fingerprints in memory.
MAX_QUEUED_ADDS = 4
WRITER_DIED = "the process writing the index died (crashed or killed); nothing of the " \
    "captures since the last commit is recorded, the next run places them again"

_ADD = "add"
_COMMIT = "commit"
_CLOSE = "close"


class IndexWrites:
    """The index's writes done in this process, inside a transaction that `commit` ends
    (and opens anew); with no index (a run without dedup), none."""

    # placed stories are handed over in batches of the caller's size (see `IndexWriter`)
    eager = False

    def __init__(self, index: Deduplicator | None) -> None:
        self.index = index
        self.stack = ExitStack()
        self._open()

    def _open(self) -> None:
        if self.index is not None:
            self.stack.enter_context(self.index.transaction())

    def add(self, entries: Entries) -> None:
        """Add placed stories to the index."""
        if entries and self.index is not None:
            self.index.add_many(entries)

    def commit(self, processed: Processed) -> Future:
        """Mark captures processed and commit; the returned Future is done once committed."""
        if self.index is not None:
            self.index.mark_processed_many(processed)
        self.stack.close()
        self._open()
        done: Future = Future()
        done.set_result(None)
        return done

    def busy(self) -> bool:
        """Whether writes asked for are still being done (never, here)."""
        return False

    def close(self, error: BaseException | None = None) -> None:
        """End the open transaction: committed (nothing is left in it after a `commit`),
        or rolled back when the run failed with `error`."""
        if error is None:
            self.stack.close()
        else:
            self.stack.__exit__(type(error), error, error.__traceback__)


class IndexWriter:
    """The index's writes done in a process of its own, in the order asked, inside one
    transaction that each `commit` ends: calls return at once, and `commit`'s Future is
    done once the commit is (it raises what the writes raised: StateError,
    DuplicateKeyError)."""

    # placed stories are handed over as soon as the writer is idle: it then writes beside
    # the placing from the first stories to the last, rather than after a whole batch
    eager = True

    def __init__(self, state: str) -> None:
        self.state = state
        self.executor = ProcessPoolExecutor(
            1, initializer=start_worker, initargs=(_StateWrites(state), os.getpid())
        )
        self.queued: deque[Future] = deque()

    def add(self, entries: Entries) -> None:
        if entries:
            self._submit(_ADD, entries)

    def commit(self, processed: Processed) -> Future:
        committed: Future = Future()
        self._submit(_COMMIT, processed).add_done_callback(
            lambda future: self._pass_on(future, committed))
        return committed

    def _pass_on(self, future: Future, to: Future) -> None:
        """Give `to` the outcome of the writer's `future`, a dead writer as StateError."""
        try:
            self._result(future)
        except BaseException as err:  # noqa: BLE001 - handed on
            to.set_exception(err)
        else:
            to.set_result(None)

    def busy(self) -> bool:
        self._reap()
        return bool(self.queued)

    def _submit(self, kind: str, data: list) -> Future:
        self._reap()
        while len(self.queued) >= MAX_QUEUED_ADDS:
            self._result(self.queued.popleft())
        future = self.executor.submit(run_chunk, [(kind, data)])
        self.queued.append(future)
        return future

    def _reap(self) -> None:
        """Forget the writes done (raising what one raised)."""
        while self.queued and self.queued[0].done():
            self._result(self.queued.popleft())

    def _result(self, future: Future) -> None:
        try:
            future.result()
        except BrokenProcessPool:
            raise StateError(self.state, WRITER_DIED) from None

    def close(self, error: BaseException | None = None) -> None:
        """Wait for the writes asked for, or, when the run failed with `error`, stop the
        writer at once: what it had not committed is rolled back."""
        try:
            if error is None:
                self.queued.append(self.executor.submit(run_chunk, [(_CLOSE, [])]))
                while self.queued:
                    self._result(self.queued.popleft())
        finally:
            if error is not None:
                kill_workers(self.executor)
            self.executor.shutdown(wait=True, cancel_futures=True)


class _StateWrites:
    """What the writer process does with each (kind, data): opens the state on first use,
    in the process that runs it, and keeps a transaction open between commits."""

    def __init__(self, state: str) -> None:
        self.state = state
        self.index: Deduplicator | None = None
        self.writes: IndexWrites | None = None
        self.failed: BaseException | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {"state": self.state}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(**state)  # type: ignore[misc]

    def __call__(self, messages: list[tuple[str, list]]) -> list[None]:
        for kind, data in messages:
            if self.failed is not None:
                # what followed a failed write must not be committed: the run is over
                raise self.failed
            try:
                self._apply(kind, data)
            except BaseException as err:
                self.failed = err
                if self.writes is not None:
                    self.writes.close(err)  # rolled back
                raise
        return [None] * len(messages)

    def _apply(self, kind: str, data: list) -> None:
        if self.writes is None:
            self.index = Deduplicator(self.state)
            self.writes = IndexWrites(self.index)
        if kind == _ADD:
            self.writes.add(data)
        elif kind == _COMMIT:
            self.writes.commit(data)
        else:
            self.writes.close()
            assert self.index is not None
            self.index.close()
            self.writes = self.index = None
