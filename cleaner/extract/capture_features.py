"""What any capture shows about its page type, as named numbers: the shape and words of
its URL, and words of its short lines (prices, forum, shop and listing words, dates);
for a text capture, what its lines look like too (`text_features`), read from the
LineFacts the line heuristics measure anyway (word counts, sentences, noise reasons).

`page_features` adds what an HTML page's markup and blocks show. The page type model
(`page_type.py`) is trained on these names: a feature added here means a model
retrained with `tools/train_page_types.py`. Pure Python: typing a text capture loads
no HTML library.

Typing must cost little next to cleaning (a tenth of it or so): no feature reads the
whole text again. Words are counted in the short lines and blocks only, where a page's
buttons, labels and prices are ("Add to cart", "Reply", "Load more", "$12.99"); the
prose of an article says little about the kind of page it is on.

Every vocabulary here is a generic web convention (URL path words, shop and forum
words), never one site's naming.
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Final
from urllib.parse import urlsplit

from .. import reasons as R
from ..document import Line
from ..heuristics.noise import line_facts
from ..text.build import COMPILED

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
URL_KINDS: Final = tuple(URL_WORDS)
URL_WORD_RES: Final = tuple(re.compile(rf"^(?:{URL_WORDS[kind]})$") for kind in URL_KINDS)
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

# --- words ------------------------------------------------------------------------------
# Visible words that say what a page is, counted in the lower-cased words of a page's
# short lines: the text is turned into ASCII letters and spaces by one bytes.translate
# and split (C loops), and each word looked up once (a regex per word, or per
# vocabulary, costs several times more).
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
VOCABULARIES: Final = (
    ("t_forum", FORUM_WORDS), ("t_cart", SHOP_WORDS), ("t_listing", LISTING_WORDS),
    ("t_dates", DATE_WORDS),
)
# Each vocabulary word (as bytes) -> the index of its vocabulary in VOCABULARIES.
VOCABULARY_OF: Final = {
    word.encode(): k for k, (_, words) in enumerate(VOCABULARIES) for word in words
}
# bytes.translate table: ASCII letters lower-cased, every other byte a space (the bytes
# of a non-ASCII letter too: such words are in no vocabulary).
LETTERS: Final = bytes(
    c if 97 <= c <= 122 else c + 32 if 65 <= c <= 90 else 32 for c in range(256)
)
# The lengths of the vocabulary words: a word of another length is none of them.
SHORTEST_VOCABULARY_WORD: Final[int] = min(map(len, VOCABULARY_OF))
LONGEST_VOCABULARY_WORD: Final[int] = max(map(len, VOCABULARY_OF))
LETTER_A: Final = 0x61
ALPHABET: Final = 26


def vocabulary_shape(word: bytes) -> int:
    """Where a word of a-z letters, SHORTEST_VOCABULARY_WORD to LONGEST_VOCABULARY_WORD
    long, stands in VOCABULARY_SHAPES: by its length, its first and its last letter."""
    size = len(word) - SHORTEST_VOCABULARY_WORD
    return (size * ALPHABET + word[0] - LETTER_A) * ALPHABET + word[-1] - LETTER_A


def _vocabulary_shapes() -> bytes:
    """VOCABULARY_SHAPES: 1 at each vocabulary word's `vocabulary_shape`."""
    sizes = LONGEST_VOCABULARY_WORD - SHORTEST_VOCABULARY_WORD + 1
    table = bytearray(sizes * ALPHABET * ALPHABET)
    for word in VOCABULARY_OF:
        table[vocabulary_shape(word)] = 1
    return bytes(table)


# Whether a word of that length, first and last letter may be a vocabulary word: most
# words of a page's short lines are not (of the 296,000 words of the dev set's text
# captures' short lines, 4.5% have a vocabulary word's length and shape, 2026-11-30),
# told by one lookup here instead of hashing them for VOCABULARY_OF (compiled; plain
# Python, the dictionary lookup costs less than the test).
VOCABULARY_SHAPES: Final = _vocabulary_shapes()
# Prices: currency signs and the Nordic and Polish currency words, counted with
# str.count (a regex for an amount beside its sign costs ten times more).
CURRENCY_MARKS: Final = ("$", "£", "€", "¥", "₹", " kr", "zł")
# Each mark with its last character, looked for before the mark is counted (see
# `currency_marks`).
CURRENCY_TESTS: Final = tuple((mark[-1], mark) for mark in CURRENCY_MARKS)
# A line (or block) of at most this many words is a label, a button, a price, a date, a
# menu entry: the words counted are theirs.
SHORT_TEXT_WORDS: Final = 8
# Words are counted in this much short text at most (a page of thousands of menu
# entries would otherwise cost what hundreds of others do).
MAX_SHORT_CHARS: Final = 6_000

# --- lines ------------------------------------------------------------------------------
SENTENCE_ENDS: Final = ".!?:\"”"
# A line of prose: long enough to be a paragraph (words).
PROSE_LINE_WORDS: Final = 33
# A text line this short is a label, a menu entry or a button.
SHORT_LINE_WORDS: Final = 4
# A sentence line counted in the sentence share has more words than this.
SENTENCE_LINE_WORDS: Final = 12
# What lines of code end with, and prose lines rarely do.
CODE_ENDS: Final = frozenset({";", "{", "}", ")", "]", ">"})
# The same by code point (all are ASCII), for `ends_as_code`.
CODE_END_CODES: Final = bytes(chr(code) in CODE_ENDS for code in range(0x80))
# The noise reasons of lines (heuristics/noise.py) counted as shares of the lines: what
# a page's furniture is made of says what kind of page it is (prices and counters on a
# shop, comment actions on a forum, read-more links on a listing).
LINE_REASONS: Final = (
    R.SHARE_LINE, R.READ_MORE, R.NAV_LINE, R.MENU_LINE, R.COMMENT_ACTION, R.VIEW_COUNTER,
    R.DATE_LINE, R.NUMBER_LINE, R.SYMBOL_LINE, R.RELATED_LINK, R.WIDGET_LINE,
    R.SUBSCRIBE_LINE, R.COPYRIGHT, R.CAPTION,
)


