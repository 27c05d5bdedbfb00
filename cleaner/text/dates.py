"""Finding a publication date in a short line, in the formats and languages news pages use.

>>> parse_date("Veröffentlicht am 11/04/2012")
'2012-04-11'
>>> parse_date("15:47 JST, February 26, 2022")
'2022-02-26T15:47:00+09:00'
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from mypy_extensions import i64

from .build import COMPILED

# Month names and common abbreviations by language, lower case. Abbreviations that are
# also everyday words ("mar" is Spanish for sea) only count next to a day number, which
# every pattern below requires.
MONTH_NAMES: Final = {
    1: "january jan januar jänner janvier enero gennaio janeiro januari",
    2: "february feb februar feber février fevrier febrero febbraio fevereiro februari",
    3: "march mar märz maerz mars marzo março maart",
    4: "april apr avril abril aprile",
    5: "may mai mayo maggio maio mei",
    6: "june jun juni juin junio giugno junho",
    7: "july jul juli juillet julio luglio julho",
    8: "august aug août aout agosto augustus",
    9: "september sep sept septembre septiembre setiembre settembre setembro",
    10: "october oct oktober octobre octubre ottobre outubro",
    11: "november nov novembre noviembre novembro",
    12: "december dec dezember décembre decembre diciembre dicembre dezembro",
}
MONTHS: Final = {name: number for number, names in MONTH_NAMES.items() for name in names.split()}
# A letter (\p{L} in the `regex` module): the standard `re` module is several times faster
# on these short lines and none of the patterns below needs Unicode properties otherwise.
_LETTER = r"[^\W\d_]"


# A pattern that starts with a look-behind is tried at every place in a line; one that
# starts with a literal or a digit lets the engine skip to the places where that stands.
# So the patterns below that must not follow some character say so just after their
# first character, looking behind at it too: (?<!X)\d is written \d(?<!X\d).


def _by_first_letter(names, not_after: str = "") -> str:
    """An alternation of names (months, time zones) grouped by first letter, longest first
    within a group; with `not_after`, a name must not follow a character of that class.

    Names with different first letters never match at the same place, so grouping keeps
    the plain alternation's choices, while the engine tests one first letter per place
    instead of every name.
    """
    groups: dict[str, list[str]] = {}
    for name in sorted(names, key=len, reverse=True):  # "sept" wins over "sep", "juni" over "jun"
        groups.setdefault(name[0], []).append(name)
    return "|".join(
        re.escape(first)
        + (f"(?<!{not_after}{re.escape(first)})" if not_after else "")
        + "(?:" + "|".join(re.escape(name[1:]) for name in group) + ")"
        for first, group in groups.items()
    )


def _day_number(name: str, not_after: str) -> str:
    r"""`(?<!not_after)(?P<name>[0-3]?\d)`, starting with its digit (see above)."""
    return rf"(?P<{name}>\d(?<!{not_after}\d)(?:(?<=[0-3])\d)?)"


_MONTH = "(?P<month>" + _by_first_letter(MONTHS) + r")\.?"
_DAY_SUFFIX = r"(?:st|nd|rd|th|er|º|°)?"
_DAY = r"(?P<day>[0-3]?\d)" + _DAY_SUFFIX
_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d)"
# Words that may join the parts of a date: "5 de mayo de 2022", "le 3 juin", "26, Abril, 2022".
_JOIN = r"[\s,./-]*(?:(?:de|del|of)\s+)?"

# 2022-02-26, 2022/2/26, optionally followed by a time (ISO 8601 "T" or a space).
ISO_DATE: Final = re.compile(
    r"(?P<year>(?:1(?<!\d1)9|2(?<!\d2)0)\d\d)(?P<sep>[-/.])(?P<month>[01]?\d)(?P=sep)"
    r"(?P<day>[0-3]?\d)(?!\d)"
)
# 11/04/2012, 11.04.2012, 1-4-12: day first unless that cannot be (see numeric_date).
NUMERIC_DATE: Final = re.compile(
    _day_number("a", r"[\d.,/]")
    + r"(?P<sep>[./-])(?P<b>[0-3]?\d)(?P=sep)(?P<year>(?:19|20)?\d\d)(?![\d/])"
)
# 31. Mai 2012, 5 de mayo de 2022, 26, Abril, 2022, 3 juin (year optional). The name
# patterns run on the lower-cased line (see `_candidates`): case-sensitive matching of lower
# case names is much faster than case-insensitive matching. [^\W_] is a letter or digit.
DAY_MONTH_YEAR: Final = re.compile(
    _day_number("day", r"[^\W_]")
    + rf"{_DAY_SUFFIX}\.?{_JOIN}{_MONTH}(?!{_LETTER})(?:{_JOIN}{_YEAR})?"
)
# February 26, 2022, January 12,2023, Jan. 8 (year optional).
MONTH_DAY_YEAR: Final = re.compile(
    "(?P<month>" + _by_first_letter(MONTHS, not_after=_LETTER) + r")\.?"
    + rf"(?!{_LETTER})\s*{_DAY}(?!\d)(?:\s*,?\s*{_YEAR})?"
)
# The same for the rare line whose lower-cased form differs in length ("İ" -> "i̇").
DAY_MONTH_YEAR_ANY_CASE: Final = re.compile(DAY_MONTH_YEAR.pattern, re.IGNORECASE)
MONTH_DAY_YEAR_ANY_CASE: Final = re.compile(MONTH_DAY_YEAR.pattern, re.IGNORECASE)
# 2022年2月26日 (Chinese, Japanese), 2022년 2월 26일 (Korean).
CJK_DATE: Final = re.compile(r"(?P<year>(?:19|20)\d\d)\s*[年년]\s*(?P<month>\d{1,2})\s*[月월]\s*(?P<day>\d{1,2})")
# 15:47, 7:43 p.m., 14h30; seconds optional. (The hour is (?<![\d:])[0-2]?\d, starting
# with its digit: see above.)
TIME: Final = re.compile(
    r"(?P<hour>\d(?<![\d:]\d)(?:(?<=[0-2])\d)?)[:h](?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d))?(?!\d)"
    rf"(?:\s*(?P<ampm>[ap])\.?\s?m\.?(?!{_LETTER}))?",
    re.IGNORECASE,
)
# Time zone words and their UTC offsets; only unambiguous, widely used ones.
ZONES: Final = {
    "utc": "+00:00", "gmt": "+00:00", "wet": "+00:00", "bst": "+01:00", "cet": "+01:00",
    "mez": "+01:00", "cest": "+02:00", "mesz": "+02:00", "eet": "+02:00", "eest": "+03:00",
    "msk": "+03:00", "ist": "+05:30", "jst": "+09:00", "kst": "+09:00", "aest": "+10:00",
    "est": "-05:00", "edt": "-04:00", "cst": "-06:00", "cdt": "-05:00", "mst": "-07:00",
    "mdt": "-06:00", "pst": "-08:00", "pdt": "-07:00",
}
ZONE: Final = re.compile(
    "(?P<zone>" + _by_first_letter(ZONES, not_after=_LETTER) + rf")(?!{_LETTER})", re.IGNORECASE
)
# Letters that re.IGNORECASE matches to an ASCII letter which lower() does not turn them
# into: "ſ" (s), "ı" and "İ" (i); the Kelvin sign lower-cases to "k".
CASE_LOOK_ALIKES: Final = "ſıİ"
# Every date has digits (a day or a year): a line without any holds none.
DIGIT: Final = re.compile(r"\d")
# The first character past "9" that DIGIT matches (ARABIC-INDIC DIGIT ZERO): below it,
# only "0" to "9" are decimal digits (tests/test_dates.py checks every code point).
FIRST_OTHER_DIGIT: Final = 0x660
# What every all-digit date holds: digits around a separator (searched for from the
# separator, which the engine skips to), or a CJK year mark.
DIGITS_AROUND_SEPARATOR: Final = re.compile(r"[-/.](?<=\d[-/.])\d")
# Its separators as code points, for `separated_digits`' compiled loop.
HYPHEN: Final = 0x2D
FULL_STOP: Final = 0x2E
SLASH: Final = 0x2F
# The shortest and longest month name: a word of another length names no month.
SHORTEST_MONTH: Final[int] = min(map(len, MONTHS))
LONGEST_MONTH: Final[int] = max(map(len, MONTHS))
CJK_YEAR_MARKS: Final = ("年", "년")
# The last letters of the month names: MONTH_DAY_YEAR's day number follows one of them,
# past a full stop and spaces (see `month_first_day_in`).
MONTH_LAST_LETTERS: Final = "".join(sorted({name[-1] for name in MONTHS}))
# What may follow DAY_MONTH_YEAR's day number (see `day_first_day_in`): the first
# characters of a day suffix (_DAY_SUFFIX), of the words that join it to the month
# (_JOIN: "de", "del", "of", its separators; whitespace is told apart) and of the month
# names.
DAY_FOLLOWERS: Final = "".join(sorted(
    set("stnreº°") | set(".,/-") | {"d", "o"} | {name[0] for name in MONTHS}
))
# How far (characters) a time may stand from its date to count as the same timestamp.
TIME_REACH: Final = 12
# Plausible publication years: older "dates" are mostly numbers of something else.
MIN_YEAR: Final = 1990
MAX_YEAR: Final = 2100
# A date stated as a value (a meta tag, front matter) is short: "26 February 2022, 15:47
# JST" is 25 characters. Longer text is not searched for one (what a value holds is not
# checked elsewhere, and searching megabytes of it would take seconds).
MAX_DATE_VALUE_CHARS: Final = 200


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date found in a line: its ISO value and the span of text it covers."""

    value: str
    start: int
    end: int


