"""Reading captures out of WARC files, as crawlers (wget, Heritrix, Browsertrix...) write them.

>>> skipped = Counter()
>>> for capture in iter_warc("crawl.warc.gz", skipped):
...     if not isinstance(capture, CaptureError):
...         article = clean_capture(capture)
>>> skipped
Counter({'not_html': 12, 'status_404': 3})

Read with warcio: pure Python, reads gzipped and
plain WARC (and ARC), and undoes chunked transfer and gzip/deflate/brotli content
encoding, so the payload is the page as served. Parsing is not where time goes:
cleaning one page costs far more than reading it.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..document import HTML, Capture
from ..errors import CaptureError
from .files import DEFAULT_MAX_BYTES, decode, refuse_binary, sniff_kind, source_name, too_big
from .urls import UrlFile, is_url

if TYPE_CHECKING:
    from warcio.archiveiterator import ArchiveIterator

WARC_SUFFIXES = (".warc", ".warc.gz")
# Content types read as HTML pages; any other response is skipped as not_html.
HTML_TYPES = ("text/html", "application/xhtml+xml")
OK = "200"
# Skip reasons, counted per record.
NOT_HTML = "not_html"
REVISIT = "revisit"
STATUS_PREFIX = "status_"


def is_warc(path: str | Path) -> bool:
    """True when `path` is named like a WARC file (.warc or .warc.gz)."""
    return str(path).lower().endswith(WARC_SUFFIXES)


def iter_warc(
    path: str | Path, skipped: Counter | None = None, max_bytes: int | None = DEFAULT_MAX_BYTES
) -> Iterator[Capture | CaptureError]:
    """Yield a Capture for every HTML 200 response in the WARC file at `path`, in file order.

    Each Capture has the record's WARC-Target-URI as `url`, its WARC-Date as `fetched_at`,
    `PATH#OFFSET` (the record's byte offset in the file) as `source` and the record id in
    `extra["warc_record_id"]`. The text is decoded with the charset the HTTP header
    declares (when it names one), else as `read_capture` decodes files.

    A page record that cannot be made a Capture (a payload over `max_bytes`, None: no
    limit; bytes that are not text; any other failure) is yielded as a CaptureError
    naming it, not raised: the records after it are read on. Other response records are
    not captures: each is counted in `skipped` (when given) by reason, `not_html` or
    `status_<code>` (`status_404`, `status_301`...), and `revisit` for revisit records.
    Request, metadata and warcinfo records are passed over. A file cut short (a crawler
    killed mid-write) ends quietly after its last whole record. Raises CaptureError for
    an unreadable file or one that is not a WARC (after yielding the records before the
    damage). `path` may be a URL (s3://...), read through fsspec.
    """
    # warcio (and the fsspec it imports) is a fifth of the start-up time: paid only by
    # runs that read a WARC file
    from warcio.archiveiterator import ArchiveIterator

    name = source_name(path)
    try:
        # held open while the generator runs
        stream = UrlFile(str(path)).open() if is_url(path) else open(path, "rb")  # noqa: SIM115
    except OSError as err:
        raise CaptureError(name, f"cannot read: {err.strerror or err}") from err
    with stream:
        records = ArchiveIterator(stream)
        try:
            for record in records:
                if record.rec_type not in ("response", REVISIT):
                    continue
                try:
                    skip = skip_reason(record)
                    if skip is None:
                        capture = page_capture(record, records, name, max_bytes)
                        if capture is not None:
                            yield capture
                            continue
                        skip = NOT_HTML
                except CaptureError as err:
                    yield err
                    continue
                except Exception as err:  # noqa: BLE001 - one bad record never ends the file
                    yield CaptureError(record_source(records, name), f"unreadable record: {err}")
                    continue
                if skipped is not None:
                    skipped[skip] += 1
        except Exception as err:  # warcio's own errors, zlib's, OSError...
            raise CaptureError(name, f"broken WARC file: {err}") from err


def page_capture(record, records: ArchiveIterator, name: str, max_bytes: int | None) -> Capture | None:
    """The Capture of an HTML 200 response record (see `record_capture`); CaptureError when
    its payload is over `max_bytes` (read no further than that) or, said to be HTML, is
    not text. None when a payload of no stated type is not HTML."""
    limit = -1 if max_bytes is None else max_bytes + 1
    payload = record.content_stream().read(limit)
    source = record_source(records, name)
    if max_bytes is not None and len(payload) > max_bytes:
        raise CaptureError(source, too_big(f"a payload of more than {max_bytes:,} bytes", max_bytes))
    try:
        refuse_binary(payload, source)
    except CaptureError:
        if not media_type(record.http_headers.get_header("Content-Type"))[0]:
            return None  # no type stated, and not text: not a page
        raise
    return record_capture(record, payload, source)


def record_source(records: ArchiveIterator, name: str) -> str:
    """`PATH#OFFSET` of the current record (warcio knows the offset once the record is read)."""
    return f"{name}#{records.get_record_offset()}"


def skip_reason(record) -> str | None:
    """Why a response or revisit record is not a page to clean, or None."""
    if record.rec_type == REVISIT:
        return REVISIT
    if record.http_headers is None:  # not HTTP (dns:, ftp:...)
        return NOT_HTML
    status = record.http_headers.get_statuscode()
    if status != OK:
        return STATUS_PREFIX + str(status)
    content_type, _ = media_type(record.http_headers.get_header("Content-Type"))
    if content_type and content_type not in HTML_TYPES:
        return NOT_HTML
    return None


def record_capture(record, payload: bytes, source: str) -> Capture | None:
    """The Capture of one HTML 200 response record; None if a body with no type is not HTML."""
    content_type, charset = media_type(record.http_headers.get_header("Content-Type"))
    text = decode(payload, declared=charset)
    if not content_type and sniff_kind(text) != HTML:
        return None
    headers = record.rec_headers
    return Capture(
        text=text,
        source=source,
        kind=HTML,
        url=headers.get_header("WARC-Target-URI"),
        fetched_at=headers.get_header("WARC-Date"),
        extra={"warc_record_id": headers.get_header("WARC-Record-ID")},
    )


def media_type(header: str | None) -> tuple[str, str | None]:
    """(lower-case media type, charset or None) of a Content-Type header."""
    if not header:
        return "", None
    kind, *params = header.split(";")
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return kind.strip().lower(), charset

