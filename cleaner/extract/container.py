"""Where the article is on a page of blocks: its container element, and what is furniture.

Each line first gets what it is on its own: a link block, line-local noise
(`heuristics.noise`), or text. Elements named as page furniture (nav, footer, sidebar,
share, comment... by tag, ARIA role or class/id words: `blocks.HINT_WORDS`) are
furniture unless they hold the page's main text: the elements around the best line of
the main run of prose (`heuristics.main_run`) are never furniture, nor is one holding
FURNITURE_MAX_SHARE of the page's prose. The container is then found by going down from
the root into the child that holds DOMINANT_SHARE of the text's value, while one does.

The constants were chosen on the development set (bench/html_engines.py), each checked
on its two halves; the figures are in the comments.
"""
from __future__ import annotations

from typing import Final

import regex

from .. import reasons as R
from ..document import Line
from ..heuristics.features import word_count
from ..heuristics.main_run import best_run
from . import blocks as B
from .blocks import Block, Element, Page, prefix_sums
from .html import LINK_BLOCK_MAX_CHARS, LINK_BLOCK_SHARE

# Elements whose tag or role says they are page furniture.
FURNITURE_FLAGS: Final = B.IN_NAV | B.IN_FOOTER | B.IN_ASIDE | B.IN_BUTTON | B.IN_DIALOG
# The page's footer (a <footer> or role=contentinfo outside any <article> and <main>) is
# furniture whatever share of the prose it holds (a shop's or a company's fine print,
# footnotes, the towns it serves can outweigh its page), unless the best line of the main
# run of prose is in it. Measured 2026-11-30 on the WCXB split (cross-validated types): 4
# pages up (0.24 to 0.58), none down, all 0.8564 -> 0.8574 F1; the dev set's HTML F1
# unchanged (0.9379). Without the exception (the best line's footer too) all 0.8597
# (collections +0.025), but the dev set 0.9377 (a page whose footer's prose was its best
# line reads another container).
SECTION_FLAGS: Final = B.IN_ARTICLE | B.IN_MAIN
# A button holds one block, its label: on a page read from its blocks (a listing, a
# collection, a service page), an element taken for a button (its tag or its role) that
# holds more is a clickable card (a teaser's heading, summary and byline), whose blocks
# are the page's items, not furniture. Measured 2026-11-30 on the WCXB split
# (cross-validated types): listings 0.620 -> 0.626 F1, nothing else changed; for the
# fast engine (articles) and products' reader such cards are other things (apps, other
# products): articles -0.0001, products -0.0004.
BUTTON_MAX_BLOCKS: Final = 1
# Class/id categories of page furniture. Leaving out any one of them costs 0 to 0.004 F1
# on the development set (NAV, AD and HIDDEN alone cost nothing there; they are kept as
# the web's conventions, as trafilatura's pruning keeps them).
FURNITURE_HINTS: Final = (
    B.NAV | B.FOOTER | B.SIDEBAR | B.RELATED | B.SHARE | B.COMMENT | B.AD | B.COOKIE
    | B.SUBSCRIBE | B.HIDDEN | B.META
)
# An element named as furniture that holds more than this share of the page's prose
# (of its container's, inside one) is a wrapper of the article, not furniture. Without
# this guard F1 falls from 0.933 to 0.920 (0.928/0.937 to 0.916/0.923 on the halves).
FURNITURE_MAX_SHARE: Final = 0.5
# A block's value for the container choice: its characters, less (1 + LINK_PENALTY)
# times its share of link text (a block a third links is worth nothing), less all its
# characters for furniture and link blocks, less NOISE_PENALTY for a noise line.
LINK_PENALTY: Final = 2.0
NOISE_PENALTY: Final = 10.0
# The container is the element reached by going down from the root into the child
# holding this share of the current element's positive value, while one does. 0.85 to
# 0.9 score alike (0.931 to 0.933 F1), 0.8 and 0.95 lose 0.002 to 0.007 (either half).
DOMINANT_SHARE: Final = 0.9
# Lines just before or after the container join it when their main-run scores add up
# to more than nothing within this many lines: a standfirst above the article's body.
# 3 to 10 lines score within 0.0005 F1 (either half); none loses 0.011.
EXTEND_LINES: Final = 10

# A standfirst is looked for between the page's headline (<h1>) and the container when
# both sit in one element below the root (the article's): a line of text there of at
# least STANDFIRST_MIN_WORDS words, less than STANDFIRST_MAX_LINK_SHARE link text, joins
# the container. The headline is looked for this many lines before the container.
# +0.003 F1 on either half of the development set; 6 to 15 words score within 0.0005.
STANDFIRST_MIN_WORDS: Final = 10
STANDFIRST_MAX_LINK_SHARE: Final = 0.3
HEADLINE_DISTANCE: Final = 60

