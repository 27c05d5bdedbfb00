"""The Ray engine's run: cleaning on Ray Data, then deduplicating and placing on Ray tasks.

    driver: walk inputs ─▶ item blocks ─▶ Ray Data: expand WARC files, clean (actors)
                                              │ outcome blocks, in input order
    tasks:  survey ─▶ dedup (candidates, pairs, components) ─▶ place (roots, clusters,
            names, finish: articles and manifest lines, part files)
    driver: manifest (shard after shard), summary

What the driver holds: the object refs of the item and outcome blocks and of each step's
partitions, a few numbers per shard (kept captures, clusters), the summary's counters,
the paths that are both a preferred path and a suffixed name (almost always none), and
one shard's manifest text at a time while it writes the manifest. Never the signatures,
the candidate pairs or the articles.
"""
from __future__ import annotations

import json
import logging
import math
import os
import pickle
import sys
import time
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from contextlib import ExitStack
from itertools import pairwise
from pathlib import Path
from typing import Any, Self

import numpy as np
import ray

from ...dedup import DEFAULT_CONTAINMENT, DEFAULT_THRESHOLD
from ...dedup.sketch import Layout
from ...errors import CleanerError
from ...sinks import DEFAULT_FORMATS, check_formats
from ...sinks import records as record_sinks
from ...sinks.atomic import temp_folder
from ...sinks.manifest import MANIFEST
from ...siterules.rulebook import RuleBook
from ...siterules.stats import RuleStats
from ...sources.files import DEFAULT_MAX_BYTES
from ..local import SUMMARY
from ..lock import OutputLock
from ..only import parse_types
from ..outcome import KEPT
from ..summary import Summary
from ..work import Work
from . import dedup as steps
from . import place
from .clean import (
    TALLY_STATUS,
    ItemSpool,
    Ledger,
    block_size,
    clean_items,
    expand,
    item_rows,
    warm_up,
)
from .output import OutFolder
from .shuffle import column_of, results, text_parts

# Shards per worker at least: a few, so that one slow shard does not hold the others up.
SHARDS_PER_WORKER = 2
# Captures per shard at most: a shard's rows of one step (its candidate keys, ~1.6 KB a
# capture) stay well under a worker's memory.
SHARD_CAPTURES = 200_000
# Bytes of captures per block out of a WARC file (about 100 HTML pages).
EXPANDED_BYTES = 8 << 20
# Times Ray retries a batch whose worker died: the second attempt cleans it item by
# item, and each further one gets past one more item that kills its worker.
RETRIES = 5


class RaySession:
    """Ray for one run: the cluster at `address`, or a local Ray of `jobs` CPUs (left
    running, and used, when this process has one already)."""

    def __init__(self, address: str | None, jobs: int | None, quiet: bool) -> None:
        self.address = address
        self.jobs = jobs
        self.quiet = quiet
        self.started = False

    def __enter__(self) -> Self:
        if not ray.is_initialized():
            try:
                local = self.address is None
                context = init_ray(
                    address=self.address, num_cpus=self.jobs if local else None,
                    log_to_driver=False, logging_level=logging.ERROR, configure_logging=True,
                    # Ray runs its workers at niceness 15; on this machine they run at the
                    # priority the local engine's would (0), or they lose every core to
                    # any other busy process
                    _system_config={"worker_niceness": 0} if local else None,
                )
            except (ConnectionError, ValueError, RuntimeError) as err:
                raise CleanerError(f"cannot start or reach Ray ({self.address or 'local'}): "
                                   f"{err}") from None
            self.started = True
            url = getattr(context, "dashboard_url", None)
            if url and not self.quiet:
                print(f"Ray dashboard: http://{url}", file=sys.stderr)
        return self

    def workers(self) -> int:
        """Cleaning workers: --jobs, else one per CPU of the cluster."""
        cpus = int(ray.cluster_resources().get("CPU", 1))
        return max(1, min(self.jobs, cpus) if self.jobs else cpus)

    def __exit__(self, *exc_info: object) -> None:
        if self.started:
            ray.shutdown()


# The folder holding this package (site-packages, or a source checkout's root).
PACKAGE_HOME = Path(__file__).resolve().parents[3]


def init_ray(**options: Any) -> Any:
    """`ray.init(**options)`, its workers importing this very package. Ray puts the
    driver's working folder first on its workers' `sys.path` (for a script's own
    modules): started from a folder holding another `cleaner` (a checkout of this
    project, say), the workers would clean with that code rather than the driver's, a
    plain-Python copy or another version. So the driver joins Ray from the folder
    holding its own package, and goes back to where it was."""
    try:
        here: str | None = os.getcwd()
    except OSError:  # the working folder was removed: nothing to go back to
        here = None
    os.chdir(PACKAGE_HOME)
    try:
        return ray.init(**options)
    finally:
        if here is not None:
            os.chdir(here)


