"""Cleaning many captures: worker processes, deduplication, article files, manifest, summary."""
from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from ..dedup import Deduplicator, cluster
from ..dedup.sketch import Sketch
from ..document import Article, Capture
from ..errors import CaptureError, OutputError
from ..pipeline import clean_capture
from ..sinks.jsonl import json_line
from ..sinks.markdown import DUPLICATES, ArticleWriter, write_atomic
from ..siterules.rulebook import RuleBook
from ..sources.files import (
    DEFAULT_MAX_BYTES,
    capture_name,
    find_captures,
    read_capture,
    source_name,
)
from ..sources.warc import is_warc, iter_warc

WRITTEN, DUPLICATE, EMPTY, ERROR = "written", "duplicate", "empty", "error"
MANIFEST = "manifest.jsonl"
SUMMARY = "summary.json"
# The dedup index kept across runs when --state is not given.
DEFAULT_STATE = ".cleaner-state.sqlite"
# Captures handed to a worker at a time: big enough to amortise process hand-offs,
# small enough that the progress bar moves smoothly.
CHUNK_SIZE = 16
# How many drop reasons an 'empty' manifest line names.
EMPTY_REASONS_SHOWN = 3
# Metadata a canonical article may take from its duplicates when it lacks it.
MERGED_META = ("title", "published", "authors", "url")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What cleaning one capture gave, small enough to send back from a worker process."""

    source: str
    meta: Mapping[str, Any] | None = None
    body: str = ""
    drops: Mapping[str, int] = field(default_factory=dict)
    error: str | None = None
    content_hash: str = ""  # of the capture's text: a capture already placed is not redone
    warnings: tuple[str, ...] = ()  # what cleaning refused or repaired (Article.warnings)

    @property
    def empty(self) -> bool:
        return self.error is None and not self.body


@dataclass(frozen=True, slots=True)
class ManifestRow:
    """One line of manifest.jsonl: what became of one input capture."""

    source: str
    status: str
    article: str | None = None
    reason: str | None = None
    site: str | None = None
    warnings: tuple[str, ...] = ()  # written only when there are some

    def to_json(self) -> str:
        fields = {name: getattr(self, name) for name in self.__slots__}
        if not self.warnings:
            del fields["warnings"]
        return json_line(fields)


@dataclass(slots=True)
class Summary:
    """Counts of a run: statuses, drop reasons, skipped WARC records, time.

    The time is printed, not saved, so that the output folder stays byte-stable.
    """

    statuses: Counter = field(default_factory=Counter)
    drops: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.statuses.values())

    @property
    def failed(self) -> bool:
        return self.statuses[ERROR] > 0

    def line(self) -> str:
        rate = self.total / self.seconds if self.seconds else 0.0
        skipped = f", {sum(self.skipped.values())} WARC records skipped" if self.skipped else ""
        return (
            f"{self.total} captures: {self.statuses[WRITTEN]} written, "
            f"{self.statuses[DUPLICATE]} duplicates, {self.statuses[EMPTY]} empty, "
            f"{self.statuses[ERROR]} errors{skipped} in {self.seconds:.1f}s ({rate:.0f} docs/s)"
        )

    def to_dict(self) -> dict[str, Any]:
        by_count = lambda counter: dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))
        return {
            "captures": self.total,
            "statuses": dict(sorted(self.statuses.items())),
            "drop_reasons": by_count(self.drops),
            "skipped_records": by_count(self.skipped),
        }


def clean_or_reason(capture: Capture, rules: RuleBook | None) -> tuple[Article | None, str | None]:
    """(article, None), or (None, why) when the capture cannot be cleaned: never raises,
    so that one bad capture never stops a batch or a stream."""
    try:
        return clean_capture(capture, rules), None
    except CaptureError as err:
        return None, err.problem
    except Exception as err:  # noqa: BLE001 - see above
        return None, f"cleaning failed: {type(err).__name__}: {err}"


def clean_file(
    item: str | Path | Capture, rules: RuleBook | None, max_bytes: int | None = DEFAULT_MAX_BYTES
) -> Outcome:
    """Read (unless given a Capture) and clean one capture; a bad one gives an error Outcome."""
    source = item.source if isinstance(item, Capture) else source_name(item)
    if isinstance(item, Capture):
        capture = item
    else:
        try:
            capture = read_capture(item, max_bytes)
        except CaptureError as err:
            return Outcome(source, error=err.problem)
        except Exception as err:  # noqa: BLE001 - one bad capture never stops a run
            return Outcome(source, error=f"cannot read: {type(err).__name__}: {err}")
    article, error = clean_or_reason(capture, rules)
    if article is None:
        return Outcome(source, error=error)
    content_hash = hashlib.sha256(capture.text.encode("utf-8", "surrogatepass")).hexdigest()
    drops = dict(article.drop_counts())
    return Outcome(source, article.meta, article.body, drops, content_hash=content_hash,
                   warnings=article.warnings)


_worker_rules: RuleBook | None = None
_worker_max_bytes: int | None = DEFAULT_MAX_BYTES


def _start_worker(rules: RuleBook | None, max_bytes: int | None) -> None:
    global _worker_rules, _worker_max_bytes
    _worker_rules, _worker_max_bytes = rules, max_bytes


def _clean_in_worker(item: str | Capture) -> Outcome:
    return clean_file(item, _worker_rules, _worker_max_bytes)


def clean_all(
    items: list[str | Capture], rules: RuleBook | None, jobs: int,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> Iterator[Outcome]:
    """Outcomes of every capture (a path, or a Capture already read), in input order,
    on `jobs` processes (1: this one)."""
    if jobs <= 1 or len(items) <= CHUNK_SIZE:
        for item in items:
            yield clean_file(item, rules, max_bytes)
        return
    with ProcessPoolExecutor(jobs, initializer=_start_worker, initargs=(rules, max_bytes)) as pool:
        yield from pool.map(_clean_in_worker, items, chunksize=CHUNK_SIZE)


def collect(
    inputs: Iterable[str | Path], skipped: Counter, max_bytes: int | None = DEFAULT_MAX_BYTES
) -> list[str | Capture | Outcome]:
    """The work of a run, in input order: capture paths, Captures read from WARC files,
    and error Outcomes for WARC records and files that could not be read."""
    items: list[str | Capture | Outcome] = []
    for path in find_captures(inputs, also=is_warc):
        if not is_warc(path) or capture_name(path):
            items.append(str(path))
            continue
        try:
            for found in iter_warc(path, skipped, max_bytes):
                # a record that cannot be read is an error line of its own; the file goes on
                error = isinstance(found, CaptureError)
                items.append(Outcome(found.source, error=found.problem) if error else found)
        except CaptureError as err:
            items.append(Outcome(source_name(path), error=err.problem))
    return items


def run(
    inputs: Iterable[str | Path],
    out: str | Path,
    *,
    rules: RuleBook | None = None,
    jobs: int = 1,
    progress: bool = False,
    dedup: bool = True,
    state: str | Path | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> Summary:
    """Clean every capture under `inputs` into `out`; returns the run's Summary.

    Writes one article file per story, `manifest.jsonl` (one line per input capture,
    in input order) and `summary.json`. A bad capture is recorded, never fatal. With
    `dedup`, duplicates (exact and near, within the run and against the index at
    `state`, by default inside `out`) are written once; a capture placed by an earlier
    run into this `out` is not written again. A capture larger than `max_bytes` (None:
    no limit) is an error line, found out without reading it whole.
    """
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"cannot create output folder {out}: {err}") from err
    started = time.perf_counter()
    summary = Summary()
    items = collect(inputs, summary.skipped, max_bytes)
    work = [item for item in items if not isinstance(item, Outcome)]
    cleaned = iter(clean_all(work, rules, jobs, max_bytes))
    if progress:
        from tqdm import tqdm

        cleaned = iter(tqdm(cleaned, total=len(work), unit="doc", desc="cleaning"))
    outcomes = [item if isinstance(item, Outcome) else next(cleaned) for item in items]
    index = Deduplicator(state or out / DEFAULT_STATE) if dedup else None
    try:
        rows = Placer(ArticleWriter(out), index).place(outcomes)
    finally:
        if index is not None:
            index.close()
    for outcome, row in zip(outcomes, rows):
        summary.statuses[row.status] += 1
        summary.drops.update(outcome.drops)
    summary.seconds = time.perf_counter() - started
    try:
        write_atomic(out / MANIFEST, "".join(row.to_json() + "\n" for row in rows))
        write_atomic(out / SUMMARY, json.dumps(summary.to_dict(), indent=2) + "\n")
    except OSError as err:
        raise OutputError(f"cannot write the manifest in {out}: {err}") from err
    return summary


# Clusters placed per index transaction: committing each article's index entry alone
# cost as much as writing its file, and a batch keeps the state file's write lock short
# for other processes sharing it. Should a run stop inside a batch, the batch's entries are
# not committed: the next run places those captures again and rewrites the same files.
PLACE_BATCH = 256


class Placer:
    """Decides what becomes of each cleaned capture and writes the article files.

    Captures whose bodies are duplicates form a cluster, written once: as a new
    article (the canonical member, see `canonical`) or, when the index already holds
    the story from an earlier run, as duplicates of that article.
    """

    def __init__(self, writer: ArticleWriter, index: Deduplicator | None) -> None:
        self.writer = writer
        self.index = index

    def place(self, outcomes: list[Outcome]) -> list[ManifestRow]:
        rows: list[ManifestRow | None] = [None] * len(outcomes)
        kept = []
        for i, outcome in enumerate(outcomes):
            site = (outcome.meta or {}).get("site")
            if outcome.error is not None:
                rows[i] = ManifestRow(outcome.source, ERROR, reason=outcome.error, site=site)
            elif outcome.empty:
                rows[i] = ManifestRow(outcome.source, EMPTY, reason=empty_reason(outcome.drops),
                                      site=site, warnings=outcome.warnings)
            else:
                kept.append(i)
        # Each body is fingerprinted once, for the run's clusters and the index lookups alike.
        sketches = self.sketches(outcomes, kept)
        clusters = iter(self.clusters(outcomes, kept, sketches))
        while batch := list(islice(clusters, PLACE_BATCH)):
            with self.transaction():
                for members in batch:
                    placed = self.place_cluster([outcomes[i] for i in members],
                                                [sketches.get(i) for i in members])
                    for i, row in placed.items():
                        rows[members[i]] = row
        return rows  # type: ignore[return-value]

    def transaction(self) -> AbstractContextManager[None]:
        """One write transaction on the index (none without dedup)."""
        return self.index.transaction() if self.index is not None else nullcontext()

    def sketches(self, outcomes: list[Outcome], kept: list[int]) -> dict[int, Sketch]:
        """The fingerprint of each kept outcome's body, by index (none without dedup)."""
        if self.index is None:
            return {}
        bodies = [outcomes[i].body for i in kept]
        return dict(zip(kept, self.index.sketcher.sketch_many(bodies), strict=True))

    def clusters(
        self, outcomes: list[Outcome], kept: list[int], sketches: dict[int, Sketch]
    ) -> list[list[int]]:
        """Indexes of kept outcomes grouped by duplicate body (each alone without dedup)."""
        if self.index is None:
            return [[i] for i in kept]
        layout = self.index.layout  # the sketches' own, which the run's index must share
        run = Deduplicator(threshold=self.index.threshold, containment=self.index.containment,
                           num_perm=layout.num_perm, bands=layout.bands, shingle=layout.shingle)
        groups = cluster(((str(i), outcomes[i].body) for i in kept), run,
                         (sketches[i] for i in kept))
        return [[int(key) for key in group] for group in groups]

    def place_cluster(
        self, members: list[Outcome], sketches: list[Sketch | None]
    ) -> dict[int, ManifestRow]:
        """Rows for one cluster's members (by position), writing what must be written."""
        rows: dict[int, ManifestRow] = {}
        pending = []
        for n, outcome in enumerate(members):
            earlier = self.placed_before(outcome, sketches[n])
            if earlier is not None:
                rows[n] = earlier
            else:
                pending.append(n)
        if not pending:
            return rows
        existing = self.existing_article([(members[n], sketches[n]) for n in pending])
        try:
            if existing is not None:
                self.writer.add_duplicates(existing, [duplicate_entry(members[n]) for n in pending])
                article = existing
                canonical = None
            else:
                canonical = max(pending, key=lambda n: canonical_rank(members[n], n))
                others = [members[n] for n in pending if n != canonical]
                article = self.write_canonical(members[canonical], others, sketches[canonical])
        except OSError as err:
            for n in pending:
                rows[n] = ManifestRow(members[n].source, ERROR, reason=f"cannot write: {err}",
                                      site=members[n].meta.get("site"))
            return rows
        for n in pending:
            outcome = members[n]
            status, reason = (WRITTEN, None) if n == canonical else (DUPLICATE, "duplicate body")
            rows[n] = ManifestRow(outcome.source, status, article, reason, outcome.meta.get("site"),
                                  outcome.warnings)
        self.mark_processed([members[n] for n in pending])
        return rows

    def write_canonical(
        self, canonical: Outcome, others: list[Outcome], sketch: Sketch | None = None
    ) -> str:
        meta = dict(canonical.meta)
        for other in others:  # fill gaps only: the canonical's own values win
            for key in MERGED_META:
                if not meta.get(key) and other.meta.get(key):
                    meta[key] = other.meta[key]
        if others:
            meta[DUPLICATES] = [duplicate_entry(other) for other in others]
        article = self.writer.write(meta, canonical.body, canonical.source)
        if self.index is not None:
            payload = {"article": article, "source": canonical.source}
            self.index.add(canonical.body, article, payload, sketch=sketch)
        return article

    def existing_article(self, members: list[tuple[Outcome, Sketch | None]]) -> str | None:
        """The article an earlier run wrote for this story, if the index knows one."""
        if self.index is None:
            return None
        for outcome, sketch in members:
            match = self.index.find(outcome.body, sketch=sketch)
            if match is not None:
                return self.article_of(match.key)[0]
        return None

    def article_of(self, key: str) -> tuple[str, str | None]:
        """(article path, source written) of an indexed document."""
        payload = self.index.payload(key) or {}
        return payload.get("article", key), payload.get("source")

    def placed_before(self, outcome: Outcome, sketch: Sketch | None = None) -> ManifestRow | None:
        """The row of a capture an earlier run already placed (same source, same content)."""
        if self.index is None or not self.index.processed(outcome.source, outcome.content_hash):
            return None
        match = self.index.find(outcome.body, sketch=sketch)
        if match is None:
            return None
        article, written_from = self.article_of(match.key)
        site = outcome.meta.get("site")
        if written_from == outcome.source:
            return ManifestRow(outcome.source, WRITTEN, article, site=site)
        return ManifestRow(outcome.source, DUPLICATE, article, "duplicate body", site)

    def mark_processed(self, outcomes: list[Outcome]) -> None:
        if self.index is None:
            return
        with self.index.transaction():
            for outcome in outcomes:
                self.index.mark_processed(outcome.source, outcome.content_hash)


def canonical_rank(outcome: Outcome, position: int) -> tuple:
    """Which member of a cluster is written: the most complete body, then the richest
    metadata, then the earliest publication, then the first in input order."""
    meta = outcome.meta
    richness = sum(bool(meta.get(key)) for key in MERGED_META)
    published = str(meta.get("published") or "9999")
    return (len(outcome.body.split()), richness, invert(published), -position)


def invert(text: str) -> tuple[int, ...]:
    """A key that sorts strings in reverse, so that max() prefers the earliest date."""
    return tuple(-ord(char) for char in text)


def duplicate_entry(outcome: Outcome) -> dict[str, Any]:
    """How a duplicate is listed in its canonical article's front matter."""
    entry = {"source": outcome.source}
    if outcome.meta.get("url"):
        entry["url"] = outcome.meta["url"]
    return entry


def empty_reason(drops: Mapping[str, int]) -> str:
    top = ", ".join(f"{reason} {n}" for reason, n in Counter(drops).most_common(EMPTY_REASONS_SHOWN))
    return f"no article text left after cleaning (dropped: {top})" if top else "capture has no text"
