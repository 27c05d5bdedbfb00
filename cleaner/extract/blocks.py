"""An HTML page as blocks of text with their DOM features, and the page's own signals.

The page is parsed once by lexbor (selectolax) and walked once. A block is a run of
inline content between block boundaries: `<div>intro <p>para</p> tail</div>` gives
"intro", "para" and "tail". Each block records where it sits (its tag, heading level,
the block-level element holding it, DOM depth, whether it is in a list, table, nav,
footer...), how much of it is link text, and the categories its ancestors' class and
id names fall in (nav, footer, related, share, comment...). The fast engine
(`cleaner.extract.fast`) picks the article from these; page typing reads them too.

Page-level signals (meta tags, JSON-LD, <title>, canonical link, declared language, tag
counts, <time> datetimes) are read in the same pass or by lexbor's own CSS engine.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Final

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..text.lines import normalise
from .streamed import is_segment, show_segments

# Elements whose content is never visible text (or is a widget's, not the page's):
# their subtrees are not walked.
SKIPPED: Final = frozenset({
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
    "canvas", "video", "audio", "select", "option", "optgroup", "datalist", "textarea",
    "input", "head", "title", "meta", "link", "map", "area", "source", "track", "param",
    "img", "picture", "-comment", "!doctype", "frame", "frameset",
    "rt", "rp", "rtc",  # ruby annotations: the reading of the text beside, said twice
})
# Elements that start a new block (CSS display: block, list-item, table-row... by default).
BLOCK_TAGS: Final = frozenset({
    "html", "body", "address", "article", "aside", "blockquote", "center", "dd", "details",
    "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main", "menu", "nav",
    "ol", "p", "pre", "section", "summary", "table", "tbody", "thead", "tfoot", "tr",
    "caption", "ul", "legend", "listing", "plaintext", "xmp", "search",
})
# Table cells stay on their row's line, separated so that the row still reads as one.
CELL_TAGS: Final = frozenset({"td", "th"})
CELL_SEPARATOR: Final = " | "
# What a <br> leaves in a block's text until it is split into lines: a character no page
# text holds (the HTML parser drops NULs from text, as the HTML standard says).
BREAK: Final = "\x00"
# A body with less text than this (characters) is read from its <noscript> markup too.
NOSCRIPT_MIN_CHARS: Final = 200
# A body showing less text than this (characters) is read again with its hidden elements
# when they hold HIDDEN_PAGE_MIN_RATIO times its visible text: the page hides its text
# until its scripts run. Measured 2026-11-30 on the WCXB split: 21 of 1,497 pages show
# less than 1,000 characters; 3 of them hide ten times as much or more (a manual wrapped
# in visibility:hidden, a shop's results and a product's page hidden until rendered),
# their labels 1,835 to 10,631 characters long; the others hide nothing or little.
HIDDEN_PAGE_MAX_CHARS: Final = 1000
HIDDEN_PAGE_MIN_RATIO: Final = 10
# A sign-up box (a newsletter's, deals by text message) is a small form asking for an
# email address or a phone number, with its pitch and fine print around it: the form
# and its ancestors while they hold no heading beside it and at most SIGNUP_MAX_CHARS
# characters of text are named SUBSCRIBE, as a box whose class says "newsletter" is. A
# form with a password field (a login) or a text area (a comment or contact form) is
# not one, nor a form asking for a postcode in a numeric ("tel") field: a phone field
# says so in its name, id, placeholder or label.
SIGNUP_INPUT_TYPES: Final = frozenset({"email"})
PHONE_INPUT_TYPE: Final = "tel"
SIGNUP_FIELD_NAMES: Final = ("mail",)  # name or placeholder of a plain text field
PHONE_FIELD_NAMES: Final = ("phone", "mobile", "sms")
PHONE_FIELD_ATTRS: Final = ("name", "id", "placeholder", "aria-label")
SIGNUP_MAX_CHARS: Final = 600
# How many elements up from a sign-up field its form is looked for.
SIGNUP_FORM_LEVELS: Final = 6
# lexbor's tag id of text nodes: an int compare, cheaper than reading the tag name.
TEXT_TAG_ID: Final = 2
HEADINGS: Final = {f"h{level}": level for level in range(1, 7)}
LINK_TAG: Final = "a"
# Deeper than this the walk takes an element's text as it is (no more blocks): pages
# nested thousands deep exist (broken markup), Python's recursion does not go there.
MAX_DEPTH: Final = 200

# Block.flags: where a block sits, from tag names and ARIA roles of its ancestors.
IN_LIST: Final = 1 << 0
IN_TABLE: Final = 1 << 1
IN_PRE: Final = 1 << 2
IN_CODE: Final = 1 << 3
IN_QUOTE: Final = 1 << 4
IN_FIGURE: Final = 1 << 5
IN_FORM: Final = 1 << 6
IN_NAV: Final = 1 << 7
IN_HEADER: Final = 1 << 8
IN_FOOTER: Final = 1 << 9
IN_ASIDE: Final = 1 << 10
IN_ARTICLE: Final = 1 << 11
IN_MAIN: Final = 1 << 12
IN_LINK: Final = 1 << 13  # set on a block whose whole text is link text
IN_BUTTON: Final = 1 << 14
IN_HEADING: Final = 1 << 15
# A dialog (the <dialog> tag, role dialog or alertdialog): a consent banner, a sign-in or
# newsletter box, a cart drawer laid over the page, not the page's text. On the WCXB
# split, of the words of dialogs' lines of four words or more, 0.8% are in the labelled
# main content (1,288 of 165,140); as furniture of the block readers and the fast engine
# (2026-11-30, cross-validated types): all 0.8457 -> 0.8470 F1, listings 0.630 -> 0.639,
# products 0.647 -> 0.654, 15 pages changed, one down (-0.03); the dev set's HTML F1
# unchanged (one page of 949 changed: another story in a dialog, dropped).
IN_DIALOG: Final = 1 << 16
TAG_FLAGS: Final = {
    "li": IN_LIST, "dd": IN_LIST, "dt": IN_LIST,
    "table": IN_TABLE, "pre": IN_PRE, "code": IN_CODE, "kbd": IN_CODE, "samp": IN_CODE,
    "blockquote": IN_QUOTE, "figure": IN_FIGURE, "figcaption": IN_FIGURE,
    "form": IN_FORM, "fieldset": IN_FORM, "label": IN_FORM, "legend": IN_FORM,
    "nav": IN_NAV, "menu": IN_NAV, "header": IN_HEADER, "footer": IN_FOOTER,
    "aside": IN_ASIDE, "article": IN_ARTICLE, "main": IN_MAIN, "button": IN_BUTTON,
    **{tag: IN_HEADING for tag in HEADINGS}, "dialog": IN_DIALOG,
}
ROLE_FLAGS: Final = {
    "navigation": IN_NAV, "menu": IN_NAV, "menubar": IN_NAV, "banner": IN_HEADER,
    "contentinfo": IN_FOOTER, "complementary": IN_ASIDE, "article": IN_ARTICLE,
    "main": IN_MAIN, "button": IN_BUTTON, "form": IN_FORM, "search": IN_FORM,
    "dialog": IN_DIALOG, "alertdialog": IN_DIALOG,
}

# Block.hints: categories of the class and id names of a block's ancestors, found as
# words inside the lower-cased names (as trafilatura's pruning XPaths and readability's
# class weights do). Each category is a generic web convention, not any one site's naming.
NAV: Final = 1 << 0
FOOTER: Final = 1 << 1
HEADER: Final = 1 << 2
SIDEBAR: Final = 1 << 3
RELATED: Final = 1 << 4
SHARE: Final = 1 << 5
COMMENT: Final = 1 << 6
AD: Final = 1 << 7
META: Final = 1 << 8
CONTENT: Final = 1 << 9
COOKIE: Final = 1 << 10
SUBSCRIBE: Final = 1 << 11
HIDDEN: Final = 1 << 12
CAPTION: Final = 1 << 13
# Categories that only page typing reads (page_features.py: how many elements of a page
# are named so); the engine's masks never hold them. Stems found anywhere in a name, as
# the class-name words of shops, forums, docs and company sites go.
TYPE_FORUM: Final = 1 << 14
TYPE_PRODUCT: Final = 1 << 15
TYPE_COLLECTION: Final = 1 << 16
TYPE_CARD: Final = 1 << 17
TYPE_DOCS: Final = 1 << 18
TYPE_SERVICE: Final = 1 << 19
TYPE_ARTICLE: Final = 1 << 20
# The words of each category. A word matches anywhere in a name ("sitefooter",
# "td-footer-wrapper"), except: "~word" only as a whole word of the name (between its
# ends, "-" or "_": "ads" in "top-ads", not in "downloads"), "=word" only as the whole
# name, "^word" only at its start, "$word" only at its end ("post-tags", not the taxonomy
# term "custom_tags-clickbait"); "word!tail" not when followed by tail ("comment!ary":
# not "commentary"; "nav!ail!as!ir": not "unavailable", "offcanvas", "coronavirus").
HINT_WORDS: Final = {
    NAV: "nav!ail!as!ir menu breadcrumb pagination pager skiplink skip-link jumpto jump-to =toc "
    "table-of-contents",
    FOOTER: "footer copyright colophon siteinfo site-info",
    HEADER: "header masthead topbar top-bar branding",
    SIDEBAR: "sidebar side-bar widgetarea widget-area ~widgets ~aside =rail ^rail- =secondary",
    RELATED: "related recommend morefrom more-from morestories more-stories morearticles "
    "more-articles morenews more-news popular trending mostread most-read mostviewed "
    "most-viewed alsoread also-read readnext read-next youmay you-may outbrain taboola "
    "recirc nextpost next-post prevpost prev-post postnavigation post-navigation",
    SHARE: "share sharing social ~sns",
    COMMENT: "comment!ary disqus ~respond ~replies",
    AD: "~ad ~ads advert sponsor ~dfp adslot adunit ad-unit ~promo commercial",
    META: "byline author dateline ~date timestamp ~meta post-meta entry-meta =tags $-tags taglist "
    "tag-list tagcloud tag-cloud categories ~posted",
    CONTENT: "article content post entry story body text main prose",
    COOKIE: "cookie consent gdpr",
    SUBSCRIBE: "newsletter subscri signup sign-up paywall ~login ~modal popup",
    HIDDEN: "=hidden =hide d-none sr-only visually-hidden visuallyhidden screen-reader "
    "screenreader offscreen",
    CAPTION: "caption credit gallery slide carousel",
    TYPE_FORUM: "post message thread topic reply answer question vote avatar username "
    "userinfo user-info member signature quote bbcode comment",
    TYPE_PRODUCT: "product price cart basket buy sku stock quantity qty variant swatch addto "
    "add-to checkout pdp sizechart size-chart sizeguide size-guide sizeselect size-select "
    "wishlist",
    TYPE_COLLECTION: "filter facet sort refine pagination pager results grid tile plp "
    "productlist product-list productgrid product-grid productcard product-card productitem "
    "product-item producttile product-tile collection categor loadmore load-more",
    TYPE_CARD: "card tile teaser item entry listitem list-item excerpt summary feed",
    TYPE_DOCS: "toc sidebar doc api highlight language- hljs prism codehilite syntax "
    "sourcecode admonition note warning tip version editthis edit-this editon edit-on "
    "breadcrumb markdown rst sphinx mkdocs docusaurus theme-doc",
    TYPE_SERVICE: "hero cta feature benefit testimonial pricing plan faq accordion logo client "
    "partner solution service banner section stat counter iconbox icon-box btn button",
    TYPE_ARTICLE: "article entrycontent entry-content postcontent post-content story byline "
    "author published dateline share related prose blog",
}
# Class names that state something about an element rather than name it: a state
# ("has-sidebar", "with-ads", "no-share", "comments-enabled", "paywall-on"), or a
# taxonomy term WordPress puts on the article ("tag-newsletter", "category-social").
STATE_NAME: Final = re.compile(
    r"(?:^|[-_])(?:has|with|without|no|is|enable|enabled|show)[-_]|^(?:tag|category|cat|post-tag|"
    r"term|topic)[-_]|[-_](?:enabled|disabled|on|off|true|false|active|parent)$"
)
# Characters that end a word inside a class name.
NAME_WORD_ENDS: Final = "-_"


def _hint_index() -> dict[str, tuple[tuple[str, str, tuple[str, ...], int], ...]]:
    """The hint words by their first two letters: (word, mode, refused tails, bit)."""
    index: dict[str, list[tuple[str, str, tuple[str, ...], int]]] = {}
    for bit, words in HINT_WORDS.items():
        for entry in words.split():
            mode = entry[0] if entry[0] in "~=^$" else ""
            word, *tails = entry.lstrip("~=^$").split("!")
            index.setdefault(word[:2], []).append((word, mode, tuple(tails), bit))
    return {key: tuple(found) for key, found in index.items()}


HINT_INDEX: Final = _hint_index()


# Elements a browser does not show: their text is not on the screen. A popover (the
# popover attribute) is hidden until a script or a button shows it (HTML's own style
# sheet says so): a forum's push-notification help, a shop's size guide. Measured
# 2026-11-30 on the WCXB split (cross-validated types): forums 0.734 -> 0.739 F1 (three
# threads up, 0.04 to 0.43), products unchanged (four pages within 0.01), all 0.850.
HIDDEN_SELECTOR: Final = (
    '[hidden], [popover], [style*="display:none" i], [style*="display: none" i], '
    '[style*="visibility:hidden" i], [style*="visibility: hidden" i]'
)

# A hidden element with this ARIA role is a tab's panel, shown when its tab is chosen:
# the page's content one click away (a documentation page's code in each language, a
# product's specifications), which WCXB's labels keep. Kept: on its development split
# (cross-validated types, 2026-11-30) documentation pages 0.902 -> 0.911 F1, service
# +0.002, forums -0.0007, articles and the dev set's HTML F1 unchanged (0.9443, 0.9376).
SHOWN_ROLE: Final = "tabpanel"

# <meta> attributes naming the value in `content`, in the order they are looked at.
META_KEYS: Final = ("property", "name", "itemprop", "http-equiv")
JSON_LD_SELECTOR: Final = 'script[type*="ld+json" i]'
CANONICAL_SELECTOR: Final = 'link[rel~="canonical" i]'
META_SELECTOR: Final = "meta[content]"
TIME_SELECTOR: Final = "time[datetime]"


@dataclass(slots=True)
class Block:
    """A run of inline text between block boundaries, with where it sits."""

    text: str
    tag: str
    heading: int
    element: int
    depth: int
    index: int
    chars: int
    link_chars: int
    flags: int
    hints: int

    @property
    def link_density(self) -> float:
        """Share of the block's characters that are link text (0..1)."""
        return min(1.0, self.link_chars / self.chars) if self.chars else 0.0


