"""Where captures come from: files and folders, WARC files record by record, JSON lines.

Every source yields `Item`s lazily, in input order: a `Capture` already read (a WARC
record, a JSON line), a `CaptureFile` to read where it is cleaned, or a `Failed` input.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import CaptureError
from .files import DEFAULT_MAX_BYTES, capture_name, source_name, walk_inputs
from .items import CaptureFile, Failed, Item
from .warc import is_warc, iter_warc

__all__ = ["CaptureFile", "Failed", "Item", "iter_inputs"]


def iter_inputs(
    inputs: Iterable[str | Path], skipped: Counter, max_bytes: int | None = DEFAULT_MAX_BYTES
) -> Iterator[Item]:
    """The items of capture files and folders (walked lazily) and WARC files (read record
    by record as the items are taken); WARC records that are not pages are counted in
    `skipped` by reason, a page record that cannot be read (one over `max_bytes`) is a
    `Failed` item of its own, and the file goes on."""
    for found in walk_inputs(inputs, also=is_warc):
        if isinstance(found, Failed):
            yield found
        elif is_warc(found) and not capture_name(found):
            try:
                for record in iter_warc(found, skipped, max_bytes):
                    yield Failed(record.source, record.problem) if isinstance(
                        record, CaptureError) else record
            except CaptureError as err:
                yield Failed(source_name(found), err.problem)
        else:
            yield CaptureFile(str(found))
