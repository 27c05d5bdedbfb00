"""A small language guesser: the writing system first, then the commonest function words.

A library (py3langid, fasttext) would add a model download or a heavy dependency for
what the front matter needs: a reliable ISO 639-1 code for the common news languages,
and None rather than a guess when the evidence is thin.
"""
from __future__ import annotations

import re
from typing import Final

import regex
from mypy_extensions import i64

from .build import COMPILED

# Scripts that name their language outright (or nearly), checked before word counts.
SCRIPTS: Final = (
    ("ja", regex.compile(r"[\p{Hiragana}\p{Katakana}]")),
    ("ko", regex.compile(r"\p{Hangul}")),
    ("zh", regex.compile(r"\p{Han}")),
    ("ar", regex.compile(r"\p{Arabic}")),
    ("he", regex.compile(r"\p{Hebrew}")),
    ("el", regex.compile(r"\p{Greek}")),
    ("th", regex.compile(r"\p{Thai}")),
)
# Any of those scripts: most texts hold none, and one search tells so.
ANY_SCRIPT: Final = regex.compile("|".join(script.pattern for _, script in SCRIPTS))
# Where those scripts' characters can stand: all are at or above U+0370 (Greek), and of
# the punctuation and symbol blocks U+2000-U+2E7F only the ohm sign belongs to one
# (Greek). Looking for these code points (`maybe_script`) rules out most Latin texts
# and their typographic quotes and dashes before the property search.
MAYBE_SCRIPT: Final = re.compile("[\u0370-\u1fff\u2126\u2e80-\U0010ffff]")
FIRST_SCRIPT_CHAR: Final = 0x370
SYMBOL_BLOCKS_START: Final = 0x2000
SYMBOL_BLOCKS_END: Final = 0x2E80  # the first code point past them
OHM_SIGN: Final = 0x2126
# Share of letters a script must reach to decide the language.
SCRIPT_SHARE: Final = 0.3
# Function words by language: frequent, short and mostly unique to the language.
FUNCTION_WORDS: Final = {
    "en": "the and of to in is that for it with as was on are be by this have from at not",
    "de": "der die und das ist nicht den sich mit dem des auch ein eine im für auf wird zu von",
    "fr": "le la les et des est une du que dans pour pas qui sur au par sont avec ce",
    "es": "el la los las del que en por con para una es se al lo como más pero sus",
    "it": "il di che la per non una sono del della con gli anche come questo nel alla",
    "pt": "de que não uma os do da em para com por mais as dos das como mas foi ao",
    "nl": "de het een van en is dat op te zijn niet met voor ook maar aan bij door",
    "sv": "och att det som en är på för av med till den har inte om ett var",
    "pl": "i w na nie się z że do to jest jak po co ale od przez tak dla",
    "ru": "и в не на что с по это как из но он к для от все так же было",
    "uk": "і в на що не з до це як та але за від він її його які було",
}
# Each word points at every language that lists it, so a text is read once.
LANGUAGES_OF: Final[dict[str, tuple[str, ...]]] = {}
for _lang, _words in FUNCTION_WORDS.items():
    for _word in _words.split():
        LANGUAGES_OF[_word] = LANGUAGES_OF.get(_word, ()) + (_lang,)
# The longest function word: a longer word is none, told without hashing it.
LONGEST_FUNCTION_WORD: Final[int] = max(map(len, LANGUAGES_OF))


def function_word_shape(size: i64, first: i64, last: i64) -> i64:
    """Where a word of `size` characters (1 to LONGEST_FUNCTION_WORD) whose first and
    last characters have these code points stands in FUNCTION_WORD_SHAPES."""
    return ((size - 1) << 12) | ((first & 0x3F) << 6) | (last & 0x3F)


def _function_word_shapes() -> bytes:
    """FUNCTION_WORD_SHAPES: 1 at each function word's `function_word_shape`."""
    table = bytearray(LONGEST_FUNCTION_WORD << 12)
    for word in LANGUAGES_OF:
        table[function_word_shape(len(word), ord(word[0]), ord(word[-1]))] = 1
    return bytes(table)


# Whether a word of that length, first and last character (their low six bits) may be
# a function word: of the words of up to LONGEST_FUNCTION_WORD letters in the first
# 2,000 characters of the dev set's text captures, a third have such a shape (nine in
# ten of those are one), told by one lookup instead of a slice of the text and a hash.
FUNCTION_WORD_SHAPES: Final = _function_word_shapes()
WORD: Final = re.compile(r"[^\W\d_]+")
# Which code points below WORD_TABLE_END are WORD characters (alphanumeric but no digit,
# as [^\W\d_] reads them: str.isalnum and not str.isdecimal), one byte each, for
# `counted_words`' compiled loop. The Latin, Greek and Cyrillic letters and the
# punctuation between words (up to the end of the General Punctuation block) are below
# it; a character past it is asked. Built at import (8,304 characters: 1-2 ms).
WORD_TABLE_END: Final = 0x2070
WORD_CHARS: Final = bytes(
    char.isalnum() and not char.isdecimal() for char in map(chr, range(WORD_TABLE_END))
)
# Punctuation that clings to words ("said,", "(the", "l'"): none of it is a WORD
# character, so a token stripped of it holds the same WORDs.
TOKEN_EDGES: Final = ".,;:!?\"'()[]{}<>«»‹›“”„‘’‚`*…-–—/|"
# Fewer function-word hits than this is too thin to call a language.
MIN_HITS: Final = 5
# The best language must beat the runner-up by this factor, or the call is unsure.
MIN_LEAD: Final = 1.2
# Only the start of a long body is read: it decides as well and keeps this fast.
SAMPLE_CHARS: Final = 2000


