"""Both HTML engines and trafilatura's extract() on the same pages, in one process.

usage: python bench/html_engines.py [--devset DIR] [--engines fast,trafilatura,extract]
                                    [--limit N] [--passes N] [--alone] [--meta-diff FILE]
                                    [--show N]

For every page of DEVSET/html, each system cleans it in turn (the order rotates from page
to page, so that machine load falls on all alike) and its CPU time (time.process_time)
is counted: for our engines the whole pipeline (`clean_capture`: reading the rules,
metadata, extraction, heuristics), for trafilatura `extract()` with its defaults. With
--passes N every page is timed N times per system and the fastest kept (the load on
a shared machine only ever adds time; but a page cleaned again finds what its first
cleaning cached, so N > 1 flatters the systems that cache more).

With --alone each system cleans every page in a pass of its own instead, as a process
that runs one of them does (taking turns page by page, the systems evict each other's
data from the processor's caches); with --passes N the passes are N rounds, the systems'
order alternating from round to round, and each system's fastest round is kept.

Quality is the development set's own scorer logic (DEVSET/score.py): a snippet counts as
present when it occurs, whitespace-normalised, in the article body; precision, recall
and F1 over all snippets summed. It is also printed for two halves of the set (pages
in sorted order, odd and even), which is how thresholds are checked to generalise.

Metadata: every field of the front matter that both engines fill (title, published,
authors, url, language) is compared page by page between the fast engine and the
trafilatura engine; --meta-diff FILE writes the differences.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import trafilatura

from cleaner.document import HTML
from cleaner.pipeline import clean_capture
from cleaner.siterules.rulebook import default_rulebook
from cleaner.sources.files import find_captures, read_capture
from cleaner.version import __version__

DEFAULT_DEVSET = Path(__file__).resolve().parent.parent.parent / "shared" / "devset"
SYSTEMS = ("fast", "trafilatura", "extract")
LABELS = {
    "fast": "cleaner --html-engine fast",
    "trafilatura": "cleaner --html-engine trafilatura",
    "extract": "trafilatura extract()",
}
META_FIELDS = ("title", "published", "authors", "url", "language")
SPACES = re.compile(r"\s+")


def norm(text: str) -> str:
    """Whitespace-normalised text, as the dev set's scorer compares it."""
    return SPACES.sub(" ", text).strip()


def run_system(system: str, capture, rules) -> tuple[str, dict | None]:
    """(body, front matter or None) of one page by one system."""
    if system == "extract":
        return trafilatura.extract(capture.text) or "", None
    article = clean_capture(capture, rules, html_engine=system)
    return article.body, dict(article.meta)


def as_html(capture):
    """The capture read as HTML, whatever its name says."""
    return capture if capture.kind == HTML else replace(capture, kind=HTML)


def timed_in_turn(systems: list[str], number: int, capture, rules, passes: int,
                  seconds: Counter) -> dict[str, tuple[str, dict | None]]:
    """Each system's result on page `number`, the systems taking turns (the order rotating
    from page to page); each one's fastest of `passes` CPU times added to `seconds`."""
    order = systems[number % len(systems):] + systems[: number % len(systems)]
    results = {}
    for system in order:
        best = float("inf")
        for _ in range(passes):
            start = time.process_time()
            results[system] = run_system(system, capture, rules)
            best = min(best, time.process_time() - start)
        seconds[system] += best
    return results


def alone_passes(systems: list[str], captures: list, rules, rounds: int,
                 seconds: Counter) -> dict[str, list[tuple[str, dict | None]]]:
    """Each system's results on every page, each system cleaning all of them in a pass of
    its own; its fastest pass's CPU time put in `seconds`."""
    results: dict[str, list[tuple[str, dict | None]]] = {}
    best = dict.fromkeys(systems, float("inf"))
    for round_ in range(rounds):
        for system in (systems if round_ % 2 == 0 else systems[::-1]):
            start = time.process_time()
            results[system] = [run_system(system, capture, rules) for capture in captures]
            best[system] = min(best[system], time.process_time() - start)
    seconds.update(best)
    return results


