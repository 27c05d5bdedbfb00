"""The local engine: clean a batch of captures on this machine's cores into OUT.

    sources ──▶ workers: read, clean, fingerprint ──▶ spool (disk)
                                                        │ every capture cleaned
    manifest, summary ◀── sinks ◀── placer: clusters, canonicals, the state's index

Inputs are discovered lazily and WARC records read as they are cleaned; the cleaned
articles wait in the spool (on disk) until every capture is cleaned, when the placer
decides each story's canonical capture and the sinks write the articles, in input order,
appending each manifest line as its capture is placed. The workers also write each
article file as it would be were its capture alone in its story (a draft, among the
run's temporary files): the placer moves those of single-capture stories into place.
Memory holds the run's fingerprints (about 1-2 KB per kept capture) and little else.
With more than one job, the state's index is written by a process of its own while the
placer goes on (see `index_writes`).
"""
from __future__ import annotations

import json
import time
from collections import deque
from collections.abc import Iterable, Sequence
from concurrent.futures import Future
from contextlib import ExitStack
from pathlib import Path

from ..dedup import Deduplicator
from ..dedup.clusters import RunSketches
from ..errors import OutputError
from ..sinks import DEFAULT_FORMATS, Sinks
from ..sinks.atomic import temp_folder, write_atomic
from ..sinks.manifest import ManifestWriter
from ..siterules.rulebook import RuleBook
from ..sources import Item, iter_inputs
from ..sources.files import DEFAULT_MAX_BYTES
from .index_writes import IndexWriter, IndexWrites
from .lock import OutputLock
from .only import parse_types
from .outcome import ERROR, ManifestRow, Outcome
from .placer import BatchPlacer, Record, RunRecords
from .pool import ordered_map
from .spool import Spool
from .summary import Summary
from .work import DRAFT_SUFFIX, Work

SUMMARY = "summary.json"
# The dedup index kept across runs when no state is given.
DEFAULT_STATE = ".cleaner-state.sqlite"
# Captures placed between two looks at the articles written in the background: those
# that failed become error lines, the others' stories are added to the index, inside
# the open transaction. Until then each holds its fingerprint in Python objects (a
# batch of 2,048 about 18 MB more than one of 256 at its peak); in larger batches the
# rows land closer together in the index's B-trees (20,000 captures: placing 10.5 s in
# batches of 256, 7.5 s in batches of 2,048).
PLACE_BATCH = 2048
# With the index written by a process of its own (more than one job), the stories placed
# are handed to it once EAGER_BATCH captures are placed and it is idle (PLACE_BATCH when
# it is not): it then works beside the placing from the start to the end.
EAGER_BATCH = 256
# When the index is committed (and the manifest lines of the captures placed since are
# written): once COMMIT_SECONDS have passed since the last commit, or MAX_PLACE_BATCH
# captures wait. Committing each article's index entry alone costs as much as writing
# its file; and a commit writes every page of the index its rows touched, where band
# keys and sampled shingles land at random: a batch of 256 touches most pages of a large
# index, so commits every 256 captures grew with the index (20,000 captures: commits
# 5.7 s of a 15 s placing, 0.6 s by time). Should a run stop inside a batch, the next
# places those captures again, into the same files.
COMMIT_SECONDS = 1.0
MAX_PLACE_BATCH = 8192


def crashed(item: Item, reason: str) -> Outcome:
    """The Outcome of an item whose worker process died cleaning it."""
    return Outcome(item.source, ERROR, reason=reason)


