"""HTML captures: parse once, apply the site's `html:` rules, extract with trafilatura, make Lines.

The page is parsed once by lxml; metadata is read from the whole page first (an
author box a rule strips may still name the author), then the rule set's `strip`
selectors remove what it knows is not the article, then trafilatura finds the main
text, either on the whole page or, when a `body` selector matches, on that part
alone. Each paragraph, heading, list item or table row of the result becomes one
Line; the generic line heuristics and the site's text rules then work on those
Lines exactly as they do for text captures.
"""
from __future__ import annotations

import re
from collections import Counter
from copy import deepcopy
from typing import Any

from lxml.etree import _Element, strip_tags
from lxml.html import Element, HtmlElement
from trafilatura import bare_extraction
from trafilatura.utils import load_html
from trafilatura.xml import xmltotxt

from .. import reasons as R
from ..document import Capture, Document, Line
from ..siterules import apply_html
from ..siterules.apply_html import LxmlEngine
from ..siterules.model import HtmlRules
from ..text.language import FUNCTION_WORDS, SCRIPTS, detect_language
from ..text.lines import normalise, split_lines
from .page_meta import page_metadata

# Options of trafilatura's extraction, chosen on the development set (see bench/devset_html.py):
# reader comments are not part of a news article, and including them adds boilerplate
# ("Post a comment", "No comments") for almost no article text: leaving them out gains
# 0.005 F1 on each half of the set. favor_precision loses more recall than it gains.
# Links are kept in trafilatura's output only to measure each block's link share
# (see LINK_BLOCK_SHARE); the Lines carry the link text, not the targets.
EXTRACTION = {
    "include_comments": False, "include_tables": True, "include_links": True, "with_metadata": False,
}
# When a site's `body` selector has already said where the article is, trafilatura
# should keep what it finds there unless it is clearly noise.
RULED_EXTRACTION = {**EXTRACTION, "favor_recall": True}
# A short paragraph or heading that is mostly link text is a teaser ("Read also: <headline>",
# "More on this topic") that trafilatura let through, not article prose. On the development
# set a share of 0.7 and a length up to 400 characters drop the most such blocks for the
# fewest article lines; a share of 0.5 or 0.9 and lengths from 100 to 400 score within 0.002
# F1 of it, on either half of the set.
LINK_BLOCK_SHARE = 0.7
LINK_BLOCK_MAX_CHARS = 400
LINK_BLOCK_TAGS = frozenset({"p", "head", "quote"})
GUESSABLE_LANGUAGES = frozenset(FUNCTION_WORDS) | {lang for lang, _ in SCRIPTS}
# libxml2 stops parsing a page, silently, where elements nest 255 deep (unclosed <font>
# tags of an old CMS get there): what follows is lost. A parse stopped so ends at that
# depth: the last element of the tree, the one the parser made last, is that deep (a page
# that nests so deep and comes back up, a few in a million, is parsed again for nothing;
# the margin covers the one or two levels by which parser and tree count differently).
LXML_MAX_DEPTH = 255
DEPTH_MARGIN = 8
# The tags that nest so deep are then taken out of the page (each stands at least this
# many times among the open elements where the parse stopped) and it is parsed again; a
# few rounds, then every tag but paragraphs, headings, list items and line breaks goes.
# Not lxml's huge-tree option: that only moves the limit to 2048 levels, and trafilatura
# takes half a minute on 2000 nested tables (its table handling is quadratic or worse).
DEEP_TAG_MIN_COUNT = 16
FLATTEN_ROUNDS = 3
FLATTENED = re.compile(
    r"</?(?!(?:p|br|h[1-6]|li|html|head|body|title|meta|link|script|style)\b)[a-zA-Z][^<>]*>"
)
FLATTENED_WARNING = "html nested deeper than {} levels: {} tags taken out, text kept"


def html_document(capture: Capture, ruleset: Any = None) -> Document:
    """The Document of an HTML capture: one Line per block of the main text, plus metadata.

    `ruleset.html` is the rule set's `html:` part (see `cleaner.siterules.apply_html`);
    what each of its rules found is counted in the Document's `rule_hits`. A page
    trafilatura finds no text in gives a Document with no lines, not an error.
    """
    rules: HtmlRules = ruleset.html if ruleset is not None else HtmlRules()
    warnings: list[str] = []
    tree = parse_html(capture.text, warnings)
    if tree is None:
        meta = {"url": capture.url} if capture.url else {}
        return Document(capture=capture, lines=[], meta=meta, ruleset=ruleset, extracted=True,
                        warnings=warnings)
    engine = LxmlEngine(tree)
    meta, hits = page_metadata(engine, capture.url, rules)
    hits.update(apply_html.strip(engine, rules))
    lines, body_rule = extract_lines(engine, rules)
    if body_rule is not None:
        hits[body_rule.label] += 1
    doc = Document(capture=capture, lines=lines, meta=meta, ruleset=ruleset, extracted=True,
                   rule_hits=dict(hits), warnings=warnings)
    drop_title(doc)
    check_language(doc)
    return doc


