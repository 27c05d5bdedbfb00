"""The cleaning pipeline: Capture -> Document -> Article, one small step at a time."""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import numpy as np

from .document import HTML, Article, Capture, Document
from .errors import CaptureTypeError
from .extract.page_type import ARTICLE, MIN_TYPED_LINES, classify_lines
from .frontmatter import split_front_matter
from .heuristics import drop_boilerplate, drop_boilerplate_again, lift_metadata
from .siterules import stats
from .siterules.apply_text import apply_site_rules
from .siterules.model import RuleSet
from .siterules.rulebook import RuleBook, default_rulebook
from .sources.files import DEFAULT_MAX_BYTES, content_capture
from .text.language import detect_language
from .text.lines import repaired, split_lines
from .text.safety import has_mojibake_sign, repair_mojibake, safe_value, without_surrogates
from .text.titles import headline
from .text.values import (
    REFUSALS,
    carried_meta,
    check_page_meta,
    quoted,
    site_name,
    text_value,
    web_url,
)
from .version import __version__

if TYPE_CHECKING:
    from .extract.profiles import Reader

Step = Callable[[Document], None]
TEXT_STEPS: tuple[Step, ...] = (apply_site_rules, lift_metadata, drop_boilerplate)

# Heuristics judge a line by its neighbours, so dropping lines can change the verdict
# on others; re-running them on what is kept until nothing changes makes cleaning a
# fixpoint (cleaning a clean article changes nothing). Two extra passes suffice in practice.
MAX_SETTLE_PASSES = 3
# Front matter keys, in the order they are written; url and fetched_at only when known,
# the others always (null when unknown), so every article has the same shape.
OPTIONAL_META = ("url", "fetched_at")
META_ORDER = (
    "title", "published", "authors", "site", "url", "language", "page_type", "source",
    "fetched_at", "sha256", "word_count", "rules", "cleaner",
)
# The two ways of reading an HTML capture: our own block extractor on lexbor
# (cleaner/extract/fast.py), or trafilatura's extract() followed by our line heuristics
# (cleaner/extract/html.py). bench/html_engines.py measures both against trafilatura.
FAST = "fast"
TRAFILATURA = "trafilatura"
HTML_ENGINES = (FAST, TRAFILATURA)
DEFAULT_HTML_ENGINE = FAST
# The guard against a rule set that destroys an article (see `guard`). A rule set's
# result shorter than GUARD_SUSPECT_WORDS words, or one whose rules dropped most of the
# capture's words (stats.MOST_WORDS_SHARE), is compared with what the generic
# heuristics alone give; when that is an article (GUARD_MIN_WORDS or more) and the rule
# set's result has less than GUARD_SHARE of its words, the generic result is kept. On
# the 54 captures of the fixtures and ../shared/sitecaptures the bundled rules claim,
# their results have 0.31 to 1.11 times the words of the generic result, median 1.00
# (0.31: a one-paragraph news-feed item, where the generic result keeps the sidebar's
# teaser and the news desk's blurb too; bench/rule_thresholds.py, 2026-11-29); a rule
# set that cut the story away leaves nothing or a scrap.
GUARD_SUSPECT_WORDS = 60
GUARD_MIN_WORDS = 40
GUARD_SHARE = 0.2
# The byte of a space, in UTF-8 as in ASCII (see `space_count`).
SPACE_BYTE = 0x20
# Front matter values cleaner makes or checks itself (see to_article): the others, taken
# as a page, a file name or a crawler gives them, are made safe (text.safety) as they go in.
CHECKED_META = frozenset({
    "published", "site", "url", "language", "sha256", "word_count", "rules", "cleaner",
})


