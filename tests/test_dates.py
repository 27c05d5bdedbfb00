"""Finding publication dates in short lines: formats, languages, years left out."""
from __future__ import annotations

import datetime as dt
import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.text import dates
from cleaner.text.dates import DIGIT, FIRST_OTHER_DIGIT, digit_in, find_date, has_digit, parse_date


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Veröffentlicht am 11/04/2012", "2012-04-11"),
        ("15:47 JST, February 26, 2022", "2022-02-26T15:47:00+09:00"),
        ("January 12,2023 572", "2023-01-12"),
        ("Donnerstag, 31. Mai 2012", "2012-05-31"),
        ("Publié le 3 juin 2021", "2021-06-03"),
        ("5 de mayo de 2022", "2022-05-05"),
        ("Managua, Nicaragua 26, Abril, 2022 7:43 p.m.", "2022-04-26T19:43:00"),
        ("Aktualisiert: 01.04.2020", "2020-04-01"),
        ("2021-11-05", "2021-11-05"),
        ("Posted 12/31/2019", "2019-12-31"),
        ("2022年2月26日", "2022-02-26"),
        ("Mise à jour le 3 juin 2021 à 14h30", "2021-06-03T14:30:00"),
        ("3. JUNI 2021, 9H05", "2021-06-03T09:05:00"),
    ],
)
def test_parse_date_reads_common_formats(line: str, expected: str) -> None:
    assert parse_date(line) == expected


def test_date_without_year_takes_the_latest_year_not_after_reference() -> None:
    line = "KYIV, Ukraine, January 8"
    assert parse_date(line, reference=dt.date(2023, 1, 10)) == "2023-01-08"
    assert parse_date(line, reference=dt.date(2023, 1, 5)) == "2022-01-08"


def test_date_without_year_is_unknown_without_reference() -> None:
    assert parse_date("KYIV, Ukraine, January 8") is None


@pytest.mark.parametrize(
    "line",
    ["The march of 10 men", "12:05 p.m.", "Call 0664 1183226", "31/02/2020", "Version 3.10.4"],
)
def test_no_date_is_invented(line: str) -> None:
    assert parse_date(line) is None


def test_find_date_reports_the_span_it_read() -> None:
    line = "Veröffentlicht am 11/04/2012"
    found = find_date(line)
    assert found is not None
    assert line[found.start : found.end] == "11/04/2012"


def test_look_alike_letters_in_a_month_name_never_crash() -> None:
    # "İ" lower-cases to two characters, so these lines are read case-insensitively,
    # where "ſ" matches "s" and "ı" matches "i" though neither spells a month as written
    assert parse_date("İzmir: 5 marſ 2022, mai") == "2022-03-05"
    assert parse_date("İzmir: 5. maı 2022, mai") is None


# The patterns as first written, before they were made to start with their first
# character (and the all-digit test split at its separator): they must match the same.
PLAIN_TIME = re.compile(
    r"(?<![\d:])(?P<hour>[0-2]?\d)[:h](?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d))?(?!\d)"
    r"(?:\s*(?P<ampm>[ap])\.?\s?m\.?(?![^\W\d_]))?",
    re.IGNORECASE,
)
PLAIN_ZONE = re.compile(
    r"(?<![^\W\d_])(?P<zone>" + "|".join(dates.ZONES) + r")(?![^\W\d_])", re.IGNORECASE
)
PLAIN_NUMERIC_HINT = re.compile(r"\d(?:[-/.]\d|\s*[年년])")
DATE_PIECES = st.sampled_from([
    "2022", "20", "19", "1", "12", "31", "0", "9", ":", "h", "H", ".", "-", "/", ",", " ",
    "\t", "年", "년", "月", "日", "am", "p.m.", "PM", "a", "utc", "UTC", "CEST", "est", "ſt",
    "İ", "mai", "März", "Jan.", "sept", "de", "th", "º", "x", "T",
])


@settings(max_examples=3000, deadline=None)
@given(st.lists(DATE_PIECES, max_size=14).map("".join), st.integers(0, 8))
def test_rewritten_date_patterns_match_what_the_plain_ones_do(text: str, pos: int) -> None:
    def found(matches):
        return [(m.span(), m.groupdict()) for m in matches]

    assert found(dates.TIME.finditer(text)) == found(PLAIN_TIME.finditer(text))
    assert found(dates.ZONE.finditer(text, pos, pos + 20)) == found(
        PLAIN_ZONE.finditer(text, pos, pos + 20)
    )
    hint = dates.DIGITS_AROUND_SEPARATOR.search(text) or re.search(r"\d\s*[年년]", text)
    assert (hint is None) == (PLAIN_NUMERIC_HINT.search(text) is None)


def test_only_the_look_alikes_match_a_zone_letter_ignoring_case_but_not_lower_cased() -> None:
    every_char = "".join(map(chr, range(sys.maxunicode + 1)))
    for letter in set("".join(dates.ZONES)):
        alike = set(re.findall(f"(?i){letter}", every_char))
        assert {c for c in alike if c.lower() != letter} <= set(dates.CASE_LOOK_ALIKES)



def test_has_digit_agrees_with_the_digit_pattern_on_every_code_point() -> None:
    # has_digit skips the category lookup below FIRST_OTHER_DIGIT: no decimal digit but
    # "0"-"9" may stand there, and above it every one must be found as \d finds it.
    # (digit_in is the loop compiled builds run, whichever build runs the tests)
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        assert digit_in(char) == (DIGIT.search(char) is not None), hex(code)
    assert all(not chr(code).isdecimal() for code in range(0x3A, FIRST_OTHER_DIGIT))
    for text in ("", "no digits here", "Mai 2014", "٣ أيام", "ｐａｇｅ　３", "x\ud800y"):
        assert digit_in(text) == has_digit(text) == (DIGIT.search(text) is not None), text
