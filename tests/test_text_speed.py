"""The text path's shortcuts tell what the slower tests they stand for tell.

Each shortcut (a compiled loop, a cheap test before a regex, a rule not run again when
cleaning settles) must give the very answer of the code it spares: these tests compare
the two on every fixture line and on generated text.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import reasons as R
from cleaner.document import Capture, Document, Line
from cleaner.extract.capture_features import (
    CODE_ENDS,
    CURRENCY_MARKS,
    LETTERS,
    LONGEST_VOCABULARY_WORD,
    SHORTEST_VOCABULARY_WORD,
    VOCABULARIES,
    VOCABULARY_OF,
    VOCABULARY_SHAPES,
    currency_marks,
    ends_as_code,
    vocabulary_shape,
    word_features,
)
from cleaner.heuristics import drop_boilerplate, drop_boilerplate_again, lift_metadata
from cleaner.heuristics.features import (
    CLOSING_CHARS,
    SENTENCE_END_CHARS,
    UNSPACED,
    ends_as_sentence,
    is_sentence,
    word_count,
)
from cleaner.heuristics.main_run import (
    AFTER_HEADING,
    MENU_RUN_MIN,
    STRETCH_BREAK,
    STRETCH_MENU,
    STRETCH_TEASER,
    TEASER_RUN_MIN,
    outside_reasons,
    stretch_code,
    stretch_kind,
)
from cleaner.heuristics.metadata import (
    BYLINE,
    CALL_TO_ACTION,
    CALL_TO_ACTION_PHRASES,
    may_be_byline,
    may_call_to_action,
)
from cleaner.heuristics.noise import (
    BRACKETED_CREDIT,
    COUNTED_WORDS,
    CREDIT_PHRASE_FIRST_WORDS,
    FIRST_WORD_EDGE_CODES,
    FIRST_WORD_EDGES,
    FRAGMENT_REASONS,
    FRAGMENTS,
    KEY_EDGE_CODES,
    KEY_EDGES,
    MAX_TRIGGER_CHARS,
    MIN_TRIGGER_CHARS,
    RELATIVE_TIME_LOWER,
    TIME_AGO_OPENINGS,
    VIEW_COUNTER_LOWER,
    drop_noise_lines,
    edges_stripped,
    first_word,
    may_be_time_ago,
    may_count,
    may_hold_credit,
    spaced_fragment_reason,
    token_fragment_reason,
)
from cleaner.pipeline import clean_capture, space_count
from cleaner.sources.files import find_captures, read_capture
from cleaner.text.dates import (
    DAY_MONTH_YEAR,
    DIGITS_AROUND_SEPARATOR,
    MONTH_DAY_YEAR,
    MONTHS,
    day_first_day_in,
    has_separated_digits,
    month_first_day_in,
    month_word_in,
    names_a_month,
    separated_digits,
)
from cleaner.text.language import (
    FUNCTION_WORD_SHAPES,
    LANGUAGES_OF,
    WORD,
    counted_words,
    function_word_shape,
    maybe_script,
    script_char_in,
)
from cleaner.text.lines import collapsed, has_invisible, split_lines, without_invisible

ROOT = Path(__file__).resolve().parent.parent
CAPTURES = [read_capture(path) for path in find_captures([ROOT / "fixtures"])]
LINES = sorted({line.text for capture in CAPTURES for line in split_lines(capture.text)})
# Characters the shortcuts look at, and some they must not mistake for them.
DATE_CHARS = st.sampled_from(
    list("0123456789٣३-/.,: ") + ["may", "mai", "jun", "sept", "x", "märz", "décembre", "\u2003",
                                  "\x1c", "\xa0", "\t", "ju", "janx"]
)
SENTENCE_CHARS = st.sampled_from(list(CLOSING_CHARS + SENTENCE_END_CHARS + "a…. 1xé\x7f\x80"))


def test_the_fixtures_give_lines_to_compare() -> None:
    assert len(LINES) > 800


@given(st.lists(DATE_CHARS, max_size=16).map("".join))
def test_separated_digits_as_the_pattern_finds_them(text: str) -> None:
    expected = DIGITS_AROUND_SEPARATOR.search(text) is not None
    assert separated_digits(text) == has_separated_digits(text) == expected


@given(st.lists(DATE_CHARS, max_size=16).map("".join))
def test_a_month_is_named_as_the_words_split_at_stops_and_commas_tell(text: str) -> None:
    words = text.replace(".", " ").replace(",", " ").split()
    assert names_a_month(text) == month_word_in(text) == any(word in MONTHS for word in words)


def test_date_shortcuts_agree_on_the_fixture_lines() -> None:
    for line in LINES:
        lower = line.lower()
        assert separated_digits(line) == (DIGITS_AROUND_SEPARATOR.search(line) is not None), line
        words = lower.replace(".", " ").replace(",", " ").split()
        expected = any(word in MONTHS for word in words)
        assert names_a_month(lower) == month_word_in(lower) == expected, line


@given(st.lists(SENTENCE_CHARS, max_size=8).map("".join))
def test_is_sentence_reads_the_end_as_stripping_it_would(text: str) -> None:
    body = text.rstrip(CLOSING_CHARS)
    cut_short = body.endswith(("…", "..."))
    expected = not cut_short and body[-1:] != "" and body[-1:] in SENTENCE_END_CHARS
    # (is_sentence reads an ASCII last character by itself, the others as ends_as_sentence)
    assert is_sentence(text) == ends_as_sentence(text) == expected


def test_is_sentence_reads_the_fixture_lines_as_stripping_them_would() -> None:
    for line in LINES:
        body = line.rstrip(CLOSING_CHARS)
        cut_short = body.endswith(("…", "..."))
        expected = not cut_short and body[-1:] != "" and body[-1:] in SENTENCE_END_CHARS
        assert is_sentence(line) == ends_as_sentence(line) == expected, line


def test_a_line_that_is_no_byline_to_the_shortcut_is_none_to_the_pattern() -> None:
    lines = [*LINES, "By Jane Doe", "by: Jane Doe", "Von Max Mustermann", "ſtory by Jane Doe",
             "Écrit par Jean Dupont", "Byline Jane Doe", "AUTHOR: Jane Doe"]
    for line in lines:
        if not may_be_byline(line):
            assert BYLINE.fullmatch(line) is None, line
    assert may_be_byline("AUTHOR: Jane Doe") and may_be_byline("ſtory by Jane Doe")
    assert not may_be_byline("Byline Jane Doe")


def test_fragments_are_found_as_a_lookup_of_every_word_finds_them() -> None:
    def looked_up(tokens: list[str], lower: str) -> str | None:
        best_rank, best = 99, None
        for word in tokens:
            for phrase, reason, rank in FRAGMENTS.get(word, ()):
                if rank < best_rank and phrase in lower:
                    best_rank, best = rank, reason
        return best

    words = [trigger for trigger in FRAGMENTS if MIN_TRIGGER_CHARS <= len(trigger) <= MAX_TRIGGER_CHARS]
    for line in [*LINES, " ".join(words)]:
        lower = line.lower()
        expected = looked_up(lower.split(), lower)
        assert token_fragment_reason(lower.split(), lower) == expected, line
        assert spaced_fragment_reason(lower) == expected, line


# Lines as lines are made (words one space apart, no other whitespace), of fragments'
# words, their neighbours in length and shape, and clinging punctuation.
FRAGMENT_WORDS = st.sampled_from(sorted({
    *(phrase for _, words in FRAGMENT_REASONS for phrase in words.split("|")),
    *(trigger for trigger in FRAGMENTS if len(trigger) <= MAX_TRIGGER_CHARS),
    "a", "the", "é", "©", "(c)", "x" * MIN_TRIGGER_CHARS, "x" * MAX_TRIGGER_CHARS,
    "x" * (MAX_TRIGGER_CHARS + 1), "İstanbul", "ǅ", "ﬁ",
}))


@settings(max_examples=2000, deadline=None)
@given(st.lists(FRAGMENT_WORDS, min_size=1, max_size=12).map(" ".join))
def test_fragments_read_between_spaces_are_those_split_words_find(line: str) -> None:
    lower = line.lower()
    assert spaced_fragment_reason(lower) == token_fragment_reason(lower.split(), lower), line


def test_settling_drops_what_the_whole_of_drop_boilerplate_would() -> None:
    for capture in CAPTURES:
        doc = Document(capture, split_lines(capture.text))
        lift_metadata(doc)
        drop_boilerplate(doc)
        kept = doc.kept()
        reasons = []
        for step in (drop_boilerplate, drop_boilerplate_again):
            lines = [Line(doc.lines[i].text, None, doc.lines[i].blank_before) for i in kept]
            view = Document(Capture(capture.text), lines, dict(doc.meta))
            step(view)
            reasons.append([line.reason for line in lines])
        assert reasons[0] == reasons[1], capture.source


# Pieces of counters and relative times, and of the dates and words they must not take for one.
COUNTER_PIECES = st.sampled_from([
    *[word.replace("?", "") for word in COUNTED_WORDS], *COUNTED_WORDS[:4], *TIME_AGO_OPENINGS,
    "stunden", "hours", "hrs", "min", "días", "jahre", "ago", "geleden", "fa", "tsd.", "mio.",
    "k", "m", "1", "12", "1.234", "3,5", "٣", " ", "  ", "\t", ".", ",", ":", "：", "posted", "march",
    "2021", "x", "é",
])


@settings(max_examples=2000, deadline=None)
@given(st.lists(COUNTER_PIECES, min_size=1, max_size=6).map("".join))
def test_counters_and_times_ago_pass_their_first_and_last_character_tests(text: str) -> None:
    # what the patterns match passes the tests that spare them (lower-case lines alone)
    lower = text.lower()
    if VIEW_COUNTER_LOWER.fullmatch(lower):
        assert may_count(lower[0], lower[-1]), lower
    if RELATIVE_TIME_LOWER.fullmatch(lower):
        assert may_be_time_ago(lower[0], lower[-1]), lower


def test_counters_and_times_ago_on_the_fixture_lines() -> None:
    matched = 0
    for line in LINES:
        lower = line.lower()
        if VIEW_COUNTER_LOWER.fullmatch(lower):
            matched += 1
            assert may_count(lower[0], lower[-1]), line
        if RELATIVE_TIME_LOWER.fullmatch(lower):
            matched += 1
            assert may_be_time_ago(lower[0], lower[-1]), line
    assert matched
    # every counted word ends with an ASCII letter, which may_count reads as its end
    assert all(word.rstrip("?")[-1].isascii() and word.rstrip("?")[-1].isalpha()
               for word in COUNTED_WORDS)
    assert all(word[:-1][-1].isascii() and word[:-1][-1].isalpha()
               for word in COUNTED_WORDS if word.endswith("?"))
    # and the tests rule out the dates they are asked about most
    for line in ("12 march 2021", "posted on 12.3.2021", "updated 3 hours ago today"):
        assert not may_count(line[0], line[-1]) and not may_be_time_ago(line[0], line[-1])


MONTH_FIRST_PIECES = st.sampled_from([
    *sorted(MONTHS)[::7], "march", "may", "mai", "sept", "um", "at", "1", "3", "4", "12", "31",
    "45", "2019", "٣", "0", " ", "\u2003", "\t", ".", ",", ":", "x", "é", "st", "th", "º",
    "de ", "of", "-", "/", "(", "_",
])


@settings(max_examples=2000, deadline=None)
@given(st.lists(MONTH_FIRST_PIECES, max_size=8).map("".join))
def test_day_first_dates_are_found_only_where_their_day_can_stand(lower: str) -> None:
    if DAY_MONTH_YEAR.search(lower):
        assert day_first_day_in(lower), lower


def test_day_first_days_on_the_fixture_lines() -> None:
    found = 0
    for line in LINES:
        lower = line.lower()
        if DAY_MONTH_YEAR.search(lower):
            found += 1
            assert day_first_day_in(lower), line
    assert found
    assert not day_first_day_in("oktober 2019 (1)") and not day_first_day_in("im oktober 2019")
    assert day_first_day_in("18. oktober 2019") and day_first_day_in("5de mayo")


@settings(max_examples=2000, deadline=None)
@given(st.lists(MONTH_FIRST_PIECES, max_size=8).map("".join))
def test_month_first_dates_are_found_only_where_their_day_can_stand(lower: str) -> None:
    if MONTH_DAY_YEAR.search(lower):
        assert month_first_day_in(lower), lower


def test_month_first_days_on_the_fixture_lines() -> None:
    found = 0
    for line in LINES:
        lower = line.lower()
        if MONTH_DAY_YEAR.search(lower):
            found += 1
            assert month_first_day_in(lower), line
    assert found
    assert not month_first_day_in("18. oktober 2019 um 15:05 uhr")
    assert month_first_day_in("october 19, 2019") and month_first_day_in("jan.\u20035")


def lettered_outside_reasons(lines: list[Line], inside: list[bool]) -> list[str | None]:
    """outside_reasons as first written: a letter per line ("m", "t", "x", "n" for noise)
    and a run of each stretch kind's letter and "n" looked for in turn."""
    letters = {R.MENU_RUN: "m", R.TEASER_LIST: "t", None: "x"}
    reasons: list[str | None] = [None] * len(lines)
    codes: list[str] = []
    after = None
    seen_article = False
    for i, line in enumerate(lines):
        if inside[i]:
            after, seen_article = None, True
            codes.append("x")
        elif line.reason is not None:
            if line.reason not in AFTER_HEADING:
                codes.append("n")
                continue
            if seen_article:
                after = AFTER_HEADING[line.reason]
            codes.append("x")
        elif after is not None:
            reasons[i] = after
            codes.append("x")
        else:
            codes.append(letters[stretch_kind(line)])
    for name, least in ((R.MENU_RUN, MENU_RUN_MIN), (R.TEASER_LIST, TEASER_RUN_MIN)):
        letter = letters[name]
        start = 0
        for i in range(len(codes) + 1):
            if i < len(codes) and (codes[i] == letter or codes[i] == "n"):
                continue
            if i - start >= least:
                for j in range(start, i):
                    if codes[j] == letter:
                        reasons[j] = name
            start = i + 1
    return [None if inside[i] else (reasons[i] or R.OUTSIDE_MAIN_RUN) for i in range(len(lines))]


