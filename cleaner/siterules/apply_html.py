"""A rule set's `html:` part: checking it, and applying its selectors to an lxml tree.

The part is a mapping straight from the site's YAML file:

    html:
      body: ["article .story-body", "main article"]   # tried in order, first match wins
      strip: [".related", ".author-box", "form.newsletter"]
      title: "h1.headline"
      published: ["time.published", "datetime"]      # [selector, attribute]
      authors: ".byline a"                           # every match is one author

A selector is CSS, or XPath when it starts with `/`, `./` or `(`. They are applied
with lxml (CSS through cssselect, which compiles to XPath): the page is parsed once
by lxml for trafilatura anyway, and a second BeautifulSoup tree would double the
parsing cost of every page for the few that have rules.
"""
from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from cssselect import SelectorError
from lxml import etree
from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement

from ..errors import RuleError

SELECTOR_KEYS = ("body", "strip")
FIELD_KEYS = ("title", "published", "authors")
HTML_KEYS = SELECTOR_KEYS + FIELD_KEYS
XPATH_STARTS = ("/", "./", "(")


def check_html_rules(spec: Any, path: str = "<rules>", line: int | None = None) -> dict[str, Any]:
    """Check a rule set's `html:` mapping and return it; raise RuleError naming the bad key.

    Every selector is compiled here, so a typo fails when the rules load, not mid-batch.
    `line` is where the `html:` mapping starts in the file, for the error message.
    """
    if spec is None:
        return {}
    try:
        if not isinstance(spec, Mapping):
            raise RuleError(path, "'html' must be a mapping", key="html")
        for key, value in spec.items():
            if key not in HTML_KEYS:
                raise RuleError(
                    path, f"unknown key; expected one of {', '.join(HTML_KEYS)}", key=f"html.{key}"
                )
            if key in SELECTOR_KEYS:
                if not isinstance(value, (str, list)):
                    raise RuleError(path, "expected a selector or a list of them", key=f"html.{key}")
                for selector in selector_list(value):
                    check_selector(selector, path, f"html.{key}")
            else:
                selector, _ = field_spec(value, path, f"html.{key}")
                check_selector(selector, path, f"html.{key}")
    except RuleError as err:
        if line is None:
            raise
        raise RuleError(path, err.problem, line=line, key=err.key) from None
    return dict(spec)


def selector_list(value: Any) -> list[str]:
    """A `body`/`strip` value as a list: one selector or a list of them."""
    return [value] if isinstance(value, str) else list(value or ())


def field_spec(value: Any, path: str = "<rules>", key: str = "html") -> tuple[str, str | None]:
    """(selector, attribute or None) of a metadata field: `"sel"` or `["sel", "attr"]`."""
    if isinstance(value, str):
        return value, None
    if (
        isinstance(value, (list, tuple))
        and len(value) == 2
        and all(isinstance(part, str) and part for part in value)
    ):
        return value[0], value[1]
    raise RuleError(path, "expected a selector or [selector, attribute]", key=key)


def check_selector(selector: Any, path: str, key: str) -> None:
    """Raise RuleError unless `selector` is a string that compiles as CSS or XPath."""
    if not isinstance(selector, str) or not selector.strip():
        raise RuleError(path, f"selector must be a non-empty string, not {selector!r}", key=key)
    try:
        compile_selector(selector)
    except (SelectorError, etree.XPathError) as err:
        raise RuleError(path, f"bad selector {selector!r}: {err}", key=key) from err


@lru_cache(maxsize=1024)
def compile_selector(selector: str) -> etree.XPath:
    """The compiled XPath of a CSS or XPath selector (compiled once per process)."""
    selector = selector.strip()
    if selector.startswith(XPATH_STARTS):
        return etree.XPath(selector)
    return CSSSelector(selector)


def select(tree: HtmlElement, selector: str) -> list[HtmlElement]:
    """Elements of `tree` matching `selector` (attributes or text results are skipped)."""
    return [node for node in compile_selector(selector)(tree) if isinstance(node, etree._Element)]


def strip_elements(tree: HtmlElement, selectors: list[str]) -> int:
    """Remove every element matching one of `selectors`, keeping the text after it."""
    removed = 0
    for selector in selectors:
        for node in select(tree, selector):
            if node.getparent() is not None:
                node.drop_tree()
                removed += 1
    return removed


def body_elements(tree: HtmlElement, selectors: list[str]) -> list[HtmlElement]:
    """The elements of the first `body` selector that matches anything, else []."""
    for selector in selectors:
        found = select(tree, selector)
        if found:
            return found
    return []


def field_values(tree: HtmlElement, value: Any) -> list[str]:
    """Texts (or attribute values) of the elements a metadata field's rule points at."""
    selector, attribute = field_spec(value)
    found = []
    for node in select(tree, selector):
        text = node.get(attribute) if attribute else " ".join(node.itertext())
        text = " ".join((text or "").split())
        if text:
            found.append(text)
    return found
