"""Line-local noise rules: a line is judged on its own text, whatever surrounds it.

Valid for any capture kind, so the HTML path can run them on its own blocks too.
"""
from __future__ import annotations

import re
from typing import Final

# The standard `re` module runs the simple patterns below faster than `regex`; `regex` is
# kept where a pattern needs Unicode properties (\p{Lu}) or runs faster there.
import regex
from mypy_extensions import i64

from .. import reasons as R
from ..document import Document, Line, LineFacts
from ..text.build import COMPILED
from ..text.dates import CASE_LOOK_ALIKES, find_date, has_digit
from . import vocab
from .features import is_sentence, word_count


def _phrases(words: str) -> frozenset[str]:
    """The set of `|`-separated phrases."""
    return frozenset(words.split("|"))


def _alternation(words: str) -> str:
    """A regex alternation of `|`-separated phrases, longest first, each escaped."""
    return "|".join(re.escape(w) for w in sorted(words.split("|"), key=len, reverse=True))


# Whole-line phrases, looked up after `line_key` has trimmed counters and punctuation.
NAVIGATION: Final = _phrases(vocab.NAVIGATION)
SHARING: Final = _phrases(vocab.SHARING)
READ_MORE: Final = _phrases(vocab.READ_MORE)
# Headings that end the article, by the reason they are dropped for.
SECTION_HEADINGS: Final = {
    **{phrase: R.RELATED_HEADING for phrase in _phrases(vocab.RELATED_HEADINGS)},
    **{phrase: R.COMMENTS_HEADING for phrase in _phrases(vocab.COMMENT_HEADINGS)},
    **{phrase: R.AUTHOR_HEADING for phrase in _phrases(vocab.AUTHOR_HEADINGS)},
}
ADVERTISING: Final = _phrases(vocab.ADVERTISING)
COMMENT_ACTIONS: Final = _phrases(vocab.COMMENT_ACTIONS)
# The other whole-line phrases and the reason each is dropped for, looked up at once; a
# phrase in several lists takes the reason of the first list named.
PHRASE_REASONS: Final = {
    phrase: reason
    for phrases, reason in reversed((
        (SHARING, R.SHARE_LINE),
        (READ_MORE, R.READ_MORE),
        (NAVIGATION, R.NAV_LINE),
        (ADVERTISING, R.ADVERTISEMENT),
        (COMMENT_ACTIONS, R.COMMENT_ACTION),
    ))
    for phrase in phrases
}
# Both, looked up at once (a heading's reason wins, as it is asked first): most short
# lines are neither, told by one lookup instead of two.
SHORT_LINE_KEYS: Final = {**PHRASE_REASONS, **SECTION_HEADINGS}

# What `line_key` trims from both ends: digits, punctuation, arrows and symbols
# ("Kommentare (3)", "← Zurück", "Teilen:", "4 Comments", "×Close").
KEY_EDGES: Final = (
    " \t0123456789.,:;!?¡¿()[]{}<>«»‹›\"'“”„‘’`*•·|/\\-–—_~+=#@%&^$€£¥©®™°…"
    "→←↑↓↗▶►◄▸▾▼▲×✕✖✓✔☰≡"
)


def code_table(chars: str) -> bytes:
    """`chars` by code point, 1 for each of them, up to the highest (for `edges_stripped`)."""
    return bytes(chr(code) in chars for code in range(max(map(ord, chars)) + 1))


