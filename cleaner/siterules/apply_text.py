"""Applying a site's text rules to a Document: metadata lines, dropped blocks and lines, cuts.

Every pattern is matched against one snapshot of the kept lines joined by newlines, taken
before anything is dropped, so a pattern may look at the lines around it and rules never
depend on one another's order. Lines are then dropped in a fixed order (metadata lines,
blocks, single lines, cuts), so a line keeps the most specific reason. Rules need their
noise to match, so on an already clean body they find nothing and change nothing.

Cut markers are looked for relative to the article, so that a marker standing in a
sidebar cannot cut the story away. The article's head is the headline the title rules
found (else the date line the `published` rules found), the line after it, the date
line when it follows the headline within a few lines, and the lines before the generic
heuristics' main run of prose when that starts lower. A `cut_before` marker counts
at or above the head's end, the last such one cutting, else (none there) the first one
a few lines below the headline (under a byline and a caption); a `cut_after` marker
only below the head and the cut, the first such one cutting. With neither a headline nor a date, the generic
heuristics' main run of prose stands for the article: a `cut_before` marker counts above
its end, a `cut_after` marker below its start, the first of each cutting. A rule set
that declares cuts and finds none in place says so in the Document's flags, which the
run's statistics count.
"""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from typing import Final

import regex

from ..document import Capture, Document
from ..heuristics.main_run import main_run_span
from ..text.dates import normalise_date
from ..text.lines import normalise, split_lines
from ..text.names import split_names
from .model import LineRule, MetaRule, RuleSet
from .patterns import RuleTimeout, find_all
from .rulebook import timeout_warning

# Flags a Document gets (siterules/stats.py counts them per rule set).
CUT_NOT_FOUND: Final = "{kind}_not_found"
CUT_OUT_OF_PLACE: Final = "{kind}_out_of_place"
RULE_TIMEOUT_FLAG: Final = "rule_timeout"
# Lines below the headline the date line may stand and still belong to the article's
# head (a photo caption and its credit come between on some sites: two or three lines).
HEAD_SPAN: Final = 6


class Snapshot:
    """The kept lines of a Document as one text, and the way back from offsets to lines."""

    __slots__ = ("indexes", "starts", "text")

    def __init__(self, doc: Document) -> None:
        self.indexes = doc.kept()
        texts = [doc.lines[i].text for i in self.indexes]
        self.text = "\n".join(texts)
        self.starts = []
        offset = 0
        for text in texts:
            self.starts.append(offset)
            offset += len(text) + 1

    def line_at(self, offset: int) -> int:
        """Position (among kept lines) of the line holding `offset`."""
        return bisect_right(self.starts, offset) - 1

    def span(self, match: regex.Match) -> range:
        """Positions of the lines a match covers (a match ending in a newline ends before it)."""
        return range(self.line_at(match.start()), self.line_at(max(match.end() - 1, match.start())) + 1)


class _Run:
    """One application of a rule set to a Document: its matches, drops and records."""

    def __init__(self, doc: Document, ruleset: RuleSet) -> None:
        self.doc = doc
        self.ruleset = ruleset
        self.view = Snapshot(doc)
        self.markers: list[str] = []  # the cut rules whose marker was found in place

    def matches(self, pattern: regex.Pattern, rule_name: str) -> list[regex.Match]:
        """Every match of a rule's pattern; none (and a warning) past the time budget."""
        try:
            return find_all(pattern, self.view.text)
        except RuleTimeout:
            self.doc.warnings.append(timeout_warning(self.ruleset, rule_name, self.view.text))
            self.doc.flags.append(RULE_TIMEOUT_FLAG)
            return []

    def drop(self, positions: range | list[int], rule_name: str) -> None:
        reason = self.ruleset.reason(rule_name)
        for position in positions:
            self.doc.drop(self.view.indexes[position], reason)

    def hit(self, rule_name: str) -> None:
        """Count a line a rule read without dropping it (metadata with keep_line)."""
        hits = self.doc.rule_hits
        hits[rule_name] = hits.get(rule_name, 0) + 1

    def count_drops(self) -> None:
        """Count, per rule, the lines it dropped (a line counts for the reason it kept); a
        cut whose marker was found counts once at least, though other rules took its lines."""
        prefix = self.ruleset.reason("")
        hits = self.doc.rule_hits
        for index in self.view.indexes:
            reason = self.doc.lines[index].reason
            if reason is not None and reason.startswith(prefix):
                name = reason[len(prefix):]
                hits[name] = hits.get(name, 0) + 1
        for name in self.markers:
            hits.setdefault(name, 1)


def apply_site_rules(doc: Document) -> None:
    """Apply doc.ruleset's text rules: lift metadata lines, drop blocks and lines, cut.

    A no-op without a rule set. Drops carry the reason `rule:<id>/<rule name>`; metadata
    already in doc.meta (from an article file's front matter) is not overwritten.
    """
    ruleset: RuleSet | None = doc.ruleset
    if ruleset is None:
        return
    run = _Run(doc, ruleset)
    if not run.view.indexes:
        return
    rules = ruleset.text
    anchors = {}
    for field, entries in (("published", rules.published), ("authors", rules.authors),
                           ("title", rules.title)):
        anchors[field] = lift(run, entries, field)
    for block in rules.drop_blocks:
        ends = sorted(run.view.span(m)[-1] for m in run.matches(block.end, block.name))
        for match in run.matches(block.start, block.name):
            start = run.view.line_at(match.start())
            after = bisect_right(ends, start)  # the first end line below the start line
            if after < len(ends):
                run.drop(range(start, ends[after] + 1), block.name)
    for rule in rules.drop_lines:
        for match in run.matches(rule.pattern, rule.name):
            run.drop(run.view.span(match), rule.name)
    if rules.cut_before or rules.cut_after:
        cut(run, anchors["title"], anchors["published"])
    run.count_drops()


