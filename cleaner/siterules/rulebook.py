"""Site rule sets: one YAML file per site, validated on load, selected for each capture.

The file format is described in rules/README.md. Loading turns every file into a frozen
`RuleSet` with its patterns compiled once; any problem raises `RuleError` naming the
file, the line and the key. `RuleBook.select` picks the rule set of a capture: by the
host of its URL, else by the rule set an article file's front matter names, else by
text fingerprints.
"""
from __future__ import annotations

import datetime as dt
import difflib
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

import regex
import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from ..errors import RuleError
from ..heuristics.levels import ALL, LEVELS
from .apply_html import check_html_rules

RULE_SUFFIX = ".yaml"
# Keys allowed at each level of a rule file; any other key is refused with the closest match.
TOP_KEYS = ("id", "name", "version", "site", "match", "heuristics", "text", "html", "checks")
REQUIRED_KEYS = ("id", "name", "version", "match")
MATCH_KEYS = ("hosts", "fingerprints", "min_fingerprints")
TEXT_KEYS = (
    "title", "cut_before", "cut_after", "drop_lines", "drop_blocks", "published", "authors",
)
CHECK_KEYS = ("capture", "keep", "drop", "meta")
CHECK_META_KEYS = ("title", "published", "authors")
# Keys of a rule written as a mapping, by the list it stands in; the first is required
# (drop_blocks need both start and end).
ENTRY_KEYS = {
    "title": ("pattern", "name", "keep_line"),
    "cut_before": ("pattern", "name"),
    "cut_after": ("pattern", "name"),
    "drop_lines": ("pattern", "name"),
    "drop_blocks": ("start", "end", "name"),
    "published": ("pattern", "name", "format", "timezone", "keep_line"),
    "authors": ("pattern", "name", "split", "keep_line"),
}
# The named group a metadata pattern must have: the part of the line that is lifted.
META_GROUPS = {"title": "title", "published": "date", "authors": "authors"}
# `title: first_line` is shorthand for this pattern.
FIRST_LINE = "first_line"
FIRST_LINE_PATTERN = r"\A(?P<title>.+)"
# Between the names of a byline: commas, semicolons, "and", "&".
DEFAULT_AUTHOR_SPLIT = r"\s*(?:,|;|&|\band\b)\s*"
RULE_ID = regex.compile(r"[a-z0-9][a-z0-9_-]*")
# Rule names become drop reasons (rule:<id>/<name>), which are snake_case.
RULE_NAME = regex.compile(r"[a-z][a-z0-9_]*")
HOST = regex.compile(r"\.?[a-z0-9-]+(?:\.[a-z0-9-]+)+")
UTC_OFFSET = regex.compile(r"([+-])(\d\d):?(\d\d)")
# An article file names the rule set that cleaned it ("rules: japannews@1") in its
# front matter; re-cleaning it picks the same rule set although its noise is gone.
FRONT_MATTER_RULES = regex.compile(r"\A---\n(?:(?!---\n).*\n)*?rules: ?([a-z0-9_-]+)@\d+\n")
TYPE_NAMES = {str: "text", int: "a whole number", bool: "true or false"}


@dataclass(frozen=True, slots=True)
class LineRule:
    """A whole-line pattern (it may span lines) and the name its drop reason carries."""

    name: str
    pattern: regex.Pattern


@dataclass(frozen=True, slots=True)
class BlockRule:
    """Lines from one matching `start` to the next matching `end`, both included."""

    name: str
    start: regex.Pattern
    end: regex.Pattern


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


@dataclass(frozen=True, slots=True)
class Check:
    """An embedded sample: lines that must stay, lines that must go, metadata to find."""

    capture: str
    keep: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)
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
    # Reserved for HTML rules, defined elsewhere; kept as the file gives it.
    html: dict[str, Any] = field(default_factory=dict)
    checks: tuple[Check, ...] = ()
    id_line: int = 0

    @property
    def label(self) -> str:
        """`id@version`, as written in an article's front matter."""
        return f"{self.id}@{self.version}"

    def reason(self, rule_name: str) -> str:
        """The drop reason of one of this set's rules."""
        return f"rule:{self.id}/{rule_name}"

    def fingerprint_count(self, text: str) -> int:
        """How many fingerprints `text` shows, or 0 once `min_fingerprints` is out of reach."""
        found = 0
        left = len(self.fingerprints)
        for pattern in self.fingerprints:
            if pattern.search(text):
                found += 1
            left -= 1
            if found + left < self.min_fingerprints:
                return 0
        return found


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

    def select(self, url: str | None, text: str) -> RuleSet | None:
        """The rule set for a capture: by URL host, else front matter, else fingerprints."""
        if url:
            ruleset = self.for_host(urlsplit(url).hostname or "")
            if ruleset is not None:
                return ruleset
        if text.startswith("---"):
            named = FRONT_MATTER_RULES.match(text)
            if named and named.group(1) in self._by_id:
                return self._by_id[named.group(1)]
        return self.for_fingerprints(text)

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

    def for_fingerprints(self, text: str) -> RuleSet | None:
        """The rule set whose fingerprints `text` shows: most matched wins, then the first id."""
        best, best_count = None, 0
        for ruleset in self._fingerprinted:
            count = ruleset.fingerprint_count(text)
            if count > best_count:
                best, best_count = ruleset, count
        return best


