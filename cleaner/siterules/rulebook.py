"""The rule sets in use, and picking the one for each capture.

`RuleBook.select` picks a capture's rule set: by the host of its URL, else by the rule
set an article file's front matter names, else by text fingerprints, searched in a text
capture's whole text and in an HTML page's head (`page_head`). Fingerprints run with the
rule patterns' time budget (patterns.py): one that runs over it counts as not found, and
the capture gets a warning naming it.
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import regex

from ..errors import RuleError
from . import patterns
from .load import RULE_SUFFIX, load_ruleset
from .model import RuleSet
from .patterns import RuleTimeout, search

# An article file names the rule set that cleaned it ("rules: japannews@1") in its
# front matter; re-cleaning it picks the same rule set although its noise is gone.
FRONT_MATTER_RULES = regex.compile(r"\A---\n(?:(?!---\n).*\n)*?rules: ?([a-z0-9_-]+)@\d+\n")
# Where an HTML page's head ends, when it is not closed by a plain `</head>`.
HEAD_END = regex.compile(r"</head\s*>|<body[\s>]", regex.IGNORECASE)


class RuleBook:
    """The rule sets in use, indexed for selection."""

    def __init__(self, rulesets: Iterable[RuleSet] = ()) -> None:
        # Sorted by id so that every tie between rule sets breaks the same way.
        self.rulesets = tuple(sorted(rulesets, key=lambda r: r.id))
        self._by_id: dict[str, RuleSet] = {}
        self._hosts: dict[str, RuleSet] = {}
        self._domains: dict[str, RuleSet] = {}
        for ruleset in self.rulesets:
            other = self._by_id.setdefault(ruleset.id, ruleset)
            if other is not ruleset:
                raise RuleError(
                    ruleset.path, f"duplicate id '{ruleset.id}' (also in {other.path})",
                    line=ruleset.id_line, key="id",
                )
            for host in ruleset.hosts:
                if host.startswith("."):
                    self._claim(self._domains, host[1:], ruleset)
                else:
                    self._claim(self._hosts, host, ruleset)
                    self._claim(self._hosts, "www." + host, ruleset)
        self._fingerprinted = tuple(r for r in self.rulesets if r.fingerprints)

    @staticmethod
    def _claim(index: dict[str, RuleSet], host: str, ruleset: RuleSet) -> None:
        """Index `host` for `ruleset`; two rule sets may not claim the same host."""
        other = index.setdefault(host, ruleset)
        if other is not ruleset:
            raise RuleError(ruleset.path, f"host '{host}' is already claimed by {other.path}",
                            key="match.hosts")

    @classmethod
    def load(cls, directory: str | Path) -> RuleBook:
        """Load and validate every `*.yaml` rule file in `directory`."""
        folder = Path(directory)
        if not folder.is_dir():
            raise RuleError(str(folder), "not a folder of rule files")
        return cls(load_ruleset(path) for path in sorted(folder.glob("*" + RULE_SUFFIX)))

    def get(self, rule_id: str) -> RuleSet | None:
        """The rule set with this id, or None."""
        return self._by_id.get(rule_id)

    def select(self, url: str | None, text: str, warnings: list[str] | None = None,
               html: bool = False) -> RuleSet | None:
        """The rule set for a capture: by URL host, else front matter, else fingerprints
        (in the page's head alone when `html`: see `page_head`).

        A fingerprint over the time budget is taken as not found; what happened is
        appended to `warnings` when given.
        """
        if url:
            ruleset = self.for_host(urlsplit(url).hostname or "")
            if ruleset is not None:
                return ruleset
        if text.startswith("---"):
            named = FRONT_MATTER_RULES.match(text)
            if named and named.group(1) in self._by_id:
                return self._by_id[named.group(1)]
        return self.for_fingerprints(page_head(text) if html else text, warnings)

    def for_host(self, host: str) -> RuleSet | None:
        """The rule set covering `host`: an exact host first, then the closest parent domain."""
        host = host.lower().rstrip(".")
        if host in self._hosts:
            return self._hosts[host]
        labels = host.split(".")
        for i in range(len(labels) - 1):
            ruleset = self._domains.get(".".join(labels[i:]))
            if ruleset is not None:
                return ruleset
        return None

    def for_fingerprints(self, text: str, warnings: list[str] | None = None) -> RuleSet | None:
        """The rule set whose fingerprints `text` shows: most matched wins, then the first id."""
        best, best_count = None, 0
        marks: dict[str, bool] = {}  # which RARE_MARKS the text holds, told once each
        for ruleset in self._fingerprinted:
            count = fingerprint_count(ruleset, text, warnings, marks)
            if count > best_count:
                best, best_count = ruleset, count
        return best


def page_head(html: str) -> str:
    """An HTML page up to the end of its head, where fingerprints are searched.

    A site names itself in its head (og:site_name, the canonical link, the generator, the
    title), and the head is about a quarter of a page's characters (24% on the development
    set's 949 pages): searching the whole page took a fifth of the fast engine's time, 1.7 ms
    a page of 144,000 characters (2026-11-30). A page whose head is not closed is read to
    where its body starts, or whole.
    """
    end = html.find("</head>")
    if end < 0:
        found = HEAD_END.search(html)
        end = found.start() if found else len(html)
    return html[:end]


def fingerprint_count(ruleset: RuleSet, text: str, warnings: list[str] | None = None,
                      marks: dict[str, bool] | None = None) -> int:
    """How many of a rule set's fingerprints `text` shows, or 0 when fewer than its
    `min_fingerprints` (told as soon as that many are out of reach). `marks` remembers
    which strings `text` holds (patterns.RARE_MARKS, required texts), for the rule sets
    after this one.

    Most captures lack the text most fingerprints must hold: `in` tells so faster than
    the timed search (see patterns.required_text), and a rare character of it faster
    still (patterns.required_mark). So those tests come first, in `cheap_tests`' order,
    each string looked for once per text; only the fingerprints they leave are searched,
    in their order (the count does not depend on the order).
    """
    held = {} if marks is None else marks
    least = ruleset.min_fingerprints
    possible = []
    left = len(ruleset.fingerprints)  # the fingerprints that may still match
    for number, needed in cheap_tests(ruleset):
        if holds_all(needed, text, held):
            possible.append(number)
        else:
            left -= 1
            if left < least:
                return 0
    found = 0
    for number in sorted(possible):
        try:
            if search(ruleset.fingerprints[number], text):
                found += 1
        except RuleTimeout:
            if warnings is not None:
                warnings.append(timeout_warning(ruleset, f"fingerprints[{number}]", text))
        left -= 1
        if found + left < least:
            return 0
    return found


@lru_cache(maxsize=256)
def cheap_tests(ruleset: RuleSet) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """Each of a rule set's fingerprints as (its index, the strings a text must hold for
    it to match: its rare mark, then its required text), in the order `fingerprint_count`
    tests them: those with a rare mark first (one `in` test for all of them), then the
    longest required texts first.

    Why longest first: `in` skips ahead by about the length of the text it looks for
    (CPython's search), so a long one is told missing sooner ("Popular articles in the
    past 24 hours": 4 us a capture of the dev set, " JST, ": 10 us, 2026-11-30), and a
    rule set is ruled out once enough of its tests fail, whichever they are. The order
    cannot change a count: when the tests rule a rule set out, no order of them leaves
    it as many fingerprints as it needs; when they do not, every one of them is made,
    and the searches that follow run in the fingerprints' own order. A string two
    fingerprints need is looked for once, `held` answering the second test.
    """
    tests = []
    for number, pattern in enumerate(ruleset.fingerprints):
        mark, text = patterns.required_mark(pattern), patterns.required_text(pattern)
        needed = tuple(string for string in (mark, text) if string is not None)
        tests.append((number, needed, mark is None, -len(text or "")))
    tests.sort(key=lambda test: (test[2], test[3], test[0]))
    return tuple((number, needed) for number, needed, _, _ in tests)


def holds_all(needed: tuple[str, ...], text: str, held: dict[str, bool]) -> bool:
    """Whether `text` holds every one of `needed` (True when empty); `held` remembers
    the answers for `text`."""
    for string in needed:
        answer = held.get(string)
        if answer is None:
            answer = held[string] = string in text
        if not answer:
            return False
    return True


def timeout_warning(ruleset: RuleSet, rule_name: str, text: str) -> str:
    """The warning for a rule pattern that ran over its time budget on a capture's `text`."""
    return (f"{ruleset.reason(rule_name)} took over {patterns.budget(text):.2g} s on this "
            "capture and was skipped")


@lru_cache(maxsize=1)
def default_rulebook() -> RuleBook:
    """The rule sets bundled with cleaner (rules/ in the repository, cleaner._rules installed)."""
    return RuleBook.load(bundled_rules_folder())


def bundled_rules_folder() -> Path:
    """Where the bundled rule files are."""
    try:
        return Path(str(resources.files("cleaner._rules")))
    except ModuleNotFoundError:
        # Run from a source checkout without installing: the rules sit beside the package.
        return Path(__file__).resolve().parent.parent.parent / "rules"
