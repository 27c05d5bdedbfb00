"""Turning capture text into `Line`s: one per non-blank line, whitespace normalised."""
from __future__ import annotations

from typing import Final

from ..document import Line
from .safety import repair_mojibake, safe_text

# Rounds of mojibake repair and normalising a line may take to settle (see `repaired`).
MAX_REPAIR_ROUNDS: Final = 3

# Invisible characters that crawlers leave in text and that never carry meaning.
INVISIBLE_CHARS: Final = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# str.isprintable, looked up once: split_lines asks it of every line of a capture, and
# compiled code otherwise looks the method up by name on each call.
IS_PRINTABLE: Final = str.isprintable
SPACE: Final = 0x20


def normalise(text: str) -> str:
    """One line's text with invisible characters removed and whitespace collapsed.

    str.split() splits on every Unicode space (no-break and ideographic ones too).
    """
    if has_invisible(text):
        text = without_invisible(text)
    return collapse_whitespace(text)


def repaired(text: str) -> str:
    """A line with its mojibake repaired, normalised, again until nothing changes: a
    repair may leave a no-break space that normalising makes a plain one, which can
    then read as mojibake again ("Â "). What an article holds is so a fixed point, and
    cleaning it again changes nothing."""
    for _ in range(MAX_REPAIR_ROUNDS):
        fixed = normalise(repair_mojibake(text))
        if fixed == text:
            break
        text = fixed
    return text


def without_invisible(text: str) -> str:
    """`text` without its invisible characters: a replace per character it holds (a
    search for the class of them costs ten times more over a whole capture)."""
    for char in INVISIBLE_CHARS:
        if char in text:
            text = text.replace(char, "")
    return text


def has_invisible(text: str) -> bool:
    """True when `text` holds an invisible character: a few substring tests, much faster
    than a search, and most texts hold none."""
    return not text.isascii() and any(char in text for char in INVISIBLE_CHARS)


def collapse_whitespace(text: str) -> str:
    """`text` with each run of whitespace made one space, and none at either end, and
    without control characters or lone surrogates (see `text.safety`)."""
    # Already so, told by fast tests: " " is the only printable whitespace character, and
    # CPython's strip() gives the very same string back when there is nothing to strip
    # (elsewhere it may give a copy, and the join below gives the same text anyway).
    if text.isprintable() and "  " not in text and text.strip(" ") is text:
        return text
    return collapsed(text)


def collapsed(text: str) -> str:
    """`collapse_whitespace` of a text that needs it (one that is not printable, say)."""
    text = " ".join(text.split())
    if not text.isprintable():  # a control character or a surrogate (or a format character)
        text = " ".join(safe_text(text).split())
    return text


def split_lines(text: str, keep_spacing: bool = False) -> list[Line]:
    """Non-blank lines of `text`, each noting whether a blank line stood before or after it.
    `keep_spacing`: a line whose words stand apart by runs of spaces keeps them in its
    `shown` text (a text capture's own spacing; in HTML, runs of spaces show as one)."""
    lines: list[Line] = []
    blank = True
    raw_lines = text.splitlines()
    if has_invisible(text):
        # what `normalise` does, in one pass over the text; joined by "\n" alone, lines
        # cannot merge ("\r", invisible, "\n" is two line ends, "\r\n" would be one)
        text = without_invisible("\n".join(raw_lines))
        raw_lines = text.split("\n")
    # Every line is part of `text`: when it holds no run of spaces, none of them does, told
    # by one search instead of one per line (more than half the dev set's captures).
    spaced = "  " in text
    for raw in raw_lines:
        clean = raw  # an empty line is blank as it is
        shown = None
        # Every whitespace character but " " is unprintable, as are control characters
        # and surrogates: a printable line needs at most its runs of spaces collapsed.
        if not raw:
            pass
        elif not IS_PRINTABLE(raw):
            clean = collapsed(raw)
        elif (spaced and "  " in raw) or ord(raw[0]) == SPACE or ord(raw[-1]) == SPACE:
            clean = " ".join(raw.split())
            if keep_spacing:
                stripped = raw.strip(" ")
                if stripped != clean:
                    shown = stripped
        if not clean:
            blank = True
            if lines:
                lines[-1].blank_after = True
            continue
        if shown is None:
            lines.append(Line(clean, None, blank))  # text, reason, blank_before
        else:
            lines.append(Line(clean, None, blank, False, None, None, shown))
        blank = False
    return lines