@lru_cache(maxsize=1 << 14)
def url_word_kinds(word: str) -> tuple[bool, ...]:
    """Which URL_KINDS a path word or segment is a word of (words repeat across pages)."""
    return tuple(pattern.match(word) is not None for pattern in URL_WORD_RES)


def url_features(url: str | None, out: dict[str, float]) -> None:
    """Shape and words of the URL's path and host; all 0 when there is no URL (a capture
    without a sidecar), which `u_known` tells apart from a site's home page."""
    out["u_known"] = float(bool(url))
    parts = urlsplit(url or "")
    host = (parts.hostname or "").lower()
    path = parts.path.lower()
    segments = [s for s in path.split("/") if s]
    last = PAGE_SUFFIX.sub("", segments[-1]) if segments else ""
    split = [[w for w in SLUG_SPLIT.split(s) if w] for s in segments]
    words = [w for s, pieces in zip(segments, split) for w in (s, *pieces)]
    out["u_depth"] = len(segments)
    out["u_root"] = float(bool(url) and not segments)
    out["u_query"] = float(bool(parts.query))
    out["u_date"] = float(bool(DATE_PATH.search(path)))
    out["u_html"] = float(bool(PAGE_SUFFIX.search(path)))
    out["u_last_words"] = len([w for w in SLUG_SPLIT.split(last) if w])
    out["u_last_len"] = len(last)
    out["u_id_seg"] = float(any(ID_SEGMENT.match(s) for s in segments))
    out["u_num_seg"] = float(any(s.isdigit() for s in segments))
    out["u_max_words"] = max((len(pieces) for pieces in split), default=0)
    counts = [0] * len(URL_KINDS)
    for word in words:
        for k, found in enumerate(url_word_kinds(word)):
            counts[k] += found
    first = url_word_kinds(segments[0]) if segments else (False,) * len(URL_KINDS)
    parent = url_word_kinds(segments[-2]) if len(segments) > 1 else (False,) * len(URL_KINDS)
    for k, kind in enumerate(URL_KINDS):
        out["u_" + kind] = counts[k]
        out["u1_" + kind] = float(first[k]) + float(parent[k])
    for kind, pattern in HOST_RES.items():
        out["h_" + kind] = float(bool(pattern.search(host)))


def word_features(short: str, out: dict[str, float]) -> None:
    """Counts of prices, forum, shop and listing words and dates in `short`, the page's
    short lines (or blocks) joined."""
    short = short[:MAX_SHORT_CHARS]
    found = [0] * len(VOCABULARIES)
    vocabulary_of = VOCABULARY_OF
    for word in short.encode("utf-8", "replace").translate(LETTERS).split():
        if COMPILED:
            size = len(word)
            if (
                size < SHORTEST_VOCABULARY_WORD or size > LONGEST_VOCABULARY_WORD
                or not VOCABULARY_SHAPES[vocabulary_shape(word)]
            ):
                continue
        k = vocabulary_of.get(word)
        if k is not None:
            found[k] += 1
    for k, (name, _) in enumerate(VOCABULARIES):
        out[name] = found[k]
    out["t_price"] = currency_marks(short)


def currency_marks(text: str) -> int:
    """sum(text.count(mark) for mark in CURRENCY_MARKS), a mark counted only when `text`
    holds its last character: `in` looks for one character with memchr, several times
    faster than count(), which tests each character (most short texts hold none of the
    signs: the seven counts took 9.4 us a capture of the dev set's short text, 2026-11-30).
    A text without a mark's last character holds the mark nowhere."""
    total = 0
    for last, mark in CURRENCY_TESTS:
        if last in text:
            total += text.count(mark)
    return total


def ends_as_code(text: str) -> bool:
    """Whether `text` ends with one of CODE_ENDS, told by its last code point (no slice
    of the text, no set lookup)."""
    if not text:
        return False
    code = ord(text[-1])
    return code < 0x80 and CODE_END_CODES[code] == 1


def text_features(lines: Sequence[Line], url: str | None) -> dict[str, float]:
    """The features of a text capture: its URL, and what its lines look like (their
    texts and LineFacts, as the line heuristics measured them)."""
    out: dict[str, float] = {}
    url_features(url, out)
    count = len(lines)
    total = short_lines = long_words = sentence_words = code = 0
    short: list[str] = []
    reasons: dict[str, int] = {}
    for line in lines:
        text = line.text
        fact = line_facts(line)
        words = fact.words
        total += words
        reason = fact.reason
        if reason is not None:
            reasons[reason] = reasons.get(reason, 0) + 1
        if words <= SHORT_TEXT_WORDS:
            short.append(text)
            if words <= SHORT_LINE_WORDS:
                short_lines += 1
        elif words >= PROSE_LINE_WORDS:
            long_words += words
        if words > SENTENCE_LINE_WORDS and fact.sentence:
            sentence_words += words
        if ends_as_code(text):
            code += 1
    whole = total or 1
    out["l_n"] = count
    out["t_words"] = total
    out["l_log_words"] = math.log1p(total)
    out["l_short_r"] = short_lines / max(1, count)
    out["l_long_share"] = long_words / whole
    out["l_sentence_share"] = sentence_words / whole
    out["l_code_r"] = code / max(1, count)
    for reason in LINE_REASONS:
        out["lr_" + reason] = reasons.get(reason, 0) / max(1, count)
    word_features("\n".join(short), out)
    return out