def run(
    inputs: Iterable[str | Path],
    out: str | Path,
    *,
    rules: RuleBook | None = None,
    jobs: int | None = None,
    address: str | None = None,
    progress: bool = False,
    quiet: bool = True,
    dedup: bool = True,
    state: str | Path | None = None,
    formats: Sequence[str] = DEFAULT_FORMATS,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    html_engine: str | None = None,
    only: str | Iterable[str] | None = None,
    timings: dict[str, float] | None = None,
) -> Summary:
    """Clean every capture under `inputs` into `out` on Ray; the same files as
    `cleaner.run.local.run` writes for a new OUT, byte for byte (no dedup state).
    `max_bytes`, `html_engine` and `only` as the local engine takes them. `timings`, when
    given, gets the seconds each step took (for bench/ray_engine.py).

    `address`: a Ray cluster ("auto", "ray://HOST:10001"), else a local Ray of `jobs`
    CPUs. Inputs and OUT may be URLs (s3://...) for which fsspec has a filesystem; on a
    cluster they must be (or be on a filesystem every node shares). Raises CleanerError
    when OUT is not new or empty or `state` is given: cross-run deduplication and
    resuming are the local engine's.
    """
    if state is not None:
        raise CleanerError("--state is the local engine's (cross-run deduplication); "
                           "--engine ray deduplicates within the run")
    formats = check_formats(formats)
    wanted = parse_types(only)
    started = time.perf_counter()
    folder = OutFolder(out)
    with ExitStack() as stack:
        if folder.path is not None:
            folder.path.mkdir(parents=True, exist_ok=True)
            stack.enter_context(OutputLock(folder.path))
        folder.check_new()
        if folder.path is not None:
            temp_folder(folder.path)
        steps = _Steps(progress, timings)
        session = stack.enter_context(RaySession(address, jobs, quiet))
        steps.done("ray")
        work = Work(rules, Layout() if dedup else None, max_bytes=max_bytes,
                    html_engine=html_engine, only=wanted)
        summary = _Run(session, folder, work, formats, steps).run(inputs)
    summary.seconds = time.perf_counter() - started
    folder.write_text(SUMMARY, json.dumps(summary.to_dict(), indent=2) + "\n")
    return summary