def clean(
    content: str | bytes,
    url: str | None = None,
    *,
    source: str = "<memory>",
    rules: RuleBook | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    html_engine: str | None = None,
    **fields: Any,
) -> Article:
    """Clean one capture given as text, HTML or bytes and return its `Article`.

    `url` picks the site's rule set (else its text fingerprints do); other
    keyword fields (e.g. `fetched_at`) are recorded as the sidecar's would be.
    Raises CaptureError (a TypeError too when `content` is neither text nor bytes) for
    content that cannot be cleaned: not text, or over `max_bytes` (None: no limit).
    `html_engine` reads HTML: "fast" or "trafilatura" (None: DEFAULT_HTML_ENGINE).

    >>> article = clean("Title\\n\\nA sentence long enough to be kept as an article body.")
    """
    fetched_at = fields.pop("fetched_at", None)
    for name, value in (("url", url), ("fetched_at", fetched_at)):
        if value is not None and not isinstance(value, str):
            raise CaptureTypeError(source, f"{name} must be text, not {type(value).__name__}")
    capture = content_capture(
        content, source, url=url, fetched_at=fetched_at, extra=fields, max_bytes=max_bytes
    )
    return clean_capture(capture, rules, html_engine)


def clean_capture(
    capture: Capture, rules: RuleBook | None = None, html_engine: str | None = None
) -> Article:
    """Run every step on one capture; the same code path for the CLI and the library.
    `html_engine` reads HTML: "fast" or "trafilatura" (None: DEFAULT_HTML_ENGINE)."""
    rulebook = rules if rules is not None else default_rulebook()
    warnings: list[str] = []
    capture = checked_capture(capture, warnings)
    front, _ = split_front_matter(capture.text)
    url = capture.url or web_url((front or {}).get("url"))
    ruleset = rulebook.select(url, capture.text, warnings, html=capture.kind == HTML)
    return clean_with(capture, ruleset, warnings, html_engine)


def clean_with(capture: Capture, ruleset: RuleSet | None, warnings: list[str] | None = None,
               html_engine: str | None = None) -> Article:
    """Clean one capture with the rule set given (None: the generic heuristics alone),
    guarded against a rule set that leaves no article (see `guard`)."""
    article = clean_document(capture, ruleset, warnings, html_engine)
    return article if ruleset is None else guard(capture, ruleset, article, html_engine)


def clean_document(capture: Capture, ruleset: RuleSet | None,
                   warnings: list[str] | None = None, html_engine: str | None = None) -> Article:
    """Every step on one capture (checked: see `checked_capture`) with the rule set
    given, unguarded; `warnings` are what was said of the capture before."""
    said = list(warnings or ())
    front, body = split_front_matter(capture.text)
    carried = carried_meta(front, said) if front is not None else None
    # mojibake: text lines are repaired before they are judged, HTML before it is parsed
    # (see checked_capture), and both to a fixed point (see repair_mojibake_lines)
    mojibake = has_mojibake_sign(capture.text)
    if mojibake and capture.kind != HTML:
        body = repair_mojibake(body)
    doc = to_document(capture, ruleset, carried, body, html_engine)
    doc.warnings[:0] = said
    if mojibake:
        repair_mojibake_lines(doc)
    # An article file's front matter is its metadata: nothing is lifted from its body.
    steps = (apply_site_rules, drop_boilerplate) if front is not None else TEXT_STEPS
    for step in steps:
        step(doc)
    settle(doc, (drop_boilerplate_again,))
    if "page_type" not in doc.meta and doc.lines:
        doc.meta["page_type"] = text_page_type(doc)
    return to_article(doc)


def text_page_type(doc: Document) -> str:
    """The page type of a text capture, once its lines are judged: typing reads the
    LineFacts the heuristics measured (word counts, sentences, noise reasons), so it
    costs little more than its trees."""
    if len(doc.lines) < MIN_TYPED_LINES:
        return ARTICLE  # what classify_lines says of so short a capture, unasked
    return classify_lines(doc.lines, doc.capture.url).name


def guard(capture: Capture, ruleset: RuleSet, ruled: Article, html_engine: str | None = None
          ) -> Article:
    """The rule set's article, or the generic heuristics' when the rules left (almost)
    nothing of an article the heuristics find: a rule set must never silently destroy one.

    Only a suspicious result (few words, or most words dropped by rules) is compared,
    so the generic cleaning runs again for few captures.
    """
    report = ruled.rule_report
    words = word_count(ruled.body)
    if words >= GUARD_SUSPECT_WORDS and (report is None or "most_words_removed" not in report.flags):
        return ruled
    generic = clean_document(capture, None, html_engine=html_engine)
    generic_words = word_count(generic.body)
    if generic_words < GUARD_MIN_WORDS or words >= GUARD_SHARE * generic_words:
        return ruled
    what = "the whole article" if not words else f"most of the article ({words} of {generic_words} words left)"
    warning = f"rules:{ruleset.id} cut {what}; generic result kept"
    meta = dict(generic.meta)
    meta["site"] = ruleset.site or meta.get("site")
    flagged = stats.with_flag(report, "generic_kept") if report is not None else None
    return Article(body=generic.body, meta=meta, decisions=generic.decisions, source=generic.source,
                   warnings=(*ruled.warnings, warning), rule_report=flagged)


