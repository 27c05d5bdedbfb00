"""Cheap per-line measurements the heuristics share."""
from __future__ import annotations

from typing import Final

import regex

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


def word_count(text: str) -> int:
    """Words in a line, counting unspaced-script characters as half a word each."""
    words = text.count(" ") + 1
    if len(text) > MAX_CHARS_PER_SPACED_WORD * words and not text.isascii():
        words += len(UNSPACED.findall(text)) // UNSPACED_CHARS_PER_WORD
    return words


def is_sentence(text: str) -> bool:
    """True when a line ends as a sentence does."""
    body = text.rstrip(CLOSING_CHARS)
    end = body[-1:]
    if end == "…" or body.endswith("..."):
        return False  # cut short: teasers end so, sentences rarely do
    return end != "" and end in SENTENCE_END_CHARS

