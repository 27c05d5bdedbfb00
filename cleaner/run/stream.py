"""Cleaning captures one at a time, as a crawler hands them over: each gets its decision
at once (`OnlinePlacer`), in order.

>>> from cleaner.dedup import Deduplicator
>>> for result in clean_many(captures, dedup=Deduplicator()):
...     if result.kept:
...         save(result.article)
...     else:
...         log(result.source, result.status, result.reason)

Nothing here holds state between calls except the Deduplicator (and the sinks) the
caller passes in. Cleaning itself is thread- and process-safe (rule books are read-only
once loaded); a Deduplicator belongs to one thread, so give each thread its own, or none.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from ..dedup import Deduplicator
from ..document import Article, Capture
from ..errors import CaptureError, CleanerError
from ..sinks import Sinks
from ..sinks.jsonl import json_line
from ..siterules.rulebook import RuleBook
from ..sources.files import DEFAULT_MAX_BYTES, check_size, content_capture
from ..sources.records import CONTENT_FIELDS, parse_record, record_capture
from .limited import LimitedCleaning
from .only import is_wanted, parse_types, skip_reason
from .outcome import EMPTY, ERROR, SKIPPED, WRITTEN, empty_reason
from .placer import OnlinePlacer
from .work import clean_or_reason

# How a capture is cleaned: (article, None), or (None, why it could not be).
Cleaning = Callable[[Capture], tuple[Article | None, str | None]]


@dataclass(frozen=True, slots=True)
class Result:
    """What became of one capture: `status` is written (kept), duplicate, empty, skipped
    (a page type not asked for) or error.

    `article` is set unless the capture could not be cleaned (its `page_type` says what
    kind of page it was); `reason` says why a capture was not kept; `duplicate_of` is the dedup key of the earlier document it repeats;
    `reference` where a sink wrote its article (or the earlier article it repeats);
    `extra` holds the capture's extra fields (a stream record's other fields).
    """

    source: str
    status: str
    article: Article | None = None
    reason: str | None = None
    duplicate_of: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    reference: str | None = None

    @property
    def kept(self) -> bool:
        return self.status == WRITTEN

    @property
    def page_type(self) -> str | None:
        """The capture's page type, None when unknown (not cleaned, or no page)."""
        return None if self.article is None else self.article.page_type

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
    sinks: Sinks | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    html_engine: str | None = None,
    only: str | Iterable[str] | None = None,
    timeout: float | None = None,
) -> Iterator[Result]:
    """Clean `items` lazily, one Result per item in input order; a bad item never stops it.

    Items are Captures or raw content (text, HTML or bytes, cleaned as `clean` would).
    With `dedup`, each kept article is checked against (and registered in) that index;
    without it nothing is deduplicated. With `sinks`, kept articles are written there too.
    An item that is not text, or larger than `max_bytes` (None: no limit), is an error
    Result. `html_engine` reads HTML (see `pipeline.html_reader`). `only` names the page
    types kept ("article,forum" or a list; None: all): a capture of another type is a
    `skipped` Result, neither written nor deduplicated (see `run.only`). `timeout`:
    seconds an item's cleaning may take (None: no limit); items are then cleaned in a
    worker process, and one over the limit is an error Result (see `run.limited`).
    Raises PageTypeError for an unknown type in `only`, at once (before the first item).
    """
    return _clean_many(items, rules, dedup, sinks, max_bytes, html_engine, parse_types(only),
                       timeout)


def cleaning_for(rules: RuleBook | None, html_engine: str | None,
                 timeout: float | None) -> LimitedCleaning | nullcontext[Cleaning]:
    """A context giving how each capture is cleaned: in this process, or in a worker
    within `timeout` seconds."""
    if timeout is not None:
        return LimitedCleaning(timeout, rules, html_engine)
    return nullcontext(lambda capture: clean_or_reason(capture, rules, html_engine))


def _clean_many(
    items: Iterable[Capture | str | bytes], rules: RuleBook | None, dedup: Deduplicator | None,
    sinks: Sinks | None, max_bytes: int | None, html_engine: str | None,
    only: frozenset[str] | None, timeout: float | None,
) -> Iterator[Result]:
    placer = OnlinePlacer(dedup, sinks)
    with cleaning_for(rules, html_engine, timeout) as cleaning:
        yield from _results(items, placer, cleaning, max_bytes, only)


def _results(items: Iterable[Capture | str | bytes], placer: OnlinePlacer, cleaning: Cleaning,
             max_bytes: int | None, only: frozenset[str] | None) -> Iterator[Result]:
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
        yield clean_one(item, placer=placer, only=only, cleaning=cleaning)


