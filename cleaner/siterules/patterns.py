"""Rule patterns: compiling them, refusing the ones that can take forever, and running
them with a time budget.

A backtracking engine can take exponential time on a pattern such as `(a|a)+$` or
`(\\w+\\s?)+$`: a rule file (even another site's, through its fingerprints, which are
searched in every capture) could hang a whole run. Two defences:

- at load time, `risk` refuses the usual shapes of such patterns: a repeat whose body
  can match one text in two ways, because two of its alternatives can start alike, or
  because it holds another repeat and nothing else it requires tells the two apart
  (the classic nested quantifiers). The test is cheap and errs on the side of refusing;
  the message says how to write the pattern instead (possessive `++`, an atomic group
  `(?>...)`, or alternatives that start differently);
- at run time every rule pattern runs with a time budget (`RULE_TIMEOUT`); a pattern
  over budget raises `RuleTimeout`, which the caller turns into a warning naming the
  rule and the capture, and the rule is skipped for that capture.
"""
from __future__ import annotations

import re
import re._constants as sre  # the standard library's own pattern parser and its opcodes
import re._parser as sre_parse
from collections.abc import Iterator
from functools import lru_cache
from typing import Any, Final

import regex

# Seconds one search of one rule pattern may take on one capture: RULE_TIMEOUT, plus
# RULE_TIMEOUT_PER_MB for each million characters. The bundled rules' slowest searches
# take up to 42 ms for a text rule on 100,000 characters (about 0.4 s per million) and 16
# ms for a fingerprint, over the development set's 1,898 captures and the fixtures
# (bench/rule_thresholds.py, 2026-11-29, wall clock on the shared machine): the budget
# leaves twice that at any size and more on small captures, while a runaway pattern
# (exponential in the line's length) is stopped after a second or two.
RULE_TIMEOUT: Final = 1.0
RULE_TIMEOUT_PER_MB: Final = 1.0
# Repeats with an upper bound this high are treated as unbounded: (x{1,50}){1,50} backtracks
# as badly as (x+)+.
BIG_REPEAT: Final = 16
# Characters the load-time test tries as the first character of a match: ASCII and a few
# letters, digits, spaces and punctuation of other scripts.
SAMPLE_CHARS: Final = frozenset(
    [chr(c) for c in range(9, 14)] + [chr(c) for c in range(32, 127)]
    + list("\u00a0éÉßñçøЖжΩω中日ー’‘“”«»—–…·•٣")
)
# regex-only syntax that re's parser (used for the test) cannot read, replaced by an
# approximation good enough to judge overlaps: letters, digits, anything.
_PROPERTY = regex.compile(r"\\([pP])\{\^?(\w+)(?:[=:]\w+)?\}|\\([pP])(\w)")
_LETTERS_IN_CLASS = "A-Za-zÀ-ɏЀ-ӿ\u4e00-\u9fff"


class RuleTimeout(Exception):
    """A rule pattern ran over its time budget on one capture."""


def compile_pattern(source: str, flags: int = 0) -> regex.Pattern:
    """A compiled pattern; regex.error when it is not valid."""
    return regex.compile(source, flags)


def compile_line_pattern(source: str) -> regex.Pattern:
    """A text-rule pattern: it must match whole lines of the kept text, joined by newlines."""
    return regex.compile(rf"^(?:{source})$", regex.MULTILINE)


def search(pattern: regex.Pattern, text: str) -> regex.Match | None:
    """pattern.search(text) within the time budget; RuleTimeout past it.

    A pattern that can only match at the start of the text (`\\A...`) is matched there
    alone: the regex module would otherwise try it at every place of the text.
    """
    find = pattern.match if starts_at_text_start(pattern.pattern) else pattern.search
    try:
        return find(text, timeout=budget(text))
    except TimeoutError as err:
        raise RuleTimeout from err


def budget(text: str) -> float:
    """Seconds a search of `text` may take (see RULE_TIMEOUT)."""
    return RULE_TIMEOUT + RULE_TIMEOUT_PER_MB * len(text) / 1e6


