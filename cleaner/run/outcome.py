"""What becomes of each input: the statuses, the manifest line, and what a worker hands back."""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..dedup.sketch import Sketch
from ..document import RuleReport

# Statuses of a manifest line. KEPT is a worker's word for a capture with an article,
# which the placer turns into WRITTEN or DUPLICATE; PLACED one that an earlier run placed.
WRITTEN, DUPLICATE, EMPTY, ERROR, SKIPPED = "written", "duplicate", "empty", "error", "skipped"
KEPT, PLACED = "kept", "placed"
STATUSES = (WRITTEN, DUPLICATE, EMPTY, ERROR, SKIPPED)
# How many drop reasons an 'empty' manifest line names.
EMPTY_REASONS_SHOWN = 3
DUPLICATE_REASON = "duplicate body"


@dataclass(frozen=True, slots=True)
class ManifestRow:
    """One line of manifest.jsonl: what became of one input capture."""

    source: str
    status: str
    article: str | None = None
    reason: str | None = None
    site: str | None = None
    page_type: str | None = None
    warnings: tuple[str, ...] = ()  # written only when there are some

    def to_dict(self) -> dict[str, Any]:
        fields = {name: getattr(self, name) for name in self.__slots__}
        if self.warnings:
            fields["warnings"] = list(self.warnings)
        else:
            del fields["warnings"]
        return fields

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, fields: Mapping[str, Any]) -> ManifestRow:
        values = {name: fields.get(name) for name in cls.__slots__}
        values["warnings"] = tuple(fields.get("warnings") or ())
        return cls(**values)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What cleaning one capture gave, small enough to send back from a worker process.

    `record` is the article itself (front matter and body, pickled) for a KEPT capture,
    kept on disk until it is placed; `draft` the path of its article file as written
    were it alone in its story (a batch run's workers write these: see `Work`); `sketch`
    its fingerprint when deduplicating; `row` the manifest line an earlier run gave a
    PLACED capture.
    """

    source: str
    status: str
    reason: str | None = None
    site: str | None = None
    content_hash: str = ""
    drops: Mapping[str, int] = field(default_factory=dict)
    record: bytes | None = None
    sketch: Sketch | None = None
    words: int = 0
    row: ManifestRow | None = None
    warnings: tuple[str, ...] = ()
    rule_report: RuleReport | None = None
    page_type: str | None = None
    draft: str | None = None


def empty_reason(drops: Mapping[str, int]) -> str:
    """The reason of an 'empty' line: what the lines were dropped for, most often first."""
    top = Counter(drops).most_common(EMPTY_REASONS_SHOWN)  # ties: the first dropped first
    named = ", ".join(f"{reason} {n}" for reason, n in top)
    return f"no article text left after cleaning (dropped: {named})" if named else "capture has no text"
