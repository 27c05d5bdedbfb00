"""Type-aware extraction: each page type read by the reader that keeps its main content.

An HTML page is parsed and read into blocks once (`blocks.read_page`), typed from
those blocks (`page_type.classify_html`), and read by its type's profile (`PROFILES`)
from the same blocks:

- article pages and forum threads, and every page of a site whose rule set has `html:`
  rules, go to the run's HTML engine as before (the fast engine is handed the page
  already read): news keeps today's behaviour, but for an article page whose engine
  reading keeps less than ARTICLE_ENGINE_MIN_SHARE of what its block reading keeps
  (`fuller_reading`: a listing taken for an article, whose one teaser the engine took);
  a thread typed with at least MIN_POSTS_CONFIDENCE is read as posts, all of them
  content (`fast.choose_content`), but its posters' signatures and user cards and the
  comments on its posts (`drop_post_comments`);
- collection pages, and listing, service and documentation pages typed with at least
  MIN_BLOCKS_CONFIDENCE, are read from the blocks (`block_document`): the page's
  furniture (nav, header, footer, aside, forms, buttons) is dropped and, when the page
  marks its main region (<main>, role=main) and that region holds enough of the text,
  everything outside it; the rest is kept whole, so that a listing keeps its items, a
  service page all its sections, documentation its code, tables and headings;
- those types typed with less go to the run's engine, unless the engine keeps less than
  ENGINE_MIN_SHARE of what the block reading keeps (`fuller_reading`: the engine took
  one item or one section for the page's article); a listing's engine reading is also
  weighed against a strict block reading (the fast engine's furniture hints), taken when
  the engine keeps less than STRICT_ENGINE_MIN_SHARE of it;
- product pages typed with at least MIN_BLOCKS_CONFIDENCE are read from the blocks as a
  shop's page (`product_document`): furniture, related products, reviews and other
  products, link blocks and price lines dropped, and what lies outside the product's
  description when the page names one that holds most of the text; typed with less,
  they go to the engine;
- a product page whose visible text lacks its description gets the JSON-LD one;
- every page but documentation drops the lines that repeat a kept line before them
  (`drop_repeated_text`: a reply's quote of an earlier post, a section laid out twice).

Uncertain types are not read by trafilatura (as the first version did, for pages typed
product, or listing, collection, service, documentation below the floor): it read some
of them better (WCXB listings and products), but it parses the page again and takes
several times the fast engine's time, which made typed HTML cost 2-4 times untyped;
`--html-engine trafilatura` reads every page with it, for whom that is worth it.

Each dropped line carries its reason (`furniture_block`, `outside_main_content`,
`price_line`, `outside_description`...), as `explain` shows. Which types take which
reader was measured on the WCXB development split with cross-validated types
(bench/wcxb.py --out-of-fold; figures in the README).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Protocol

from selectolax.lexbor import LexborHTMLParser

from .. import reasons as R
from ..document import Capture, Document, Line
from ..heuristics.main_run import run_scores
from ..heuristics.noise import line_facts
from ..text.lines import normalise
from . import blocks as B
from .blocks import Element, Page, parse_html, read_page
from .container import (
    DIGITS,
    FURNITURE_HINTS,
    LINK_BLOCK,
    furniture_elements,
    is_clickable_card,
    is_link_block,
    main_text_elements,
    prefix_sums,
)
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
    classify_html,
)


class Reader(Protocol):
    """An HTML engine: reads a capture with a rule set, given the page when it is read
    already (the fast engine uses it; the trafilatura engine parses the page its own
    way); `posts`: the page is a thread of posts, all of them content."""

    def __call__(self, capture: Capture, ruleset: Any, page: Page | None,
                 tree: LexborHTMLParser | None, posts: bool = False) -> Document: ...


FURNITURE_FLAGS: Final = (
    B.IN_NAV | B.IN_HEADER | B.IN_FOOTER | B.IN_ASIDE | B.IN_FORM | B.IN_BUTTON | B.IN_DIALOG
)
# A <header> inside an <article> or <main> heads that article or the main content (a
# listing's card: its heading, summary and byline), not the page (HTML's banner is a
# header outside them). Measured 2026-11-30 on the WCXB split (cross-validated types):
# 14 pages changed, collections 0.632 -> 0.639 F1 (a topic page whose cards are all
# such headers: 0 -> 0.91), service 0.799 -> 0.802, all 0.841 -> 0.842; 7 pages down by
# 0.036 at most; the dev set's HTML F1 unchanged (0.9377).
SECTION_FLAGS: Final = B.IN_ARTICLE | B.IN_MAIN


# A <form> holding at least this share of the page's text is the page itself (ASP.NET
# pages wrap their whole body in one), not a search box or a sign-up form. Measured
# 2026-11-30 on the WCXB split (cross-validated types): collections 0.639 -> 0.646 F1
# (two shop pages in such a form, +0.55 and +0.17), all 0.842 -> 0.843, nothing else
# changed; the dev set's HTML F1 0.9377 -> 0.9375: its one news page in such a form,
# typed listing (0.76), is now read from its blocks (the engine keeping less than
# ENGINE_MIN_SHARE of them), with tags and "read also" lists the form took away before.
PAGE_FORM_MIN_SHARE: Final = 0.5


def furniture_flags(flags: int, in_page_form: bool = False) -> int:
    """The FURNITURE_FLAGS among a block's flags, a header's within an article or the
    main content aside, and a form's that wraps the page (`in_page_form`)."""
    found = flags & FURNITURE_FLAGS
    if found & B.IN_HEADER and flags & SECTION_FLAGS:
        found &= ~B.IN_HEADER
    if in_page_form:
        found &= ~B.IN_FORM
    return found


