"""Rule drift in numbers: what each rule set did to each capture, and over a whole run.

A site changes its layout and its rules silently stop matching; the place to notice is
the nightly run, not a reader's complaint weeks later. Each Article a rule set claimed
carries a `RuleReport` (document.py): which of its rules matched how many lines, and
what looked wrong (the flags below). `RuleStats` adds reports up over a run: per rule
set, how many captures it claimed, on how many each rule fired, and which captures
looked wrong. The run writes `to_dict()` into summary.json and prints `lines()`;
`cleaner rules stats OUT` prints the same from an output folder.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from ..document import HTML, Article, Document, Line, RuleReport
from ..reasons import RULE_PREFIX
from .model import RuleSet

# What looked wrong on a capture, by flag, as the statistics and `explain` say it.
FLAGS: Final = {
    "generic_kept": "the rules left (almost) nothing of the article; the generic result was kept",
    "most_words_removed": "the rules removed most of the words",
    "cut_before_not_found": "no cut_before marker found",
    "cut_before_out_of_place": "cut_before markers found only below the article's start",
    "cut_after_not_found": "no cut_after marker found",
    "cut_after_out_of_place": "cut_after markers found only above the article's start",
    "no_title": "the rule set's title rules found no title",
    "no_date": "the rule set's date rules found no date",
    "rule_timeout": "a rule pattern ran over its time budget",
}
# Share of a capture's words the rules' own drops may take before the capture is flagged
# (and compared with the generic result, see pipeline.guard). On the 54 captures of the
# fixtures and ../shared/sitecaptures the bundled rules claim, they drop a median 0.37
# of a capture's words and at most 0.71 (a short news-feed item whose sidebar comes
# first; bench/rule_thresholds.py, 2026-11-29).
MOST_WORDS_SHARE: Final = 0.85
# How many captures each flag lists in summary.json and the console, as examples.
EXAMPLES: Final = 5
SUMMARY_KEY: Final = "rules"


def words(line: Line) -> int:
    """Words of a line (its text has single spaces: lines.normalise)."""
    return line.text.count(" ") + 1 if line.text else 0


def rule_dropped_share(lines: Iterable[Line]) -> float:
    """Share of the words of `lines` on lines a site rule dropped."""
    total = dropped = 0
    for line in lines:
        count = words(line)
        total += count
        if line.reason is not None and line.reason.startswith(RULE_PREFIX):
            dropped += count
    return dropped / total if total else 0.0


def report(ruleset: RuleSet, doc: Document) -> RuleReport:
    """The RuleReport of a cleaned Document."""
    flags = list(doc.flags)
    if rule_dropped_share(doc.lines) > MOST_WORDS_SHARE:
        flags.append("most_words_removed")
    # A field is missing when none of the rule set's own rules for it found it (the generic
    # heuristics may have found something else); text captures are judged by the text
    # rules only, HTML ones by either part.
    html = doc.capture.kind == HTML
    for field_name, flag in (("title", "no_title"), ("published", "no_date")):
        names = [rule.name for rule in getattr(ruleset.text, field_name)]
        if html:
            names += [rule.label for rule in ruleset.html.field(field_name)]
        if names and not any(doc.rule_hits.get(name) for name in names):
            flags.append(flag)
    hits = tuple(sorted(doc.rule_hits.items()))
    return RuleReport(ruleset.id, ruleset.rule_names(), hits, tuple(dict.fromkeys(flags)))


def with_flag(found: RuleReport, flag: str) -> RuleReport:
    """`found` with one more flag."""
    return found._replace(flags=tuple(dict.fromkeys((*found.flags, flag))))


def describe(found: RuleReport) -> list[str]:
    """Lines for `explain`: the rules that fired and what looked wrong."""
    fired = ", ".join(f"{name} {count}" for name, count in found.hits) or "none"
    lines = [f"rules {found.ruleset}: fired {fired}"]
    lines += [f"rules {found.ruleset}: {flag}: {FLAGS.get(flag, flag)}" for flag in found.flags]
    return lines


@dataclass(slots=True)
class RuleSetStats:
    """The figures of one rule set over a run."""

    claimed: int = 0
    fired: Counter = field(default_factory=Counter)  # rule name -> captures it fired on
    flags: Counter = field(default_factory=Counter)  # flag -> captures
    examples: dict[str, list[str]] = field(default_factory=dict)  # flag -> first sources


class RuleStats:
    """Per rule set, over many captures: claimed, fired per rule, what looked wrong.

    >>> stats = RuleStats()
    >>> for article in articles:
    ...     stats.add(article)
    >>> print("\\n".join(stats.lines()))
    """

    def __init__(self) -> None:
        self.by_ruleset: dict[str, RuleSetStats] = {}

    def add(self, article: Article) -> None:
        """Count one cleaned capture (one no rule set claimed counts nowhere)."""
        self.add_report(article.rule_report, article.source)

    def add_report(self, found: RuleReport | None, source: str) -> None:
        """Count one capture's RuleReport (None: no rule set claimed it)."""
        if found is None:
            return
        stats = self.by_ruleset.setdefault(found.ruleset, RuleSetStats())
        stats.claimed += 1
        for name in found.rules:
            stats.fired[name] += 0  # listed, so that a rule that never fires shows as 0
        for name, count in found.hits:
            if count:
                stats.fired[name] += 1
        for flag in found.flags:
            stats.flags[flag] += 1
            examples = stats.examples.setdefault(flag, [])
            if len(examples) < EXAMPLES:
                examples.append(source)

    def merge(self, later: RuleStats) -> None:
        """Add the figures of captures that come after these (another part of a run):
        the same as adding their reports here one by one."""
        for ruleset, theirs in later.by_ruleset.items():
            stats = self.by_ruleset.setdefault(ruleset, RuleSetStats())
            stats.claimed += theirs.claimed
            for name, count in theirs.fired.items():
                stats.fired[name] += count
            stats.flags.update(theirs.flags)
            for flag, sources in theirs.examples.items():
                examples = stats.examples.setdefault(flag, [])
                examples.extend(sources[: EXAMPLES - len(examples)])

    def to_dict(self) -> dict[str, Any]:
        """The figures as summary.json holds them, rule sets by id."""
        return {
            ruleset: {
                "claimed": stats.claimed,
                "fired": dict(sorted(stats.fired.items())),
                "looked_wrong": {
                    flag: {"captures": count, "examples": stats.examples.get(flag, [])}
                    for flag, count in sorted(stats.flags.items())
                },
            }
            for ruleset, stats in sorted(self.by_ruleset.items())
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RuleStats:
        """The statistics `to_dict` gave (as read back from summary.json)."""
        stats = cls()
        for ruleset, figures in data.items():
            item = RuleSetStats(claimed=int(figures.get("claimed", 0)))
            item.fired.update({name: int(n) for name, n in figures.get("fired", {}).items()})
            for flag, found in figures.get("looked_wrong", {}).items():
                item.flags[flag] = int(found.get("captures", 0))
                item.examples[flag] = list(found.get("examples", []))
            stats.by_ruleset[ruleset] = item
        return stats

    @classmethod
    def from_output(cls, out: str | Path) -> RuleStats:
        """The statistics of the run that wrote the output folder `out` (its summary.json)."""
        summary = json.loads((Path(out) / "summary.json").read_text(encoding="utf-8"))
        return cls.from_dict(summary.get(SUMMARY_KEY, {}))

    def lines(self) -> list[str]:
        """Console lines: per rule set, what fired on how many of its captures, then each
        flag with a few of its captures."""
        out = []
        for ruleset, stats in sorted(self.by_ruleset.items()):
            n = stats.claimed
            fired = ", ".join(f"{name} {count}/{n}" for name, count in sorted(stats.fired.items()))
            out.append(f"rules {ruleset}: {n} captures; fired: {fired or 'no rules'}")
            for flag, count in sorted(stats.flags.items()):
                shown = ", ".join(stats.examples.get(flag, []))
                more = ", ..." if count > len(stats.examples.get(flag, [])) else ""
                out.append(f"  {flag} on {count} of {n}: {FLAGS.get(flag, flag)} ({shown}{more})")
        return out
