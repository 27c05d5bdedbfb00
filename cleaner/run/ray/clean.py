"""The cleaning map on Ray Data: inputs as rows, WARC files opened on the workers, each
item read, cleaned and fingerprinted by the local engine's `Work`.

    driver: walk the inputs ──▶ item rows, spooled ──▶ blocks in the object store
    tasks:  a WARC file's records become capture rows (expand)
    tasks:  Work on a block of items at a time ──▶ outcome rows, in input order

Every input has a position: its number among the inputs times 2**32, plus the record's
number for the records of a WARC file. Positions order the rows as the local engine
orders its inputs, so that everything after (clusters, names, the manifest) can be
decided from them alone.
"""
from __future__ import annotations

import json
import os
import pickle
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import ray

from ...dedup.sketch import Sketch
from ...document import Capture
from ...siterules.rulebook import default_rulebook
from ...sources import CaptureFile, Failed, Item, WarcFile, iter_sources, warc_items
from ...sources.files import source_name
from ..local import crashed as died
from ..outcome import KEPT, Outcome
from ..pool import WORKER_DIED
from ..work import Work

# Bits of a position that number the records of one WARC file.
RECORD_BITS = 32
# Kinds of item rows.
FILE, WARC, FAILED, CAPTURE, TALLY = "file", "warc", "failed", "capture", "tally"
# Status of a row that counts a WARC file's skipped records and is no input itself.
TALLY_STATUS = "tally"
# Items per block (a cleaning task, an outcome block), at least and at most: a run
# small enough gets BLOCKS_PER_WORKER blocks per worker, for the work to spread evenly;
# a large one blocks of MAX_BLOCK items (0.1-1 minute of cleaning, about 5 MB of
# articles), so that 100 million inputs make 100,000 blocks, not millions of objects.
MIN_BLOCK = 16
MAX_BLOCK = 1024
BLOCKS_PER_WORKER = 8
# Item rows written to the driver's spool at a time.
SPOOL_BATCH = 4096
# Captures of a WARC file per expanded batch.
EXPAND_BATCH = 64

# An item's path as the bytes the file system names it by (os.fsencode): a name that
# is not UTF-8 is a str with lone surrogates, which an Arrow string cannot hold.
ITEM_SCHEMA = pa.schema([
    ("pos", pa.int64()), ("kind", pa.string()), ("path", pa.binary()),
    ("status", pa.string()), ("reason", pa.string()), ("capture", pa.binary()),
    ("skipped", pa.string()),
])
OUTCOME_SCHEMA = pa.schema([
    ("pos", pa.int64()), ("source", pa.string()), ("status", pa.string()),
    ("reason", pa.string()), ("site", pa.string()), ("drops", pa.string()),
    ("record", pa.binary()), ("words", pa.int64()), ("exact", pa.binary()),
    ("signature", pa.binary()), ("bands", pa.binary()), ("samples", pa.binary()),
    ("shingles", pa.int64()), ("warnings", pa.string()), ("report", pa.binary()),
    ("page_type", pa.string()),
])


def item_rows(inputs: Iterable[str | Path]) -> Iterator[dict[str, Any]]:
    """The inputs as item rows, walked lazily."""
    for number, found in enumerate(iter_sources(inputs)):
        pos = number << RECORD_BITS
        if isinstance(found, Failed):
            yield {"pos": pos, "kind": FAILED, "path": os.fsencode(found.source),
                   "status": found.status, "reason": found.reason}
        else:
            yield {"pos": pos, "kind": WARC if isinstance(found, WarcFile) else FILE,
                   "path": os.fsencode(found.path)}