def page_form_blocks(page: Page) -> list[bool]:
    """Per block, whether it lies in a <form> holding PAGE_FORM_MIN_SHARE of the page's
    text."""
    if not page.counts["form"]:  # most pages have no form: no walk over their elements
        return [False] * len(page.blocks)
    ends = char_ends(page)
    return blocks_within(page, (
        element for element in page.elements
        if element.tag == "form"
        and ends[element.end_block] - ends[element.first_block] >= PAGE_FORM_MIN_SHARE * ends[-1] > 0
    ))


def char_ends(page: Page) -> list[float]:
    """Prefix sums of the blocks' characters (see container.prefix_sums)."""
    return prefix_sums(float(block.chars) for block in page.blocks)


def blocks_within(page: Page, elements: Iterable[Element]) -> list[bool]:
    """Per block, whether it lies within one of `elements`."""
    inside = [False] * len(page.blocks)
    for element in elements:
        first, end = element.first_block, element.end_block
        inside[first:end] = [True] * (end - first)
    return inside


# Class/id categories that name furniture on a page read from its blocks: the fast
# engine's (container.FURNITURE_HINTS) but for RELATED and META, which name a listing's
# own items ("teaser", "more-", "date", "author", "category").
BLOCK_FURNITURE_HINTS: Final = (
    B.NAV | B.FOOTER | B.SIDEBAR | B.SHARE | B.COMMENT | B.AD | B.COOKIE | B.SUBSCRIBE
    | B.HIDDEN
)
# A collection's or listing's controls: elements whose class or id names filters, facets
# or refinements (holding less than half the page's text), dropped from its block
# reading. Measured 2026-11-30 on the WCXB split (cross-validated types): collections
# 0.644 -> 0.646 F1 (8 pages up, 4 down), nothing else changed; adding "sort" and
# "toolbar" gains 0.0003 more (not done: "sort" is in other words). Not for other
# types: a manual's section on a function named filter is its content.
LIST_CONTROL_NAMES: Final = ("filter", "facet", "refine")
# On a list's page (collection, listing) that marks its main region, the elements around
# the best line of the main run of prose inside that region (its element, ancestors and
# like siblings: `container.main_text_elements`) are not furniture by their class or id
# names, as the fast engine spares them on any page: a shop's category text
# named "seo-footer-copy", a grid of teasers named "hide-read-more-ad". Tags and roles
# still say furniture (a <footer> is one whatever it holds), and on a page with no main
# region none is spared (the only prose of a list of short items is often its footer's
# legal text). Measured 2026-11-30 on the WCXB split (cross-validated types): collections
# 0.670 -> 0.683 F1, listings 0.640 -> 0.641, 3 pages up (+0.14 to +0.95), none down;
# the dev set's HTML F1 unchanged (0.9379). Sparing them on every page read from its
# blocks, main region or not, also lifts service pages 4 and loses 4, but takes a
# promotional banner for a collection's text (-0.78) and a login note into a thread
# typed service on the dev set (F1 0.9377).

