"""Lifting the title, publication date and byline lines of a capture into doc.meta.

The lines are looked for where they stand on news pages: just before the article's
first paragraph (the main run, see `main_run.py`), or just inside it. Values are only
ever read from the page: what is not found stays unset.
"""
from __future__ import annotations

from typing import Final

import regex

from .. import reasons as R
from ..document import Document
from ..text.dates import find_date
from ..text.names import split_names
from . import vocab
from .features import CLOSING_CHARS, is_sentence, word_count
from .levels import ALL
from .main_run import article_runs, run_scores
from .noise import is_date_line, line_facts, line_key

# Lines before the main run searched for the title, date and byline: the headline block
# (kicker, title, standfirst, byline, date, image caption) rarely spans more.
HEAD_LINES_BEFORE: Final = 10
# Lines into the main run still searched for a byline or date ("By Jane Doe" under the lead).
HEAD_LINES_INSIDE: Final = 3
# A headline has a few words and rarely more than a long sentence's worth.
TITLE_MIN_WORDS: Final = 3
TITLE_MAX_WORDS: Final = 30
# Headlines end without a full stop (a question or exclamation mark is fine).
TITLE_END: Final = regex.compile(r"[.:;,]['\"’”»)\]]*\Z")
# Headlines start with a capital, a digit or a quote; menus and datelines often do not.
TITLE_START: Final = regex.compile(r"[\p{Lu}\p{Lo}\d\"'„“«‘]")
# A headline is not a call to action ("Want to partner with us?", "Become a member"), a
# breadcrumb ("Home » Sport » Tennis") or a short line in capitals (a section label, a
# button or a credit: "POLITICS & GOVERNMENT", "PHOTO OF THE DAY", "NOAH BERGER / AP").
# On the development set's text captures these were 26 of the titles found, none of
# them a headline, while all-capital headlines of five words or more are real ones.
CALL_TO_ACTION: Final = regex.compile(
    r"\b(?:" + "|".join(regex.escape(p) for p in vocab.CALL_TO_ACTION.split("|")) + r")\b",
    regex.IGNORECASE,
)
# The phrases, lower case, for `may_call_to_action`.
CALL_TO_ACTION_PHRASES: Final = tuple(p.lower() for p in vocab.CALL_TO_ACTION.split("|"))
BREADCRUMB: Final = regex.compile(r"\s[›»>]\s")
CAPITALS_MAX_WORDS: Final = 4
LOWER: Final = regex.compile(r"\p{Ll}")
UPPER: Final = regex.compile(r"\p{Lu}")
# What a byline opens with, in the order BYLINE tries them.
BYLINE_OPENINGS: Final = (
    "posted by", "written by", "story by", "words by", "ein beitrag von", "beitrag von",
    "artikel von", "geschrieben von", "text von", "publié par", "écrit par", "escrito por",
    "publicado por", "scritto da", "geschreven door", "by", "von", "par", "por", "di", "door",
    "text", "texto", "autor", "autorin", "author",
)
# "By Jane Doe", "von Max Mustermann und Erika Musterfrau", "Par Jean Dupont", "Por ...".
BYLINE: Final = regex.compile(
    r"(?i:" + "|".join(regex.escape(opening) for opening in BYLINE_OPENINGS) + r")"
    r"\s*:?\s+(?P<names>\p{Lu}[\p{L}'’.-]*(?:(?:\s+|\s*,\s*|\s+(?:und|and|&|et|y|e|en)\s+)"
    r"(?:\p{Lu}|von |van |de |da |del |der |le |la )[\p{L}'’.-]*){0,7})\s*[|,·•–—-]?\s*$"
)
# What is left of "von Jane Doe am 14. Mai 2014" once the date is cut out, and trimmed.
DANGLING_PREPOSITION: Final = regex.compile(r"\s+(?:am|on|le|el|il|op|um|at)\s*$")
BYLINE_EDGES: Final = " |,·•–—-"
# The first words of BYLINE_OPENINGS: a line whose first word, in ASCII, is none of them
# (a colon after it aside) is no byline, told without the regex (see `may_be_byline`).
BYLINE_FIRST_WORDS: Final = frozenset(opening.split()[0] for opening in BYLINE_OPENINGS)
# A byline names people: more words than this is a sentence that starts with "By".
BYLINE_MAX_WORDS: Final = 10