KEY_EDGE_CODES: Final = code_table(KEY_EDGES)  # (all of them below U+2800)
COLON: Final = 0x3A
SPACE: Final = 0x20
# Separators of one-line menus: "Home | News | Contact", "Impressum · Datenschutz".
MENU_SEPARATOR_CHARS: Final = "|•·/"
MENU_SEPARATORS: Final = re.compile(r"\s*[" + MENU_SEPARATOR_CHARS + r"]\s*")
# The same characters as code points, for `_first_separator`'s compiled loop.
PIPE: Final = 0x7C
BULLET_POINT: Final = 0x2022
MIDDLE_DOT: Final = 0xB7
SLASH: Final = 0x2F
# A line that is only a bullet, an arrow or a rule.
BULLET: Final = re.compile(r"[-*•·|»«>›‹<–—~+#=_.…→←↑↓▶►◄▸\s]+")
# "Lea también: <headline>", "Read more: ...", "Lesen Sie auch – ..."
RELATED_LINK: Final = re.compile(
    r"(?:" + _alternation(vocab.RELATED_PREFIXES) + r")\s*[:：»›|–—-]+\s*\S", re.IGNORECASE
)
# "5 min read", "Lesezeit: 4 Minuten", "weiterlesen 5 Minuten", "Temps de lecture : 3 min".
_MINUTES = r"\d+\s*(?:-|–)?\s*(?:min\.?|mins|minute|minutes|minuten|minutos|minuti|minuut|minuten)"
MIN_READ: Final = regex.compile(
    rf"(?:{_MINUTES}\s*(?:read|reading|lesezeit|lesen|de lecture|de lectura|di lettura|de leitura"
    r"|leestijd|leer|lectura|lettura|leitura))|(?:(?:read|reading time|lesezeit|lesedauer"
    r"|temps de lecture|tiempo de lectura|tempo di lettura|tempo de leitura|leestijd"
    rf"|weiterlesen|lectura|lettura|leitura)\s*[:：]?\s*(?:ca\.\s*)?{_MINUTES})",
    regex.IGNORECASE,
)
# "1.234 views", "Aufrufe: 87", "4 Tsd. Abonnenten", "1,2K shares": what is counted (a
# trailing "?": the letter before it may be left out).
COUNTED_WORDS: Final = (
    "views?", "reads?", "aufrufe", "ansichten", "mal gelesen", "gelesen", "vues", "lectures",
    "visitas", "vistas", "lecturas", "visualizzazioni", "letture", "visualizações", "leituras",
    "weergaven", "keer gelezen", "shares?", "likes?", "abonnenten", "followers?", "subscribers?",
    "abonnés", "seguidores", "comments?", "kommentare?", "commentaires?", "comentarios?",
    "commenti", "comentários", "reacties", "reactions?", "reaktionen",
)
_COUNTED = "(?:" + "|".join(COUNTED_WORDS) + ")"
# (The number's digits and separators are taken possessively, *+: a word never starts
# with one of them, so giving some back could not help a match and only costs time.)
VIEW_COUNTER: Final = re.compile(
    rf"(?:\d[\d.,\s]*+(?:k|m|tsd\.?|mio\.?)?\s*{_COUNTED}|{_COUNTED}\s*[:：]?\s*\d[\d.,\s]*+(?:k|m)?)",
    re.IGNORECASE,
)
# A comment's header: a name and "says:" (with a date it is a date line anyway).
COMMENT_HEADER: Final = regex.compile(
    r"\p{Lu}[\p{L}\d .'’_-]{0,40}\s(?i:" + _alternation(vocab.COMMENT_VERBS) + r")\s*:"
)
# A line of numbers only: list ranks, counters, page numbers.
NUMBERS_ONLY: Final = re.compile(r"[\d\s.,:/%()+#-]+")
# "vor 3 Stunden", "2 hours ago", "il y a 5 min", "hace 7 horas", "há 2 dias".
TIME_AGO_OPENINGS: Final = ("vor", "il y a", "hace", "há", "fa")
RELATIVE_TIME: Final = re.compile(
    "(?:" + "|".join(TIME_AGO_OPENINGS) + ")"
    r"?\s*\d++\s*(?:sek(?:unden)?|sec(?:onds?)?|min(?:uten|utes?|utos|uti)?"
    r"|std|stunden?|hours?|hrs?|heures?|horas?|ore|uur|tagen?|days?|jours?|días|dias|giorni"
    r"|dagen|wochen|weeks?|semaines?|semanas?|settimane|weken|monaten?|months?|mois|meses|mesi"
    r"|maanden|jahren?|years?|ans?|años|anni|jaar)\.?\s*(?:ago|geleden|fa)?",
    re.IGNORECASE,
)
# The same two for lower-cased lines: their letters are all lower case, and matching
# ignoring case is several times slower (see _short_line_reason).
VIEW_COUNTER_LOWER: Final = re.compile(VIEW_COUNTER.pattern)
RELATIVE_TIME_LOWER: Final = re.compile(RELATIVE_TIME.pattern)
# What the first and last characters of a lower-case line these two match can be, for
# `may_count` and `may_be_time_ago` (a test or two instead of a match that fails: of the
# dev set's short lines with a digit, most are dates and times, "12 March 2021",
# "Posted on 12.3.2021", which neither can match). A counter is a number then a counted
# word (it starts with a digit and ends with a word's last letter, ASCII in every one),
# or a counted word then a number (it starts with the word's first letter and ends with
# a digit, ".", ",", a space, or the "k" or "m" of thousands and millions); a relative
# time opens with one of TIME_AGO_OPENINGS, a space or a digit, and ends after its unit.
COUNTED_FIRST_LETTERS: Final = "".join(sorted({word[0] for word in COUNTED_WORDS}))
NUMBER_SUFFIX_LETTERS: Final = "km"
TIME_AGO_FIRST_LETTERS: Final = "".join(sorted({opening[0] for opening in TIME_AGO_OPENINGS}))
# "Photo: Jane Doe", "Bild: dpa", "(Credit: Grist)", "Foto von X", "APA/Georg Hochmuth", "©5 Minuten".
CREDIT: Final = re.compile(
    r"\(?\s*(?:(?:" + _alternation(vocab.CREDIT_WORDS) + r")\s*(?:[:|/©]|by\b|von\b|de\b|par\b|di\b)"
    r"|©|\(c\)\s|copyright\b)",
    re.IGNORECASE,
)
# A caption ending in its credit: "... Foto: Timur | flickr", "(REUTERS/Denis Balibouse)",
# "© Sergey Nivens – stock.adobe.com", "(Quelle: Hume/Unsplash/DJV)". Its three parts:
# a label ("Foto:") or a ©, then the credit's text; or a credit in brackets.
_CREDIT_LABEL = r"\b(?:" + _alternation(vocab.CREDIT_WORDS) + r"|photograph|bildquelle|abbildung)\s*"
_CREDIT_TEXT = r"[^.!?:]{1,80}\)?\.?"
_BRACKETED_CREDIT = r"[^()]{0,40}(?:/|\b(?:" + _alternation(vocab.CREDIT_WORDS) + r")\b)[^()]{0,40}"
TRAILING_CREDIT: Final = regex.compile(
    rf"(?:(?:{_CREDIT_LABEL}:|©){_CREDIT_TEXT}|\({_BRACKETED_CREDIT}\))$", regex.IGNORECASE
)
# The same parts on their own, for `ends_in_credit`: the label matched backwards from
# where it must end, the rest where it must start.
CREDIT_LABEL: Final = regex.compile("(?r)" + _CREDIT_LABEL, regex.IGNORECASE)
CREDIT_TEXT: Final = regex.compile(_CREDIT_TEXT, regex.IGNORECASE)
BRACKETED_CREDIT: Final = regex.compile(_BRACKETED_CREDIT, regex.IGNORECASE)
# The first words of the credit phrases: a bracket of ASCII text holds a credit only
# if one of them is a word of it, or a "/" (see `may_hold_credit`).
CREDIT_PHRASE_FIRST_WORDS: Final = frozenset(
    phrase.split()[0] for phrase in vocab.CREDIT_WORDS.split("|")
)
# The longest credit text after a label or ©: 80 characters, a bracket and a full stop.
CREDIT_TEXT_CHARS: Final = 82
# Fragments that give a line away wherever they stand in it, with the reason they carry.
FRAGMENT_REASONS: Final = (
    (R.COPYRIGHT, vocab.COPYRIGHT_FRAGMENTS),
    (R.COMMENT_FORM, vocab.COMMENT_FORM_FRAGMENTS),
    (R.COOKIE_NOTICE, vocab.COOKIE_FRAGMENTS),
    (R.SUBSCRIBE_LINE, vocab.SUBSCRIBE_FRAGMENTS),
    (R.SITE_ENGINE, vocab.SITE_ENGINE_FRAGMENTS),
    (R.DISCLOSURE, vocab.DISCLOSURE_FRAGMENTS),
    (R.WIDGET_LINE, vocab.WIDGET_FRAGMENTS),
)
# The words of a phrase, as fragments are indexed by them.
WORDS: Final = re.compile(r"\w+")
# Punctuation that may cling to a word when a line is split at spaces only.
CLINGING: Final = ("", ".", ",", ":", ";", "!", "?", ")", "(")


