"""Line splitting and the language guess: the two steps every text capture goes through."""
from __future__ import annotations

import re
import sys
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.heuristics import noise
from cleaner.text.language import (
    LANGUAGES_OF,
    MAYBE_SCRIPT,
    TOKEN_EDGES,
    WORD,
    WORD_CHARS,
    WORD_TABLE_END,
    counted_tokens,
    counted_words,
    detect_language,
    function_words,
    maybe_script,
    script_char_in,
    word_char_at,
)
from cleaner.text.lines import collapse_whitespace, normalise, split_lines
from cleaner.text.titles import headline


def test_lines_are_split_at_every_line_end_and_their_whitespace_collapsed() -> None:
    text = "  First\tline \r\nSecond\u00a0\u00a0line\rThird\u3000line\u2028Fourth  \n"
    assert [line.text for line in split_lines(text)] == [
        "First line", "Second line", "Third line", "Fourth",
    ]


def test_blank_lines_become_flags_on_their_neighbours() -> None:
    lines = split_lines("Title\n\n \t\nFirst paragraph.\nSecond paragraph.\n\n")
    assert [(line.text, line.blank_before, line.blank_after) for line in lines] == [
        ("Title", True, True),
        ("First paragraph.", True, False),
        ("Second paragraph.", False, True),
    ]


def test_every_whitespace_but_the_space_is_unprintable() -> None:
    # split_lines leaves a printable line's characters alone: what it relies on
    spaces = {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}
    assert not [space for space in spaces - {" "} if space.isprintable()]


TEXT_PIECES = st.sampled_from([
    "a", "bc", "Ü", "x y", " ", "  ", "\n", "\r\n", "\r", "\t", "\xa0", "\u2009", "\u3000",
    "\x1f", "\x1c", "\x85", "\u2028", "\u200b", "\ufeff", "\xad", "\v", "\f", "\u200e", "é",
    "\x00", "\x07", "\x1b[31m", "\ud800", "\x9f",
])


@settings(max_examples=3000, deadline=None)
@given(st.lists(TEXT_PIECES, max_size=20).map("".join))
def test_each_line_is_normalised_and_blank_ones_dropped(text: str) -> None:
    # what split_lines does in one pass, line by line: lines that normalise to nothing
    # are blank, and flag their neighbours
    expected, blank = [], True
    for raw in text.splitlines():
        clean = normalise(raw)
        if not clean:
            blank = True
            if expected:
                expected[-1][2] = True
            continue
        expected.append([clean, blank, False])
        blank = False
    lines = split_lines(text)
    assert [[line.text, line.blank_before, line.blank_after] for line in lines] == expected


def test_invisible_characters_go_without_joining_lines() -> None:
    lines = split_lines("Zero\u200bwidth\u00ad joiner\r\u200b\nNext\ufeff line")
    assert [line.text for line in lines] == ["Zerowidth joiner", "Next line"]


