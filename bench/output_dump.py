"""Dump everything cleaning decides, for one build, and compare two dumps.

usage: python bench/output_dump.py dump OUT.jsonl [--devset DIR] [--fixtures DIR]
       python bench/output_dump.py compare A.jsonl B.jsonl

`dump` cleans the development set's text and HTML captures and every fixture with the
installed package (run it with the venv's python: the package it imports is the one
installed there, compiled or plain) and writes one JSON line per capture: the rendered
article (front matter and body) and every line's text, reason and blank-line flags.
`compare` says whether two dumps are identical, and lists the captures that differ.
A speed change must leave the dump unchanged ("same output": bodies, front matter and
every line's reason); the first line of a dump names the build, and is not compared.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEVSET = ROOT.parent / "shared" / "devset"


def dump(out: Path, devset: Path, fixtures: Path) -> int:
    from cleaner import core_build
    from cleaner.frontmatter import render_article
    from cleaner.pipeline import clean_capture
    from cleaner.siterules.rulebook import default_rulebook
    from cleaner.sources.files import find_captures, read_capture

    os.chdir(ROOT)  # fixtures record their source relative to the repo root, as the tests do
    rules = default_rulebook()
    inputs = [devset / "text", devset / "html", fixtures.relative_to(ROOT)]
    count = 0
    with out.open("w", encoding="utf-8") as sink:
        sink.write(json.dumps({"build": core_build()}) + "\n")
        for path in find_captures(inputs):
            article = clean_capture(read_capture(path), rules)
            row = {
                "source": article.source,
                "article": render_article(article),
                "lines": [
                    [line.text, line.reason, line.blank_before, line.blank_after]
                    for line in article.decisions
                ],
            }
            sink.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    print(f"dumped {count} captures ({core_build()}) to {out}")
    return 0


def compare(a: Path, b: Path) -> int:
    rows_a = a.read_text(encoding="utf-8").splitlines()
    rows_b = b.read_text(encoding="utf-8").splitlines()
    print(f"{a}: {rows_a[0]} {len(rows_a) - 1} captures; {b}: {rows_b[0]} {len(rows_b) - 1}")
    differ = 0
    for row_a, row_b in zip(rows_a[1:], rows_b[1:]):
        if row_a != row_b:
            differ += 1
            if differ <= 10:
                print("differs:", json.loads(row_a)["source"])
    if len(rows_a) != len(rows_b):
        print("the dumps hold different numbers of captures")
        return 1
    print("identical" if not differ else f"{differ} captures differ")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    dumping = commands.add_parser("dump")
    dumping.add_argument("out", type=Path)
    dumping.add_argument("--devset", type=Path, default=DEFAULT_DEVSET)
    dumping.add_argument("--fixtures", type=Path, default=ROOT / "fixtures")
    comparing = commands.add_parser("compare")
    comparing.add_argument("a", type=Path)
    comparing.add_argument("b", type=Path)
    args = parser.parse_args()
    if args.command == "dump":
        return dump(args.out.resolve(), args.devset.resolve(), args.fixtures.resolve())
    return compare(args.a, args.b)


if __name__ == "__main__":
    sys.exit(main())
