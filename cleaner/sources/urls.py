"""Captures behind URLs (s3://, gs://, memory://, file://...), read through fsspec like files.

A `UrlFile` answers the few questions the readers ask of a `pathlib.Path` (name,
sibling, bytes, text, is it a file), so that capture files, sidecars and WARC files
are read by the same code wherever they are. fsspec is imported on first use only:
local paths never need it, and each protocol needs its own package (s3fs, gcsfs...).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from ..errors import CleanerError
from .items import SKIPPED, Failed

URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
LOCAL = "file"


def is_url(text: str | Path) -> bool:
    """True for `scheme://...`; a Path never is one."""
    return isinstance(text, str) and URL.match(text) is not None


def filesystem(url: str) -> tuple[Any, str]:
    """(fsspec filesystem, path on it) of a URL; CleanerError when its protocol needs a
    package that is not installed, or is unknown."""
    try:
        from fsspec.core import url_to_fs
    except ImportError:
        raise CleanerError(f"{url}: reading URLs needs fsspec: pip install 'cleaner[ray]'") from None
    try:
        return url_to_fs(url)
    except ImportError as err:  # fsspec names the package the protocol needs
        raise CleanerError(f"{url}: {err}") from None
    except ValueError as err:
        raise CleanerError(f"{url}: {err}") from None


class UrlFile:
    """A file (or folder) at a URL, with the part of Path's interface the readers use."""

    __slots__ = ("url",)

    def __init__(self, url: str) -> None:
        self.url = url

    def __str__(self) -> str:
        return self.url

    def __repr__(self) -> str:
        return f"UrlFile({self.url!r})"

    @property
    def name(self) -> str:
        return self.url.rstrip("/").rsplit("/", 1)[-1]

    @property
    def stem(self) -> str:
        return self.name.rsplit(".", 1)[0] if "." in self.name.lstrip(".") else self.name

    def with_name(self, name: str) -> UrlFile:
        return UrlFile(self.url.rstrip("/").rsplit("/", 1)[0] + "/" + name)

    def joinpath(self, name: str) -> UrlFile:
        return UrlFile(self.url.rstrip("/") + "/" + name)

    def _fs(self) -> tuple[Any, str]:
        try:
            return filesystem(self.url)
        except CleanerError as err:
            raise OSError(str(err)) from None

    def read_bytes(self) -> bytes:
        """The file's bytes; OSError (FileNotFoundError...) as Path.read_bytes raises."""
        fs, path = self._fs()
        return fs.cat_file(path)

    def size(self) -> int:
        """The file's size in bytes; OSError as os.stat raises."""
        fs, path = self._fs()
        return int(fs.size(path))

    def read_text(self, encoding: str = "utf-8") -> str:
        return self.read_bytes().decode(encoding)

    def is_file(self) -> bool:
        fs, path = self._fs()
        return fs.isfile(path)

    def is_dir(self) -> bool:
        fs, path = self._fs()
        return fs.isdir(path)

    def open(self, mode: str = "rb") -> IO[bytes]:
        fs, path = self._fs()
        return fs.open(path, mode)


def local_path(url: str) -> Path | None:
    """The path of a file:// URL on this machine, else None."""
    if not url.lower().startswith(LOCAL + "://"):
        return None
    return Path(url[len(LOCAL) + 3 :] or "/")


def walk_url(
    top: UrlFile, wanted: Callable[[str], bool]
) -> Iterator[UrlFile | Failed]:
    """The files under the folder at `top` whose names are `wanted`, lazily, in the order
    of their paths' parts (as local folders are walked); a `Failed` (skipped) item for
    each folder that cannot be listed."""
    fs, path = top._fs()
    try:
        entries = fs.ls(path, detail=True)
    except OSError as err:
        yield Failed(str(top), f"folder not readable: {err.strerror or err}", SKIPPED)
        return
    named = sorted((entry["name"].rstrip("/").rsplit("/", 1)[-1], entry) for entry in entries)
    for name, entry in named:
        child = top.joinpath(name)
        if entry.get("type") == "directory":
            yield from walk_url(child, wanted)
        elif wanted(name):
            yield child
