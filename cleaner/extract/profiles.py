"""Type-aware extraction: each page type read by the reader that keeps its main content.

An HTML page is read into blocks once (`blocks.read_page`) and typed
(`page_type.classify_html`). Then:

- article pages, and every page of a site whose rule set has `html:` rules, go to the
  HTML engine as before (the fast engine is handed the page already read): news keeps
  today's behaviour;
- the other types are read from the blocks by their profile (`PROFILES`): the page's
  furniture (nav, header, footer, aside, forms, buttons) is dropped and, when the page
  marks its main region (<main>, role=main) and that region holds enough of the text,
  everything outside it; the rest is kept whole, so that a listing keeps its items, a
  service page all its sections.
- a product page whose visible text lacks its description gets the JSON-LD one.

Each dropped line carries its reason (`furniture_block`, `outside_main`), as `explain`
shows. Which types take which reader was measured on the WCXB development split
(bench/wcxb.py, per type against the engine's reading of the same pages).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from selectolax.lexbor import LexborHTMLParser

from .. import reasons as R
from ..document import Capture, Document, Line
from ..text.lines import normalise
from . import blocks as B
from .blocks import Page, parse_html, read_page
from .fast import page_lines
from .fast_meta import page_metadata
from .html import check_language, drop_title
from .lexbor_engine import LexborEngine
from .page_features import ld_types
from .page_type import (
    ARTICLE,
    COLLECTION,
    DOCUMENTATION,
    FORUM,
    LISTING,
    PRODUCT,
    SERVICE,
    PageType,
    classify_html,
)

# An HTML engine: reads a capture with a rule set, given the page when it is read already
# (the fast engine uses it; the trafilatura engine parses the page its own way).
Reader = Callable[[Capture, Any, Page | None, LexborHTMLParser | None], Document]

FURNITURE_FLAGS: Final = (
    B.IN_NAV | B.IN_HEADER | B.IN_FOOTER | B.IN_ASIDE | B.IN_FORM | B.IN_BUTTON
)
# The page's marked main region replaces the whole page when it holds at least this
# share of the text left after furniture: below it, <main> is a hero or a wrapper of
# one widget. On the WCXB split 0.2-0.5 score within 0.005 F1 of 0.3 on every type.
MAIN_MIN_SHARE: Final = 0.3
# The blocks are read instead of the engine only when the page's type has at least
# this probability: a news story taken for a listing loses much more (the block reading
# keeps its teasers and menus) than a listing read by the engine.
MIN_BLOCKS_CONFIDENCE: Final = 0.9
# A JSON-LD description shorter than this is a tagline, not a product description.
MIN_DESCRIPTION_CHARS: Final = 80
PRODUCT_LD_TYPES: Final = frozenset({"product", "productgroup", "individualproduct", "productmodel"})


@dataclass(frozen=True, slots=True)
class Profile:
    """How one page type is read: by the HTML engine, or from the blocks."""

    blocks: bool
    # Fill in the JSON-LD product description when the kept text lacks it.
    ld_description: bool = False


ENGINE: Final = Profile(blocks=False)
PROFILES: Final[Mapping[str, Profile]] = {
    ARTICLE: ENGINE,
    DOCUMENTATION: ENGINE,
    PRODUCT: Profile(blocks=False, ld_description=True),
    FORUM: ENGINE,
    COLLECTION: Profile(blocks=True),
    LISTING: Profile(blocks=True),
    SERVICE: Profile(blocks=True),
}


def typed_html_document(capture: Capture, ruleset: Any, engine: Reader) -> Document:
    """The Document of an HTML capture, read as its page type wants; `meta["page_type"]`
    says which type it was taken for (none when there is no page to speak of)."""
    tree = parse_html(capture.text)
    if tree is None:
        return engine(capture, ruleset, None, None)
    page = read_page(tree)
    kind = classify_html(page, capture.text, capture.url)
    profile = PROFILES.get(kind.name, ENGINE)
    ruled = bool(getattr(ruleset, "html", None))
    if profile.blocks and not ruled and kind.confidence >= MIN_BLOCKS_CONFIDENCE:
        doc = block_document(capture, ruleset, tree, page)
    else:
        doc = engine(capture, ruleset, page, tree)
    if profile.ld_description:
        add_ld_description(doc, page)
    doc.meta["page_type"] = kind.name
    return doc


def page_type_of_html(capture: Capture) -> PageType | None:
    """The page type of an HTML capture alone (no extraction), or None for no page."""
    tree = parse_html(capture.text)
    if tree is None:
        return None
    return classify_html(read_page(tree), capture.text, capture.url)


def block_document(
    capture: Capture, ruleset: Any, tree: LexborHTMLParser, page: Page
) -> Document:
    """A Document whose Lines are all the page's blocks, furniture and what lies outside
    the main region dropped; metadata as the fast engine reads it."""
    meta, _ = page_metadata(LexborEngine(tree), capture.text, capture.url, ruleset_rules(ruleset))
    doc = Document(capture, page_lines(page), meta, ruleset, extracted=True)
    keep_main_blocks(doc)
    drop_title(doc)
    check_language(doc)
    return doc


def ruleset_rules(ruleset: Any) -> Any:
    """The rule set's `html:` part (empty rules when there is no rule set)."""
    from ..siterules.model import HtmlRules

    return ruleset.html if ruleset is not None else HtmlRules()


def keep_main_blocks(doc: Document) -> None:
    """Drop furniture blocks, and what lies outside the marked main region when it
    holds MAIN_MIN_SHARE of the rest."""
    lines = doc.lines
    for i, line in enumerate(lines):
        if line.block.flags & FURNITURE_FLAGS:
            doc.drop(i, R.FURNITURE_BLOCK)
    seen: set[int] = set()
    rest = main = 0
    for line in lines:
        block = line.block
        if line.reason is None and block.index not in seen:
            seen.add(block.index)
            rest += block.chars
            main += block.chars if block.flags & B.IN_MAIN else 0
    if main and main >= MAIN_MIN_SHARE * rest:
        for i, line in enumerate(lines):
            if not line.block.flags & B.IN_MAIN:
                doc.drop(i, R.OUTSIDE_MAIN)


def add_ld_description(doc: Document, page: Page) -> None:
    """Append the JSON-LD product description when the kept text does not hold it."""
    description = ld_description(page)
    if not description:
        return
    kept = " ".join(doc.lines[i].text for i in doc.kept()).casefold()
    if normalise(description).casefold()[:MIN_DESCRIPTION_CHARS] in kept:
        return
    for text in description.splitlines():
        if text := normalise(text):
            doc.lines.append(Line(text, None, True, True))


def ld_description(page: Page) -> str | None:
    """The longest description of a JSON-LD Product on the page, if long enough."""
    best = ""
    for item in page.json_ld:
        if not isinstance(item, dict) or not ld_types([{"@type": item.get("@type")}]) & PRODUCT_LD_TYPES:
            continue
        text = item.get("description")
        if isinstance(text, str) and len(text) > len(best):
            best = text
    return best if len(best) >= MIN_DESCRIPTION_CHARS else None