# A line outside the main region counts against a run of prose (as a dropped line does,
# main_run.DROPPED_PENALTY): the main run is looked for within the region.
OUTSIDE_MAIN_SCORE: Final = -1.0
# On a list's page (whatever reads it), a kept line of this many words or more that a
# kept line said before is dropped: WCXB's labels mostly hold a list's items once (of the
# split's 216 collection and listing pages, 61 labels repeat a line of three words or
# more, our readings before this 125). Measured 2026-11-30 on the WCXB split
# (cross-validated types): listings 0.667 -> 0.674 F1, collections 0.708 -> 0.709 (70
# pages changed, 24 down); 1 word: 0.674, 0.705 (every item's price, "New" or "Quick
# view" but the first dropped); 6 words: 0.672, 0.710; the dev set's HTML F1 unchanged
# (0.9379) at each. These from the block reading alone; in the engine's reading of a
# page typed listing too, listings 0.674 -> 0.676, the dev set unchanged.
REPEATED_ITEM_MIN_WORDS: Final = 3
# Line-noise reasons (`heuristics.noise`) that a list's items are made of, not dropped
# on a page typed collection or listing (whatever reads it): a product's price ("$49.99",
# a symbol line), a rank, a count or a discount ("#3", "-30%", number lines), a teaser's
# reading time ("Mar 06, 2026 · 4 min read") and an item whose name ends in a bracket
# with a slash ("Wave Vertical Mouse (Right/Left Wireless)", taken for a photo credit).
# Measured 2026-11-30 on the WCXB split (cross-validated types): collections 0.683 ->
# 0.691 F1, listings 0.641 -> 0.661, the other types unchanged at three decimals (67
# pages changed, 24 down, the most an article typed listing, -0.046); the dev set's HTML
# F1 unchanged (0.9379: no annotated snippet of its 40 pages typed listing or collection
# changes). Sparing every noise reason gains as much (0.691, 0.660) but keeps menus'
# lines; sparing date lines too: collections 0.693, but a dev set page keeps a line of
# boilerplate (F1 0.9377).
ITEM_LINE_REASONS: Final = frozenset({R.SYMBOL_LINE, R.NUMBER_LINE, R.MIN_READ, R.CAPTION})
# The page's marked main region replaces the whole page when it holds at least this
# share of the text left after furniture: below it, <main> is a hero or a wrapper of
# one widget. On the WCXB split 0.2-0.5 score within 0.005 F1 of 0.3 on every type.
MAIN_MIN_SHARE: Final = 0.3
# The blocks are read only when the page's type has at least this probability: a news
# story taken for a listing loses much more (the block reading keeps its teasers, related
# links and comments) than a listing read by an engine. Measured 2026-11-29: on the WCXB
# split (cross-validated types) a floor of 0.9 gives F1 0.826 over all pages, 0.95 gives
# 0.824 (listings 0.590 -> 0.578); on the dev set's news pages (typed without their URL)
# 0.9 reads 10 from their blocks and costs HTML F1 (0.936 against 0.937 without page
# types), 0.95 does not (0.938). The news path comes first.
MIN_BLOCKS_CONFIDENCE: Final = 0.95
# A product page is read from its blocks as other types are, but for what a shop's page
# holds besides its product: elements named "related" ("related products", "you may also
# like") and "hidden" (variant data, templates, whatever their share of the text) are
# furniture, and so are link blocks (thumbnails' labels, "Write a review") and price lines
# (PRICE_LINE_MAX_WORDS words or fewer holding an amount of money).
PRODUCT_FURNITURE_HINTS: Final = BLOCK_FURNITURE_HINTS | B.RELATED
# Words in class or id names of a product page's elements that hold no part of the
# product's description: its reviews, and other products (upsell, cross-sell, similar,
# recently viewed), "preview" excepted. Measured on the WCXB split's 119 product pages
# (2026-11-30): reviews alone 0.617 -> 0.636 F1, the other words 0.638; "rating",
# "question", "faq", "delivery" or "shipping" do not help (0.619 to 0.634 with reviews).
PRODUCT_ASIDE_NAMES: Final = ("review", "upsell", "cross-sell", "crosssell", "similar", "recently")
PRODUCT_ASIDE_REFUSED: Final = ("preview",)
PRICE_LINE_MAX_WORDS: Final = 6
PRICE: Final = re.compile(r"[$€£¥₹]\s?\d|\d\s?(?:[$€£¥₹]|EUR\b|USD\b|GBP\b)")
# Headings that open a section of other products on a product page (a heading of at most
# OTHER_PRODUCTS_MAX_CHARS): what the shop shows beside its product, not the product.
OTHER_PRODUCTS_HEADING: Final = re.compile(
    r"\b(?:also (?:viewed|bought|purchased|like|enjoy)|similar (?:items|products)"
    r"|related (?:items|products)|recently viewed|other items|more from this seller"
    r"|frequently bought|complete the look|shop the look|sponsored (?:items|products))\b",
    re.IGNORECASE,
)
OTHER_PRODUCTS_MAX_CHARS: Final = 60
# The product's description: the outermost elements whose class or id names a
# "description" (its short description too), one of them holding at least
# DESCRIPTION_MIN_CHARS of the kept text (else the page's first <article> that does);
# when they hold DESCRIPTION_MIN_SHARE of it, the rest (prices, options, delivery) is
# dropped but the page's <h1>. Measured on the WCXB split's 119 product pages
# (cross-validated types, 2026-11-30, before reviews were dropped): F1 0.605 -> 0.622;
# without the share guard (any description) 0.604, a short description standing for the
# whole page; 0.4 and 0.5 score alike (0.621, 0.622).
DESCRIPTION_NAME: Final = "description"
DESCRIPTION_MIN_CHARS: Final = 200
DESCRIPTION_MIN_SHARE: Final = 0.5
# A page typed collection, listing, service or documentation with less than
# MIN_BLOCKS_CONFIDENCE is read by the engine, and from its blocks too: when the engine
# keeps less than this share of the words the block reading keeps, the block reading is
# taken. Measured 2026-11-30 on the WCXB split (cross-validated types, 229 pages so
# typed) and the dev set's news pages (typed without their URL, 61 so typed): 0.2
# gives WCXB listings +0.067 F1, collections +0.056, service +0.004, and keeps one more
# boilerplate snippet on the dev set (HTML F1 0.9377 -> 0.9376); 0.3 gives listings
# +0.068, collections +0.068, but the dev set 0.9372 (a news story whose engine reading
# is a third of its block reading); 0.5: +0.082, +0.072, and documentation +0.008,
# dev set 0.9362.
ENGINE_MIN_SHARE: Final = 0.2
# A listing typed with less than MIN_BLOCKS_CONFIDENCE whose engine reading keeps less
# than this share of the words of a strict block reading (the fast engine's furniture
# hints: related lists and elements named for bylines and dates go too, which a news
# story's block reading would keep) took a piece of the list for its article: the strict
# reading is taken. It comes after the ENGINE_MIN_SHARE test (a looser reading, which
# keeps more). Measured 2026-11-30 on the WCXB split (cross-validated types): all 0.8695
# -> 0.8706 F1 (9 pages changed, 7 up by 0.07 to 0.61, 2 down by 0.14 and 0.28), the
# same from 0.4 (0.8704) to 0.5; 0.6 also 0.8705 but the dev set's news pages typed
# listing lose (HTML F1 0.9379 -> 0.9366); at 0.5, 0.9375: one page of 949, an album's
# page with its "similar products", keeps two lines of boilerplate. With the looser
# reading's hints at 0.5: 0.8705 and 0.9370; the strict reading alone at 0.5 (no
# looser one first): 0.8696 and 0.9370. On pages typed article, a strict reading at 0.3
# gains WCXB 0.0003 but costs the dev set 0.0012: not done.
STRICT_ENGINE_MIN_SHARE: Final = 0.5
# A page typed article (most pages) is read by the engine, unless the engine keeps less
# than this share of the words its block reading keeps: then it took a teaser or one
# item of a listing the model took for an article. Measured 2026-11-30 on the WCXB split
# (cross-validated types), articles 0.944 -> 0.946 F1, listings 0.583 -> 0.619,
# collections 0.622 -> 0.632, and the dev set's HTML F1 0.9376 -> 0.9377 (one page
# gains two snippets of its article and keeps three of boilerplate); 0.1: listings
# 0.604, dev set 0.9377; 0.2: listings 0.626 but the dev set 0.9373.
ARTICLE_ENGINE_MIN_SHARE: Final = 0.15
# A documentation page's engine reading is more often one section of it: measured
# 2026-11-30 (tab panels kept, forum threads read as posts), WCXB documentation F1 0.911
# at ENGINE_MIN_SHARE, 0.914 from 0.5 to 0.6, 0.917 from 0.65 to 2 (the block reading
# whatever the engine keeps); the dev set's HTML F1 0.9377 up to 0.65, 0.9373 at 0.7 (a
# news page typed documentation whose engine reading is 0.70 of its block reading). A
# knife-edge: the step at 0.65 is one or two WCXB pages.
DOCUMENTATION_ENGINE_MIN_SHARE: Final = 0.65
# A service page's engine reading is one of its sections (the largest), where the page's
# content is all of them: a page typed service is read from its blocks whenever they keep
# more words than the engine. Measured 2026-11-30 on the WCXB split (cross-validated
# types, 68 pages changed, 37 up, 31 down): service 0.799 -> 0.809 F1, documentation
# 0.917 -> 0.922 (manuals typed service), listings +0.001, products -0.001, all 0.842 ->
# 0.844; the dev set's HTML F1 0.9377 -> 0.9379 (8 news pages typed service, with
# confidence 0.53-0.80: two article snippets gained, one boilerplate snippet kept). The
# same for listings (0.8) gains WCXB listings 0.02 but costs the dev set 0.0025 (news
# pages typed listing keep their teasers): not done.
SERVICE_ENGINE_MIN_SHARE: Final = 1.0
# A page typed collection is read from its blocks however sure its type: a shop's
# category page read by the engine is often a few of its items (its teaser-card pruning
# takes a grid of linked product titles for a row of teasers), its promotion banner or its
# filter panel, where its content is the category's text and all its items. Measured
# 2026-11-30 on the WCXB split (cross-validated types) against the engine's reading kept
# unless it held less than half the block reading's words: collections 0.691 -> 0.708
# F1 (36 pages changed: 19 up by up to 0.88; 17 down, most of them pages whose labels
# keep the category's text alone and not its products, as the engine did), the other
# types unchanged at three decimals;
# the dev set's HTML output unchanged (its one news page typed collection is read from
# its blocks already). Taking the block reading when the engine keeps less than 1, 2, 3
# or 5 times its words: 0.683, 0.699, 0.703, 0.708.
COLLECTION_MIN_CONFIDENCE: Final = 0.0
# A page typed forum is read as a thread of posts (all of them content) when its type
# has at least this probability: a news story with its comments taken for a thread
# keeps them all. Measured 2026-11-30 on the WCXB split (cross-validated types): every
# page typed forum read so, forums 0.724 -> 0.738 F1 and articles 0.944 -> 0.942; from
# 0.9, forums 0.731 and articles 0.944 (0.8: forums 0.726). WCXB's forum labels differ
# from thread to thread (some keep the first post alone): more posts is not always more.
MIN_POSTS_CONFIDENCE: Final = 0.9
# A thread read as posts keeps each post's author and date, but not the elements named for
# a poster's signature, user card (post counts, join date, badges) or reactions bar.
# Measured 2026-11-30 on the WCXB split (cross-validated types): forums 0.729 -> 0.734 F1,
# 23 pages up, none down, nothing else changed; adding "actions", "badge" and "joined"
# gains 0.0002 more. On the dev set's HTML pages, two threads lose their user cards and
# reactions lines (F1 unchanged: its annotations hold no snippet of them). A poster's
# title, banner and extras (rank, "Premium Member", join date and message counts) are
# user card too: forums 0.7771 -> 0.7816 (14 threads up, none down), nothing else
# changed, the dev set unchanged (2026-11-30). So are the forum's notices over and under
# the thread ("Scam alert...", "Start asking to get answers", "Last edited by..."):
# forums 0.7816 -> 0.7844 (13 threads up, none down), nothing else changed.
POST_ASIDE_NAMES: Final = (
    "signature", "userinfo", "user-info", "reaction", "usertitle", "user-title", "userbanner",
    "user-banner", "userextras", "user-extras", "notice",
)
# A thread read as posts keeps the elements named comments (a forum's posts often are),
# but not the comments on its posts: a question-and-answer thread's remarks under the
# question and under each answer, in elements named comments nested in the post. A
# group of such elements (an element and its siblings of its shape) holding less than
# this share of the kept text is comments on posts; a thread whose posts are named
# comments holds most of its text in them. Measured 2026-11-30 on the WCXB split
# (cross-validated types): forums 0.7387 -> 0.7479 F1 (11 Q&A threads up, 0.005 to 0.20,
# none down), nothing else changed; the same from 0.3 to 0.7; the dev set unchanged.
POST_COMMENTS_MAX_SHARE: Final = 0.5
# A page shows its text once: a kept line of at least this many characters whose text a
# kept line before it holds already is a copy (a reply quoting an earlier post of the
# thread, a section laid out twice for large and small screens, a carousel's cloned
# slides), which a reader sees once (and word-level scores count twice). Shorter lines
# may be an item's own label. Measured 2026-11-30 on the WCXB split (cross-validated
# types), every type but documentation: forums 0.7479 -> 0.7771 F1, products 0.6537 ->
# 0.6693, service 0.8139 -> 0.8183, listings 0.6398 -> 0.6453, collections 0.6698 ->
# 0.6712, articles 0.9465 -> 0.9474, documentation (pages typed otherwise) 0.9309 ->
# 0.9296, all 0.8507 -> 0.8556; from 1 character: 0.8555 (collections 0.6665), 20: 0.8551,
# 60: 0.8543. Documentation pages typed so lose 0.011 (a manual's examples repeat lines
# of code): not for them. The dev set's HTML F1 unchanged (0.9379).
REPEATED_TEXT_MIN_CHARS: Final = 12
# A JSON-LD description shorter than this is a tagline, not a product description.
MIN_DESCRIPTION_CHARS: Final = 80
# The kept text holds the JSON-LD description when it holds this share of its words: the
# page shows it, with its own quotes, dashes and markup (its opening characters compared
# as they are, as at first, missed a description shown with curly quotes and appended it
# again). Measured 2026-11-30 on the WCXB split (cross-validated types): products 0.6693
# -> 0.6754 F1 (13 pages up, one down: a page showing 0.59 of its description, which
# 0.6 would append), all 0.8556 -> 0.8560.
LD_KEPT_SHARE: Final = 0.5
# A word of a description, as compared with the kept text.
WORD: Final = re.compile(r"\w+")
PRODUCT_LD_TYPES: Final = frozenset({"product", "productgroup", "individualproduct", "productmodel"})


