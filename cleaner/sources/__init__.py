"""Where captures come from: files and folders, WARC files record by record, JSON lines.

Every source yields `Item`s lazily, in input order: a `Capture` already read (a WARC
record, a JSON line), a `CaptureFile` to read where it is cleaned, or a `Failed` input.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..document import Capture
from ..errors import CaptureError
from .files import DEFAULT_MAX_BYTES, capture_name, source_name, walk_inputs
from .items import CaptureFile, Failed, Item, WarcFile
from .warc import is_warc, iter_warc

__all__ = ["CaptureFile", "Failed", "Item", "WarcFile", "iter_inputs", "iter_sources", "warc_items"]


def iter_sources(inputs: Iterable[str | Path]) -> Iterator[CaptureFile | WarcFile | Failed]:
    """The files of the inputs (capture files and folders, walked lazily), WARC files
    not yet opened, and the inputs that failed, in input order."""
    for found in walk_inputs(inputs, also=is_warc):
        if isinstance(found, Failed):
            yield found
        elif is_warc(found) and not capture_name(found):
            yield WarcFile(str(found))
        else:
            yield CaptureFile(str(found))


def warc_items(
    warc: WarcFile, skipped: Counter, max_bytes: int | None = DEFAULT_MAX_BYTES
) -> Iterator[Capture | Failed]:
    """The captures of a WARC file, read record by record as they are taken: a page
    record that cannot be read (one over `max_bytes`) is a `Failed` item of its own and
    the file goes on, a damaged file ends with a `Failed` item; records that are not
    pages are counted in `skipped` by reason."""
    try:
        for record in iter_warc(warc.path, skipped, max_bytes):
            yield Failed(record.source, record.problem) if isinstance(
                record, CaptureError) else record
    except CaptureError as err:
        yield Failed(source_name(warc.path), err.problem)


def iter_inputs(
    inputs: Iterable[str | Path], skipped: Counter, max_bytes: int | None = DEFAULT_MAX_BYTES
) -> Iterator[Item]:
    """The items of capture files and folders (walked lazily) and WARC files (read record
    by record as the items are taken, see `warc_items`); WARC records that are not pages
    are counted in `skipped` by reason."""
    for found in iter_sources(inputs):
        if isinstance(found, WarcFile):
            yield from warc_items(found, skipped, max_bytes)
        else:
            yield found