def _by_trigger(
    groups: tuple[tuple[str, str], ...],
) -> dict[str, tuple[tuple[str, str, int], ...]]:
    """Fragments indexed by their longest word, bare and with clinging punctuation, so that
    a line split at spaces is only searched for fragments whose key word it holds; each
    with its reason and the rank of its group (the first group named wins)."""
    index: dict[str, list[tuple[str, str, int]]] = {}
    for rank, (reason, words) in enumerate(groups):
        for phrase in words.split("|"):
            trigger = max(WORDS.findall(phrase), key=len)
            for variant in {trigger + c for c in CLINGING} | {"(" + trigger}:
                index.setdefault(variant, []).append((phrase, reason, rank))
    return {trigger: tuple(found) for trigger, found in index.items()}


def _first_words(words: str) -> frozenset[str]:
    """First words of `|`-separated phrases: a cheap test before an anchored regex."""
    return frozenset(phrase.split()[0] for phrase in words.split("|"))


FRAGMENTS: Final = _by_trigger(FRAGMENT_REASONS)
# The lengths of the words that trigger a fragment: a third of a line's words are
# shorter ("the", "of", "a"), and are not looked up.
MIN_TRIGGER_CHARS: Final[int] = min(map(len, FRAGMENTS))
MAX_TRIGGER_CHARS: Final[int] = max(map(len, FRAGMENTS))


