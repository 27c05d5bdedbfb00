"""Score and time the pipeline on the HTML development set, against trafilatura's extract().

usage: python bench/devset_html.py [OUT_DIR] [--devset DIR] [--no-boilerplate] [--limit N]

Cleans every page of DEVSET/html in-process, writes OUT_DIR/manifest.jsonl and one
article file per page, runs DEVSET/score.py on OUT_DIR and prints its line. Each
page is also given to trafilatura's own `extract()` right after our pipeline, so
both are timed under the same machine load; CPU time of this process is what is
counted. Every page is cleaned as HTML, as the set says it is, and the pages that
`sniff_kind` would have taken for text are counted and reported. `--no-boilerplate` turns the generic line heuristics off, to tell the
HTML extraction's share of a change from theirs.

Example: python bench/devset_html.py /tmp/html-out --no-boilerplate
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import trafilatura

from cleaner import pipeline
from cleaner.document import HTML
from cleaner.frontmatter import render_article
from cleaner.sources.files import find_captures, read_capture

DEFAULT_DEVSET = Path(__file__).resolve().parent.parent.parent / "shared" / "devset"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", default="/tmp/devset-html-out", type=Path)
    parser.add_argument("--devset", default=DEFAULT_DEVSET, type=Path)
    parser.add_argument("--no-boilerplate", action="store_true", help="skip drop_boilerplate")
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    args = parser.parse_args(argv)
    if args.no_boilerplate:
        pipeline.drop_boilerplate = lambda doc: None

    paths = list(find_captures([args.devset / "html"]))[: args.limit or None]
    (args.out / "articles").mkdir(parents=True, exist_ok=True)
    ours = theirs = 0.0
    sniffed_as_text = 0
    with open(args.out / "manifest.jsonl", "w", encoding="utf-8") as manifest:
        for path in paths:
            capture = read_capture(path)
            if capture.kind != HTML:
                sniffed_as_text += 1
                capture = replace(capture, kind=HTML)
            start = time.process_time()
            article = pipeline.clean_capture(capture)
            middle = time.process_time()
            trafilatura.extract(capture.text)
            ours, theirs = ours + middle - start, theirs + time.process_time() - middle
            rel = f"articles/{path.stem}.md"
            (args.out / rel).write_text(render_article(article), encoding="utf-8")
            manifest.write(json.dumps({"source": str(path), "article": rel}) + "\n")

    score = subprocess.run(
        [sys.executable, str(args.devset / "score.py"), str(args.out)],
        capture_output=True, text=True, check=True,
    )
    print(score.stdout.strip().splitlines()[-1])
    if sniffed_as_text:
        print(f"note: {sniffed_as_text} pages would be read as text by sniff_kind; cleaned as HTML")
    print(
        f"speed: cleaner {len(paths) / ours:.1f} docs/s, trafilatura extract() "
        f"{len(paths) / theirs:.1f} docs/s, ratio {ours / theirs:.2f}x trafilatura's time"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
