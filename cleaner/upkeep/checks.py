"""A rule file's embedded checks, run through the whole cleaning: `cleaner rules check`.

Each check is a sample capture (text or HTML, told apart by its content as any capture
is) cleaned exactly as `cleaner clean` would clean it with this rule set: rules, generic
heuristics, the guard. The sample must keep its `keep` lines in the article body, drop
its `drop` lines (whoever drops them: a rule, a heuristic, an HTML strip selector), give
its `meta`, and give the same body when its article file is cleaned again. A listed line
the sample does not hold is a failure too, so that a check cannot pass by accident.

This module runs the pipeline, so it sits above it (the pipeline never imports it).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..document import HTML
from ..errors import RuleError
from ..frontmatter import render_article
from ..pipeline import clean_with
from ..siterules.load import RULE_SUFFIX, load_ruleset
from ..siterules.model import Check, RuleSet
from ..siterules.rulebook import RuleBook
from ..sources.files import content_capture
from ..text.lines import normalise


@dataclass(frozen=True, slots=True)
class Problem:
    """One failed check or invalid file, as `path:line: message`."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


def check_folder(folder: str | Path) -> tuple[list[RuleSet], list[Problem]]:
    """Load every rule file in `folder` and run its checks: (rule sets loaded, problems).

    A file that does not load is one problem (its RuleError, with line and key) and the
    others are still checked; rule sets that clash (an id or host twice) too.
    """
    rulesets, problems = [], []
    for path in sorted(Path(folder).glob("*" + RULE_SUFFIX)):
        try:
            rulesets.append(load_ruleset(path))
        except RuleError as err:
            problems.append(Problem(err.path, err.line, rule_error_message(err)))
    try:
        RuleBook(rulesets)
    except RuleError as err:
        problems.append(Problem(err.path, err.line, rule_error_message(err)))
    for ruleset in rulesets:
        problems.extend(check_ruleset(ruleset))
    return rulesets, problems


def rule_error_message(err: RuleError) -> str:
    return f"(key '{err.key}') {err.problem}" if err.key else err.problem


def check_ruleset(ruleset: RuleSet) -> list[Problem]:
    """Run a rule set's checks; one Problem per failure, [] when all pass."""
    problems: list[Problem] = []
    for check in ruleset.checks:
        problems.extend(Problem(ruleset.path, check.line, message)
                        for message in run_check(ruleset, check))
    return problems


def run_check(ruleset: RuleSet, check: Check) -> list[str]:
    """What is wrong with one check's sample cleaned by `ruleset`: messages, [] if nothing."""
    capture = content_capture(check.capture, f"{ruleset.path}:{check.line}", url=check.url)
    article = clean_with(capture, ruleset)
    messages = [f"warning: {warning}" for warning in article.warnings]
    body = set(article.paragraphs)
    decided: dict[str, list[str | None]] = {}
    for line in article.decisions:
        decided.setdefault(line.text, []).append(line.reason)
    page_text = normalise(visible_text(check.capture)) if capture.kind == HTML else ""
    for wanted in check.keep:
        text = normalise(wanted)
        if text in body:
            continue
        reasons = decided.get(text)
        if reasons is None and text not in page_text:
            messages.append(f"line not in the sample: {wanted!r}")
        else:
            why = next((r for r in reasons or () if r), "not extracted")
            messages.append(f"dropped ({why}) but must stay: {wanted!r}")
    for unwanted in check.drop:
        text = normalise(unwanted)
        if text in body:
            messages.append(f"kept but must be dropped: {unwanted!r}")
        elif text not in decided and text not in page_text:
            messages.append(f"line not in the sample: {unwanted!r}")
    for key, expected in check.meta.items():
        if article.meta.get(key) != expected:
            messages.append(f"meta {key} is {article.meta.get(key)!r}, not {expected!r}")
    again = clean_with(content_capture(render_article(article), capture.source, url=check.url),
                       ruleset)
    if again.body != article.body:
        lost = [p for p in article.paragraphs if p not in set(again.paragraphs)]
        messages.append(f"cleaning the article again changes it (drops {lost[:3]!r})")
    return messages


def visible_text(html: str) -> str:
    """The text of an HTML sample, for telling whether a listed line is in it at all."""
    from lxml import html as lxml_html  # only HTML samples need it

    try:
        return " ".join(lxml_html.fromstring(html).itertext())
    except (ValueError, TypeError):
        return html