def clean_one(
    capture: Capture,
    *,
    rules: RuleBook | None = None,
    dedup: Deduplicator | None = None,
    placer: OnlinePlacer | None = None,
    html_engine: str | None = None,
    only: str | Iterable[str] | None = None,
    cleaning: Cleaning | None = None,
) -> Result:
    """Clean one capture into a Result: never raises for a bad capture (status 'error').
    Placed by `placer`, else against `dedup` alone; `skipped` when `only` (page types,
    see `clean_many`) does not want its type (PageTypeError for an unknown type).
    `cleaning` cleans it instead of `clean_or_reason` with `rules` and `html_engine` (a
    LimitedCleaning, for one)."""
    wanted = parse_types(only)
    if cleaning is None:
        article, error = clean_or_reason(capture, rules, html_engine)
    else:
        article, error = cleaning(capture)
    if article is None:
        return Result(capture.source, ERROR, reason=error, extra=capture.extra)
    if not is_wanted(article.page_type, wanted):
        return Result(capture.source, SKIPPED, article, skip_reason(article.page_type),
                      extra=capture.extra)
    if article.is_empty:
        reason = empty_reason(article.drop_counts())
        return Result(capture.source, EMPTY, article, reason, extra=capture.extra)
    placer = placer or OnlinePlacer(dedup)
    try:
        status, reference, reason, earlier = placer.place(
            capture.source, capture.url, article.meta, article.body)
    except (OSError, CleanerError) as err:
        return Result(capture.source, ERROR, article, f"cannot write: {err}", extra=capture.extra)
    return Result(capture.source, status, article, reason, earlier, capture.extra, reference)


def clean_json_lines(
    lines: Iterable[str | bytes],
    *,
    rules: RuleBook | None = None,
    dedup: Deduplicator | None = None,
    name: str = "<stdin>",
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    html_engine: str | None = None,
    only: str | Iterable[str] | None = None,
    timeout: float | None = None,
) -> Iterator[dict[str, Any]]:
    """One output record per JSON line, in order: what `cleaner stream` writes.

    An input line is an object with "html" or "text" and usually "url"; its fields other
    than the content come first in the output, then "status", then "reason" (and
    "duplicate_of") for a dropped capture, or the article's front matter and "body" for a
    kept one. A line that is not such an object, or longer than `max_bytes` (None: no
    limit; see `sources.records.bounded_lines` to read such lines without holding them
    whole), gives an error record. Captures are named `<name>:<line number>`. `only`
    names the page types kept (see `clean_many`): a record of another type says
    "skipped" and its "page_type". `timeout` limits each capture's cleaning (see
    `clean_many`). Raises PageTypeError for an unknown type, at once.
    """
    return _clean_json_lines(lines, rules, dedup, name, max_bytes, html_engine,
                             parse_types(only), timeout)


def _clean_json_lines(
    lines: Iterable[str | bytes], rules: RuleBook | None, dedup: Deduplicator | None, name: str,
    max_bytes: int | None, html_engine: str | None, only: frozenset[str] | None,
    timeout: float | None,
) -> Iterator[dict[str, Any]]:
    placer = OnlinePlacer(dedup)
    with cleaning_for(rules, html_engine, timeout) as cleaning:
        yield from _records(lines, placer, cleaning, name, max_bytes, only)


def _records(lines: Iterable[str | bytes], placer: OnlinePlacer, cleaning: Cleaning, name: str,
             max_bytes: int | None, only: frozenset[str] | None) -> Iterator[dict[str, Any]]:
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
        yield {**passed, **result_record(
            clean_one(capture, placer=placer, only=only, cleaning=cleaning))}


def result_record(result: Result) -> dict[str, Any]:
    """The status, reason and article fields of a Result, as a JSON-ready dict."""
    record: dict[str, Any] = {"status": result.status}
    if result.reason is not None:
        record["reason"] = result.reason
    if result.duplicate_of is not None:
        record["duplicate_of"] = result.duplicate_of
    if not result.kept and result.page_type is not None:
        record["page_type"] = result.page_type  # a kept one has it in its front matter
    if result.article is not None and result.article.warnings:
        record["warnings"] = list(result.article.warnings)
    record.update(result.fields())
    return record


def dumps(record: Mapping[str, Any]) -> str:
    """One output line of `cleaner stream` (made safe: see `sinks.jsonl.json_line`)."""
    return json_line(record)
