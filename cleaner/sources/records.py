"""Captures from records: a JSON line of `cleaner stream`, an item a crawler yields."""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from ..document import HTML, Capture
from ..errors import CaptureError
from .files import content_capture

# Record fields that may hold the content, in the order they are looked for. A field
# named 'html' is HTML whatever it looks like (a fragment has no <html> to sniff).
CONTENT_FIELDS = ("html", "text")
URL_FIELD = "url"
# Record fields that become Capture fields rather than extra fields.
FETCHED_FIELD = "fetched_at"


def record_capture(
    record: Mapping[str, Any],
    source: str,
    *,
    content_fields: Iterable[str] = CONTENT_FIELDS,
    url_field: str = URL_FIELD,
) -> Capture:
    """The Capture of a record such as `{"url": ..., "html": ...}` (a JSON line, a crawled item).

    The first of `content_fields` holding a string (or bytes) is the content; `url_field`
    and `fetched_at` become the Capture's fields; the other fields its `extra`. A field
    named 'html' is HTML whatever it looks like; other content is sniffed. Raises
    CaptureError when no content field holds text.
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
        url=url if isinstance(url, str) and url else None,
        fetched_at=fetched_at if isinstance(fetched_at, str) else None,
        extra={k: v for k, v in record.items() if k not in taken},
    )


def parse_record(line: str | bytes, source: str) -> dict[str, Any]:
    """The JSON object on one line; CaptureError says what is wrong with it."""
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
    if not isinstance(record, dict):
        raise CaptureError(source, f"not a JSON object but {type(record).__name__}")
    return record
