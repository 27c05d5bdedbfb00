"""Splitting a list of people's names ("Jane Doe, John Roe and Max Mustermann"): the one
author splitter of bylines, site rules and page metadata."""
from __future__ import annotations

from typing import Final

import regex

from .lines import normalise

# Between the names of a byline written out: commas, "and" and its translations, "&".
BYLINE_JOINS: Final = regex.compile(r"\s*,\s*|\s+(?:und|and|&|et|y|e|en)\s+", regex.IGNORECASE)
# Between the names a page's metadata lists (trafilatura joins several authors with "; ").
LIST_JOINS: Final = regex.compile(r";")


def split_names(text: str, joins: regex.Pattern = BYLINE_JOINS) -> list[str]:
    """The names in `text`, split at `joins`, each once, in order, whitespace normalised."""
    names = (normalise(part) for part in joins.split(text))
    return list(dict.fromkeys(name for name in names if name))