@dataclass(slots=True)
class Element:
    """A block-level element, with the range of blocks inside it."""

    tag: str
    parent: int
    depth: int
    attrs: str
    hints: int  # this element's own hint bits (a Block's are its ancestors' together)
    flags: int  # this element's own flag bits, from its tag and role
    first_block: int
    end_block: int = -1


@dataclass(slots=True)
class Page:
    """A page's blocks, the block-level elements holding them, and page-level signals."""

    blocks: list[Block]
    elements: list[Element]
    title: str | None = None
    lang: str | None = None
    canonical: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    json_ld: list[dict[str, Any]] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    times: list[str] = field(default_factory=list)  # datetime attributes of <time> elements


def parse_html(html: str) -> LexborHTMLParser | None:
    """The lexbor tree of a page, or None when there is no page to speak of.

    Parsed as a browser with scripts on would (`<noscript>` is then one text node, and a
    tracking pixel in it does not end the head early): what a reader sees.
    """
    if not html or html.isspace():
        return None
    try:
        return LexborHTMLParser(html, scripting=True)
    except (ValueError, TypeError, RuntimeError):
        return None


def read_page(tree: LexborHTMLParser, roots: list[LexborNode] | None = None) -> Page:
    """Blocks of `roots` (default: the body) and the page's signals, from `tree`.

    The tree loses its hidden elements (`remove_hidden`). A body that shows (almost) no
    text but holds markup in <noscript> (a page that renders everything by script and
    serves crawlers its content there, as Discourse forums do) is read from that markup.
    """
    walker = _Walker()
    remove_hidden(tree)
    whole_body = roots is None
    if roots is None:
        body = tree.body or tree.root
        roots = [body] if body is not None else []
    walker.element("body", "", 0, -1, 0, 0)
    for root in roots:
        walker.walk_root(root)
    if whole_body and sum(block.chars for block in walker.blocks) < NOSCRIPT_MIN_CHARS:
        for inner in noscript_pages(tree):
            walker.walk_root(inner)
    if whole_body and (visible := sum(block.chars for block in walker.blocks)) < HIDDEN_PAGE_MAX_CHARS:
        walker = whole_page_walker(tree, visible) or walker
    walker.elements[0].end_block = len(walker.blocks)
    if walker.form_fields:
        name_signup_boxes(walker.elements, walker.blocks, walker.form_fields)
    page = Page(walker.blocks, walker.elements, counts=walker.counts)
    read_signals(tree, page)
    return page