@dataclass(frozen=True, slots=True)
class Profile:
    """How one page type is read: from its blocks when the type is sure enough, else by
    the run's HTML engine."""

    blocks: bool = False
    # A page of a type read from its blocks is read so when typed with at least this
    # probability; typed with less, when the engine keeps less than `engine_min_share` of
    # the block reading's words.
    min_confidence: float = MIN_BLOCKS_CONFIDENCE
    engine_min_share: float = 0.0
    # Typed with less than `min_confidence`, also weighed against a strict block reading
    # (STRICT_ENGINE_MIN_SHARE, the fast engine's furniture hints): taken when the engine
    # keeps less than this share of its words.
    strict_min_share: float = 0.0
    # Read from the blocks as a product page (see product_document) when sure enough.
    product: bool = False
    # Fill in the JSON-LD product description when the kept text lacks it.
    ld_description: bool = False
    # A thread of posts: the fast engine keeps them all (see fast.choose_content).
    posts: bool = False
    # A list of items: its block reading drops the list's controls (LIST_CONTROL_NAMES)
    # and keeps the elements of its main prose whatever their names (`main_prose_elements`);
    # whatever reads it, its items' prices, ranks and reading times stay (ITEM_LINE_REASONS)
    # and the lines it says again go (`drop_repeated_items`).
    list_controls: bool = False
    # A line that repeats an earlier kept line goes (see drop_repeated_text); not in a
    # manual, whose examples may repeat a line of code.
    repeats: bool = True