def lift_metadata(doc: Document) -> None:
    """Find the title, date and byline lines; move them from the body into doc.meta.

    Each line found is dropped with reason `title`, `date_line` or `byline`; a field
    `doc.meta` already holds (from front matter) is not looked for again. Captures with a
    site rule set are left to their rules unless it asks for all heuristics.
    """
    lines = doc.lines
    if not lines or (doc.ruleset is not None and doc.ruleset.heuristics != ALL):
        return
    reasons = [line.reason or line_facts(line).reason for line in lines]
    runs = article_runs(run_scores(lines, reasons))
    start = runs[0][0] if runs else 0
    head = range(max(0, start - HEAD_LINES_BEFORE), min(len(lines), start + HEAD_LINES_INSIDE))
    for i in head:
        line = lines[i]
        if line.reason is not None:
            continue
        if "authors" not in doc.meta and lift_byline(doc, i):
            continue
        if "published" not in doc.meta and is_date_line(line.text):
            found = find_date(line.text)
            if found:
                doc.meta["published"] = found.value
                doc.drop(i, R.DATE_LINE)
    if not doc.meta.get("title"):
        title = find_title(doc, start, reasons)
        if title is not None:
            doc.meta["title"] = lines[title].text
            doc.drop(title, R.TITLE)


def lift_byline(doc: Document, index: int) -> bool:
    """Take the authors (and a date written with them) from line `index` if it is a byline."""
    text = doc.lines[index].text
    if word_count(text) > BYLINE_MAX_WORDS:
        return False
    found = find_date(text)
    rest = text[: found.start] + text[found.end :] if found else text
    rest = rest.strip(BYLINE_EDGES)
    if not may_be_byline(rest):
        return False
    rest = DANGLING_PREPOSITION.sub("", rest)
    match = BYLINE.fullmatch(rest.strip())
    if match is None:
        return False
    doc.meta["authors"] = split_names(match["names"])
    if found and "published" not in doc.meta:
        doc.meta["published"] = found.value
    doc.drop(index, R.BYLINE)
    return True


def may_be_byline(text: str) -> bool:
    """False when BYLINE cannot match `text` (once a dangling preposition is cut from its
    end, which leaves its first word): its first word is none of BYLINE_FIRST_WORDS,
    ignoring case and a colon after it. A first word past ASCII is left to the regex,
    which matches some letters ignoring case that lower() does not make ("ſ", "K")."""
    words = text.split(None, 1)
    if not words:
        return False
    first = words[0]
    return not first.isascii() or first.lower().removesuffix(":") in BYLINE_FIRST_WORDS


def may_call_to_action(text: str) -> bool:
    """False when CALL_TO_ACTION cannot match `text`: ASCII text whose lower-case form
    holds none of its phrases (a few substring tests instead of the search, which tries
    every phrase at every word of the line ignoring case). In ASCII text, ignoring case is
    lower-casing; past ASCII ("ſ" matches "s"), the pattern decides."""
    if not text.isascii():
        return True
    lower = text.lower()
    for phrase in CALL_TO_ACTION_PHRASES:
        if phrase in lower:
            return True
    return False


def find_title(doc: Document, start: int, reasons: list[str | None]) -> int | None:
    """Index of the headline: the last title-like line before the main run starts."""
    lines = doc.lines
    for i in range(start - 1, max(-1, start - 1 - HEAD_LINES_BEFORE), -1):
        line = lines[i]
        if line.reason is not None or reasons[i] is not None:
            continue
        if is_title_like(line.text):
            return i
    if start < len(lines) and lines[start].reason is None and is_title_like(lines[start].text):
        first = lines[start]
        # a run may begin with its own headline when no paragraph break sets it off
        if not (first.blank_before and first.blank_after) and not is_sentence(first.text):
            return start
    return None


def is_title_like(text: str) -> bool:
    """True for a line shaped like a headline: a few words, not ending as a statement does."""
    words = word_count(text)
    if not TITLE_MIN_WORDS <= words <= TITLE_MAX_WORDS:
        return False
    if TITLE_END.search(text) or not line_key(text) or not TITLE_START.match(text):
        return False
    if BREADCRUMB.search(text) or (may_call_to_action(text) and CALL_TO_ACTION.search(text)):
        return False
    if words <= CAPITALS_MAX_WORDS and UPPER.search(text) and not LOWER.search(text):
        return False
    return not is_sentence(text) or text.rstrip(CLOSING_CHARS).endswith(("?", "!"))