def trigger_shape(word: str) -> int:
    """Where a word of MIN_TRIGGER_CHARS to MAX_TRIGGER_CHARS characters stands in
    TRIGGER_SHAPES: by its length and the low seven bits of its first and last character."""
    return shape_of(len(word), ord(word[0]), ord(word[-1]))


def shape_of(size: i64, first: i64, last: i64) -> i64:
    """`trigger_shape` of a word of `size` characters whose first and last characters
    have these code points (read off a line without slicing the word out of it)."""
    return ((size - MIN_TRIGGER_CHARS) << 14) | ((first & 0x7F) << 7) | (last & 0x7F)


def _shapes(words: dict[str, tuple[tuple[str, str, int], ...]]) -> bytes:
    """TRIGGER_SHAPES of these trigger words: 1 at each one's `trigger_shape`."""
    table = bytearray((MAX_TRIGGER_CHARS - MIN_TRIGGER_CHARS + 1) << 14)
    for word in words:
        table[trigger_shape(word)] = 1
    return bytes(table)


# Whether a word of that length, first and last character may trigger a fragment: of
# the words of the dev set's text lines of 40 words or less that have a trigger's
# length, 8% have a trigger's shape (2026-11-30); one lookup here rules the others out
# before FRAGMENTS is looked up (which hashes the word).
TRIGGER_SHAPES: Final = _shapes(FRAGMENTS)
CREDIT_FIRST_WORDS: Final = _first_words(vocab.CREDIT_WORDS) | {"©", "(c)", "copyright"}
CREDIT_WORD_SET: Final = _phrases(vocab.CREDIT_WORDS) | {"photograph", "bildquelle", "abbildung"}
RELATED_FIRST_WORDS: Final = _first_words(vocab.RELATED_PREFIXES)
# Characters stripped from a line's first word before looking it up.
FIRST_WORD_EDGES: Final = "([{:;,.-–—»«\"'“„"
FIRST_WORD_EDGE_CODES: Final = code_table(FIRST_WORD_EDGES)

