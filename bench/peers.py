"""The systems bench/compare.py runs: cleaner and its peers, each a function from a
capture to the article text it keeps.

A peer whose library is not installed is left out with a note (`pip install '.[bench]'`
brings them all), never an error.
"""
from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

from cleaner.document import Capture
from cleaner.pipeline import DEFAULT_HTML_ENGINE, HTML_ENGINES, clean_capture

HTML_INPUT = "html"
TEXT_INPUT = "text"
# jusText needs one stoplist; English on every page, as in the dev set's reference table.
# The set is mostly German and multilingual, so on HTML jusText also runs with the union
# of all its stoplists (what trafilatura's own jusText fallback uses).
JUSTEXT_LANGUAGE = "English"
# Elements that start a new line when readability's summary (HTML) is turned into text,
# so that words of adjacent blocks are not glued together.
BLOCK_TAGS = (
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td",
    "th", "blockquote", "pre", "section", "article", "header", "footer", "figure", "table",
)


@dataclass(frozen=True)
class System:
    """One extractor: its name, the input kind it reads, and its call."""

    name: str
    input: str
    extract: Callable[[Capture], str]
    # False for the "no cleaning" baseline: there is nothing to time or measure.
    timed: bool = True


def lines_as_html(text: str) -> str:
    """A text capture as an HTML page: each non-blank line one <p>."""
    paragraphs = "".join(f"<p>{html.escape(line)}</p>\n" for line in text.splitlines() if line.strip())
    return f"<html><body>\n{paragraphs}</body></html>"


def cleaner_systems(kind: str) -> list[System]:
    """cleaner as it runs by default; on HTML, each engine (the default one first)."""
    if kind == TEXT_INPUT:
        return [System(f"cleaner {kind}", kind, lambda capture: clean_capture(capture).body)]
    engines = [DEFAULT_HTML_ENGINE] + [e for e in HTML_ENGINES if e != DEFAULT_HTML_ENGINE]
    return [
        System(f"cleaner {kind} ({engine})", kind,
               lambda capture, engine=engine: clean_capture(capture, html_engine=engine).body)
        for engine in engines
    ]


def no_cleaning() -> System:
    return System("no cleaning", TEXT_INPUT, lambda capture: capture.text, timed=False)


def trafilatura_systems(kind: str) -> list[System]:
    import trafilatura

    if kind == TEXT_INPUT:
        return [System("trafilatura, lines as <p>", kind,
                       lambda c: trafilatura.extract(lines_as_html(c.text)) or "")]
    return [
        System("trafilatura extract()", kind, lambda c: trafilatura.extract(c.text) or ""),
        System("trafilatura favor_precision", kind,
               lambda c: trafilatura.extract(c.text, favor_precision=True) or ""),
    ]


def justext_systems(kind: str) -> list[System]:
    import justext

    english = justext.get_stoplist(JUSTEXT_LANGUAGE)

    def kept(page: str, stoplist: frozenset[str]) -> str:
        paragraphs = justext.justext(page, stoplist)
        return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)

    if kind == TEXT_INPUT:
        return [System("jusText (English), lines as <p>", kind,
                       lambda c: kept(lines_as_html(c.text), english))]
    every = frozenset().union(*map(justext.get_stoplist, justext.get_stoplists()))
    return [System("jusText (English)", kind, lambda c: kept(c.text, english)),
            System("jusText (all stoplists)", kind, lambda c: kept(c.text, every))]


def readability_systems(kind: str) -> list[System]:
    import lxml.html
    from readability import Document

    def summary_text(page: str) -> str:
        tree = lxml.html.fromstring(Document(page).summary())
        for element in tree.iter(*BLOCK_TAGS):
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
        return tree.text_content()

    return [System("readability-lxml", kind, lambda c: summary_text(c.text))] if kind == HTML_INPUT else []


def resiliparse_systems(kind: str) -> list[System]:
    from resiliparse.extract.html2text import extract_plain_text

    if kind != HTML_INPUT:
        return []
    return [System("resiliparse main_content", kind,
                   lambda c: extract_plain_text(c.text, main_content=True))]


# (package to install, factory of its systems for an input kind), in table order.
PEERS: tuple[tuple[str, Callable[[str], list[System]]], ...] = (
    ("trafilatura", trafilatura_systems),
    ("justext", justext_systems),
    ("readability-lxml", readability_systems),
    ("resiliparse", resiliparse_systems),
)


def systems_for(kind: str) -> tuple[list[System], list[str]]:
    """The systems that read `kind` captures, and a note per peer left out."""
    systems = cleaner_systems(kind) + ([no_cleaning()] if kind == TEXT_INPUT else [])
    skipped = []
    for package, factory in PEERS:
        try:
            systems.extend(factory(kind))
        except ImportError as err:
            skipped.append(f"{package} ({kind}): not installed ({err}); pip install {package}")
    return systems, skipped
