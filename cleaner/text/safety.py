"""Text that is safe to write: no lone surrogates, no control characters, no mojibake.

The policy, the same for an article's body, its front matter, the manifest and a
stream line (the writers apply it too, as a last guard):

- a lone surrogate (U+D800-U+DFFF: text decoded with `surrogateescape`, a JSON
  `"\\ud800"` escape) becomes U+FFFD, the replacement character, as undecodable
  bytes do; a pair of surrogates becomes the character it encodes;
- the control characters that break lines (vertical tab, form feed, U+001C-U+001E,
  U+0085) become a line feed, as `str.splitlines` already reads them;
- every other control character (C0 but tab, line feed and carriage return; DEL;
  C1) is dropped, and a terminal escape sequence ("\x1b[31m") with its ESC: none
  carries text, and a NUL or an escape sequence in a file is what breaks the tools
  that read it;
- mojibake (UTF-8 read as Windows-1252 or Latin-1: "FranÃ§ais", "donâ€™t") is
  repaired by ftfy, on the lines that show a sign of it (`repair_mojibake`).

ftfy decides whether a suspect line really is mojibake; the signs tested first are
cheap searches, so that clean text, nearly all of it, pays next to nothing.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from typing import Any

SURROGATE = re.compile("[\ud800-\udfff]")
SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")
REPLACEMENT = "\ufffd"
LINE_BREAKING = "\x0b\x0c\x1c\x1d\x1e\x85"
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Terminal escape sequences (colours, cursor moves: "\x1b[31m") go whole, not just their ESC.
TERMINAL_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])")
# What each control character becomes: a line feed for those that break lines, else nothing.
CONTROL_TABLE = {
    code: ("\n" if chr(code) in LINE_BREAKING else None)
    for code in [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]
}

# Signs of mojibake: UTF-8 read one byte per character turns the lead byte of every
# accented Latin letter (U+00C0-U+00FF) into "Ã", of U+0080-U+00BF (no-break space,
# «, °...) into "Â", and of general punctuation (’ “ ” – — …) into "â€" (read as
# Windows-1252) or "â" and U+0080 (read as Latin-1). Every text of a Western European
# language, and most English text, garbled so shows one of them. Searching one
# character is fast (0.5 µs in a 10,000-character capture, measured), two is not (12 µs):
# "â€" is looked for only where "€" or U+0080 is. Cyrillic, Greek or CJK text garbled
# the same way is left as it is unless it holds one of these too.
MOJIBAKE_LEADS = ("Ã", "Â")
PUNCTUATION_SIGNS = (("€", "â€"), ("\x80", "â\x80"))


def without_surrogates(text: str) -> str:
    """`text` with surrogate pairs joined into their character and lone ones made U+FFFD."""
    if not has_surrogate(text):
        return text
    text = SURROGATE_PAIR.sub(_join_pair, text)
    return SURROGATE.sub(REPLACEMENT, text)


def has_surrogate(text: str) -> bool:
    """Whether `text` holds a surrogate: exactly the texts UTF-8 cannot encode, and
    encoding tells it five times faster than a search for one (a whole HTML page is
    checked before it is parsed)."""
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _join_pair(match: re.Match[str]) -> str:
    return match.group().encode("utf-16-le", "surrogatepass").decode("utf-16-le")


def safe_text(text: str) -> str:
    """`text` under the policy above (mojibake aside): no surrogate, no control character
    but tab, line feed and carriage return."""
    if text.isprintable():  # no control character, no surrogate: most values, most lines
        return text
    text = without_surrogates(text)
    if CONTROL.search(text):
        if "\x1b" in text:
            text = TERMINAL_ESCAPE.sub("", text)
        text = text.translate(CONTROL_TABLE)
    return text


def safe_value(value: Any) -> Any:
    """A copy of `value` (front matter, a JSON record) that any writer can write: strings
    made safe (keys too), dates as ISO 8601 text, mappings and sequences walked; numbers,
    booleans and None kept, but NaN and infinities, which JSON has no words for, as text;
    any other object as its safe `str`."""
    kind = type(value)
    if kind is str:  # the common case first, for every article and manifest line
        return value if value.isprintable() else safe_text(value)
    if value is None or kind is int or kind is bool:
        return value
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Mapping):
        return {safe_text(str(key)): safe_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [safe_value(item) for item in value]
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return safe_text(str(value))


def has_mojibake_sign(text: str) -> bool:
    """Whether `text` shows a sign of mojibake (a few fast searches: see MOJIBAKE_LEADS)."""
    for lead in MOJIBAKE_LEADS:
        if lead in text:
            return True
    for char, sign in PUNCTUATION_SIGNS:
        if char in text and sign in text:
            return True
    return False


def repair_mojibake(text: str) -> str:
    """`text` with the lines that are mojibake repaired by ftfy; other lines untouched.

    Only the lines holding a sign of mojibake are given to ftfy (which then judges
    whether re-decoding them gives more plausible text), so clean text costs a few
    substring searches. Lines keep their line ends.
    """
    if not has_mojibake_sign(text):
        return text
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if has_mojibake_sign(line):
            lines[i] = _fix_encoding(without_surrogates(line))
    return "".join(lines)


def _fix_encoding(line: str) -> str:
    # ftfy is imported on first need: it costs 50 ms to import, and most runs never need it.
    import ftfy

    return ftfy.fix_encoding(line)
