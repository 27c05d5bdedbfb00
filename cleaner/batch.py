"""Cleaning many captures: worker processes, article files, the manifest and the run summary."""
from __future__ import annotations

import json
import os
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from .capture import find_captures, read_capture
from .document import Capture
from .errors import CaptureError, OutputError
from .frontmatter import render_article, split_front_matter
from .paths import article_path, with_hash_suffix
from .pipeline import clean_capture
from .rules import RuleBook

WRITTEN, DUPLICATE, EMPTY, ERROR = "written", "duplicate", "empty", "error"
MANIFEST = "manifest.jsonl"
SUMMARY = "summary.json"
# Captures handed to a worker at a time: big enough to amortise process hand-offs,
# small enough that the progress bar moves smoothly.
CHUNK_SIZE = 16
# How many drop reasons an 'empty' manifest line names.
EMPTY_REASONS_SHOWN = 3


@dataclass(frozen=True, slots=True)
class Outcome:
    """What cleaning one capture gave, small enough to send back from a worker process."""

    source: str
    meta: Mapping[str, Any] | None = None
    text: str | None = None  # the rendered article file
    drops: Mapping[str, int] = field(default_factory=dict)
    error: str | None = None

    @property
    def empty(self) -> bool:
        return self.meta is not None and not self.meta.get("word_count")


@dataclass(frozen=True, slots=True)
class ManifestRow:
    """One line of manifest.jsonl: what became of one input capture."""

    source: str
    status: str
    article: str | None = None
    reason: str | None = None
    site: str | None = None

    def to_json(self) -> str:
        fields = {name: getattr(self, name) for name in self.__slots__}
        return json.dumps(fields, ensure_ascii=False)


@dataclass(slots=True)
class Summary:
    """Counts of a run: statuses, drop reasons, time (printed, not saved: output stays byte-stable)."""

    statuses: Counter = field(default_factory=Counter)
    drops: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.statuses.values())

    @property
    def failed(self) -> bool:
        return self.statuses[ERROR] > 0

    def line(self) -> str:
        rate = self.total / self.seconds if self.seconds else 0.0
        return (
            f"{self.total} captures: {self.statuses[WRITTEN]} written, "
            f"{self.statuses[DUPLICATE]} duplicates, {self.statuses[EMPTY]} empty, "
            f"{self.statuses[ERROR]} errors in {self.seconds:.1f}s ({rate:.0f} docs/s)"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "captures": self.total,
            "statuses": dict(sorted(self.statuses.items())),
            "drop_reasons": dict(sorted(self.drops.items(), key=lambda kv: (-kv[1], kv[0]))),
        }


def clean_file(item: str | Path | Capture, rules: RuleBook | None) -> Outcome:
    """Read (unless given a Capture) and clean one capture; a bad one gives an error Outcome."""
    source = item.source if isinstance(item, Capture) else str(item)
    try:
        capture = item if isinstance(item, Capture) else read_capture(item)
        article = clean_capture(capture, rules)
    except CaptureError as err:
        return Outcome(source, error=err.problem)
    except Exception as err:  # noqa: BLE001 - one bad capture must never stop a batch
        return Outcome(source, error=f"cleaning failed: {type(err).__name__}: {err}")
    drops = Counter(line.reason for line in article.decisions if line.reason)
    return Outcome(source, article.meta, render_article(article), dict(drops))


_worker_rules: RuleBook | None = None


def _start_worker(rules: RuleBook | None) -> None:
    global _worker_rules
    _worker_rules = rules


def _clean_in_worker(item: str | Capture) -> Outcome:
    return clean_file(item, _worker_rules)


def clean_all(
    items: list[str | Capture], rules: RuleBook | None, jobs: int
) -> Iterator[Outcome]:
    """Outcomes of every capture (a path, or a Capture already read), in input order,
    on `jobs` processes (1: this one)."""
    if jobs <= 1 or len(items) <= CHUNK_SIZE:
        for item in items:
            yield clean_file(item, rules)
        return
    with ProcessPoolExecutor(jobs, initializer=_start_worker, initargs=(rules,)) as pool:
        yield from pool.map(_clean_in_worker, items, chunksize=CHUNK_SIZE)


class ArticleWriter:
    """Writes article files under OUT, each atomically, and decides exact duplicates."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.by_hash: dict[str, str] = {}  # body sha256 -> relative path written this run
        self.taken: set[Path] = set()

    def place(self, outcome: Outcome) -> ManifestRow:
        meta = outcome.meta or {}
        site = meta.get("site")
        if outcome.error is not None:
            return ManifestRow(outcome.source, ERROR, reason=outcome.error, site=site)
        if outcome.empty:
            return ManifestRow(outcome.source, EMPTY, reason=empty_reason(outcome.drops), site=site)
        sha = meta["sha256"]
        if sha in self.by_hash:
            return ManifestRow(outcome.source, DUPLICATE, self.by_hash[sha], "same body", site)
        relative = self.free_path(article_path(meta, outcome.source), sha)
        try:
            write_atomic(self.out / relative, outcome.text or "")
        except OSError as err:
            return ManifestRow(outcome.source, ERROR, reason=f"cannot write {relative}: {err}", site=site)
        self.taken.add(relative)
        self.by_hash[sha] = relative.as_posix()
        return ManifestRow(outcome.source, WRITTEN, relative.as_posix(), site=site)

    def free_path(self, relative: Path, sha256: str) -> Path:
        """`relative`, or a hash-suffixed name if another body holds it (this run or on disk)."""
        if relative in self.taken or holds_other_body(self.out / relative, sha256):
            return with_hash_suffix(relative, sha256)
        return relative


def holds_other_body(path: Path, sha256: str) -> bool:
    """True when `path` is an existing article file whose body hash differs from `sha256`."""
    if not path.exists():
        return False
    try:
        front, _ = split_front_matter(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return True
    return not front or front.get("sha256") != sha256


def empty_reason(drops: Mapping[str, int]) -> str:
    top = ", ".join(f"{reason} {n}" for reason, n in Counter(drops).most_common(EMPTY_REASONS_SHOWN))
    return f"no article text left after cleaning (dropped: {top})" if top else "capture has no text"


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file, so no reader ever sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def run(
    inputs: Iterable[str | Path],
    out: str | Path,
    *,
    rules: RuleBook | None = None,
    jobs: int = 1,
    progress: bool = False,
) -> Summary:
    """Clean every capture under `inputs` into `out`; returns the run's Summary.

    Writes one article file per kept capture, `manifest.jsonl` (one line per input,
    in input order) and `summary.json`. A bad capture is recorded, never fatal.
    """
    out = Path(out)
    items: list[str | Capture] = [str(path) for path in find_captures(inputs)]
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"cannot create output folder {out}: {err}") from err
    started = time.perf_counter()
    summary = Summary()
    writer = ArticleWriter(out)
    outcomes = clean_all(items, rules, jobs)
    if progress:
        from tqdm import tqdm

        outcomes = tqdm(outcomes, total=len(items), unit="doc", desc="cleaning")
    partial = out / (MANIFEST + ".partial")
    try:
        with partial.open("w", encoding="utf-8") as manifest:
            for outcome in outcomes:
                row = writer.place(outcome)
                manifest.write(row.to_json() + "\n")
                summary.statuses[row.status] += 1
                summary.drops.update(outcome.drops)
        summary.seconds = time.perf_counter() - started
        os.replace(partial, out / MANIFEST)
        write_atomic(out / SUMMARY, json.dumps(summary.to_dict(), indent=2) + "\n")
    except OSError as err:
        raise OutputError(f"cannot write the manifest in {out}: {err}") from err
    return summary
