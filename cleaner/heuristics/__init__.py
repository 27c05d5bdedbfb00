"""Generic heuristics for sites with no rule set (placeholder until filled in)."""
from __future__ import annotations

from ..document import Document


def lift_metadata(doc: Document) -> None:
    """Find the title, date and byline lines; move them from the body into doc.meta."""


def drop_boilerplate(doc: Document) -> None:
    """Drop navigation, share bars, teaser lists and other noise, each with a reason."""
