"""The Ray engine against the local one, and the per-capture costs a cluster run is planned from.

usage: python bench/ray_engine.py [--devset DIR] [--rounds N] [--copies N...] [--scale N]
                                  [--only speed|running|costs] [--work DIR]

speed: the dev set's 949 text and 949 HTML captures as one input (1,898 captures, many
cross-format duplicates), cleaned end to end by `cleaner clean` subprocesses into new
folders: the local engine with --jobs 1, then the Ray engine (a local Ray started by the
run) with --jobs 1 and --jobs 2, taking turns round after round; the best round of each
(load from elsewhere on a shared machine only slows a round down). Aims: Ray with 2 CPUs
at least 1.7x Ray with 1; Ray with 1 CPU within 25% of the local engine's time. Besides
wall time, the CPU time of each run's whole process tree (the command, and Ray's
processes and workers it starts: read from /proc every 0.1 s, each process's last
reading kept), which the load changes far less. Every output is checked to be the same
files, byte for byte, as the local engine's. `--copies 1 4`: the same at the dev set
once and four times over (links), and what each capture added costs between the two
(the fixed costs cancel: what a long run pays per capture). Then the same aims on a Ray
started before the runs (`ray start --head --num-cpus 1`, then 2), as on a cluster,
where a run does not start Ray (wall time only).

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
from run_engine import children, made_up_captures, rss  # bench/run_engine.py

from cleaner import __version__, core_build
from cleaner.dedup.sketch import Layout, Sketcher
from cleaner.pipeline import clean_capture
from cleaner.sinks.markdown import read_article
from cleaner.siterules.rulebook import default_rulebook
from cleaner.sources.files import find_captures, read_capture

DEFAULT_DEVSET = Path(__file__).resolve().parent.parent.parent / "shared" / "devset"
# -P: the package this script imports (installed, maybe compiled), not the source tree
# that `-m` would put first on sys.path when the bench is run from the repository
CLEANER = [sys.executable, "-P", "-m", "cleaner.cli", "clean"]
NOT_COMPARED = (".cleaner-state.sqlite", ".cleaner.lock", ".cleaner-tmp")
# Bytes of one candidate row as the Ray engine shuffles it: tag, key and doc id (8 bytes
# each) and the body's exact hash (32).
CANDIDATE_ROW_BYTES = 8 + 8 + 8 + 32
# Bytes of a live body's fingerprint kept where its shard is: signature (128 x 4), size, id.
DOC_INFO_BYTES = 128 * 4 + 8 + 8


def tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not p.relative_to(out).parts[0].startswith(NOT_COMPARED)}


class TreeCPU:
    """CPU seconds (user + system) of a process and of every process under it, read
    from /proc every 0.1 s; a process's last reading counts (so at most its last 0.1 s
    is missed). Ray's processes are not waited for by the command itself (the raylet
    reaps its workers), so the usual children's times would leave them out."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.seen: dict[tuple[int, str], float] = {}
        self.running = True
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _watch(self) -> None:
        tick = os.sysconf("SC_CLK_TCK")
        while self.running:
            waiting = [self.pid]
            while waiting:
                pid = waiting.pop()
                try:
                    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                except (OSError, IndexError):
                    continue
                # utime and stime, by the process's start time (pids are reused)
                self.seen[pid, fields[19]] = (int(fields[11]) + int(fields[12])) / tick
                waiting.extend(children(pid))
            time.sleep(0.1)

    def stop(self) -> float:
        self.running = False
        self.thread.join()
        return sum(self.seen.values())


def end_to_end(inputs: Path, out: Path, engine: str, jobs: int, address: str | None = None
               ) -> tuple[float, float]:
    """(wall seconds, CPU seconds of its process tree) of one `cleaner clean` run into a
    new OUT (with `address`, on that running Ray: its workers are not in the tree)."""
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    where = ["--address", address] if address else []
    process = subprocess.Popen([*CLEANER, str(inputs), "-o", str(out), "--jobs", str(jobs),
                                "--quiet", "--engine", engine, *where],
                               stderr=subprocess.DEVNULL)
    cpu = TreeCPU(process.pid)
    if process.wait():
        raise subprocess.CalledProcessError(process.returncode, process.args)
    wall = time.perf_counter() - started
    return wall, cpu.stop()


