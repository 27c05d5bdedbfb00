"""Applying a site's text rules to a Document: metadata lines, dropped blocks and lines, cuts.

Every pattern is matched against one snapshot of the kept lines joined by newlines, taken
before anything is dropped, so a pattern may look at the lines around it and rules never
depend on one another's order. Lines are then dropped in a fixed order (metadata lines,
blocks, single lines, cuts), so a line keeps the most specific reason. Rules need their
noise to match, so on an already clean body they find nothing and change nothing.
"""
from __future__ import annotations

import datetime as dt
from bisect import bisect_right

import regex

from ..document import Capture, Document
from ..text.dates import parse_date
from ..text.lines import normalise, split_lines
from .rulebook import MetaRule, RuleSet

# Strftime directives that carry a time of day: with one, `published` is a datetime.
TIME_DIRECTIVES = ("%H", "%I", "%M", "%S", "%X", "%c")


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

    def first_line(self, pattern: regex.Pattern) -> int | None:
        match = pattern.search(self.text)
        return None if match is None else self.line_at(match.start())


def apply_site_rules(doc: Document) -> None:
    """Apply doc.ruleset's text rules: lift metadata lines, drop blocks and lines, cut.

    A no-op without a rule set. Drops carry the reason `rule:<id>/<rule name>`; metadata
    already in doc.meta (from an article file's front matter) is not overwritten.
    """
    ruleset: RuleSet | None = doc.ruleset
    if ruleset is None:
        return
    view = Snapshot(doc)
    if not view.indexes:
        return
    rules = ruleset.text

    def drop(positions: range | list[int], rule_name: str) -> None:
        for position in positions:
            doc.drop(view.indexes[position], ruleset.reason(rule_name))

    for field, entries in (("published", rules.published), ("authors", rules.authors),
                           ("title", rules.title)):
        lift(doc, view, entries, field, drop)
    for block in rules.drop_blocks:
        ends = sorted(view.span(m)[-1] for m in block.end.finditer(view.text))
        for match in block.start.finditer(view.text):
            start = view.line_at(match.start())
            after = bisect_right(ends, start)  # the first end line below the start line
            if after < len(ends):
                drop(range(start, ends[after] + 1), block.name)
    for rule in rules.drop_lines:
        for match in rule.pattern.finditer(view.text):
            drop(view.span(match), rule.name)
    cut = earliest(view, rules.cut_before)
    if cut is not None:
        drop(range(cut[0]), cut[1])
    cut = earliest(view, rules.cut_after)
    if cut is not None:
        drop(range(cut[0], len(view.indexes)), cut[1])


def earliest(view: Snapshot, rules: tuple) -> tuple[int, str] | None:
    """(line, rule name) of the first line any of `rules` matches, or None."""
    found = None
    for rule in rules:
        line = view.first_line(rule.pattern)
        if line is not None and (found is None or line < found[0]):
            found = (line, rule.name)
    return found


def lift(doc: Document, view: Snapshot, entries: tuple[MetaRule, ...], field: str, drop) -> None:
    """Lift `field` with the first rule that yields a value; authors from all its matches."""
    for rule in entries:
        lifted: list[str] = []
        for match in rule.pattern.finditer(view.text):
            value = read_value(rule, match.group(rule.group) or "")
            if not value:
                continue
            if not rule.keep_line:
                drop(view.span(match), rule.name)
            if field != "authors":
                if not doc.meta.get(field):
                    doc.meta[field] = value
                return
            lifted.extend(name for name in value if name not in lifted)
        if lifted:
            if not doc.meta.get(field):
                doc.meta[field] = lifted
            return


def read_value(rule: MetaRule, text: str) -> str | list[str] | None:
    """The metadata a rule's group holds: an ISO date, a list of names or a title."""
    text = normalise(text)
    if rule.group == "date":
        return parse_published(text, rule)
    if rule.group == "authors":
        return [name for name in (n.strip() for n in rule.split.split(text)) if name]
    return text or None


def parse_published(text: str, rule: MetaRule) -> str | None:
    """ISO date (or datetime when the format has a time) of `text`; None if no format fits."""
    if not rule.formats:
        return parse_date(text)
    for fmt in rule.formats:
        try:
            stamp = dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
        if not any(directive in fmt for directive in TIME_DIRECTIVES):
            return stamp.date().isoformat()
        if rule.timezone is not None and stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=rule.timezone)
        return stamp.isoformat()
    return None


def check_ruleset(ruleset: RuleSet) -> list[str]:
    """Run a rule set's embedded checks; one message per failure, [] when all pass.

    Each sample must keep its `keep` lines, drop its `drop` lines, lift its `meta`, and
    give nothing more to drop when its kept lines are cleaned again.
    """
    problems = []
    for check in ruleset.checks:
        where = f"{ruleset.path}:{check.line}"
        doc = run_rules(ruleset, check.capture)
        decisions: dict[str, list[str | None]] = {}
        for line in doc.lines:
            decisions.setdefault(line.text, []).append(line.reason)
        for wanted, must_keep in [(t, True) for t in check.keep] + [(t, False) for t in check.drop]:
            reasons = decisions.get(normalise(wanted))
            if reasons is None:
                problems.append(f"{where}: line not in the sample: {wanted!r}")
            elif must_keep and any(r is not None for r in reasons):
                problems.append(f"{where}: dropped ({reasons[0]}) but must stay: {wanted!r}")
            elif not must_keep and None in reasons:
                problems.append(f"{where}: kept but must be dropped: {wanted!r}")
        for key, expected in check.meta.items():
            if doc.meta.get(key) != expected:
                problems.append(f"{where}: meta {key} is {doc.meta.get(key)!r}, not {expected!r}")
        kept = "\n\n".join(line.text for line in doc.lines if line.kept)
        again = run_rules(ruleset, kept)
        problems.extend(f"{where}: cleaning twice drops {line.text!r} ({line.reason})"
                        for line in again.lines if not line.kept)
    return problems


def run_rules(ruleset: RuleSet, text: str) -> Document:
    """A Document of `text` with the site rules of `ruleset` applied (and nothing else)."""
    doc = Document(Capture(text, source=ruleset.path), split_lines(text), ruleset=ruleset)
    apply_site_rules(doc)
    return doc
