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
from .files import capture_name, walk_inputs
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


def warc_items(warc: WarcFile, skipped: Counter) -> Iterator[Capture | Failed]:
    """The captures of a WARC file, read record by record as they are taken, then a
    Failed item if the file turns out damaged; records that are not pages are counted in
    `skipped` by reason."""
    try:
        yield from iter_warc(warc.path, skipped)
    except CaptureError as err:
        yield Failed(warc.path, err.problem)


def iter_inputs(inputs: Iterable[str | Path], skipped: Counter) -> Iterator[Item]:
    """The items of capture files and folders (walked lazily) and WARC files (read record
    by record as the items are taken); WARC records that are not pages are counted in
    `skipped` by reason."""
    for found in iter_sources(inputs):
        if isinstance(found, WarcFile):
            yield from warc_items(found, skipped)
        else:
            yield found
