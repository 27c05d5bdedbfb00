"""The Ray engine against the local one, and the per-capture costs a cluster run is planned from.

usage: python bench/ray_engine.py [--devset DIR] [--rounds N] [--scale N] [--only speed|costs]
                                  [--work DIR]

speed: the dev set's 949 text and 949 HTML captures as one input (1,898 captures, many
cross-format duplicates), cleaned end to end by `cleaner clean` subprocesses into new
folders: the local engine with --jobs 1, then the Ray engine (a local Ray started by the
run) with --jobs 1 and --jobs 2, taking turns round after round; the best round of each
(load from elsewhere on a shared machine only slows a round down). Aims: Ray with 2 CPUs
at least 1.7x Ray with 1; Ray with 1 CPU within 25% of the local engine's time. Every
output is checked to be the same files, byte for byte, as the local engine's.

costs: the Ray engine in this process on a local Ray of 2 CPUs, its steps timed, on the
dev set and on --scale made-up text captures (each mixes paragraphs of three dev-set
pages, and one in five is repeated with a paragraph cut: near duplicates), with the peak
resident memory of every Ray worker sampled from /proc; then, from the dev set, the
cleaning CPU time per HTML and per text capture (in process, one core, best of 3), the
bytes of a capture's outcome row and fingerprint, and its candidate rows (LSH band keys
and sampled shingles, the bytes shuffled to find duplicates). The README's plan for a
100-million-capture run is derived from these figures.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
from run_engine import made_up_captures, rss  # bench/run_engine.py

from cleaner import __version__, core_build
from cleaner.dedup.sketch import Layout, Sketcher
from cleaner.pipeline import clean_capture
from cleaner.sinks.markdown import read_article
from cleaner.siterules.rulebook import default_rulebook
from cleaner.sources.files import find_captures, read_capture

DEFAULT_DEVSET = Path(__file__).resolve().parent.parent.parent / "shared" / "devset"
CLEANER = [sys.executable, "-m", "cleaner.cli", "clean"]
NOT_COMPARED = (".cleaner-state.sqlite", ".cleaner.lock", ".cleaner-tmp")
# Bytes of one candidate row as the Ray engine shuffles it: tag, key and doc id (8 bytes
# each) and the body's exact hash (32).
CANDIDATE_ROW_BYTES = 8 + 8 + 8 + 32
# Bytes of a live body's fingerprint kept where its shard is: signature (128 x 4), size, id.
DOC_INFO_BYTES = 128 * 4 + 8 + 8


def tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not p.relative_to(out).parts[0].startswith(NOT_COMPARED)}


def end_to_end(inputs: Path, out: Path, engine: str, jobs: int) -> float:
    """Wall seconds of one `cleaner clean` run into a new OUT."""
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run([*CLEANER, str(inputs), "-o", str(out), "--jobs", str(jobs), "--quiet",
                    "--engine", engine], check=True, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def speed(devset: Path, work: Path, rounds: int) -> None:
    runs = {"local, --jobs 1": ("local", 1), "ray, --jobs 1": ("ray", 1),
            "ray, --jobs 2": ("ray", 2)}
    times: dict[str, list[float]] = {name: [] for name in runs}
    for n in range(rounds):
        for name, (engine, jobs) in runs.items():
            times[name].append(end_to_end(devset, work / f"{engine}{jobs}", engine, jobs))
            print(f"    round {n + 1}: {name}: {times[name][-1]:.1f} s, load "
                  f"{os.getloadavg()[0]:.1f}", flush=True)
    best = {name: min(found) for name, found in times.items()}
    for name, found in times.items():
        print(f"  {name:16s} {best[name]:6.1f} s (best of {rounds}: "
              + ", ".join(f"{t:.1f}" for t in found) + ")")
    local = tree(work / "local1")
    same = all(tree(work / f"ray{jobs}") == local for jobs in (1, 2))
    overhead = best["ray, --jobs 1"] / best["local, --jobs 1"] - 1
    scaling = best["ray, --jobs 1"] / best["ray, --jobs 2"]
    print(f"  Ray at 1 CPU: {overhead:+.0%} of the local engine's time (aim: under +25%); "
          f"2 CPUs: {scaling:.2f}x 1 CPU (aim: 1.7x); outputs the same as the local "
          f"engine's: {'yes' if same else 'NO'}")


class Workers:
    """Peak resident memory of each Ray worker process (ray::... in its command line) and
    of this process, sampled from /proc every 0.2 s."""

    def __init__(self) -> None:
        self.worker = 0
        self.driver = 0
        self.running = True
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _watch(self) -> None:
        me = os.getpid()
        while self.running:
            for proc in Path("/proc").iterdir():
                if not proc.name.isdigit():
                    continue
                try:
                    command = (proc / "cmdline").read_bytes()
                except OSError:
                    continue
                if int(proc.name) == me:
                    self.driver = max(self.driver, rss(me))
                elif command.startswith(b"ray::"):
                    self.worker = max(self.worker, rss(int(proc.name)))
            time.sleep(0.2)

    def stop(self) -> None:
        self.running = False
        self.thread.join()


def timed_run(inputs: Path, out: Path) -> tuple[dict[str, float], dict, Workers]:
    from cleaner.run.ray import run

    shutil.rmtree(out, ignore_errors=True)
    timings: dict[str, float] = {}
    memory = Workers()
    try:
        summary = run([inputs], out, timings=timings)
    finally:
        memory.stop()
    return timings, summary.to_dict(), memory


def near_copies(folder: Path, every: int = 5) -> int:
    """Repeat one made-up capture in `every` with its last paragraph cut (a near
    duplicate, somewhere later in the input); returns how many were made."""
    files = sorted(folder.rglob("*.txt"))
    rng = random.Random(len(files))
    made = 0
    for path in files[::every]:
        paragraphs = path.read_text(encoding="utf-8").split("\n\n")
        copy = folder / "copies" / f"{rng.randrange(1000):03d}" / f"copy-{path.name}"
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text("\n\n".join(paragraphs[:-1]), encoding="utf-8")
        made += 1
    return made


def cleaning_cpu(devset: Path, kind: str, sample: int) -> float:
    """CPU seconds per capture of `clean_capture` on `sample` dev-set captures of a kind
    (in process, one core, best of 3 passes)."""
    suffix = {"text": ".txt", "html": ".html"}[kind]
    paths = [p for p in find_captures([devset / kind]) if p.suffix == suffix][:sample]
    captures = [read_capture(p) for p in paths]
    rules = default_rulebook()
    for capture in captures[:20]:
        clean_capture(capture, rules)
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        for capture in captures:
            clean_capture(capture, rules)
        best = min(best, time.process_time() - started)
    return best / len(captures)


def fingerprint_figures(out: Path) -> dict[str, float]:
    """Per written article of a run: samples per body, candidate rows, bytes."""
    bodies, sizes = [], []
    for path in out.rglob("*.md"):
        found = read_article(path)
        if found is not None:
            bodies.append(found[1])
            sizes.append(path.stat().st_size)
    sketches = Sketcher(Layout()).sketch_many(bodies)
    samples = np.array([len(s.samples) for s in sketches])
    rows = Layout().bands + samples.mean()
    return {"articles": len(bodies), "article_bytes": float(np.mean(sizes)),
            "samples": float(samples.mean()), "candidate_rows": float(rows),
            "candidate_bytes": float(rows * CANDIDATE_ROW_BYTES)}


def costs(devset: Path, work: Path, scale: int) -> None:
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
             logging_level="ERROR")
    try:
        runs = {"dev set": devset}
        if scale:
            made = work / f"made-{scale}"
            if not made.exists():
                made_up_captures(devset, made, scale)
                near_copies(made)
            runs[f"{scale} made-up"] = made
        for name, inputs in runs.items():
            timings, summary, memory = timed_run(inputs, work / "costs-out")
            total = sum(timings.values())
            n = summary["captures"]
            steps = ", ".join(f"{step} {seconds:.1f}" for step, seconds in timings.items())
            print(f"  {name}: {n} captures ({summary['statuses']}) in {total:.1f} s on 2 "
                  f"CPUs; steps (s): {steps}")
            placing = sum(s for step, s in timings.items() if step not in ("ray", "inputs", "clean"))
            print(f"    after cleaning: {placing:.1f} s = {2 * placing / n * 1000:.2f} ms of "
                  f"CPU per capture at most (2 CPUs busy); cleaning: {timings['clean']:.1f} s")
            print(f"    peak resident memory: a Ray worker {memory.worker / 2**20:.0f} MB, "
                  f"the driver {memory.driver / 2**20:.0f} MB")
            if name == "dev set":
                figures = fingerprint_figures(work / "costs-out")
    finally:
        ray.shutdown()
    html, text = cleaning_cpu(devset, "html", 200), cleaning_cpu(devset, "text", 400)
    sizes = {kind: np.mean([p.stat().st_size for p in (devset / kind).iterdir()])
             for kind in ("html", "text")}
    print(f"  cleaning, in process, one core: {html * 1000:.1f} ms per HTML capture "
          f"({sizes['html'] / 1024:.0f} KB on average), {text * 1000:.1f} ms per text capture "
          f"({sizes['text'] / 1024:.0f} KB)")
    print(f"  per written article (dev set, {figures['articles']} articles): "
          f"{figures['article_bytes'] / 1024:.1f} KB as a file; {figures['samples']:.1f} "
          f"sampled shingles, so {figures['candidate_rows']:.1f} candidate rows = "
          f"{figures['candidate_bytes']:.0f} bytes shuffled to find duplicates, plus "
          f"{DOC_INFO_BYTES} bytes of fingerprint kept in its shard")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devset", type=Path, default=DEFAULT_DEVSET)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--scale", type=int, default=20000,
                        help="made-up text captures for the costs at scale (0: none)")
    parser.add_argument("--only", choices=("speed", "costs"))
    parser.add_argument("--work", type=Path, help="folder for inputs and outputs (kept)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="ray-engine-"))
    work.mkdir(parents=True, exist_ok=True)
    import ray

    print(f"cleaner {__version__} ({core_build()}), Ray {ray.__version__}, Python "
          f"{sys.version.split()[0]}, {os.cpu_count()} cores; "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    if args.only in (None, "speed"):
        print(f"speed, the dev set as one input ({args.devset}):")
        speed(args.devset, work, args.rounds)
    if args.only in (None, "costs"):
        print("costs:")
        costs(args.devset, work, args.scale)
    return 0


if __name__ == "__main__":
    sys.exit(main())
