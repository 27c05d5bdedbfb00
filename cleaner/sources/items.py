"""What a source yields: captures read already, capture files to read, inputs that failed."""
from __future__ import annotations

from dataclasses import dataclass

from ..document import Capture

ERROR, SKIPPED = "error", "skipped"


@dataclass(frozen=True, slots=True)
class CaptureFile:
    """A capture file found on disk, read where it is cleaned (in a worker process)."""

    path: str

    @property
    def source(self) -> str:
        return self.path


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
