"""Files written whole or not at all: through a temporary file, then a rename.

Temporary files of a run go to one folder, OUT/.cleaner-tmp, so that the files a killed
run left half-written are found without walking OUT: the next run empties that folder
(under the lock that keeps two runs out of one OUT).
"""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

TEMP_FOLDER = ".cleaner-tmp"


def write_atomic(path: Path, text: str, temp_folder: Path | None = None,
                 made: set[Path] | None = None) -> None:
    """Write `text` (UTF-8) to `path` through a temporary file, so no reader ever sees half
    a file; the temporary file is in `temp_folder` (on the same disk) or beside `path`.
    `made` remembers the folders already made, to save a system call per file."""
    make_folder(path.parent, made)
    folder = temp_folder if temp_folder is not None else path.parent
    # named for the process and thread: two articles of one name in two folders may be
    # written at once
    tmp = folder / f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp"
    write_new(tmp, text)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_new(path: Path, text: str) -> None:
    """Write `text` (UTF-8) to a file of its own at `path`, a temporary name nobody reads
    yet (see `write_atomic`): when the writing fails, no file is left there."""
    try:
        with open(path, "w", encoding="utf-8") as file:
            file.write(text)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def make_folder(folder: Path, made: set[Path] | None = None) -> None:
    """Make `folder` and its parents unless `made` says it was made already."""
    if made is None or folder not in made:
        folder.mkdir(parents=True, exist_ok=True)
        if made is not None:
            made.add(folder)


def temp_folder(out: Path) -> Path:
    """OUT's folder of temporary files, emptied of what an earlier run left."""
    folder = out / TEMP_FOLDER
    if folder.exists():
        shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
