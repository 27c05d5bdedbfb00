"""Why a line is dropped: every generic reason, named once, with what it means.

The heuristics drop lines with these names, the main-run scoring weighs lines by them,
and `explain`, the manifest's `empty` lines and the summary's `drop_reasons` show them.
A site rule's reason is `rule:<rule set id>/<rule name>` (see `rule_reason`).
"""
from __future__ import annotations

from typing import Final

# Metadata lifted into the front matter, its line dropped from the body.
TITLE: Final = "title"
DATE_LINE: Final = "date_line"
BYLINE: Final = "byline"
# The title again, in the body.
TITLE_REPEAT: Final = "title_repeat"
# Line-local noise (heuristics/noise.py): a line judged on its own text.
SHARE_LINE: Final = "share_line"
READ_MORE: Final = "read_more"
NAV_LINE: Final = "nav_line"
MENU_LINE: Final = "menu_line"
ADVERTISEMENT: Final = "advertisement"
COMMENT_ACTION: Final = "comment_action"
VIEW_COUNTER: Final = "view_counter"
MIN_READ: Final = "min_read"
CREDIT_LINE: Final = "credit_line"
CAPTION: Final = "caption"
RELATED_LINK: Final = "related_link"
BULLET_MARKER: Final = "bullet_marker"
NUMBER_LINE: Final = "number_line"
SYMBOL_LINE: Final = "symbol_line"
COPYRIGHT: Final = "copyright"
COMMENT_FORM: Final = "comment_form"
COOKIE_NOTICE: Final = "cookie_notice"
SUBSCRIBE_LINE: Final = "subscribe_line"
SITE_ENGINE: Final = "site_engine"
DISCLOSURE: Final = "disclosure"
WIDGET_LINE: Final = "widget_line"
# Headings that end the article, and what they open.
RELATED_HEADING: Final = "related_heading"
COMMENTS_HEADING: Final = "comments_heading"
AUTHOR_HEADING: Final = "author_heading"
POPULAR_LIST: Final = "popular_list"
COMMENT_SECTION: Final = "comment_section"
AUTHOR_BOX: Final = "author_box"
# The main run of a text capture (heuristics/main_run.py) and what lies around it.
OUTSIDE_MAIN_RUN: Final = "outside_main_run"
MENU_RUN: Final = "menu_run"
TEASER_LIST: Final = "teaser_list"
REPEATED_LINE: Final = "repeated_line"
# HTML pages.
LINK_BLOCK: Final = "link_block"
# The fast HTML engine's reading of a page's blocks (extract/fast.py, prune.py), and a
# page type's reading of them (extract/profiles.py: furniture, outside <main>).
OUTSIDE_MAIN_CONTENT: Final = "outside_main_content"
FURNITURE_BLOCK: Final = "furniture_block"
TEASER_CARDS: Final = "teaser_cards"
AFTER_ARTICLE: Final = "after_article"
TRAILING_FRAGMENT: Final = "trailing_fragment"
ORPHAN_HEADING: Final = "orphan_heading"
NO_MAIN_TEXT: Final = "no_main_text"
# A product page's reading (extract/profiles.py): a price line, what lies outside the
# product's description, a section of other products.
PRICE_LINE: Final = "price_line"
OUTSIDE_DESCRIPTION: Final = "outside_description"
OTHER_PRODUCTS: Final = "other_products"
# A list's page, whatever reads it (extract/profiles.py): an item shown again.
REPEATED_ITEM: Final = "repeated_item"
# Any typed HTML page but a list's and documentation (extract/profiles.py): text shown before.
REPEATED_TEXT: Final = "repeated_text"

# Each generic reason and what it says, as `cleaner reasons` and the README show them.
DESCRIPTIONS: Final = {
    TITLE: "the headline, lifted into the front matter",
    DATE_LINE: "a date (and time) line, lifted into the front matter when it is the article's",
    BYLINE: "a byline, its names lifted into the front matter's authors",
    TITLE_REPEAT: "the headline again, in the body",
    SHARE_LINE: "a share, follow or social network button",
    READ_MORE: "a 'read more' or 'show more' link",
    NAV_LINE: "a navigation or service link (home, search, privacy...)",
    MENU_LINE: "a one-line menu of navigation or share links",
    ADVERTISEMENT: "an advertisement slot's label",
    COMMENT_ACTION: "a comment's header or action (says:, reply, report)",
    VIEW_COUNTER: "a view, share or comment counter",
    MIN_READ: "a reading time ('5 min read')",
    CREDIT_LINE: "a photo or video credit",
    CAPTION: "an image caption ending in its credit",
    RELATED_LINK: "a link to another article ('Read also: ...')",
    BULLET_MARKER: "a line that is only a bullet, an arrow or a rule",
    NUMBER_LINE: "a line of numbers only (ranks, page numbers)",
    SYMBOL_LINE: "a line of symbols only",
    COPYRIGHT: "a copyright or licence notice",
    COMMENT_FORM: "part of a comment form",
    COOKIE_NOTICE: "a cookie or consent banner",
    SUBSCRIBE_LINE: "a newsletter or subscription call",
    SITE_ENGINE: "a browser warning or a blog engine's footer",
    DISCLOSURE: "an affiliate or advertising disclosure",
    WIDGET_LINE: "an image or notification widget's text",
    RELATED_HEADING: "a heading that opens related or popular articles",
    COMMENTS_HEADING: "a heading that opens the comments",
    AUTHOR_HEADING: "a heading that opens the author's box",
    POPULAR_LIST: "an item of a related or popular list",
    COMMENT_SECTION: "part of the comment section",
    AUTHOR_BOX: "part of the author's box",
    OUTSIDE_MAIN_RUN: "outside the article's main run of prose",
    MENU_RUN: "part of a menu: short lines in a row",
    TEASER_LIST: "part of a list of teasers: headline-length lines in a row",
    REPEATED_LINE: "a line standing three or more times in the capture",
    LINK_BLOCK: "a short block that is mostly link text",
    OUTSIDE_MAIN_CONTENT: "outside the element that holds the page's article (or its <main>)",
    FURNITURE_BLOCK: "in an element the page marks as furniture (nav, footer, sidebar, form...)",
    TEASER_CARDS: "in a row of teaser cards (repeated elements, each a link)",
    AFTER_ARTICLE: "after the article's text, outside the element holding it",
    TRAILING_FRAGMENT: "a short fragment after the last run of prose",
    ORPHAN_HEADING: "a heading with no text of its own under it",
    NO_MAIN_TEXT: "on a page where no stretch of text reads as prose: no article to find",
    PRICE_LINE: "a price on a product page (a short line holding an amount of money)",
    OUTSIDE_DESCRIPTION: "outside the product's description, which holds most of the page's text",
    OTHER_PRODUCTS: "in a section of other products on a product page (similar items, also bought)",
    REPEATED_ITEM: "a line of a list's page said before on it (a carousel's copy, an item in two lists)",
    REPEATED_TEXT: "a line the page showed before (a reply quoting an earlier post, a section laid out twice)",
}
RULE_PREFIX: Final = "rule:"


def rule_reason(ruleset_id: str, rule_name: str) -> str:
    """The reason of a line a site rule dropped: `rule:<rule set id>/<rule name>`."""
    return f"{RULE_PREFIX}{ruleset_id}/{rule_name}"


def describe(reason: str) -> str:
    """What a reason says, for people."""
    if reason.startswith(RULE_PREFIX):
        return f"the site rule {reason[len(RULE_PREFIX):]}"
    return DESCRIPTIONS.get(reason, reason)
