"""Parsing alone: the HTML parsers cleaner could build on, on the same pages, one process.

usage: python bench/parsers.py [--devset DIR] [--limit N] [--passes N]

Why the fast engine parses with lexbor (selectolax) and Beautiful Soup is not used: each
parser reads every page of DEVSET/html in turn (the order rotating from page to page, so
that machine load falls on all alike), best CPU time of --passes per page. Beautiful
Soup builds its tree on a parser (lxml's or Python's html.parser), so it costs that
parser's time and more.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import lxml.html
from bs4 import BeautifulSoup
from selectolax.lexbor import LexborHTMLParser

DEFAULT_DEVSET = Path(__file__).resolve().parent.parent.parent / "shared" / "devset"
# lxml refuses text that declares its encoding: it reads the page's UTF-8 bytes
UTF8 = lxml.html.HTMLParser(encoding="utf-8")
PARSERS = {
    "lexbor (selectolax)": lambda html: LexborHTMLParser(html),
    "lxml.html": lambda html: lxml.html.document_fromstring(html.encode("utf-8", "replace"), parser=UTF8),
    "Beautiful Soup on lxml": lambda html: BeautifulSoup(html, "lxml"),
    "Beautiful Soup on html.parser": lambda html: BeautifulSoup(html, "html.parser"),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devset", type=Path, default=DEFAULT_DEVSET)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--passes", type=int, default=1)
    args = parser.parse_args()
    pages = [p.read_text(encoding="utf-8", errors="replace")
             for p in sorted((args.devset / "html").glob("*.html"))]
    pages = pages[: args.limit] if args.limit else pages
    names = list(PARSERS)
    spent = dict.fromkeys(names, 0.0)
    for n, page in enumerate(pages):
        for name in names[n % len(names):] + names[: n % len(names)]:
            best = float("inf")
            for _ in range(args.passes):
                started = time.process_time()
                PARSERS[name](page)
                best = min(best, time.process_time() - started)
            spent[name] += best
    print(f"{len(pages)} pages of {args.devset / 'html'}; CPU time, best of {args.passes} per page")
    print("| parser | ms per page | pages/s | time vs lexbor |")
    print("| --- | ---: | ---: | ---: |")
    for name in names:
        print(f"| {name} | {spent[name] / len(pages) * 1e3:.2f} | {len(pages) / spent[name]:.0f} | "
              f"{spent[name] / spent[names[0]]:.1f}x |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