# Measured per type on the WCXB split (2026-11-29), mean F1 of the pages typed so
# (cross-validated), fast engine / trafilatura engine / blocks: collection
# 0.538/0.534/0.615, listing 0.362/0.544/0.640, service 0.737/0.741/0.779, documentation
# 0.881/0.901/0.919, product 0.538/0.608/0.526, forum 0.740/0.698/0.621. The 68 product
# pages typed product with >= 0.95 (2026-11-30): fast engine 0.519, blocks 0.558,
# product_document 0.642, trafilatura's bare_extraction 0.617.
ENGINE: Final = Profile()
BLOCKS: Final = Profile(blocks=True, engine_min_share=ENGINE_MIN_SHARE, list_controls=True,
                        strict_min_share=STRICT_ENGINE_MIN_SHARE)
PROFILES: Final[Mapping[str, Profile]] = {
    ARTICLE: Profile(engine_min_share=ARTICLE_ENGINE_MIN_SHARE),
    FORUM: Profile(posts=True),
    DOCUMENTATION: Profile(blocks=True, engine_min_share=DOCUMENTATION_ENGINE_MIN_SHARE,
                           repeats=False),
    PRODUCT: Profile(product=True, ld_description=True),
    COLLECTION: Profile(blocks=True, min_confidence=COLLECTION_MIN_CONFIDENCE, list_controls=True),
    LISTING: BLOCKS,
    SERVICE: Profile(blocks=True, engine_min_share=SERVICE_ENGINE_MIN_SHARE),
}


