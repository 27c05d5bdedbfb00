"""OUT for the Ray engine: a folder on this machine (or a filesystem every node shares),
or a URL (s3://, gs://, file://...) written through fsspec.

Workers write with the local engine's sinks: straight into OUT when it is a folder,
else into a staging folder of their own whose files are then uploaded to the URL and
removed. Either way the bytes are the sinks' own.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from ...errors import OutputError
from ...sinks.atomic import TEMP_FOLDER, write_atomic
from ...sources.urls import filesystem, is_url, local_path
from ..lock import LOCK_FILE

# What an OUT may hold and still count as new: the lock and temporary files of a run.
OURS = (LOCK_FILE, TEMP_FOLDER)


class OutFolder:
    """Where a run's articles, manifest and summary go. Picklable: workers get a copy."""

    def __init__(self, where: str | Path) -> None:
        where = str(where)
        local = local_path(where) if is_url(where) else Path(where)
        self.url = None if local is not None else where.rstrip("/")
        self.path = None if local is None else local.absolute()
        self._staging: Path | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {"url": self.url, "path": self.path}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.url, self.path, self._staging = state["url"], state["path"], None

    def __str__(self) -> str:
        return self.url or str(self.path)

    def check_new(self) -> None:
        """OutputError unless OUT is missing or empty (a run's lock and temporary files
        aside): the Ray engine neither resumes a run nor deduplicates against one."""
        if self.path is not None:
            try:
                self.path.mkdir(parents=True, exist_ok=True)
                found = sorted(entry for entry in os.listdir(self.path) if entry not in OURS)
            except OSError as err:
                raise OutputError(f"cannot create output folder {self.path}: {err}") from err
        else:
            fs, path = filesystem(self.url or "")
            try:
                found = sorted(p.rstrip("/").rsplit("/", 1)[-1] for p in fs.ls(path)) \
                    if fs.exists(path) else []
            except OSError as err:
                raise OutputError(f"cannot list {self}: {err}") from err
        if found:
            raise OutputError(
                f"{self} is not empty ({found[0]}...): --engine ray writes into a new or empty "
                "folder (resuming a run and deduplicating against an earlier one are the local "
                "engine's: --engine local)"
            )

    def temp_folder(self) -> Path:
        """Where this process's sinks keep their temporary files."""
        return self.staging() / TEMP_FOLDER

    def staging(self) -> Path:
        """Where this process's sinks write: OUT itself, or a folder of its own to upload from."""
        if self.path is not None:
            return self.path
        if self._staging is None:
            self._staging = Path(tempfile.mkdtemp(prefix="cleaner-out-"))
            (self._staging / TEMP_FOLDER).mkdir()
        return self._staging

    def publish(self, relative: str) -> None:
        """Upload what the sinks wrote at `relative` under the staging folder (nothing to
        do when OUT is a folder)."""
        if self.url is None:
            return
        local = self.staging() / relative
        fs, path = filesystem(f"{self.url}/{relative}")
        fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
        fs.put_file(str(local), path)
        local.unlink()

    def close(self) -> None:
        """Remove the staging folder, if one was made."""
        if self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)
            self._staging = None

    @contextmanager
    def open_text(self, name: str) -> Iterator[IO[str]]:
        """A text file at OUT/name, written from the start (the manifest)."""
        if self.path is not None:
            with open(self.path / name, "w", encoding="utf-8") as file:
                yield file
        else:
            fs, path = filesystem(f"{self.url}/{name}")
            with fs.open(path, "w", encoding="utf-8") as file:
                yield file

    def write_text(self, name: str, text: str) -> None:
        """OUT/name holding `text`, written whole (the summary)."""
        if self.path is not None:
            write_atomic(self.path / name, text)
        else:
            fs, path = filesystem(f"{self.url}/{name}")
            fs.pipe_file(path, text.encode("utf-8"))
