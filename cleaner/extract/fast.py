"""The fast HTML engine: a page's blocks with their DOM features -> the article's Lines.

The page is parsed once by lexbor (`blocks.parse_html`); metadata is read first
(`page_meta`), then the rule set's `html:` selectors strip elements and may name the
article's body (`selectors`), then the page is walked into blocks (`blocks.read_page`).
Every block becomes Lines, one per line of its text, each carrying its Block; the lines
that are not the article are dropped with a reason (`explain` shows the whole page):
outside the container (`container`), furniture and the rest inside it (`prune`). The
generic line heuristics and the site's text rules then run on the Lines as for any
capture (`cleaner.pipeline`).
"""
from __future__ import annotations

from typing import Any, Final

from selectolax.lexbor import LexborHTMLParser

from .. import reasons as R
from ..document import Capture, Document, Line
from ..heuristics.main_run import run_scores
from ..heuristics.noise import line_facts
from ..siterules import apply_html
from ..siterules.model import HtmlRules
from ..text.lines import normalise
from .blocks import Block, Page, parse_html, read_page
from .container import (
    FURNITURE_BLOCK,
    FURNITURE_HINTS,
    LINK_BLOCK,
    POST_FURNITURE_HINTS,
    best_container,
    block_values,
    extend_container,
    furniture_elements,
    is_link_block,
    main_text_elements,
    positive_sums,
    posts_container,
    prose_by_block,
    take_standfirst,
)
from .fast_meta import page_metadata
from .html import check_language, drop_title
from .lexbor_engine import LexborEngine
from .prune import (
    drop_after_barriers,
    drop_after_text,
    drop_captions,
    drop_orphan_headings,
    drop_teaser_cards,
)

# The headline is looked for among the first kept lines (kicker, date, byline first).
HEADLINE_SEARCH_LINES: Final = 5
# A heading (<h2> and below) wholly a link is a section's heading when a paragraph of at
# least this many words follows it (see spare_linked_headings).
LINKED_HEADING_MIN_LEVEL: Final = 2
LINKED_HEADING_PROSE_WORDS: Final = 10
LINKED_HEADING_LOOKAHEAD: Final = 3


def fast_document(
    capture: Capture, ruleset: Any = None, page: Page | None = None,
    tree: LexborHTMLParser | None = None, posts: bool = False,
) -> Document:
    """The Document of an HTML capture, read by the fast engine.

    `ruleset.html` is the rule set's `html:` part (see `cleaner.siterules.apply_html`):
    metadata is read before its `strip` rules remove elements, and a `body` rule that
    selects anything says where the article is (no container is looked for then); what
    each rule found is counted in the Document's `rule_hits`. A page with no text gives
    a Document with no lines, not an error.

    A caller that has read the page already (page typing does) passes its `page` and
    `tree` (what `blocks.read_page` and `parse_html` gave): they are used as they are
    unless the rule set has `html:` rules, which need the page parsed anew.

    `posts`: the page is a thread of posts (a forum's), all of which are its content
    (see `choose_content`).
    """
    rules: HtmlRules = ruleset.html if ruleset is not None else HtmlRules()
    if page is None or tree is None or rules:
        page, tree = None, parse_html(capture.text)
    if tree is None:
        meta = {"url": capture.url} if capture.url else {}
        return Document(capture=capture, lines=[], meta=meta, ruleset=ruleset, extracted=True)
    engine = LexborEngine(tree)
    meta, hits = page_metadata(engine, capture.text, capture.url, rules)
    roots = None
    if rules:
        hits.update(apply_html.strip(engine, rules))
        body_rule, part = apply_html.body(engine, rules)
        if body_rule is not None:
            hits[body_rule.label] += 1
            roots = part
    if page is None:
        page = read_page(engine.tree, roots)
    doc = Document(capture, page_lines(page), meta, ruleset, extracted=True, rule_hits=dict(hits))
    choose_content(doc, page, ruled=roots is not None, guessing=not rules, posts=posts)
    drop_title(doc)
    drop_headline(doc)
    check_language(doc)
    return doc


def page_lines(page: Page) -> list[Line]:
    """One Line per line of each block's text, blank lines around each block."""
    lines: list[Line] = []
    for block in page.blocks:
        text = block.text
        if "\n" not in text:
            lines.append(Line(text, None, True, True, None, block))
            continue
        parts = text.split("\n")
        last = len(parts) - 1
        for i, part in enumerate(parts):
            lines.append(Line(part, None, i == 0, i == last, None, block))
    return lines


