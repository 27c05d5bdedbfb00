"""Clean the development set's text captures, score them, and report the throughput.

usage: python bench/devset_text.py [OUT_DIR] [--devset DIR] [--show N]

Cleans every capture in DEVSET/text with the library (the same code path as the CLI),
timing the cleaning alone, in process, on one core (reading and writing files are
left out); writes OUT_DIR/manifest.jsonl and the article files; runs DEVSET/score.py
on OUT_DIR and prints its score line, then the docs/s.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cleaner.capture import find_captures, read_capture
from cleaner.frontmatter import render_article
from cleaner.pipeline import clean_capture
from cleaner.rules import default_rulebook

DEFAULT_DEVSET = Path(__file__).resolve().parent.parent.parent / "shared" / "devset"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", help="output folder (default: a temporary one)")
    parser.add_argument("--devset", type=Path, default=DEFAULT_DEVSET)
    parser.add_argument("--show", type=int, default=0, help="list the N pages that lose most")
    args = parser.parse_args()
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="devset-text-"))
    out.mkdir(parents=True, exist_ok=True)

    captures = [read_capture(path) for path in find_captures([args.devset / "text"])]
    rules = default_rulebook()
    started = time.perf_counter()
    articles = [clean_capture(capture, rules) for capture in captures]
    elapsed = time.perf_counter() - started

    with (out / "manifest.jsonl").open("w", encoding="utf-8") as manifest:
        for capture, article in zip(captures, articles):
            name = Path(capture.source).name.removesuffix(".txt") + ".md"
            (out / name).write_text(render_article(article), encoding="utf-8")
            row = {"source": capture.source, "article": name}
            manifest.write(json.dumps(row, ensure_ascii=False) + "\n")

    score = [sys.executable, str(args.devset / "score.py"), str(out)]
    if args.show:
        score += ["--show", str(args.show)]
    result = subprocess.run(score, capture_output=True, text=True, check=False)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    print(f"throughput: {len(captures) / elapsed:.0f} docs/s ({len(captures)} captures, "
          f"{elapsed:.2f} s cleaning in process, one core)")
    print(f"output: {out}")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