def typed_html_document(capture: Capture, ruleset: Any, engine: Reader) -> Document:
    """The Document of an HTML capture, read as its page type wants; `meta["page_type"]`
    says which type it was taken for (none when there is no page to speak of)."""
    tree = parse_html(capture.text)
    if tree is None:
        return engine(capture, ruleset, None, None)
    page = read_page(tree)
    kind = classify_html(page, capture.url)
    profile = PROFILES.get(kind.name, ENGINE)
    ruled = bool(getattr(ruleset, "html", None))  # a site's own rules say where its text is
    sure = kind.confidence >= MIN_BLOCKS_CONFIDENCE and not ruled
    if sure and profile.product:
        doc = product_document(capture, ruleset, tree, page)
    elif profile.blocks and kind.confidence >= profile.min_confidence and not ruled:
        doc = block_document(capture, ruleset, tree, page, profile.list_controls)
    else:
        posts = profile.posts and kind.confidence >= MIN_POSTS_CONFIDENCE
        doc = engine(capture, ruleset, page, tree, posts=posts)
        if posts and not ruled:  # (a ruled page is read anew: its blocks are not `page`'s)
            drop_named_elements(doc, page, POST_ASIDE_NAMES)
            drop_post_comments(doc, page)
        if profile.engine_min_share and not ruled:
            blocks = block_reading(capture, ruleset, page, doc.meta, controls=profile.list_controls)
            doc = fuller_reading(doc, blocks, profile.engine_min_share)
        if profile.strict_min_share and not ruled:
            strict = block_reading(capture, ruleset, page, doc.meta, hints=FURNITURE_HINTS,
                                   controls=profile.list_controls)
            doc = fuller_reading(doc, strict, profile.strict_min_share)
    if profile.list_controls:
        doc.item_reasons = ITEM_LINE_REASONS
        drop_repeated_items(doc)
    elif profile.repeats:  # (a list's page drops its repeated items its own way)
        drop_repeated_text(doc)
    if profile.ld_description:
        add_ld_description(doc, page)
    doc.meta["page_type"] = kind.name
    return doc


def fuller_reading(engine_doc: Document, block_doc: Document, min_share: float) -> Document:
    """The engine's reading of a page, unless it keeps less than `min_share` of the words
    its block reading (`block_doc`, from `block_reading`) keeps: then the engine took a
    piece of the page (one teaser, one item of a listing, one section of a service page)
    for its article, and the block reading is taken, finished as `block_document` does."""
    if kept_words(engine_doc) < min_share * kept_words(block_doc):
        return finished(block_doc)
    return engine_doc


def kept_words(doc: Document) -> int:
    """Words of the Document's kept lines."""
    return sum(line_facts(line).words for line in doc.lines if line.reason is None)


def block_document(capture: Capture, ruleset: Any, tree: LexborHTMLParser, page: Page,
                   controls: bool = False) -> Document:
    """A Document whose Lines are all the page's blocks, furniture and what lies outside
    the main region dropped; metadata as the fast engine reads it."""
    meta = block_metadata(capture, ruleset, tree)
    return finished(block_reading(capture, ruleset, page, meta, controls=controls))


def block_reading(capture: Capture, ruleset: Any, page: Page, meta: dict[str, Any],
                  hints: int = BLOCK_FURNITURE_HINTS, product: bool = False,
                  controls: bool = False) -> Document:
    """The page's blocks as a Document, furniture (`keep_main_blocks`), a list's
    `controls` and what lies outside the main region dropped (a copy of `meta` its
    metadata); the title and language not yet looked at (`finished`)."""
    doc = Document(capture, page_lines(page), dict(meta), ruleset, extracted=True)
    keep_main_blocks(doc, page, hints, product, controls)
    return doc


def block_metadata(capture: Capture, ruleset: Any, tree: LexborHTMLParser) -> dict[str, Any]:
    """The page's metadata as the fast engine reads it, for a reading from its blocks."""
    from ..siterules.model import HtmlRules

    rules = ruleset.html if ruleset is not None else HtmlRules()
    meta, _ = page_metadata(LexborEngine(tree), capture.text, capture.url, rules)
    return meta


def finished(doc: Document) -> Document:
    """A reading from the blocks, its title line dropped and its language checked, as the
    engines finish theirs."""
    drop_title(doc)
    check_language(doc)
    return doc


def product_document(
    capture: Capture, ruleset: Any, tree: LexborHTMLParser, page: Page
) -> Document:
    """A product page's Document: its blocks, furniture, link blocks, price lines and
    (when the page names its product's description) what lies outside the description
    dropped; metadata as the fast engine reads it."""
    doc = block_reading(capture, ruleset, page, block_metadata(capture, ruleset, tree),
                        PRODUCT_FURNITURE_HINTS, product=True)
    for i, line in enumerate(doc.lines):
        if line.reason is None and not line.block.heading:
            facts = line_facts(line)
            if facts.words <= PRICE_LINE_MAX_WORDS and PRICE.search(line.text):
                doc.drop(i, R.PRICE_LINE)
    drop_named_asides(doc, page)
    drop_other_products(doc, page)
    keep_description(doc, page)
    return finished(doc)


def drop_named_asides(doc: Document, page: Page) -> None:
    """Drop the elements whose class or id names reviews or other products (see
    PRODUCT_ASIDE_NAMES), and what they hold, unless they name the description too."""
    named: list[bool] = []
    for element in page.elements:
        attrs = element.attrs
        named.append(
            (element.parent >= 0 and named[element.parent])
            or (bool(attrs) and DESCRIPTION_NAME not in attrs
                and any(word in attrs for word in PRODUCT_ASIDE_NAMES)
                and not any(word in attrs for word in PRODUCT_ASIDE_REFUSED))
        )
    for i, line in enumerate(doc.lines):
        if named[line.block.element]:
            doc.drop(i, R.FURNITURE_BLOCK)


