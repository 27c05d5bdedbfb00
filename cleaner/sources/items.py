"""What a source yields: captures read already, capture files to read, inputs that failed."""
from __future__ import annotations

import os
from dataclasses import dataclass

from ..document import Capture

ERROR, SKIPPED = "error", "skipped"


@dataclass(frozen=True, slots=True)
class CaptureFile:
    """A capture file found on disk, read where it is cleaned (in a worker process)."""

    path: str

    @property
    def source(self) -> str:
        """How the file is named in the manifest (bytes of its name that are not UTF-8
        written as \\xNN: see `files.source_name`)."""
        return os.fsencode(self.path).decode("utf-8", "backslashreplace")


@dataclass(frozen=True, slots=True)
class WarcFile:
    """A WARC file found on disk, whose records are the captures (read as they are taken)."""

    path: str

    @property
    def source(self) -> str:
        return self.path


@dataclass(frozen=True, slots=True)
class Failed:
    """An input that gives no capture: unreadable (`error`) or passed over (`skipped`)."""

    source: str
    reason: str
    status: str = ERROR


Item = Capture | CaptureFile | Failed
