"""Reading captures as JSON lines (`cleaner stream`): one object per line, each line bounded.

A line longer than the size limit is never held whole: `bounded_lines` keeps its first
`max_bytes + 1` bytes and skips the rest, and `parse_record` refuses it unparsed.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from ..errors import CaptureError
from .files import DEFAULT_MAX_BYTES, too_big, utf8_size

# Bytes read at a time while skipping the rest of a line over the limit.
SKIP_CHUNK = 1 << 20


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