class _Run:
    def __init__(self, session: RaySession, out: OutFolder, work: Work,
                 formats: tuple[str, ...], steps: _Steps) -> None:
        self.session = session
        self.out = out
        self.work = work
        self.layout = work.layout
        self.formats = formats
        self.steps = steps
        self.progress = steps.shown
        self.summary = Summary()
        self.part_records = record_sinks.PART_RECORDS

    def run(self, inputs: Iterable[str | Path]) -> Summary:
        workers = self.session.workers()
        # one per cleaning worker, as each imports what cleaning needs before its first
        # block: while the driver walks the inputs rather than after (held until the
        # cleaning ends; a worker that cannot import fails the cleaning's tasks anyway)
        warming = [warm_up.remote(self.work.rules is None) for _ in range(workers)]
        items = ItemSpool(item_rows(inputs))
        try:
            size = block_size(items.count, workers)
            refs = [ray.put(block) for block in items.blocks(size)]
        finally:
            items.close()
        self.steps.done("inputs")
        blocks = self.clean(refs, workers, items.warcs > 0) if refs else []
        del warming
        self.steps.done("clean")
        self.steps.start(5 + (self.layout is not None))
        shards = _shards(blocks, workers, size)
        firsts, kept = self.survey(shards)
        self.steps.done("survey")
        starts = np.array(firsts, dtype=np.int64)
        links = self.dedup(shards, starts, kept) if self.layout is not None else \
            [[] for _ in shards]
        self.place(shards, firsts, starts, links)
        self.steps.close()
        return self.summary

    def clean(self, items: list, workers: int, warcs: bool) -> list:
        """The outcome blocks of the item blocks, in input order (Ray Data, with its
        progress bars); one for one when there are no WARC files (`warcs`) to expand."""
        import ray.data

        ledger = Ledger.remote()
        with warnings.catch_warnings():
            # Ray 2.60 names no parameter for a task's retries, and warns
            # when a small run leaves a worker without a block
            warnings.simplefilter("ignore", DeprecationWarning)
            warnings.filterwarnings("ignore", category=UserWarning, module="ray")
            # Ray Data logs each run's start and end: kept for its log files; and says
            # when progress bars are off, as they are when not asked for
            logging.getLogger("ray.data").setLevel(logging.WARNING if self.progress
                                                   else logging.ERROR)
            context = ray.data.DataContext.get_current()
            context.execution_options.preserve_order = True
            context.enable_progress_bars = self.progress
            context.print_on_execution_start = False
            # A WARC file's records come out of `expand` in blocks of this size at most,
            # each then cleaned by one worker (the default, 128 MB, would give each file
            # to one worker).
            context.target_max_block_size = EXPANDED_BYTES
            dataset = ray.data.from_arrow_refs(items)
            if warcs:
                # reading a WARC file is cheap next to cleaning its records: no CPU held,
                # but no more readers than workers either. Only when there are WARC
                # files: these tasks, taking turns with the cleaning on every block,
                # made Ray keep more worker processes than CPUs and end the idle ones,
                # so that the cleaning moved to new processes that import cleaner again
                # (the dev set's files: 2 cleaning processes at 1 CPU, 3 at 2 CPUs).
                dataset = dataset.map_batches(
                    expand, fn_args=(self.work.max_bytes,), batch_format="pyarrow",
                    batch_size=None, num_cpus=0, compute=ray.data.TaskPoolStrategy(size=workers))
            dataset = dataset.map_batches(
                clean_items, fn_args=(self.work, os.getcwd(), ledger),
                batch_format="pyarrow", batch_size=None, num_cpus=1,
                compute=ray.data.TaskPoolStrategy(size=workers), max_retries=RETRIES,
            )
            try:
                return dataset.to_arrow_refs()
            finally:
                ray.kill(ledger)

    def survey(self, shards: list[list]) -> tuple[list[int], int]:
        """Each shard's first doc id (kept captures numbered in input order), and counts
        the run's drop reasons and skipped records."""
        found = ray.get([_survey.remote(*blocks) for blocks in shards])
        firsts, kept = [], 0
        for count, drops, skipped, rules in found:
            firsts.append(kept)
            kept += count
            self.summary.drops.update(drops)
            self.summary.skipped.update(skipped)
            self.summary.rules.merge(rules)
        return firsts, kept

    def dedup(self, shards: list[list], starts: np.ndarray, n: int) -> list[list]:
        """Per shard, the links (doc -> first doc of its cluster) of its duplicates."""
        assert self.layout is not None
        parts = len(shards)
        prepared = [results(steps.prepare.options(num_returns=parts + 1).remote(
            int(start), self.layout, parts, *blocks), parts + 1)
            for blocks, start in zip(shards, starts.tolist(), strict=True)]
        keys = [p[:parts] for p in prepared]
        info = [p[parts] for p in prepared]
        found = [results(steps.candidates.options(num_returns=4 * parts).remote(
            n, self.layout.bands, starts, *column_of(keys, j)), 4 * parts) for j in range(parts)]
        pairs = [f[:parts] for f in found]
        counts = [f[parts : 2 * parts] for f in found]
        own = [f[2 * parts : 3 * parts] for f in found]
        asks = [f[3 * parts :] for f in found]
        # a step's inputs are let go as soon as its tasks are submitted (Ray keeps them
        # until those tasks end): the object store holds two steps' data at most
        del prepared, keys, found
        early = [results(steps.earlier.options(num_returns=2 * parts).remote(
            n, starts, info[i], parts, *column_of(pairs, i), *column_of(counts, i)), 2 * parts)
            for i in range(parts)]
        del pairs
        signed = [e[parts:] for e in early]
        early = [e[:parts] for e in early]
        best = [results(steps.later.options(num_returns=2 * parts).remote(
            n, starts, info[i], DEFAULT_THRESHOLD, DEFAULT_CONTAINMENT, parts, parts,
            *column_of(early, i), *column_of(signed, i), *column_of(counts, i)), 2 * parts)
            for i in range(parts)]
        del early, signed, counts, info
        own += [b[:parts] for b in best]
        asks += [b[parts:] for b in best]
        while True:
            rounds = [results(steps.jump.options(num_returns=2 * parts + 1).remote(
                starts, len(own), *column_of(own, i), *column_of(asks, i)), 2 * parts + 1)
                for i in range(parts)]
            changed = sum(ray.get([r[2 * parts] for r in rounds]))
            own = [r[:parts] for r in rounds]
            asks = [r[parts : 2 * parts] for r in rounds]
            if not changed:
                break
        self.steps.done("dedup")
        return [column_of(own, i) for i in range(parts)]

    def place(self, shards: list[list], firsts: list[int], starts: np.ndarray, links: list[list]
              ) -> None:
        parts = len(shards)
        members = [results(place.roots.options(num_returns=parts).remote(
            first, starts, len(blocks), *blocks, *links[i]), parts)
            for i, (blocks, first) in enumerate(zip(shards, firsts, strict=True))]
        made = [results(place.clusters.options(num_returns=2 * parts + 1).remote(
            i, *column_of(members, i)), 2 * parts + 1) for i in range(parts)]
        del members
        named = [m[:parts] for m in made]
        claims = [m[parts : 2 * parts] for m in made]
        counts = ray.get([m[2 * parts] for m in made])
        del made
        self.steps.done("clusters")
        offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        chosen = [results(place.names.options(num_returns=parts + 1).remote(
            starts, parts, *column_of(named, j), *column_of(claims, j)), parts + 1)
            for j in range(parts)]
        del claims
        decisions = [c[:parts] for c in chosen]
        renamed = self.settle(ray.get([c[parts] for c in chosen]), named)
        del named, chosen
        self.steps.done("names")
        written = int(offsets[-1])
        part_files = math.ceil(written / self.part_records) if written else 0
        writers = min(part_files, 2 * parts) if any(f != place.MARKDOWN for f in self.formats) \
            else 0
        per_writer = math.ceil(part_files / writers) if writers else 1
        finished = [results(place.finish.options(num_returns=3 + writers).remote(
            first, self.out, self.formats, offsets, self.part_records, per_writer, writers,
            renamed, len(blocks), *blocks, *column_of(decisions, i)), 3 + writers)
            for i, (blocks, first) in enumerate(zip(shards, firsts, strict=True))]
        del decisions
        records = [f[3:] for f in finished]
        written_parts = [place.write_parts.remote(self.out, self.formats, self.part_records,
                                                  *column_of(records, w)) for w in range(writers)]
        del records
        failed: dict[str, str] = {}
        for found in ray.get([f[2] for f in finished]):
            failed.update(found)
        self.steps.done("articles")
        texts = [f[:2] for f in finished]
        del finished
        with self.out.open_text(MANIFEST) as manifest:
            for i in range(len(texts)):
                text, (statuses, warned, page_types) = ray.get(texts[i])
                texts[i] = []  # this shard's text may go
                if failed:
                    text = place.patch_failed(text, failed, statuses)
                self.summary.statuses.update(statuses)
                self.summary.warnings += warned
                self.summary.page_types.update(page_types)
                manifest.write(text)
        self.summary.statuses = +self.summary.statuses
        ray.get(written_parts)
        self.steps.done("manifest")

    def settle(self, conflicts: list[list[tuple[str, str]]], named: list[list]) -> dict[int, str]:
        """The names of the clusters whose preferred path is another's suffixed name, and
        of those sharing a path with them, settled one by one in order; {} when there
        are none (the usual case)."""
        bases = {base for found in conflicts for pair in found for base in pair}
        if not bases:
            return {}
        ordered = sorted(bases)
        where = text_parts(ordered, len(named))
        wanted: dict[int, set[str]] = {}
        for base, j in zip(ordered, where.tolist(), strict=True):
            wanted.setdefault(j, set()).add(base)
        rows = [row for found in ray.get([
            place.clusters_of.remote(chosen, *column_of(named, j)) for j, chosen in wanted.items()
        ]) for row in found]
        return place.settle(rows)


