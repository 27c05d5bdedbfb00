"""Where the dedup index lives: in memory, or in an SQLite file that survives across runs.

Both stores keep, per registered document: its key, exact hash, signature, distinct
shingle count, sample count and a small JSON payload; LSH band keys and sampled shingles
point at documents; and the set of processed capture sources. The Deduplicator asks them for candidates and
records; it never sees how they are stored.
"""
from __future__ import annotations

import functools
import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import asdict
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from ..errors import CleanerError
from .sketch import Layout, Sketch

# Version of the SQLite layout; bump on any incompatible change. A file with a higher
# number was written by a newer cleaner and is refused rather than misread.
# Format 2 keeps the manifest line of each processed capture, so that a rerun gives it
# again without cleaning the capture; a format 1 state is upgraded in place on opening.
STATE_FORMAT = 2
STATE_APP = "cleaner-dedup"
# How long a writer waits for another process holding the write lock, in seconds.
BUSY_TIMEOUT = 30.0
# WAL lets readers in other processes go on while one writes; with it, synchronous=NORMAL
# keeps the file consistent through crashes (a power cut may lose the last commits).
# Band and sample rows land at random places in their B-trees: a larger page cache
# (64 MB) keeps inserts from re-reading pages.
PRAGMAS = ("PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA cache_size = -65536")
# SQLite caps the number of bound parameters per statement; query ids in chunks.
SQL_CHUNK = 500
# Index rows made into Python tuples at a time (see `sorted_pairs`).
PAIR_CHUNK = 8192
# A document is a candidate through samples when it shares at least this many with the
# query: one shared shingle is too common an accident to be worth a look.
MIN_SHARED_SAMPLES = 2
# A sample found in more documents than this is a stock phrase ("said in a statement
# on"), not evidence: it is dropped from the index and ignored from then on. Without
# this cap each lookup would walk ever longer lists and a run would grow quadratically.
MAX_SAMPLE_DOCS = 100
# Marks a dropped sample in the in-memory index.
COMMON = -1


T = TypeVar("T")


