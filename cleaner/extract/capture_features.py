"""What any capture shows about its page type, as named numbers: the shape and words of
its URL, and words of its text (prices, forum, shop and listing words, dates); for a
text capture, what its lines look like too (`text_features`).

`page_features` adds what an HTML page's markup and blocks show. The page type model
(`page_type.py`) is trained on these names: a feature added here means a model
retrained with `tools/train_page_types.py`. Pure Python: typing a text capture loads
no HTML library.

Every vocabulary here is a generic web convention (URL path words, shop and forum
words), never one site's naming.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import Final
from urllib.parse import urlsplit

# --- URL ------------------------------------------------------------------------------
# Path words that say what a page is, by type (whole segments, or words of a slug).
URL_WORDS: Final = {
    "forum": r"forums?|threads?|topics?|t|discuss\w*|community|communities|questions?|q|"
    r"answers?|viewtopic|showthread|boards?|comments|r|d",
    "docs": r"docs?|documentation|reference|api|apis|guides?|manual|handbook|wiki|man|learn|"
    r"tutorials?|kb|knowledge\w*|help|support|developers?|sdk|cli|spec|glossary|faq|library",
    "product": r"products?|p|dp|ip|pd|pdp|items?|itm|sku|buy|gp",
    "collection": r"collections?|categor\w*|c|cat|shop|store|browse|catalog\w*|department|dept|"
    r"s|search|b|l|plp|all|sale|new-arrivals|mens?|womens?|kids",
    "listing": r"news|blogs?|tags?|archives?|page|latest|newest|articles|stories|press|events|"
    r"topics|authors?|section|category|reviews|jobs|videos|podcasts?|resources|insights|index",
    "service": r"services?|solutions?|features?|pricing|plans?|platform|products|enterprise|"
    r"industries|use-cases|why-\w+|about|contact|company|consulting|agency|software|tools?|"
    r"integrations?",
    "article": r"blog|news|articles?|posts?|stories|story|\d{4}|opinion|features|guides?|"
    r"how-to|what-is|insights",
}
URL_WORD_RES: Final = {kind: re.compile(rf"^(?:{words})$") for kind, words in URL_WORDS.items()}
# Host names that say what a site is (a subdomain's first label, or a platform).
HOST_RES: Final = {
    "forum": re.compile(r"^(?:forums?|community|discuss|discourse|bbs|talk|answers)\.|"
                        r"stackexchange|stackoverflow|reddit|ycombinator|quora|superuser|"
                        r"serverfault|askubuntu"),
    "docs": re.compile(r"^(?:docs?|developers?|devdocs|wiki|learn|help|support|api|kb|manual)\.|"
                       r"readthedocs|gitbook"),
    "shop": re.compile(r"^(?:shop|store|buy)\.|amazon\.|ebay\.|etsy\.|walmart\.|aliexpress"),
    "blog": re.compile(r"^(?:blog|news|press)\."),
}
SLUG_SPLIT: Final = re.compile(r"[-_+.]+")
PAGE_SUFFIX: Final = re.compile(r"\.(?:html?|php|aspx?|jsp)$")
ID_SEGMENT: Final = re.compile(r"^(?:[a-z]*\d[\w-]*|[0-9a-f]{8,})$")
DATE_PATH: Final = re.compile(r"/(?:19|20)\d\d/(?:[01]?\d/)?")

# --- text ---------------------------------------------------------------------------
# Visible words that say what a page is, counted over the lower-cased words of its text
# (a set lookup per word: a regex alternation per position costs ten times more).
# Prices: a currency sign before the amount, or after it (a separate pattern each: a
# pattern that starts with a character set is searched many times faster).
PRICE_BEFORE: Final = re.compile(r"[$£€¥₹]\s?\d")
PRICE_AFTER: Final = re.compile(r"\d\s?(?:€|£|kr\b|zł)")
WORD: Final = re.compile(r"[a-z]+")
# Word counts look at this much of the text at most (a few very long pages would
# otherwise cost what thousands of others do).
MAX_TEXT_CHARS: Final = 20_000
FORUM_WORDS: Final = frozenset({
    "reply", "replies", "replied", "quote", "quoted", "joined", "registered", "member", "members",
    "posts", "upvote", "upvotes", "answered", "asked", "permalink", "views", "likes", "thread",
    "solved", "moderator", "op",
})
SHOP_WORDS: Final = frozenset({
    "cart", "basket", "bag", "wishlist", "checkout", "qty", "quantity", "stock", "shipping",
    "delivery", "sku", "warenkorb", "panier", "price", "reviews",
})
LISTING_WORDS: Final = frozenset({
    "more", "continue", "load", "next", "previous", "older", "newer", "sort", "filter",
    "filters", "results", "view", "all", "page",
})
DATE_WORDS: Final = frozenset({
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "january", "february", "march", "april", "june", "july", "august", "september", "october",
    "november", "december", "ago", "yesterday", "today",
})
NUMERIC_DATE: Final = re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")
# What lines of code end with or hold, and prose rarely does (counted with str.count).
CODE_MARKS: Final = (";\n", "{\n", "}\n", "()", "=>", "::", "==", "</", "/>")
SENTENCE_ENDS: Final = ".!?:\"”"
# A block (a line) of prose: long enough to be a paragraph.
PROSE_BLOCK_CHARS: Final = 200
# A text line this short is a label, a menu entry or a button.
SHORT_LINE_WORDS: Final = 4


def url_features(url: str | None, out: dict[str, float]) -> None:
    """Shape and words of the URL's path and host; all 0 when there is no URL (a capture
    without a sidecar), which `u_known` tells apart from a site's home page."""
    out["u_known"] = float(bool(url))
    parts = urlsplit(url or "")
    host = (parts.hostname or "").lower()
    path = parts.path.lower()
    segments = [s for s in path.split("/") if s]
    last = PAGE_SUFFIX.sub("", segments[-1]) if segments else ""
    words = [w for s in segments for w in (s, *SLUG_SPLIT.split(s)) if w]
    out["u_depth"] = len(segments)
    out["u_root"] = float(bool(url) and not segments)
    out["u_query"] = float(bool(parts.query))
    out["u_date"] = float(bool(DATE_PATH.search(path)))
    out["u_html"] = float(bool(PAGE_SUFFIX.search(path)))
    out["u_last_words"] = len([w for w in SLUG_SPLIT.split(last) if w])
    out["u_last_len"] = len(last)
    out["u_id_seg"] = float(any(ID_SEGMENT.match(s) for s in segments))
    out["u_num_seg"] = float(any(s.isdigit() for s in segments))
    out["u_max_words"] = max((len([w for w in SLUG_SPLIT.split(s) if w]) for s in segments), default=0)
    first = segments[0] if segments else ""
    parent = segments[-2] if len(segments) > 1 else ""
    for kind, word in URL_WORD_RES.items():
        out["u_" + kind] = sum(1 for w in words if word.match(w))
        out["u1_" + kind] = float(bool(word.match(first))) + float(bool(word.match(parent)))
    for kind, pattern in HOST_RES.items():
        out["h_" + kind] = float(bool(pattern.search(host)))


