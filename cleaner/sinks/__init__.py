"""Where articles go: article files (the default), JSON lines and Parquet parts; the manifest.

`Sinks` writes each article in every format asked for; the reference of an article
(what the manifest's `article` says and the dedup index remembers) is the first
format's: the file's path, or `jsonl/part-NNNNN.jsonl#K`.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import CleanerError
from .markdown import ArticleWriter
from .records import JsonLinesWriter, ParquetWriter

FORMATS = {"markdown": ArticleWriter, "jsonl": JsonLinesWriter, "parquet": ParquetWriter}
DEFAULT_FORMATS = ("markdown",)


def check_formats(formats: Iterable[str]) -> tuple[str, ...]:
    """The formats asked for, checked: CleanerError names an unknown one or a missing library."""
    found = tuple(dict.fromkeys(formats))
    if not found:
        raise CleanerError("no output format given")
    for name in found:
        if name not in FORMATS:
            raise CleanerError(f"unknown output format '{name}'; known: {', '.join(FORMATS)}")
    if "parquet" in found:
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise CleanerError(
                "--format parquet needs pyarrow: pip install 'cleaner[parquet]'"
            ) from None
    return found


class Sinks:
    """The article writers of one run, one per format."""

    def __init__(self, out: Path, formats: Sequence[str], temp_folder: Path,
                 background: bool = False) -> None:
        """`background`: article files are written by threads; `flush` tells which failed."""
        self.writers = [
            ArticleWriter(out, temp_folder, background) if name == "markdown"
            else FORMATS[name](out, temp_folder)
            for name in check_formats(formats)
        ]
        self.background = background
        self.written: list[list[str]] = []  # each article's references since `flush`

    def write(self, meta: Mapping[str, Any], body: str, source: str,
              draft: str | None = None) -> str:
        """Write an article in every format; its reference in the first. Raises OSError.
        `draft`: its article file, already written (see `markdown.write_draft`)."""
        references = [writer.write(meta, body, source, draft) if isinstance(writer, ArticleWriter)
                      else writer.write(meta, body, source) for writer in self.writers]
        if self.background:
            self.written.append(references)
        return references[0]

    def flush(self) -> dict[str, str]:
        """Wait for what is written in the background: {reference: error} of the articles
        (by their reference in the first format) that could not be written in some format."""
        failed: dict[str, str] = {}
        for writer in self.writers:
            failed.update(writer.flush())
        written, self.written = self.written, []
        if not failed:
            return {}
        return {
            references[0]: failed[reference]
            for references in written for reference in references if reference in failed
        }

    def add_duplicates(self, reference: str, duplicates: Sequence[Mapping[str, Any]]) -> None:
        """List more duplicates in an article written earlier, where its format allows."""
        for writer in self.writers:
            if writer.owns(reference):
                writer.add_duplicates(reference, duplicates)

    @property
    def article_files(self) -> bool:
        """Whether articles are written as files (the markdown format), which can be
        drafted ahead (see `markdown.write_draft`)."""
        return any(isinstance(writer, ArticleWriter) for writer in self.writers)

    @property
    def durable(self) -> bool:
        """True when every article written so far is complete on disk."""
        return all(writer.durable for writer in self.writers)

    def stop(self) -> None:
        """Wait for the files being written in the background, nothing more: how a run
        that stops early leaves its sinks (no part is completed)."""
        for writer in self.writers:
            if isinstance(writer, ArticleWriter):
                writer.close()

    def close(self) -> None:
        """Complete what is open (the last parts)."""
        for writer in self.writers:
            writer.close()
