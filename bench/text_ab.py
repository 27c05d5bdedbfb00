"""Compare two installations' text-path throughput, their passes taking turns.

usage: python bench/text_ab.py PYTHON_A PYTHON_B [--devset DIR] [--rounds N]

PYTHON_A and PYTHON_B are the interpreters of two venvs, each with its own install of
cleaner (say, main's and a branch's, both compiled: `pip install .`). Each runs this
script as a worker that cleans every capture of DEVSET/text as bench/devset_text.py
does (CPU time of the cleaning alone, line caches emptied before each pass), one pass
when asked. The two workers take turns pass by pass, the first alternating, for
--rounds rounds (12 by default): on a machine shared with other work, a slow spell
falls on both alike, which whole runs one after the other cannot promise. Prints each
one's best and median pass (docs/s), and the ratios B/A.

Example: python bench/text_ab.py /tmp/venv-main/bin/python .venv/bin/python
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_DEVSET = Path(__file__).resolve().parent.parent.parent / "shared" / "devset"


def worker(devset: Path) -> int:
    """Clean the text captures once per line read from stdin; print each pass's CPU time."""
    from cleaner import core_build
    from cleaner.heuristics.noise import clear_line_caches
    from cleaner.pipeline import clean_capture
    from cleaner.siterules.rulebook import default_rulebook
    from cleaner.sources.files import find_captures, read_capture

    captures = [read_capture(path) for path in find_captures([devset / "text"])]
    rules = default_rulebook()
    for capture in captures:  # a first pass loads what loads lazily (ftfy, the models)
        clean_capture(capture, rules)
    print(len(captures), core_build(), flush=True)
    for _ in sys.stdin:
        clear_line_caches()
        elapsed = 0.0
        for capture in captures:
            started = time.process_time()
            clean_capture(capture, rules)
            elapsed += time.process_time() - started
        print(elapsed, flush=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("python", nargs="*", help="the two interpreters, A then B")
    parser.add_argument("--devset", type=Path, default=DEFAULT_DEVSET)
    parser.add_argument("--rounds", type=int, default=12, help="passes of each (default 12)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.devset)
    if len(args.python) != 2:
        parser.error("give the two interpreters to compare")
    # run from a folder without a cleaner/ of its own, so that each imports its install
    command = [__file__, "--worker", "--devset", str(args.devset.resolve())]
    workers = [
        subprocess.Popen([python, *command], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         text=True, cwd="/")
        for python in args.python
    ]
    counts = []
    for name, python, process in zip("AB", args.python, workers):
        assert process.stdout is not None
        count, build = process.stdout.readline().split(maxsplit=1)
        counts.append(int(count))
        print(f"{name}: {python} ({build.strip()}, {count} captures)")
    if counts[0] != counts[1]:
        raise SystemExit("the two read different numbers of captures")
    times: list[list[float]] = [[], []]
    for turn in range(args.rounds):
        for k in ((0, 1) if turn % 2 == 0 else (1, 0)):
            process = workers[k]
            assert process.stdin is not None and process.stdout is not None
            process.stdin.write("pass\n")
            process.stdin.flush()
            times[k].append(float(process.stdout.readline()))
    for process in workers:
        assert process.stdin is not None
        process.stdin.close()
        process.wait()
    count = counts[0]
    for name, passes in zip("AB", times):
        rates = ", ".join(f"{count / t:.0f}" for t in passes)
        print(f"{name}: best {count / min(passes):.0f} docs/s, median "
              f"{count / statistics.median(passes):.0f}; passes: {rates}")
    print(f"B/A: best pass {min(times[0]) / min(times[1]):.3f}, median "
          f"{statistics.median(times[0]) / statistics.median(times[1]):.3f} "
          f"({args.rounds} passes each, CPU time, taking turns)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
