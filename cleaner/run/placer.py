"""The placement policy, and the batch placer that applies it once a run is cleaned.

One policy for every way in (batch, stream, Scrapy, the distributed engine):

- duplicates are judged by `cleaner.dedup` (exact, near, contained; `match_kind`);
- a story already placed by an earlier run (the state's index knows it) keeps its
  article: new captures of it are its duplicates and are added to its `duplicates` list
  (where its format allows);
- among a run's captures of one new story, the canonical is the most complete body (most
  words), then the richest metadata, then the earliest publication date, then the first
  in input order (`canonical_rank`); it takes the metadata it lacks from the others
  (`merge_metadata`) and lists them under `duplicates`.

A batch run applies it to whole clusters once every capture is cleaned (`BatchPlacer`);
a stream decides each item as it comes (`cleaner.run.stream`): there the first capture
of a story is its canonical.
"""
from __future__ import annotations

import pickle
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..dedup import Deduplicator, DuplicateKeyError
from ..dedup.clusters import RunSketches, best_earlier, cluster_roots
from ..errors import CleanerError
from ..sinks import Sinks
from ..sinks.markdown import DUPLICATES
from ..text.safety import safe_text
from ..text.values import web_url
from .outcome import DUPLICATE, DUPLICATE_REASON, ERROR, KEPT, PLACED, WRITTEN, ManifestRow, Outcome
from .spool import Spool
from .work import unpack

# Metadata a canonical article may take from its duplicates when it lacks it.
MERGED_META = ("title", "published", "authors", "url")
# Characters of the body hash added to an index key that an earlier, different body holds.
KEY_HASH_CHARS = 16
# Fields of an article the dedup index remembers with it.
INDEXED_META = ("url", "title", "site", "published", "sha256")


def canonical_rank(meta: Mapping[str, Any], words: int, position: int) -> tuple:
    """Which capture of a story is written: the most complete body, then the richest
    metadata, then the earliest publication, then the first in input order."""
    richness = sum(bool(meta.get(key)) for key in MERGED_META)
    published = str(meta.get("published") or "9999")
    return (words, richness, _invert(published), -position)


def _invert(text: str) -> tuple[int, ...]:
    """A key that sorts strings in reverse, so that max() prefers the earliest date."""
    return tuple(-ord(char) for char in text)