# Whole-line rules (menu entries, share buttons, headings) only judge lines this short:
# the longest such phrases ("das könnte sie auch interessieren") have five words.
SHORT_WORDS: Final = 6
# A caption credit ("Foto: dpa/Jane Doe") is a few words; a longer "Photo: ..." line is
# usually a caption sentence that belongs to the article as much as anything.
CREDIT_MAX_WORDS: Final = 8
# Date, time and counter lines: a date with a place, a "Published on" or an author's name
# stays short; anything longer is a sentence that happens to hold a date.
DATE_LINE_MAX_WORDS: Final = 14
# What may remain of a date line once the date is cut out: "Veröffentlicht am", "Updated".
DATE_LINE_REST_WORDS: Final = 4
# ... or, when the line does not end as a sentence does, a byline and a counter with it:
# "23.06.2016 um 16:14 Uhr - Markus Reuter - 91 Ergänzungen", "Comment by Bob — 17.07, 2011".
DATELINE_REST_WORDS: Final = 9
# Copyright, cookie, comment-form and newsletter sentences are one or two sentences long;
# beyond this a line mentioning them is more likely article text about the subject.
FRAGMENT_MAX_WORDS: Final = 40
# Image captions run to a sentence or two before their credit.
CAPTION_MAX_WORDS: Final = 45
# A related-link line is a prefix and one headline.
RELATED_LINK_MAX_WORDS: Final = 25
# No rule looks at longer lines.
LONGEST_NOISE_WORDS: Final = max(CAPTION_MAX_WORDS, FRAGMENT_MAX_WORDS)


def line_key(text: str) -> str:
    """The lower-case words of a line without counters and punctuation at either end."""
    return _key(text.lower())


def _key(lower: str) -> str:
    """lower.strip(KEY_EDGES). KEY_EDGES holds no ASCII letter: a line that starts and
    ends with one (most lines do) is its own key, told without the strip, which looks
    each end's character up among the hundred of KEY_EDGES."""
    if lower:
        first, last = ord(lower[0]), ord(lower[-1])
        if 0x61 <= first <= 0x7A and 0x61 <= last <= 0x7A:
            return lower
    return edges_stripped(lower, KEY_EDGE_CODES) if COMPILED else lower.strip(KEY_EDGES)


def edges_stripped(text: str, edges: bytes) -> str:
    """text.strip(chars) for the characters `chars` whose code points `edges` marks (1 at
    each; none at or past its end), by two loops on native integers (see text.build):
    CPython's strip() first builds a filter of all of `chars`, on every call, which costs
    more than the few characters most lines have to strip."""
    size: i64 = len(edges)
    start: i64 = 0
    end: i64 = len(text)
    while start < end:
        code: i64 = ord(text[start])
        if code >= size or not edges[code]:
            break
        start += 1
    while end > start:
        code = ord(text[end - 1])
        if code >= size or not edges[code]:
            break
        end -= 1
    return text[start:end]


def is_date_line(text: str) -> bool:
    """True for a line that is a date (or time) with at most a few words around it."""
    if word_count(text) > DATE_LINE_MAX_WORDS or not has_digit(text):
        return False
    return _is_date_line(text)


def _is_date_line(text: str) -> bool:
    """`is_date_line` for a short line known to hold a digit."""
    found = find_date(text)
    if found is None:
        return False
    rest = len(line_key(text[: found.start] + " " + text[found.end :]).split())
    return rest <= DATE_LINE_REST_WORDS or (rest <= DATELINE_REST_WORDS and not is_sentence(text))


def line_facts(line: Line) -> LineFacts:
    """The LineFacts of a line, measured once per line."""
    facts = line.facts
    if facts is None:
        facts = line.facts = text_facts(line.text)
    return facts


# Menus, share bars and footers repeat across a site's pages: remembering the facts of
# recent lines saves measuring them again on a batch. Two plain dicts, the recent lines
# and the ones before them: read from compiled code several times faster than an
# lru_cache (whose wrapper is a call through Python's calling convention), and, unlike
# one dict emptied from its front, each step costs the same however long the run (a
# dict's iterator skips over every entry deleted before it). Which lines are remembered
# changes speed only, never a result.
FACTS_GENERATION: Final = 1 << 15
_recent_facts: Final[dict[str, LineFacts]] = {}
_older_facts: Final[dict[str, LineFacts]] = {}


def text_facts(text: str) -> LineFacts:
    """Word count, whether it ends as a sentence, and noise reason of a line's text: its
    words one space apart and no other whitespace in it, as every line is made
    (text.lines: split_lines, normalise), which the word count and the words read for
    fragments (`spaced_fragment_reason`) count on."""
    facts = _recent_facts.get(text)
    if facts is None:
        facts = _older_facts.get(text)
        if facts is None:
            words = word_count(text)
            facts = LineFacts(words, is_sentence(text), _noise_reason(text, words))
        if len(_recent_facts) >= FACTS_GENERATION:
            # the recent lines become the older ones; those before them are forgotten
            _older_facts.clear()
            _older_facts.update(_recent_facts)
            _recent_facts.clear()
        _recent_facts[text] = facts
    return facts


