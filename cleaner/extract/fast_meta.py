"""Metadata of a page read by the fast engine: the fields the trafilatura engine's
`page_meta` finds, found the same way, without parsing the page with lxml.

The head's tags are read from lexbor's attributes by trafilatura's and htmldate's own
readers carried over (`head_tags`); JSON-LD scripts go through trafilatura's JSON-LD
reader; a page whose date is in none of them is searched as htmldate goes on searching
(its date elements, <title> and <h1>, <time>), on lexbor nodes with htmldate's own date
parser. lxml parses a small page of copied elements only for what is rare: a page whose
head states no title (trafilatura's title search on the headings) or dates in <abbr>.
htmldate's last resort, patterns in the whole page's markup, is left out
(`FULL_DATE_SEARCH`): see the README for what that changes.
"""
from __future__ import annotations

import json
import logging
from collections import Counter
from html import escape, unescape
from typing import Any, Final

from htmldate import find_date as htmldate_find
from htmldate.core import (
    ALWAYS_TAGS as ALWAYS_DATE_TAGS,
)
from htmldate.core import (
    CLASS_CUES,
    ID_CLASS_CUES,
    examine_abbr_elements,
    examine_text,
    examine_time_elements,
    has_plausible_candidates,
)
from htmldate.extractors import FAST_TAGS as DATE_TAGS
from htmldate.extractors import JSON_PUBLISHED, extract_url_date, pattern_search
from htmldate.utils import Extractor
from htmldate.validators import get_max_date, get_min_date
from lxml.etree import ParserError
from lxml.html import HtmlElement, document_fromstring
from selectolax.lexbor import LexborHTMLParser, LexborNode
from trafilatura.json_metadata import extract_json, extract_json_parse_error, normalize_json
from trafilatura.metadata import JSON_MINIFY, extract_title
from trafilatura.settings import Document
from trafilatura.utils import HTML_STRIP_TAGS, load_html, trim

from ..siterules import apply_html
from ..siterules.model import HtmlRules
from .head_tags import HeadTags, declared_language, examine_meta, page_url, read_head
from .head_tags import header_date as head_date
from .lexbor_engine import LexborEngine
from .page_meta import split_authors

LOG = logging.getLogger(__name__)
# What is copied into the small page: everything the metadata readers look at.
HEAD_SELECTOR: Final = "meta, link, base, title"
SCRIPT_SELECTOR: Final = 'script[type="application/ld+json"], script[type="application/settings+json"]'
BODY_SELECTOR: Final = "h1, h2, h3, .entry-title, .post-title, abbr"
# htmldate's options as `find_date(extensive_search=False, original_date=True)` sets them.
DATE_OPTIONS: Final = {
    "extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%d",
}
# Whether a page whose <meta> tags, JSON-LD, URL and <abbr> elements give no date is
# searched whole by htmldate (parsed by lxml for it): what the trafilatura engine does
# for every page. Measured on the development set (bench/html_engines.py): see README.
# The elements htmldate searches for a date in the text of the page (its date_candidates).
DATE_CANDIDATES: Final = ", ".join((*DATE_TAGS, *ALWAYS_DATE_TAGS))
FULL_DATE_SEARCH: Final = False


def page_metadata(
    engine: LexborEngine, html: str, url: str | None, rules: HtmlRules
) -> tuple[dict[str, Any], Counter[str]]:
    """(title, published, authors, site_name, url and language as the page states them,
    how often each site rule yielded).

    A field the site rules point at is read there; the generic sources fill the rest.
    `html` is the page's text, for htmldate's last resort (see FULL_DATE_SEARCH).
    """
    tree = engine.tree
    tags = read_head(tree)
    small = SmallPage(tree)
    scripts = [node.text() for node in tree.css(SCRIPT_SELECTOR)]
    found = json_ld_metadata(scripts, examine_meta(tags))
    title = found.title
    if not title and (whole := small.whole()) is not None:
        title = extract_title(whole)
    meta: dict[str, Any] = {
        "title": title,
        "authors": split_authors(found.author),
        "site_name": found.sitename,
        "url": page_url(tags, url),
        "language": declared_language(tags),
    }
    meta["published"] = header_date(tags, small, scripts, meta["url"]) or page_date(
        tree, html, meta["url"]
    )
    ruled, hits = apply_html.metadata(engine, rules)
    meta.update(ruled)
    return {key: value for key, value in meta.items() if value not in (None, "", [])}, hits


def json_ld_metadata(scripts: list[str], found: Document) -> Document:
    """trafilatura's JSON-LD reading (`extract_meta_json`) of the scripts' texts.

    trafilatura minifies and unescapes each script's whole text before parsing it, which
    costs more than the rest of the metadata together on pages with large JSON-LD; here a
    script is parsed as it is, and only the values taken are cleaned as that would have
    cleaned them. A script json cannot read goes the way trafilatura takes (its regular
    expressions on the cleaned text).
    """
    for text in scripts:
        if not text:
            continue
        if "&" in text or "<" in text:  # entities or markup: trafilatura cleans them first
            text = normalize_json(JSON_MINIFY.sub(r"\1", text))
        try:
            schema = json.loads(text, strict=False)
        except ValueError:
            found = extract_json_parse_error(normalize_json(JSON_MINIFY.sub(r"\1", text)), found)
            continue
        title, sitename = found.title, found.sitename
        try:
            found = extract_json(schema, found)
        except Exception as err:  # noqa: BLE001 - trafilatura's JSON-LD reader has known crashes
            LOG.debug("JSON-LD metadata unreadable: %s", err)
            continue
        if found.title is not title and isinstance(found.title, str):
            found.title = json_value(found.title, text)
        if found.sitename is not sitename and isinstance(found.sitename, str):
            found.sitename = json_value(found.sitename, text)
    return found


