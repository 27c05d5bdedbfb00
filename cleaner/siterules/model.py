"""The typed schema of a rule file: what `load.py` builds from YAML and the rest reads.

One schema for both parts of a file. Each key of `text:` and `html:` holds one rule or
a list of rules; a rule is a bare pattern (text) or selector (html), or a mapping that
also gives it a `name` (and options). What a list means depends on the key, the same
way in both parts:

- metadata keys (`title`, `published`, `authors`) and `html.body`: alternatives, tried
  in order; the first that yields something wins;
- `drop_lines`, `drop_blocks` and `html.strip`: every rule applies;
- `cut_before` and `cut_after`: the earliest line any of them matches.

Every rule has a name (given, else the name of its key), which is what a dropped
line's reason (`rule:<id>/<name>`) and the run's statistics call it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Final

import regex

from ..heuristics.levels import ALL
from ..reasons import rule_reason

# Metadata fields a rule set may lift, in both parts.
META_FIELDS: Final = ("title", "published", "authors")
CSS: Final = "css"
XPATH: Final = "xpath"
# A selector starting so is XPath; anything else is CSS.
XPATH_STARTS: Final = ("/", "./", "(")


@dataclass(frozen=True, slots=True)
class LineRule:
    """A whole-line pattern (it may span lines) and the name its drop reason carries."""

    name: str
    pattern: regex.Pattern
    line: int = 0


@dataclass(frozen=True, slots=True)
class BlockRule:
    """Lines from one matching `start` to the next matching `end`, both included."""

    name: str
    start: regex.Pattern
    end: regex.Pattern
    line: int = 0


@dataclass(frozen=True, slots=True)
class MetaRule:
    """A line holding metadata: `group` is lifted into doc.meta, the line dropped unless kept."""

    name: str
    pattern: regex.Pattern
    group: str
    keep_line: bool = False
    formats: tuple[str, ...] = ()
    timezone: dt.tzinfo | None = None
    split: regex.Pattern | None = None
    line: int = 0


@dataclass(frozen=True, slots=True)
class TextRules:
    """The text rules of a rule set, each a tuple in the order the file gives them."""

    title: tuple[MetaRule, ...] = ()
    cut_before: tuple[LineRule, ...] = ()
    cut_after: tuple[LineRule, ...] = ()
    drop_lines: tuple[LineRule, ...] = ()
    drop_blocks: tuple[BlockRule, ...] = ()
    published: tuple[MetaRule, ...] = ()
    authors: tuple[MetaRule, ...] = ()

    def names(self) -> tuple[str, ...]:
        """Every rule's name, once each, in the order the keys are listed above."""
        rules = (*self.title, *self.cut_before, *self.cut_after, *self.drop_lines,
                 *self.drop_blocks, *self.published, *self.authors)
        return tuple(dict.fromkeys(rule.name for rule in rules))


@dataclass(frozen=True, slots=True)
class Selector:
    """A CSS or XPath selector, as written, and which of the two it is.

    This is all an HTML engine needs to know: lxml runs both kinds (CSS through
    cssselect); an engine that only runs CSS can tell the XPath ones by `kind`.
    """

    text: str
    kind: str = CSS

    @classmethod
    def of(cls, text: str) -> Selector:
        text = text.strip()
        return cls(text, XPATH if text.startswith(XPATH_STARTS) else CSS)


@dataclass(frozen=True, slots=True)
class HtmlRule:
    """One selector of the `html:` part; `attribute` (metadata only) is read instead of
    the elements' text."""

    name: str
    selector: Selector
    attribute: str | None = None
    line: int = 0

    @property
    def label(self) -> str:
        """How the run's statistics name it: `html:<name>`, the selector when unnamed."""
        return f"html:{self.name}"


@dataclass(frozen=True, slots=True)
class HtmlRules:
    """The `html:` part: where the story is, what to strip, where the metadata is."""

    body: tuple[HtmlRule, ...] = ()
    strip: tuple[HtmlRule, ...] = ()
    title: tuple[HtmlRule, ...] = ()
    published: tuple[HtmlRule, ...] = ()
    authors: tuple[HtmlRule, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.body or self.strip or self.title or self.published or self.authors)

    def field(self, name: str) -> tuple[HtmlRule, ...]:
        """The rules of a metadata field ("title", "published" or "authors")."""
        return getattr(self, name)

    def names(self) -> tuple[str, ...]:
        rules = (*self.body, *self.strip, *self.title, *self.published, *self.authors)
        return tuple(dict.fromkeys(rule.label for rule in rules))


@dataclass(frozen=True, slots=True)
class Check:
    """An embedded sample: a capture (text or HTML), lines that must stay, lines that must
    go, metadata to find. Run through the whole cleaning (see checks.py)."""

    capture: str
    keep: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)
    url: str | None = None
    line: int = 0


@dataclass(frozen=True, eq=False)
class RuleSet:
    """One site's rules, as loaded and validated from its YAML file."""

    id: str
    name: str
    version: int
    # None for a platform's rule set (e.g. Wix): the site is then the URL's host.
    site: str | None
    path: str
    hosts: tuple[str, ...] = ()
    fingerprints: tuple[regex.Pattern, ...] = ()
    min_fingerprints: int = 1
    heuristics: str = ALL
    text: TextRules = TextRules()
    html: HtmlRules = HtmlRules()
    checks: tuple[Check, ...] = ()
    id_line: int = 0

    @property
    def label(self) -> str:
        """`id@version`, as written in an article's front matter."""
        return f"{self.id}@{self.version}"

    def reason(self, rule_name: str) -> str:
        """The drop reason of one of this set's rules."""
        return rule_reason(self.id, rule_name)

    def rule_names(self) -> tuple[str, ...]:
        """The names of every rule, text ones then `html:` ones: what the run's statistics
        count, so that a rule that never fires shows as 0."""
        return self.text.names() + self.html.names()

    def declares(self, field_name: str) -> bool:
        """Whether the rule set has a rule for a metadata field, in either part."""
        return bool(getattr(self.text, field_name)) or bool(self.html.field(field_name))
