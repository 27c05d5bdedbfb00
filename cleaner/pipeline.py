"""The cleaning pipeline: Capture -> Document -> Article, one small step at a time."""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from .document import HTML, Article, Capture, Document
from .frontmatter import split_front_matter
from .heuristics import drop_boilerplate, lift_metadata
from .siterules import stats
from .siterules.apply_text import apply_site_rules
from .siterules.model import RuleSet
from .siterules.rulebook import RuleBook, default_rulebook
from .sources.files import content_capture
from .text.language import detect_language
from .text.lines import split_lines
from .version import __version__

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
    "title", "published", "authors", "site", "url", "language", "source",
    "fetched_at", "sha256", "word_count", "rules", "cleaner",
)
# Front matter keys of an input article file that carry over as known metadata.
CARRIED_META = ("title", "published", "authors", "site", "url", "language", "fetched_at")
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


def clean(
    content: str | bytes,
    url: str | None = None,
    *,
    source: str = "<memory>",
    rules: RuleBook | None = None,
    **fields: Any,
) -> Article:
    """Clean one capture given as text, HTML or bytes and return its `Article`.

    `url` picks the site's rule set (else its text fingerprints do); other
    keyword fields (e.g. `fetched_at`) are recorded as the sidecar's would be.

    >>> article = clean("Title\\n\\nA sentence long enough to be kept as an article body.")
    """
    fetched_at = fields.pop("fetched_at", None)
    capture = content_capture(content, source, url=url, fetched_at=fetched_at, extra=fields)
    return clean_capture(capture, rules)


def clean_capture(capture: Capture, rules: RuleBook | None = None) -> Article:
    """Run every step on one capture; the same code path for the CLI and the library."""
    rulebook = rules if rules is not None else default_rulebook()
    front, _ = split_front_matter(capture.text)
    url = capture.url or (front or {}).get("url")
    warnings: list[str] = []
    ruleset = rulebook.select(url, capture.text, warnings)
    return clean_with(capture, ruleset, warnings)


def clean_with(capture: Capture, ruleset: RuleSet | None, warnings: list[str] | None = None
               ) -> Article:
    """Clean one capture with the rule set given (None: the generic heuristics alone),
    guarded against a rule set that leaves no article (see `guard`)."""
    article = clean_document(capture, ruleset, warnings)
    return article if ruleset is None else guard(capture, ruleset, article)


def clean_document(capture: Capture, ruleset: RuleSet | None,
                   warnings: list[str] | None = None) -> Article:
    """Every step on one capture with the rule set given, unguarded."""
    front, body = split_front_matter(capture.text)
    doc = to_document(capture, ruleset, front, body)
    if warnings:
        doc.warnings.extend(warnings)
    # An article file's front matter is its metadata: nothing is lifted from its body.
    steps = (apply_site_rules, drop_boilerplate) if front is not None else TEXT_STEPS
    for step in steps:
        step(doc)
    settle(doc, (drop_boilerplate,))
    return to_article(doc)


def guard(capture: Capture, ruleset: RuleSet, ruled: Article) -> Article:
    """The rule set's article, or the generic heuristics' when the rules left (almost)
    nothing of an article the heuristics find: a rule set must never silently destroy one.

    Only a suspicious result (few words, or most words dropped by rules) is compared,
    so the generic cleaning runs again for few captures.
    """
    report = ruled.rule_report
    words = word_count(ruled.body)
    if words >= GUARD_SUSPECT_WORDS and (report is None or "most_words_removed" not in report.flags):
        return ruled
    generic = clean_document(capture, None)
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


def to_document(
    capture: Capture, ruleset: Any, front: dict[str, Any] | None, body: str
) -> Document:
    """The working Document of a capture: its lines, and metadata the capture states.

    `front` is the front matter of a capture that is itself an article file (so that
    cleaning a clean article keeps its title and date), `body` the text after it.
    """
    if capture.kind == HTML:
        from .extract.html import html_document  # HTML support pulls in trafilatura; load on demand

        return html_document(capture, ruleset)
    meta: dict[str, Any] = {}
    if front is not None:
        meta.update({k: front[k] for k in CARRIED_META if front.get(k) not in (None, "", [])})
    if capture.url:
        meta["url"] = capture.url
    return Document(
        capture=capture, lines=split_lines(body), meta=meta, ruleset=ruleset,
        extracted=front is not None,
    )


def settle(doc: Document, steps: Iterable[Step]) -> None:
    """Re-run `steps` on the kept lines alone until they drop nothing more."""
    steps = tuple(steps)
    for _ in range(MAX_SETTLE_PASSES):
        kept = doc.kept()
        view = Document(
            doc.capture, [doc.lines[i] for i in kept], doc.meta, doc.ruleset, doc.extracted
        )
        for step in steps:
            step(view)
        if len(view.kept()) == len(kept):
            return


def to_article(doc: Document) -> Article:
    """Freeze a Document into an Article: body from kept lines, complete front matter."""
    paragraphs = [line.text for line in doc.lines if line.reason is None]
    body = "\n\n".join(paragraphs)
    meta = dict(doc.meta)
    meta.setdefault("authors", [])
    # Sites are named by host (the rule set's, else the URL's) so that output folders
    # agree whatever the capture kind; a page's own name for itself is the fallback.
    site_name = meta.pop("site_name", None)
    meta["site"] = (
        (doc.ruleset and doc.ruleset.site) or site_of(meta.get("url")) or site_name
        or meta.get("site")
    )
    meta["language"] = meta.get("language") or detect_language(body)
    meta["source"] = doc.capture.source
    if doc.capture.fetched_at and "fetched_at" not in meta:
        meta["fetched_at"] = doc.capture.fetched_at
    meta["sha256"] = body_hash(body)
    # = len(body.split()): a line's text has single spaces between words and none at
    # its ends (lines.normalise), so counting spaces is enough, and far cheaper
    meta["word_count"] = body.count(" ") + len(paragraphs)
    meta["rules"] = doc.ruleset.label if doc.ruleset else "generic"
    meta["cleaner"] = __version__
    ordered = {
        key: meta.get(key) for key in META_ORDER
        if key not in OPTIONAL_META or meta.get(key) is not None
    }
    ordered.update({k: v for k, v in meta.items() if k not in ordered and v is not None})
    report = stats.report(doc.ruleset, doc) if doc.ruleset is not None else None
    return Article(body=body, meta=ordered, decisions=tuple(doc.lines), source=doc.capture.source,
                   warnings=tuple(doc.warnings), rule_report=report)


def body_hash(body: str) -> str:
    """SHA-256 of the canonical body: what exact duplicates share."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def site_of(url: str | None) -> str | None:
    """The host of `url` without a leading 'www.', or None."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None
