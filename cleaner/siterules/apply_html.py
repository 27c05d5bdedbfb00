"""A rule set's `html:` part applied to a parsed page: the one place its meaning lives.

What each key does (model.py gives the schema):

- `strip`: every element any rule selects is removed, with its content, before the
  article is extracted (text after it stays);
- `body`: the rules are tried in order; the elements of the first that selects any
  are where the article is (the extractor then works on them alone);
- `title`, `published`, `authors`: tried in order; a rule yields the text of each
  element it selects (or its `attribute`), whitespace collapsed, empty ones left out.
  The first rule that yields something wins: its first text is the title, its texts
  are the authors (each once), its first text that reads as a date is `published`.

Metadata is read from the whole page before anything is stripped (an author box a
rule strips may still name the author).

These functions work on any engine that can select, read and remove elements: the
`HtmlEngine` protocol. `LxmlEngine` is the lxml one (CSS through cssselect, which
compiles to XPath, and XPath itself); an engine for another parser implements the four
methods (an engine that only runs CSS can tell XPath selectors by `Selector.kind`).
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Any, Protocol

from lxml import etree
from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement

from ..text.dates import normalise_date
from ..text.lines import normalise
from .model import XPATH, HtmlRule, HtmlRules, Selector


class HtmlEngine(Protocol):
    """What applying `html:` rules needs from a parsed page."""

    def select(self, selector: Selector) -> list[Any]:
        """Elements matching `selector`, in document order (no text or attribute results)."""

    def text(self, node: Any) -> str:
        """All the text inside `node`."""

    def attribute(self, node: Any, name: str) -> str | None:
        """The value of attribute `name` of `node`, or None."""

    def remove(self, node: Any) -> bool:
        """Remove `node` and its content, keeping the text after it; False if already gone."""


def strip(engine: HtmlEngine, rules: HtmlRules) -> Counter[str]:
    """Remove what the `strip` rules select; how many elements each removed, by label."""
    removed: Counter[str] = Counter()
    for rule in rules.strip:
        for node in engine.select(rule.selector):
            if engine.remove(node):
                removed[rule.label] += 1
    return removed


def body(engine: HtmlEngine, rules: HtmlRules) -> tuple[HtmlRule | None, list[Any]]:
    """The first `body` rule that selects anything, and its elements; (None, []) if none does."""
    for rule in rules.body:
        found = engine.select(rule.selector)
        if found:
            return rule, found
    return None, []


def values(engine: HtmlEngine, rule: HtmlRule) -> list[str]:
    """The texts (or attribute values) of the elements a metadata rule selects."""
    found = []
    for node in engine.select(rule.selector):
        raw = engine.attribute(node, rule.attribute) if rule.attribute else engine.text(node)
        text = normalise(raw or "")
        if text:
            found.append(text)
    return found


def metadata(engine: HtmlEngine, rules: HtmlRules) -> tuple[dict[str, Any], Counter[str]]:
    """(title, published and authors the rules find, how often each rule yielded).

    A field whose rules find nothing is left out, for the generic sources to fill.
    """
    meta: dict[str, Any] = {}
    hits: Counter[str] = Counter()
    for rule in rules.title:
        if found := values(engine, rule):
            meta["title"] = found[0]
            hits[rule.label] += 1
            break
    for rule in rules.authors:
        if found := values(engine, rule):
            meta["authors"] = list(dict.fromkeys(found))
            hits[rule.label] += 1
            break
    for rule in rules.published:
        date = next((d for text in values(engine, rule) if (d := normalise_date(text))), None)
        if date:
            meta["published"] = date
            hits[rule.label] += 1
            break
    return meta, hits


@lru_cache(maxsize=1024)
def compile_selector(selector: Selector) -> etree.XPath:
    """The compiled XPath of a CSS or XPath selector (compiled once per process); raises
    cssselect's SelectorError or lxml's XPathError when it is not valid."""
    if selector.kind == XPATH:
        return etree.XPath(selector.text)
    return CSSSelector(selector.text)


class LxmlEngine:
    """`HtmlEngine` on an lxml tree."""

    __slots__ = ("tree",)

    def __init__(self, tree: HtmlElement) -> None:
        self.tree = tree

    def select(self, selector: Selector) -> list[HtmlElement]:
        return [node for node in compile_selector(selector)(self.tree)
                if isinstance(node, etree._Element)]

    def text(self, node: HtmlElement) -> str:
        return " ".join(node.itertext())

    def attribute(self, node: HtmlElement, name: str) -> str | None:
        return node.get(name)

    def remove(self, node: HtmlElement) -> bool:
        if node.getparent() is None:
            return False
        node.drop_tree()
        return True