class StateError(CleanerError):
    """A dedup state file cannot be used: not ours, corrupt, newer, or another layout."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        # as made, not from `args` (one string): it crosses from the index writer process
        return type(self), (self.path, self.problem)


class DuplicateKeyError(CleanerError, KeyError):
    """A key is registered twice."""

    def __str__(self) -> str:
        return f"key already registered: {self.args[0]!r}"


class MemoryStore:
    """The index in process memory: dicts for lookups, one NumPy array of signatures."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.keys: list[str] = []
        self.ids: dict[str, int] = {}
        self.shingles: list[int] = []
        self.sample_counts: list[int] = []
        self.payloads: list[dict[str, Any]] = []
        self.signatures = np.empty((1024, layout.num_perm), dtype=np.uint32)
        self.exact: dict[str, int | list[int]] = {}
        # band key or sample -> id, or list of ids once a second document shares it
        self.bands: dict[int, int | list[int]] = {}
        self.samples: dict[int, int | list[int]] = {}
        self.done: dict[tuple[str, str], dict[str, Any]] = {}

    def __len__(self) -> int:
        return len(self.keys)

    def has_key(self, key: str) -> bool:
        return key in self.ids

    def mark(self) -> int:
        return len(self.keys)

    def add_many(self, entries: list[tuple[str, Sketch, dict[str, Any]]]) -> None:
        for key, sk, payload in entries:
            self.add(key, sk, payload)

    def add(self, key: str, sk: Sketch, payload: dict[str, Any]) -> None:
        if key in self.ids:
            raise DuplicateKeyError(key)
        doc = len(self.keys)
        if doc == len(self.signatures):
            self.signatures = np.concatenate([self.signatures, np.empty_like(self.signatures)])
        self.signatures[doc] = sk.signature
        self.keys.append(key)
        self.ids[key] = doc
        self.shingles.append(sk.shingles)
        self.payloads.append(payload)
        post(self.exact, [sk.exact], doc)
        post(self.bands, sk.bands, doc)
        self.sample_counts.append(post(self.samples, sk.samples, doc, MAX_SAMPLE_DOCS))

    def candidates(self, sk: Sketch) -> tuple[list[int], dict[int, int], int]:
        """(ids with the same exact hash, {id sharing a band or samples: samples shared},
        how many of the query's samples are not common)."""
        hits: list[int] = []
        common = 0
        get = self.samples.get
        for sample in sk.samples:
            found = get(sample)
            if found is None:
                continue
            if type(found) is list:
                hits.extend(found)
            elif found == COMMON:
                common += 1
            else:
                hits.append(found)
        shared = Counter(hits)
        near = {doc: n for doc, n in shared.items() if n >= MIN_SHARED_SAMPLES}
        get = self.bands.get
        for band in sk.bands:
            found = get(band)
            for doc in found if type(found) is list else () if found is None else (found,):
                near.setdefault(doc, shared[doc])
        exact = self.exact.get(sk.exact)
        same = [] if exact is None else exact if type(exact) is list else [exact]
        return same, near, len(sk.samples) - common

    def records(self, ids: list[int]) -> tuple[list[str], np.ndarray, list[int], list[int]]:
        """Keys, signatures, shingle counts and sample counts of documents `ids`."""
        return (
            [self.keys[i] for i in ids],
            self.signatures[ids],
            [self.shingles[i] for i in ids],
            [self.sample_counts[i] for i in ids],
        )

    def payload(self, key: str) -> dict[str, Any] | None:
        doc = self.ids.get(key)
        return None if doc is None else self.payloads[doc]

    def processed(self, source: str, content_hash: str) -> dict[str, Any] | None:
        return self.done.get((source, content_hash))

    def any_processed(self) -> bool:
        return bool(self.done)

    def mark_processed_many(self, rows: list[tuple[str, str, dict[str, Any]]]) -> None:
        for source, content_hash, row in rows:
            self.done[(source, content_hash)] = row

    def transaction(self) -> AbstractContextManager[None]:
        return _NO_TRANSACTION

    def close(self) -> None:
        pass


_NO_TRANSACTION = nullcontext()


def post(index: dict[Any, int | list[int]], keys: list[Any], doc: int, cap: int = 0) -> int:
    """Record that `doc` has each of `keys` and return how many were recorded. A lone id
    is kept bare, to save memory; with `cap`, a key held by more than `cap` documents
    is replaced by COMMON and no longer recorded."""
    kept = 0
    get = index.get
    for key in keys:
        found = get(key)
        if found is None:
            index[key] = doc
        elif type(found) is list:
            if cap and len(found) >= cap:
                index[key] = COMMON
                continue
            found.append(doc)
        elif found == COMMON:
            continue
        else:
            index[key] = [found, doc]
        kept += 1
    return kept


SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE docs (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    exact TEXT NOT NULL,
    shingles INTEGER NOT NULL,
    samples INTEGER NOT NULL,
    signature BLOB NOT NULL,
    payload TEXT NOT NULL
);
CREATE INDEX docs_exact ON docs (exact);
CREATE TABLE bands (band INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (band, doc))
    WITHOUT ROWID;
CREATE TABLE samples (sample INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (sample, doc))
    WITHOUT ROWID;