def parse_date(text: str, reference: dt.date | None = None) -> str | None:
    """The first date in `text` as ISO `YYYY-MM-DD` (or a datetime when a time goes with it).

    A date without a year ("KYIV, Ukraine, January 8") takes the year that makes it the
    latest such date not after `reference`, and is None without a reference.

    >>> parse_date("KYIV, Ukraine, January 8", reference=dt.date(2023, 1, 10))
    '2023-01-08'
    """
    found = find_date(text, reference)
    return found.value if found else None


def normalise_date(
    value: object, formats: tuple[str, ...] = (), timezone: dt.tzinfo | None = None
) -> str | None:
    """ISO 8601 date, or date-time when a time is given, of a date stated as a value, or None
    when it is not a date: the one place dates are normalised (front matter, meta tags,
    site rules).

    With `formats` (strptime codes, tried in order; a site rule's `format`), text must
    fit one of them, and a time without a zone takes `timezone`. Without, ISO 8601 text
    (datetime attributes, meta tags, front matter) is taken as it is given, a date or
    datetime object (YAML reads unquoted dates so) too, else text with a date written
    out ("26 February 2022").

    >>> normalise_date("2022-02-26T15:47:00+09:00"), normalise_date("../../etc")
    ('2022-02-26T15:47:00+09:00', None)
    """
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > MAX_DATE_VALUE_CHARS:
        return None
    if formats:
        return _by_formats(text, formats, timezone)
    try:
        when = dt.datetime.fromisoformat(text)  # 3.11 reads a trailing Z
    except ValueError:
        return parse_date(text)
    return when.isoformat() if len(text) > len("YYYY-MM-DD") else when.date().isoformat()


