"""Page furniture inside the article's container, found by the DOM and the line heuristics.

Each step drops lines with a reason: what follows a heading that opens comments or a
related list, teaser cards, short fragments after the last run of prose, headings left
with nothing under them, figure captions.
"""
from __future__ import annotations

from typing import Final

from .. import reasons as R
from ..document import Document, Line
from ..heuristics.features import word_count
from ..heuristics.main_run import AFTER_HEADING, article_runs, run_scores
from ..heuristics.noise import line_facts
from . import blocks as B
from .blocks import Block, Element, Page

# Teaser cards: this many sibling elements or more of one tag and class, each holding a
# link and at most CARD_MAX_CHARS characters (a headline and a sentence or two). List
# items and table rows are content's own forms (a list of links has its link_block), and
# so is code.
# On the development set 400 to 800 characters score alike (+0.002 F1 on either half).
CARD_RUN_MIN: Final = 3
CARD_MAX_CHARS: Final = 400
CARD_SPARED_TAGS: Final = frozenset({"li", "tr"})
# A card holds a link when one of its blocks is at least this much link text.
CARD_LINK_SHARE: Final = 0.5
# Short lines after the article's last run of prose are dropped unless longer than
# this: 4 to 12 words score within 0.001 F1 of 8 on either half of the development set
# (+0.003 over not dropping them). List items, table rows and code are spared (+0.001).
TRAILING_MAX_WORDS: Final = 8
SPARED_FLAGS: Final = B.IN_LIST | B.IN_TABLE | B.IN_PRE
# What a figure may hold that is not a caption.
FIGURE_CONTENT: Final = B.IN_TABLE | B.IN_QUOTE | B.IN_PRE
# A related list stands in an article's container when a paragraph of at least this many
# words, without a link, follows its first item (see resumes_article).
RESUMED_PROSE_WORDS: Final = 40


def drop_after_barriers(doc: Document, page: Page, container: Element) -> None:
    """Drop what follows a heading that opens comments, related or popular lists ("Related
    articles", "Kommentare"), once article text has been kept: the rest of the box the
    heading stands in, or of the container when the heading stands in it directly."""
    lines = doc.lines
    elements = page.elements
    seen_text = False
    i = 0
    while i < len(lines):
        line = lines[i]
        reason = line.reason or line_facts(line).reason
        if line.reason is None and reason is None:
            seen_text = True
        if seen_text and reason in AFTER_HEADING and line.reason in (None, reason):
            doc.drop(i, reason)
            block: Block = line.block
            element = elements[block.element]
            if element.tag in B.HEADINGS or element.end_block - element.first_block <= 1:
                element = elements[element.parent] if element.parent >= 0 else element
            # page builders wrap each widget, a heading too, in boxes of its own: the box a
            # heading (<h1>-<h6>) opens is the first around it holding more than the heading
            while block.heading and element.end_block - element.first_block <= 1 and element.parent >= 0:
                element = elements[element.parent]
            end = min(element.end_block, container.end_block)
            if element.depth <= container.depth:
                end = container.end_block
            follow = AFTER_HEADING[reason]
            i += 1
            first = i
            while i < len(lines) and lines[i].block.index < end:
                if follow == R.POPULAR_LIST and i > first and resumes_article(lines[i]):
                    break
                doc.drop(i, follow)
                i += 1
            continue
        i += 1


def resumes_article(line: Line) -> bool:
    """Whether a line after a related list's heading is the article going on: a long
    paragraph of prose without a link (teasers are headlines and a sentence or two, and
    link to their stories). Comments and author boxes are prose too: only lists stop so."""
    block: Block = line.block
    return not block.link_chars and line_facts(line).words >= RESUMED_PROSE_WORDS


def drop_teaser_cards(doc: Document, page: Page, container: Element) -> None:
    """Drop CARD_RUN_MIN or more sibling elements of one tag and class inside the
    container, each holding a link: the cards of a teaser list."""
    elements = page.elements
    blocks = page.blocks
    groups: dict[tuple[int, str, str], list[int]] = {}
    for index, element in enumerate(elements):
        if (
            element.first_block < container.first_block or element.end_block > container.end_block
            or not element.attrs or element.tag in CARD_SPARED_TAGS
            or element.end_block == element.first_block
        ):
            continue
        chars, linked, code = 0, False, False
        for block in blocks[element.first_block:element.end_block]:
            chars += block.chars
            linked = linked or block.link_chars >= CARD_LINK_SHARE * block.chars
            # a listing's line numbers link to its lines: code is never a teaser
            code = code or bool(block.flags & B.IN_PRE)
        if linked and not code and chars <= CARD_MAX_CHARS:
            groups.setdefault((element.parent, element.tag, element.attrs), []).append(index)
    dropped: set[int] = set()
    for members in groups.values():
        if len(members) >= CARD_RUN_MIN:
            for index in members:
                dropped.update(range(elements[index].first_block, elements[index].end_block))
    if dropped:
        for i, line in enumerate(doc.lines):
            if line.block.index in dropped:
                doc.drop(i, R.TEASER_CARDS)


def drop_after_text(doc: Document, page: Page, inside: list[bool]) -> None:
    """Drop what follows the article's text in its container: lines after its last run of
    prose (`heuristics.main_run`) that stand outside the element holding that run (an
    author box, a newsletter box, a "Tip:" box after the article's body: +0.0015 F1 on
    either half of the development set), and short fragments after it anywhere ("Weitere
    Informationen", "Like it? Share it!", "Tags: ..."). List items, table rows and code
    are spared: an article may well end with a list of steps or a table."""
    lines = doc.lines
    within = [i for i in range(len(lines)) if inside[i]]
    if not within:
        return
    runs = article_runs(run_scores([lines[i] for i in within]))
    if not runs:
        return
    start, end = runs[-1]
    first: Block = lines[within[start]].block
    last: Block = lines[within[end - 1]].block
    elements = page.elements
    holder = first.element
    while holder > 0 and elements[holder].end_block <= last.index:
        holder = elements[holder].parent
    text_end = elements[holder].end_block
    for i in within[end:]:
        line = lines[i]
        block: Block = line.block
        if block.flags & SPARED_FLAGS:
            continue
        if block.index >= text_end:
            doc.drop(i, R.AFTER_ARTICLE)
        elif word_count(line.text) <= TRAILING_MAX_WORDS:
            doc.drop(i, R.TRAILING_FRAGMENT)


def drop_orphan_headings(doc: Document) -> None:
    """Drop headings nothing kept follows before the next heading of the same or a
    higher level: the heading of a list of links, or of a box dropped as furniture."""
    lines = doc.lines
    pending: list[int] = []  # kept headings waiting for text, outermost first
    for i, line in enumerate(lines):
        if line.reason is not None:
            continue
        level = line.block.heading
        if level:
            while pending and lines[pending[-1]].block.heading >= level:
                doc.drop(pending.pop(), R.ORPHAN_HEADING)
            pending.append(i)
        else:
            pending.clear()
    for i in pending:
        doc.drop(i, R.ORPHAN_HEADING)


def drop_captions(doc: Document) -> None:
    """Drop the text of figures (captions, credits): what trafilatura leaves out too, and
    +0.003 F1 on either half of the development set. A table, quotation or code listing
    a figure holds is content (editors wrap tables and pull quotes in <figure>)."""
    for i, line in enumerate(doc.lines):
        flags = line.block.flags
        if flags & B.IN_FIGURE and not flags & FIGURE_CONTENT:
            doc.drop(i, R.CAPTION)