def merge_metadata(
    meta: Mapping[str, Any], others: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """The canonical's metadata with the gaps filled from the others, in their order
    (the canonical's own values win)."""
    merged = dict(meta)
    for other in others:
        for key in MERGED_META:
            if not merged.get(key) and other.get(key):
                merged[key] = other[key]
    return merged


def mergeable(meta: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of a capture's metadata that its story's canonical may take from it."""
    return {key: meta.get(key) for key in MERGED_META}


def article_meta(
    meta: Mapping[str, Any], others: Sequence[tuple[str, Mapping[str, Any]]]
) -> dict[str, Any]:
    """The front matter of a story's article: its canonical's metadata, gaps filled from
    the other captures (source, `mergeable` fields), in input order, and listing them
    under `duplicates`."""
    merged = merge_metadata(meta, [fields for _, fields in others])
    if others:
        merged[DUPLICATES] = [duplicate_entry(source, fields) for source, fields in others]
    return merged


def duplicate_entry(source: str, meta: Mapping[str, Any]) -> dict[str, Any]:
    """How a duplicate is listed in its canonical article's front matter."""
    entry = {"source": source}
    if meta.get("url"):
        entry["url"] = meta["url"]
    return entry


def index_payload(reference: str | None, source: str, meta: Mapping[str, Any]) -> dict[str, Any]:
    """What the dedup index remembers of a placed article: where it is (None for a
    stream's article, which has no file), the capture it came from, a few fields."""
    payload = {key: meta[key] for key in INDEXED_META if meta.get(key) is not None}
    payload.update(article=reference, source=source)
    return payload


class Record:
    """One input as spooled between cleaning and placing."""

    __slots__ = ("content_hash", "draft", "page_type", "reason", "record", "row", "site",
                 "source", "status", "warnings")

    def __init__(self, data: bytes) -> None:
        (self.source, self.status, self.reason, self.site, self.content_hash, row,
         self.record, self.warnings, self.page_type, self.draft) = pickle.loads(data)
        self.row = None if row is None else ManifestRow.from_dict(row)

    @staticmethod
    def pack(outcome: Outcome) -> bytes:
        row = None if outcome.row is None else outcome.row.to_dict()
        return pickle.dumps(
            (outcome.source, outcome.status, outcome.reason, outcome.site, outcome.content_hash,
             row, outcome.record, outcome.warnings, outcome.page_type, outcome.draft),
            protocol=pickle.HIGHEST_PROTOCOL,
        )

    def row_of(self, status: str, article: str | None = None, reason: str | None = None
               ) -> ManifestRow:
        """This input's manifest line."""
        return ManifestRow(self.source, status, article, reason, self.site, self.page_type,
                           self.warnings)

    def article(self) -> tuple[dict[str, Any], str]:
        """(front matter, body) of a kept capture."""
        assert self.record is not None
        return unpack(self.record)


class RunRecords:
    """Everything a batch run keeps of its inputs between cleaning and placing: each
    input's record in the spool (on disk), and in memory its offset there and, for a kept
    capture, its number among the kept ones, its word count and its fingerprint."""

    def __init__(self, spool: Spool, sketches: RunSketches | None) -> None:
        self.spool = spool
        self.sketches = sketches
        self.offsets = array("q")
        self.docs = array("q")  # per input: its number among the kept, or -1
        self.positions = array("q")  # per kept capture: its input position
        self.words = array("q")

    def add(self, outcome: Outcome) -> None:
        self.offsets.append(self.spool.append(Record.pack(outcome)))
        if outcome.status != KEPT:
            self.docs.append(-1)
            return
        self.docs.append(len(self.positions))
        self.positions.append(len(self.offsets) - 1)
        self.words.append(outcome.words)
        if self.sketches is not None:
            assert outcome.sketch is not None
            self.sketches.add(outcome.sketch)

    def __len__(self) -> int:
        return len(self.offsets)

    def record(self, position: int) -> Record:
        return Record(self.spool.read(self.offsets[position]))

    def __iter__(self) -> Iterator[Record]:
        for _, data in self.spool:
            yield Record(data)


class Placed:
    """How a cluster was placed: its article's reference (None when it has none), the
    capture an earlier run wrote it from (None when this run wrote it), its canonical
    member, the error that kept it from being written, and how many members are left."""

    __slots__ = ("canonical", "error", "left", "reference", "written_from")

    def __init__(self, reference: str | None, written_from: str | None = None,
                 canonical: int = -1, error: str | None = None, left: int = 1) -> None:
        self.reference = reference
        self.written_from = written_from
        self.canonical = canonical
        self.error = error
        self.left = left


class BatchPlacer:
    """Places a batch run's captures once all are cleaned, and writes the articles.

    Clusters come from `cleaner.dedup.clusters` (each kept capture joins the cluster of
    its best match before it in the run). A cluster is placed when its first capture is
    reached in input order: as duplicates of the article an earlier run wrote (when the
    index knows the story), else as a new article made of its canonical capture.
    Manifest lines come out in input order.
    """

    def __init__(self, records: RunRecords, sinks: Sinks, index: Deduplicator | None) -> None:
        self.records = records
        self.sinks = sinks
        self.index = index
        self.index_known = index is not None and records.sketches is not None and len(index) > 0
        # the index as it stood before the run: what an earlier run placed
        self.before = index.mark() if self.index_known and index is not None else None
        self.new_entries: list[tuple[str, Any, dict[str, Any]]] = []
        kept = len(records.positions)
        if records.sketches is not None and index is not None:
            parent, _ = best_earlier(records.sketches, index.threshold, index.containment)
            self.roots = cluster_roots(parent)
        else:
            self.roots = np.arange(kept)
        self.groups = _groups(self.roots)
        self.open: dict[int, Placed] = {}

    def rows(self) -> Iterator[tuple[ManifestRow, Record]]:
        """(manifest line, spooled record) of every input, in input order, writing the
        articles as their clusters are reached."""
        for position, record in enumerate(self.records):
            yield self.place(position, record), record

    def place(self, position: int, record: Record) -> ManifestRow:
        if record.status == PLACED:
            assert record.row is not None
            return record.row
        if record.status != KEPT:
            return record.row_of(record.status, None, record.reason)
        doc = self.records.docs[position]
        root = int(self.roots[doc])
        placed = self.open.get(root) or self.place_cluster(root, record)
        placed.left -= 1
        if placed.left > 0:
            self.open[root] = placed
        else:
            self.open.pop(root, None)
        return member_row(record.source, record.row_of, doc, placed)

    def place_cluster(self, root: int, first: Record) -> Placed:
        """Place the cluster whose first member is `first`: write its article, or file its
        members as duplicates of an earlier run's article. Members are read one at a
        time: a story crawled ten thousand times never holds ten thousand bodies."""
        members = self.groups.get(root, [root])
        positions = self.records.positions
        best: tuple[tuple, int, dict[str, Any], str, str] | None = None
        listed: list[tuple[int, str, dict[str, Any]]] = []  # each member's source and metadata
        drafts: list[str] = []
        for doc in members:
            record = first if doc == root else self.records.record(positions[doc])
            meta, body = record.article()
            listed.append((doc, record.source, mergeable(meta)))
            if record.draft is not None:
                drafts.append(record.draft)
            rank = canonical_rank(meta, self.records.words[doc], positions[doc])
            if best is None or rank > best[0]:
                best = (rank, doc, meta, body, record.source)
        assert best is not None
        _, canonical, meta, body, source = best
        # a story of one capture is written as its worker drafted it; of more, the
        # canonical's front matter takes from the others and lists them
        draft = drafts[0] if len(members) == 1 and drafts else None
        try:
            earlier = self.earlier_article(members)
            if earlier is not None:
                reference, written_from = earlier
                entries = [duplicate_entry(src, fields) for _, src, fields in listed
                           if src != written_from]
                if reference is not None and entries:
                    self.sinks.add_duplicates(reference, entries)
                return Placed(reference, written_from, left=len(members))
            meta = article_meta(meta, [(src, fields) for doc, src, fields in listed
                                       if doc != canonical])
            reference = self.sinks.write(meta, body, source, draft)
            if draft is not None:
                drafts.clear()  # moved into place
        except (OSError, CleanerError) as err:
            return Placed(None, error=f"cannot write: {err}", left=len(members))
        finally:
            for unused in drafts:
                Path(unused).unlink(missing_ok=True)
        if self.index is not None and self.records.sketches is not None:
            self.new_entries.append((reference, self.records.sketches.sketch(canonical),
                                     index_payload(reference, source, meta)))
        return Placed(reference, canonical=canonical, left=len(members))

    def settle_writes(self, rows: list[tuple[ManifestRow, Record]]) -> None:
        """Wait for the articles being written; the rows (and open clusters) of those that
        could not be written become errors, and they are not indexed."""
        failed = self.sinks.flush()
        if not failed:
            return
        for n, (row, record) in enumerate(rows):
            if row.article in failed:
                rows[n] = (record.row_of(ERROR, None, f"cannot write: {failed[row.article]}"),
                           record)
        for placed in self.open.values():
            if placed.reference in failed:
                placed.error = f"cannot write: {failed[placed.reference]}"
                placed.reference = None
        self.new_entries = [entry for entry in self.new_entries if entry[0] not in failed]

    def take_entries(self) -> list[tuple[str, Any, dict[str, Any]]]:
        """The index entries (key, sketch, payload) of the articles written since the last
        call (and settled: see `settle_writes`), for the caller to add to the index."""
        entries, self.new_entries = self.new_entries, []
        return entries

    def earlier_article(self, members: list[int]) -> tuple[str | None, str] | None:
        """(reference, source) of the article an earlier run placed for this story, if the
        index knows it: the first member, in input order, that matches one decides."""
        if not self.index_known:
            return None
        assert self.index is not None and self.records.sketches is not None
        for doc in members:
            match = self.index.find("", sketch=self.records.sketches.sketch(doc), before=self.before)
            if match is not None:
                payload = self.index.payload(match.key) or {}
                return payload.get("article"), payload.get("source") or match.key
        return None


def member_row(source: str, row_of: Callable[..., ManifestRow], doc: int,
               placed: Placed) -> ManifestRow:
    """The manifest line of kept capture `doc` (its number among the run's kept captures),
    a member of the story `placed`; `row_of(status, article, reason)` makes its line."""
    if placed.error is not None:
        return row_of(ERROR, None, placed.error)
    if placed.written_from is not None:  # an earlier run's article
        if placed.written_from == source:  # this very capture wrote it
            return row_of(WRITTEN, placed.reference)
        reason = DUPLICATE_REASON if placed.reference else (
            f"duplicate of {placed.written_from}, placed by an earlier run")
        return row_of(DUPLICATE, placed.reference, reason)
    if doc == placed.canonical:
        return row_of(WRITTEN, placed.reference)
    return row_of(DUPLICATE, placed.reference, DUPLICATE_REASON)


def _groups(roots: np.ndarray) -> dict[int, list[int]]:
    """The members of every cluster of two or more, in input order, by first member."""
    order = np.argsort(roots, kind="stable")
    ordered = roots[order]
    starts = np.flatnonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]])) if len(
        roots) else np.zeros(0, np.int64)
    ends = np.append(starts[1:], len(roots))
    return {
        int(ordered[a]): order[a:b].tolist() for a, b in zip(starts.tolist(), ends.tolist())
        if b - a > 1
    }


