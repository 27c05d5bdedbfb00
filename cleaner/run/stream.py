"""Cleaning a stream of captures one at a time, as a crawler hands them over.

>>> from cleaner.dedup import Deduplicator
>>> for result in clean_many(captures, dedup=Deduplicator()):
...     if result.kept:
...         save(result.article)
...     else:
...         log(result.source, result.status, result.reason)

Nothing here holds state between calls except the Deduplicator the caller passes in.
Cleaning itself is thread- and process-safe (rule books are read-only once loaded);
a Deduplicator belongs to one thread, so give each thread its own, or none.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..dedup import Deduplicator, DuplicateKeyError, Match
from ..document import HTML, Article, Capture
from ..errors import CaptureError
from ..siterules.rulebook import RuleBook
from ..sources.files import DEFAULT_MAX_BYTES, check_size, content_capture
from ..sources.jsonl import parse_record
from .batch import DUPLICATE, EMPTY, ERROR, WRITTEN, clean_or_reason, empty_reason

# Record fields that may hold the content, in the order they are looked for. A field
# named 'html' is HTML whatever it looks like (a fragment has no <html> to sniff).
CONTENT_FIELDS = ("html", "text")
URL_FIELD = "url"
# Record fields that become Capture fields rather than extra fields.
FETCHED_FIELD = "fetched_at"
# Characters of the body hash added to a dedup key that an earlier, different body holds.
KEY_HASH_CHARS = 16


@dataclass(frozen=True, slots=True)
class Result:
    """What became of one capture: `status` is written (kept), duplicate, empty or error.

    `article` is set unless the capture could not be cleaned; `reason` says why a capture
    was not kept; `duplicate_of` is the dedup key of the earlier document it repeats;
    `extra` holds the capture's extra fields (a stream record's other fields).
    """

    source: str
    status: str
    article: Article | None = None
    reason: str | None = None
    duplicate_of: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def kept(self) -> bool:
        return self.status == WRITTEN

    def fields(self) -> dict[str, Any]:
        """The article's front matter and body, for JSON lines or a crawler's item (kept only)."""
        if not self.kept or self.article is None:
            return {}
        return {**self.article.meta, "body": self.article.body}


def clean_many(
    items: Iterable[Capture | str | bytes],
    *,
    rules: RuleBook | None = None,
    dedup: Deduplicator | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> Iterator[Result]:
    """Clean `items` lazily, one Result per item in input order; a bad item never stops it.

    Items are Captures or raw content (text, HTML or bytes, cleaned as `clean` would).
    With `dedup`, each kept article is checked against (and registered in) that index
    under its URL, else its source; without it nothing is deduplicated. An item that is
    not text, or larger than `max_bytes` (None: no limit), is an error Result.
    """
    for number, item in enumerate(items, 1):
        source = item.source if isinstance(item, Capture) else f"<item {number}>"
        try:
            if isinstance(item, Capture):
                check_size(item.text, source, max_bytes)
            else:
                item = content_capture(item, source, max_bytes=max_bytes)
        except CaptureError as err:
            yield Result(source, ERROR, reason=err.problem)
            continue
        yield clean_one(item, rules=rules, dedup=dedup)


def clean_one(
    capture: Capture, *, rules: RuleBook | None = None, dedup: Deduplicator | None = None
) -> Result:
    """Clean one capture into a Result: never raises for a bad capture (status 'error')."""
    article, error = clean_or_reason(capture, rules)
    if article is None:
        return Result(capture.source, ERROR, reason=error, extra=capture.extra)
    if article.is_empty:
        reason = empty_reason(article.drop_counts())
        return Result(capture.source, EMPTY, article, reason, extra=capture.extra)
    if dedup is not None:
        key = capture.url or article.meta.get("url") or capture.source
        try:
            match = register(dedup, article, key)
        except DuplicateKeyError as err:
            return Result(capture.source, ERROR, article, f"dedup: {err}", extra=capture.extra)
        if match is not None:
            reason = f"{match.kind} duplicate of {match.key} (similarity {match.similarity:.2f})"
            return Result(capture.source, DUPLICATE, article, reason, match.key, capture.extra)
    return Result(capture.source, WRITTEN, article, extra=capture.extra)


def register(dedup: Deduplicator, article: Article, key: str) -> Match | None:
    """The earlier document `article` duplicates, or None after registering it under `key`.

    A key already taken by another body (a page re-crawled after an edit) gets the start
    of this body's hash appended, so every kept body is registered.
    """
    hashed = f"{key}#{article.meta['sha256'][:KEY_HASH_CHARS]}"
    if key in dedup:
        key = hashed
    try:
        return dedup.seen(article, key)
    except DuplicateKeyError:  # another process took the key between the check and now
        return dedup.seen(article, hashed)


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


def clean_json_lines(
    lines: Iterable[str | bytes],
    *,
    rules: RuleBook | None = None,
    dedup: Deduplicator | None = None,
    name: str = "<stdin>",
    max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> Iterator[dict[str, Any]]:
    """One output record per JSON line, in order: what `cleaner stream` writes.

    An input line is an object with "html" or "text" and usually "url"; its fields other
    than the content come first in the output, then "status", then "reason" (and
    "duplicate_of") for a dropped capture, or the article's front matter and "body" for a
    kept one. A line that is not such an object, or longer than `max_bytes` (None: no
    limit; see `sources.jsonl.bounded_lines` to read such lines without holding them
    whole), gives an error record. Captures are named `<name>:<line number>`.
    """
    for number, line in enumerate(lines, 1):
        source = f"{name}:{number}"
        try:
            record = parse_record(line, source, max_bytes)
        except CaptureError as err:
            yield {"status": ERROR, "reason": f"line {number}: {err.problem}"}
            continue
        passed = {k: v for k, v in record.items() if k not in CONTENT_FIELDS}
        try:
            capture = record_capture(record, source)
        except CaptureError as err:
            yield {**passed, "status": ERROR, "reason": f"line {number}: {err.problem}"}
            continue
        yield {**passed, **result_record(clean_one(capture, rules=rules, dedup=dedup))}


def result_record(result: Result) -> dict[str, Any]:
    """The status, reason and article fields of a Result, as a JSON-ready dict."""
    record: dict[str, Any] = {"status": result.status}
    if result.reason is not None:
        record["reason"] = result.reason
    if result.duplicate_of is not None:
        record["duplicate_of"] = result.duplicate_of
    if result.article is not None and result.article.warnings:
        record["warnings"] = list(result.article.warnings)
    record.update(result.fields())
    return record
