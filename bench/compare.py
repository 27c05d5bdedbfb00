"""Compare cleaner with its peers on the same dev-set pages: snippet P/R/F1, docs/s, peak MB.

usage: python bench/compare.py [--devset DIR] [--limit N] [--out DIR] [--dedup-docs N] [--cpu N]

In one process, pinned to one core: every HTML capture of DEVSET/html goes through
cleaner (`clean_capture(read_capture(path))`), trafilatura `extract()` (default and
`favor_precision=True`), jusText, readability-lxml and resiliparse; every text capture
of DEVSET/text through cleaner, no cleaning at all, and trafilatura and jusText on the
lines wrapped as <p>. Each is scored as DEVSET/score.py scores an output folder. Then
bench/dedup_speed.py's systems run on N synthetic bodies. A peer that is not installed
is skipped with a note. Prints the table; writes OUT/comparison.md and comparison.png.

Timing: CPU time of the system's call alone (reading files is left out), the systems
taking turns page by page so that other load on the machine falls on all of them.
Memory: a second pass, each call alone; the peak RSS it adds above the RSS just before
(Linux VmHWM, reset per call), largest over the pages.

Example: python bench/compare.py --limit 100 --dedup-docs 2000
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import dedup_speed
from measure import cpu_seconds, peak_growth_mb, peak_supported
from peers import HTML_INPUT, TEXT_INPUT, System, systems_for
from report import Row, text_table, write_results

from cleaner import core_build
from cleaner.document import Capture
from cleaner.sources.files import read_capture

HERE = Path(__file__).resolve().parent
DEFAULT_DEVSET = HERE.parent.parent / "shared" / "devset"
DEFAULT_OUT = HERE / "results"
DEFAULT_DEDUP_DOCS = 10_000
SUFFIX = {HTML_INPUT: ".html", TEXT_INPUT: ".txt"}
# Distributions whose versions the report records.
PACKAGES = ("cleaner", "trafilatura", "justext", "readability-lxml", "resiliparse", "lxml",
            "datasketch", "numpy", "matplotlib")
# Bodies each dedup system sees once before it is timed (imports, lookup tables).
DEDUP_WARM_UP = 50
DEDUP_SYSTEMS = (
    ("cleaner dedup seen()", "seen"),
    ("cleaner dedup seen_many()", "seen_many"),
    ("datasketch MinHashLSH", "datasketch"),
)
WHITESPACE = re.compile(r"\s+")


@dataclass
class Tally:
    """What the timed pass gathers for one system."""

    bodies: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    errors: int = 0


def norm(text: str) -> str:
    """Whitespace-normalised, as score.py compares snippets with bodies."""
    return WHITESPACE.sub(" ", text).strip()


def score(bodies: dict[str, str], notes: dict) -> tuple[float, float, float]:
    """Snippet precision, recall and F1 summed over the pages in `bodies` (keyed by the
    annotation's page name), counted exactly as devset/score.py counts them."""
    tp = fp = fn = 0
    for name, body in bodies.items():
        text = norm(body)
        item = notes[name]
        found = sum(norm(snippet) in text for snippet in item["with"])
        tp, fn = tp + found, fn + len(item["with"]) - found
        fp += sum(norm(snippet) in text for snippet in item["without"])
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def call(system: System, capture: Capture) -> tuple[str, bool]:
    """(text the system keeps, whether it failed): one bad page never stops the run."""
    try:
        return system.extract(capture), False
    except Exception:  # noqa: BLE001 - a peer failing on one page is a figure, not a crash
        return "", True


# The peer each input kind's speed is stated against.
TRAFILATURA = {HTML_INPUT: "trafilatura extract()", TEXT_INPUT: "trafilatura, lines as <p>"}


def timed_pass(systems: list[System], pages: list[tuple[str, Capture]]) -> list[Tally]:
    """Every system on every page, taking turns page by page; CPU time of the calls."""
    tallies = [Tally() for _ in systems]
    for system in systems:
        call(system, pages[0][1])  # imports and one-time set-up are not throughput
    for name, capture in pages:
        for system, tally in zip(systems, tallies):
            seconds, (body, failed) = cpu_seconds(call, system, capture)
            tally.bodies[name] = body
            tally.seconds += seconds
            tally.errors += failed
    return tallies


def peak_mb(system: System, pages: list[tuple[str, Capture]]) -> float:
    """The most one call on one page adds to the peak RSS."""
    return max(peak_growth_mb(call, system, capture)[0] for _, capture in pages)


def run_kind(kind: str, devset: Path, names: list[str], notes: dict,
             memory: bool) -> tuple[list[Row], list[str]]:
    """Rows for every available system on the `kind` captures of the pages, and notes."""
    systems, remarks = systems_for(kind)
    pages = [(name, read_capture(devset / kind / (Path(name).stem + SUFFIX[kind])))
             for name in names]
    print(f"{kind}: {len(pages)} pages, {len(systems)} systems", file=sys.stderr, flush=True)
    rows = []
    for system, tally in zip(systems, timed_pass(systems, pages)):
        speed = len(pages) / tally.seconds if system.timed and tally.seconds else None
        mb = peak_mb(system, pages) if memory and system.timed else None
        rows.append(Row(system.name, kind, *score(tally.bodies, notes), speed, mb, tally.errors))
        if tally.errors:
            remarks.append(f"{system.name} ({kind}) failed on {tally.errors} pages (scored empty)")
    speeds = {row.system: row.docs_per_s for row in rows}
    trafilatura = speeds.get(TRAFILATURA[kind])
    for system in systems:
        ours = speeds.get(system.name)
        if system.name.startswith("cleaner") and ours and trafilatura:
            remarks.append(f"{system.name} took {trafilatura / ours:.2f}x the CPU time of "
                           f"{TRAFILATURA[kind]} on the same pages ({ours / trafilatura:.2f}x its speed)")
    return rows, remarks


def planted_precision(found: list[tuple[int, int]], planted: list[tuple[int, int]]) -> float:
    """Share of the bodies reported as duplicates that are planted copies."""
    reported = {copy for _, copy in found}
    return len(reported & {copy for _, copy in planted}) / len(reported) if reported else 0.0


def run_dedup(count: int, memory: bool) -> tuple[list[Row], list[str]]:
    """bench/dedup_speed.py's systems on `count` synthetic bodies: P/R/F1 of the planted
    near-duplicate copies, docs/s, and the peak RSS the whole run adds."""
    docs, planted = dedup_speed.bodies(count)
    label, rows, remarks = f"dedup {count:,} synthetic", [], []
    for name, key in DEDUP_SYSTEMS:
        run = dedup_speed.RUNS[key]
        try:
            run(docs[:DEDUP_WARM_UP])
        except ImportError as err:
            remarks.append(f"{name}: not installed ({err}); pip install datasketch")
            continue
        mb, (seconds, found) = peak_growth_mb(cpu_seconds, run, docs)
        precision = planted_precision(found, planted)
        recall = dedup_speed.recall(found, planted, count)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append(Row(name, label, precision, recall, f1, count / seconds,
                        mb if memory else None))
    return rows, remarks


def versions() -> str:
    """The installed versions of the packages compared."""
    found = []
    for package in PACKAGES:
        try:
            found.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            found.append(f"{package} (not installed)")
    return ", ".join(found)


def source_state() -> str:
    """The commit cleaner ran from, and whether its working tree had changes."""
    try:
        described = subprocess.run(["git", "-C", str(HERE), "describe", "--always", "--dirty"],
                                   capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    return f"git {described}" + (" (uncommitted changes included)" if described.endswith("-dirty") else "")


def context(args: argparse.Namespace, pages: int, memory: bool) -> dict[str, str]:
    """How the run was made, for the report's head."""
    memory_note = ("peak RSS a call adds above the RSS just before it (Linux VmHWM, reset "
                   "per call through /proc/self/clear_refs, after malloc_trim), the largest "
                   "over the pages; for dedup, over the whole run" if memory else
                   "not measured (no /proc/self/clear_refs here)")
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "python bench/compare.py " + " ".join(sys.argv[1:]),
        "python": f"{platform.python_version()} on {platform.platform()}",
        "packages": versions(),
        "cleaner source": f"{source_state()}; core {core_build()}",
        "pages": f"{pages} of the dev set ({args.devset.name}/html and /text), same pages for every system",
        "timing": (f"CPU time of each system's call only (file reading left out), in one "
                   f"process pinned to core {args.cpu}; systems take turns page by page. The "
                   "machine is shared with other work: docs/s are noisy (expect ±20 %)"),
        "peak MB": memory_note,
        "scoring": "snippet precision/recall/F1 summed over pages, as devset/score.py; "
                   "dedup rows: planted near-duplicate copies found (bench/dedup_speed.py)",
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devset", type=Path, default=DEFAULT_DEVSET)
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where the results go")
    parser.add_argument("--dedup-docs", type=int, default=DEFAULT_DEDUP_DOCS,
                        help=f"synthetic bodies for the dedup rows (0: none; default {DEFAULT_DEDUP_DOCS})")
    parser.add_argument("--cpu", type=int, default=0, help="the one core to run on")
    return parser.parse_args(argv)



def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.sched_setaffinity(0, {args.cpu})
    notes = json.loads((args.devset / "annotations.json").read_text(encoding="utf-8"))
    names = sorted(notes)[: args.limit or None]
    memory = peak_supported()
    rows, remarks = [], []
    for kind in (HTML_INPUT, TEXT_INPUT):
        kind_rows, kind_remarks = run_kind(kind, args.devset, names, notes, memory)
        rows, remarks = rows + kind_rows, remarks + kind_remarks
    if args.dedup_docs:
        dedup_rows, dedup_remarks = run_dedup(args.dedup_docs, memory)
        rows, remarks = rows + dedup_rows, remarks + dedup_remarks
    print(text_table(rows))
    for remark in remarks:
        print(f"note: {remark}")
    title = f"F1 per system, {len(names)} dev-set pages" + (
        f"; dedup: {args.dedup_docs:,} synthetic bodies" if args.dedup_docs else "")
    for path in write_results(rows, args.out, context(args, len(names), memory), remarks, title):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