@lru_cache(maxsize=4096)
def starts_at_text_start(source: str) -> bool:
    """Whether every match of `source` starts at the start of the text (it opens with \\A
    outside any alternation)."""
    try:
        parsed = sre_parse.parse(_approximate(source))
    except (re.error, RecursionError, OverflowError, ValueError):
        return False
    return len(parsed) > 0 and parsed[0] == (sre.AT, sre.AT_BEGINNING_STRING)


# Flags under which the characters a pattern spells out are the very characters it matches
# (regex.VERSION0 is the default syntax, which re's parser reads).
LITERAL_FLAGS: Final = regex.MULTILINE | regex.DOTALL | regex.UNICODE | regex.ASCII | regex.VERSION0
# The shortest text worth testing for before a search.
MIN_REQUIRED_CHARS: Final = 3
# regex-only syntax that re's parser would read as other characters: fuzzy matching
# ("{e<=1}"), POSIX classes ("[[:alpha:]]").
_OTHER_SYNTAX: Final = regex.compile(r"\{[^\d,]|\[:")


@lru_cache(maxsize=4096)
def required_text(pattern: regex.Pattern) -> str | None:
    """The longest run of plain characters that every match of `pattern` holds, or None.

    A search for a pattern costs a pass over the text, and more with a time budget; `in`
    tells as fast whether the text holds that run at all, which most captures do not for
    most rule sets' fingerprints. Read from the pattern's top-level sequence as re's
    parser reads it (each character there matches itself, in order); None when the
    pattern ignores case, uses syntax re reads otherwise or cannot read, or holds no run
    of MIN_REQUIRED_CHARS.
    """
    source = pattern.pattern
    if not isinstance(source, str) or pattern.flags & ~LITERAL_FLAGS or _OTHER_SYNTAX.search(source):
        return None
    try:
        parsed = sre_parse.parse(source)
    except (re.error, RecursionError, OverflowError, ValueError):
        return None
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE | re.LOCALE):
        return None
    best, run = "", ""
    for op, value in parsed:
        if op is sre.LITERAL:
            run += chr(value)
        else:
            best, run = max(best, run, key=len), ""
    best = max(best, run, key=len)
    return best if len(best) >= MIN_REQUIRED_CHARS else None


# Characters that markup holds and visible text rarely does ("<meta ...", "#tag"). Most
# text captures hold none of them, and a search for one character is several times
# faster than one for a longer text: `required_mark` lets a capture without the
# character skip the search for the text (on the development set's text captures, the
# bundled fingerprints' searches cost 152 us a capture, 28 us of them for the seven
# required texts with a "<" or "#", which 909 and 772 of the 949 captures lack).
RARE_MARKS: Final = "<>#={}[]|@\\^~`"


@lru_cache(maxsize=4096)
def required_mark(pattern: regex.Pattern) -> str | None:
    """The first character of `required_text(pattern)` that is one of RARE_MARKS, or None:
    a text without it holds no match of the pattern."""
    needed = required_text(pattern)
    return next((char for char in needed if char in RARE_MARKS), None) if needed else None


def find_all(pattern: regex.Pattern, text: str) -> list[regex.Match]:
    """Every match of pattern in text within the time budget; RuleTimeout past it."""
    try:
        return list(pattern.finditer(text, timeout=budget(text)))
    except TimeoutError as err:
        raise RuleTimeout from err


def risk(source: str) -> str | None:
    """Why a pattern could take exponential time, or None when the cheap test sees nothing.

    Patterns the standard parser cannot read even after the approximations (some of the
    regex module's own syntax) are not judged here: the time budget still holds them.
    """
    return _risk(source)


@lru_cache(maxsize=4096)
def _risk(source: str) -> str | None:
    try:
        parsed = sre_parse.parse(_approximate(source))
    except (re.error, RecursionError, OverflowError, ValueError):
        return None
    for body, flags_here in _big_repeat_bodies(list(parsed), parsed.state.flags):
        problem = _ambiguous(body, flags_here)
        if problem:
            return problem
    return None