def _shards(blocks: list, workers: int, size: int) -> list[list]:
    """Consecutive outcome blocks grouped into shards of about equal size."""
    if not blocks:
        return [[]]
    wanted = max(SHARDS_PER_WORKER * workers, math.ceil(len(blocks) * size / SHARD_CAPTURES))
    count = min(len(blocks), wanted)
    bounds = np.linspace(0, len(blocks), count + 1).round().astype(int).tolist()
    return [blocks[a:b] for a, b in pairwise(bounds)]


@ray.remote
def _survey(*blocks: Any) -> tuple[int, Counter, Counter, RuleStats]:
    """(kept captures, drop reasons, skipped WARC records, rule statistics) of a shard's
    outcome blocks."""
    kept, drops, skipped, rules = 0, Counter(), Counter(), RuleStats()
    for table in blocks:
        for row in table.select(["source", "status", "drops", "report"]).to_pylist():
            if row["status"] == KEPT:
                kept += 1
            if row["drops"]:
                counted = json.loads(row["drops"])
                (skipped if row["status"] == TALLY_STATUS else drops).update(counted)
            if row["report"] is not None:
                rules.add_report(pickle.loads(row["report"]), row["source"])
    return kept, drops, skipped, rules


class _Steps:
    """The run's steps as they end: their times (when asked for), and a progress bar over
    the steps after cleaning, on a terminal (Ray Data shows its own while cleaning)."""

    def __init__(self, shown: bool, timings: dict[str, float] | None) -> None:
        self.shown = shown
        self.timings = timings
        self.bar: Any = None
        self.last = time.perf_counter()

    def start(self, total: int) -> None:
        if self.shown:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc="placing", unit="step")

    def done(self, name: str) -> None:
        now = time.perf_counter()
        if self.timings is not None:
            self.timings[name] = self.timings.get(name, 0.0) + now - self.last
        self.last = now
        if self.bar is not None:
            self.bar.update()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