@pytest.mark.parametrize("text", ["a b", " a b", "a b ", "a  b", "a\tb", "a \u00a0b", "", "   "])
def test_collapse_whitespace_is_split_and_join(text: str) -> None:
    assert collapse_whitespace(text) == " ".join(text.split())


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            (
                "The council said that the bridge was closed for repairs and it is not open to "
                "traffic at the moment, as the engineers have to replace the deck."
            ),
            "en",
        ),
        (
            (
                "Der Rat teilte mit, dass die Brücke nicht für den Verkehr geöffnet ist und auch "
                "in den nächsten Wochen mit der Sanierung zu rechnen ist."
            ),
            "de",
        ),
        (
            (
                "Le conseil a dit que le pont est fermé pour des travaux et que la circulation "
                "sur les deux voies ne sera pas rétablie avant la fin du mois."
            ),
            "fr",
        ),
        ("市議会は、橋の補修工事が終わるまで通行止めが続くと発表した。", "ja"),
    ],
)
def test_language_of_clear_text(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_too_few_function_words_give_no_language() -> None:
    assert detect_language("Bridge reopens: traffic expected Monday") is None
    assert detect_language("") is None


def test_function_words_count_what_a_word_search_finds() -> None:
    # apostrophes, digits, underscores and punctuation split words as WORD does
    lower = ("l'homme d'un «le» (the) 2der das_ist and/or the—and, 'la' la3la "
             "über die the. the the")
    expected = Counter(w for w in WORD.findall(lower) if w in LANGUAGES_OF)
    counted = function_words(lower)
    assert counted == dict(expected) == counted_words(lower) == counted_tokens(lower)
    # in order of first use, which breaks ties between languages
    assert list(counted) == list(dict.fromkeys(w for w in WORD.findall(lower) if w in LANGUAGES_OF))


def test_first_separator_finds_the_menu_separators() -> None:
    assert {chr(c) for c in (noise.PIPE, noise.BULLET_POINT, noise.MIDDLE_DOT, noise.SLASH)} == set(
        noise.MENU_SEPARATOR_CHARS
    )
    for text in ("Home | News", "a/b · c", "• x", "no separator", "", "x · y | z"):
        found = [i for i, char in enumerate(text) if char in noise.MENU_SEPARATOR_CHARS]
        expected = found[0] if found else -1
        assert noise._first_separator(text) == noise._separator_at(text) == expected, text


def test_a_line_key_is_its_lower_case_text_stripped_of_key_edges() -> None:
    # _key skips the strip for a text that starts and ends with an ASCII letter
    assert not any(char.isascii() and char.isalpha() for char in noise.KEY_EDGES)
    for text in ("Home", "home", "Kommentare (3)", "← Zurück", "a", "", "4 Comments", "x.", "éa"):
        assert noise.line_key(text) == text.lower().strip(noise.KEY_EDGES), text


def test_maybe_script_finds_what_a_search_for_its_class_finds() -> None:
    # the class the language guess once searched for; every code point is tried
    # (script_char_in is the loop compiled builds run, whichever build runs the tests)
    maybe = re.compile("[\u0370-\u1fff\u2126\u2e80-\U0010ffff]")
    assert maybe.pattern == MAYBE_SCRIPT.pattern
    for code in range(0x10FFFF + 1):
        assert script_char_in(chr(code)) == (maybe.search(chr(code)) is not None), hex(code)
    assert maybe_script("Kyiv – «Київ»") and maybe_script("10 \u2126")
    assert script_char_in("Kyiv – «Київ»") and script_char_in("10 \u2126")
    assert not maybe_script("Café “naïve” — 20 €…") and not script_char_in("Café “naïve” — 20 €…")


def test_word_characters_are_what_the_word_pattern_reads_as_such() -> None:
    # (word_char_at is what the compiled loop counted_words reads, whichever build runs)
    for code in range(0x10FFFF + 1):
        char = chr(code)
        assert word_char_at(char, 0) == (WORD.fullmatch(char) is not None), hex(code)
    assert len(WORD_CHARS) == WORD_TABLE_END


def test_token_edges_hold_no_word_character() -> None:
    # stripping them from a token must leave its WORDs as they were
    assert not WORD.search(TOKEN_EDGES) and not any(c.isalnum() or c == "_" for c in TOKEN_EDGES)


WORD_PIECES = st.sampled_from([
    *sorted(LANGUAGES_OF)[:40], "word", "l'", "d’", "x²", "½", "_", "3", " ", " ", "—", "(", ")",
    '"', ",", ".", "«", "»", "-", "'", "ß", "İ",
    # past WORD_CHARS (WORD_TABLE_END), where each character is asked
    "ℓ", "①", "中文", "⁰",
])


@settings(max_examples=2000, deadline=None)
@given(st.lists(WORD_PIECES, max_size=30).map("".join))
def test_function_words_count_what_a_word_search_finds_in_any_text(lower: str) -> None:
    words = [w for w in WORD.findall(lower) if w in LANGUAGES_OF]
    for counted in (function_words(lower), counted_words(lower), counted_tokens(lower)):
        assert counted == dict(Counter(words)) and list(counted) == list(dict.fromkeys(words))


def test_a_text_capture_keeps_its_own_spacing_between_words_and_is_judged_without_it() -> None:
    from cleaner import clean

    text = ("Stoves for the front\n\n"
            "The 2,000 field stoves  delivered on Monday went to units in the east, the "
            "volunteers said, and more will follow before the winter sets in for good.\n\n"
            "A second   shipment of   blankets is planned for next week, the organisers "
            "said on Tuesday, after a collection in three cities raised the money.\n")
    article = clean(text, source="spacing.txt")
    assert "field stoves  delivered" in article.body
    assert "A second   shipment of   blankets" in article.body
    assert article.meta["word_count"] == len(article.body.split())
    assert [line.text for line in article.decisions][1].startswith("The 2,000 field stoves delivered")
    # HTML shows a run of spaces as one: its lines are not kept so
    assert split_lines("a  b")[0].shown is None and split_lines("a  b", keep_spacing=True)[0].shown == "a  b"
    assert clean(article.body, source="again.txt").body == article.body


@pytest.mark.parametrize(("title", "sites", "expected"), [
    ("Council approves budget | Example Times", ["Example Times"], "Council approves budget"),
    ("Council approves budget - example.com", ["example.com"], "Council approves budget"),
    ("What is Cloud Computing? | Google Cloud", ["cloud.google.com"], "What is Cloud Computing?"),
    ("What do people love about Rust? | Rust Blog", ["blog.rust-lang.org"],
     "What do people love about Rust?"),
    ("How To Book a Flight | It’s All Trip To Me", ["itsalltriptome.com"], "How To Book a Flight"),
    ("Gym Guide: Everything to Know - Urge Fitness | Affordable Gyms Near You", ["urgefitness.com"],
     "Gym Guide: Everything to Know"),
    ("Example Times: Council approves budget", ["Example Times"], "Council approves budget"),
    # parts that do not name the site stay, and so does a title that would be too short
    ("Budget 2025 | Analysis", ["example.com"], "Budget 2025 | Analysis"),
    ("Home - Example Times", ["Example Times"], "Home - Example Times"),
    ("Council approves e-mail budget", ["e.com"], "Council approves e-mail budget"),
    ("Council approves budget | Example Times", [None], "Council approves budget | Example Times"),
])
def test_headline_leaves_the_site_name_out_of_a_title(title, sites, expected):
    assert headline(title, sites) == expected
