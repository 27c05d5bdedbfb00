"""The run engine end to end: throughput against in-process cleaning, and peak memory.

usage: python bench/run_engine.py [--devset DIR] [--rounds N] [--scale N] [--sizes 10000,100000]
                                  [--warc-gb 2] [--only throughput|memory|warc] [--work DIR]

Throughput, on the dev set's 949 text captures, in one run, the three taking turns
round after round (best round of each reported, as timeit does: load from elsewhere on
a shared machine only ever slows a round down):

- in-process cleaning: `clean_capture` on captures read beforehand, one core;
- `cleaner clean --jobs 1` and `--jobs 2` as subprocesses, end to end: discovering,
  reading, cleaning, deduplicating against a new state, writing articles, manifest and
  summary (wall time);
- `cleaner clean` on an empty folder: what start-up costs every run, and so the most
  `--jobs 1` could reach were all but the cleaning free.

With `--scale N`, the same three on N made-up text captures (see below; half the rounds):
a longer run, where the start-up of a `cleaner clean` process weighs less.

Memory: `cleaner clean --jobs 1` on N made-up text captures (each mixes paragraphs of
three dev-set pages, their words shuffled, so that they are distinct stories), and `cleaner clean --jobs 2` on
a WARC file of at least --warc-gb GB made of the dev set's HTML pages; the peak resident
memory of the cleaner process (and of its workers, summed) is sampled from /proc. The
run's fingerprint index is measured too: bytes per kept capture.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from io import BytesIO
from pathlib import Path

from cleaner import __version__, core_build
from cleaner.dedup import Deduplicator
from cleaner.dedup.clusters import RunSketches
from cleaner.pipeline import clean_capture
from cleaner.siterules.rulebook import default_rulebook
from cleaner.sources.files import find_captures, read_capture

DEFAULT_DEVSET = Path(__file__).resolve().parent.parent.parent / "shared" / "devset"
# -P: the package this script imports (installed, maybe compiled), not the source tree
# that `-m` would put first on sys.path when the bench is run from the repository
CLEANER = [sys.executable, "-P", "-m", "cleaner.cli", "clean"]


def in_process(captures: list) -> tuple[float, float]:
    """(wall, CPU) seconds to clean `captures` in this process (one core)."""
    rules = default_rulebook()
    started, cpu = time.perf_counter(), time.process_time()
    for capture in captures:
        clean_capture(capture, rules)
    return time.perf_counter() - started, time.process_time() - cpu


def end_to_end(inputs: Path, out: Path, jobs: int) -> tuple[float, float]:
    """(wall, CPU of the process and its workers) seconds of one `cleaner clean` run into a
    new OUT."""
    shutil.rmtree(out, ignore_errors=True)
    before = os.times()
    started = time.perf_counter()
    subprocess.run([*CLEANER, str(inputs), "-o", str(out), "--jobs", str(jobs), "--quiet"],
                   check=True)
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return time.perf_counter() - started, cpu


def throughput(inputs: Path, work: Path, rounds: int) -> None:
    captures = [read_capture(p) for p in find_captures([inputs])]
    in_process(captures[:50])  # warm the caches of the rule book and the regex engines
    best: dict[str, list[tuple[float, float]]] = {"in process": [], "jobs 1": [], "jobs 2": []}
    empty = work / "empty"
    empty.mkdir(exist_ok=True)
    started: list[float] = []
    for _ in range(rounds):
        best["in process"].append(in_process(captures))
        best["jobs 1"].append(end_to_end(inputs, work / "out1", 1))
        best["jobs 2"].append(end_to_end(inputs, work / "out2", 2))
        started.append(end_to_end(empty, work / "out0", 1)[0])
    n = len(captures)
    rate = {name: n / min(wall for wall, _ in times) for name, times in best.items()}
    cpu = {name: min(c for _, c in times) for name, times in best.items()}
    for name, times in best.items():
        print(f"  {name:11s} {rate[name]:6.0f} docs/s wall, {n / cpu[name]:6.0f} docs per CPU "
              f"second (best of {rounds}; wall rounds: "
              + ", ".join(f"{n / wall:.0f}" for wall, _ in times) + ")")
    print(f"  end to end, --jobs 1: {rate['jobs 1'] / rate['in process']:.0%} of in-process "
          f"cleaning by wall time, {cpu['in process'] / cpu['jobs 1']:.0%} by CPU time (bar: "
          f"80%); --jobs 2: {rate['jobs 2'] / rate['jobs 1']:.2f}x --jobs 1 (bar: 1.7x)")
    # What start-up alone allows: a run of no capture (interpreter, imports, rules, the
    # output folder, the state, the summary) costs every run as much; were reading,
    # fingerprints, files and index free, --jobs 1 would take that plus the cleaning.
    fixed, cleaning = min(started), n / rate["in process"]
    print(f"  a run of no capture: {fixed:.2f} s (best of {rounds}); with nothing but the "
          f"cleaning after it, --jobs 1 would reach {cleaning / (fixed + cleaning):.0%} of "
          "in-process cleaning")


class PeakMemory:
    """Samples the resident memory of a process and of its children from /proc."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.parent = 0
        self.tree = 0
        self.running = True
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _watch(self) -> None:
        while self.running:
            parent = rss(self.pid)
            tree = parent + sum(rss(child) for child in children(self.pid))
            self.parent = max(self.parent, parent)
            self.tree = max(self.tree, tree)
            time.sleep(0.2)

    def stop(self) -> None:
        self.running = False
        self.thread.join()


