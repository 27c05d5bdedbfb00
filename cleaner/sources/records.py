"""Captures from records: JSON lines of `cleaner stream` (one object per line, each line
bounded) and the items a crawler yields.

A line longer than the size limit is never held whole: `bounded_lines` keeps its first
`max_bytes + 1` bytes and skips the rest, and `parse_record` refuses it unparsed.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, BinaryIO

from ..document import HTML, Capture
from ..errors import CaptureError
from .files import DEFAULT_MAX_BYTES, content_capture, too_big, utf8_size

# Record fields that may hold the content, in the order they are looked for. A field
# named 'html' is HTML whatever it looks like (a fragment has no <html> to sniff).
CONTENT_FIELDS = ("html", "text")
URL_FIELD = "url"
# Record fields that become Capture fields rather than extra fields.
FETCHED_FIELD = "fetched_at"
# Bytes read at a time while skipping the rest of a line over the limit.
SKIP_CHUNK = 1 << 20


def record_capture(
    record: Mapping[str, Any],
    source: str,
    *,
    content_fields: Iterable[str] = CONTENT_FIELDS,
    url_field: str = URL_FIELD,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> Capture:
    """The Capture of a record such as `{"url": ..., "html": ...}` (a JSON line, a crawled item).

    The first of `content_fields` holding a string (or bytes) is the content; `url_field`
    and `fetched_at` become the Capture's fields; the other fields its `extra`. A field
    named 'html' is HTML whatever it looks like; other content is sniffed. Raises
    CaptureError when no content field holds text, or it holds more than `max_bytes`.
    """
    content_fields = tuple(content_fields)
    name = next((f for f in content_fields if isinstance(record.get(f), (str, bytes))), None)
    if name is None:
        wanted = " or ".join(repr(f) for f in content_fields)
        raise CaptureError(source, f"no {wanted} field holding text")
    url = record.get(url_field)
    fetched_at = record.get(FETCHED_FIELD)
    taken = {*content_fields, url_field, FETCHED_FIELD}
    return content_capture(
        record[name],
        source,
        HTML if name == "html" else None,
        max_bytes,
        url=url if isinstance(url, str) and url else None,
        fetched_at=fetched_at if isinstance(fetched_at, str) else None,
        extra={k: v for k, v in record.items() if k not in taken},
    )


def bounded_lines(stream: BinaryIO, max_bytes: int | None = DEFAULT_MAX_BYTES) -> Iterator[bytes]:
    """The lines of a binary stream, each cut to `max_bytes + 1` bytes at most (None: whole):
    a line so cut is over the limit, which `parse_record` tells from its length."""
    if max_bytes is None:
        yield from stream
        return
    while line := stream.readline(max_bytes + 1):
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while (rest := stream.readline(SKIP_CHUNK)) and not rest.endswith(b"\n"):
                pass
        yield line


def parse_record(
    line: str | bytes, source: str, max_bytes: int | None = DEFAULT_MAX_BYTES
) -> dict[str, Any]:
    """The JSON object on one line; CaptureError says what is wrong with it (not UTF-8, not
    JSON, nested too deeply, not an object, over `max_bytes`: then it is not parsed)."""
    if max_bytes is not None:
        content = line.rstrip(b"\r\n") if isinstance(line, bytes) else line.rstrip("\r\n")
        if utf8_size(content, max_bytes) > max_bytes:
            raise CaptureError(source, too_big(f"a line of more than {max_bytes:,} bytes", max_bytes))
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError as err:
            raise CaptureError(source, f"not UTF-8: {err}") from None
    if not line.strip():
        raise CaptureError(source, "empty line")
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        raise CaptureError(source, f"not JSON: {err}") from None
    except RecursionError:
        raise CaptureError(source, "not JSON this tool reads: nested too deeply") from None
    if not isinstance(record, dict):
        raise CaptureError(source, f"not a JSON object but {type(record).__name__}")
    return record
