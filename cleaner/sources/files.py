"""Finding capture files and reading them into `Capture` objects: gzip, encodings, sidecars."""
from __future__ import annotations

import gzip
import json
import os
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import charset_normalizer

from ..document import HTML, TEXT, Capture
from ..errors import CaptureError
from .items import SKIPPED, Failed
from .urls import UrlFile, is_url, local_path, walk_url

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
SIDECAR_SUFFIX = ".meta.json"
# Bytes sniffed to tell HTML from text whatever the file is called.
SNIFF_BYTES = 2048
HTML_OPENINGS = ("<!doctype html", "<html", "<head", "<body", "<?xml")
# Markup tags. A capture that opens with something else (a PHP warning, a comment, a
# <script>) is HTML when tags stand on several of its first lines: a page's head has
# tags on every line, while a text capture has at most a line that quotes some
# (WordPress's "You may use these HTML tags" under comment forms). A capture named
# .html/.htm needs just one tag.
TAG = re.compile(r"<(?:/?[a-zA-Z][a-zA-Z0-9]*[\s>/]|!--)")
MIN_TAG_LINES = 3
# Sidecar keys that become Capture fields; the rest is kept in Capture.extra.
SIDECAR_FIELDS = ("url", "fetched_at")


def capture_name(path: Path) -> tuple[str, str] | None:
    """(stem, suffix) of a capture file name, or None if it is not one we read."""
    name = path.name.lower()
    name = name.removesuffix(".gz")
    for suffix in TEXT_SUFFIXES + HTML_SUFFIXES:
        if name.endswith(suffix) and not name.endswith(SIDECAR_SUFFIX):
            return path.name[: len(name) - len(suffix)], suffix
    return None


def find_captures(
    inputs: Iterable[str | Path], also: Callable[[Path], bool] | None = None
) -> Iterator[Path]:
    """Yield capture files: files given are taken as they are, folders are walked in
    sorted order for capture names (and names `also` accepts, e.g. WARC files)."""
    for found in walk_inputs(inputs, also):
        if isinstance(found, Path):
            yield found


def walk_inputs(
    inputs: Iterable[str | Path], also: Callable[[Path], bool] | None = None
) -> Iterator[Path | Failed]:
    """Like `find_captures`, lazily (a folder's entries are listed when it is reached), and
    with a `Failed` item (`skipped`, with its reason) for each capture name that is a
    symbolic link to nothing (broken, or a loop), each folder that cannot be listed and
    each folder a symbolic link leads back into (a loop, walked once). Symbolic links to
    folders are followed. The order is that of the paths' parts, as sorting every path
    would give."""
    for item in inputs:
        if is_url(item):
            yield from _walk_url(str(item), also)
            continue
        path = Path(item)
        if path.is_dir():
            yield from _walk(path, also, set())
        else:
            yield path


def _walk_url(
    url: str, also: Callable[[Path], bool] | None
) -> Iterator[Path | Failed]:
    """`walk_inputs` for a URL: UrlFile objects stand for the Paths. A file:// URL is
    walked as the local folder it names (links and loops as there)."""
    local = local_path(url)
    if local is not None:
        prefix = url[: url.index("://") + 3]
        for found in walk_inputs([local], also):
            if isinstance(found, Failed):
                yield Failed(prefix + found.source, found.reason, found.status)
            else:
                yield UrlFile(prefix + str(found))  # type: ignore[misc]
        return
    top = UrlFile(url)
    try:
        folder = top.is_dir()
    except OSError:
        folder = False  # reading it says why
    if not folder:
        yield top  # type: ignore[misc]
        return

    def wanted(name: str) -> bool:
        return bool(capture_name(Path(name)) or (also and also(Path(name))))

    yield from walk_url(top, wanted)  # type: ignore[misc]


def _walk(
    folder: Path, also: Callable[[Path], bool] | None, ancestors: set[tuple[int, int]]
) -> Iterator[Path | Failed]:
    try:
        stat = folder.stat()
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as err:
        yield Failed(str(folder), f"folder not readable: {err.strerror or err}", SKIPPED)
        return
    key = (stat.st_dev, stat.st_ino)
    if key in ancestors:
        yield Failed(str(folder), "a symbolic link loops back to a folder above it", SKIPPED)
        return
    ancestors.add(key)
    for entry in entries:
        path = folder / entry.name
        wanted = bool(capture_name(path) or (also and also(path)))
        try:
            is_dir = entry.is_dir()
            is_file = not is_dir and entry.is_file()
        except OSError as err:
            is_dir = is_file = False
            if wanted:
                yield Failed(str(path), f"not readable: {err.strerror or err}", SKIPPED)
                continue
        if is_dir:
            yield from _walk(path, also, ancestors)
        elif is_file and wanted:
            yield path
        elif wanted and entry.is_symlink():
            yield Failed(str(path), "a symbolic link to nothing (broken, or a loop)", SKIPPED)
    ancestors.discard(key)


def read_capture(path: str | Path) -> Capture:
    """Read one capture file (optionally gzipped) with its sidecar `NAME.meta.json`; a
    URL (s3://, gs://...) is read through fsspec."""
    path = UrlFile(path) if is_url(path) else Path(path)  # type: ignore[assignment]
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise CaptureError(source, f"cannot read: {err.strerror or err}") from err
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as err:
            raise CaptureError(source, f"broken gzip data: {err}") from err
    sidecar = read_sidecar(path)
    text = decode(data, declared=sidecar.get("encoding"))
    fields = {key: sidecar[key] for key in SIDECAR_FIELDS if isinstance(sidecar.get(key), str)}
    extra = {key: value for key, value in sidecar.items() if key not in SIDECAR_FIELDS}
    named = capture_name(path)
    kind = sniff_kind(text, HTML if named and named[1] in HTML_SUFFIXES else TEXT)
    return Capture(text=text, source=source, kind=kind, extra=extra, **fields)


def content_capture(
    content: str | bytes, source: str, kind: str | None = None, **fields: Any
) -> Capture:
    """A Capture of raw content held in memory: bytes decoded, kind sniffed unless given."""
    text = decode(content) if isinstance(content, bytes) else content
    return Capture(text=text, source=source, kind=kind or sniff_kind(text), **fields)


def read_sidecar(path: Path) -> dict:
    """The JSON object in `NAME.meta.json` beside the capture, or {} when there is none."""
    named = capture_name(path)
    stem = named[0] if named else path.stem
    sidecar = path.with_name(stem + SIDECAR_SUFFIX)
    if not sidecar.is_file():
        return {}
    try:
        value = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise CaptureError(str(path), f"bad sidecar {sidecar.name}: {err}") from err
    if not isinstance(value, dict):
        raise CaptureError(str(path), f"bad sidecar {sidecar.name}: not a JSON object")
    return value


def decode(data: bytes, declared: str | None = None) -> str:
    """Decode bytes: BOM, then a declared charset, then UTF-8, then detection; never raises."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(codec, errors="replace")
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is not None:
        return str(best)
    # Nothing fits: keep every byte visible rather than fail the capture.
    return data.decode("utf-8", errors="replace")


def sniff_kind(text: str, named: str | None = None) -> str:
    """'html' when the content is markup, else 'text'; the kind the file name gives
    (`named`) only decides when the content leaves it open."""
    head = text[:SNIFF_BYTES].lstrip().lower()
    if head.startswith(HTML_OPENINGS):
        return HTML
    tag_lines = sum(1 for line in head.splitlines() if TAG.search(line))
    if tag_lines >= MIN_TAG_LINES or (named == HTML and tag_lines):
        return HTML
    return TEXT
