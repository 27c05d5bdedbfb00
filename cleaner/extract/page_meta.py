"""Metadata of an HTML page: <meta> tags, JSON-LD, the canonical link, <html lang>, htmldate.

trafilatura's `extract_metadata` does all of this and more, but its DOM-wide author,
category and licence searches cost about as much as a third of the extraction
itself; the pieces used here (meta tags, JSON-LD, title, canonical URL) cost a
tenth of it and find what a news page states, which is what the front matter wants.
"""
from __future__ import annotations

import logging
from collections import Counter
from typing import Any

import regex
from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura.metadata import examine_meta, extract_meta_json, extract_title, extract_url

from ..siterules import apply_html
from ..siterules.apply_html import LxmlEngine
from ..siterules.model import HtmlRules
from ..text.names import LIST_JOINS, split_names

LOG = logging.getLogger(__name__)
# An ISO 639-1 code at the start of a language tag: "de", "de-AT", "pt_BR".
LANGUAGE_TAG = regex.compile(r"^\s*([a-zA-Z]{2})(?:[-_][a-zA-Z0-9]+)*\s*$")
LANGUAGE_XPATH = "/html/@lang | /html/@xml:lang | //head/meta[@http-equiv='content-language']/@content"


def page_metadata(
    engine: LxmlEngine, url: str | None, rules: HtmlRules
) -> tuple[dict[str, Any], Counter[str]]:
    """(title, published, authors, site, url and language as the page states them, how
    often each site rule yielded).

    A field the site rules point at is read there; the generic sources fill the rest.
    """
    tree: HtmlElement = engine.tree
    found = examine_meta(tree)
    try:
        found = extract_meta_json(tree, found)
    except Exception as err:  # noqa: BLE001 - trafilatura's JSON-LD reader has known crashes
        LOG.debug("JSON-LD metadata unreadable: %s", err)
    meta: dict[str, Any] = {
        "title": found.title or extract_title(tree),
        "authors": split_authors(found.author),
        "site_name": found.sitename,
        "url": extract_url(tree, url),
        "language": declared_language(tree),
    }
    # htmldate reads the page's own date markup first (JSON-LD, meta, <time>), then the URL.
    meta["published"] = find_date(
        tree, extensive_search=False, original_date=True, url=meta["url"]
    )
    ruled, hits = apply_html.metadata(engine, rules)
    meta.update(ruled)
    return {key: value for key, value in meta.items() if value not in (None, "", [])}, hits


def split_authors(value: str | None) -> list[str]:
    """trafilatura's "A; B" author string as a list of names."""
    if not value:
        return []
    return split_names(value, LIST_JOINS)


def declared_language(tree: HtmlElement) -> str | None:
    """ISO 639-1 code from <html lang> or a content-language header, or None."""
    for value in tree.xpath(LANGUAGE_XPATH):
        match = LANGUAGE_TAG.match(str(value))
        if match:
            return match.group(1).lower()
    return None