def name_signup_boxes(elements: list[Element], blocks: list[Block],
                      fields: list[tuple[int, bool]]) -> None:
    """Name SUBSCRIBE each sign-up box: a form holding a sign-up field and no field of
    another form's (a password, a text area) and at most SIGNUP_MAX_CHARS characters of
    text, with its ancestors while they hold no more and no heading beside it (the
    box's pitch and fine print; not the headline or the item it stands by)."""
    signup: set[int] = set()
    other: set[int] = set()
    for holder_index, is_signup in fields:
        form = _form_of(elements, holder_index)
        if form >= 0:
            (signup if is_signup else other).add(form)
    if not signup - other:
        return
    ends = prefix_sums(float(block.chars) for block in blocks)
    for form in sorted(signup - other):
        box = -1
        index = form
        while index > 0:  # never the root
            element = elements[index]
            if ends[element.end_block] - ends[element.first_block] > SIGNUP_MAX_CHARS:
                break
            if box >= 0 and _heading_beside(blocks, element, elements[box]):
                break
            box, index = index, element.parent
        if box < 0:
            continue
        holder = elements[box]
        holder.hints |= SUBSCRIBE
        for block in blocks[holder.first_block:holder.end_block]:
            block.hints |= SUBSCRIBE


def prefix_sums(values: Iterable[float]) -> list[float]:
    """Prefix sums of per-block values: the blocks of an element hold
    sums[element.end_block] - sums[element.first_block]."""
    sums = [0.0]
    for value in values:
        sums.append(sums[-1] + value)
    return sums


