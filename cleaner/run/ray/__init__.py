"""The Ray engine: `cleaner clean INPUT... -o OUT --engine ray` on a Ray cluster (or a
local Ray), with the local engine's results. See engine.py for the flow."""
from __future__ import annotations

from .engine import run

__all__ = ["run"]