def maybe_script(text: str) -> bool:
    """Whether `text` holds a character of MAYBE_SCRIPT: one of SCRIPTS' characters may
    stand there. Compiled, `script_char_in` tells it several times faster than a search."""
    return script_char_in(text) if COMPILED else MAYBE_SCRIPT.search(text) is not None


def script_char_in(text: str) -> bool:
    """`maybe_script`, by a loop over the code points (see build.COMPILED): one of
    FIRST_SCRIPT_CHAR or above, outside the symbol blocks, or the ohm sign."""
    end: i64 = len(text)
    for i in range(end):
        code: i64 = ord(text[i])
        if code >= FIRST_SCRIPT_CHAR and (
            code < SYMBOL_BLOCKS_START or code >= SYMBOL_BLOCKS_END or code == OHM_SIGN
        ):
            return True
    return False


def function_words(lower: str) -> dict[str, int]:
    """How often each function word stands in lower-case text as a WORD, in order of first
    use (a tie between languages goes to the one seen first): the same as counting
    WORD.findall(lower). Compiled, `counted_words` reads the WORDs off the code points
    (a third of the instructions of `counted_tokens`, which makes a string of every
    token and hashes it)."""
    return counted_words(lower) if COMPILED else counted_tokens(lower)


def counted_words(lower: str) -> dict[str, int]:
    """`function_words`, by a loop over the code points (see build.COMPILED): a WORD no
    longer than the longest function word, with a function word's shape
    (FUNCTION_WORD_SHAPES), is looked up, the others are skipped."""
    counts: dict[str, int] = {}
    # (native 64-bit integers: compiled, the loop then runs without the checks and tags a
    # Python int takes; a WORD character told by WORD_CHARS inline, without a call)
    end: i64 = len(lower)
    start: i64 = -1  # where the word being read starts (-1: between words)
    for i in range(end + 1):
        if i < end:
            code: i64 = ord(lower[i])
            if code < WORD_TABLE_END:
                if WORD_CHARS[code]:
                    if start < 0:
                        start = i
                    continue
            elif word_char_at(lower, i):
                if start < 0:
                    start = i
                continue
        if start < 0:
            continue
        size = i - start
        if size <= LONGEST_FUNCTION_WORD and FUNCTION_WORD_SHAPES[
            function_word_shape(size, ord(lower[start]), ord(lower[i - 1]))
        ]:
            word = lower[start:i]
            if word in LANGUAGES_OF:
                counts[word] = counts.get(word, 0) + 1
        start = -1
    return counts


def word_char_at(text: str, i: i64) -> bool:
    """Whether text[i] is a WORD character (see WORD_CHARS)."""
    code: i64 = ord(text[i])
    if code < WORD_TABLE_END:
        return WORD_CHARS[code] == 1
    char = text[i]
    return char.isalnum() and not char.isdecimal()


def counted_tokens(lower: str) -> dict[str, int]:
    """`function_words` by splitting at whitespace first: a token
    of letters only is one word and needs no regex; nor does one that is such a word once
    the punctuation at its ends is stripped ("said," "(the"); only the rest (apostrophes,
    digits) is split further.
    """
    counts: dict[str, int] = {}
    for token in lower.split():
        if len(token) <= LONGEST_FUNCTION_WORD and token in LANGUAGES_OF:
            counts[token] = counts.get(token, 0) + 1
        elif not token.isalpha():
            core = token.strip(TOKEN_EDGES)
            if core.isalpha():
                if core in LANGUAGES_OF:
                    counts[core] = counts.get(core, 0) + 1
            elif core:
                for word in WORD.findall(core):
                    if word in LANGUAGES_OF:
                        counts[word] = counts.get(word, 0) + 1
    return counts


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the language `text` is written in, or None when unsure."""
    sample = text[:SAMPLE_CHARS]
    lower = sample.lower()
    if not sample.isascii() and maybe_script(sample) and ANY_SCRIPT.search(sample):
        letters = sum(map(len, WORD.findall(lower)))
        for lang, script in SCRIPTS:
            if letters and len(script.findall(sample)) / letters >= SCRIPT_SHARE:
                return lang
    hits: dict[str, int] = {}
    for word, count in function_words(lower).items():
        for lang in LANGUAGES_OF[word]:
            hits[lang] = hits.get(lang, 0) + count
    # the most hits and the runner-up's; of languages with as many, the first seen leads
    best, count, runner_up = "", 0, 0
    for lang, lang_hits in hits.items():
        if lang_hits > count:
            best, count, runner_up = lang, lang_hits, count
        elif lang_hits > runner_up:
            runner_up = lang_hits
    if count < MIN_HITS or count < MIN_LEAD * runner_up:
        return None
    return best
