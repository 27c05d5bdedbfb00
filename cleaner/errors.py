"""Specific errors the library raises; the CLI turns them into messages and exit codes."""
from __future__ import annotations


class CleanerError(Exception):
    """Base class for every error cleaner raises on purpose."""


class CaptureError(CleanerError):
    """A capture could not be read or decoded."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class CaptureTypeError(CaptureError, TypeError):
    """What was given as a capture is not text or bytes (None, a number...)."""


class RuleError(CleanerError):
    """A rule file is invalid: names the file, the line and the key at fault."""

    def __init__(self, path: str, problem: str, line: int | None = None, key: str | None = None):
        where = f"{path}:{line}" if line else path
        at = f" (key '{key}')" if key else ""
        super().__init__(f"{where}{at}: {problem}")
        self.path = path
        self.line = line
        self.key = key
        self.problem = problem


class PageTypeError(CleanerError):
    """An unknown page type was asked for (`--only`, `only=`)."""


class OutputError(CleanerError):
    """An article or the manifest could not be written."""


class UnsafePathError(OutputError, OSError):
    """An article's path would lie outside the output folder (through `..`, an absolute
    part or a symbolic link): it is not written. An OSError too, as every failed write is,
    so that whoever writes articles reports it as that capture's error and goes on."""
