"""The articles of a run between cleaning and placing: records on disk, read back in order.

A batch run decides what each story's canonical capture is once every capture is
cleaned; until then the cleaned articles wait here rather than in memory. The file is
anonymous (unlinked as soon as it is made), so a run that is killed leaves nothing
behind, and it sits in the output folder, whose disk is sized for the articles anyway.
"""
from __future__ import annotations

import os
import struct
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Each record is its length (8 bytes, little-endian) and its bytes.
_LENGTH = struct.Struct("<Q")


class Spool:
    """Append records, then read them back by offset or all in order (reads never move
    the file's position, so both may be mixed)."""

    def __init__(self, folder: Path) -> None:
        self.file = tempfile.TemporaryFile(dir=folder, prefix=".cleaner-spool-")  # noqa: SIM115
        self.size = 0

    def append(self, data: bytes) -> int:
        """Store `data`; returns its offset."""
        offset = self.size
        self.file.write(_LENGTH.pack(len(data)))
        self.file.write(data)
        self.size += _LENGTH.size + len(data)
        return offset

    def read(self, offset: int) -> bytes:
        """The record stored at `offset`."""
        self.file.flush()
        return self._read(offset)[1]

    def _read(self, offset: int) -> tuple[int, bytes]:
        fd = self.file.fileno()
        (length,) = _LENGTH.unpack(os.pread(fd, _LENGTH.size, offset))
        return offset + _LENGTH.size + length, os.pread(fd, length, offset + _LENGTH.size)

    def __iter__(self) -> Iterator[tuple[int, bytes]]:
        """(offset, record) of every record, in the order they were stored."""
        self.file.flush()
        offset = 0
        while offset < self.size:
            following, data = self._read(offset)
            yield offset, data
            offset = following

    def close(self) -> None:
        self.file.close()
