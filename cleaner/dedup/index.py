"""Deduplication of articles: exact, near-duplicate and contained bodies, against a lasting index.

>>> dedup = Deduplicator("dedup.sqlite")           # or Deduplicator() for memory only
>>> dedup.seen(article, key="2023/01/12/us-japan")  # None the first time: now registered
>>> dedup.seen(recapture, key="2023/01/13/us-japan")
Match(key='2023/01/12/us-japan', kind='near', similarity=0.91, containment=0.95)

What counts as a duplicate of an earlier body (canonical words: NFKC, case-folded,
punctuation and whitespace ignored; shingles: 5 consecutive canonical words):

- `exact`: the same canonical words (SHA-256 of the word sequence).
- `near`: estimated Jaccard similarity of the shingle sets >= `threshold`.
- `contained`: the new body is the shorter, and >= `containment` of its shingles are
  in the earlier one (a truncated re-crawl, a teaser of the full text).
- `contains`: the same with roles swapped (the full text arrives after its teaser);
  the caller decides which to keep, e.g. the longer.

Candidates come from MinHash LSH (bands of the signature) and from shared sampled
shingles (one in 16, a mod-m sketch: all samples of a contained body are samples of the
longer one), which find teasers and truncations that LSH misses when lengths differ a
lot; every candidate is then checked on its estimates, so the indexes only propose.
See dedup_sketch for the fingerprints.

Bodies with no words never match and are never registered. Fingerprints use no salted
hash and no global random state: the same body gives the same fingerprint in every
process, so results are identical across runs (tests/test_dedup.py pins the values).

Threads and processes: a Deduplicator is not thread-safe; use one per thread (with a
state file, SQLite refuses a connection used from another thread). Several processes
may share one state file (on a local disk: WAL mode): SQLite serialises their writes,
each lookup reads what others committed, and `seen` checks and registers in one
transaction holding the write lock, so two processes cannot both register one body as
new. An in-memory Deduplicator is private to its process.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any, Protocol, Self

from .sketch import Layout, Sketch, Sketcher, containment, jaccard
from .store import DuplicateKeyError, MemoryStore, SQLiteStore, StateError

__all__ = [
    "DEFAULT_CONTAINMENT", "DEFAULT_THRESHOLD", "Deduplicator", "DuplicateKeyError", "Match",
    "StateError", "cluster",
]

# Estimated Jaccard similarity of 5-word shingle sets at or above which two bodies are
# the same article. Measured (bench/dedup_quality.py, 949 devset pages): two captures of
# one page score a median 0.89 (HTML vs text) to 0.97 (text vs re-capture with other
# boilerplate); the most similar capture of another page scores 0.04 at the 99th
# percentile, and the two outlets' articles on one meeting (seeds 000/001) 0.03. Recall
# and precision are flat from 0.6 to 0.85, so the value is set by the estimate's noise:
# with 128 bins its standard error is ~0.035 at 0.8, so 0.7 keeps pairs of true
# similarity 0.8 (the usual news setting) with > 99 % probability where 0.8 would keep
# half of them. The LSH bands (32 x 4) propose pairs of 0.7 with probability > 0.999.
DEFAULT_THRESHOLD = 0.7
# Share of the shorter body's shingles found in the longer one at or above which the
# shorter is the same article cut short. Measured on 300 devset pages: 0.7 merged two
# distinct pages (precision 0.990), 0.8 none; 0.9 lost 4 points of recall, because the
# estimate's standard error is ~0.05-0.1.
DEFAULT_CONTAINMENT = 0.8
# A shorter body needs this many distinct shingles to be judged contained: shorter
# snippets ("Read more", a one-line teaser) say too little to call a duplicate.
MIN_CONTAINED_SHINGLES = 20
# With this many samples in the shorter body, containment is estimated from shared
# samples (standard error <= ~0.1 at 0.8), which beats the estimate derived from
# the Jaccard similarity once the lengths differ by more than about two to one.
MIN_SAMPLES = 16
# Kinds of match, from the strongest.
EXACT, NEAR, CONTAINED, CONTAINS = "exact", "near", "contained", "contains"
_RANK = {EXACT: 0, NEAR: 1, CONTAINED: 2, CONTAINS: 2}
# Items fingerprinted together by `cluster`.
CLUSTER_CHUNK = 1000
# Payload fields taken from an Article's metadata when one is registered.
ARTICLE_PAYLOAD = ("url", "title", "site", "published", "sha256")


class HasBody(Protocol):
    body: str


@dataclass(frozen=True, slots=True)
class Match:
    """An earlier document that a body duplicates.

    `similarity` is the estimated Jaccard similarity of the shingle sets (1.0 for an
    exact match); `containment` the estimated share of the shorter body's shingles
    found in the longer one.
    """

    key: str
    kind: str
    similarity: float
    containment: float


class Deduplicator:
    """An index of registered bodies that tells whether a new body duplicates one of them.

    `state`: None keeps the index in memory; a path keeps it in that SQLite file
    (created if missing), so later runs check against earlier ones. `threshold` and
    `containment` are decision thresholds and may change between runs; `num_perm`,
    `bands` and `shingle` shape the stored index and must match an existing state
    (leave them None to use the state's, or the defaults for a new one).

    Raises StateError if the file is not a dedup state, is damaged, was written by a
    newer cleaner, or was built with other index parameters.
    """

    def __init__(
        self,
        state: str | Path | None = None,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        containment: float = DEFAULT_CONTAINMENT,
        num_perm: int | None = None,
        bands: int | None = None,
        shingle: int | None = None,
    ) -> None:
        if not 0.0 < threshold <= 1.0 or not 0.0 < containment <= 1.0:
            raise ValueError("threshold and containment must be in (0, 1]")
        asked = None
        if (num_perm, bands, shingle) != (None, None, None):
            base = Layout()
            asked = Layout(
                num_perm=num_perm or base.num_perm,
                bands=bands or base.bands,
                shingle=shingle or base.shingle,
            )
        if state is None:
            self.store: MemoryStore | SQLiteStore = MemoryStore(asked or Layout())
        else:
            self.store = SQLiteStore(state, asked)
        self.threshold = threshold
        self.containment = containment
        self.sketcher = Sketcher(self.store.layout)

    @property
    def layout(self) -> Layout:
        return self.store.layout

    def seen(
        self, item: HasBody | str, key: str, payload: dict[str, Any] | None = None
    ) -> Match | None:
        """The best match of `item` among registered documents; if there is none,
        register `item` under `key` (with `payload`) and return None.

        A crawler calls this once per item. Check and registration are one transaction.
        """
        return self._seen(self.sketch(item), item, key, payload)

    def seen_many(
        self,
        items: Sequence[HasBody | str],
        keys: Sequence[str],
        payloads: Sequence[dict[str, Any] | None] | None = None,
    ) -> list[Match | None]:
        """`seen` for each item in order (later items are checked against earlier ones),
        with the fingerprints computed together and one transaction: about twice as
        fast as a loop of `seen` (bench/dedup_speed.py)."""
        if len(keys) != len(items) or (payloads is not None and len(payloads) != len(items)):
            raise ValueError("items, keys and payloads differ in length")
        sketches = self.sketcher.sketch_many([body_of(item) for item in items])
        with self.store.transaction():
            return [
                self._seen(sk, item, key, payloads[i] if payloads else None)
                for i, (sk, item, key) in enumerate(zip(sketches, items, keys))
            ]

    def _seen(
        self, sk: Sketch, item: HasBody | str, key: str, payload: dict[str, Any] | None
    ) -> Match | None:
        with self.store.transaction():
            found = self._matches(sk)
            if found:
                return found[0]
            self._add(key, sk, item, payload)
        return None

    def find(
        self, item: HasBody | str, *, sketch: Sketch | None = None, before: int | None = None
    ) -> Match | None:
        """The best match of `item` among registered documents, or None; registers nothing.

        `sketch` is the item's fingerprint when the caller has it already (`sketch`,
        `sketch_many`): fingerprinting is most of the cost of a lookup. `before`, a
        `mark()`, leaves out the documents registered since it was taken.
        """
        found = self._matches(sketch or self.sketch(item), before)
        return found[0] if found else None

    def mark(self) -> int:
        """A point in the index's history, for `find(..., before=mark)`."""
        return self.store.mark()

    def add_many(self, entries: Sequence[tuple[str, Sketch, dict[str, Any]]]) -> None:
        """Register many (key, sketch, payload) at once, as `add` would one by one (in one
        transaction, with far fewer writes to a state file). Raises DuplicateKeyError if
        a key is taken; then nothing is registered."""
        with self.store.transaction():
            self.store.add_many([(key, sk, payload) for key, sk, payload in entries if not sk.empty])

    def matches(self, item: HasBody | str) -> list[Match]:
        """Every registered document `item` duplicates, best first; registers nothing."""
        return self._matches(self.sketch(item))

    def add(
        self, item: HasBody | str, key: str, payload: dict[str, Any] | None = None,
        *, sketch: Sketch | None = None,
    ) -> None:
        """Register `item` under `key` whatever it matches. Raises DuplicateKeyError if
        `key` is taken. `sketch` as for `find`."""
        with self.store.transaction():
            self._add(key, sketch or self.sketch(item), item, payload)

    def payload(self, key: str) -> dict[str, Any] | None:
        """The payload registered with `key` (source, url, title... of an Article), or None."""
        return self.store.payload(key)

    def processed(self, source: str, content_hash: str) -> dict[str, Any] | None:
        """The manifest line recorded for capture `source` with this content hash, or None
        when it was not processed (or the capture changed since)."""
        return self.store.processed(source, content_hash)

    def any_processed(self) -> bool:
        """Whether any capture is recorded as processed (a new state records none)."""
        return self.store.any_processed()

    def mark_processed(self, source: str, content_hash: str, row: dict[str, Any]) -> None:
        """Record capture `source` (with its content hash) as processed, with its manifest
        line, for resuming."""
        self.store.mark_processed_many([(source, content_hash, row)])

    def mark_processed_many(self, rows: list[tuple[str, str, dict[str, Any]]]) -> None:
        """`mark_processed` for many captures (source, content hash, manifest line) at once."""
        self.store.mark_processed_many(rows)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes: all of them are kept, or none if the block raises.

        Also makes a batch of writes much faster on an SQLite state.
        """
        with self.store.transaction():
            yield

    def sketch(self, item: HasBody | str) -> Sketch:
        """The fingerprint of a body or Article."""
        return self.sketcher.sketch(body_of(item))

    def close(self) -> None:
        """Close the state file (nothing to do in memory)."""
        self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __len__(self) -> int:
        return len(self.store)

    def __contains__(self, key: str) -> bool:
        return self.store.has_key(key)

    def _add(self, key: str, sk: Sketch, item: HasBody | str, payload: dict[str, Any] | None) -> None:
        if sk.empty:
            return
        self.store.add(key, sk, {**item_payload(item), **(payload or {})})

    def _matches(self, sk: Sketch, before: int | None = None) -> list[Match]:
        if sk.empty:
            return []
        exact, near, informative = self.store.candidates(sk)
        if before is not None:
            exact = [doc for doc in exact if doc < before]
            near = {doc: n for doc, n in near.items() if doc < before}
        found = []
        if exact:
            found = [Match(key, EXACT, 1.0, 1.0) for key in self.store.records(exact)[0]]
            for doc in exact:
                near.pop(doc, None)
        if near:
            ids = sorted(near)
            keys, sigs, sizes, samples = self.store.records(ids)
            sims = jaccard(sk.signature, sigs).tolist()
            for doc, key, sim, size, count in zip(ids, keys, sims, sizes, samples):
                share = self._containment(sk, sim, size, (informative, count), near[doc])
                match = self._judge(key, sim, share, sk.shingles, size)
                if match:
                    found.append(match)
        if len(found) > 1:
            found.sort(key=lambda m: (_RANK[m.kind], -m.similarity, -m.containment, m.key))
        return found

    @staticmethod
    def _containment(
        sk: Sketch, sim: float, size: int, samples: tuple[int, int], shared: int
    ) -> float:
        """Estimated share of the shorter body's shingles found in the longer one (see
        `estimate_containment`); `samples` are the query's and the other's sample counts."""
        return estimate_containment(sim, sk.shingles, size, samples[0], samples[1], shared)

    def _judge(self, key: str, sim: float, share: float, size: int, other: int) -> Match | None:
        """The match with registered document `key`, if the estimates make it one."""
        kind = match_kind(sim, share, size, other, self.threshold, self.containment)
        return None if kind is None else Match(key, kind, sim, share)


def estimate_containment(
    sim: float, size: int, other: int, samples: int, other_samples: int, shared: int
) -> float:
    """Estimated share of the shorter body's shingles found in the longer one.

    From the shared samples (of the query, `size` shingles and `samples` samples, and of
    the other; common samples left out) when the shorter body has at least MIN_SAMPLES,
    else from the Jaccard estimate `sim` and the sizes.
    """
    fewer = samples if size <= other else other_samples
    if fewer >= MIN_SAMPLES:
        return min(1.0, shared / fewer)
    return containment(sim, size, other)


def match_kind(
    sim: float, share: float, size: int, other: int, threshold: float, contained: float
) -> str | None:
    """NEAR, CONTAINED (the query of `size` shingles is the shorter), CONTAINS, or None:
    the one rule every placer judges a candidate pair by."""
    if sim >= threshold:
        return NEAR
    if share >= contained and min(size, other) >= MIN_CONTAINED_SHINGLES:
        return CONTAINED if size <= other else CONTAINS
    return None


def body_of(item: HasBody | str) -> str:
    """The body of an Article, or the string itself."""
    return item if isinstance(item, str) else item.body


def item_payload(item: HasBody | str) -> dict[str, Any]:
    """What is remembered of an Article: its source and a few metadata fields."""
    if isinstance(item, str):
        return {}
    meta = getattr(item, "meta", {}) or {}
    payload = {name: meta[name] for name in ARTICLE_PAYLOAD if meta.get(name) is not None}
    source = getattr(item, "source", None)
    if source and source != "<memory>":
        payload["source"] = source
    return payload


def cluster(
    items: Iterable[tuple[str, HasBody | str]],
    dedup: Deduplicator | None = None,
    sketches: Iterable[Sketch] | None = None,
) -> list[list[str]]:
    """Group `(key, item)` pairs into clusters of duplicates, in input order.

    Each item joins the cluster of its best match among the items before it (and, with
    `dedup`, the documents already in that index, whose keys then appear in the
    clusters); an item matching nothing starts a cluster. Every item is registered in
    `dedup` (a fresh in-memory one by default). Joining the best match only, not every
    match, keeps one borderline item from chaining two clusters together. `sketches`, when
    given, are the items' fingerprints, in order (see `Deduplicator.find`).
    """
    dedup = dedup if dedup is not None else Deduplicator()
    leader: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    pending = iter(items)
    known = iter(sketches) if sketches is not None else None
    with dedup.transaction():
        while chunk := list(islice(pending, CLUSTER_CHUNK)):
            if known is not None:
                chunk_sketches = list(islice(known, len(chunk)))
            else:
                chunk_sketches = dedup.sketcher.sketch_many([body_of(item) for _, item in chunk])
            for (key, item), sk in zip(chunk, chunk_sketches, strict=True):
                found = dedup._matches(sk)
                if not found:
                    head = key
                elif found[0].key in leader:
                    head = leader[found[0].key]
                else:  # a document indexed before this batch
                    head = leader[found[0].key] = found[0].key
                    members[head] = [head]
                leader[key] = head
                members.setdefault(head, []).append(key)
                dedup._add(key, sk, item, None)
    return list(members.values())