def _approximate(source: str) -> str:
    """`source` with \\p{...} classes written as ranges re's parser reads."""
    out = []
    in_class = False
    i = 0
    while i < len(source):
        char = source[i]
        if char == "\\":
            match = _PROPERTY.match(source, i)
            if match:
                negated = (match.group(1) or match.group(3)) == "P"
                name = match.group(2) or match.group(4)
                out.append(_property_class(name, negated, in_class))
                i = match.end()
                continue
            out.append(source[i : i + 2])
            i += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class and source[i - 1] != "[" and source[i - 2 : i] != "[^":
            in_class = False
        out.append(char)
        i += 1
    return "".join(out)


def _property_class(name: str, negated: bool, in_class: bool) -> str:
    """An approximation of \\p{name}: letters, digits, or (negated, or unknown) anything."""
    if negated:
        inner = r"\s\S"
    elif name.startswith("L") or name.lower() in {"han", "hiragana", "katakana", "latin",
                                                    "cyrillic", "greek", "alpha", "alphabetic"}:
        inner = _LETTERS_IN_CLASS
    elif name.startswith("N") or name.lower() == "digit":
        inner = r"\d"
    else:
        inner = r"\s\S"
    return inner if in_class else f"[{inner}]"


def _big_repeat_bodies(items: list, flags: int) -> Iterator[tuple[list, int]]:
    """Bodies of the backtracking repeats with a high bound anywhere in `items`."""
    for op, value in items:
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            _, high, body = value
            if high == sre.MAXREPEAT or high >= BIG_REPEAT:
                yield list(body), flags
            yield from _big_repeat_bodies(list(body), flags)
        elif op == sre.SUBPATTERN:
            _, add_flags, del_flags, body = value
            yield from _big_repeat_bodies(list(body), (flags | add_flags) & ~del_flags)
        elif op == sre.BRANCH:
            for alternative in value[1]:
                yield from _big_repeat_bodies(list(alternative), flags)
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            yield from _big_repeat_bodies(list(value[1]), flags)
        elif op == sre.GROUPREF_EXISTS:
            for branch in value[1:]:
                if branch is not None:
                    yield from _big_repeat_bodies(list(branch), flags)
        # possessive repeats and atomic groups never give back what they took: not judged


def _ambiguous(body: list, flags: int) -> str | None:
    """Why a repeated `body` could match one text in several ways, or None."""
    items = _flatten(body)
    follow = _first(items, flags)[0]  # the next round starts as this one did
    for position, (op, value) in enumerate(items):
        if op != sre.BRANCH:
            continue
        after = _first(items[position + 1 :], flags, follow)[0]
        starts = []
        for alternative in value[1]:
            chars, nullable = _first(_flatten(list(alternative)), flags)
            starts.append(chars | after if nullable else chars)
        for i in range(len(starts)):
            for j in range(i + 1, len(starts)):
                if starts[i] & starts[j] or (not starts[i] and not starts[j]):
                    return ("a repeated group has alternatives that can match the same text "
                            "(as in (a|a)+): make them start differently, or make the repeat "
                            "possessive (++, *+) or the group atomic (?>...)")
    for position, (op, value) in enumerate(items):
        if op not in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            continue
        _, high, inner = value
        if not (high == sre.MAXREPEAT or high >= BIG_REPEAT):
            continue
        inner_chars = _chars_of(_flatten(list(inner)), flags)
        others = items[:position] + items[position + 1 :]
        if all(_nullable([item]) or _single_chars(item, flags) & inner_chars
               for item in others):
            return ("a repeat inside a repeat can split the same text in many ways (as in "
                    "(a+)+ or (\\w+\\s?)+): repeat once, or make the inner repeat possessive "
                    "(++, *+) or the group atomic (?>...)")
    return None


def _flatten(items: list) -> list:
    """`items` with plain groups opened: their items are part of the sequence."""
    flat: list = []
    for op, value in items:
        if op == sre.SUBPATTERN and not value[1] and not value[2]:
            flat.extend(_flatten(list(value[3])))
        else:
            flat.append((op, value))
    return flat


