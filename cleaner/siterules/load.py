"""Reading a rule file into a `RuleSet` (model.py): one schema, one error style.

Every problem raises `RuleError` naming the file, the line and the key path at fault
(`text.drop_lines[2].pattern`, `html.published[0].attribute`), with the closest known
key when a key is misspelt. The format is described in rules/README.md.
"""
from __future__ import annotations

import datetime as dt
import difflib
import zoneinfo
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final, NoReturn

import regex
import yaml
from cssselect import SelectorError
from lxml import etree
from yaml.constructor import ConstructorError, SafeConstructor

from ..errors import RuleError
from ..heuristics.levels import ALL, LEVELS
from .apply_html import compile_selector
from .model import (
    META_FIELDS,
    BlockRule,
    Check,
    HtmlRule,
    HtmlRules,
    LineRule,
    MetaRule,
    RuleSet,
    Selector,
    TextRules,
)
from .patterns import compile_line_pattern, compile_pattern, risk

RULE_SUFFIX = ".yaml"
# Keys allowed at each level of a rule file; any other key is refused with the closest match.
TOP_KEYS = ("id", "name", "version", "site", "match", "heuristics", "text", "html", "checks")
REQUIRED_KEYS = ("id", "name", "version", "match")
MATCH_KEYS = ("hosts", "fingerprints", "min_fingerprints")
TEXT_KEYS = ("title", "cut_before", "cut_after", "drop_lines", "drop_blocks", *META_FIELDS[1:])
HTML_KEYS = ("body", "strip", *META_FIELDS)
CHECK_KEYS = ("capture", "url", "keep", "drop", "meta")
# Keys of a rule written as a mapping, by the key it stands in; the first is required
# (drop_blocks need both start and end).
TEXT_ENTRY_KEYS = {
    "title": ("pattern", "name", "keep_line"),
    "cut_before": ("pattern", "name"),
    "cut_after": ("pattern", "name"),
    "drop_lines": ("pattern", "name"),
    "drop_blocks": ("start", "end", "name"),
    "published": ("pattern", "name", "format", "timezone", "keep_line"),
    "authors": ("pattern", "name", "split", "keep_line"),
}
HTML_ENTRY_KEYS = {
    "body": ("selector", "name"),
    "strip": ("selector", "name"),
    **{key: ("selector", "name", "attribute") for key in META_FIELDS},
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
ATTRIBUTE = regex.compile(r"[A-Za-z_:][-A-Za-z0-9_:.]*")
UTC_OFFSET = regex.compile(r"([+-])(\d\d):?(\d\d)")
# Attributes metadata is often read from: a list whose last item is one of these is the
# old `[selector, attribute]` form, which now would mean two alternative selectors.
COMMON_ATTRIBUTES = frozenset({"content", "datetime", "href", "src", "title", "alt", "value"})
TYPE_NAMES = {str: "text", int: "a whole number", bool: "true or false"}
# The tags YAML gives plain values by itself; an explicit tag (!!python/object, !foo)
# asks the loader to build something else, which a rule file never needs.
PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
)


# libyaml's parser when PyYAML was built with it: the same nodes and marks (checked on
# the bundled rule files), 20 times faster, which is most of a run's start-up.
COMPOSER: Final = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_ruleset(path: str | Path) -> RuleSet:
    """Read and validate one rule file; RuleError names the file, line and key at fault."""
    source = str(path)
    try:
        content = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise RuleError(source, f"cannot read: {err}") from err
    return parse_ruleset(content, source)