def word_count(body: str) -> int:
    """Words of a body (single spaces between words, blank lines between paragraphs)."""
    return len(body.split())


def checked_capture(capture: Capture, warnings: list[str]) -> Capture:
    """The capture with its URL kept only when it is an http(s) one, and, for HTML, its
    mojibake repaired and surrogates replaced before lxml parses it whole (its metadata
    is read from the tree; a text capture's lines are made safe one by one, see
    `lines.normalise`, and its body is repaired once its front matter is read)."""
    text = capture.text
    if capture.kind == HTML:
        text = without_surrogates(repair_mojibake(text))
    url = web_url(capture.url)
    if capture.url is not None and url is None:
        warnings.append(f"url not kept: {quoted(capture.url)} {REFUSALS['url']}")
    if text is capture.text and url == capture.url:
        return capture
    return capture.but(text, url)


def to_document(
    capture: Capture, ruleset: Any, carried: dict[str, Any] | None, body: str,
    html_engine: str | None = None,
) -> Document:
    """The working Document of a capture: its lines, and metadata the capture states.

    `carried` is the checked front matter of a capture that is itself an article file (so
    that cleaning a clean article keeps its title and date), `body` the text after it:
    an article's body is text, whatever markup it quotes (a page never opens with front
    matter).
    """
    if capture.kind == HTML and carried is None:
        from .extract.profiles import typed_html_document  # HTML support loads on demand

        return typed_html_document(capture, ruleset, html_reader(html_engine))
    meta: dict[str, Any] = dict(carried or {})
    if capture.url:
        meta["url"] = capture.url
    return Document(
        capture=capture, lines=split_lines(body, keep_spacing=True), meta=meta,
        ruleset=ruleset, extracted=carried is not None,
    )


def html_reader(engine: str | None = None) -> Reader:
    """The function that reads an HTML capture with `engine` (None: DEFAULT_HTML_ENGINE),
    called with the capture, its rule set, and the page and lexbor tree when page typing
    has read them already (see `extract.profiles.Reader`); ValueError names the engines
    when `engine` is none of them."""
    engine = engine or DEFAULT_HTML_ENGINE
    # each engine pulls in its parser and extractor: loaded when first asked for
    if engine == FAST:
        from .extract.fast import fast_document

        return fast_document
    if engine == TRAFILATURA:
        from .extract.html import html_document

        def trafilatura_document(capture: Capture, ruleset: Any, page: Any, tree: Any,
                                 posts: bool = False) -> Document:
            # lxml parses the page its own way; trafilatura reads a thread as an article
            return html_document(capture, ruleset)

        return trafilatura_document
    raise ValueError(f"unknown HTML engine {engine!r}: expected one of {', '.join(HTML_ENGINES)}")


def settle(doc: Document, steps: Iterable[Step]) -> None:
    """Re-run `steps` on the kept lines alone until they drop nothing more."""
    steps = tuple(steps)
    for _ in range(MAX_SETTLE_PASSES):
        kept = doc.kept()
        view = Document(
            doc.capture, [doc.lines[i] for i in kept], doc.meta, doc.ruleset, doc.extracted,
            rule_hits=doc.rule_hits, flags=doc.flags, warnings=doc.warnings,
            item_reasons=doc.item_reasons,
        )
        for step in steps:
            step(view)
        if len(view.kept()) == len(kept):
            return