@lru_cache(maxsize=1)
def default_rulebook() -> RuleBook:
    """The rule sets bundled with cleaner (rules/ in the repository, cleaner._rules installed)."""
    try:
        return RuleBook.load(Path(str(resources.files("cleaner._rules"))))
    except ModuleNotFoundError:
        # Run from a source checkout without installing: the rules sit beside the package.
        return RuleBook.load(Path(__file__).resolve().parents[2] / "rules")


def load_ruleset(path: str | Path) -> RuleSet:
    """Read and validate one rule file; RuleError names the file, line and key at fault."""
    source = str(path)
    try:
        content = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise RuleError(source, f"cannot read: {err}") from err
    try:
        root = yaml.compose(content, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        problem = f"YAML syntax error: {err.problem or err.context}"
        if err.problem and err.context and err.context_mark:
            problem += f" ({err.context} at line {err.context_mark.line + 1})"
        raise RuleError(source, problem, line=mark.line + 1 if mark else None) from err
    except yaml.YAMLError as err:
        raise RuleError(source, f"YAML error: {err}") from err
    if root is None:
        raise RuleError(source, "the file is empty")
    return _Reader(source).ruleset(root)


def compile_line_pattern(source: str) -> regex.Pattern:
    """A text-rule pattern: it must match whole lines of the kept text, joined by newlines."""
    return regex.compile(rf"^(?:{source})$", regex.MULTILINE)


def parse_timezone(name: str) -> dt.tzinfo | None:
    """tzinfo for "UTC", "+09:00" or an IANA name such as "Asia/Tokyo"; None if unknown."""
    if name.upper() in ("UTC", "Z", "GMT"):
        return dt.UTC
    offset = UTC_OFFSET.fullmatch(name)
    if offset:
        sign = -1 if offset.group(1) == "-" else 1
        minutes = int(offset.group(2)) * 60 + int(offset.group(3))
        return dt.timezone(sign * dt.timedelta(minutes=minutes))
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


class _Reader:
    """Builds a RuleSet from composed YAML nodes, so every error can name its line."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.constructor = SafeConstructor()

    def fail(self, node: yaml.Node | None, problem: str, key: str | None = None) -> NoReturn:
        line = node.start_mark.line + 1 if node is not None else None
        raise RuleError(self.path, problem, line=line, key=key)

    def ruleset(self, root: yaml.Node) -> RuleSet:
        top = self.mapping(root, "", TOP_KEYS, REQUIRED_KEYS)
        rule_id = self.scalar(top["id"], "id", str)
        if not RULE_ID.fullmatch(rule_id):
            self.fail(top["id"], "an id is lower-case letters, digits, '-' and '_'", "id")
        version = self.scalar(top["version"], "version", int)
        if version < 1:
            self.fail(top["version"], "version must be 1 or more", "version")
        match = self.mapping(top["match"], "match", MATCH_KEYS)
        hosts = tuple(self.host(node, f"match.hosts[{i}]")
                      for i, node in enumerate(self.sequence(match.get("hosts"), "match.hosts")))
        fingerprints = tuple(
            self.pattern(node, f"match.fingerprints[{i}]", regex.MULTILINE)
            for i, node in enumerate(self.sequence(match.get("fingerprints"), "match.fingerprints"))
        )
        if not hosts and not fingerprints:
            self.fail(top["match"], "give hosts, fingerprints or both", "match")
        min_fingerprints = 1
        if self.present(match.get("min_fingerprints")):
            node = match["min_fingerprints"]
            min_fingerprints = self.scalar(node, "match.min_fingerprints", int)
            if not 1 <= min_fingerprints <= max(len(fingerprints), 1):
                self.fail(node, f"must be between 1 and the {len(fingerprints)} fingerprints given",
                          "match.min_fingerprints")
        html: dict[str, Any] = {}
        if self.present(top.get("html")):
            self.mapping(top["html"], "html", None)
            html = check_html_rules(
                self.construct(top["html"], "html"), self.path, line=top["html"].start_mark.line + 1
            )
        return RuleSet(
            id=rule_id,
            name=self.scalar(top["name"], "name", str),
            version=version,
            site=self.scalar(top["site"], "site", str) if self.present(top.get("site")) else None,
            path=self.path,
            hosts=hosts,
            fingerprints=fingerprints,
            min_fingerprints=min_fingerprints,
            heuristics=self.heuristics(top.get("heuristics")),
            text=self.text_rules(top.get("text")),
            html=html,
            checks=self.checks(top.get("checks")),
            id_line=top["id"].start_mark.line + 1,
        )

    def text_rules(self, node: yaml.Node | None) -> TextRules:
        if not self.present(node):
            return TextRules()
        text = self.mapping(node, "text", TEXT_KEYS)
        found: dict[str, tuple] = {}
        for kind, value in text.items():
            key = f"text.{kind}"
            if kind == "title" and not isinstance(value, yaml.SequenceNode):
                nodes = [value] if self.present(value) else []  # one title rule needs no list
            else:
                nodes = self.sequence(value, key)
            if kind == "drop_blocks":
                found[kind] = tuple(self.block(n, f"{key}[{i}]") for i, n in enumerate(nodes))
            elif kind in META_GROUPS:
                found[kind] = tuple(self.meta_rule(n, f"{key}[{i}]", kind) for i, n in enumerate(nodes))
            else:
                found[kind] = tuple(self.line_rule(n, f"{key}[{i}]", kind) for i, n in enumerate(nodes))
        return TextRules(**found)

    def entry(self, node: yaml.Node, key: str, kind: str) -> dict[str, yaml.Node]:
        """A rule given as a bare pattern or as a mapping; bare patterns take the list's name."""
        if isinstance(node, yaml.ScalarNode):
            return {"pattern": node}
        allowed = ENTRY_KEYS[kind]
        required = allowed[:2] if kind == "drop_blocks" else allowed[:1]
        return self.mapping(node, key, allowed, required)

    def rule_name(self, entry: dict[str, yaml.Node], key: str, default: str) -> str:
        if not self.present(entry.get("name")):
            return default
        name = self.scalar(entry["name"], f"{key}.name", str)
        if not RULE_NAME.fullmatch(name):
            self.fail(entry["name"], "a rule name is snake_case: lower-case letters, digits, '_'",
                      f"{key}.name")
        return name

    def line_rule(self, node: yaml.Node, key: str, kind: str) -> LineRule:
        entry = self.entry(node, key, kind)
        pattern = self.pattern(entry["pattern"], self.pattern_key(node, key), whole_line=True)
        return LineRule(self.rule_name(entry, key, kind), pattern)

    def block(self, node: yaml.Node, key: str) -> BlockRule:
        if isinstance(node, yaml.ScalarNode):
            self.fail(node, "a block needs 'start' and 'end' patterns", key)
        entry = self.entry(node, key, "drop_blocks")
        return BlockRule(
            self.rule_name(entry, key, "drop_blocks"),
            self.pattern(entry["start"], f"{key}.start", whole_line=True),
            self.pattern(entry["end"], f"{key}.end", whole_line=True),
        )

    def meta_rule(self, node: yaml.Node, key: str, kind: str) -> MetaRule:
        if kind == "title" and isinstance(node, yaml.ScalarNode) and node.value == FIRST_LINE:
            node = yaml.ScalarNode("tag:yaml.org,2002:str", FIRST_LINE_PATTERN,
                                   node.start_mark, node.end_mark)
        entry = self.entry(node, key, kind)
        group = META_GROUPS[kind]
        pattern_key = self.pattern_key(node, key)
        pattern = self.pattern(entry["pattern"], pattern_key, whole_line=True)
        if group not in pattern.groupindex:
            self.fail(entry["pattern"], f"the pattern needs a named group (?P<{group}>...)",
                      pattern_key)
        keep_line = False
        if self.present(entry.get("keep_line")):
            keep_line = self.scalar(entry["keep_line"], f"{key}.keep_line", bool)
        formats: tuple[str, ...] = ()
        if self.present(entry.get("format")):
            value = entry["format"]
            nodes = self.sequence(value, f"{key}.format") if isinstance(
                value, yaml.SequenceNode) else [value]
            formats = tuple(self.scalar(n, f"{key}.format", str) for n in nodes)
        timezone = None
        if self.present(entry.get("timezone")):
            name = self.scalar(entry["timezone"], f"{key}.timezone", str)
            timezone = parse_timezone(name)
            if timezone is None:
                self.fail(entry["timezone"], f"unknown time zone '{name}' (give '+09:00', "
                          "'UTC' or a name such as 'Asia/Tokyo')", f"{key}.timezone")
        split = None
        if kind == "authors":
            split_node = entry.get("split")
            split = (self.pattern(split_node, f"{key}.split") if self.present(split_node)
                     else regex.compile(DEFAULT_AUTHOR_SPLIT))
        return MetaRule(self.rule_name(entry, key, kind), pattern, group, keep_line, formats,
                        timezone, split)

    def checks(self, node: yaml.Node | None) -> tuple[Check, ...]:
        found = []
        for i, item in enumerate(self.sequence(node, "checks")):
            key = f"checks[{i}]"
            check = self.mapping(item, key, CHECK_KEYS, ("capture",))
            meta: dict[str, Any] = {}
            if self.present(check.get("meta")):
                self.mapping(check["meta"], f"{key}.meta", CHECK_META_KEYS)
                meta = {k: v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v
                        for k, v in self.construct(check["meta"], f"{key}.meta").items()}
            found.append(Check(
                capture=self.scalar(check["capture"], f"{key}.capture", str),
                keep=self.strings(check.get("keep"), f"{key}.keep"),
                drop=self.strings(check.get("drop"), f"{key}.drop"),
                meta=meta,
                line=item.start_mark.line + 1,
            ))
        return tuple(found)

    # Generic node readers.

    @staticmethod
    def present(node: yaml.Node | None) -> bool:
        """False for a missing key and for one given no value (`key:` alone)."""
        return node is not None and not (
            isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"
        )

    @staticmethod
    def pattern_key(node: yaml.Node, key: str) -> str:
        """The key path of a rule's pattern: the entry itself when it is a bare pattern."""
        return key if isinstance(node, yaml.ScalarNode) else f"{key}.pattern"

    @staticmethod
    def describe(node: yaml.Node) -> str:
        if isinstance(node, yaml.MappingNode):
            return "a mapping"
        if isinstance(node, yaml.SequenceNode):
            return "a list"
        return f"'{node.value}'"

    def construct(self, node: yaml.Node, key: str) -> Any:
        try:
            return self.constructor.construct_object(node, deep=True)
        except ConstructorError as err:
            self.fail(node, f"unreadable value: {err.problem}", key)

    def mapping(self, node: yaml.Node, key: str, allowed: Iterable[str] | None,
                required: Iterable[str] = ()) -> dict[str, yaml.Node]:
        """Value nodes by key; unknown keys (when `allowed` is given) and repeats refused."""
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, f"expected a mapping of keys, found {self.describe(node)}", key or None)
        found: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            name = self.construct(key_node, key)
            path = f"{key}.{name}" if key else str(name)
            if not isinstance(name, str):
                self.fail(key_node, "keys must be text", path)
            if name in found:
                self.fail(key_node, f"key '{name}' given twice", path)
            if allowed is not None and name not in allowed:
                close = difflib.get_close_matches(name, list(allowed), n=1)
                hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(allowed)}"
                self.fail(key_node, f"unknown key '{name}'; {hint}", path)
            found[name] = value_node
        for name in required:
            if not self.present(found.get(name)):
                self.fail(node, f"missing required key '{name}'", f"{key}.{name}" if key else name)
        return found

    def sequence(self, node: yaml.Node | None, key: str) -> list[yaml.Node]:
        if not self.present(node):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, f"expected a list, found {self.describe(node)}", key)
        return list(node.value)

    def scalar(self, node: yaml.Node, key: str, kind: type) -> Any:
        value = self.construct(node, key) if isinstance(node, yaml.ScalarNode) else None
        # type() rather than isinstance(): YAML's true is a bool, and bool is an int.
        if type(value) is not kind:
            self.fail(node, f"expected {TYPE_NAMES[kind]}, found {self.describe(node)}", key)
        return value

    def heuristics(self, node: yaml.Node | None) -> str:
        if not self.present(node):
            return ALL
        value = self.scalar(node, "heuristics", str)
        if value not in LEVELS:
            self.fail(node, f"must be one of {', '.join(LEVELS)}, not '{value}'", "heuristics")
        return value

    def strings(self, node: yaml.Node | None, key: str) -> tuple[str, ...]:
        return tuple(self.scalar(n, f"{key}[{i}]", str)
                     for i, n in enumerate(self.sequence(node, key)))

    def host(self, node: yaml.Node, key: str) -> str:
        host = self.scalar(node, key, str)
        if not HOST.fullmatch(host):
            self.fail(node, f"'{host}' is not a bare lower-case host such as 'example.com' "
                      "or '.example.com'", key)
        return host

    def pattern(self, node: yaml.Node, key: str, flags: int = 0,
                whole_line: bool = False) -> regex.Pattern:
        source = self.scalar(node, key, str)
        try:
            return compile_line_pattern(source) if whole_line else regex.compile(source, flags)
        except regex.error as err:
            self.fail(node, f"bad regular expression {source!r}: {err}", key)