def parse_html(text: str, warnings: list[str] | None = None) -> HtmlElement | None:
    """The lxml tree of a page (trafilatura's loader: it repairs what lxml alone chokes on),
    whole however deep it nests: the tags nesting past lxml's limit are taken out (see
    LXML_MAX_DEPTH), with a warning."""
    for round_ in range(FLATTEN_ROUNDS + 1):
        try:
            tree = load_html(text)
        except (TypeError, ValueError):
            return None
        if tree is None or last_depth(tree) < LXML_MAX_DEPTH - DEPTH_MARGIN:
            return tree
        deep = deep_tags(tree) if round_ < FLATTEN_ROUNDS else []
        if deep:
            tags = re.compile(r"</?(?:" + "|".join(map(re.escape, deep)) + r")\b[^<>]*>", re.IGNORECASE)
        else:
            deep, tags = ["all but block"], FLATTENED
        text = tags.sub(" ", text)
        if warnings is not None:
            warnings.append(FLATTENED_WARNING.format(LXML_MAX_DEPTH, ", ".join(deep)))
    return load_html(text)


def last_depth(tree: HtmlElement) -> int:
    """How deep the last element of `tree` (in document order) nests."""
    depth = 0
    element = tree
    while len(element):
        element = element[-1]
        depth += 1
    return depth


def deep_tags(tree: HtmlElement) -> list[str]:
    """The tags that stand most often among the open elements where a parse stopped."""
    counts = Counter()
    element = tree
    while len(element):
        element = element[-1]
        if isinstance(element.tag, str):
            counts[element.tag.lower()] += 1
    return sorted(tag for tag, n in counts.items()
                  if n >= DEEP_TAG_MIN_COUNT and tag not in ("html", "body"))


def extract_lines(engine: LxmlEngine, rules: HtmlRules) -> tuple[list[Line], Any]:
    """Lines of the main text, from the rules' body elements when a `body` rule selects
    any (and the rule), else from the page (and None)."""
    rule, part = apply_html.body(engine, rules)
    if part:
        lines = trafilatura_lines(wrap(part), RULED_EXTRACTION)
        if lines:
            return lines, rule
    return trafilatura_lines(engine.tree, EXTRACTION), None


def wrap(elements: list[HtmlElement]) -> HtmlElement:
    """A page holding copies of `elements` alone, for extraction from that part only."""
    page = Element("html")
    body = Element("body")
    page.append(body)
    for element in elements:
        copied = deepcopy(element)
        copied.tail = None
        body.append(copied)
    return page


def trafilatura_lines(tree: HtmlElement, options: dict[str, Any]) -> list[Line]:
    """Run trafilatura on `tree` and turn its body into Lines.

    No URL is passed: trafilatura would only use it to make link targets absolute,
    which costs a tenth of the extraction time for targets the Lines never show.
    """
    result = bare_extraction(tree, **options)
    if result is None or result.body is None:
        return []
    return body_lines(result.body)


def body_lines(body: _Element) -> list[Line]:
    """One Line per text line of each block in trafilatura's output, blank lines around blocks.

    The lines of a block that is mostly links are dropped with reason `link_block`.
    """
    lines: list[Line] = []
    for block in body:
        tail, block.tail = block.tail, None  # a block's tail is loose text, its own line
        reason = R.LINK_BLOCK if is_link_block(block) else None
        strip_tags(block, "ref")
        block_lines = split_lines(xmltotxt(block, False))
        for line in block_lines:
            line.reason = reason
        if tail and (text := normalise(tail)):
            block_lines.append(Line(text))
        if block_lines:
            block_lines[0].blank_before = True
            block_lines[-1].blank_after = True
            lines.extend(block_lines)
    return lines


def is_link_block(block: _Element) -> bool:
    """Whether `block` is a short paragraph, heading or quote made mostly of link text."""
    if block.tag not in LINK_BLOCK_TAGS:
        return False
    text = normalise(" ".join(block.itertext()))
    if not text or len(text) > LINK_BLOCK_MAX_CHARS:
        return False
    linked = sum(len(normalise(" ".join(ref.itertext()))) for ref in block.iter("ref"))
    return linked >= LINK_BLOCK_SHARE * len(text)


def drop_title(doc: Document) -> None:
    """Drop the opening line when it repeats the title: the title lives in the front matter."""
    title = normalise(doc.meta.get("title") or "").casefold()
    kept = doc.kept()
    if title and kept and doc.lines[kept[0]].text.casefold() == title:
        doc.drop(kept[0], R.TITLE_REPEAT)


def check_language(doc: Document) -> None:
    """Keep the declared language unless the text clearly says another one the guesser knows.

    Templates often declare their default language on every page (lang="en" on a
    German article); a confident guess from the text wins over that, but only when
    the declared language is one the guesser could have recognised.
    """
    declared = doc.meta.get("language")
    if declared and declared not in GUESSABLE_LANGUAGES:
        return
    detected = detect_language("\n".join(line.text for line in doc.lines if line.kept))
    if detected:
        doc.meta["language"] = detected
