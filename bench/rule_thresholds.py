"""The figures behind the rule guard's thresholds and the rule patterns' time budget.

usage: python bench/rule_thresholds.py [--sitecaptures DIR] [--devset DIR]

For every capture a bundled rule set claims (the fixtures and ../shared/sitecaptures):
the share of its words the rules' own drops take (stats.MOST_WORDS_SHARE), and the
words of the rule set's article against the generic heuristics' article on the same
capture (pipeline.GUARD_SHARE). Then, over the development set's text and HTML
captures (which no rule set is for, so every fingerprint of every rule set is searched
in each, as in a real batch) and the claimed captures, the slowest searches of the
bundled rule patterns (patterns.RULE_TIMEOUT): fingerprints on the raw captures, text
rules on the lines of every text capture (as if each were claimed: a worst case).
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from cleaner.document import HTML, TEXT
from cleaner.pipeline import clean_document
from cleaner.siterules.patterns import find_all, search
from cleaner.siterules.rulebook import default_rulebook, page_head
from cleaner.siterules.stats import rule_dropped_share
from cleaner.sources.files import find_captures, read_capture
from cleaner.text.lines import split_lines

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def claimed(folders: list[Path]):
    """(capture, rule set) of every capture under `folders` a bundled rule set claims."""
    book = default_rulebook()
    for path in find_captures(folders):
        if path.name.endswith(".expected.md"):
            continue
        capture = read_capture(path)
        ruleset = book.select(capture.url, capture.text, html=capture.kind == HTML)
        if ruleset is not None:
            yield capture, ruleset


def fingerprints():
    """(name, compiled pattern) of every fingerprint of the bundled rules."""
    for ruleset in default_rulebook().rulesets:
        for number, pattern in enumerate(ruleset.fingerprints):
            yield f"{ruleset.id}/fingerprints[{number}]", pattern


def text_patterns():
    """(name, compiled pattern) of every text-rule pattern of the bundled rules."""
    for ruleset in default_rulebook().rulesets:
        rules = ruleset.text
        for rule in (*rules.title, *rules.cut_before, *rules.cut_after, *rules.drop_lines,
                     *rules.published, *rules.authors):
            yield f"{ruleset.id}/{rule.name}", rule.pattern
        for block in rules.drop_blocks:
            yield f"{ruleset.id}/{block.name}.start", block.start
            yield f"{ruleset.id}/{block.name}.end", block.end


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sitecaptures", type=Path, default=SHARED / "sitecaptures")
    parser.add_argument("--devset", type=Path, default=SHARED / "devset")
    args = parser.parse_args()

    shares, ratios = [], []
    for capture, ruleset in claimed([ROOT / "fixtures", args.sitecaptures]):
        ruled = clean_document(capture, ruleset)
        generic = clean_document(capture, None)
        shares.append((rule_dropped_share(ruled.decisions), capture.source))
        words, generic_words = len(ruled.body.split()), len(generic.body.split())
        if generic_words:
            ratios.append((words / generic_words, capture.source))
    shares.sort()
    ratios.sort()
    print(f"claimed captures: {len(shares)}")
    print(f"share of words the rules drop: median {statistics.median(s for s, _ in shares):.2f}, "
          f"max {shares[-1][0]:.2f} ({shares[-1][1]})")
    print(f"rule set's words / generic words: min {ratios[0][0]:.2f} ({ratios[0][1]}), "
          f"median {statistics.median(r for r, _ in ratios):.2f}, max {ratios[-1][0]:.2f}")

    captures = [capture for capture, _ in claimed([ROOT / "fixtures", args.sitecaptures])]
    captures += [read_capture(p) for p in find_captures([args.devset / "text", args.devset / "html"])]
    # the texts fingerprints are searched in: a text capture whole, an HTML page's head
    raw = [page_head(capture.text) if capture.kind == HTML else capture.text for capture in captures]
    lines = ["\n".join(line.text for line in split_lines(capture.text))
             for capture in captures if capture.kind == TEXT]
    for what, patterns, texts, run in (("fingerprint", fingerprints(), raw, search),
                                       ("text rule", text_patterns(), lines, find_all)):
        slowest = sorted(((slowest_search(pattern, texts, run), name) for name, pattern in patterns),
                         reverse=True)[:3]
        shown = "; ".join(f"{name} {took * 1000:.1f} ms on {size:,} characters"
                          for (took, size), name in slowest)
        print(f"slowest {what} searches over {len(texts)} captures: {shown}")
    return 0


def slowest_search(pattern, texts: list[str], run) -> tuple[float, int]:
    """(seconds, characters) of the slowest `run(pattern, text)` over `texts`: `search` as
    selection runs fingerprints, `find_all` as the text rules run."""
    slowest = (0.0, 0)
    for text in texts:
        started = time.perf_counter()
        run(pattern, text)
        slowest = max(slowest, (time.perf_counter() - started, len(text)))
    return slowest


if __name__ == "__main__":
    raise SystemExit(main())