def clear_line_caches() -> None:
    """Forget every line's facts and the dates found in lines: what a pass over captures
    remembers for the next (benchmarks start each timed pass so)."""
    _recent_facts.clear()
    _older_facts.clear()
    find_date.cache_clear()


def noise_reason(text: str) -> str | None:
    """Why a line is page furniture on its own, or None when it may be article text."""
    return text_facts(text).reason


def _noise_reason(text: str, words: int) -> str | None:
    """`noise_reason` of a text of `words` words."""
    if words > LONGEST_NOISE_WORDS:
        return None
    lower = text.lower()
    # only the short-line and date rules look for digits
    digit = words <= DATE_LINE_MAX_WORDS and has_digit(text)
    if words <= SHORT_WORDS:
        reason = _short_line_reason(text, lower, digit)
        if reason:
            return reason
    if words <= DATE_LINE_MAX_WORDS and digit:
        if "min" in lower and MIN_READ.search(text):
            return R.MIN_READ
        if _is_date_line(text):
            return R.DATE_LINE
    if words <= RELATED_LINK_MAX_WORDS:
        first = first_word(lower)
        if (
            words <= CREDIT_MAX_WORDS
            and (first in CREDIT_FIRST_WORDS or text[:1] in ("©", "("))
            and CREDIT.match(text)
        ):
            return R.CREDIT_LINE
        if first in RELATED_FIRST_WORDS and RELATED_LINK.match(text):
            return R.RELATED_LINK
    # the cheap part of `_credit_mark` first: most lines have no ©, ")" or ":"
    if (
        words <= CAPTION_MAX_WORDS
        and ("©" in lower or ":" in lower or lower[-1:] == ")")
        and _credit_mark(lower)
        and ends_in_credit(text)
    ):
        return R.CAPTION
    if words <= FRAGMENT_MAX_WORDS:
        return _fragment_reason(lower)
    return None


def first_word(lower: str) -> str:
    """The first word of a lower-case line, stripped of FIRST_WORD_EDGES: what stands
    before its first space (a line's words stand one space apart, and no other
    whitespace is left in it: see `text_facts`), sliced off instead of splitting the whole
    line. A word that starts and ends with an ASCII letter (most do) is its own, told
    without the strip (FIRST_WORD_EDGES holds no ASCII letter)."""
    end = lower.find(" ")
    word = lower if end < 0 else lower[:end]
    if not word:
        return ""
    first, last = ord(word[0]), ord(word[-1])
    if 0x61 <= first <= 0x7A and 0x61 <= last <= 0x7A:
        return word
    return edges_stripped(word, FIRST_WORD_EDGE_CODES) if COMPILED else word.strip(FIRST_WORD_EDGES)


def _fragment_reason(lower: str) -> str | None:
    """The reason of the first fragment group (FRAGMENT_REASONS) one of whose fragments
    the lower-case line `lower` holds, looked for by its words that trigger one; or None.
    Compiled, the words are read between the line's spaces (`spaced_fragment_reason`);
    plain Python splits the line, which costs it less than a loop."""
    if COMPILED:
        return spaced_fragment_reason(lower)
    return token_fragment_reason(lower.split(), lower)


def spaced_fragment_reason(lower: str) -> str | None:
    """`token_fragment_reason(lower.split(), lower)` for a line whose only whitespace is
    spaces (see `text_facts`), by one loop over its code points on native integers (see
    text.build): only a word of a trigger's length and shape is sliced out and looked
    up. Splitting made a string of every word (most lines hold no trigger at all, and a
    third of their words are too short for one); a find() per word cost a third more
    than this loop (2026-11-30)."""
    best_rank = len(FRAGMENT_REASONS)
    best: str | None = None
    end: i64 = len(lower)
    start: i64 = 0  # where the word that ends at `i` starts
    for i in range(end + 1):
        if i < end and ord(lower[i]) != SPACE:
            continue
        size: i64 = i - start
        if (
            MIN_TRIGGER_CHARS <= size <= MAX_TRIGGER_CHARS
            and TRIGGER_SHAPES[shape_of(size, ord(lower[start]), ord(lower[i - 1]))]
        ):
            candidates = FRAGMENTS.get(lower[start:i])
            if candidates is not None:
                # the first fragment group that matches decides, whatever order the words are in
                for phrase, reason, rank in candidates:
                    if rank < best_rank and phrase in lower:
                        best_rank, best = rank, reason
        start = i + 1
    return best