CREATE TABLE common_samples (sample INTEGER PRIMARY KEY);
CREATE TABLE processed (
    source TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    at TEXT NOT NULL,
    row TEXT,
    PRIMARY KEY (source, content_hash)
) WITHOUT ROWID;
"""


def guarded(method: Callable[..., T]) -> Callable[..., T]:
    """Turn an SQLite failure inside `method` (a damaged file found late, a lock held
    too long) into StateError naming the file."""

    @functools.wraps(method)
    def run(self: SQLiteStore, *args: Any, **kwargs: Any) -> T:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.IntegrityError:
            raise
        except sqlite3.DatabaseError as err:
            raise StateError(self.path, f"state file failed: {err}") from err

    return run


def sorted_pairs(keys: np.ndarray, docs: np.ndarray) -> Iterator[tuple[int, int]]:
    """(key, doc) rows in the order `sorted` gives them, sorted by NumPy: a batch of
    documents holds tens of thousands of band and sample rows, up to millions. Made as
    they are taken, PAIR_CHUNK at a time: as a list, a batch's rows took hundreds of MB."""
    order = np.lexsort((docs, keys))
    keys, docs = keys[order], docs[order]
    for start in range(0, len(keys), PAIR_CHUNK):
        end = start + PAIR_CHUNK
        yield from zip(keys[start:end].tolist(), docs[start:end].tolist())


def chunks(values: list[int]) -> Iterator[list[int]]:
    """`values` in slices small enough to bind in one SQLite statement."""
    for i in range(0, len(values), SQL_CHUNK):
        yield values[i : i + SQL_CHUNK]