def rss(pid: int) -> int:
    """Resident memory of process `pid` in bytes (0 once it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    """The child processes of `pid`, whichever of its threads started them (a process
    pool's workers are started by its managing thread, Ray's by the raylet's threads)."""
    found: list[int] = []
    try:
        for thread in Path(f"/proc/{pid}/task").iterdir():
            found += [int(child) for child in (thread / "children").read_text().split()]
    except OSError:
        pass
    return found


def measured_run(inputs: Path, out: Path, jobs: int) -> tuple[float, int, int, dict]:
    """(seconds, peak bytes of the cleaner process, peak of it and its workers, summary)."""
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    process = subprocess.Popen(
        [*CLEANER, str(inputs), "-o", str(out), "--jobs", str(jobs), "--quiet"])
    peak = PeakMemory(process.pid)
    process.wait()
    peak.stop()
    if process.returncode not in (0, 1):
        raise SystemExit(f"cleaner failed with {process.returncode}")
    summary = json.loads((out / "summary.json").read_text())
    return time.perf_counter() - started, peak.parent, peak.tree, summary


def made_up_captures(devset: Path, folder: Path, count: int) -> None:
    """`count` text captures, each made of the paragraphs of three dev-set pages, shuffled,
    with the words of each paragraph shuffled too: distinct stories that read like the
    dev set's pages line by line (lengths, punctuation, menus), but share no run of words
    (captures sharing whole paragraphs would be near duplicates of a thousand others at
    100,000 captures: a test of clustering, not of memory)."""
    pages = [p.read_text(encoding="utf-8").split("\n\n") for p in sorted((devset / "text").glob("*.txt"))]
    rng = random.Random(count)
    for n in range(count):
        parts = [paragraph for page in rng.sample(pages, 3) for paragraph in page[:40]]
        rng.shuffle(parts)
        parts = [" ".join(rng.sample(words, len(words))) if len(words := part.split(" ")) > 4
                 else part for part in parts]
        sub = folder / f"{n // 1000:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{n:06d}.txt").write_text("\n\n".join(parts), encoding="utf-8")