def to_article(doc: Document) -> Article:
    """Freeze a Document into an Article: body from kept lines, complete front matter."""
    kept = [line for line in doc.lines if line.reason is None]
    paragraphs = [line.text if line.shown is None else line.shown for line in kept]
    body = "\n\n".join(paragraphs)
    meta = dict(doc.meta)
    meta["title"] = text_value(meta.get("title"))  # None when no text is left of it
    meta.setdefault("authors", [])
    # Sites are named by host (the rule set's, else the URL's) so that output folders
    # agree whatever the capture kind; a page's own name for itself is the fallback.
    check_page_meta(meta, doc.warnings)
    site_name = meta.pop("site_name", None)
    meta["site"] = (
        (doc.ruleset and doc.ruleset.site) or site_of(meta.get("url")) or site_name
        or meta.get("site")
    )
    if meta["title"] and doc.capture.kind == HTML:
        # a page's <title> names its site too ("Headline | Site"): the story's is the headline
        meta["title"] = headline(meta["title"], (site_name, meta["site"], site_of(doc.capture.url)))
    meta["language"] = meta.get("language") or detect_language(body)
    meta["source"] = doc.capture.source
    if doc.capture.fetched_at and "fetched_at" not in meta:
        meta["fetched_at"] = doc.capture.fetched_at
    encoded = body.encode("utf-8")
    meta["sha256"] = body_hash(encoded)
    # = len("\n".join(texts).split()): a line's text has single spaces between words and
    # none at its ends (lines.normalise), so its words are its spaces and one. The body
    # holds the very spaces of the texts, but for a line shown with runs of spaces (few
    # captures have one), which is counted by its text.
    respaced = [line.text.count(" ") - line.shown.count(" ") for line in kept if line.shown is not None]
    meta["word_count"] = space_count(encoded) + sum(respaced) + len(kept)
    meta["rules"] = doc.ruleset.label if doc.ruleset else "generic"
    meta["cleaner"] = __version__
    ordered = {
        key: meta.get(key) for key in META_ORDER
        if key not in OPTIONAL_META or meta.get(key) is not None
    }
    ordered.update({k: v for k, v in meta.items() if k not in ordered and v is not None})
    for key in ordered.keys() - CHECKED_META:  # values taken as given: made safe here
        ordered[key] = safe_value(ordered[key])
    report = stats.report(doc.ruleset, doc) if doc.ruleset is not None else None
    if doc.capture.kind == HTML:  # (only the fast HTML engine gives lines a block)
        for line in doc.lines:
            line.block = None  # the HTML block served the decision; it is not part of the article
    return Article(
        body=body, meta=ordered, decisions=tuple(doc.lines),
        source=doc.capture.source, warnings=tuple(dict.fromkeys(doc.warnings)),
        rule_report=report,
    )


def repair_mojibake_lines(doc: Document) -> None:
    """Repair the mojibake of every line and of the title before they are judged, to a
    fixed point (see `lines.repaired`), so that cleaning an article again finds nothing
    more to repair, nor to decide otherwise. Only captures that show a sign of mojibake
    get here: the others pay one search of their text."""
    for line in doc.lines:
        if has_mojibake_sign(line.text):
            line.text = repaired(line.text) or line.text
            line.shown = None  # the repaired text is what the article shows
    title = doc.meta.get("title")
    if isinstance(title, str) and has_mojibake_sign(title):
        doc.meta["title"] = repaired(title) or title


def body_hash(encoded: str | bytes) -> str:
    """SHA-256 of the canonical body (text, or its UTF-8 bytes): what exact duplicates share."""
    data = encoded.encode("utf-8") if isinstance(encoded, str) else encoded
    return hashlib.sha256(data).hexdigest()


def space_count(encoded: bytes) -> int:
    """encoded.count(b" ") of UTF-8 bytes: the spaces of the text they encode (0x20 is
    U+0020 alone there: every byte of a longer sequence is 0x80 or more). Counted by
    NumPy: str.count and bytes.count take a branch per character, whose outcome the
    processor cannot foresee (a sixth of a body's characters are spaces): 15 us a body
    against 2.4 (the dev set's text bodies, ~5,900 characters, 2026-11-30)."""
    return int(np.count_nonzero(np.frombuffer(encoded, dtype=np.uint8) == SPACE_BYTE))


def site_of(url: str | None) -> str | None:
    """The host of `url` without a leading 'www.', or None."""
    if not url:
        return None
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:  # not a URL after all (an unclosed IPv6 bracket)
        return None
    return site_name(host.removeprefix("www."))