# A line outside or inside the runs: its reason so far, its words, whether it is a sentence.
OUTSIDE_LINES = st.tuples(
    st.booleans(),
    st.sampled_from([None, None, None, R.NAV_LINE, R.DATE_LINE, *AFTER_HEADING]),
    st.sampled_from([1, 2, 3, 4, 5, 12, 20, 21, 40]),
    st.booleans(),
)


@settings(max_examples=2000, deadline=None)
@given(st.lists(OUTSIDE_LINES, max_size=24))
def test_outside_reasons_as_the_lettered_stretches_give_them(rows: list) -> None:
    lines = [
        Line(" ".join(["w"] * words) + ("." if sentence else ""), reason)
        for _, reason, words, sentence in rows
    ]
    inside = [row[0] for row in rows]
    assert outside_reasons(lines, inside) == lettered_outside_reasons(lines, inside)
    kinds = {None: STRETCH_BREAK, R.MENU_RUN: STRETCH_MENU, R.TEASER_LIST: STRETCH_TEASER}
    for line in lines:
        assert stretch_code(line) == kinds[stretch_kind(line)]


def test_outside_reasons_on_the_fixtures() -> None:
    for capture in CAPTURES:
        lines = split_lines(capture.text)
        drop_noise_lines(Document(capture, lines))
        for inside in ([False] * len(lines), [i % 7 == 3 for i in range(len(lines))]):
            assert outside_reasons(lines, inside) == lettered_outside_reasons(lines, inside)