def _heading_beside(blocks: list[Block], outer: Element, inner: Element) -> bool:
    """Whether a heading block of `outer` lies outside `inner`."""
    for block in blocks[outer.first_block:inner.first_block]:
        if block.heading:
            return True
    for block in blocks[inner.end_block:outer.end_block]:
        if block.heading:
            return True
    return False


def _form_of(elements: list[Element], index: int) -> int:
    """The form element holding element `index` (itself or within SIGNUP_FORM_LEVELS
    levels up), or -1."""
    for _ in range(SIGNUP_FORM_LEVELS):
        if index < 0:
            return -1
        if elements[index].tag == "form":
            return index
        index = elements[index].parent
    return -1


def whole_page_walker(tree: LexborHTMLParser, visible: int) -> _Walker | None:
    """The walk of the page as served, its hidden elements kept, when they hold
    HIDDEN_PAGE_MIN_RATIO times the `visible` text or more: a page whose scripts show its
    text once loaded (a wrapper hidden against a flash of unstyled content, a shop's
    results hidden until rendered). The page is parsed again (it is rare)."""
    whole = parse_html(tree.raw_html.decode("utf-8", "replace"))
    if whole is None or whole.body is None:
        return None
    walker = _Walker()
    walker.element("body", "", 0, -1, 0, 0)
    walker.walk_root(whole.body)
    if sum(block.chars for block in walker.blocks) < HIDDEN_PAGE_MIN_RATIO * max(visible, 1):
        return None
    return walker