def parse_ruleset(content: str, source: str = "<rules>") -> RuleSet:
    """A RuleSet from the text of a rule file (`source` names it in errors)."""
    try:
        root = yaml.compose(content, Loader=COMPOSER)
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
    reader = _Reader(source)
    reader.refuse_tags(root)
    return reader.ruleset(root)


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

    def refuse_tags(self, root: yaml.Node) -> None:
        """Refuse explicit YAML tags anywhere in the file (`!!python/object:...`)."""
        stack = [root]
        while stack:
            node = stack.pop()
            if node.tag not in PLAIN_TAGS:
                tag = node.tag.replace("tag:yaml.org,2002:", "!!")
                self.fail(node, f"YAML tags such as '{tag}' are not allowed in a rule file: "
                          "write plain text, numbers, lists and mappings")
            if isinstance(node, yaml.SequenceNode):
                stack.extend(node.value)
            elif isinstance(node, yaml.MappingNode):
                stack.extend(part for pair in node.value for part in pair)

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
            html=self.html_rules(top.get("html")),
            checks=self.checks(top.get("checks")),
            id_line=top["id"].start_mark.line + 1,
        )

    # The text part.

    def text_rules(self, node: yaml.Node | None) -> TextRules:
        if not self.present(node):
            return TextRules()
        text = self.mapping(node, "text", TEXT_KEYS)
        found: dict[str, tuple] = {}
        for kind, value in text.items():
            key = f"text.{kind}"
            nodes = self.rule_list(value)
            if kind == "drop_blocks":
                found[kind] = tuple(self.block(n, f"{key}[{i}]") for i, n in enumerate(nodes))
            elif kind in META_GROUPS:
                found[kind] = tuple(self.meta_rule(n, f"{key}[{i}]", kind) for i, n in enumerate(nodes))
            else:
                found[kind] = tuple(self.line_rule(n, f"{key}[{i}]", kind) for i, n in enumerate(nodes))
        return TextRules(**found)

    def entry(self, node: yaml.Node, key: str, allowed: tuple[str, ...],
              required: tuple[str, ...], bare: str) -> dict[str, yaml.Node]:
        """A rule given bare (its `bare` key alone) or as a mapping of `allowed` keys."""
        if isinstance(node, yaml.ScalarNode):
            return {bare: node}
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
        entry = self.entry(node, key, TEXT_ENTRY_KEYS[kind], ("pattern",), "pattern")
        pattern = self.pattern(entry["pattern"], self.sub_key(node, key, "pattern"), whole_line=True)
        return LineRule(self.rule_name(entry, key, kind), pattern, self.line_of(node))

    def block(self, node: yaml.Node, key: str) -> BlockRule:
        if isinstance(node, yaml.ScalarNode):
            self.fail(node, "a block needs 'start' and 'end' patterns", key)
        entry = self.mapping(node, key, TEXT_ENTRY_KEYS["drop_blocks"], ("start", "end"))
        return BlockRule(
            self.rule_name(entry, key, "drop_blocks"),
            self.pattern(entry["start"], f"{key}.start", whole_line=True),
            self.pattern(entry["end"], f"{key}.end", whole_line=True),
            self.line_of(node),
        )

    def meta_rule(self, node: yaml.Node, key: str, kind: str) -> MetaRule:
        if kind == "title" and isinstance(node, yaml.ScalarNode) and node.value == FIRST_LINE:
            node = yaml.ScalarNode("tag:yaml.org,2002:str", FIRST_LINE_PATTERN,
                                   node.start_mark, node.end_mark)
        entry = self.entry(node, key, TEXT_ENTRY_KEYS[kind], ("pattern",), "pattern")
        group = META_GROUPS[kind]
        pattern_key = self.sub_key(node, key, "pattern")
        pattern = self.pattern(entry["pattern"], pattern_key, whole_line=True)
        if group not in pattern.groupindex:
            self.fail(entry["pattern"], f"the pattern needs a named group (?P<{group}>...)",
                      pattern_key)
        keep_line = False
        if self.present(entry.get("keep_line")):
            keep_line = self.scalar(entry["keep_line"], f"{key}.keep_line", bool)
        formats: tuple[str, ...] = ()
        if self.present(entry.get("format")):
            nodes = self.rule_list(entry["format"])
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
                        timezone, split, self.line_of(node))

    # The html part: the same shapes, with selectors in place of patterns.

    def html_rules(self, node: yaml.Node | None) -> HtmlRules:
        if not self.present(node):
            return HtmlRules()
        html = self.mapping(node, "html", HTML_KEYS)
        found: dict[str, tuple[HtmlRule, ...]] = {}
        for kind, value in html.items():
            nodes = self.rule_list(value)
            if kind in META_FIELDS:
                self.refuse_old_attribute_form(nodes, f"html.{kind}")
            found[kind] = tuple(self.html_rule(n, f"html.{kind}[{i}]", kind)
                                for i, n in enumerate(nodes))
        return HtmlRules(**found)

    def refuse_old_attribute_form(self, nodes: list[yaml.Node], key: str) -> None:
        """`[selector, attribute]` meant "read this attribute" in the old html part; in
        this schema a list gives alternatives, so say how to write it now."""
        if len(nodes) != 2 or not all(isinstance(n, yaml.ScalarNode) for n in nodes):
            return
        last = nodes[1].value
        if last in COMMON_ATTRIBUTES or last.startswith("data-"):
            self.fail(nodes[0], f"a list gives alternative selectors, and '{last}' reads as an "
                      f"attribute: write {{selector: '{nodes[0].value}', attribute: {last}}}", key)

    def html_rule(self, node: yaml.Node, key: str, kind: str) -> HtmlRule:
        entry = self.entry(node, key, HTML_ENTRY_KEYS[kind], ("selector",), "selector")
        selector_key = self.sub_key(node, key, "selector")
        text = self.scalar(entry["selector"], selector_key, str)
        if not text.strip():
            self.fail(entry["selector"], "a selector cannot be empty", selector_key)
        selector = Selector.of(text)
        try:
            compile_selector(selector)
        except (SelectorError, etree.XPathError) as err:
            self.fail(entry["selector"], f"bad selector {text!r}: {err}", selector_key)
        attribute = None
        if self.present(entry.get("attribute")):
            attribute = self.scalar(entry["attribute"], f"{key}.attribute", str)
            if not ATTRIBUTE.fullmatch(attribute):
                self.fail(entry["attribute"], f"'{attribute}' is not an attribute name",
                          f"{key}.attribute")
        name = self.rule_name(entry, key, "") or selector.text
        return HtmlRule(name, selector, attribute, self.line_of(node))

    # Checks.

    def checks(self, node: yaml.Node | None) -> tuple[Check, ...]:
        found = []
        for i, item in enumerate(self.sequence(node, "checks")):
            key = f"checks[{i}]"
            check = self.mapping(item, key, CHECK_KEYS, ("capture",))
            meta: dict[str, Any] = {}
            if self.present(check.get("meta")):
                self.mapping(check["meta"], f"{key}.meta", META_FIELDS)
                meta = {k: v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v
                        for k, v in self.construct(check["meta"], f"{key}.meta").items()}
            url = None
            if self.present(check.get("url")):
                url = self.scalar(check["url"], f"{key}.url", str)
            found.append(Check(
                capture=self.scalar(check["capture"], f"{key}.capture", str),
                keep=self.strings(check.get("keep"), f"{key}.keep"),
                drop=self.strings(check.get("drop"), f"{key}.drop"),
                meta=meta,
                url=url,
                line=self.line_of(item),
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
    def line_of(node: yaml.Node) -> int:
        return node.start_mark.line + 1

    @staticmethod
    def sub_key(node: yaml.Node, key: str, part: str) -> str:
        """The key path of a rule's pattern or selector: the entry itself when it is bare."""
        return key if isinstance(node, yaml.ScalarNode) else f"{key}.{part}"

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

    def rule_list(self, node: yaml.Node) -> list[yaml.Node]:
        """The rules under a key: one rule needs no list."""
        if isinstance(node, yaml.SequenceNode):
            return list(node.value)
        return [node] if self.present(node) else []

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
            compiled = compile_line_pattern(source) if whole_line else compile_pattern(source, flags)
        except regex.error as err:
            self.fail(node, f"bad regular expression {source!r}: {err}", key)
        problem = risk(source)
        if problem:
            self.fail(node, f"pattern {source!r} could take forever: {problem}", key)
        return compiled