def choose_content(doc: Document, page: Page, ruled: bool = False, guessing: bool = True,
                   posts: bool = False) -> None:
    """Drop the lines that are not the article's, each with its reason.

    `ruled`: the page was read from the elements a site rule names as the article's
    body, which are then the container. `guessing`: no site rules say what the site's
    furniture is, so what follows the article's text is guessed at too (`drop_after_text`).
    `posts`: the page is a thread of posts, its content all of them: elements named
    comments or meta (a post's author and date) are not furniture, and the container
    grows to hold the posts repeated beside the one found (`posts_container`).
    """
    lines = doc.lines
    elements = page.elements
    blocks = len(page.blocks)
    own: list[str | None] = []  # what each line is on its own: a link block, noise or text
    for line in lines:
        block: Block = line.block
        own.append(LINK_BLOCK if is_link_block(block) else line_facts(line).reason)
    spare_linked_headings(lines, own)
    prose = prose_by_block(lines, own, blocks)
    exempt = set() if ruled else main_text_elements(page, lines, run_scores(lines, own))
    if not ruled and not exempt:
        # not one stretch of the page reads as prose: there is no article to find
        for i in range(len(lines)):
            doc.drop(i, R.NO_MAIN_TEXT)
        return
    hints = POST_FURNITURE_HINTS if posts else FURNITURE_HINTS
    furniture = furniture_elements(page, prose, exempt, hints=hints)
    reasons = [
        FURNITURE_BLOCK if furniture[line.block.element] else reason
        for line, reason in zip(lines, own)
    ]
    container = elements[0]
    if not ruled:
        sums = positive_sums(block_values(lines, reasons, blocks))
        container = best_container(page, sums)
        if posts:
            container = posts_container(page, container, sums)
    inside = [container.first_block <= line.block.index < container.end_block for line in lines]
    if not ruled:
        extend_container(inside, run_scores(lines, reasons))
        take_standfirst(lines, reasons, inside, page, container)
    inner = furniture_elements(page, prose, exempt, container, hints)
    for i, line in enumerate(lines):
        reason = reasons[i]
        if not inside[i]:
            doc.drop(i, R.OUTSIDE_MAIN_CONTENT)
        elif reason == LINK_BLOCK or reason == FURNITURE_BLOCK:
            doc.drop(i, reason)
        elif inner[line.block.element]:
            doc.drop(i, FURNITURE_BLOCK)
    if not posts:  # a thread's replies are its content, not comments after it
        drop_after_barriers(doc, page, container)
    drop_teaser_cards(doc, page, container)
    if guessing and not posts:  # short replies after the first post are posts too
        drop_after_text(doc, page, inside)
    drop_orphan_headings(doc)
    drop_captions(doc)


def spare_linked_headings(lines: list[Line], own: list[str | None]) -> None:
    """A section heading that is a link (a listicle's "3. Acme Movers", linked to the
    firm) over a paragraph of prose is the section's heading, not a link block: the
    paragraph within LINKED_HEADING_LOOKAHEAD lines, before the next heading."""
    for i in range(len(lines) - 1):
        if own[i] != LINK_BLOCK or lines[i].block.heading < LINKED_HEADING_MIN_LEVEL:
            continue
        for j in range(i + 1, min(len(lines), i + 1 + LINKED_HEADING_LOOKAHEAD)):
            following = lines[j]
            if following.block.heading:
                break
            if own[j] is None and line_facts(following).words >= LINKED_HEADING_PROSE_WORDS:
                own[i] = None
                break


def drop_headline(doc: Document) -> None:
    """Drop the headline from the first kept lines: a line that repeats the title, and the
    page's main heading (<h1>) when the title holds it or it holds the title ("Skoda: Der
    lange Weg zum Strom" under the title "Skoda: Der lange Weg zum Strom | autohaus.de").
    The title lives in the front matter."""
    title = normalise(doc.meta.get("title") or "").casefold()
    if not title:
        return
    for i in doc.kept()[:HEADLINE_SEARCH_LINES]:
        line = doc.lines[i]
        text = line.text.casefold()
        if text == title or (line.block.heading == 1 and (text in title or title in text)):
            doc.drop(i, R.TITLE_REPEAT)
