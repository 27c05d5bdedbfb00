"""Cleaning one chunk of items where a worker runs it: read, clean, fingerprint, pack."""
from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..dedup.sketch import Layout, Sketcher
from ..dedup.store import StateReader
from ..document import Article, Capture
from ..errors import CaptureError
from ..pipeline import clean_capture
from ..sinks.markdown import write_draft
from ..siterules.rulebook import RuleBook
from ..sources.files import DEFAULT_MAX_BYTES, read_capture
from ..sources.items import CaptureFile, Failed, Item
from .only import is_wanted, skip_reason
from .outcome import EMPTY, ERROR, KEPT, PLACED, SKIPPED, ManifestRow, Outcome, empty_reason

# How a worker names the article files it writes ahead of placing (see `Work`).
DRAFT_SUFFIX = ".draft"


def clean_or_reason(
    capture: Capture, rules: RuleBook | None, html_engine: str | None = None
) -> tuple[Article | None, str | None]:
    """(article, None), or (None, why) when the capture cannot be cleaned: never raises,
    so that one bad capture never stops a batch or a stream."""
    try:
        return clean_capture(capture, rules, html_engine), None
    except CaptureError as err:
        return None, err.problem
    except Exception as err:  # noqa: BLE001 - see above
        return None, f"cleaning failed: {type(err).__name__}: {err}"


def content_hash(capture: Capture) -> str:
    """SHA-256 of a capture's text: the same capture read again has the same hash."""
    return hashlib.sha256(capture.text.encode("utf-8", "surrogatepass")).hexdigest()


def pack(meta: Mapping[str, Any], body: str) -> bytes:
    """An article as stored between cleaning and placing."""
    return pickle.dumps((dict(meta), body), protocol=pickle.HIGHEST_PROTOCOL)


def unpack(record: bytes) -> tuple[dict[str, Any], str]:
    """(front matter, body) of a packed article."""
    return pickle.loads(record)


class Work:
    """What a worker does to each item: read it (a capture file), skip it when an earlier
    run placed it (same source, same content), else clean it and fingerprint its body.
    With `only` (a set of page types, see `run.only`), a capture of another type is
    SKIPPED once cleaned: its type is known only then.

    With `drafts` (a folder of temporary files on OUT's disk), each kept capture's article
    file is written there as it would be were the capture alone in its story, its front
    matter as cleaned (`Outcome.draft`): most stories have one capture, and the placer
    then only moves the file into OUT, so that the writing is done by the workers, side
    by side, rather than by the placer after all the cleaning.

    Picklable: sent to each worker process once. The state file, when given, is opened
    read-only in each process on first use.
    """

    def __init__(
        self, rules: RuleBook | None, layout: Layout | None = None, state: str | None = None,
        max_bytes: int | None = DEFAULT_MAX_BYTES, html_engine: str | None = None,
        only: frozenset[str] | None = None, drafts: str | None = None,
    ) -> None:
        self.rules = rules
        self.layout = layout
        self.state = state
        self.max_bytes = max_bytes
        self.html_engine = html_engine
        self.only = only
        self.drafts = drafts
        self._reader: StateReader | None = None
        self._sketcher: Sketcher | None = None
        self._drafted = 0

    def __getstate__(self) -> dict[str, Any]:
        return {"rules": self.rules, "layout": self.layout, "state": self.state,
                "max_bytes": self.max_bytes, "html_engine": self.html_engine, "only": self.only,
                "drafts": self.drafts}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(**state)  # type: ignore[misc]

    def __call__(self, items: list[Item]) -> list[Outcome]:
        """The Outcomes of a chunk of items; the kept bodies are fingerprinted together."""
        done = [self.clean(item) for item in items]
        outcomes = [outcome for outcome, _ in done]
        kept = [i for i, outcome in enumerate(outcomes) if outcome.status == KEPT]
        if self.layout is None or not kept:
            return outcomes
        if self._sketcher is None:
            self._sketcher = Sketcher(self.layout)
        sketches = self._sketcher.sketch_many([done[i][1] for i in kept])
        for i, sketch in zip(kept, sketches, strict=True):
            outcomes[i] = replace(outcomes[i], sketch=sketch)
        return outcomes

    def clean(self, item: Item) -> tuple[Outcome, str]:
        """The Outcome of one item and its article's body ('' when none); never raises."""
        if isinstance(item, Failed):
            return Outcome(item.source, item.status, reason=item.reason), ""
        if isinstance(item, CaptureFile):
            try:
                capture = read_capture(item.path, self.max_bytes)
            except CaptureError as err:
                return Outcome(item.source, ERROR, reason=err.problem), ""
            except Exception as err:  # noqa: BLE001 - one bad capture never stops a run
                return Outcome(item.source, ERROR,
                               reason=f"cannot read: {type(err).__name__}: {err}"), ""
        else:
            capture = item
        digest = content_hash(capture)
        row = self.placed_before(capture.source, digest)
        if row is not None:
            return Outcome(capture.source, PLACED, site=row.site, content_hash=digest, row=row), ""
        article, error = clean_or_reason(capture, self.rules, self.html_engine)
        if article is None:
            return Outcome(capture.source, ERROR, reason=error, content_hash=digest), ""
        site = article.meta.get("site")
        kind = article.page_type
        if not is_wanted(kind, self.only):
            return Outcome(capture.source, SKIPPED, skip_reason(kind), site, digest,
                           warnings=article.warnings, page_type=kind), ""
        drops = dict(article.drop_counts())
        said = {"warnings": article.warnings, "rule_report": article.rule_report,
                "page_type": kind}
        if article.is_empty:
            return Outcome(capture.source, EMPTY, empty_reason(drops), site, digest, drops,
                           **said), ""
        outcome = Outcome(
            capture.source, KEPT, None, site, digest, drops,
            record=pack(article.meta, article.body), words=len(article.body.split()),
            draft=self.draft(article), **said,
        )
        return outcome, article.body

    def draft(self, article: Article) -> str | None:
        """The path of the article file written for `article` ahead of placing; None when
        no drafts are asked for or it could not be written (the placer writes the article
        then, and reports what fails)."""
        if self.drafts is None:
            return None
        self._drafted += 1  # with the process id, a name no other worker gives
        path = Path(self.drafts) / f"{os.getpid()}-{self._drafted}{DRAFT_SUFFIX}"
        try:
            write_draft(path, dict(article.meta), article.body)
        except OSError:
            return None
        return str(path)

    def close(self) -> None:
        """Close the state file's read-only view (in the process that ran the work)."""
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    def placed_before(self, source: str, digest: str) -> ManifestRow | None:
        """The manifest line an earlier run gave this capture, if the state remembers it."""
        if self.state is None:
            return None
        if self._reader is None:
            self._reader = StateReader(self.state)
        found = self._reader.processed(source, digest)
        return None if found is None else ManifestRow.from_dict(found)
