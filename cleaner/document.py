"""The three objects that flow through cleaning: Capture -> Document -> Article."""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, NamedTuple

from mypy_extensions import mypyc_attr

TEXT: Final = "text"
HTML: Final = "html"
# What kind of page a capture is (`Article.page_type`; decided by extract/page_type.py),
# here beside the other words of the flow so that checks low in the package can name them.
PAGE_TYPES: Final = (
    "article", "forum", "product", "collection", "listing", "documentation", "service",
)


@dataclass(frozen=True, slots=True)
class Capture:
    """One raw capture as read: decoded text plus what is known about it."""

    text: str
    source: str = "<memory>"
    kind: str = TEXT
    url: str | None = None
    fetched_at: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __reduce__(self) -> tuple[Any, ...]:
        # Captures cross to worker processes. Compiled by mypyc, a frozen dataclass
        # unpickles by setattr, which its frozen __setattr__ refuses: rebuild it instead.
        return (Capture, (self.text, self.source, self.kind, self.url, self.fetched_at, self.extra))

    def but(self, text: str, url: str | None) -> Capture:
        """This capture with another text and URL (checked or repaired ones)."""
        return Capture(text, self.source, self.kind, url, self.fetched_at, self.extra)


# acyclic: a LineFacts holds a number, a flag and a string, so it can be part of no
# reference cycle, and the garbage collector need not track it. The line caches hold
# tens of thousands (heuristics.noise.text_facts), which every full collection walked.
@mypyc_attr(acyclic=True)
class LineFacts:
    """What the heuristics measure of a line's text, which never changes: its word count,
    whether it ends as a sentence, and its line-local noise reason (None: it may be
    article text). Measured once per text (heuristics.noise.text_facts) and read by every
    heuristic pass: a compiled class, whose fields are read without unboxing a tuple."""

    __slots__ = ("reason", "sentence", "words")

    def __init__(self, words: int, sentence: bool, reason: str | None) -> None:
        self.words = words
        self.sentence = sentence
        self.reason = reason


# init=False: the __init__ below is compiled by mypyc, where the one dataclasses writes
# runs as plain Python (a capture makes a Line for each of its ~180 lines).
@dataclass(slots=True, init=False)
class Line:
    """One line of a capture and the decision taken on it (reason None = kept)."""

    text: str
    reason: str | None = None
    # Blank lines around a line in the capture: browsers put them around paragraphs.
    blank_before: bool = False
    blank_after: bool = False
    # The LineFacts of `text`, measured on first use (heuristics.noise.line_facts). Not
    # part of the decision: neither compared nor shown.
    facts: LineFacts | None = field(default=None, compare=False, repr=False)
    # The HTML block the line comes from (cleaner.extract.blocks.Block), when the fast HTML
    # engine made it: its DOM features, for steps that want them. None for text captures.
    block: Any = field(default=None, compare=False, repr=False)
    # The line as the text capture wrote it, where that differs from `text` by runs of
    # spaces between its words: what the article shows (the capture's own spacing), while
    # every decision reads `text`. None: the article shows `text`.
    shown: str | None = field(default=None, compare=False, repr=False)

    def __init__(
        self,
        text: str,
        reason: str | None = None,
        blank_before: bool = False,
        blank_after: bool = False,
        facts: LineFacts | None = None,
        block: Any = None,
        shown: str | None = None,
    ) -> None:
        self.text = text
        self.reason = reason
        self.blank_before = blank_before
        self.blank_after = blank_after
        self.facts = facts
        self.block = block
        self.shown = shown

    def __reduce__(self) -> tuple[Any, ...]:
        # Lines cross to and from worker processes: a compiled class is rebuilt through its
        # __init__ (as Capture is). The facts are measured again if needed.
        return (Line, (self.text, self.reason, self.blank_before, self.blank_after, None,
                       self.block, self.shown))

    @property
    def kept(self) -> bool:
        return self.reason is None


@dataclass(slots=True)
class Document:
    """The working copy steps read and mark: lines with decisions, and metadata found so far."""

    capture: Capture
    lines: list[Line]
    meta: dict[str, Any] = field(default_factory=dict)
    ruleset: Any = None
    # True when the lines are already an article's content (extracted from HTML, or the
    # body of an article file): the search for the article's main run is skipped.
    extracted: bool = False
    # What the site rules did (rule name -> lines or elements matched) and what looked
    # wrong (snake_case flags, see siterules/stats.py): the run's drift statistics.
    rule_hits: dict[str, int] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    # Problems worth a line in the manifest and `explain`: what was refused or repaired
    # on the way (a url that is not http(s), a date that is not one...), a rule set's
    # result replaced, a rule pattern over its time budget. The article is still written.
    warnings: list[str] = field(default_factory=list)
    # Line-noise reasons (`heuristics.noise`) that a line of this page is not dropped for:
    # on a list's page, a line of a price, a rank or a reading time is part of an item
    # (see extract.profiles.ITEM_LINE_REASONS).
    item_reasons: frozenset[str] = frozenset()

    def drop(self, index: int, reason: str) -> None:
        """Drop line `index` for `reason`; the first reason given to a line wins."""
        line = self.lines[index]
        if line.reason is None:
            line.reason = reason

    def kept(self) -> list[int]:
        """Indexes of the lines still kept."""
        return [i for i, line in enumerate(self.lines) if line.reason is None]


class RuleReport(NamedTuple):
    """What the site rule set that claimed a capture did to it: for the run's statistics.

    A plain tuple, so that it crosses process boundaries as it is.
    """

    ruleset: str  # its id
    rules: tuple[str, ...]  # the names of all its rules, so that silent ones count as 0
    hits: tuple[tuple[str, int], ...]  # (rule name, lines or elements it matched)
    flags: tuple[str, ...]  # what looked wrong (siterules/stats.py names them)


@dataclass(frozen=True, slots=True)
class Article:
    """What is written: the clean body, its metadata, and every line's decision."""

    body: str
    meta: Mapping[str, Any]
    decisions: tuple[Line, ...]
    source: str = "<memory>"
    # What was refused or repaired while cleaning, and what the rules did (see Document).
    warnings: tuple[str, ...] = ()
    rule_report: RuleReport | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt by its constructor when unpickled, as Capture is (see there).
        return (Article, (self.body, self.meta, self.decisions, self.source, self.warnings,
                          self.rule_report))

    @property
    def paragraphs(self) -> list[str]:
        return self.body.split("\n\n") if self.body else []

    @property
    def is_empty(self) -> bool:
        return not self.body

    @property
    def page_type(self) -> str | None:
        """What kind of page the capture was (article, forum, product, collection,
        listing, documentation, service; see cleaner.extract.page_type), None if unknown."""
        kind = self.meta.get("page_type")
        return kind if isinstance(kind, str) else None

    def drop_counts(self) -> Counter[str]:
        """How many lines were dropped for each reason."""
        return Counter([line.reason for line in self.decisions if line.reason])