# Strftime directives that carry a time of day: with one, the value is a datetime.
TIME_DIRECTIVES: Final = ("%H", "%I", "%M", "%S", "%X", "%c")


def _by_formats(text: str, formats: tuple[str, ...], timezone: dt.tzinfo | None) -> str | None:
    """ISO date (or datetime when the format has a time) of `text`; None if no format fits."""
    for fmt in formats:
        try:
            stamp = dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
        if not any(directive in fmt for directive in TIME_DIRECTIVES):
            return stamp.date().isoformat()
        if timezone is not None and stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=timezone)
        return stamp.isoformat()
    return None


def has_digit(text: str) -> bool:
    """Whether `text` holds a digit, as DIGIT.search tells (a Unicode decimal digit).
    Every short line of a capture is asked this: compiled, `digit_in` tells it several
    times faster than the search (whose engine looks each character's category up)."""
    return digit_in(text) if COMPILED else DIGIT.search(text) is not None


def has_separated_digits(text: str) -> bool:
    """Whether `text` holds a digit, one of "-/." and a digit in a row (what every all-digit
    date holds), as DIGITS_AROUND_SEPARATOR.search tells. Compiled, `separated_digits`
    tells it faster than the search."""
    return separated_digits(text) if COMPILED else DIGITS_AROUND_SEPARATOR.search(text) is not None