VOCABULARY_PIECES = st.sampled_from([
    *sorted(word.decode() for word in VOCABULARY_OF)[::3], "Reply", "CART", "x", "op", "ops",
    "é", "ß", "\ud800", " ", "\n", "-", "2", "$", "€", " kr", "zł",
])


@settings(max_examples=2000, deadline=None)
@given(st.lists(VOCABULARY_PIECES, max_size=12).map("".join))
def test_word_features_count_the_words_a_lookup_of_every_word_finds(short: str) -> None:
    out: dict[str, float] = {}
    word_features(short, out)
    found = [0] * len(VOCABULARIES)
    for word in short.encode("utf-8", "replace").translate(LETTERS).split():
        if word in VOCABULARY_OF:
            found[VOCABULARY_OF[word]] += 1
    assert [out[name] for name, _ in VOCABULARIES] == found


def test_every_vocabulary_word_has_a_vocabulary_shape() -> None:
    for word in VOCABULARY_OF:
        assert SHORTEST_VOCABULARY_WORD <= len(word) <= LONGEST_VOCABULARY_WORD
        assert VOCABULARY_SHAPES[vocabulary_shape(word)], word
    assert sum(VOCABULARY_SHAPES) <= len(VOCABULARY_OF)


BRACKET_PIECES = st.sampled_from([
    *sorted(CREDIT_PHRASE_FIRST_WORDS)[::4], "Foto", "PHOTO", "getty images", "Getty", "x_photo",
    "photos2", "ap", "AP", "map", "/", " ", "-", ".", ":", "é", "ſ", "K", "statt", "238€", "so",
    "im", "Prospekt", "(", "dpa",
])