def drop_other_products(doc: Document, page: Page) -> None:
    """Drop the sections a kept line that is no link announces as other products
    (OTHER_PRODUCTS_HEADING: "similar items", "customers also bought"...): the outermost
    element it opens, or when it opens none and is a heading, the blocks up to the next
    heading as high."""
    blocks = page.blocks
    elements = page.elements
    end_of: dict[int, int] = {}
    for line in doc.lines:
        block = line.block
        if (line.reason is not None or block.flags & B.IN_LINK or block.index in end_of
                or len(line.text) > OTHER_PRODUCTS_MAX_CHARS
                or not OTHER_PRODUCTS_HEADING.search(line.text)):
            continue
        start = block.index
        holder = elements[block.element]
        while holder.parent > 0 and elements[holder.parent].first_block == start:
            holder = elements[holder.parent]
        end = holder.end_block
        if end - start <= 1 and block.heading:
            level = block.heading
            end = next((b.index for b in blocks[start + 1:] if b.heading and b.heading <= level),
                       len(blocks))
        end_of[start] = end
    if not end_of:
        return
    dropped = [False] * (len(blocks) + 1)
    for start, end in end_of.items():
        for index in range(start, end):
            dropped[index] = True
    for i, line in enumerate(doc.lines):
        if dropped[line.block.index]:
            doc.drop(i, R.OTHER_PRODUCTS)


def keep_description(doc: Document, page: Page) -> None:
    """Drop what lies outside the product's description (but the <h1>) when the page
    names one that holds DESCRIPTION_MIN_SHARE of the kept text (see DESCRIPTION_NAME)."""
    kept = [0] * (len(page.blocks) + 1)
    for line in doc.lines:
        if line.reason is None:
            kept[line.block.index + 1] += len(line.text)
    for i in range(1, len(kept)):
        kept[i] += kept[i - 1]
    chosen: list[tuple[int, int]] = []
    large = False
    for element in page.elements:
        first, end = element.first_block, element.end_block
        if (DESCRIPTION_NAME in element.attrs and kept[end] > kept[first]
                and not any(a <= first and end <= b for a, b in chosen)):
            chosen.append((first, end))
            large = large or kept[end] - kept[first] >= DESCRIPTION_MIN_CHARS
    if not large:
        chosen.clear()
        article = next((
            element for element in page.elements
            if element.flags & B.IN_ARTICLE
            and kept[element.end_block] - kept[element.first_block] >= DESCRIPTION_MIN_CHARS
        ), None)
        if article is None:
            return
        chosen.append((article.first_block, article.end_block))
    if sum(kept[end] - kept[first] for first, end in chosen) < DESCRIPTION_MIN_SHARE * kept[-1]:
        return
    for i, line in enumerate(doc.lines):
        index = line.block.index
        if line.block.heading != 1 and not any(first <= index < end for first, end in chosen):
            doc.drop(i, R.OUTSIDE_DESCRIPTION)


def keep_main_blocks(
    doc: Document, page: Page, hints: int = BLOCK_FURNITURE_HINTS, product: bool = False,
    controls: bool = False,
) -> None:
    """Drop furniture blocks (by their tags and roles, or inside an element whose
    class/id names it furniture (`hints`) and that holds less than half the text), and
    what lies outside the marked main region when it holds MAIN_MIN_SHARE of the rest.
    On a `product` page, blocks named hidden and link blocks go too. With `controls` (a
    list's page), its filters go too (LIST_CONTROL_NAMES), the elements of its main prose
    are not furniture by their names (`main_prose_elements`), and an element named
    furniture holds the page only when its prose, not its link text, is half the page's
    text. A form wrapping the page is no furniture (see PAGE_FORM_MIN_SHARE)."""
    lines = doc.lines
    chars = [float(block.chars) for block in page.blocks]
    spared: set[int] = set()
    whole = None
    if controls:
        spared = main_prose_elements(page, lines)
        # A menu of a thousand links (a language picker over a list of repositories) can
        # hold more text than the list's items: its links do not make it the page.
        # Measured 2026-11-30 on the WCXB split (cross-validated types): listings 0.661
        # -> 0.667 F1, 3 pages up (+0.01 to +0.60), none down; the dev set's HTML F1
        # unchanged (0.9379). Weighing the page by its prose too (as the fast engine
        # does) takes a collection's promotion banner for its text (-0.78: its items'
        # names are links, its prose little); on every page read from its blocks, a
        # manual loses its body (documentation 0.931 -> 0.920).
        whole = sum(chars)
        chars = [float(block.chars - min(block.chars, block.link_chars)) for block in page.blocks]
    furniture = furniture_elements(page, chars, spared, hints=hints, cards=not product, whole=whole)
    page_form = page_form_blocks(page)
    cards: list[bool] | None = None  # found when a block in a button is first met
    named = named_elements(page, LIST_CONTROL_NAMES) if controls else [False] * len(page.elements)
    for i, line in enumerate(lines):
        block = line.block
        hidden = product and block.hints & B.HIDDEN
        flags = block.flags
        if flags & B.IN_BUTTON and not product:
            if cards is None:
                cards = clickable_cards(page)
            if cards[block.index] or (block.heading and not controls):
                # a clickable card; or, but on a list's page (its filters), a heading
                # made a button (<h3><button>...): an accordion's or a FAQ's question,
                # which opens its answer. WCXB out-of-fold (2026-11-30): 9 pages up
                # (services, a manual), one down 0.022; on list pages as well,
                # collections lost 0.006
                flags &= ~B.IN_BUTTON
        if (furniture_flags(flags, page_form[block.index]) or furniture[block.element] or hidden
                or named[block.element]):
            doc.drop(i, R.FURNITURE_BLOCK)
        elif product and is_link_block(block):
            doc.drop(i, R.LINK_BLOCK)
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
                doc.drop(i, R.OUTSIDE_MAIN_CONTENT)