def separated_digits(text: str) -> bool:
    """`has_separated_digits`, by a loop over the code points (see build.COMPILED)."""
    last: i64 = len(text) - 1
    for i in range(1, last):
        code: i64 = ord(text[i])
        if (code == HYPHEN or code == FULL_STOP or code == SLASH) and (
            decimal_at(text, i - 1) and decimal_at(text, i + 1)
        ):
            return True
    return False


def decimal_at(text: str, i: i64) -> bool:
    """Whether text[i] is a decimal digit (as DIGIT matches)."""
    code: i64 = ord(text[i])
    if code < 0x30:
        return False
    return code <= 0x39 or (code >= FIRST_OTHER_DIGIT and text[i].isdecimal())


def decimals_end(text: str, i: i64) -> i64:
    """Where the run of decimal digits (`decimal_at`) from text[i] on ends."""
    end: i64 = len(text)
    while i < end and decimal_at(text, i):
        i += 1
    return i


def day_sized(text: str, start: int, stop: int) -> bool:
    """Whether the digits text[start:stop] can be a day of the month as the date patterns
    write one: one digit, or two the first of which is 0-3."""
    return stop - start == 1 or (stop - start == 2 and 0x30 <= ord(text[start]) <= 0x33)


def next_day_number(text: str, i: i64) -> tuple[i64, i64]:
    """(start, end) of the first run of decimal digits at or after text[i] that can be a
    day (`day_sized`); (-1, len(text)) when there is none."""
    end: i64 = len(text)
    while i < end:
        if not decimal_at(text, i):
            i += 1
            continue
        start = i
        i = decimals_end(text, i + 1)
        if day_sized(text, start, i):
            return start, i
    return -1, end


def names_a_month(lower: str) -> bool:
    """Whether a word of the lower-case text `lower`, split at whitespace, full stops and
    commas, is a month's name (one of MONTHS). Compiled, `month_word_in` tells it with
    fewer lookups; plain Python, a set operation in C is faster than its loop."""
    if COMPILED:
        return month_word_in(lower)
    return not MONTHS.keys().isdisjoint(lower.replace(".", " ").replace(",", " ").split())


def month_word_in(lower: str) -> bool:
    """`names_a_month`, by a loop over the code points (see build.COMPILED): the words are
    found where they stand, without splitting the text, and only one of a month name's
    length, first and last letter (MONTH_SHAPES) is looked up."""
    end: i64 = len(lower)
    i: i64 = 0
    while i < end:
        if month_word_break_at(lower, i):
            i += 1
            continue
        start = i
        i += 1
        while i < end and not month_word_break_at(lower, i):
            i += 1
        size: i64 = i - start
        if (
            SHORTEST_MONTH <= size <= LONGEST_MONTH
            and MONTH_SHAPES[month_shape(size, ord(lower[start]), ord(lower[i - 1]))]
            and lower[start:i] in MONTHS
        ):
            return True
    return False


def month_word_break_at(text: str, i: i64) -> bool:
    """Whether text[i] separates words for `names_a_month`: whitespace (as str.split
    reads it), a full stop or a comma."""
    code: i64 = ord(text[i])
    if code < 0x80:
        return MONTH_WORD_BREAKS[code] == 1
    return text[i].isspace()


def month_shape(size: i64, first: i64, last: i64) -> i64:
    """Where a word of `size` characters (SHORTEST_MONTH to LONGEST_MONTH) whose first
    and last characters have these code points stands in MONTH_SHAPES."""
    return ((size - SHORTEST_MONTH) << 14) | ((first & 0x7F) << 7) | (last & 0x7F)


def _month_shapes() -> bytes:
    """MONTH_SHAPES: 1 at each month name's `month_shape`."""
    table = bytearray((LONGEST_MONTH - SHORTEST_MONTH + 1) << 14)
    for name in MONTHS:
        table[month_shape(len(name), ord(name[0]), ord(name[-1]))] = 1
    return bytes(table)


# Whether a word of that length, first and last character (their low seven bits) may
# be a month name: one lookup instead of hashing the word for MONTHS.
MONTH_SHAPES: Final = _month_shapes()
# The ASCII characters that separate words for `names_a_month`: str.split's whitespace
# (tab to carriage return, the four separators U+001C-U+001F, space), "." and ",".
MONTH_WORD_BREAKS: Final = bytes(
    chr(code).isspace() or chr(code) in ".," for code in range(0x80)
)


