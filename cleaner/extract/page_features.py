"""What an HTML page shows about its page type, as named numbers: structured data,
markup, where its text sits in the blocks, repeated structures (cards, posts, rows), on
top of what any capture shows (`capture_features`: URL, words).

Read from the fast engine's blocks (`blocks.read_page`: one parse, one walk) and the
lower-cased markup (microdata and class names of inline elements, which the walk does
not keep). The page type model (`page_type.py`) is trained on these names: a feature
added here means a model retrained with `tools/train_page_types.py`.

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
from .capture_features import (
    MAX_TEXT_CHARS,
    PROSE_BLOCK_CHARS,
    SENTENCE_ENDS,
    url_features,
    word_features,
)

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
# Patterns over the lower-cased markup (one lower() instead of case-insensitive
# matching, which costs several times more on a page of some 100 kB).
MICRODATA: Final = {
    "product": re.compile(r"""itemtype=["'][^"']*schema\.org/(?:product|offer)"""),
    "forum": re.compile(r"""itemtype=["'][^"']*schema\.org/(?:discussionforumposting|comment|"""
                        r"""answer|question|usercomments)"""),
    "article": re.compile(r"""itemtype=["'][^"']*schema\.org/(?:\w*article|blogposting)"""),
    "price": re.compile(r"""itemprop=["']?price"""),
}

# --- text ------------------------------------------------------------------------------
# Shop phrases, looked for in an HTML page's text (a regex: dearer than word counts, so
# not on the text path).
SHOP_PHRASES: Final = re.compile(
    r"add to (?:cart|bag|basket|wishlist)|buy now|in stock|out of stock|size guide|"
    r"free (?:shipping|delivery|returns)|select (?:a )?size"
)
# A block of prose is PROSE_BLOCK_CHARS long, with less than this share of link text.
PROSE_MAX_LINK_SHARE: Final = 0.3
SENTENCE_BLOCK_CHARS: Final = 80
# Siblings with one tag and class make a repeated structure (cards, posts, rows) from 3 on.
MIN_REPEATS: Final = 3
# A repeated item holding this many characters is a post or a full card, not a menu entry.
LONG_ITEM_CHARS: Final = 300

# --- markup ---------------------------------------------------------------------------
# Tags counted (per page, by the block walk: the elements it does not enter too).
COUNTED_TAGS: Final = (
    "a", "p", "li", "pre", "code", "table", "tr", "td", "h1", "h2", "h3", "h4", "article",
    "section", "form", "button", "time", "blockquote", "dl", "nav", "aside", "footer",
    "header", "main", "ul", "ol", "span", "div", "label", "fieldset", "figure", "strong", "em",
    "img", "input", "select", "textarea", "iframe", "video", "svg",
)
# class and id values anywhere in the markup (inline elements too: span.price, a.reply).
CLASS_ATTR: Final = re.compile(r"""\s(?:class|id)\s*=\s*["']([^"'<>]{1,300})["']""")
# Class-name stems by what they say about the page.
CLASS_WORDS: Final = {
    "forum": r"post|message|thread|topic|reply|replies|answer|question|vote|upvote|avatar|"
    r"username|user-?info|member|signature|quote|bbcode|postbody|comment",
    "product": r"product|price|cart|basket|buy|sku|stock|quantity|qty|variant|swatch|add-?to|"
    r"checkout|pdp|size-?(?:chart|guide|select)|wishlist",
    "collection": r"filter|facet|sort|refine|pagination|pager|results|grid|tile|plp|"
    r"product-?(?:list|grid|card|item|tile)|collection|categor|load-?more",
    "card": r"card|tile|teaser|item|entry|list-?item|excerpt|summary|feed",
    "docs": r"toc|sidebar|docs?|api|highlight|language-|hljs|prism|codehilite|syntax|"
    r"sourcecode|admonition|note|warning|tip|version|edit-?(?:this|on)|breadcrumb|markdown|"
    r"rst|sphinx|mkdocs|docusaurus|theme-doc",
    "service": r"hero|cta|feature|benefit|testimonial|pricing|plan|faq|accordion|logo|client|"
    r"partner|solution|service|banner|section|stats?|counter|icon-?box|btn|button",
    "article": r"article|entry-?content|post-?content|story|byline|author|published|dateline|"
    r"share|related|prose|blog",
}
CLASS_RES: Final = {kind: re.compile(words) for kind, words in CLASS_WORDS.items()}


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


