"""Finding the article's main run of lines in a text capture, and what surrounds it.

Every line gets a content score: positive for prose (long, ends like a sentence),
negative for short fragments and for lines already dropped as noise, and strongly
negative at headings that open comments or related lists. The main run is the
stretch with the largest total (body text extraction, Finn et al. 2001, as a
maximum-sum segment); lines outside it go, and so do menus and teaser lists inside it.

The blank lines browsers put around <p> paragraphs are deliberately not scored: a
cleaned article puts every line in a paragraph of its own, so a score that used them
would judge the same lines differently when an article is cleaned again (measured on
the development set: 33 of 949 articles changed on a second cleaning with a paragraph
bonus, 1 without, for 0.001 of F1).
"""
from __future__ import annotations

from typing import Final

from mypy_extensions import i64

from .. import reasons as R
from ..document import Document, Line
from .noise import line_facts

# Words of a line that count towards its score: past this a line is surely prose, and a
# single huge line (a comment dump, a cookie text) should not outweigh a whole article.
MAX_WORDS_COUNTED: Final = 40
# Score a line needs to add to the run: a sentence-like line of more words than this is
# evidence of article text, a shorter one is evidence against.
SCORE_THRESHOLD: Final = 8.0
# Lines not ending like a sentence are headings, teasers and menu entries more often than
# prose: their words count for less.
NON_SENTENCE_WEIGHT: Final = 0.5
# A line already dropped as noise (share bar, date, credit) costs the run a little:
# articles hold a few such lines, long stretches of them are page furniture.
DROPPED_PENALTY: Final = 1.0
# Dates, counters and reply links between paragraphs are the mark of comment threads and
# teaser lists (each item has its own); an article has one date, at the top.
LISTING_PENALTY: Final = 4.0
LISTING_REASONS: Final = frozenset({R.DATE_LINE, R.VIEW_COUNTER, R.COMMENT_ACTION})
# Headings that open comments, related or popular lists: the run rarely goes past them.
BARRIER_PENALTY: Final = 60.0
# Each heading names what follows it, which is the reason its lines are dropped for.
AFTER_HEADING: Final = {
    R.RELATED_HEADING: R.POPULAR_LIST,
    R.COMMENTS_HEADING: R.COMMENT_SECTION,
    R.COMMENT_FORM: R.COMMENT_SECTION,
    R.AUTHOR_HEADING: R.AUTHOR_BOX,
}
BARRIER_REASONS: Final = frozenset(AFTER_HEADING)
# Past such a heading, prose is more often teasers and comments than article: it counts
# for this much of its score.
AFTER_BARRIER_WEIGHT: Final = 0.5
# A second run elsewhere on the page is kept when it is worth this share of the main
# run and at least this much: an article split by a gallery or an advert box.
SECONDARY_SHARE: Final = 0.2
SECONDARY_MIN_SUM: Final = 10.0
# A line ending in a colon announces what follows: up to LIST_MAX_ITEMS lines after it
# (list items, steps, ingredients) are part of the text, scored LIST_ITEM_SCORE at least,
# until a line is noise.
LIST_MAX_ITEMS: Final = 20
LIST_ITEM_SCORE: Final = 0.0
COLON: Final = 0x3A
# Menus: this many lines in a row of at most MENU_WORDS words each.
MENU_RUN_MIN: Final = 3
MENU_WORDS: Final = 3
# Teaser lists outside the run: this many headline-length lines in a row, none a sentence.
TEASER_RUN_MIN: Final = 3
TEASER_MAX_WORDS: Final = 20
# What a line outside the runs is to a stretch of them (see outside_reasons), as a
# number: it ends one, it is noise (which any stretch takes in), or it is a menu entry or
# a teaser (`stretch_kind`); each kind of stretch is a run of its own lines and noise.
STRETCH_BREAK: Final = 0
STRETCH_NOISE: Final = 1
STRETCH_MENU: Final = 2
STRETCH_TEASER: Final = 3
# The kinds of stretch: their reason, their lines' number, the fewest lines it takes.
STRETCH_KINDS: Final = (
    (R.MENU_RUN, STRETCH_MENU, MENU_RUN_MIN), (R.TEASER_LIST, STRETCH_TEASER, TEASER_RUN_MIN),
)


# A kept line's score by whether it ends as a sentence and its words (capped): looked up,
# as every line of a capture is scored two or three times.
PROSE_SCORES: Final = tuple(
    tuple(
        (words if sentence else words * NON_SENTENCE_WEIGHT) - SCORE_THRESHOLD
        for words in range(MAX_WORDS_COUNTED + 1)
    )
    for sentence in (False, True)
)
# How much a line dropped (or about to be dropped) for a reason speaks against the run,
# for the reasons that cost more than DROPPED_PENALTY (a lookup: run_scores reads it for
# every dropped line).
PENALTIES: Final = {
    **dict.fromkeys(LISTING_REASONS, -LISTING_PENALTY),
    **dict.fromkeys(BARRIER_REASONS, -BARRIER_PENALTY),
}


