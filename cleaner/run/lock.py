"""One run at a time per output folder: OUT/.cleaner.lock, held for the whole run.

The lock is the operating system's (fcntl.flock), so it is released when the process
ends however it ends: a run killed with `kill -9` leaves no stale lock behind.
"""
from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import Self

from ..errors import OutputError

LOCK_FILE = ".cleaner.lock"


class OutputLock:
    """Holds OUT for one run; OutputError when another run already holds it."""

    def __init__(self, out: Path) -> None:
        self.path = out / LOCK_FILE
        self.fd: int | None = None

    def __enter__(self) -> Self:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as err:
            raise OutputError(f"cannot lock {self.path.parent}: {err.strerror or err}") from err
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise OutputError(
                f"{self.path.parent} is in use by another cleaner run; wait for it to end "
                "or write elsewhere"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self.fd = fd
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None
