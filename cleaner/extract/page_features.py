"""What an HTML page shows about its page type, as named numbers: structured data,
markup, where its text sits in the blocks, repeated structures (cards, posts, rows), on
top of what any capture shows (`capture_features`: URL, words).

Read from what the fast engine's walk gives (`blocks.read_page`: one parse, one walk):
the blocks, the block-level elements with their class and id names, the tag counts,
meta tags and JSON-LD. Nothing here reads the markup again: a search of a page's 100 kB
or more of markup costs about what the fast engine's whole reading of it does (that is
how the first version spent 6 ms a page). The page type model (`page_type.py`) is
trained on these names: a feature added here means a model retrained with
`tools/train_page_types.py`.

Every vocabulary here is a generic web convention (schema.org types, class-name stems),
never one site's naming.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any, Final

from . import blocks as B
from .blocks import Page
from .capture_features import SENTENCE_ENDS, SHORT_TEXT_WORDS, url_features, word_features

# --- structured data ------------------------------------------------------------------
# schema.org types (lower-cased) by what they say about the page.
LD_TYPES: Final = {
    "article": {"article", "newsarticle", "blogposting", "report", "scholarlyarticle",
                "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
                "liveblogposting", "medicalwebpage"},
    "product": {"product", "productgroup", "offer", "aggregateoffer", "individualproduct",
                "productmodel", "vehicle", "car", "book"},
    "forum": {"discussionforumposting", "qapage", "question", "answer", "comment",
              "socialmediaposting", "conversation"},
    "collection": {"collectionpage", "itemlist", "offercatalog", "searchresultspage",
                   "productcollection"},
    "docs": {"techarticle", "apireference", "softwaresourcecode", "howto", "learningresource",
             "course"},
    "service": {"service", "softwareapplication", "webapplication", "professionalservice",
                "localbusiness", "financialproduct", "faqpage", "organization", "contactpage",
                "aboutpage"},
    "breadcrumb": {"breadcrumblist"},
    "rating": {"aggregaterating", "review", "rating"},
}
OG_TYPES: Final = ("article", "product", "website", "video", "profile", "book")
# --- text ------------------------------------------------------------------------------
# Shop phrases, looked for in an HTML page's short blocks (lower-cased).
SHOP_PHRASES: Final = re.compile(
    r"add to (?:cart|bag|basket|wishlist)|buy now|in stock|out of stock|size guide|"
    r"free (?:shipping|delivery|returns)|select (?:a )?size"
)
# A block of prose is this long (characters), with less than PROSE_MAX_LINK_SHARE of link text.
PROSE_BLOCK_CHARS: Final = 200
PROSE_MAX_LINK_SHARE: Final = 0.3
SENTENCE_BLOCK_CHARS: Final = 80
# Siblings with one tag and class make a repeated structure (cards, posts, rows) from 3 on.
MIN_REPEATS: Final = 3
# A repeated item holding this many characters is a post or a full card, not a menu entry.
LONG_ITEM_CHARS: Final = 300
# Short blocks' text read for words, at most (see capture_features.MAX_SHORT_CHARS).
MAX_SHORT_TEXT_CHARS: Final = 6_000
# t_words of a page: its characters by this (a word and its space, on average in English
# prose): counting words would read the text again.
CHARS_PER_WORD: Final = 6

# --- markup ---------------------------------------------------------------------------
# Tags counted (per page, by the block walk: the elements it does not enter too).
COUNTED_TAGS: Final = (
    "a", "p", "li", "pre", "code", "table", "tr", "td", "h1", "h2", "h3", "h4", "article",
    "section", "form", "button", "time", "blockquote", "dl", "nav", "aside", "footer",
    "header", "main", "ul", "ol", "span", "div", "label", "fieldset", "figure", "strong", "em",
    "img", "input", "select", "textarea", "iframe", "video", "svg",
)
# Class and id categories the walk finds in block-level elements' names (blocks.HINT_WORDS:
# the engine's, and those only page typing reads), by feature name.
CLASS_KINDS: Final = (
    ("forum", B.TYPE_FORUM), ("product", B.TYPE_PRODUCT), ("collection", B.TYPE_COLLECTION),
    ("card", B.TYPE_CARD), ("docs", B.TYPE_DOCS), ("service", B.TYPE_SERVICE),
    ("article", B.TYPE_ARTICLE), ("nav", B.NAV), ("sidebar", B.SIDEBAR),
    ("related", B.RELATED), ("share", B.SHARE), ("comment", B.COMMENT), ("ad", B.AD),
    ("meta", B.META),
)


def ld_types(objects: Iterable[Any]) -> set[str]:
    """Every schema.org @type (lower-cased) in JSON-LD objects, nested ones too."""
    found: set[str] = set()
    stack = list(objects)
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            kind = item.get("@type")
            if isinstance(kind, str):
                found.add(kind.lower())
            elif isinstance(kind, list):
                found.update(k.lower() for k in kind if isinstance(k, str))
            stack.extend(v for v in item.values() if isinstance(v, (dict, list)))
        elif isinstance(item, list):
            stack.extend(item)
    return found


def structured_features(page: Page, out: dict[str, float]) -> None:
    """JSON-LD types, OpenGraph type, product and article meta tags."""
    types = ld_types(page.json_ld)
    for kind, names in LD_TYPES.items():
        out["ld_" + kind] = len(types & names)
    og = (page.meta.get("og:type") or "").lower()
    for kind in OG_TYPES:
        out["og_" + kind] = float(og.startswith(kind) or (kind == "product" and "item" in og))
    out["og_none"] = float(not og)
    meta = page.meta
    out["m_price"] = float(any(k.startswith(("product:price", "og:price")) or k == "price" for k in meta))
    out["m_published"] = float(any(k in meta for k in ("article:published_time", "datepublished", "pubdate")))
    out["m_author"] = float("author" in meta or "article:author" in meta)


def markup_features(page: Page, out: dict[str, float]) -> None:
    """Tag counts, and how many block-level elements have class or id names of each
    category (CLASS_KINDS; as counts and as shares of the named elements): the walk
    found the categories already, one look per distinct name."""
    counts = page.counts
    for tag in COUNTED_TAGS:
        out["n_" + tag] = counts.get(tag, 0)
    bits: dict[int, int] = {}
    named = 0
    for element in page.elements:
        hints = element.hints
        if element.attrs:
            named += 1
        if hints:
            bits[hints] = bits.get(hints, 0) + 1
    for kind, bit in CLASS_KINDS:
        found = sum([times for hints, times in bits.items() if hints & bit])
        out["c_" + kind] = found
        out["c_" + kind + "_r"] = found / max(1, named)


def block_features(page: Page, out: dict[str, float]) -> None:
    """Where the page's text sits: paragraphs, lists, tables, code, links, headings; and
    the words of its short blocks (buttons, labels, prices, dates)."""
    blocks = page.blocks
    total = links = p = pre = code = lists = table = nav = comment = article = main = 0
    headings = linked_headings = link_blocks = prose = prose_chars = biggest = 0
    sentences = code_lines = short_chars = 0
    short: list[str] = []
    for b in blocks:
        chars = b.chars
        flags = b.flags
        total += chars
        links += b.link_chars
        biggest = max(biggest, chars)
        if b.tag == "p":
            p += chars
        if flags & B.IN_PRE:
            pre += chars
        if flags & (B.IN_PRE | B.IN_CODE):
            code += chars
            code_lines += b.text.count("\n") + 1
        if flags & B.IN_LIST:
            lists += chars
        if flags & B.IN_TABLE:
            table += chars
        if flags & B.IN_NAV:
            nav += chars
        if b.hints & B.COMMENT:
            comment += chars
        if flags & B.IN_ARTICLE:
            article += chars
        if flags & B.IN_MAIN:
            main += chars
        if flags & B.IN_LINK:
            link_blocks += 1
        if b.heading:
            headings += 1
            if flags & B.IN_LINK:
                linked_headings += 1
        if chars >= PROSE_BLOCK_CHARS:
            if b.link_chars < PROSE_MAX_LINK_SHARE * chars:
                prose += 1
                prose_chars += chars
        elif short_chars < MAX_SHORT_TEXT_CHARS and b.text.count(" ") < SHORT_TEXT_WORDS:
            short.append(b.text)
            short_chars += chars
        if chars > SENTENCE_BLOCK_CHARS and b.text[-1:] in SENTENCE_ENDS:
            sentences += chars
    whole = total or 1
    out["b_n"] = len(blocks)
    out["b_log_chars"] = math.log1p(total)
    out["b_link_share"] = links / whole
    out["b_p_share"] = p / whole
    out["b_pre_share"] = pre / whole
    out["b_code_share"] = code / whole
    out["b_li_share"] = lists / whole
    out["b_table_share"] = table / whole
    out["b_nav_share"] = nav / whole
    out["b_comment_share"] = comment / whole
    out["b_article_share"] = article / whole
    out["b_main_share"] = main / whole
    out["b_heading_n"] = headings
    out["b_heading_link_n"] = linked_headings
    out["b_heading_link_r"] = linked_headings / max(1, headings)
    out["b_link_blocks_r"] = link_blocks / max(1, len(blocks))
    out["b_long_n"] = prose
    out["b_long_share"] = prose_chars / whole
    out["b_max_block"] = biggest / whole
    out["b_sentence_share"] = sentences / whole
    out["t_code_lines"] = code_lines
    out["t_words"] = total / CHARS_PER_WORD
    out["n_times"] = len(page.times)
    text = "\n".join(short)
    out["t_shop_phrases"] = len(SHOP_PHRASES.findall(text.lower()))
    word_features(text, out)
    out["t_dates"] += len(page.times)
    repeat_features(page, total, out)


def repeat_features(page: Page, total: int, out: dict[str, float]) -> None:
    """Repeated sibling elements (same tag and class): cards, posts, rows.

    The largest group's share of the text, how many of its items hold links, how many
    are long (a post, a full card).
    """
    blocks, elements = page.blocks, page.elements
    before = [0]
    links_before = [0]
    chars = links = 0
    for block in blocks:
        chars += block.chars
        links += 1 if block.link_chars else 0
        before.append(chars)
        links_before.append(links)
    groups: dict[tuple[int, str, str], list[int]] = {}
    for index, element in enumerate(elements):
        if element.parent >= 0 and element.end_block > element.first_block:
            groups.setdefault((element.parent, element.tag, element.attrs), []).append(index)
    repeated = [members for members in groups.values() if len(members) >= MIN_REPEATS]
    out["r_groups"] = len(repeated)
    out["r_max"] = max((len(m) for m in repeated), default=0)
    best_share = 0.0
    best_linked = best_long = 0
    for members in repeated:
        held_chars = linked = long_items = 0
        for index in members:
            element = elements[index]
            held = before[element.end_block] - before[element.first_block]
            held_chars += held
            linked += links_before[element.end_block] > links_before[element.first_block]
            long_items += held > LONG_ITEM_CHARS
        best_share = max(best_share, held_chars / max(1, total))
        best_linked = max(best_linked, linked)
        best_long = max(best_long, long_items)
    out["r_share"] = best_share
    out["r_linked"] = best_linked
    out["r_long"] = best_long


def html_features(page: Page, url: str | None) -> dict[str, float]:
    """The features of an HTML page read into `page` (blocks.read_page), at `url`."""
    out: dict[str, float] = {}
    url_features(url, out)
    structured_features(page, out)
    markup_features(page, out)
    block_features(page, out)
    return out