def copies_of(devset: Path, work: Path, copies: int) -> Path:
    """The dev set's text and HTML captures `copies` times over, as one input folder of
    links (each copy is cleaned again, then placed as an exact duplicate)."""
    if copies == 1:
        return devset
    folder = work / f"devset-x{copies}"
    if not folder.exists():
        for n in range(copies):
            for kind in ("text", "html"):
                (folder / f"copy{n}" / kind).mkdir(parents=True)
                for path in sorted((devset / kind).iterdir()):
                    (folder / f"copy{n}" / kind / path.name).symlink_to(path.resolve())
    return folder


def speed(devset: Path, work: Path, rounds: int, sizes: list[int]) -> None:
    runs = {"local, --jobs 1": ("local", 1), "ray, --jobs 1": ("ray", 1),
            "ray, --jobs 2": ("ray", 2)}
    inputs = {copies: copies_of(devset, work, copies) for copies in sizes}
    per_copy = sum(len(list((devset / kind).iterdir())) for kind in ("text", "html"))
    times: dict[tuple[int, str], list[tuple[float, float]]] = {
        (copies, name): [] for copies in sizes for name in runs}
    for n in range(rounds):
        for copies in sizes:
            for name, (engine, jobs) in runs.items():
                found = end_to_end(inputs[copies], work / f"{engine}{jobs}-x{copies}", engine,
                                   jobs)
                times[copies, name].append(found)
                print(f"    round {n + 1}, dev set x{copies}: {name}: {found[0]:.1f} s, CPU "
                      f"{found[1]:.1f} s, load {os.getloadavg()[0]:.1f}", flush=True)
    best = {key: min(wall for wall, _ in found) for key, found in times.items()}
    cpu = {key: min(c for _, c in found) for key, found in times.items()}
    for copies in sizes:
        print(f"  the dev set x{copies} ({per_copy * copies} captures):")
        for name in runs:
            found = times[copies, name]
            print(f"    {name:16s} {best[copies, name]:6.1f} s, CPU {cpu[copies, name]:5.1f} s "
                  f"(best of {rounds}: " + ", ".join(f"{wall:.1f}" for wall, _ in found)
                  + "; CPU " + ", ".join(f"{c:.1f}" for _, c in found) + ")")
        local = tree(work / f"local1-x{copies}")
        same = all(tree(work / f"ray{jobs}-x{copies}") == local for jobs in (1, 2))
        one, two, alone = (copies, "ray, --jobs 1"), (copies, "ray, --jobs 2"), \
            (copies, "local, --jobs 1")
        print(f"    Ray at 1 CPU: {best[one] / best[alone] - 1:+.0%} of the local engine's "
              f"time (aim: under +25%), {cpu[one] / cpu[alone] - 1:+.0%} of its CPU time; "
              f"2 CPUs: {best[one] / best[two]:.2f}x 1 CPU (aim: 1.7x), "
              f"{cpu[two] / cpu[one] - 1:+.0%} CPU time; outputs the same as the local "
              f"engine's: {'yes' if same else 'NO'}")
    if len(sizes) > 1:
        # what a run's size adds: the fixed costs (start-up, Ray's own processes) cancel
        small, large = min(sizes), max(sizes)
        added = per_copy * (large - small)
        # (CPU time only: best rounds of two sizes run at different loads, and the wall
        # times' difference says more of the load than of the captures)
        print(f"  CPU per capture added from x{small} to x{large} (best rounds' difference): "
              + ", ".join(f"{name} {(cpu[large, name] - cpu[small, name]) / added * 1000:.2f} ms"
                          for name in runs))