def noscript_pages(tree: LexborHTMLParser) -> list[LexborNode]:
    """The bodies of the markup the body's <noscript> elements hold, each parsed alone."""
    body = tree.body
    bodies = []
    for node in body.css("noscript") if body is not None else ():
        markup = node.text()
        if "<" in markup and (inner := parse_html(markup)) is not None and inner.body is not None:
            bodies.append(inner.body)
    return bodies


def remove_hidden(tree: LexborHTMLParser) -> int:
    """Remove the elements a browser would not show (the hidden attribute, an inline
    display:none or visibility:hidden): lexbor finds them faster than a test of every
    element's attributes in Python would. (lexbor unlinks every node of a removed
    subtree, so one inside a hidden element removed before has no parent left.) Hidden
    parts that the page's scripts show once loaded (`streamed`) are shown instead, and
    the hidden panels of tabs (SHOWN_ROLE) are kept."""
    removed = 0
    segments = []
    for node in tree.css(HIDDEN_SELECTOR):
        if node.parent is not None:
            if is_segment(node):
                segments.append(node)
                continue
            if node.attributes.get("role") == SHOWN_ROLE:
                continue
            node.decompose()
            removed += 1
    if segments:
        show_segments(tree, segments)
    return removed


class _Walker:
    """One walk over the DOM, collecting blocks and elements.

    The walk is the engine's inner loop (every node of every page): its state lives in
    local variables of `walk` where it can, and a text node is told by its tag id.
    """

    __slots__ = ("blocks", "counts", "elements", "form_fields", "inline_flags", "link_chars",
                 "link_depth", "pieces", "text_seen")

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.elements: list[Element] = []
        self.counts: Counter[str] = Counter()
        self.pieces: list[str] = []
        self.link_chars = 0
        self.link_depth = 0
        self.inline_flags = 0  # flags of inline elements (code, button...) in the pieces
        self.text_seen = False  # whether the pieces hold more than whitespace
        # (element, is a sign-up field) of each form field telling a sign-up form from
        # another (see SIGNUP_INPUT_TYPES), by the block-level element holding it
        self.form_fields: list[tuple[int, bool]] = []

    def walk_root(self, root: LexborNode) -> None:
        """Walk `root`'s children as the root element's."""
        self.walk(root, 0, 1, 0, 0, 0)
        if self.text_seen:
            self.flush(0, 0, 0, 0)
        self.pieces.clear()

    def element(self, tag: str, attrs: str, depth: int, parent: int, hints: int, flags: int) -> int:
        self.elements.append(Element(tag, parent, depth, attrs, hints, flags, len(self.blocks)))
        return len(self.elements) - 1

    def walk(self, node: LexborNode, element: int, depth: int, flags: int, hints: int,
             heading: int) -> None:
        """Walk the children of `node`, which sits in `element` with these features.

        Only block-level elements' attributes are read (class, id, role): hidden
        elements are already gone (`remove_hidden`), and an inline element's names
        would describe a few words at most.
        """
        pieces = self.pieces
        append = pieces.append
        counts = self.counts
        elements = self.elements
        for child in node.iter(include_text=True):
            if child.tag_id == TEXT_TAG_ID:
                text = child.text_content
                if text:
                    append(text)
                    if not text.isspace():
                        self.text_seen = True
                        if self.link_depth:
                            self.link_chars += len(text.strip())
                continue
            tag = child.tag
            if tag is None:
                continue
            counts[tag] += 1  # skipped elements too: images, inputs, selects are page signals
            if tag in SKIPPED:
                if tag == "input" or tag == "textarea":
                    self.note_field(child, tag, element)
                continue
            if tag in BLOCK_TAGS:
                if self.text_seen:
                    self.flush(element, flags, hints, heading)
                elif pieces:
                    pieces.clear()
                if depth >= MAX_DEPTH:
                    append(child.text(deep=True))
                    self.text_seen = True
                    continue
                attrs = child.attributes
                own_flags = TAG_FLAGS.get(tag, 0)
                role = attrs.get("role")
                if role:
                    own_flags |= ROLE_FLAGS.get(role, 0)
                names = attrs.get("class") or ""
                ident = attrs.get("id")
                if ident:
                    names = f"{names} {ident}" if names else ident
                if names:
                    names = names.lower()
                    own_hints = hint_bits(names)
                else:
                    own_hints = 0
                index = len(elements)
                holder = Element(tag, element, depth, names, own_hints, own_flags, len(self.blocks))
                elements.append(holder)
                inner_flags = flags | own_flags
                inner_hints = hints | own_hints
                inner_heading = HEADINGS.get(tag, heading)
                self.walk(child, index, depth + 1, inner_flags, inner_hints, inner_heading)
                if self.text_seen:
                    self.flush(index, inner_flags, inner_hints, inner_heading)
                elif pieces:
                    pieces.clear()
                holder.end_block = len(self.blocks)
            elif tag == "br":
                append(BREAK)
            elif tag == LINK_TAG:
                self.link_depth += 1
                self.walk(child, element, depth + 1, flags, hints, heading)
                self.link_depth -= 1
            elif tag in CELL_TAGS:
                if pieces:
                    append(CELL_SEPARATOR)
                self.walk(child, element, depth + 1, flags, hints, heading)
            elif depth >= MAX_DEPTH:
                append(child.text(deep=True))
                self.text_seen = True
            else:
                self.walk(child, element, depth + 1, flags, hints, heading)
                if tag in TAG_FLAGS and pieces:
                    self.inline_flags |= TAG_FLAGS[tag]

    def note_field(self, node: LexborNode, tag: str, element: int) -> None:
        """Remember a form field that says what its form is for (see SIGNUP_INPUT_TYPES)."""
        if tag == "textarea":
            self.form_fields.append((element, False))
            return
        attrs = node.attributes
        kind = (attrs.get("type") or "text").lower()
        if kind in SIGNUP_INPUT_TYPES:
            self.form_fields.append((element, True))
        elif kind == PHONE_INPUT_TYPE:
            named = " ".join(attrs.get(name) or "" for name in PHONE_FIELD_ATTRS).lower()
            if any(word in named for word in PHONE_FIELD_NAMES):
                self.form_fields.append((element, True))
        elif kind == "password":
            self.form_fields.append((element, False))
        elif kind == "text":
            named = f"{attrs.get('name') or ''} {attrs.get('placeholder') or ''}".lower()
            if any(word in named for word in SIGNUP_FIELD_NAMES):
                self.form_fields.append((element, True))

    def flush(self, element: int, flags: int, hints: int, heading: int) -> None:
        """Make the text gathered so far a block of `element`, if it holds any."""
        pieces = self.pieces
        raw = "".join(pieces)
        pieces.clear()
        self.text_seen = False
        link_chars, self.link_chars = self.link_chars, 0
        flags |= self.inline_flags
        self.inline_flags = 0
        if flags & IN_PRE:
            raw = raw.replace(BREAK, "\n")
            text = "\n".join(line for line in (normalise(x) for x in raw.split("\n")) if line)
        elif BREAK in raw:
            text = "\n".join(line for line in (_trim_cells(normalise(x)) for x in raw.split(BREAK)) if line)
        else:
            text = _trim_cells(normalise(raw))
        if not text:
            return
        chars = len(text)
        if link_chars and link_chars >= chars - text.count("\n"):
            flags |= IN_LINK
        holder = self.elements[element]
        self.blocks.append(Block(
            text, holder.tag, heading, element, holder.depth, len(self.blocks), chars, link_chars,
            flags, hints,
        ))