def run_scores(lines: list[Line], reasons: list[str | None] | None = None) -> list[float]:
    """Line scores, with prose past the first section-end heading discounted.

    A kept line scores its words (capped), discounted unless it ends as a sentence, less
    the threshold; a dropped one the penalty of its reason (`PENALTIES`). `reasons`
    stand in for the lines' own when given (to look ahead before dropping).
    """
    if reasons is None:
        reasons = [line.reason for line in lines]
    scores: list[float] = []
    weight = 1.0
    list_items: i64 = 0  # how many more lines may continue a list a colon announced
    # (zip's pairs read by index, on native integers: compiled, zip() runs through the
    # iterator protocol, a call and a tuple per line)
    count: i64 = min(len(lines), len(reasons))
    for i in range(count):
        line = lines[i]
        reason = reasons[i]
        if reason is not None:
            if reason in BARRIER_REASONS:
                weight = AFTER_BARRIER_WEIGHT
            list_items = 0
            scores.append(PENALTIES.get(reason, -DROPPED_PENALTY))  # the weight is for prose
            continue
        facts = line.facts
        if facts is None:
            facts = line_facts(line)
        words, sentence = facts.words, facts.sentence
        # (no min() call: this runs for every kept line)
        capped = words if words < MAX_WORDS_COUNTED else MAX_WORDS_COUNTED  # noqa: FURB136
        score = PROSE_SCORES[sentence][capped]
        if list_items:
            score = max(score, LIST_ITEM_SCORE)
            list_items -= 1
        text = line.text
        if text and ord(text[-1]) == COLON:  # (text.endswith(":"), without the method call)
            list_items = LIST_MAX_ITEMS
        scores.append(score * weight if score > 0 else score)
    return scores


def best_run(scores: list[float], lo: int = 0, hi: int | None = None) -> tuple[int, int, float]:
    """(start, end, sum) of the maximum-sum stretch of scores[lo:hi] (end exclusive)."""
    # (native integers, see text.build)
    first: i64 = lo
    end: i64 = len(scores) if hi is None else hi
    best, best_start, best_end = 0.0, first, first
    total, start = 0.0, first
    for i in range(first, end):
        if total <= 0:
            total, start = 0.0, i
        total += scores[i]
        if total > best:
            best, best_start, best_end = total, start, i + 1
    return best_start, best_end, best


def article_runs(scores: list[float]) -> list[tuple[int, int]]:
    """The main run, plus runs before and after it that are substantial on their own."""
    start, end, total = best_run(scores)
    if total <= 0:
        return []
    runs = [(start, end)]
    floor = max(SECONDARY_MIN_SUM, SECONDARY_SHARE * total)
    # past a section-end heading after the article come comments and teasers, not more article
    stop = next((i for i in range(end, len(scores)) if scores[i] <= -BARRIER_PENALTY), len(scores))
    for lo, hi in ((0, start), (end, stop)):
        while lo < hi:
            a, b, found = best_run(scores, lo, hi)
            if found < floor:
                break
            runs.append((a, b))
            lo = b
    return sorted(runs)


def main_run_span(lines: list[Line]) -> tuple[int, int] | None:
    """(start of the first run, end of the last) of the article's runs, judging lines by
    their line-local noise too before any is dropped; None when no run stands out."""
    reasons = [line.reason or line_facts(line).reason for line in lines]
    runs = article_runs(run_scores(lines, reasons))
    return (runs[0][0], runs[-1][1]) if runs else None


def keep_main_run(doc: Document) -> None:
    """Keep the article's main run of prose lines; drop what lies outside it and menus inside it."""
    drop_title_repeats(doc)
    drop_repeated_lines(doc)
    keep_runs(doc)


def keep_runs(doc: Document) -> None:
    """`keep_main_run` but for the title's repeats and repeated lines: the search for the
    article's runs, and what it drops."""
    lines = doc.lines
    runs = article_runs(run_scores(lines))
    inside = [False] * len(lines)
    for start, end in runs:
        inside[start:end] = [True] * (end - start)
        drop_menu_runs(doc, start, end)
    for i, reason in enumerate(outside_reasons(lines, inside)):
        if reason:
            doc.drop(i, reason)


