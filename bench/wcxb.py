"""Score cleaner and trafilatura on the WCXB development split, per page type, in one run.

usage: python bench/wcxb.py [OUT_DIR] [--wcxb DIR] [--systems cleaner,trafilatura]
                            [--limit N] [--trafilatura-cache] [--out-of-fold FILE]
                            [--html-engine fast|trafilatura]

Every page of WCXB/html is given, one after the other in this process, to cleaner's
pipeline (as HTML, with its URL from the sidecar, read by --html-engine: fast unless
told) and to trafilatura's
`bare_extraction` with the same URL (its title and text, what the benchmark scores).
Each system writes OUT_DIR/<system>/ (manifest.jsonl and one article file per page
with article text; a page left without any has a manifest line and no file, as
`cleaner clean` writes it, and scores as an empty extraction);
WCXB/score.py --types scores each folder, and a table of F1 per page type follows,
with the page-type agreement of cleaner's `page_type` field and CPU time per page.

The shipped page type model was trained on these very pages, so by default cleaner
types them (almost) perfectly, which a page from elsewhere is not. `--out-of-fold
FILE` (written by tools/train_page_types.py --out-of-fold) makes cleaner use each
page's cross-validated type instead (from a model that did not see the page's site):
the figures to trust for pages from elsewhere.

`--trafilatura-cache` reuses OUT_DIR/trafilatura when it holds a manifest for every
page (for quick iterations; the figures to publish come from a run without it).

The split is the benchmark's (Foley 2026, CC-BY-4.0); see WCXB/README.md.

Example: python bench/wcxb.py /tmp/wcxb-out
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

from cleaner import pipeline
from cleaner.document import HTML, Capture
from cleaner.frontmatter import render, render_article
from cleaner.sources.files import find_captures, read_capture

DEFAULT_WCXB = Path(__file__).resolve().parent.parent.parent / "shared" / "wcxb-dev"
SYSTEMS = ("cleaner", "trafilatura")
# score.py's per-type line: "article        pages  793  P 0.934  R 0.951  F1 0.933"
TYPE_LINE = re.compile(r"^(\w+)\s+pages\s+(\d+)\s+P ([\d.]+)\s+R ([\d.]+)\s+F1 ([\d.]+)")
OVERALL_LINE = re.compile(r"^wcxb-dev: P ([\d.]+) R ([\d.]+) F1 ([\d.]+) pages (\d+)")


ENGINE = {"html": pipeline.FAST}


def cleaner_file(capture: Capture) -> str | None:
    """cleaner's article file, or None when no article text is left: `cleaner clean`
    then writes no file (the capture's line is `empty`), and the page is scored so."""
    article = pipeline.clean_capture(capture, html_engine=ENGINE["html"])
    return None if article.is_empty else render_article(article)


def trafilatura_file(capture: Capture) -> str | None:
    """trafilatura's title and text as an article file (title in the front matter), or
    None when it extracts no text (as for cleaner: a title alone is no article)."""
    import trafilatura

    doc = trafilatura.bare_extraction(capture.text, url=capture.url, with_metadata=True)
    if doc is None or not doc.text:
        return None
    return render({"title": doc.title}, doc.text)


EXTRACT = {"cleaner": cleaner_file, "trafilatura": trafilatura_file}


def run(paths: list[Path], out: Path, systems: list[str]) -> dict[str, float]:
    """Clean every page with every system in turn; CPU seconds per system."""
    cpu = dict.fromkeys(systems, 0.0)
    with ExitStack() as stack:
        manifests = {}
        for system in systems:
            (out / system / "articles").mkdir(parents=True, exist_ok=True)
            manifests[system] = stack.enter_context(
                open(out / system / "manifest.jsonl", "w", encoding="utf-8")
            )
        for path in paths:
            capture = read_capture(path)
            if capture.kind != HTML:
                capture = replace(capture, kind=HTML)
            name = path.name.split(".")[0]
            for system in systems:
                start = time.process_time()
                text = EXTRACT[system](capture)
                cpu[system] += time.process_time() - start
                row = {"source": str(path)}
                if text is not None:
                    row["article"] = f"articles/{name}.md"
                    (out / system / row["article"]).write_text(text, encoding="utf-8")
                manifests[system].write(json.dumps(row) + "\n")
    return cpu


def score(wcxb: Path, folder: Path) -> tuple[dict[str, tuple[int, float]], str, str]:
    """({type: (pages, F1)}, agreement line or "", overall line) of score.py on `folder`."""
    done = subprocess.run(
        [sys.executable, str(wcxb / "score.py"), str(folder), "--types"],
        capture_output=True, text=True, check=True,
    )
    per_type: dict[str, tuple[int, float]] = {}
    agreement = overall = ""
    for line in done.stdout.splitlines():
        if found := TYPE_LINE.match(line):
            per_type[found.group(1)] = (int(found.group(2)), float(found.group(5)))
        elif found := OVERALL_LINE.match(line):
            per_type["all"] = (int(found.group(4)), float(found.group(3)))
            overall = line
        elif line.startswith("page_type agrees"):
            agreement = line
    return per_type, agreement, overall


def use_out_of_fold(types: dict[str, dict[str, dict[str, float]]]) -> None:
    """Make cleaner type each page as cross-validation did (the page's id is the start of
    its file name)."""
    from cleaner.extract import page_type, profiles

    current = {"id": ""}
    clean_one = EXTRACT["cleaner"]

    def classify(page: object, url: str | None) -> page_type.PageType:
        found = types[current["id"]]["html" if url else "html_no_url"]
        return page_type.decide_html(found)

    def cleaner_with_types(capture: Capture) -> str:
        current["id"] = Path(capture.source).name.split(".")[0]
        return clean_one(capture)

    profiles.classify_html = classify
    EXTRACT["cleaner"] = cleaner_with_types


def cached(folder: Path, count: int) -> bool:
    manifest = folder / "manifest.jsonl"
    return manifest.exists() and len(manifest.read_text(encoding="utf-8").splitlines()) == count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", default="/tmp/wcxb-out", type=Path)
    parser.add_argument("--wcxb", default=DEFAULT_WCXB, type=Path)
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    parser.add_argument("--trafilatura-cache", action="store_true")
    parser.add_argument("--out-of-fold", type=Path, help="cross-validated page types to use")
    parser.add_argument("--html-engine", choices=pipeline.HTML_ENGINES, default=pipeline.FAST)
    args = parser.parse_args(argv)
    ENGINE["html"] = args.html_engine
    if args.out_of_fold:
        use_out_of_fold(json.loads(args.out_of_fold.read_text(encoding="utf-8")))
    systems = [s for s in args.systems.split(",") if s]
    if unknown := set(systems) - set(SYSTEMS):
        parser.error(f"unknown systems: {', '.join(sorted(unknown))}")

    paths = list(find_captures([args.wcxb / "html"]))[: args.limit or None]
    if args.limit and not all(s == "cleaner" for s in systems):
        print("note: a --limit run scores missing pages as 0: compare figures of one run only")
    to_run = [
        s for s in systems
        if not (s == "trafilatura" and args.trafilatura_cache and cached(args.out / s, len(paths)))
    ]
    cpu = run(paths, args.out, to_run)
    results = {s: score(args.wcxb, args.out / s) for s in systems}

    types = [t for t in results[systems[0]][0] if t != "all"] + ["all"]
    print("| page type (pages) | " + " | ".join(systems) + " |")
    print("|---|" + "---:|" * len(systems))
    for t in types:
        pages = results[systems[0]][0][t][0]
        cells = [f"{results[s][0][t][1]:.3f}" for s in systems]
        print(f"| {t} ({pages}) | " + " | ".join(cells) + " |")
    for s in systems:
        print(f"{s}: {results[s][2]}")
        if results[s][1]:
            seen = "cross-validated types" if args.out_of_fold else "in-sample: the model saw these pages"
            print(f"{s}: {results[s][1]} ({seen})")
        if s in cpu:
            print(f"{s}: {1000 * cpu[s] / max(1, len(paths)):.1f} ms CPU per page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