def snippet_counts(body: str, note: dict) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives) of one page's snippets."""
    body = norm(body)
    found = sum(norm(w) in body for w in note["with"])
    wrong = sum(norm(w) in body for w in note["without"])
    return found, wrong, len(note["with"]) - found


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def same(field: str, a, b) -> bool:
    if field == "authors":
        return list(a or []) == list(b or [])
    return (a or None) == (b or None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devset", default=DEFAULT_DEVSET, type=Path)
    parser.add_argument("--engines", default=",".join(SYSTEMS))
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    parser.add_argument("--passes", type=int, default=1, help="time each page N times, keep the fastest")
    parser.add_argument("--alone", action="store_true",
                        help="each system cleans all the pages in a pass of its own")
    parser.add_argument("--meta-diff", type=Path, help="write metadata differences here (JSON lines)")
    parser.add_argument("--show", type=int, default=0, help="list the N pages the fast engine loses most on")
    parser.add_argument("--bodies", type=Path, help="write each system's bodies under this folder")
    parser.add_argument("--digits", type=int, default=3, help="decimals of P, R and F1")
    args = parser.parse_args(argv)
    systems = [s for s in args.engines.split(",") if s]
    unknown = set(systems) - set(SYSTEMS)
    if unknown:
        parser.error(f"unknown systems: {', '.join(sorted(unknown))}")

    notes = json.loads((args.devset / "annotations.json").read_text(encoding="utf-8"))
    paths = list(find_captures([args.devset / "html"]))[: args.limit or None]
    rules = default_rulebook()
    seconds = Counter()
    counts = {s: [[0, 0, 0], [0, 0, 0]] for s in systems}
    losses: list[tuple[int, str]] = []
    agree: Counter = Counter()
    compared: Counter = Counter()
    diffs = []
    captures = [as_html(read_capture(path)) for path in paths] if args.alone else []
    alone = alone_passes(systems, captures, rules, args.passes, seconds) if args.alone else {}
    for number, path in enumerate(paths):
        note = notes.get(path.name)
        if args.alone:
            results = {system: alone[system][number] for system in systems}
        else:
            results = timed_in_turn(systems, number, as_html(read_capture(path)), rules,
                                    args.passes, seconds)
        if note:
            for system in systems:
                tp, fp, fn = snippet_counts(results[system][0], note)
                half = counts[system][number % 2]
                half[0] += tp
                half[1] += fp
                half[2] += fn
                if system == "fast":
                    losses.append((fp + fn, path.name))
        if args.bodies:
            for system in systems:
                folder = args.bodies / system
                folder.mkdir(parents=True, exist_ok=True)
                (folder / f"{path.stem}.txt").write_text(results[system][0], encoding="utf-8")
        if "fast" in results and "trafilatura" in results:
            ours, theirs = results["fast"][1], results["trafilatura"][1]
            for field in META_FIELDS:
                compared[field] += 1
                if same(field, ours.get(field), theirs.get(field)):
                    agree[field] += 1
                else:
                    diffs.append({"page": path.name, "field": field, "fast": ours.get(field),
                                  "trafilatura": theirs.get(field)})

    how = (f"each system alone, best of {args.passes} passes" if args.alone
           else f"taking turns page by page, best of {args.passes} per page")
    print(f"{len(paths)} pages of {args.devset / 'html'}; cleaner {__version__}, "
          f"trafilatura {trafilatura.__version__}; CPU time, {how}")
    print("| system | P | R | F1 | F1 half A | F1 half B | pages/s | time vs extract() |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for system in systems:
        a, b = counts[system]
        p, r, f1 = prf(a[0] + b[0], a[1] + b[1], a[2] + b[2])
        speed = len(paths) / seconds[system] if seconds[system] else 0.0
        ratio = (f"{seconds[system] / seconds['extract']:.2f}x" if seconds.get("extract") else "-")
        d = args.digits
        print(f"| {LABELS[system]} | {p:.{d}f} | {r:.{d}f} | {f1:.{d}f} | {prf(*a)[2]:.{d}f} | "
              f"{prf(*b)[2]:.{d}f} | {speed:.1f} | {ratio} |")
    if "fast" in seconds and "extract" in seconds and seconds["fast"]:
        print(f"fast engine: {seconds['extract'] / seconds['fast']:.2f}x the speed of extract()")
    if compared:
        print("metadata, fast vs trafilatura engine, pages agreeing: " + ", ".join(
            f"{field} {agree[field]}/{compared[field]}" for field in META_FIELDS))
    if args.meta_diff:
        args.meta_diff.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in diffs),
                                  encoding="utf-8")
    for lost, name in sorted(losses, reverse=True)[: args.show]:
        print(f"{lost:3d} {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