class SQLiteStore:
    """The index in an SQLite file; every lookup reads the file, so other processes'
    committed writes are seen at once.

    Writes happen inside `transaction()`: nested calls join the outer one, and the
    outermost commits on success and rolls back on an exception. The write lock is
    taken when the transaction opens (BEGIN IMMEDIATE), so a check-then-register done
    inside one transaction is atomic across processes.
    """

    def __init__(self, path: str | Path, layout: Layout | None) -> None:
        self.path = str(path)
        self.depth = 0
        try:
            self.db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None)
        except sqlite3.Error as err:
            raise StateError(self.path, f"cannot open: {err}") from err
        try:
            for pragma in PRAGMAS:
                self.db.execute(pragma)
            self.layout = self._open(layout)
        except sqlite3.DatabaseError as err:
            self.db.close()
            raise StateError(self.path, f"not a readable dedup state ({err})") from err
        except StateError:
            self.db.close()
            raise

    def _open(self, wanted: Layout | None) -> Layout:
        """Create the schema in an empty file, or check the one found; return the layout."""
        tables = {row[0] for row in self.db.execute("SELECT name FROM sqlite_master")}
        if not tables:
            layout = wanted or Layout()
            with self.transaction():
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                meta = {"app": STATE_APP, "format": str(STATE_FORMAT), "layout": json.dumps(asdict(layout))}
                self.db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            return layout
        if "meta" not in tables:
            raise StateError(self.path, "an SQLite file, but not a cleaner dedup state")
        meta = dict(self.db.execute("SELECT name, value FROM meta"))
        if meta.get("app") != STATE_APP:
            raise StateError(self.path, "an SQLite file, but not a cleaner dedup state")
        try:
            found = int(meta["format"])
            layout = Layout(**json.loads(meta["layout"]))
        except (KeyError, ValueError, TypeError) as err:
            raise StateError(self.path, f"damaged state metadata ({err})") from err
        if found > STATE_FORMAT:
            raise StateError(
                self.path,
                f"written by a newer cleaner (state format {found}); "
                f"this version reads format {STATE_FORMAT} or older",
            )
        if found < STATE_FORMAT:
            self._upgrade(found)
        if wanted is not None and wanted != layout:
            raise StateError(
                self.path,
                f"index built with {layout}, asked for {wanted}; "
                "use the state's parameters or a new state file",
            )
        return layout

    def _upgrade(self, found: int) -> None:
        """Bring a state of an older format up to this one (format 1 kept no manifest lines)."""
        with self.transaction():
            if found < 2:
                self.db.execute("ALTER TABLE processed ADD COLUMN row TEXT")
            self.db.execute("UPDATE meta SET value = ? WHERE name = 'format'", (str(STATE_FORMAT),))

    @guarded
    def __len__(self) -> int:
        return self.db.execute("SELECT count(*) FROM docs").fetchone()[0]

    @guarded
    def has_key(self, key: str) -> bool:
        return self.db.execute("SELECT 1 FROM docs WHERE key = ?", (key,)).fetchone() is not None

    @guarded
    def mark(self) -> int:
        return self.db.execute("SELECT coalesce(max(id), 0) + 1 FROM docs").fetchone()[0]

    @guarded
    def add_many(self, entries: list[tuple[str, Sketch, dict[str, Any]]]) -> None:
        """`add` for many documents with a few statements: the sampled shingles are
        counted as `_post_samples` would count them one document after the other."""
        if not entries:
            return
        keys = [key for key, _, _ in entries]
        with self.transaction():
            for chunk in range(0, len(keys), SQL_CHUNK):
                part = keys[chunk : chunk + SQL_CHUNK]
                taken = self.db.execute(
                    f"SELECT key FROM docs WHERE key IN ({','.join('?' * len(part))})", part
                ).fetchone()
                if taken is not None:
                    raise DuplicateKeyError(taken[0])
            if len(set(keys)) < len(keys):
                raise DuplicateKeyError(next(k for k in keys if keys.count(k) > 1))
            first = self.mark()
            ids = range(first, first + len(entries))
            rows, turned, kept = self._count_samples(entries, ids)
            self.db.executemany(
                "INSERT INTO docs (id, key, exact, shingles, samples, signature, payload)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(doc, key, sk.exact, sk.shingles, count, sk.signature.astype("<u4").tobytes(),
                  json.dumps(payload, ensure_ascii=False, sort_keys=True))
                 for doc, (key, sk, payload), count in zip(ids, entries, kept)],
            )
            # in key order, rows land beside each other in the B-trees: far fewer pages touched
            counts = [len(sk.bands) for _, sk, _ in entries]
            bands = np.fromiter(chain.from_iterable(sk.bands for _, sk, _ in entries),
                                dtype=np.int64, count=sum(counts))
            self.db.executemany("INSERT OR IGNORE INTO bands VALUES (?, ?)",
                                sorted_pairs(bands, np.repeat(np.asarray(ids), counts)))
            self.db.executemany("INSERT OR IGNORE INTO samples VALUES (?, ?)", rows)
            self.db.executemany("INSERT INTO common_samples VALUES (?)", ((s,) for s in turned))
            self.db.executemany("DELETE FROM samples WHERE sample = ?", ((s,) for s in turned))

    def _count_samples(
        self, entries: list[tuple[str, Sketch, dict[str, Any]]], ids: range
    ) -> tuple[Iterator[tuple[int, int]], list[int], list[int]]:
        """(sample rows to insert, in order, samples turned common, samples indexed per
        document) of documents added in order, as `_post_samples` would count them one by one.

        Counted on arrays (a run's documents hold about 55 samples each): the n-th time a
        sample shows in the batch, it has been indexed for the documents before it plus
        those the file holds (`held`); the time that count reaches MAX_SAMPLE_DOCS, the
        sample turns common, and its rows go (the documents before counted it all the same).
        """
        lengths = [len(sk.samples) for _, sk, _ in entries]
        flat = np.fromiter(chain.from_iterable(sk.samples for _, sk, _ in entries),
                           dtype=np.int64, count=sum(lengths))
        owner = np.repeat(np.arange(len(entries)), lengths)  # each sample's entry
        wanted = np.unique(flat)
        common: set[int] = set()
        held: dict[int, int] = {}
        for chunk in chunks(wanted.tolist()):
            marks = ",".join("?" * len(chunk))
            common.update(row[0] for row in self.db.execute(
                f"SELECT sample FROM common_samples WHERE sample IN ({marks})", chunk))
            held.update(self.db.execute(
                f"SELECT sample, count(*) FROM samples WHERE sample IN ({marks})"
                " GROUP BY sample", chunk))
        if common:
            live = ~np.isin(flat, np.fromiter(common, dtype=np.int64, count=len(common)))
            flat, owner = flat[live], owner[live]
        values, which = np.unique(flat, return_inverse=True)
        room = (MAX_SAMPLE_DOCS - np.array([held.get(v, 0) for v in values.tolist()],
                                           dtype=np.int64))[which]
        # how many times each sample showed before, in input order (a stable sort keeps it)
        order = np.argsort(which, kind="stable")
        starts = np.searchsorted(which[order], which[order])
        seen = np.empty(len(flat), dtype=np.int64)
        seen[order] = np.arange(len(flat)) - starts
        indexed = seen < room
        turning = seen == np.maximum(room, 0)
        turned = flat[turning].tolist()
        gone = np.isin(flat, flat[turning])
        rows_at = indexed & ~gone
        docs = np.asarray(ids, dtype=np.int64)[owner]
        rows = sorted_pairs(flat[rows_at], docs[rows_at])
        kept = np.bincount(owner[indexed], minlength=len(entries)).tolist()
        return rows, turned, kept

    @guarded
    def add(self, key: str, sk: Sketch, payload: dict[str, Any]) -> None:
        with self.transaction():
            try:
                cur = self.db.execute(
                    "INSERT INTO docs (key, exact, shingles, samples, signature, payload)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (key, sk.exact, sk.shingles, len(sk.samples),
                     sk.signature.astype("<u4").tobytes(),
                     json.dumps(payload, ensure_ascii=False, sort_keys=True)),
                )
            except sqlite3.IntegrityError as err:
                raise DuplicateKeyError(key) from err
            doc = cur.lastrowid
            self.db.executemany(
                "INSERT OR IGNORE INTO bands VALUES (?, ?)", ((band, doc) for band in sk.bands)
            )
            kept = self._post_samples(sk.samples, doc)
            self.db.execute("UPDATE docs SET samples = ? WHERE id = ?", (kept, doc))

    def _post_samples(self, samples: list[int], doc: int) -> int:
        """Index `samples` of `doc`, as MemoryStore does: a sample held by more than
        MAX_SAMPLE_DOCS documents moves to common_samples and is no longer indexed.
        Returns how many samples were indexed."""
        kept = 0
        for chunk in chunks(samples):
            marks = ",".join("?" * len(chunk))
            common = {row[0] for row in self.db.execute(
                f"SELECT sample FROM common_samples WHERE sample IN ({marks})", chunk)}
            full = [row[0] for row in self.db.execute(
                f"SELECT sample FROM samples WHERE sample IN ({marks})"
                " GROUP BY sample HAVING count(*) >= ?", [*chunk, MAX_SAMPLE_DOCS])]
            self.db.executemany("INSERT INTO common_samples VALUES (?)", ((s,) for s in full))
            self.db.executemany("DELETE FROM samples WHERE sample = ?", ((s,) for s in full))
            rows = [(s, doc) for s in chunk if s not in common and s not in full]
            self.db.executemany("INSERT OR IGNORE INTO samples VALUES (?, ?)", rows)
            kept += len(rows)
        return kept

    @guarded
    def candidates(self, sk: Sketch) -> tuple[list[int], dict[int, int], int]:
        """(ids with the same exact hash, {id sharing a band or samples: samples shared},
        how many of the query's samples are not common)."""
        exact = [row[0] for row in self.db.execute("SELECT id FROM docs WHERE exact = ?", (sk.exact,))]
        shared: dict[int, int] = {}
        common = 0
        for chunk in chunks(sk.samples):
            marks = ",".join("?" * len(chunk))
            for doc, count in self.db.execute(
                f"SELECT doc, count(*) FROM samples WHERE sample IN ({marks}) GROUP BY doc", chunk
            ):
                shared[doc] = shared.get(doc, 0) + count
            common += self.db.execute(
                f"SELECT count(*) FROM common_samples WHERE sample IN ({marks})", chunk
            ).fetchone()[0]
        near = {doc: n for doc, n in shared.items() if n >= MIN_SHARED_SAMPLES}
        marks = ",".join("?" * len(sk.bands))
        for (doc,) in self.db.execute(f"SELECT doc FROM bands WHERE band IN ({marks})", sk.bands):
            near.setdefault(doc, shared.get(doc, 0))
        return exact, near, len(sk.samples) - common

    @guarded
    def records(self, ids: list[int]) -> tuple[list[str], np.ndarray, list[int], list[int]]:
        """Keys, signatures, shingle counts and sample counts of documents `ids`, in order."""
        found: dict[int, tuple[str, bytes, int, int]] = {}
        for chunk in chunks(ids):
            marks = ",".join("?" * len(chunk))
            for doc, *rest in self.db.execute(
                f"SELECT id, key, signature, shingles, samples FROM docs WHERE id IN ({marks})",
                chunk,
            ):
                found[doc] = tuple(rest)
        rows = [found[i] for i in ids]
        sigs = np.frombuffer(b"".join(r[1] for r in rows), dtype="<u4").reshape(
            len(rows), self.layout.num_perm
        )
        return [r[0] for r in rows], sigs, [r[2] for r in rows], [r[3] for r in rows]

    @guarded
    def payload(self, key: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT payload FROM docs WHERE key = ?", (key,)).fetchone()
        return None if row is None else json.loads(row[0])

    @guarded
    def processed(self, source: str, content_hash: str) -> dict[str, Any] | None:
        return processed_row(self.db, source, content_hash)

    @guarded
    def any_processed(self) -> bool:
        return self.db.execute("SELECT 1 FROM processed LIMIT 1").fetchone() is not None

    @guarded
    def mark_processed_many(self, rows: list[tuple[str, str, dict[str, Any]]]) -> None:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.transaction():
            self.db.executemany(
                "INSERT OR REPLACE INTO processed VALUES (?, ?, ?, ?)",
                [(source, content_hash, now, json.dumps(row, ensure_ascii=False))
                 for source, content_hash, row in rows],
            )

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self.depth:
            # Nested: a savepoint, so a failed inner write (say a duplicate key) is undone
            # alone and the outer transaction can go on.
            name = f"sp{self.depth}"
            self.db.execute(f"SAVEPOINT {name}")
            self.depth += 1
            try:
                yield
            except BaseException:
                self.db.execute(f"ROLLBACK TO {name}")
                raise
            finally:
                self.depth -= 1
                self.db.execute(f"RELEASE {name}")
            return
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as err:
            raise StateError(self.path, f"cannot start a write: {err}") from err
        self.depth = 1
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")
        finally:
            self.depth = 0

    def close(self) -> None:
        self.db.close()


def processed_row(db: sqlite3.Connection, source: str, content_hash: str) -> dict[str, Any] | None:
    """The manifest line recorded for a processed capture, or None."""
    found = db.execute(
        "SELECT row FROM processed WHERE source = ? AND content_hash = ?", (source, content_hash)
    ).fetchone()
    # a format 1 state kept no line: the capture is placed again
    return None if found is None or found[0] is None else json.loads(found[0])


class StateReader:
    """A read-only view of a state file's processed captures, for worker processes: it
    never takes the write lock, so any number of them may read while one process writes.
    A state it cannot read counts as remembering nothing (the writer reports the fault)."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.db: sqlite3.Connection | None = None
        try:
            self.db = sqlite3.connect(
                f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT
            )
        except sqlite3.Error:
            self.db = None

    def processed(self, source: str, content_hash: str) -> dict[str, Any] | None:
        """The manifest line recorded for this capture, or None."""
        if self.db is None:
            return None
        try:
            return processed_row(self.db, source, content_hash)
        except sqlite3.Error:
            return None

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None