def _trim_cells(text: str) -> str:
    """A row's text without cell separators at either end (empty cells)."""
    if "|" not in text:
        return text
    while text.startswith("|") or text.endswith("|"):
        text = text.strip("|").strip()
    return text.replace("| |", "|") if "| |" in text else text


def _attr_text(attrs: dict[str, str | None]) -> str:
    """The lower-cased class and id of an element, as one string."""
    names = attrs.get("class") or ""
    ident = attrs.get("id")
    if ident:
        names = f"{names} {ident}" if names else ident
    return names.lower()


@lru_cache(maxsize=1 << 14)
def hint_bits(names: str) -> int:
    """The hint categories (bit set) of a lower-cased class and id text."""
    bits = 0
    for name in names.split():
        bits |= name_hints(name)
    return bits


# Class names repeat across a site's pages (and "row", "container", "col-md-6" across
# sites): each is looked at once.
@lru_cache(maxsize=1 << 16)
def name_hints(name: str) -> int:
    """The hint categories (bit set) of one lower-cased class or id name.

    Every two letters of the name are looked up in HINT_INDEX (the words by their first
    two letters), so a name costs a few dictionary lookups, not a search per word.
    """
    bits = 0
    index = HINT_INDEX
    size = len(name)
    for i in range(size - 1):
        found = index.get(name[i:i + 2])
        if found is None:
            continue
        for word, mode, tail, bit in found:
            if bits & bit or not name.startswith(word, i):
                continue
            end = i + len(word)
            if mode == "=":
                if i or end != size:
                    continue
            elif mode == "^":
                if i:
                    continue
            elif mode == "$":
                if end != size:
                    continue
            elif mode == "~" and (
                (i and name[i - 1] not in NAME_WORD_ENDS)
                or (end < size and name[end] not in NAME_WORD_ENDS)
            ):
                continue
            if tail and name.startswith(tail, end):
                continue
            bits |= bit
    # (most names hold no hint word: the test for a state comes after, not before)
    if bits and STATE_NAME.search(name):
        return 0
    return bits