def cut(run: _Run, title: int | None, published: int | None) -> None:
    """Apply the cut rules where they stand in place around the article (see module doc)."""
    rules = run.ruleset.text
    total = len(run.view.indexes)
    first = title if title is not None else published
    span = main_run_span([run.doc.lines[i] for i in run.view.indexes])
    if first is not None:
        # The head: the headline (else the date line), the line after it, the date line
        # when it stands a few lines below the headline, and whatever comes before the
        # main run of prose when that starts below the headline. Before-markers count at
        # or above the head's end, the nearest one cutting; after-markers below it, the
        # first one cutting.
        head_end = first + 1
        if published is not None and first < published <= first + HEAD_SPAN:
            head_end = max(head_end, published)
        if span is not None and span[0] > first:
            head_end = max(head_end, span[0] - 1)
        cut_before = nearest(run, rules.cut_before, "cut_before", lambda line: line <= head_end,
                             flag=False)
        if cut_before is None:
            # a marker a few lines below the headline (under its byline and caption)
            reach = first + HEAD_SPAN
            cut_before = nearest(run, rules.cut_before, "cut_before",
                                 lambda line: head_end < line <= reach, last=False)
        if cut_before is not None:
            head_end = max(head_end, cut_before[0])
        cut_after = nearest(run, rules.cut_after, "cut_after", lambda line: line > head_end)
    else:
        # No headline or date places the article: the generic main run stands for it, and
        # the first marker of each kind in place cuts (the one that cuts least).
        start, end = span if span else (-1, total)
        cut_before = nearest(run, rules.cut_before, "cut_before", lambda line: line < end,
                             last=False)
        cut_after = nearest(run, rules.cut_after, "cut_after", lambda line: line > start)
    if cut_before is not None:
        run.drop(range(cut_before[0]), cut_before[1])
        run.markers.append(cut_before[1])
    if cut_after is not None:
        run.drop(range(cut_after[0], total), cut_after[1])
        run.markers.append(cut_after[1])


def nearest(run: _Run, rules: tuple[LineRule, ...], kind: str, in_place: Callable[[int], bool],
            last: bool | None = None, flag: bool = True) -> tuple[int, str] | None:
    """(line, rule name) of the marker in place nearest the article that any of `rules`
    matches: the last one in place for cut_before (unless `last` is False), the first one
    for cut_after; None (and, with `flag`, a flag on the Document) when there is none."""
    if not rules:
        return None
    if last is None:
        last = kind == "cut_before"
    found = None
    seen = False
    for rule in rules:
        for match in run.matches(rule.pattern, rule.name):
            seen = True
            line = run.view.line_at(match.start())
            if not in_place(line):
                continue
            if found is None or (line > found[0] if last else line < found[0]):
                found = (line, rule.name)
            if not last:
                break  # matches come in order: the rule's first in place is its nearest
    if found is None and flag and not run.doc.extracted:  # extracted text has no furniture
        run.doc.flags.append((CUT_OUT_OF_PLACE if seen else CUT_NOT_FOUND).format(kind=kind))
    return found


def lift(run: _Run, entries: tuple[MetaRule, ...], field: str) -> int | None:
    """Lift `field` with the first rule that yields a value; authors from all its matches.

    Returns the position of the first line a value was read from, or None.
    """
    doc = run.doc
    for rule in entries:
        lifted: list[str] = []
        first = None
        for match in run.matches(rule.pattern, rule.name):
            value = read_value(rule, match.group(rule.group) or "")
            if not value:
                continue
            lines = run.view.span(match)
            if first is None:
                first = lines[0]
            if rule.keep_line:
                run.hit(rule.name)
            else:
                run.drop(lines, rule.name)
            if field != "authors":
                if not doc.meta.get(field):
                    doc.meta[field] = value
                return first
            lifted.extend(name for name in value if name not in lifted)
        if lifted:
            if not doc.meta.get(field):
                doc.meta[field] = lifted
            return first
    return None


def read_value(rule: MetaRule, text: str) -> str | list[str] | None:
    """The metadata a rule's group holds: an ISO date, a list of names or a title."""
    text = normalise(text)
    if rule.group == "date":
        return normalise_date(text, rule.formats, rule.timezone)
    if rule.group == "authors":
        assert rule.split is not None
        return split_names(text, rule.split)
    return text or None


def run_rules(ruleset: RuleSet, text: str) -> Document:
    """A Document of `text` with the site rules of `ruleset` applied (and nothing else)."""
    doc = Document(Capture(text, source=ruleset.path), split_lines(text), ruleset=ruleset)
    apply_site_rules(doc)
    return doc
