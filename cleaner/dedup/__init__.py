"""Deduplication: exact, near-duplicate and contained bodies, against an index that lasts.

`sketch` fingerprints bodies, `store` keeps the index (memory or SQLite), `index` judges
matches (`Deduplicator`) and groups a run's bodies (`cluster`).
"""
from .index import (
    DEFAULT_CONTAINMENT,
    DEFAULT_THRESHOLD,
    Deduplicator,
    DuplicateKeyError,
    Match,
    StateError,
    cluster,
)

__all__ = [
    "DEFAULT_CONTAINMENT", "DEFAULT_THRESHOLD", "Deduplicator", "DuplicateKeyError", "Match",
    "StateError", "cluster",
]