def index_bytes_per_capture(paths: list[Path]) -> float:
    """Bytes the run's fingerprint index takes per kept capture of the captures at `paths`."""
    bodies = [clean_capture(read_capture(p)).body for p in paths]
    dedup = Deduplicator()
    sketches = RunSketches(dedup.layout)
    for sketch in dedup.sketcher.sketch_many([b for b in bodies if b]):
        sketches.add(sketch)
    return sketches.nbytes / sketches.count


# Made-up captures whose index is measured (the index grows linearly: a sample tells).
INDEX_SAMPLE = 2000


def memory(devset: Path, work: Path, sizes: list[int]) -> None:
    dev_index = index_bytes_per_capture(list(find_captures([devset / "text"])))
    print(f"  run's fingerprint index: {dev_index:.0f} bytes per kept capture of the dev set")
    for size in sizes:
        inputs = work / f"made-{size}"
        if not inputs.exists():
            made_up_captures(devset, inputs, size)
        sample = sorted(find_captures([inputs]))[:INDEX_SAMPLE]
        index = index_bytes_per_capture(sample)
        seconds, parent, _, summary = measured_run(inputs, work / f"out-{size}", 1)
        state = (work / f"out-{size}" / ".cleaner-state.sqlite").stat().st_size
        print(f"  {size:7d} text captures, --jobs 1: peak {parent / 2**20:7.1f} MB "
              f"({(parent / size) / 1024:.2f} KB per capture; their index "
              f"{index / 1024:.2f} KB per kept capture), {seconds:.0f} s, "
              f"statuses {summary['statuses']}; state file {state / size:.0f} bytes per capture")


def warc(devset: Path, work: Path, gigabytes: float) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = work / "devset.warc"
    pages = sorted((devset / "html").glob("*.html"))
    records = 0
    if not path.exists() or path.stat().st_size < gigabytes * 2**30:
        with path.open("wb") as out:
            writer = WARCWriter(out, gzip=False)
            while out.tell() < gigabytes * 2**30:
                for page in pages:
                    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")],
                                            protocol="HTTP/1.1")
                    writer.write_record(writer.create_warc_record(
                        f"https://example.org/{records}/{page.stem}", "response",
                        payload=BytesIO(page.read_bytes()), http_headers=http,
                    ))
                    records += 1
    size = path.stat().st_size
    seconds, parent, tree, summary = measured_run(path, work / "out-warc", 2)
    print(f"  WARC file of {size / 2**30:.2f} GB ({summary['captures']} records), --jobs 2: "
          f"peak {parent / 2**20:.0f} MB for the cleaner process, {tree / 2**20:.0f} MB with "
          f"its workers; {seconds:.0f} s; statuses {summary['statuses']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devset", type=Path, default=DEFAULT_DEVSET)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--scale", type=int, default=0,
                        help="throughput on this many made-up text captures too")
    parser.add_argument("--warc-gb", type=float, default=2.0)
    parser.add_argument("--only", choices=("throughput", "memory", "warc"))
    parser.add_argument("--work", type=Path, help="folder for made-up inputs and outputs (kept)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="run-engine-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"cleaner {__version__} ({core_build()}), Python {sys.version.split()[0]}, "
          f"{os.cpu_count()} cores; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    if args.only in (None, "throughput"):
        print("throughput, dev set text captures:")
        throughput(args.devset / "text", work, args.rounds)
        if args.scale:
            # the same on a longer run, where start-up weighs less: what a run pays per capture
            inputs = work / f"made-{args.scale}"
            if not inputs.exists():
                made_up_captures(args.devset, inputs, args.scale)
            print(f"throughput, {args.scale:,} made-up text captures:")
            throughput(inputs, work, max(1, args.rounds // 2))
    if args.only in (None, "memory"):
        print("memory:")
        memory(args.devset, work, [int(s) for s in args.sizes.split(",")])
    if args.only in (None, "warc"):
        print("WARC:")
        warc(args.devset, work, args.warc_gb)
    return 0


if __name__ == "__main__":
    sys.exit(main())
