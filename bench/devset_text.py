"""Clean the development set's text captures, score them, and report the throughput.

usage: python bench/devset_text.py [OUT_DIR] [--devset DIR] [--show N] [--passes N]

Cleans every capture in DEVSET/text with the library (the same code path as the CLI),
timing the cleaning alone, in process, on one core (reading and writing files are
left out); writes OUT_DIR/manifest.jsonl and the article files; runs DEVSET/score.py
on OUT_DIR and prints its score line, then the docs/s.

The cleaning core runs compiled when the package was installed so (`pip install .`, not
`-e`; see setup.py): the throughput line says which ran.

Throughput is the CPU time of this process (other load on a shared machine slows the
wall clock, not this), best of --passes passes over the whole set (5 by default), each
started with the line caches emptied so that no pass profits from an earlier one; the
median pass and every pass are printed too. The best pass is the figure, as timeit
reports it: other work on a shared machine (its caches, its memory bus) only ever slows
a pass down, so the fastest is the least disturbed measurement of the code itself.
Each article is rendered as soon as it is cleaned and the Article let go, as `cleaner
clean` does: holding all of them would make Python's garbage collector walk ever more
objects and time that, not cleaning.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cleaner import core_build
from cleaner.frontmatter import render_article
from cleaner.heuristics.noise import clear_line_caches
from cleaner.pipeline import clean_capture
from cleaner.siterules.rulebook import default_rulebook
from cleaner.sources.files import find_captures, read_capture

DEFAULT_DEVSET = Path(__file__).resolve().parent.parent.parent / "shared" / "devset"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", help="output folder (default: a temporary one)")
    parser.add_argument("--devset", type=Path, default=DEFAULT_DEVSET)
    parser.add_argument("--show", type=int, default=0, help="list the N pages that lose most")
    parser.add_argument("--passes", type=int, default=5, help="timed passes (default 5)")
    args = parser.parse_args()
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="devset-text-"))
    out.mkdir(parents=True, exist_ok=True)

    captures = [read_capture(path) for path in find_captures([args.devset / "text"])]
    rules = default_rulebook()
    timings = []
    for _ in range(max(1, args.passes)):
        clear_line_caches()
        rendered, elapsed = [], 0.0
        for capture in captures:
            started = time.process_time()
            article = clean_capture(capture, rules)
            elapsed += time.process_time() - started
            rendered.append(render_article(article))
        timings.append(elapsed)

    with (out / "manifest.jsonl").open("w", encoding="utf-8") as manifest:
        for capture, text in zip(captures, rendered):
            name = Path(capture.source).name.removesuffix(".txt") + ".md"
            (out / name).write_text(text, encoding="utf-8")
            row = {"source": capture.source, "article": name}
            manifest.write(json.dumps(row, ensure_ascii=False) + "\n")

    score = [sys.executable, str(args.devset / "score.py"), str(out)]
    if args.show:
        score += ["--show", str(args.show)]
    result = subprocess.run(score, capture_output=True, text=True, check=False)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    rates = ", ".join(f"{len(captures) / t:.0f}" for t in timings)
    print(f"throughput: {len(captures) / min(timings):.0f} docs/s ({len(captures)} captures, "
          f"{min(timings):.2f} s CPU cleaning in process, one core, best of {len(timings)} "
          f"passes; median {len(captures) / statistics.median(timings):.0f}; "
          f"passes: {rates} docs/s; {core_build()})")
    print(f"output: {out}")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