@settings(max_examples=2000, deadline=None)
@given(st.lists(BRACKET_PIECES, max_size=8).map("".join))
def test_a_bracket_the_credit_pattern_matches_may_hold_a_credit(inner: str) -> None:
    if BRACKETED_CREDIT.fullmatch(inner):
        assert may_hold_credit(inner), inner


def test_brackets_of_the_fixture_lines_that_hold_a_credit_may_hold_one() -> None:
    found = 0
    for line in LINES:
        opening = line.rfind("(")
        if opening >= 0 and line.endswith(")"):
            inner = line[opening + 1 : -1]
            if BRACKETED_CREDIT.fullmatch(inner):
                found += 1
                assert may_hold_credit(inner), line
    assert found
    assert not may_hold_credit("statt 238 Euro") and not may_hold_credit("so im Prospekt")
    assert may_hold_credit("Foto: dpa") and may_hold_credit("REUTERS/Denis Balibouse")


ACTION_PIECES = st.sampled_from([
    *CALL_TO_ACTION_PHRASES[::3], "Sign Up", "SUPPORT US", "Donate", "donated", "ſupport us",
    "Become a", " member", "jetzt", " ", ".", "-", "Unterstützen Sie uns", "news", "x",
])


@settings(max_examples=2000, deadline=None)
@given(st.lists(ACTION_PIECES, max_size=6).map("".join))
def test_a_call_to_action_the_pattern_finds_passes_its_substring_test(text: str) -> None:
    if CALL_TO_ACTION.search(text):
        assert may_call_to_action(text), text


