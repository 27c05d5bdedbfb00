"""OUT/manifest.jsonl: one line per input, appended as each is placed, flushed line by line,
so that a run stopped at any point leaves a valid prefix of it."""
from __future__ import annotations

from pathlib import Path
from typing import Protocol, Self

MANIFEST = "manifest.jsonl"


class Row(Protocol):
    def to_json(self) -> str: ...


class ManifestWriter:
    """Appends manifest lines to a manifest started afresh."""

    def __init__(self, out: Path) -> None:
        self.path = out / MANIFEST
        self.file = open(self.path, "w", encoding="utf-8")  # noqa: SIM115

    def write(self, row: Row) -> None:
        self.file.write(row.to_json() + "\n")
        self.file.flush()

    def close(self) -> None:
        self.file.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