def token_fragment_reason(tokens: list[str], lower: str) -> str | None:
    """`_fragment_reason` of `lower` by its words `tokens`: a plain loop over them, faster
    than a set operation with the index (most lines hold no trigger at all)."""
    best_rank = len(FRAGMENT_REASONS)
    best: str | None = None
    for word in tokens:
        size = len(word)
        if size < MIN_TRIGGER_CHARS or size > MAX_TRIGGER_CHARS:
            continue
        candidates = FRAGMENTS.get(word)
        if candidates is not None:
            # the first fragment group that matches decides, whatever order the words are in
            for phrase, reason, rank in candidates:
                if rank < best_rank and phrase in lower:
                    best_rank, best = rank, reason
    return best


def ends_in_credit(text: str) -> bool:
    """Whether TRAILING_CREDIT matches `text`, told by trying it only where a match can
    start: searching for it tries every place in the line, each with every credit word.

    A match ends the line (`$`), so it is one of: a bracket that opens at the last "("
    and closes at the end; a label whose colon is the line's last colon (the credit text
    holds none); a © among the last characters after that colon.
    """
    if "\n" in text:  # `$` also matches before a final line end: leave it to the pattern
        return TRAILING_CREDIT.search(text) is not None
    end = len(text)
    if text.endswith(")"):
        opening = text.rfind("(")
        if (
            opening >= 0
            and text.find(")", opening) == end - 1
            # "(3)" counts something: no credit word or "/" is all digits
            and not text[opening + 1 : end - 1].isdigit()
            and may_hold_credit(text[opening + 1 : end - 1])
            and BRACKETED_CREDIT.fullmatch(text, opening + 1, end - 1)
        ):
            return True
    colon = text.rfind(":")
    if colon >= 0 and CREDIT_TEXT.fullmatch(text, colon + 1) and CREDIT_LABEL.match(text, 0, colon):
        return True
    mark = text.find("©", max(colon + 1, end - CREDIT_TEXT_CHARS - 1))
    while mark >= 0:
        if CREDIT_TEXT.fullmatch(text, mark + 1):
            return True
        mark = text.find("©", mark + 1)
    return False


def may_hold_credit(inner: str) -> bool:
    """False when BRACKETED_CREDIT cannot match the text `inner` of a bracket: ASCII text
    without a "/" whose words (WORDS, lower-cased) are none of CREDIT_PHRASE_FIRST_WORDS.
    A word or a phrase the pattern finds between word boundaries starts a word of the
    text; in ASCII text, ignoring case is lower-casing (past ASCII, the pattern decides).
    Most brackets at a line's end hold no credit ("(statt 238€)", "(so im Prospekt)"),
    and the pattern tries its words at each of their places, several times over."""
    if "/" in inner or not inner.isascii():
        return True
    return not CREDIT_PHRASE_FIRST_WORDS.isdisjoint(WORDS.findall(inner.lower()))


def _credit_mark(lower: str) -> bool:
    """True when a line may end in a credit: a ©, a closing bracket, or "credit-word:"."""
    if "©" in lower or lower.endswith(")"):
        return True
    colon = lower.rfind(":")
    if colon <= 0:
        return False
    before = lower[:colon].rsplit(None, 1)
    return bool(before) and before[-1].strip(FIRST_WORD_EDGES) in CREDIT_WORD_SET