# A thread of posts (a forum's): its posts are often named comments, and their authors
# and dates are part of them.
POST_FURNITURE_HINTS: Final = FURNITURE_HINTS & ~(B.COMMENT | B.META)
# Posts are looked for this many levels above the container found for the best one.
POST_LEVELS: Final = 8
# Digits in class and id names (post-123, comment_4567) say nothing of an element's kind.
DIGITS: Final = regex.compile(r"\d+")

LINK_BLOCK: Final = R.LINK_BLOCK
FURNITURE_BLOCK: Final = R.FURNITURE_BLOCK


def is_link_block(block: Block) -> bool:
    """A short block that is mostly link text: as `cleaner.html.is_link_block` judges."""
    return block.chars <= LINK_BLOCK_MAX_CHARS and block.link_chars >= LINK_BLOCK_SHARE * block.chars


def prose_by_block(lines: list[Line], own: list[str | None], blocks: int) -> list[float]:
    """Characters of text (kept on its own, less link text) in each block."""
    prose = [0.0] * blocks
    for line, reason in zip(lines, own):
        if reason is None:
            block: Block = line.block
            prose[block.index] += len(line.text) * (1.0 - block.link_density)
    return prose


def main_text_elements(page: Page, lines: list[Line], scores: list[float]) -> set[int]:
    """The element holding the best line of the main run of prose, its ancestors, and its
    siblings of the same tag and class: the article's other paragraphs, whatever their
    class names say (a paragraph named "contextmenu" for a script is no menu)."""
    around: set[int] = set()
    start, end, total = best_run(scores)
    if total <= 0:
        return around
    best = max(range(start, end), key=scores.__getitem__)
    block: Block = lines[best].block
    index = block.element
    elements = page.elements
    holder = elements[index]
    if holder.attrs and holder.parent >= 0:
        around.update(
            i for i, element in enumerate(elements)
            if element.parent == holder.parent and element.tag == holder.tag
            and element.attrs == holder.attrs
        )
    while index >= 0:
        around.add(index)
        index = elements[index].parent
    return around


def furniture_elements(
    page: Page, prose: list[float], exempt: set[int], within: Element | None = None,
    hints: int = FURNITURE_HINTS, cards: bool = False, whole: float | None = None,
) -> list[bool]:
    """Whether each element is page furniture: named so by its tag, role or class/id
    (`hints`: the class/id categories that name furniture; or inside one that is), not
    one of `exempt`, holding less than FURNITURE_MAX_SHARE of the prose (of `whole`
    when given). With `within`, only elements inside that container are judged (by their
    class/id alone), against its prose. `cards`: an element taken for a button that
    holds more than BUTTON_MAX_BLOCKS blocks is a clickable card (a listing's item), not
    furniture. The page's footer is furniture whatever it holds, unless it is exempt
    (SECTION_FLAGS)."""
    ends = prefix_sums(prose)
    first, end, top = 0, len(page.blocks), -1
    named_by = hints
    if within is not None:
        first, end, top = within.first_block, within.end_block, within.depth
    most = FURNITURE_MAX_SHARE * (ends[end] - ends[first] if whole is None else whole)
    furniture: list[bool] = []
    sections: list[bool] = []  # per element, whether it is or lies in an <article> or <main>
    for index, element in enumerate(page.elements):
        flags = element.flags
        sections.append(bool(flags & SECTION_FLAGS) or (element.parent >= 0 and sections[element.parent]))
        if element.depth <= top or element.first_block < first or element.end_block > end:
            furniture.append(False)
            continue
        if element.parent >= 0 and furniture[element.parent]:
            furniture.append(True)
            continue
        if within is None and flags & B.IN_FOOTER and not sections[index] and index not in exempt:
            furniture.append(True)  # the page's footer: its fine print is no article
            continue
        if cards and is_clickable_card(element):
            flags &= ~B.IN_BUTTON
        named = element.hints & named_by != 0 or (
            within is None and flags & FURNITURE_FLAGS != 0
        )
        furniture.append(
            named and index not in exempt
            and ends[element.end_block] - ends[element.first_block] < most
        )
    return furniture


def is_clickable_card(element: Element) -> bool:
    """Whether an element taken for a button (its tag or role) holds more than
    BUTTON_MAX_BLOCKS blocks: a clickable card (a teaser's heading and summary made one
    click target), not a button's label."""
    return bool(element.flags & B.IN_BUTTON) and element.end_block - element.first_block > BUTTON_MAX_BLOCKS