def _first(items: list, flags: int, follow: frozenset[str] = frozenset()
           ) -> tuple[frozenset[str], bool]:
    """(characters a match of `items` can start with, whether it can match nothing);
    `follow` is what may come after when it can."""
    chars: set[str] = set()
    for op, value in items:
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue  # zero-width: the next item starts the match
        if op == sre.SUBPATTERN:
            inner, nullable = _first(list(value[3]), (flags | value[1]) & ~value[2])
        elif op == sre.ATOMIC_GROUP:
            inner, nullable = _first(list(value), flags)
        elif op == sre.BRANCH:
            found = [_first(list(alternative), flags) for alternative in value[1]]
            inner = frozenset().union(*(f[0] for f in found))
            nullable = any(f[1] for f in found)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, _, body = value
            inner, nullable = _first(list(body), flags)
            nullable = nullable or low == 0
        elif op in (sre.GROUPREF, sre.GROUPREF_EXISTS):
            return frozenset(chars | SAMPLE_CHARS), True  # anything, judged loosely
        else:
            chars |= _single_chars((op, value), flags)
            return frozenset(chars), False
        chars |= inner
        if not nullable:
            return frozenset(chars), False
    return frozenset(chars | follow), True


def _chars_of(items: list, flags: int) -> frozenset[str]:
    """Every character a match of `items` may hold (its single-character items')."""
    chars: set[str] = set()
    for op, value in items:
        if op == sre.SUBPATTERN:
            chars |= _chars_of(list(value[3]), (flags | value[1]) & ~value[2])
        elif op == sre.BRANCH:
            for alternative in value[1]:
                chars |= _chars_of(list(alternative), flags)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            chars |= _chars_of(list(value[2]), flags)
        elif op == sre.ATOMIC_GROUP:
            chars |= _chars_of(list(value), flags)
        else:
            chars |= _single_chars((op, value), flags)
    return frozenset(chars)


def _nullable(items: list) -> bool:
    return _first(items, 0)[1]


def _single_chars(item: tuple[Any, Any], flags: int) -> frozenset[str]:
    """The sample characters a one-character item matches (none for other items)."""
    op, value = item
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and value[0] >= 1:
        body = _flatten(list(value[2]))
        return _single_chars(body[0], flags) if len(body) == 1 else frozenset()
    if op == sre.LITERAL:
        char = chr(value)
        return frozenset({char, char.lower(), char.upper()} if flags & re.IGNORECASE else {char})
    if op == sre.NOT_LITERAL:
        return SAMPLE_CHARS - {chr(value)}
    if op == sre.ANY:
        return SAMPLE_CHARS if flags & re.DOTALL else SAMPLE_CHARS - {"\n"}
    if op == sre.IN:
        return _class_chars(value, flags)
    return frozenset()


def _class_chars(items: list, flags: int) -> frozenset[str]:
    negate = False
    found: set[str] = set()
    for op, value in items:
        if op == sre.NEGATE:
            negate = True
        elif op == sre.LITERAL:
            found.add(chr(value))
        elif op == sre.RANGE:
            low, high = value
            found |= {c for c in SAMPLE_CHARS if low <= ord(c) <= high}
        elif op == sre.CATEGORY:
            found |= _CATEGORIES.get(value, SAMPLE_CHARS)
    if flags & re.IGNORECASE:
        found |= {c.lower() for c in found} | {c.upper() for c in found}
    return frozenset(SAMPLE_CHARS - found if negate else found & SAMPLE_CHARS)


def _category(test: str) -> frozenset[str]:
    pattern = re.compile(test)
    return frozenset(c for c in SAMPLE_CHARS if pattern.fullmatch(c))


_CATEGORIES: Final = {
    sre.CATEGORY_DIGIT: _category(r"\d"),
    sre.CATEGORY_NOT_DIGIT: _category(r"\D"),
    sre.CATEGORY_SPACE: _category(r"\s"),
    sre.CATEGORY_NOT_SPACE: _category(r"\S"),
    sre.CATEGORY_WORD: _category(r"\w"),
    sre.CATEGORY_NOT_WORD: _category(r"\W"),
}