def _short_line_reason(text: str, lower: str, digit: bool) -> str | None:
    key = _key(lower)
    if not key:
        if BULLET.fullmatch(text):
            return R.BULLET_MARKER
        return R.NUMBER_LINE if NUMBERS_ONLY.fullmatch(text) else R.SYMBOL_LINE
    keyed = SHORT_LINE_KEYS.get(key)
    if keyed is not None:
        # "953 Kommentare" is a link to the comments, not the heading that opens them
        return R.VIEW_COUNTER if digit and key in SECTION_HEADINGS else keyed
    # (COMMENT_HEADER ends in its colon, and the text must end where it does; text is not
    # empty, its key is not)
    if ord(text[-1]) == COLON and COMMENT_HEADER.fullmatch(text):
        return R.COMMENT_ACTION
    if digit:
        # these patterns ignore case: their lower-case twins on the lower-cased line
        # match alike and much faster, unless lower-casing changed the line's length or
        # the line holds a letter they match that lower() does not make (CASE_LOOK_ALIKES)
        cased = len(lower) == len(text) and not any(c in text for c in CASE_LOOK_ALIKES)
        if cased:
            # (lower is not empty: its key is not)
            first, last = lower[0], lower[-1]
            if may_count(first, last) and VIEW_COUNTER_LOWER.fullmatch(lower):
                return R.VIEW_COUNTER
            if may_be_time_ago(first, last) and RELATIVE_TIME_LOWER.fullmatch(lower):
                return R.DATE_LINE
        else:
            if VIEW_COUNTER.fullmatch(text):
                return R.VIEW_COUNTER
            if RELATIVE_TIME.fullmatch(text):
                return R.DATE_LINE
    separator = _first_separator(text)
    if separator < 0:
        return None
    # a menu's first entry stands before its first separator: most lines with a "/" or
    # "|" are no menu, and that one entry tells so
    first = line_key(text[:separator].rstrip())
    if first and first not in NAVIGATION and first not in SHARING:
        return None
    parts = [line_key(p) for p in MENU_SEPARATORS.split(text) if line_key(p)]
    if len(parts) > 1 and all(p in NAVIGATION or p in SHARING for p in parts):
        return R.MENU_LINE
    return None


def is_ascii_letter(char: str) -> bool:
    """Whether a character is one of a-z or A-Z."""
    code = ord(char)
    return 0x61 <= code <= 0x7A or 0x41 <= code <= 0x5A


def may_count(first: str, last: str) -> bool:
    """False when VIEW_COUNTER_LOWER cannot match a lower-case line that starts with
    `first` and ends with `last` (see COUNTED_FIRST_LETTERS)."""
    if is_ascii_letter(last):
        # a number and a counted word, or a counted word and "k" or "m"
        return not is_ascii_letter(first) or (
            first in COUNTED_FIRST_LETTERS and last in NUMBER_SUFFIX_LETTERS
        )
    return first in COUNTED_FIRST_LETTERS


def may_be_time_ago(first: str, last: str) -> bool:
    """False when RELATIVE_TIME_LOWER cannot match a lower-case line that starts with
    `first` and ends with `last`: an ASCII letter that opens no TIME_AGO_OPENINGS first,
    or a digit last (a unit follows the number)."""
    if "0" <= last <= "9":
        return False
    return not is_ascii_letter(first) or first in TIME_AGO_FIRST_LETTERS


def _first_separator(text: str) -> int:
    """Where the first character MENU_SEPARATORS splits at stands in `text`, or -1.
    Compiled, one pass over the code points is faster than a find() per separator."""
    if COMPILED:
        return _separator_at(text)
    found = [text.find(separator) for separator in MENU_SEPARATOR_CHARS]
    return min([i for i in found if i >= 0], default=-1)


def _separator_at(text: str) -> int:
    """`_first_separator`, by a loop over the code points (see text.build.COMPILED)."""
    end: i64 = len(text)
    for i in range(end):
        code: i64 = ord(text[i])
        if code == PIPE or code == SLASH or code == MIDDLE_DOT or code == BULLET_POINT:
            return i
    return -1


def drop_noise_lines(doc: Document) -> None:
    """Drop lines that are page furniture on their own: menus, share bars, counters,
    credits; not for the reasons the page's items are made of (`doc.item_reasons`)."""
    spared = doc.item_reasons
    for i, line in enumerate(doc.lines):
        if line.reason is None:
            reason = line_facts(line).reason
            if reason and reason not in spared:
                doc.drop(i, reason)