class OnlinePlacer:
    """Places captures one at a time, in the order they come (a stream, a crawl): each
    gets its decision at once, so the first capture of a story is its canonical, and a
    later capture of it, however complete, is its duplicate.

    Articles are registered in the index under their reference when a sink wrote them,
    else under their URL (else their source), with the start of the body's hash added
    when another body holds that key (a page re-crawled after an edit).
    """

    def __init__(self, index: Deduplicator | None, sinks: Sinks | None = None) -> None:
        self.index = index
        self.sinks = sinks

    def place(
        self, source: str, url: str | None, meta: Mapping[str, Any], body: str
    ) -> tuple[str, str | None, str | None, str | None]:
        """(status, reference, reason, key of the earlier document) of one article.
        Raises OSError or CleanerError when its article cannot be written.

        The check and the registration are one index transaction, so that two processes
        sharing a state file cannot both take one story as new."""
        if self.index is None:
            reference = None if self.sinks is None else self.sinks.write(meta, body, source)
            return WRITTEN, reference, None, None
        sketch = self.index.sketch(body)
        with self.index.transaction():
            match = self.index.find(body, sketch=sketch)
            if match is None:
                reference = None if self.sinks is None else self.sinks.write(meta, body, source)
                # keys from checked values: a crawler's URL may be no URL, and SQLite
                # takes no lone surrogate (a library caller's source may hold one)
                key = reference or web_url(url) or meta.get("url") or safe_text(source)
                self.register(key, sketch, body, index_payload(reference, source, meta))
                return WRITTEN, reference, None, None
        payload = self.index.payload(match.key) or {}
        reference = payload.get("article")
        if reference is not None and self.sinks is not None:
            self.sinks.add_duplicates(reference, [duplicate_entry(source, meta)])
        reason = f"{match.kind} duplicate of {match.key} (similarity {match.similarity:.2f})"
        return DUPLICATE, reference, reason, match.key

    def register(self, key: str, sketch: Any, body: str, payload: dict[str, Any]) -> None:
        """Add the article to the index under `key`, or `key#<hash>` when that is taken."""
        assert self.index is not None
        if key in self.index:
            key = f"{key}#{payload['sha256'][:KEY_HASH_CHARS]}"
        try:
            self.index.add(body, key, payload, sketch=sketch)
        except DuplicateKeyError:  # another process took the key between the check and now
            self.index.add(body, f"{key}#{payload['sha256'][:KEY_HASH_CHARS]}", payload,
                           sketch=sketch)