def test_calls_to_action_in_the_fixture_lines_pass_their_substring_test() -> None:
    for line in LINES:
        if CALL_TO_ACTION.search(line):
            assert may_call_to_action(line), line
    assert may_call_to_action("Become a Member today") and may_call_to_action("ſupport us")
    assert not may_call_to_action("Bridge reopens after repairs")


def test_every_unspaced_character_is_one_the_script_test_finds() -> None:
    # word_count searches a line for UNSPACED characters only when maybe_script finds one
    for code in range(0x110000):
        if UNSPACED.match(chr(code)):
            assert script_char_in(chr(code)) and maybe_script(chr(code)), hex(code)
    text = "市議会は、橋の補修工事が終わるまで通行止めが続くと発表した。"
    assert word_count(text) == 1 + len(UNSPACED.findall(text)) // 2 > 1
    assert word_count("Datenschutzerklärung") == 1


def split_lines_as_written(text: str, keep_spacing: bool = False) -> list[Line]:
    """split_lines as it was before it searched the text for runs of spaces once (and
    read a line's ends by their code points)."""
    lines: list[Line] = []
    blank = True
    raw_lines = text.splitlines()
    if has_invisible(text):
        raw_lines = without_invisible("\n".join(raw_lines)).split("\n")
    for raw in raw_lines:
        clean = raw
        shown = None
        if not raw:
            pass
        elif not raw.isprintable():
            clean = collapsed(raw)
        elif "  " in raw or raw.startswith(" ") or raw.endswith(" "):
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
        lines.append(Line(clean, None, blank, False, None, None, shown))
        blank = False
    return lines


TEXT_PIECES = st.sampled_from([
    "a", "b c", " ", "  ", "   ", "\t", "\n", "\n\n", "\r\n", "\r", "\x0b", "\u2028", "\x1c", "\x85",
    "\u200b", "\u00ad", " \u200b ", "\xa0", "\x07", "é", "—", "x  y",
])


@settings(max_examples=3000, deadline=None)
@given(st.lists(TEXT_PIECES, max_size=16).map("".join))
def test_split_lines_as_it_was_written(text: str) -> None:
    for keep_spacing in (False, True):
        got = split_lines(text, keep_spacing)
        expected = split_lines_as_written(text, keep_spacing)
        assert [(x.text, x.blank_before, x.blank_after, x.shown) for x in got] == [
            (x.text, x.blank_before, x.blank_after, x.shown) for x in expected
        ], text