def structured_features(page: Page, markup: str, out: dict[str, float]) -> None:
    """JSON-LD types, OpenGraph type, product and article meta tags, microdata (in the
    lower-cased `markup`)."""
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
    for kind, pattern in MICRODATA.items():
        out["md_" + kind] = len(pattern.findall(markup))


def markup_features(page: Page, markup: str, out: dict[str, float]) -> None:
    """Tag counts, and class/id stems by kind (as counts and as shares of all names),
    from the page and its lower-cased `markup`."""
    counts = page.counts
    for tag in COUNTED_TAGS:
        out["n_" + tag] = counts.get(tag, 0)
    names = "\n".join(CLASS_ATTR.findall(markup))
    total = max(1, names.count("\n") + 1)
    for kind, pattern in CLASS_RES.items():
        found = len(pattern.findall(names))
        out["c_" + kind] = found
        out["c_" + kind + "_r"] = found / total


def block_features(page: Page, out: dict[str, float]) -> None:
    """Where the page's text sits: paragraphs, lists, tables, code, links, headings."""
    blocks = page.blocks
    total = sum(b.chars for b in blocks) or 1

    def share(test: Any) -> float:
        return sum(b.chars for b in blocks if test(b)) / total

    headings = [b for b in blocks if b.heading]
    out["b_n"] = len(blocks)
    out["b_log_chars"] = math.log1p(total)
    out["b_link_share"] = sum(b.link_chars for b in blocks) / total
    out["b_p_share"] = share(lambda b: b.tag == "p")
    out["b_pre_share"] = share(lambda b: b.flags & B.IN_PRE)
    out["b_code_share"] = share(lambda b: b.flags & (B.IN_PRE | B.IN_CODE))
    out["b_li_share"] = share(lambda b: b.flags & B.IN_LIST)
    out["b_table_share"] = share(lambda b: b.flags & B.IN_TABLE)
    out["b_nav_share"] = share(lambda b: b.flags & B.IN_NAV)
    out["b_comment_share"] = share(lambda b: b.hints & B.COMMENT)
    out["b_article_share"] = share(lambda b: b.flags & B.IN_ARTICLE)
    out["b_main_share"] = share(lambda b: b.flags & B.IN_MAIN)
    out["b_heading_n"] = len(headings)
    out["b_heading_link_n"] = sum(1 for b in headings if b.flags & B.IN_LINK)
    out["b_heading_link_r"] = out["b_heading_link_n"] / max(1, len(headings))
    out["b_link_blocks_r"] = sum(1 for b in blocks if b.flags & B.IN_LINK) / max(1, len(blocks))
    prose = [b for b in blocks
             if b.chars >= PROSE_BLOCK_CHARS and b.link_chars < PROSE_MAX_LINK_SHARE * b.chars]
    out["b_long_n"] = len(prose)
    out["b_long_share"] = sum(b.chars for b in prose) / total
    out["b_max_block"] = max((b.chars for b in blocks), default=0) / total
    out["b_sentence_share"] = share(
        lambda b: b.chars > SENTENCE_BLOCK_CHARS and b.text.rstrip()[-1:] in SENTENCE_ENDS
    )
    text = "\n".join(b.text for b in blocks)
    out["t_code_lines"] = sum(
        b.text.count("\n") + 1 for b in blocks if b.flags & (B.IN_PRE | B.IN_CODE)
    )
    out["n_times"] = len(page.times)
    out["t_shop_phrases"] = len(SHOP_PHRASES.findall(text[:MAX_TEXT_CHARS].lower()))
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
    for block in blocks:
        before.append(before[-1] + block.chars)
    links_before = [0]
    for block in blocks:
        links_before.append(links_before[-1] + (1 if block.link_chars else 0))
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
        chars = linked = long_items = 0
        for index in members:
            element = elements[index]
            held = before[element.end_block] - before[element.first_block]
            chars += held
            linked += links_before[element.end_block] > links_before[element.first_block]
            long_items += held > LONG_ITEM_CHARS
        best_share = max(best_share, chars / total)
        best_linked = max(best_linked, linked)
        best_long = max(best_long, long_items)
    out["r_share"] = best_share
    out["r_linked"] = best_linked
    out["r_long"] = best_long


def html_features(page: Page, html: str, url: str | None) -> dict[str, float]:
    """The features of an HTML page read into `page`, from markup `html` at `url`."""
    out: dict[str, float] = {}
    markup = html.lower()
    url_features(url, out)
    structured_features(page, markup, out)
    markup_features(page, markup, out)
    block_features(page, out)
    return out