def may_be_month_first(lower: str) -> bool:
    """False when MONTH_DAY_YEAR cannot match the lower-case text `lower`. Compiled,
    `month_first_day_in` tells so for a fraction of the pattern's search (which tries a
    month name wherever one of their first letters stands); plain Python, its loop would
    cost more than the search, which runs."""
    return month_first_day_in(lower) if COMPILED else True


def month_first_day_in(lower: str) -> bool:
    """Whether `lower` holds what MONTH_DAY_YEAR's day needs: a number of one digit, or two
    the first of which is 0-3 (a digit follows neither), written after a month name's last
    letter (MONTH_LAST_LETTERS), a full stop and spaces between them optional. Of the
    dev set's date lines that name a month, four in five have none ("18. oktober 2019 um
    15:05 uhr": the year has four digits, and "um" is no month)."""
    start, i = next_day_number(lower, 0)
    while start >= 0:
        before = start - 1
        while before >= 0 and lower[before].isspace():
            before -= 1
        if before >= 0 and lower[before] == ".":
            before -= 1
        if before >= 0 and lower[before] in MONTH_LAST_LETTERS:
            return True
        start, i = next_day_number(lower, i)
    return False


def may_be_day_first(lower: str) -> bool:
    """False when DAY_MONTH_YEAR cannot match the lower-case text `lower` (compiled, told
    by `day_first_day_in`; plain Python, the pattern runs, as for `may_be_month_first`)."""
    return day_first_day_in(lower) if COMPILED else True


def day_first_day_in(lower: str) -> bool:
    """Whether `lower` holds what DAY_MONTH_YEAR's day needs: a number of one digit, or two
    the first of which is 0-3, after no letter or digit, and followed by whitespace or
    one of DAY_FOLLOWERS (a year, "2019", or "(1)" holds none)."""
    end: i64 = len(lower)
    start, i = next_day_number(lower, 0)
    while start >= 0:
        if (
            i < end
            and (start == 0 or not lower[start - 1].isalnum())
            and (lower[i] in DAY_FOLLOWERS or lower[i].isspace())
        ):
            return True
        start, i = next_day_number(lower, i)
    return False


def digit_in(text: str) -> bool:
    """`has_digit`, by a loop over the code points (see build.COMPILED)."""
    end: i64 = len(text)
    for i in range(end):
        code: i64 = ord(text[i])
        if code < 0x30:
            continue
        if code <= 0x39:
            return True
        if code >= FIRST_OTHER_DIGIT and text[i].isdecimal():
            return True
    return False


# A line is looked at by several rules (noise, date line, byline, the date lift itself):
# remembering recent answers saves parsing it again. DateMatch is immutable.
@lru_cache(maxsize=1 << 12)
def find_date(text: str, reference: dt.date | None = None) -> DateMatch | None:
    """Like `parse_date`, with the span of `text` the date and its time cover."""
    if not has_digit(text):
        return None
    best = _earliest_date(text, reference)
    if best is None:
        return None
    start, end, day = best
    value, start, end = _with_time(text, start, end, day)
    return DateMatch(value, start, end)


# (start, end, date) of a date found in a line.
Found = tuple[int, int, dt.date]


def _earliest_date(text: str, reference: dt.date | None) -> Found | None:
    """The earliest of the date patterns' first valid matches in `text`; of two found at
    the same place, that of the pattern tried first (ISO, CJK, numeric, named months)."""
    candidates: list[Found | None] = []
    # the all-digit patterns need digits around a separator, or (CJK) a year mark
    separated = has_separated_digits(text)
    if separated:
        candidates.append(_first_full_date(ISO_DATE, text))
    if CJK_YEAR_MARKS[0] in text or CJK_YEAR_MARKS[1] in text:
        candidates.append(_first_full_date(CJK_DATE, text))
    if separated:
        candidates.append(_first_numeric_date(text))
    lower = text.lower()
    # the name patterns are the slow ones: run them only when a month is named
    if names_a_month(lower):
        if len(lower) == len(text):  # spans in the lower-cased line are spans in the line
            if may_be_day_first(lower):
                candidates.append(_first_named_date(DAY_MONTH_YEAR, lower, reference))
            if may_be_month_first(lower):
                candidates.append(_first_named_date(MONTH_DAY_YEAR, lower, reference))
        else:
            candidates.append(_first_named_date(DAY_MONTH_YEAR_ANY_CASE, text, reference))
            candidates.append(_first_named_date(MONTH_DAY_YEAR_ANY_CASE, text, reference))
    best: Found | None = None
    for found in candidates:
        if found is not None and (best is None or found[0] < best[0]):
            best = found
    return best


