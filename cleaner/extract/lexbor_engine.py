"""`HtmlEngine` on a lexbor tree: a rule set's `html:` rules on the fast engine's page.

CSS selectors run in lexbor itself. An XPath selector (`Selector.kind`) needs lxml: the
page as it stands is serialised, parsed by lxml, the elements the XPath selects are
marked with an attribute, and the marked page is parsed by lexbor again (`tree` is then
a new tree), where a CSS selector for the mark finds them. That costs two parses, and
only for the pages of rule sets that write XPath.
"""
from __future__ import annotations

from itertools import count
from typing import Final

from lxml import etree
from lxml.html import tostring
from selectolax.lexbor import LexborHTMLParser, LexborNode
from trafilatura.utils import load_html

from ..siterules.apply_html import compile_selector
from ..siterules.model import XPATH, Selector
from .blocks import parse_html

# The attribute that carries an XPath selector's matches over to the lexbor tree.
MARK: Final = "data-cleaner-xpath"


class LexborEngine:
    """`HtmlEngine` (see `cleaner.siterules.apply_html`) on a lexbor tree."""

    __slots__ = ("marks", "tree")

    def __init__(self, tree: LexborHTMLParser) -> None:
        self.tree = tree
        self.marks = count()

    def select(self, selector: Selector) -> list[LexborNode]:
        if selector.kind == XPATH:
            return self.select_xpath(selector)
        return self.tree.css(selector.text)

    def select_xpath(self, selector: Selector) -> list[LexborNode]:
        """The elements an XPath selector finds, in a lexbor tree made anew (see above)."""
        page = load_html(self.tree.html or "")
        if page is None:
            return []
        mark = f"x{next(self.marks)}"
        found = False
        for node in compile_selector(selector)(page):
            if isinstance(node, etree._Element):
                node.set(MARK, f"{node.get(MARK, '')} {mark}".strip())
                found = True
        if not found:
            return []
        tree = parse_html(tostring(page, encoding="unicode"))
        if tree is None:
            return []
        self.tree = tree
        return tree.css(f'[{MARK}~="{mark}"]')

    def text(self, node: LexborNode) -> str:
        return node.text(deep=True, separator=" ")

    def attribute(self, node: LexborNode, name: str) -> str | None:
        return node.attributes.get(name)

    def remove(self, node: LexborNode) -> bool:
        # lexbor unlinks every node of a removed subtree: one inside a subtree removed
        # before has no parent left
        if node.parent is None:
            return False
        node.decompose()
        return True
