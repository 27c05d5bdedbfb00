"""Article files under OUT: stable names, atomic writes, duplicate lists kept up to date.

The default sink: one file per article, OUT/<site>/<YYYY-MM-DD>-<slug>.md, made of YAML
front matter and the body. Its reference for an article is the file's path relative to OUT.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from ..frontmatter import render, split_front_matter
from .atomic import make_folder, write_atomic, write_new
from .paths import article_path, inside, with_hash_suffix

# Front matter key listing the captures that repeat an article.
DUPLICATES = "duplicates"
# Threads that write a batch run's files. Creating a file is mostly time in the kernel
# (about 0.3 ms a file, measured on the overlay file system of a container), which a
# thread spends without holding the GIL while the run renders the next article.
WRITER_THREADS = 2


def read_article(path: Path) -> tuple[dict[str, Any], str] | None:
    """(front matter, body) of an article file, or None if it is missing or not one."""
    try:
        # our own files: however many duplicates an article lists, its front matter is read
        front, body = split_front_matter(path.read_text(encoding="utf-8"), max_chars=None)
    except (OSError, UnicodeDecodeError):
        return None
    return (front, body.rstrip("\n")) if front is not None else None


def write_draft(path: Path, meta: Mapping[str, Any], body: str) -> None:
    """Write the article file of `meta` and `body` at `path`, a name of its own in a run's
    folder of temporary files: where a worker leaves an article before it is placed
    (`ArticleWriter.write` with `draft` moves it into OUT). Raises OSError."""
    write_new(path, render(meta, body))


def _digest(relative: Path) -> int:
    """A stable 64-bit digest of a relative path (Python's hash() is salted per process)."""
    return int.from_bytes(hashlib.blake2b(relative.as_posix().encode(), digest_size=8).digest())


class ArticleWriter:
    """Places and writes the article files of one run under OUT."""

    name = "markdown"
    # Every file is whole once written (once `flush` returns, in the background): nothing
    # waits to be made durable.
    durable = True

    def __init__(self, out: Path, temp_folder: Path | None = None, background: bool = False
                 ) -> None:
        self.out = out
        self.temp_folder = temp_folder
        # the names this run gave, as 64-bit digests: a few dozen bytes each, not a Path's hundreds
        self.taken: set[int] = set()
        self.folders: set[Path] = set()
        # folders (relative to OUT) that this run made: they hold only its own files, so a
        # name in one needs no look on disk and no check for symbolic links (a few system
        # calls per article saved)
        self.fresh: set[Path] = set()
        # background: files written by threads; `flush` waits for them and tells which failed
        self.pool = ThreadPoolExecutor(WRITER_THREADS, "cleaner-write") if background else None
        self.pending: list[tuple[str, Future[None]]] = []

    def write(self, meta: Mapping[str, Any], body: str, source: str,
              draft: str | None = None) -> str:
        """Write a new article; returns its path relative to OUT. Raises OSError
        (UnsafePathError, one too, when the path would lie outside OUT); in the background,
        `flush` reports the errors of the writing itself. `draft`: the article's file as
        `write_draft` wrote it from the same `meta` and `body`, moved into place (on the
        same disk: one rename, where writing the file costs five times that)."""
        relative = self.free_path(article_path(meta, source), meta["sha256"])
        reference = relative.as_posix()
        if draft is not None:
            os.replace(draft, self.target(relative))
        elif self.pool is None:
            self.write_at(relative, meta, body)
        else:
            target = self.target(relative)
            future = self.pool.submit(write_atomic, target, render(meta, body),
                                      self.temp_folder, self.folders)
            self.pending.append((reference, future))
        self.taken.add(_digest(relative))
        return reference

    def flush(self) -> dict[str, str]:
        """Wait for the files being written: {reference: error} of those that could not be."""
        failed = {}
        for reference, future in self.pending:
            error = future.exception()
            if isinstance(error, OSError):
                failed[reference] = str(error)
            elif error is not None:
                raise error
        self.pending = []
        return failed

    def write_at(self, relative: Path, meta: Mapping[str, Any], body: str) -> None:
        """Write an article at a path already chosen (relative to OUT). Raises OSError
        (UnsafePathError, one too, when the path would lie outside OUT)."""
        write_atomic(self.target(relative), render(meta, body), self.temp_folder, self.folders)

    def target(self, relative: Path) -> Path:
        """OUT/`relative` (a name this writer chose), checked to lie inside OUT unless its
        folder is one this run made, the folder made. Raises OSError (UnsafePathError)."""
        folder = relative.parent
        if folder in self.fresh:
            return self.out / relative
        target = inside(self.out, relative)
        if not target.parent.exists():
            make_folder(target.parent, self.folders)
            self.fresh.add(folder)
        return target

    def free_path(self, relative: Path, sha256: str) -> Path:
        """`relative`, or a hash-suffixed name if another body holds it (this run or on disk)."""
        if _digest(relative) in self.taken or self.holds_other_body(relative, sha256):
            return with_hash_suffix(relative, sha256)
        return relative

    def holds_other_body(self, relative: Path, sha256: str) -> bool:
        if relative.parent in self.fresh or not (self.out / relative).exists():
            return False
        found = read_article(self.out / relative)
        return found is None or found[0].get("sha256") != sha256

    def add_duplicates(self, reference: str, duplicates: Sequence[Mapping[str, Any]]) -> None:
        """Add captures to the `duplicates` list of an article written by an earlier run
        (its path comes from the index, a file like any other: it is checked too)."""
        path = inside(self.out, Path(reference))
        found = read_article(path)
        if found is None:
            raise OSError(f"{reference} is no longer an article file")
        front, body = found
        listed = list(front.get(DUPLICATES) or [])
        new = [dict(d) for d in duplicates if dict(d) not in listed]
        if new:
            front[DUPLICATES] = listed + new
            write_atomic(path, render(front, body), self.temp_folder)

    @staticmethod
    def owns(reference: str) -> bool:
        """Whether `reference` names an article file, whose duplicate list can be updated
        (an article an earlier run wrote in another format cannot be)."""
        return reference.endswith(".md")

    def close(self) -> None:
        """Stop the writing threads (`flush` first: what they wrote was reported there)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True)
