"""Finding capture files and reading them into `Capture` objects: gzip, encodings, sidecars.

Reading never trusts a file: its size is checked before it is read and a gzip stream is
inflated only up to the size limit (`max_bytes`), bytes that are not text (a PDF or an
image named .html) are refused with a reason, and every path found that cannot be read
(a symlink loop, a FIFO, a folder that cannot be listed) is still yielded, so that it
gets its manifest line with the reason `read_capture` gives.
"""
from __future__ import annotations

import codecs
import errno
import gzip
import json
import os
import re
import stat
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ..document import HTML, TEXT, Capture
from ..errors import CaptureError, CaptureTypeError
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
# The largest capture read (after gunzip), in bytes: `--max-bytes`, and `max_bytes` in
# the library. The largest real page of the 2,446 we have (dev set and WCXB) is 5.3 MB
# of HTML (99% are under 2.3 MB); it cleans in 2 s with 40 MB of memory. Cost grows
# faster than size on the worst HTML, made of many small paragraphs (bench/limits.py,
# 2026-11-29): 16 MB of it take 0.8 GB and 80 s of CPU, 32 MB 1.5 GB and 290 s; text
# captures take 6 times their size in memory and 2 s for 16 MB. 16 MiB keeps three
# times the largest real page, and a worker cleaning the worst page under 1 GB.
DEFAULT_MAX_BYTES = 16 * 1024 * 1024
GZIP_MAGIC = b"\x1f\x8b"
# Bytes looked at to tell text from binary data and UTF-16 from 8-bit encodings.
SNIFF_SAMPLE = 8192
# Byte-order marks, longest first: a UTF-32 LE mark begins with UTF-16 LE's.
BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"),
)
# UTF-16 without a byte-order mark: every character below U+0100 (all of the markup
# and spaces of a page, all of Latin-script text) has a NUL as one of its two bytes,
# which no 8-bit or UTF-8 text has. A tenth of the bytes of one parity being NUL tells
# it for Cyrillic or Greek text too (its spaces and punctuation are ASCII: 15-25% of its
# characters), while random binary data has 0.4%; the other parity must hold (almost)
# none, as no character of two NUL bytes is text, and the sample must decode.
UTF16_NUL_SHARE = 0.1
UTF16_OTHER_NUL_SHARE = 0.02
# File formats that are not text, by their first bytes, for a clear reason in the manifest.
BINARY_SIGNATURES = (
    (b"%PDF-", "a PDF document"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"), (b"PK\x03\x04", "a ZIP archive (or an office document)"),
    (GZIP_MAGIC, "gzip data (compressed twice?)"), (b"\x7fELF", "a program"),
    (b"BZh", "bzip2 data"), (b"\xfd7zXZ\x00", "xz data"), (b"\x28\xb5\x2f\xfd", "zstd data"),
)
# Control bytes (C0 but tab, line feed, form feed and carriage return): text in any
# encoding but UTF-16/32 has next to none (3 of the dev set's 949 text captures hold
# one, once), random binary data has 11%. More than 5% of a sample is binary data.
CONTROL_BYTES = bytes([*range(0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
BINARY_CONTROL_SHARE = 0.05
# Charsets declared as Latin-1 or ASCII are read as Windows-1252, as browsers do
# (WHATWG Encoding Standard): pages that say so use its quotes and dashes (0x80-0x9F).
WINDOWS_1252_ALIASES = frozenset({"latin_1", "ascii", "iso8859_1"})


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
    """Like `find_captures`, lazily (a folder's entries are listed when it is reached),
    and with a `Failed` item (`skipped`, with its reason) for each path found that is not
    read: a capture name that is a symbolic link to nothing (broken, or a loop), a folder
    that cannot be listed, a folder reached again through a symbolic link. Symbolic links
    to folders are followed and each folder is walked once, so a walk always ends. The
    order is that of the paths' parts, as sorting every path would give."""
    for item in inputs:
        if is_url(item):
            yield from _walk_url(str(item), also)
            continue
        path = Path(item)
        if path.is_dir():
            yield from _walk(path, also)
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


def _walk(root: Path, also: Callable[[Path], bool] | None) -> Iterator[Path | Failed]:
    """Depth-first walk of `root` in sorted order, without recursion, so that deep trees
    are no problem either."""
    walked = {os.path.realpath(root)}
    try:
        folders = [iter(listing(root))]
    except OSError as err:
        yield Failed(source_name(root), f"folder not readable: {err.strerror or err}", SKIPPED)
        return
    while folders:
        path = next(folders[-1], None)
        if path is None:
            folders.pop()
            continue
        if path.is_dir():
            real = os.path.realpath(path)
            if real in walked:
                yield Failed(source_name(path), "a symbolic link to a folder walked already "
                             "(a loop, or the same folder twice): walked once", SKIPPED)
                continue
            walked.add(real)
            try:
                folders.append(iter(listing(path)))
            except OSError as err:
                yield Failed(source_name(path), f"folder not readable: {err.strerror or err}",
                             SKIPPED)
        elif capture_name(path) or (also and also(path)):
            if path.exists():
                yield path
            else:
                yield Failed(source_name(path), _dangling(path), SKIPPED)


def _dangling(path: Path) -> str:
    """Why a path found in a folder cannot be read although its name is a capture's."""
    try:
        os.stat(path)
    except OSError as err:
        if err.errno == errno.ELOOP:
            return "a loop of symbolic links"
        if err.errno == errno.ENOENT:
            return "a broken symbolic link (it leads to nothing)"
        return f"not readable: {err.strerror or err}"
    return "gone while the folder was walked"


def listing(folder: Path) -> list[Path]:
    """The entries of `folder`, sorted by name; raises OSError."""
    with os.scandir(folder) as entries:
        return [folder / name for name in sorted(entry.name for entry in entries)]


def source_name(path: str | Path | UrlFile) -> str:
    """How a capture file is named in the manifest and front matter: its path (or URL),
    with the bytes of a name that are not UTF-8 written as \\xNN (Python holds them as
    lone surrogates, which no UTF-8 file, JSON line or database can take)."""
    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")


def read_capture(path: str | Path, max_bytes: int | None = DEFAULT_MAX_BYTES) -> Capture:
    """Read one capture file (optionally gzipped) with its sidecar `NAME.meta.json`.

    Raises CaptureError, saying why, for a file that cannot be read, is not a regular
    file, is larger than `max_bytes` once inflated (None: no limit), is not text, or
    whose sidecar is not a JSON object of the expected fields. A URL (s3://, gs://...)
    is read through fsspec.
    """
    path = UrlFile(path) if is_url(path) else Path(path)  # type: ignore[assignment]
    source = source_name(path)
    data = read_limited(path, max_bytes)
    sidecar = read_sidecar(path, max_bytes)
    for key in ("encoding", *SIDECAR_FIELDS):
        if sidecar.get(key) is not None and not isinstance(sidecar[key], str):
            problem = f"'{key}' is {type(sidecar[key]).__name__}, not text"
            raise CaptureError(source, f"bad sidecar {sidecar_path(path).name}: {problem}")
    refuse_binary(data, source)
    text = decode(data, declared=sidecar.get("encoding"))
    fields = {key: sidecar[key] for key in SIDECAR_FIELDS if sidecar.get(key) is not None}
    extra = {key: value for key, value in sidecar.items() if key not in SIDECAR_FIELDS}
    named = capture_name(path)
    kind = sniff_kind(text, HTML if named and named[1] in HTML_SUFFIXES else TEXT)
    return Capture(text=text, source=source, kind=kind, extra=extra, **fields)


def read_limited(path: Path | UrlFile, max_bytes: int | None) -> bytes:
    """The bytes of the file at `path`, gunzipped; CaptureError when it is not a regular
    file, cannot be read, or holds more than `max_bytes` (found out without reading more
    than that: the file's size first, then a gzip stream inflated up to the limit)."""
    source = source_name(path)
    try:
        if isinstance(path, UrlFile):
            size, stream = path.size(), path.open()
        else:
            info = os.stat(path)
            if not stat.S_ISREG(info.st_mode):
                raise CaptureError(source, not_a_file(path, info))
            size, stream = info.st_size, open(path, "rb")  # noqa: SIM115 - closed just below
        with stream:
            if stream.read(2) != GZIP_MAGIC:
                if max_bytes is not None and size > max_bytes:
                    raise CaptureError(source, too_big(f"{size:,} bytes", max_bytes))
                stream.seek(0)
                return read_up_to(stream, max_bytes, source, "bytes", size)
            stream.seek(0)
            try:
                with gzip.GzipFile(fileobj=stream) as inflated:
                    return read_up_to(inflated, max_bytes, source, "bytes once inflated")
            except (EOFError, zlib.error, gzip.BadGzipFile) as err:
                raise CaptureError(source, f"broken gzip data: {err}") from err
    except OSError as err:
        raise CaptureError(source, f"cannot read: {unreadable(path, err)}") from err


def read_up_to(stream: Any, max_bytes: int | None, source: str, what: str,
               size: int | None = None) -> bytes:
    """All of `stream`, or CaptureError if it holds more than `max_bytes`. `size`: what
    the stream is expected to hold (a file's size), read first: asking for `max_bytes`
    at once makes Python allocate a buffer of that size for every file."""
    if max_bytes is None:
        return stream.read()
    data = b""
    if size is not None and size < max_bytes:
        data = stream.read(size + 1)
        if len(data) <= size:  # the whole file (had it grown, there would be more)
            return data
    data += stream.read(max_bytes + 1 - len(data))
    if len(data) > max_bytes:
        raise CaptureError(source, too_big(f"more than {max_bytes:,} {what}", max_bytes))
    return data


def too_big(size: str, max_bytes: int) -> str:
    return f"too large: {size}, over the limit of {max_bytes:,} (max_bytes, --max-bytes)"


def not_a_file(path: Path, info: os.stat_result) -> str:
    """Why a path that is not a regular file is not read."""
    if stat.S_ISDIR(info.st_mode):
        if path.is_symlink():
            return (f"a link to a folder searched already ({os.path.realpath(path)}): "
                    "each folder is searched once, so links cannot loop")
        try:
            os.listdir(path)
        except OSError as err:
            return f"a folder that cannot be listed: {err.strerror or err}"
        return "a folder, not a capture file"
    kinds = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
             (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))
    kind = next((name for test, name in kinds if test(info.st_mode)), "not a file")
    return f"not a regular file but {kind}"


def unreadable(path: Path | UrlFile, err: OSError) -> str:
    """What an OSError met reading `path` means, links explained."""
    if not isinstance(path, UrlFile) and path.is_symlink() and not path.exists():
        target = os.readlink(path)
        if err.errno == errno.ELOOP:
            return f"a loop of symbolic links (this one points to {target})"
        return f"a broken symbolic link to {target}"
    return err.strerror or str(err)


def content_capture(
    content: str | bytes,
    source: str,
    kind: str | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    **fields: Any,
) -> Capture:
    """A Capture of raw content held in memory: bytes decoded, kind sniffed unless given.

    Raises CaptureTypeError when `content` is neither text nor bytes, CaptureError when
    it holds more than `max_bytes` (None: no limit; text is measured in UTF-8) or is
    bytes that are not text.
    """
    if not isinstance(content, (str, bytes)):
        raise CaptureTypeError(source, f"content must be text or bytes, not {type(content).__name__}")
    check_size(content, source, max_bytes)
    if isinstance(content, bytes):
        refuse_binary(content, source)
        text = decode(content)
    else:
        text = content
    return Capture(text=text, source=source, kind=kind or sniff_kind(text), **fields)


def check_size(content: str | bytes, source: str, max_bytes: int | None) -> None:
    """CaptureError when `content` holds more than `max_bytes` (None: no limit)."""
    if max_bytes is not None and utf8_size(content, max_bytes) > max_bytes:
        raise CaptureError(source, too_big(f"more than {max_bytes:,} bytes", max_bytes))


def utf8_size(content: str | bytes, max_bytes: int) -> int:
    """The size of `content` in bytes (text in UTF-8), measured only when it matters:
    a character takes 1 to 4 bytes."""
    if isinstance(content, bytes) or len(content) > max_bytes or 4 * len(content) <= max_bytes:
        return len(content)
    return len(content.encode("utf-8", "surrogatepass"))


def sidecar_path(path: Path | UrlFile) -> Path | UrlFile:
    """Where the sidecar of the capture at `path` would be: `NAME.meta.json`."""
    named = capture_name(path)
    stem = named[0] if named else path.stem
    return path.with_name(stem + SIDECAR_SUFFIX)


def read_sidecar(path: Path | UrlFile, max_bytes: int | None = DEFAULT_MAX_BYTES) -> dict:
    """The JSON object in `NAME.meta.json` beside the capture, or {} when there is none;
    CaptureError when it is unreadable, larger than `max_bytes`, or not a JSON object."""
    sidecar = sidecar_path(path)
    if not sidecar.is_file():
        return {}
    try:
        value = json.loads(read_limited(sidecar, max_bytes).decode("utf-8"))
    except CaptureError as err:
        raise CaptureError(source_name(path), f"bad sidecar {sidecar.name}: {err.problem}") from err
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise CaptureError(source_name(path), f"bad sidecar {sidecar.name}: {err}") from err
    except RecursionError as err:
        raise CaptureError(source_name(path), f"bad sidecar {sidecar.name}: nested too deeply") from err
    if not isinstance(value, dict):
        raise CaptureError(source_name(path), f"bad sidecar {sidecar.name}: not a JSON object")
    return value


def decode(data: bytes, declared: str | None = None) -> str:
    """Decode bytes: BOM, then UTF-16 without one, then a declared charset (when it
    names one and fits), then UTF-8, then detection; never raises."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(codec, errors="replace")
    utf16 = utf16_codec(data)
    if utf16:
        return data.decode(utf16, errors="replace")
    codec = known_codec(declared)
    if codec:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    import charset_normalizer  # rarely needed: 15 ms less to start every run

    best = charset_normalizer.from_bytes(data).best()
    if best is not None:
        return str(best)
    # Nothing fits: keep every byte visible rather than fail the capture.
    return data.decode("utf-8", errors="replace")


def known_codec(declared: str | None) -> str | None:
    """The codec a declared charset names, or None for a name that is none (unknown,
    or garbage such as a NUL inside); Latin-1 and ASCII are read as Windows-1252."""
    if not declared or not declared.isprintable():
        return None
    try:
        name = codecs.lookup(declared.strip()).name
    except (LookupError, ValueError):
        return None
    return "cp1252" if name.replace("-", "_") in WINDOWS_1252_ALIASES else name


def utf16_codec(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when `data` is UTF-16 without a byte-order mark, else None."""
    sample = data[:SNIFF_SAMPLE]
    half = len(sample) // 2
    if half < 2 or b"\x00" not in sample:
        return None
    even, odd = sample[0::2].count(0) / half, sample[1::2].count(0) / half
    for nul_share, other_share, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if nul_share >= UTF16_NUL_SHARE and other_share <= UTF16_OTHER_NUL_SHARE:
            try:
                sample[: half * 2 - 2].decode(codec)  # may cut a surrogate pair at its end
            except UnicodeDecodeError:
                return None
            return codec
    return None


def refuse_binary(data: bytes, source: str) -> None:
    """CaptureError when `data` is not text: a known file format, or control bytes
    text does not have (UTF-16 and UTF-32, which have NULs, are text)."""
    for signature, kind in BINARY_SIGNATURES:
        if data.startswith(signature):
            raise CaptureError(source, f"not text but {kind}")
    sample = data[:SNIFF_SAMPLE]
    if not sample or any(data.startswith(bom) for bom, _ in BOMS) or utf16_codec(data):
        return
    controls = len(sample) - len(sample.translate(None, CONTROL_BYTES))
    if controls > BINARY_CONTROL_SHARE * len(sample):
        raise CaptureError(source, "not text but binary data (control bytes)")


def sniff_kind(text: str, named: str | None = None) -> str:
    """'html' when the content is markup, else 'text'; the kind the file name gives
    (`named`) only decides when the content leaves it open."""
    head = text[:SNIFF_BYTES].lstrip().lower()
    if head.startswith(HTML_OPENINGS):
        return HTML
    if "<" not in head:  # no tag without one: most text captures are told here at once
        return TEXT
    tag_lines = sum(1 for line in head.splitlines() if TAG.search(line))
    if tag_lines >= MIN_TAG_LINES or (named == HTML and tag_lines):
        return HTML
    return TEXT