def outside_reasons(lines: list[Line], inside: list[bool]) -> list[str | None]:
    """Why each line outside the runs goes: the list or thread a heading opened, a menu,
    a teaser list, or merely being outside the article (None for lines inside).

    Menus and teaser lists are stretches of outside lines in a row that are all menu
    entries, or all teasers (`stretch_kind`), long enough. Lines already dropped as noise
    (a "Home" among menu entries) belong to a stretch and count towards its length; the
    lines marked are the kept ones. Each line gets a number (STRETCH_BREAK for a line
    that ends a stretch, STRETCH_NOISE for such noise, else `stretch_code`), and a
    stretch of a kind is a run of its number and STRETCH_NOISE (none of whose lines is
    marked unless it holds that number).
    """
    count: i64 = len(lines)  # (native integers, see text.build)
    reasons: list[str | None] = [None] * count
    codes: list[int] = []
    after: str | None = None
    seen_article = False  # before the article such headings are navigation links
    for i in range(count):
        line = lines[i]
        if inside[i]:
            after, seen_article = None, True
            codes.append(STRETCH_BREAK)
            continue
        reason = line.reason
        if reason is not None:
            heading = AFTER_HEADING.get(reason)
            if heading is None:
                codes.append(STRETCH_NOISE)
                continue
            if seen_article:
                after = heading
            codes.append(STRETCH_BREAK)
        elif after is not None:
            reasons[i] = after
            codes.append(STRETCH_BREAK)
        else:
            codes.append(stretch_code(line))
    for name, code, least in STRETCH_KINDS:
        start: i64 = 0  # where the run of `code` and STRETCH_NOISE that ends at `i` began
        for i in range(count + 1):
            if i < count:
                at = codes[i]
                if at == code or at == STRETCH_NOISE:
                    continue
            if i - start >= least:
                for j in range(start, i):
                    if codes[j] == code:
                        reasons[j] = name
            start = i + 1
    return [None if inside[i] else (reasons[i] or R.OUTSIDE_MAIN_RUN) for i in range(count)]


def stretch_code(line: Line) -> int:
    """`stretch_kind` of a line as outside_reasons numbers it: STRETCH_MENU,
    STRETCH_TEASER, or STRETCH_BREAK for None."""
    facts = line.facts
    if facts is None:
        facts = line_facts(line)
    words = facts.words
    if facts.sentence or words > TEASER_MAX_WORDS:
        return STRETCH_BREAK
    return STRETCH_MENU if words <= MENU_WORDS else STRETCH_TEASER


def stretch_kind(line: Line) -> str | None:
    """"menu_run" for a line of a few words (a menu entry), "teaser_list" for a
    headline-length one, when it does not end as a sentence does; else None."""
    facts = line.facts
    if facts is None:
        facts = line_facts(line)
    words, sentence = facts.words, facts.sentence
    if sentence or words > TEASER_MAX_WORDS:
        return None
    return R.MENU_RUN if words <= MENU_WORDS else R.TEASER_LIST


def drop_title_repeats(doc: Document) -> None:
    """Drop body lines that repeat the title already in doc.meta."""
    title = doc.meta.get("title")
    if not isinstance(title, str) or not title.strip():
        return
    title = title.strip()
    key = title.casefold()
    for i, line in enumerate(doc.lines):
        if len(line.text) == len(title) and line.text.casefold() == key:
            doc.drop(i, R.TITLE_REPEAT)


def drop_repeated_lines(doc: Document) -> None:
    """Drop lines whose text stands three times or more in the capture: widgets and
    teaser boxes repeat, an article does not say the same line three times."""
    # The texts seen once, twice, and three times or more: three sets cost 60% of
    # counting each text in a dict (a lookup, a store, a number each); the count to
    # three is in their number, not in a constant.
    seen: set[str] = set()
    twice: set[str] = set()
    repeated: set[str] = set()
    for line in doc.lines:
        text = line.text
        if text in twice:
            repeated.add(text)
        elif text in seen:
            twice.add(text)
        else:
            seen.add(text)
    if not repeated:
        return
    for i, line in enumerate(doc.lines):
        if line.text in repeated:
            doc.drop(i, R.REPEATED_LINE)


def drop_menu_runs(doc: Document, start: int, end: int) -> None:
    """Drop runs of MENU_RUN_MIN or more kept lines of a few words each, none a sentence."""
    run: list[int] = []
    for i in range(start, end + 1):
        line = doc.lines[i] if i < end else None
        if line is not None and line.reason is not None:
            continue
        if line is not None and stretch_kind(line) == R.MENU_RUN:
            run.append(i)
            continue
        if len(run) >= MENU_RUN_MIN:
            for j in run:
                doc.drop(j, R.MENU_RUN)
        run = []