def drop_repeated_items(doc: Document) -> None:
    """Drop the kept lines of REPEATED_ITEM_MIN_WORDS words or more that a kept line
    said before: a list's items shown twice (a carousel's copies, the same item in the
    page's lists of today's and of the week's, a card's title in its link and heading)."""
    drop_said_before(doc, R.REPEATED_ITEM,
                     lambda line: line_facts(line).words >= REPEATED_ITEM_MIN_WORDS)


def main_prose_elements(page: Page, lines: list[Line]) -> set[int]:
    """The elements around the best line of the main run of prose within the page's
    marked main region (`container.main_text_elements`); none when the page marks none."""
    flags = [line.block.flags & B.IN_MAIN for line in lines]
    if not any(flags):
        return set()
    own = [LINK_BLOCK if is_link_block(line.block) else line_facts(line).reason for line in lines]
    scores = [score if inside else min(score, OUTSIDE_MAIN_SCORE)
              for score, inside in zip(run_scores(lines, own), flags)]
    return main_text_elements(page, lines, scores)


def named_elements(page: Page, names: tuple[str, ...]) -> list[bool]:
    """Per element, whether its class or id (or an ancestor's) holds one of `names`,
    for an element holding less than half the page's text."""
    ends = char_ends(page)
    total = ends[-1]
    named: list[bool] = []
    for element in page.elements:
        named.append(
            (element.parent >= 0 and named[element.parent])
            or (bool(element.attrs) and any(name in element.attrs for name in names)
                and 2 * (ends[element.end_block] - ends[element.first_block]) < total)
        )
    return named


def drop_named_elements(doc: Document, page: Page, names: tuple[str, ...]) -> None:
    """Drop the kept lines in elements named by one of `names` (see named_elements); lines
    an engine read without blocks stay."""
    named = named_elements(page, names)
    for i, line in enumerate(doc.lines):
        if line.reason is None and line.block is not None and named[line.block.element]:
            doc.drop(i, R.FURNITURE_BLOCK)


def drop_post_comments(doc: Document, page: Page) -> None:
    """Drop the comments on a thread's posts: the outermost elements named comments
    whose group (they and their siblings of their shape) holds less than
    POST_COMMENTS_MAX_SHARE of the kept text. A thread whose posts are named comments
    keeps them (together they are most of it)."""
    elements = page.elements
    kept = [0.0] * len(page.blocks)
    for line in doc.lines:
        if line.reason is None and line.block is not None:
            kept[line.block.index] += len(line.text)
    ends = prefix_sums(kept)
    groups: dict[tuple[int, str, str], list[Element]] = {}
    within = [False] * len(elements)
    for index, element in enumerate(elements):
        if element.parent >= 0 and within[element.parent]:
            within[index] = True
        elif element.hints & B.COMMENT:
            within[index] = True
            key = (element.parent, element.tag, DIGITS.sub("", element.attrs))
            groups.setdefault(key, []).append(element)
    if not groups:
        return
    comments: list[Element] = []
    for group in groups.values():
        held = sum(ends[e.end_block] - ends[e.first_block] for e in group)
        if held < POST_COMMENTS_MAX_SHARE * ends[-1]:
            comments.extend(group)
    dropped = blocks_within(page, comments)
    for i, line in enumerate(doc.lines):
        if line.reason is None and line.block is not None and dropped[line.block.index]:
            doc.drop(i, R.FURNITURE_BLOCK)


def drop_repeated_text(doc: Document) -> None:
    """Drop the kept lines of REPEATED_TEXT_MIN_CHARS or more whose text (case aside) a
    kept line before them holds already: the page says it once."""
    drop_said_before(doc, R.REPEATED_TEXT, lambda line: len(line.text) >= REPEATED_TEXT_MIN_CHARS)


def drop_said_before(doc: Document, reason: str, counts: Callable[[Line], bool]) -> None:
    """Drop, with `reason`, each kept line that `counts` and whose text (case aside) a
    kept line before it that `counts` held already."""
    said: set[str] = set()
    for i, line in enumerate(doc.lines):
        if line.reason is not None or not counts(line):
            continue
        key = line.text.casefold()
        if key in said:
            doc.drop(i, reason)
        else:
            said.add(key)


def clickable_cards(page: Page) -> list[bool]:
    """Per block, whether it lies in a clickable card (see container.is_clickable_card)."""
    return blocks_within(page, filter(is_clickable_card, page.elements))


def add_ld_description(doc: Document, page: Page) -> None:
    """Append the JSON-LD product description when the kept text does not hold it: when
    less than LD_KEPT_SHARE of its words (counted with their repeats) are kept words."""
    description = ld_description(page)
    if not description:
        return
    words = Counter(WORD.findall(description.casefold()))
    kept = Counter(WORD.findall(" ".join(doc.lines[i].text for i in doc.kept()).casefold()))
    if (words & kept).total() >= LD_KEPT_SHARE * words.total():
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