def block_values(lines: list[Line], reasons: list[str | None], blocks: int) -> list[float]:
    """Each block's worth as article text for the container choice (see LINK_PENALTY)."""
    values = [0.0] * blocks
    for line, reason in zip(lines, reasons):
        block: Block = line.block
        if reason is None:
            values[block.index] += len(line.text) * (1.0 - (1.0 + LINK_PENALTY) * block.link_density)
        elif reason == FURNITURE_BLOCK or reason == LINK_BLOCK:
            values[block.index] -= len(line.text)
        else:
            values[block.index] -= NOISE_PENALTY
    return values


def positive_sums(values: list[float]) -> list[float]:
    """Prefix sums of the blocks' positive values (`block_values`): what the blocks of
    an element are worth is sums[element.end_block] - sums[element.first_block]."""
    sums = [0.0]
    for value in values:
        sums.append(sums[-1] + (value if value > 0 else 0.0))
    return sums


def best_container(page: Page, sums: list[float]) -> Element:
    """The element the article is in: from the root, go down into the child holding
    DOMINANT_SHARE of the current element's positive value (`sums`, from
    `positive_sums`), while there is one."""
    elements = page.elements
    children: list[list[int]] = [[] for _ in elements]
    for index, element in enumerate(elements):
        if element.parent >= 0:
            children[element.parent].append(index)
    current = 0
    while True:
        element = elements[current]
        total = sums[element.end_block] - sums[element.first_block]
        if total <= 0 or not children[current]:
            return element
        best, held = -1, -1.0
        for index in children[current]:
            child = elements[index]
            value = sums[child.end_block] - sums[child.first_block]
            if value > held:
                best, held = index, value
        if held < DOMINANT_SHARE * total:
            return element
        current = best


def extend_container(inside: list[bool], scores: list[float]) -> None:
    """Take in the lines just before and after the container when their scores add up
    to more than nothing within EXTEND_LINES (a standfirst above the article's body)."""
    if True not in inside:
        return
    first = inside.index(True)
    last = len(inside) - 1 - inside[::-1].index(True)
    total, best, best_at = 0.0, 0.0, first
    for i in range(first - 1, max(-1, first - 1 - EXTEND_LINES), -1):
        total += scores[i]
        if total > best:
            best, best_at = total, i
    for i in range(best_at, first):
        inside[i] = True
    total, best, best_at = 0.0, 0.0, last
    for i in range(last + 1, min(len(inside), last + 1 + EXTEND_LINES)):
        total += scores[i]
        if total > best:
            best, best_at = total, i
    for i in range(last + 1, best_at + 1):
        inside[i] = True


def take_standfirst(
    lines: list[Line], reasons: list[str | None], inside: list[bool], page: Page,
    container: Element,
) -> None:
    """Take in the standfirst: lines of text between the headline and the container, when
    the two share an element below the root (the article, which heads its body with a
    headline, byline, date and share bar the container's choice leaves out)."""
    first = next((i for i in range(len(lines)) if inside[i]), -1)
    if first < 0:
        return
    headline = -1
    for i in range(first - 1, max(-1, first - 1 - HEADLINE_DISTANCE), -1):
        block: Block = lines[i].block
        if block.heading == 1:
            headline = i
            break
    if headline < 0:
        return
    elements = page.elements
    around: set[int] = set()
    index = elements.index(container)
    while index >= 0:
        around.add(index)
        index = elements[index].parent
    top: Block = lines[headline].block
    index = top.element
    while index not in around:
        index = elements[index].parent
    if index <= 0:
        return
    for i in range(headline + 1, first):
        line = lines[i]
        block = line.block
        if (
            reasons[i] is None and block.link_density < STANDFIRST_MAX_LINK_SHARE
            and word_count(line.text) >= STANDFIRST_MIN_WORDS
        ):
            inside[i] = True


def posts_container(page: Page, container: Element, sums: list[float]) -> Element:
    """The element holding the posts of a thread: the parent of the nearest of `container`
    and its ancestors (up to POST_LEVELS) that has a sibling of its shape (tag, and class
    and id names without digits) whose text is worth something (`sums`, from
    `positive_sums`); `container` when none has."""
    elements = page.elements
    index = elements.index(container)
    for _ in range(POST_LEVELS):
        element = elements[index]
        parent = element.parent
        if parent < 0:
            break
        shape = (element.tag, DIGITS.sub("", element.attrs))
        for other, sibling in enumerate(elements):
            if (sibling.parent == parent and other != index
                    and sums[sibling.end_block] - sums[sibling.first_block] > 0
                    and (sibling.tag, DIGITS.sub("", sibling.attrs)) == shape):
                return elements[parent]
        index = parent
    return container
