"""Cheap per-line measurements the heuristics share."""
from __future__ import annotations

from typing import Final

import regex

from ..text.language import maybe_script

# Scripts written without spaces between words: a character there is about half a word.
UNSPACED: Final = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}]")
# Characters per word in unspaced scripts (Chinese words average about two characters).
UNSPACED_CHARS_PER_WORD: Final = 2
# Spaced scripts average 5-7 characters per word and space; a line with far more per
# space than this is (partly) in an unspaced script and is counted by characters too.
MAX_CHARS_PER_SPACED_WORD: Final = 12
# How a sentence ends, closing quotes and brackets aside: . ! ? and their CJK forms
# (an ellipsis marks a text cut short, see is_sentence).
SENTENCE_END_CHARS: Final = ".!?。！？:;"
CLOSING_CHARS: Final = "'\"’”»)]"
# What the last character of a line says when it is ASCII, by its code: END_NOT (a
# letter, a digit: most headings and menu entries), END_SENTENCE (! ? : ;), END_STOP (a
# full stop: a sentence unless it ends "..."), END_LOOK (a closing quote or bracket:
# read further).
END_NOT: Final = 0
END_SENTENCE: Final = 1
END_STOP: Final = 2
END_LOOK: Final = 3
FULL_STOP: Final = 0x2E
ASCII_ENDS: Final = bytes(
    END_LOOK if chr(code) in CLOSING_CHARS else END_STOP if code == FULL_STOP
    else END_SENTENCE if chr(code) in SENTENCE_END_CHARS else END_NOT
    for code in range(0x80)
)


def word_count(text: str) -> int:
    """Words in a line, counting unspaced-script characters as half a word each."""
    words = text.count(" ") + 1
    # (every UNSPACED character is one `maybe_script` looks for: a line of Latin letters
    # and punctuation alone, "Datenschutzerklärung", is not searched)
    if len(text) > MAX_CHARS_PER_SPACED_WORD * words and not text.isascii() and maybe_script(text):
        words += len(UNSPACED.findall(text)) // UNSPACED_CHARS_PER_WORD
    return words


def is_sentence(text: str) -> bool:
    """True when a line ends as a sentence does.

    An ASCII last character other than a closing quote or bracket tells by itself, a
    full stop with the two characters before it (ASCII_ENDS: one lookup instead of two
    searches of the character sets); the others are read by `ends_as_sentence`."""
    end = len(text) - 1
    if end < 0:
        return False
    code = ord(text[end])
    if code < 0x80:
        kind = ASCII_ENDS[code]
        if kind == END_STOP:  # cut short when it ends "..."
            return end < 2 or ord(text[end - 1]) != FULL_STOP or ord(text[end - 2]) != FULL_STOP
        if kind != END_LOOK:
            return kind == END_SENTENCE
    return ends_as_sentence(text)


def ends_as_sentence(text: str) -> bool:
    """`is_sentence`, read from the end, closing quotes and brackets skipped one by one:
    stripping them (a copy of the line) and then slicing cost twice as much, and most
    lines end with none of them."""
    end = len(text) - 1
    while end >= 0 and text[end] in CLOSING_CHARS:
        end -= 1
    if end < 0:
        return False
    last = text[end]
    if last == "…" or (last == "." and end >= 2 and text[end - 2 : end] == ".."):
        return False  # cut short: teasers end so, sentences rarely do
    return last in SENTENCE_END_CHARS