def read_signals(tree: LexborHTMLParser, page: Page) -> None:
    """Fill the page-level signals: title, language, canonical link, meta tags, JSON-LD."""
    title = tree.css_first("title")
    if title is not None:
        page.title = normalise(title.text(deep=True)) or None
    html = tree.css_first("html")
    if html is not None:
        attrs = html.attributes
        page.lang = attrs.get("lang") or attrs.get("xml:lang") or None
    link = tree.css_first(CANONICAL_SELECTOR)
    if link is not None:
        page.canonical = (link.attributes.get("href") or "").strip() or None
    meta = page.meta
    for node in tree.css(META_SELECTOR):
        attrs = node.attributes
        for key in META_KEYS:
            name = attrs.get(key)
            if name:
                name = name.strip().lower()
                if name not in meta:
                    meta[name] = (attrs.get("content") or "").strip()
                break
    for node in tree.css(TIME_SELECTOR):
        if when := node.attributes.get("datetime"):
            page.times.append(when)
    for node in tree.css(JSON_LD_SELECTOR):
        page.json_ld.extend(json_ld_objects(node.text(deep=True)))


def json_ld_objects(text: str) -> list[dict[str, Any]]:
    """The objects of a JSON-LD script, lists and @graph flattened; [] when unreadable."""
    try:
        data = json.loads(text)
    except ValueError:
        try:  # a trailing comma or a stray control character is common; one repair
            data = json.loads(re.sub(r",\s*([}\]])", r"\1", text), strict=False)
        except ValueError:
            return []
    found: list[dict[str, Any]] = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            graph = item.get("@graph")
            if isinstance(graph, list):
                stack.extend(reversed(graph))
            if "@type" in item or graph is None:
                found.append(item)
    return found