def word_features(text: str, out: dict[str, float]) -> None:
    """Counts of prices, forum, shop and listing words and dates in the visible text."""
    text = text[:MAX_TEXT_CHARS]
    words = Counter(WORD.findall(text.lower()))
    out["t_words"] = sum(words.values())
    out["t_price"] = len(PRICE_BEFORE.findall(text)) + len(PRICE_AFTER.findall(text))
    out["t_forum"] = sum(words[w] for w in FORUM_WORDS)
    out["t_cart"] = sum(words[w] for w in SHOP_WORDS)
    out["t_listing"] = sum(words[w] for w in LISTING_WORDS)
    out["t_dates"] = sum(words[w] for w in DATE_WORDS) + len(NUMERIC_DATE.findall(text))


def text_features(lines: Sequence[str], url: str | None) -> dict[str, float]:
    """The features of a text capture: its URL and what its lines look like."""
    out: dict[str, float] = {}
    url_features(url, out)
    # lines are whitespace-normalised (lines.normalise): words = spaces + 1
    words = [line.count(" ") + 1 for line in lines]
    total = sum(words) or 1
    out["l_n"] = len(lines)
    out["l_log_words"] = math.log1p(total)
    out["l_short_r"] = sum(1 for n in words if n <= SHORT_LINE_WORDS) / max(1, len(lines))
    out["l_long_share"] = sum(n for n in words if n >= PROSE_BLOCK_CHARS // 6) / total
    out["l_sentence_share"] = sum(
        n for n, line in zip(words, lines) if n > 12 and line.rstrip()[-1:] in SENTENCE_ENDS
    ) / total
    text = "\n".join(lines)
    out["l_code_marks"] = sum(text.count(mark) for mark in CODE_MARKS)
    word_features(text, out)
    return out