def _first_full_date(pattern: re.Pattern[str], text: str) -> Found | None:
    """The first valid date `pattern` (year, month and day groups) finds in `text`."""
    for m in pattern.finditer(text):
        day = _make(int(m["year"]), int(m["month"]), int(m["day"]))
        if day:
            return m.start(), m.end(), day
    return None


def _first_numeric_date(text: str) -> Found | None:
    """The first valid day-first (or month-first) all-digit date in `text`."""
    for m in NUMERIC_DATE.finditer(text):
        day = _numeric(int(m["a"]), int(m["b"]), m["year"])
        if day:
            return m.start(), m.end(), day
    return None


def _first_named_date(
    pattern: re.Pattern[str], subject: str, reference: dt.date | None
) -> Found | None:
    """The first valid date with a month name `pattern` finds in `subject`."""
    for m in pattern.finditer(subject):
        # casefold: the case-insensitive patterns also match look-alikes ("ſ" for "s")
        month = MONTHS.get(m["month"].casefold())
        if month is None:
            continue  # a look-alike of no name's spelling ("ı" for "i")
        if m["year"]:
            day = _make(int(m["year"]), month, int(m["day"]))
        else:
            day = _without_year(month, int(m["day"]), reference)
        if day:
            return m.start(), m.end(), day
    return None


def _numeric(a: int, b: int, year: str) -> dt.date | None:
    """Day-first (as most of the world writes), month-first only when day-first cannot be."""
    full = int(year) + (2000 if len(year) == 2 else 0)
    return _make(full, b, a) or _make(full, a, b)


def _without_year(month: int, day: int, reference: dt.date | None) -> dt.date | None:
    """The latest `month`/`day` not after `reference`, or None without a reference."""
    if reference is None:
        return None
    for year in (reference.year, reference.year - 1):
        found = _make(year, month, day)
        if found and found <= reference:
            return found
    return None


def _make(year: int, month: int, day: int) -> dt.date | None:
    """The date, or None when it does not exist or is outside the plausible years."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _find_zone(text: str, start: int, end: int) -> re.Match[str] | None:
    """ZONE.search(text, start, end), skipped when the lower-cased stretch holds no zone
    name: most times have none near them, and the case-insensitive search is slow. The
    few letters that match a zone name's letters ignoring case without lower-casing to
    them (CASE_LOOK_ALIKES) are left to the search."""
    stretch = text[start:end]
    if not any(char in stretch for char in CASE_LOOK_ALIKES):
        lower = stretch.lower()
        if not any(name in lower for name in ZONES):
            return None
    return ZONE.search(text, start, end)


def _with_time(text: str, start: int, end: int, day: dt.date) -> tuple[str, int, int]:
    """ISO value of `day`, with the time (and zone) written next to it if any; and the span."""
    if ":" not in text and "h" not in text and "H" not in text:
        return day.isoformat(), start, end  # no time: TIME needs one of these, and is slow
    for m in TIME.finditer(text):
        if m.end() < start - TIME_REACH or m.start() > end + TIME_REACH:
            continue
        if start <= m.start() < end:  # digits of the date itself, e.g. "2022.02.26"
            continue
        hour, minute = int(m["hour"]), int(m["minute"])
        ampm = (m["ampm"] or "").lower()
        if ampm == "p" and hour < 12:
            hour += 12
        elif ampm == "a" and hour == 12:
            hour = 0
        if hour > 23:
            continue
        second = int(m["second"] or 0)
        stamp = dt.datetime.combine(day, dt.time(hour, minute, second)).isoformat()
        span_start, span_end = min(start, m.start()), max(end, m.end())
        zone = _find_zone(text, max(0, m.start() - TIME_REACH), m.end() + TIME_REACH)
        if zone:
            stamp += ZONES[zone["zone"].lower()]
            span_start, span_end = min(span_start, zone.start()), max(span_end, zone.end())
        return stamp, span_start, span_end
    return day.isoformat(), start, end
