"""Timing and memory of one call, in this process: CPU time, and the peak resident set
size it adds (Linux: /proc/self/status VmHWM, reset through /proc/self/clear_refs)."""
from __future__ import annotations

import ctypes
import ctypes.util
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

STATUS = Path("/proc/self/status")
CLEAR_REFS = Path("/proc/self/clear_refs")
# Writing "5" to clear_refs resets the process's peak RSS (VmHWM) to its current RSS.
RESET_PEAK = "5"
KB_PER_MB = 1024


def _libc_trim() -> Callable[[], Any]:
    """glibc's malloc_trim(0), which hands freed heap pages back to the system, so that
    memory freed by an earlier call does not hide what the next one needs; else a no-op."""
    name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(name) if name else None
    trim = getattr(libc, "malloc_trim", None)
    return (lambda: trim(0)) if trim else (lambda: None)


TRIM = _libc_trim()


def status_kb(field: str) -> int:
    """One `kB` field of /proc/self/status (VmRSS, VmHWM)."""
    found = re.search(rf"^{field}:\s+(\d+) kB", STATUS.read_text(), re.MULTILINE)
    return int(found.group(1)) if found else 0


def peak_supported() -> bool:
    """Whether the peak RSS can be reset and read here (Linux)."""
    try:
        CLEAR_REFS.write_text(RESET_PEAK)
    except OSError:
        return False
    return status_kb("VmHWM") > 0


def peak_growth_mb(call: Callable[..., Any], *args: Any) -> tuple[float, Any]:
    """(MB by which `call(*args)` raises the process's peak RSS above its RSS just before,
    its result)."""
    TRIM()
    CLEAR_REFS.write_text(RESET_PEAK)
    before = status_kb("VmRSS")
    result = call(*args)
    return max(0, status_kb("VmHWM") - before) / KB_PER_MB, result


def cpu_seconds(call: Callable[..., Any], *args: Any) -> tuple[float, Any]:
    """(CPU seconds of this process spent in `call(*args)`, its result)."""
    began = time.process_time()
    result = call(*args)
    return time.process_time() - began, result