def run(
    inputs: Iterable[str | Path],
    out: str | Path,
    *,
    rules: RuleBook | None = None,
    jobs: int = 1,
    progress: bool = False,
    dedup: bool = True,
    state: str | Path | None = None,
    formats: Sequence[str] = DEFAULT_FORMATS,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    html_engine: str | None = None,
    only: str | Iterable[str] | None = None,
    timeout: float | None = None,
) -> Summary:
    """Clean every capture under `inputs` into `out`; returns the run's Summary.

    Writes one article per story (in each of `formats`: "markdown" files, "jsonl" or
    "parquet" parts), `manifest.jsonl` (one line per input capture, in input order) and
    `summary.json`. A bad capture is recorded, never fatal. With `dedup`, duplicates
    (exact and near, within the run and against the index at `state`, by default inside
    `out`) are written once, and a capture an earlier run placed is not cleaned again. A
    capture larger than `max_bytes` once inflated (None: no limit) is an error line, found
    out without reading it whole. `html_engine` reads HTML captures (see `pipeline.html_reader`).
    `only` names the page types written ("article,forum" or a list; None: all): a capture
    of another type is a `skipped` line (see `run.only`). `timeout`: seconds a capture's
    cleaning may take (None: no limit); one that takes longer is stopped, its worker
    process killed, and it is an error line (see `pool.ordered_map`).
    Raises OutputError when OUT cannot be used (another run holds it), StateError for
    an unusable state file, PageTypeError for an unknown page type in `only`: all before
    any capture is read.
    """
    wanted = parse_types(only)
    started = time.perf_counter()
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"cannot create output folder {out}: {err}") from err
    summary = Summary()
    with ExitStack() as stack:
        stack.enter_context(OutputLock(out))
        temp = temp_folder(out)
        index = None
        state_path = Path(state or out / DEFAULT_STATE)
        if dedup:
            index = stack.enter_context(Deduplicator(state_path))
        sinks = Sinks(out, formats, temp, background=True)
        stack.callback(sinks.stop)  # however the run ends, no file is written after it
        spool = Spool(temp)
        stack.callback(spool.close)
        # (an empty Deduplicator is falsy: it has a length)
        records = RunRecords(spool, None if index is None else RunSketches(index.layout))
        # the workers look each capture up in the state only when it remembers any: in a
        # new state (a first run into OUT) the lookups would find nothing
        remembers = index is not None and index.any_processed()
        work = Work(rules, None if index is None else index.layout,
                    str(state_path) if remembers else None,
                    max_bytes=max_bytes, html_engine=html_engine, only=wanted,
                    drafts=str(temp) if sinks.article_files else None)
        # drafts no placing took (a chunk done again after its worker died) go at the end
        stack.callback(_remove_drafts, temp)
        items = iter_inputs(inputs, summary.skipped, max_bytes)
        outcomes = ordered_map(work, items, jobs, crashed, timeout)
        for outcome in _shown(outcomes, progress, "cleaning"):
            summary.drops.update(outcome.drops)
            summary.rules.add_report(outcome.rule_report, outcome.source)
            records.add(outcome)
        work.close()
        placer = BatchPlacer(records, sinks, index)
        rows = _shown(placer.rows(), progress, "placing", total=len(records))
        # with more than one job, the index is written by a process of its own
        writes = (IndexWriter(str(state_path)) if index is not None and jobs > 1
                  else IndexWrites(index))
        try:
            _write_rows(rows, out, sinks, placer, summary, writes)
        except BaseException as err:
            writes.close(err)
            raise
        writes.close()
    summary.seconds = time.perf_counter() - started
    try:
        write_atomic(out / SUMMARY, json.dumps(summary.to_dict(), indent=2) + "\n")
    except OSError as err:
        raise OutputError(f"cannot write the summary in {out}: {err}") from err
    return summary


def _remove_drafts(folder: Path) -> None:
    for draft in folder.glob(f"*{DRAFT_SUFFIX}"):
        draft.unlink(missing_ok=True)


def _write_rows(rows: Iterable, out: Path, sinks: Sinks, placer: BatchPlacer,
                summary: Summary, writes: IndexWrites | IndexWriter) -> None:
    """Append each manifest line once its article is durable, and record the articles and
    each placed capture in the index, a transaction at a time."""
    waiting: list[tuple[ManifestRow, Record]] = []  # placed, not yet in a commit
    committing: deque[tuple[Future, list[tuple[ManifestRow, Record]]]] = deque()
    try:
        manifest = ManifestWriter(out)
    except OSError as err:
        raise OutputError(f"cannot write the manifest in {out}: {err}") from err
    committed = time.perf_counter()
    settled = 0  # lines of `waiting` whose articles were looked at
    with manifest:
        for row, record in rows:
            record.record = None  # the body is written: the waiting lines keep little
            waiting.append((row, record))
            placed = len(waiting) - settled
            if placed < PLACE_BATCH and (
                    not writes.eager or placed < EAGER_BATCH or writes.busy()):
                continue
            placer.settle_writes(waiting)
            settled = len(waiting)
            if not sinks.durable:  # (records in a part not yet written)
                continue
            writes.add(placer.take_entries())
            if len(waiting) >= MAX_PLACE_BATCH or (
                    time.perf_counter() - committed >= COMMIT_SECONDS):
                committing.append((_commit(waiting, writes, summary), waiting))
                waiting, settled = [], 0
                committed = time.perf_counter()
            _append_committed(committing, manifest, wait=False)
        placer.settle_writes(waiting)
        sinks.close()
        writes.add(placer.take_entries())
        committing.append((_commit(waiting, writes, summary), waiting))
        _append_committed(committing, manifest, wait=True)


def _commit(waiting: list[tuple[ManifestRow, Record]], writes: IndexWrites | IndexWriter,
            summary: Summary) -> Future:
    """Record the captures of `waiting` as placed and commit (the Future is done once
    committed)."""
    for row, _ in waiting:
        summary.add_row(row.status, row.page_type, bool(row.warnings))
    return writes.commit([(record.source, record.content_hash, row.to_dict())
                          for row, record in waiting if row.article is not None])


def _append_committed(committing: deque[tuple[Future, list[tuple[ManifestRow, Record]]]],
                      manifest: ManifestWriter, wait: bool) -> None:
    """Append the manifest lines of the commits done (all, when `wait`), in order: a line
    is in the manifest only once all it says is on disk."""
    while committing and (wait or committing[0][0].done()):
        future, lines = committing.popleft()
        future.result()
        for row, _ in lines:
            manifest.write(row)


def _shown(items: Iterable, progress: bool, desc: str, total: int | None = None) -> Iterable:
    """`items`, with a progress bar on a terminal when asked."""
    if not progress:
        return items
    from tqdm import tqdm

    return tqdm(items, total=total, unit="doc", desc=desc)