def machine_busy() -> float:
    """CPU seconds this whole machine has been busy, every process on every core
    (/proc/stat: user, nice, system, irq and softirq time; not idle, I/O wait or a VM's
    steal)."""
    fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:8]]
    user, nice, system, _idle, _iowait, irq, softirq = fields
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def on_running_ray(devset: Path, work: Path, rounds: int) -> None:
    """The dev set on a Ray already running (`ray start --head --num-cpus N`), as a cluster
    user runs: the cluster's start is not the run's. Wall time only (Ray's workers are
    the cluster's processes, not the command's); the local engine's runs take turns with
    the Ray ones, the best round of each. The first run on a new cluster also starts Ray
    Data's cluster-wide actors: the best of several rounds leaves that out, and the
    rounds are printed. Besides, the CPU time the whole machine was busy during each Ray
    run (the command, Ray's processes and workers, and whatever else runs): on C cores
    no run is shorter than that over C, which bounds what 2 CPUs can gain over 1 on
    this machine."""
    ray = shutil.which("ray", path=str(Path(sys.executable).parent)) or "ray"
    walls: dict[str, list[float]] = {"local, --jobs 1": []}
    busy: dict[str, list[float]] = {}
    for cpus in (1, 2):
        name = f"running ray of {cpus} CPU{'s' if cpus > 1 else ''}"
        walls[name], busy[name] = [], []
        subprocess.run([ray, "start", "--head", f"--num-cpus={cpus}",
                        "--include-dashboard=false", "--disable-usage-stats"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for n in range(rounds):
                for engine, jobs, key, address in (("ray", cpus, name, "auto"),
                                                   ("local", 1, "local, --jobs 1", None)):
                    before = machine_busy()
                    wall, _ = end_to_end(devset, work / f"running-{engine}", engine, jobs,
                                         address)
                    walls[key].append(wall)
                    used = machine_busy() - before
                    if engine == "ray":
                        busy[key].append(used)
                    print(f"    {name}, round {n + 1}: {key.split(',')[0]} {wall:.1f} s, the "
                          f"machine busy {used:.1f} CPU s, load {os.getloadavg()[0]:.1f}",
                          flush=True)
        finally:
            subprocess.run([ray, "stop"], check=False, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    best = {key: min(found) for key, found in walls.items()}
    same = tree(work / "running-ray") == tree(work / "running-local")
    one, two = best["running ray of 1 CPU"], best["running ray of 2 CPUs"]
    for key, found in walls.items():
        print(f"    {key:24s} {best[key]:6.1f} s (best of {len(found)}: "
              + ", ".join(f"{wall:.1f}" for wall in found) + ")")
    print(f"    on a running Ray, at 1 CPU: {one / best['local, --jobs 1'] - 1:+.0%} of the "
          f"local engine's time (aim: under +25%); 2 CPUs: {one / two:.2f}x 1 CPU (aim: "
          f"1.7x); the last outputs the same as the local engine's: {'yes' if same else 'NO'}")
    cores = os.cpu_count() or 1
    least = min(busy["running ray of 2 CPUs"])
    print(f"    the machine busy during a run of 2 CPUs: at least {least:.1f} CPU s (rounds: "
          + ", ".join(f"{used:.1f}" for used in busy["running ray of 2 CPUs"])
          + f"), so on its {cores} cores no such run takes under {least / cores:.1f} s: "
          f"2 CPUs reach at most {one / (least / cores):.2f}x the best run of 1 CPU here")


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

    from cleaner.run.ray.engine import init_ray

    # (as the engine starts Ray: its workers import the package this script imports)
    init_ray(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
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
    parser.add_argument("--copies", type=int, nargs="+", default=[1],
                        help="speed: the dev set this many times over as one input (several: "
                             "each, and the cost per capture added between the extremes)")
    parser.add_argument("--scale", type=int, default=20000,
                        help="made-up text captures for the costs at scale (0: none)")
    parser.add_argument("--only", choices=("speed", "running", "costs"),
                        help="speed: both speed parts; running: only the one on a running Ray")
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
        speed(args.devset, work, args.rounds, args.copies)
    if args.only in (None, "speed", "running"):
        print("speed on a running Ray (started before the runs, as a cluster is):")
        on_running_ray(args.devset, work, args.rounds)
    if args.only in (None, "costs"):
        print("costs:")
        costs(args.devset, work, args.scale)
    return 0


if __name__ == "__main__":
    sys.exit(main())