class ItemSpool:
    """The item rows of a run, kept in a temporary file on the driver's disk until their
    number is known and they can be cut into blocks of the right size."""

    def __init__(self, rows: Iterable[dict[str, Any]]) -> None:
        self.file = tempfile.TemporaryFile(prefix="cleaner-items-")  # noqa: SIM115
        self.count = 0
        self.warcs = 0  # WARC files among the rows: without any, nothing is expanded
        with pa.ipc.new_stream(self.file, ITEM_SCHEMA) as writer:
            for chunk in _chunks(rows, SPOOL_BATCH):
                writer.write_table(pa.Table.from_pylist(chunk, schema=ITEM_SCHEMA))
                self.count += len(chunk)
                self.warcs += sum(row["kind"] == WARC for row in chunk)

    def blocks(self, size: int) -> Iterator[pa.Table]:
        """The rows again, in tables of `size` rows (the last one shorter)."""
        self.file.seek(0)
        waiting: list[pa.RecordBatch] = []
        held = 0
        for batch in pa.ipc.open_stream(self.file):
            waiting.append(batch)
            held += batch.num_rows
            while held >= size:
                table = pa.Table.from_batches(waiting).combine_chunks()
                yield table.slice(0, size)
                rest = table.slice(size)
                waiting, held = rest.to_batches(), rest.num_rows
        if held:
            yield pa.Table.from_batches(waiting, schema=ITEM_SCHEMA).combine_chunks()

    def close(self) -> None:
        self.file.close()


def _chunks(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def expand(batch: pa.Table, max_bytes: int | None) -> Iterator[pa.Table]:
    """Item rows with each WARC file replaced by its records' capture rows (read here, on
    a worker; a record over `max_bytes` an error row), then a tally row counting the
    records skipped, when there were any."""
    kept: list[dict[str, Any]] = []
    for row in batch.to_pylist():
        if row["kind"] != WARC:
            kept.append(row)
            continue
        skipped: Counter = Counter()
        base = row["pos"]
        for number, item in enumerate(warc_items(WarcFile(os.fsdecode(row["path"])), skipped, max_bytes)):
            if isinstance(item, Failed):
                kept.append({"pos": base + number, "kind": FAILED, "path": os.fsencode(item.source),
                             "status": item.status, "reason": item.reason})
            else:
                kept.append({"pos": base + number, "kind": CAPTURE,
                             "path": os.fsencode(item.source),
                             "capture": pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)})
            if len(kept) >= EXPAND_BATCH:
                yield pa.Table.from_pylist(kept, schema=ITEM_SCHEMA)
                kept = []
        if skipped:
            kept.append({"pos": base + (1 << RECORD_BITS) - 1, "kind": TALLY,
                         "path": row["path"], "skipped": json.dumps(dict(skipped))})
    if kept:
        yield pa.Table.from_pylist(kept, schema=ITEM_SCHEMA)


def row_item(row: dict[str, Any]) -> Item:
    kind = row["kind"]
    if kind == FILE:
        return CaptureFile(os.fsdecode(row["path"]))
    if kind == CAPTURE:
        capture: Capture = pickle.loads(row["capture"])
        return capture
    return Failed(os.fsdecode(row["path"]), row["reason"], row["status"])


@ray.remote(num_cpus=1)
def warm_up(default_rules: bool) -> None:
    """Make a worker process ready to clean before the first block reaches it: submitted
    as the run starts, this runs while the driver still walks the inputs. Ray Data's
    first use in a process imports it (about a second on a 2-core machine: its first
    `from_arrow_refs` waited that long for a worker to do so), and the bundled rules are
    loaded once per process when the run uses them (`default_rules`). Importing this
    module has imported the cleaning code already."""
    import ray.data  # noqa: F401 - what the first Ray Data task would import

    if default_rules:
        default_rulebook()


@ray.remote(num_cpus=0)
class Ledger:
    """Which batches of items died with their worker, and at which item: Ray retries a
    batch whose worker died; the second attempt cleans it item by item, marking each
    here first, so that the third knows which item killed the second and records it as
    an error line, as the local engine does, instead of dying on it again."""

    def __init__(self) -> None:
        self.attempts: dict[int, int] = {}
        self.marks: dict[int, int] = {}
        self.crashed: dict[int, list[int]] = {}

    def begin(self, batch: int) -> tuple[int, list[int]]:
        """(this attempt's number, the items that killed earlier attempts) of a batch."""
        if batch in self.marks:
            self.crashed.setdefault(batch, []).append(self.marks.pop(batch))
        self.attempts[batch] = self.attempts.get(batch, 0) + 1
        return self.attempts[batch], self.crashed.get(batch, [])

    def mark(self, batch: int, item: int) -> None:
        self.marks[batch] = item

    def done(self, batch: int) -> None:
        for known in (self.attempts, self.marks, self.crashed):
            known.pop(batch, None)