def json_value(value: str, text: str) -> str:
    """A JSON-LD string as trafilatura reads it: entities unescaped when the script holds
    escapes, tags and surrounding spaces removed."""
    if "\\" in text:
        value = unescape(value.replace("\n", "").replace("\r", "").replace("\t", ""))
    return trim(HTML_STRIP_TAGS.sub("", value))


class SmallPage:
    """A small lxml page holding copies of the headings and <abbr> elements and of the
    head's tags, made only for a page whose head states no title (trafilatura's title
    search looks at the headings) or whose date is nowhere else (htmldate's <abbr> search)."""

    def __init__(self, tree: LexborHTMLParser) -> None:
        self.tree = tree
        self._page: HtmlElement | None = None

    def whole(self) -> HtmlElement | None:
        if self._page is None:
            tree = self.tree
            root = tree.css_first("html")
            attrs = root.attributes if root is not None else {}
            lang = "".join(
                f' {name}="{escape(value)}"' for name in ("lang", "xml:lang")
                if (value := attrs.get(name))
            )
            head = "".join(n.html or "" for n in tree.head.css(HEAD_SELECTOR)) if tree.head else ""
            body = "".join(n.html or "" for n in tree.body.css(BODY_SELECTOR)) if tree.body else ""
            try:
                self._page = document_fromstring(
                    f"<html{lang}><head>{head}</head><body>{body}</body></html>"
                )
            except (TypeError, ValueError, ParserError):
                return None
        return self._page


def header_date(tags: HeadTags, small: SmallPage, scripts: list[str], url: str | None) -> str | None:
    """The publication date as htmldate's first steps find it: in the URL, the <meta>
    tags, JSON-LD (`json_search`, on the scripts' texts) and <abbr> elements."""
    options = date_options()
    if url is None:
        links = [a for a in tags.links if a.get("rel") == "canonical"]
        url = links[0].get("href") if links else None
    found = extract_url_date(url, options) or head_date(tags, options)
    if found:
        return found
    for text in scripts:
        if text and '"date' in text:
            found = pattern_search(text, JSON_PUBLISHED, options)
            if found:
                return found
    if small.tree.css_first("abbr") is None:
        return None
    whole = small.whole()
    return examine_abbr_elements(whole, options) if whole is not None else None


def date_options() -> Extractor:
    """htmldate's options as `find_date(**DATE_OPTIONS)` sets them."""
    return Extractor(
        DATE_OPTIONS["extensive_search"], get_max_date(None), get_min_date(None),
        DATE_OPTIONS["original_date"], DATE_OPTIONS["outputformat"],
    )


def page_date(tree: LexborHTMLParser, html: str, url: str | None) -> str | None:
    """The publication date when the page's header states none, searched as htmldate
    goes on searching (without its extensive search): the elements named as dates,
    bylines or meta lines, then <title> and <h1>, then <time> elements; their texts are
    read by htmldate's own date parser. Only then, if FULL_DATE_SEARCH, htmldate's
    remaining steps (patterns in the whole page's markup) on an lxml parse of the page."""
    options = date_options()
    body = tree.body
    if body is not None:
        candidates = [
            node for node in body.css(DATE_CANDIDATES)
            if node.tag in ALWAYS_DATE_TAGS or is_date_candidate(node.attributes)
        ]
        found = examine_nodes(candidates, options)
        if found:
            return found
    found = examine_nodes(tree.css("title, h1"), options)
    if found:
        return found
    times = "".join(node.html or "" for node in tree.css("time"))
    if times:
        small = load_html(f"<html><body>{times}</body></html>")
        found = examine_time_elements(small, options) if small is not None else None
        if found:
            return found
    if not FULL_DATE_SEARCH:
        return None
    whole = load_html(html)
    return htmldate_find(whole, url=url, **DATE_OPTIONS) if whole is not None else None


def is_date_candidate(attrs: dict[str, str | None]) -> bool:
    """htmldate's test of an element's attributes (of id and class only the first in
    source order counts), on lexbor's attributes."""
    first = itemprop = None
    for key, value in attrs.items():
        if key == "itemprop":
            itemprop = value
        elif first is None and key in ("id", "class"):
            first = value
    for cue in (first, itemprop):
        if cue is not None:
            folded = cue.replace("D", "d")
            if "date" in folded or "datum" in folded:
                return True
    if first is None:
        return False
    if ID_CLASS_CUES.search(first):
        return True
    cls = attrs.get("class")
    if cls is not None and CLASS_CUES.search(cls):
        return True
    ident = attrs.get("id")
    return ident is not None and "footer-info-lastmod" in ident


def examine_nodes(nodes: list[LexborNode], options: Extractor) -> str | None:
    """htmldate's `examine_elements` on lexbor nodes: each one's text, then its title."""
    if not has_plausible_candidates(nodes):
        return None
    for node in nodes:
        for text in (node.text(deep=True), node.attributes.get("title") or ""):
            found = examine_text(text, options)
            if found:
                return found
    return None