def test_split_lines_as_it_was_written_on_the_fixtures() -> None:
    for capture in CAPTURES:
        got = split_lines(capture.text, keep_spacing=True)
        expected = split_lines_as_written(capture.text, keep_spacing=True)
        assert [(x.text, x.blank_before, x.blank_after, x.shown) for x in got] == [
            (x.text, x.blank_before, x.blank_after, x.shown) for x in expected
        ]


def test_a_line_ends_as_code_as_its_last_character_tells() -> None:
    for text in ["", "x", "a;", "f() {", "}", "(x)", "[1]", "<b>", "a->", "é", "—", "x\u037e", *LINES]:
        assert ends_as_code(text) == (text[-1:] in CODE_ENDS), text
    for code in range(0x3000):
        assert ends_as_code("x" + chr(code)) == (chr(code) in CODE_ENDS), hex(code)


def test_a_first_word_is_its_first_token_stripped_of_the_edges() -> None:
    assert not any(char.isascii() and char.isalpha() for char in FIRST_WORD_EDGES)
    for line in [*LINES, "", "(photo", "«le»", "a", "über.", "x-", "«le» mot", "( photo"]:
        tokens = line.lower().split()
        expected = tokens[0].strip(FIRST_WORD_EDGES) if tokens else ""
        assert first_word(line.lower()) == expected, line


def test_every_function_word_has_a_function_word_shape() -> None:
    # counted_words looks up only the words of such a shape
    for word in LANGUAGES_OF:
        assert FUNCTION_WORD_SHAPES[function_word_shape(len(word), ord(word[0]), ord(word[-1]))]
    assert sum(FUNCTION_WORD_SHAPES) <= len(LANGUAGES_OF)
    for line in LINES:
        lower = line.lower()
        expected = Counter(w for w in WORD.findall(lower) if w in LANGUAGES_OF)
        assert counted_words(lower) == dict(expected), line


@settings(max_examples=1000, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",))))
def test_space_count_counts_what_str_count_counts(text: str) -> None:
    assert space_count(text.encode("utf-8")) == text.count(" ")


def test_an_article_s_word_count_is_its_lines_words() -> None:
    # to_article counts the body's spaces, corrected for lines shown with their own
    # spacing; the count it spares is that of the lines' texts, split at whitespace
    captures = [*CAPTURES, Capture(
        "Title here\n\nA  line   shown with its  spacing, long enough to be kept in the article "
        "body.\n\nAnother line of the article, kept as it is, with words enough.\n"
    )]
    shown = 0
    for capture in captures:
        article = clean_capture(capture)
        kept = [line for line in article.decisions if line.reason is None]
        shown += sum(line.shown is not None for line in kept)
        assert article.meta["word_count"] == len("\n".join(line.text for line in kept).split())
    assert shown  # lines shown with their own spacing are among them


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(["$", "£", "€", "¥", "₹", " kr", "kr", "zł", "z", "ł", " ", "a", "1", "\n"]),
                max_size=20).map("".join))
def test_currency_marks_are_counted_as_str_count_counts_them(text: str) -> None:
    assert currency_marks(text) == sum(text.count(mark) for mark in CURRENCY_MARKS)


def test_currency_marks_on_the_fixture_lines() -> None:
    text = "\n".join(LINES)
    assert currency_marks(text) == sum(text.count(mark) for mark in CURRENCY_MARKS)
    for line in LINES:
        assert currency_marks(line) == sum(line.count(mark) for mark in CURRENCY_MARKS), line


EDGE_TABLES = ((KEY_EDGES, KEY_EDGE_CODES), (FIRST_WORD_EDGES, FIRST_WORD_EDGE_CODES))


def test_edge_tables_mark_their_characters_and_no_other() -> None:
    for chars, codes in EDGE_TABLES:
        assert {chr(code) for code, marked in enumerate(codes) if marked} == set(chars)


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=st.sampled_from([*KEY_EDGES, *FIRST_WORD_EDGES, "a", "é", "ж", "中", "\u2800"])))
def test_edges_are_stripped_as_str_strip_strips_them(text: str) -> None:
    for chars, codes in EDGE_TABLES:
        assert edges_stripped(text, codes) == text.strip(chars), text


def test_edges_of_the_fixture_lines_are_stripped_as_str_strip_strips_them() -> None:
    for line in LINES:
        lower = line.lower()
        for chars, codes in EDGE_TABLES:
            assert edges_stripped(lower, codes) == lower.strip(chars), line