def clean_items(batch: pa.Table, work: Work, cwd: str | None, ledger: Any) -> pa.Table:
    """The outcome rows of a batch of item rows: the local engine's `work` on them (a
    task on a Ray worker). Relative input paths are resolved against the folder cleaner
    was started in (`cwd`) when it exists where the worker runs: on this machine, or on
    a cluster that shares it."""
    if cwd and os.path.isdir(cwd):
        os.chdir(cwd)
    rows = batch.to_pylist()
    todo = [i for i, row in enumerate(rows) if row["kind"] != TALLY]
    items = [row_item(rows[i]) for i in todo]
    name = rows[0]["pos"] if rows else 0
    attempt, crashed = ray.get(ledger.begin.remote(name))
    if attempt == 1:
        done = work(items)
    else:
        done = []
        for i, item in zip(todo, items, strict=True):
            if rows[i]["pos"] in crashed:
                done.append(died(item, WORKER_DIED))
                continue
            ray.get(ledger.mark.remote(name, rows[i]["pos"]))
            done.extend(work([item]))
    work.close()
    ledger.done.remote(name)
    outcomes = dict(zip(todo, done, strict=True))
    out = []
    for i, row in enumerate(rows):
        outcome = outcomes.get(i)
        if outcome is None:
            out.append({"pos": row["pos"], "source": source_name(os.fsdecode(row["path"])),
                        "status": TALLY_STATUS,
                        "drops": row["skipped"]})
        else:
            out.append(outcome_row(row["pos"], outcome))
    return pa.Table.from_pylist(out, schema=OUTCOME_SCHEMA)


def outcome_row(pos: int, outcome: Outcome) -> dict[str, Any]:
    """An Outcome as a row; a kept capture's fingerprint as bytes (NumPy's, little-endian)."""
    row: dict[str, Any] = {
        "pos": pos, "source": outcome.source, "status": outcome.status,
        "reason": outcome.reason, "site": outcome.site,
        "drops": json.dumps(dict(outcome.drops)) if outcome.drops else None,
        "warnings": json.dumps(list(outcome.warnings)) if outcome.warnings else None,
        "report": None if outcome.rule_report is None else pickle.dumps(
            outcome.rule_report, protocol=pickle.HIGHEST_PROTOCOL),
        "page_type": outcome.page_type,
    }
    if outcome.status == KEPT:
        row["record"] = outcome.record
        row["words"] = outcome.words
        sketch = outcome.sketch
        if sketch is not None:
            row.update(
                exact=bytes.fromhex(sketch.exact),
                signature=np.ascontiguousarray(sketch.signature, dtype="<u4").tobytes(),
                bands=np.asarray(sketch.bands, dtype="<i8").tobytes(),
                samples=np.asarray(sketch.samples, dtype="<i8").tobytes(),
                shingles=sketch.shingles,
            )
    return row


def row_sketch(row: dict[str, Any]) -> Sketch:
    """The Sketch of a kept row again (for tests and checks)."""
    return Sketch(
        row["exact"].hex(), np.frombuffer(row["signature"], dtype="<u4"), row["shingles"],
        np.frombuffer(row["bands"], dtype="<i8").tolist(),
        np.frombuffer(row["samples"], dtype="<i8").tolist(),
    )


def block_size(count: int, workers: int) -> int:
    """Items per block for a run of `count` inputs on `workers` workers."""
    return max(MIN_BLOCK, min(MAX_BLOCK, count // (BLOCKS_PER_WORKER * workers) or 1))
