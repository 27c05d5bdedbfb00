"""Which page types a run writes (`--only article,forum`): the others are skipped.

A capture of an unwanted type gets the manifest status `skipped` with the reason
`page type: listing`: it is cleaned (its type is known only then), never written, never
registered in the dedup index. A capture with no type has no text to classify, nor to
write: it is never skipped, its status stays `empty`.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Final

from ..document import PAGE_TYPES
from ..errors import PageTypeError

SKIP_PREFIX: Final = "page type: "


def parse_types(value: str | Iterable[str] | None) -> frozenset[str] | None:
    """The set of page types named by "article,listing" (or an iterable of names); None
    for None (every type is wanted).

    Raises PageTypeError naming an unknown type and the known ones, or when no type is
    named at all: before any work is done.
    """
    if value is None:
        return None
    names = value.split(",") if isinstance(value, str) else list(value)
    if not all(isinstance(name, str) for name in names):
        raise PageTypeError(f"page types are names; expected some of {', '.join(PAGE_TYPES)}")
    wanted = frozenset(name.strip().lower() for name in names if name.strip())
    unknown = sorted(wanted - set(PAGE_TYPES))
    if unknown:
        raise PageTypeError(
            f"unknown page type {', '.join(unknown)}; expected some of {', '.join(PAGE_TYPES)}"
        )
    if not wanted:
        raise PageTypeError(f"no page type given; expected some of {', '.join(PAGE_TYPES)}")
    return wanted


def is_wanted(page_type: str | None, only: Collection[str] | None) -> bool:
    """Whether a capture of `page_type` is written when only the types `only` are asked
    for (None: every type); a capture with no type (no text) is not skipped."""
    return only is None or page_type is None or page_type in only


def skip_reason(page_type: str | None) -> str:
    """The manifest reason of a capture left out by `--only`: "page type: listing"."""
    return f"{SKIP_PREFIX}{page_type}"
