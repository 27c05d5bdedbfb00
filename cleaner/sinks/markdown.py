"""Writing article files under OUT: stable names, atomic writes, duplicate lists kept up to date."""
from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..frontmatter import render, split_front_matter
from .paths import article_path, inside, with_hash_suffix

# Front matter key listing the captures that repeat an article.
DUPLICATES = "duplicates"


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file, so no reader ever sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def read_article(path: Path) -> tuple[dict[str, Any], str] | None:
    """(front matter, body) of an article file, or None if it is missing or not one."""
    try:
        # our own files: however many duplicates an article lists, its front matter is read
        front, body = split_front_matter(path.read_text(encoding="utf-8"), max_chars=None)
    except (OSError, UnicodeDecodeError):
        return None
    return (front, body.rstrip("\n")) if front is not None else None


class ArticleWriter:
    """Places and writes the article files of one run under OUT."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.taken: set[Path] = set()

    def write(self, meta: Mapping[str, Any], body: str, source: str) -> str:
        """Write a new article; returns its path relative to OUT. Raises OSError
        (UnsafePathError, one too, when the path would lie outside OUT)."""
        relative = self.free_path(article_path(meta, source), meta["sha256"])
        write_atomic(inside(self.out, relative), render(meta, body))
        self.taken.add(relative)
        return relative.as_posix()

    def free_path(self, relative: Path, sha256: str) -> Path:
        """`relative`, or a hash-suffixed name if another body holds it (this run or on disk)."""
        if relative in self.taken or self.holds_other_body(relative, sha256):
            return with_hash_suffix(relative, sha256)
        return relative

    def holds_other_body(self, relative: Path, sha256: str) -> bool:
        if not (self.out / relative).exists():
            return False
        found = read_article(self.out / relative)
        return found is None or found[0].get("sha256") != sha256

    def add_duplicates(self, relative: str, duplicates: Sequence[Mapping[str, Any]]) -> None:
        """Add captures to the `duplicates` list of an article written by an earlier run
        (its path comes from the index, a file like any other: it is checked too)."""
        path = inside(self.out, Path(relative))
        found = read_article(path)
        if found is None:
            raise OSError(f"{relative} is no longer an article file")
        front, body = found
        listed = list(front.get(DUPLICATES) or [])
        new = [dict(d) for d in duplicates if dict(d) not in listed]
        if new:
            front[DUPLICATES] = listed + new
            write_atomic(path, render(front, body))
