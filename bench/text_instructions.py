"""Count the instructions the text path takes per capture, with valgrind's callgrind.

usage: python bench/text_instructions.py [--devset DIR]

Run it with the interpreter of the install to measure (compiled or plain: the line it
prints says which). It runs itself twice under `valgrind --tool=callgrind`, each time
loading the dev set's text captures and cleaning them all once (a warm-up: what loads
lazily loads), then the second run cleans them all once more, line caches emptied
first, as bench/devset_text.py times a pass. The difference between the two runs'
instruction counts, divided by the number of captures, is the figure: one pass's
instructions per capture, start-up and reading left out. Unlike a time, it does not
depend on what else the machine runs (it varies by a few tenths of a percent from run
to run: string hashes are randomised). Each run takes a few minutes.

Example: /tmp/venv-main/bin/python bench/text_instructions.py
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

DEFAULT_DEVSET = Path(__file__).resolve().parent.parent.parent / "shared" / "devset"
# What callgrind prints last on stderr: "==123== I   refs:      15,609,951,555".
INSTRUCTIONS = re.compile(r"I\s+refs:\s+([\d,]+)")


def worker(devset: Path, passes: int) -> int:
    """Clean every text capture once, then `passes` times more, caches emptied first."""
    from cleaner import core_build
    from cleaner.heuristics.noise import clear_line_caches
    from cleaner.pipeline import clean_capture
    from cleaner.siterules.rulebook import default_rulebook
    from cleaner.sources.files import find_captures, read_capture

    captures = [read_capture(path) for path in find_captures([devset / "text"])]
    rules = default_rulebook()
    for capture in captures:
        clean_capture(capture, rules)
    for _ in range(passes):
        clear_line_caches()
        for capture in captures:
            clean_capture(capture, rules)
    print(len(captures), core_build())
    return 0


def instructions(devset: Path, passes: int) -> tuple[int, str]:
    """(instructions, the worker's output) of one run under callgrind."""
    with tempfile.TemporaryDirectory() as folder:
        command = [
            "valgrind", "--tool=callgrind", f"--callgrind-out-file={folder}/out",
            sys.executable, __file__, "--worker", str(passes), "--devset", str(devset),
        ]
        # run from a folder without a cleaner/ of its own, so that the install is measured
        result = subprocess.run(command, capture_output=True, text=True, cwd="/", check=True)
    found = INSTRUCTIONS.findall(result.stderr)
    if not found:
        raise SystemExit("no instruction count in valgrind's output:\n" + result.stderr[-2000:])
    return int(found[-1].replace(",", "")), result.stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devset", type=Path, default=DEFAULT_DEVSET)
    parser.add_argument("--worker", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    devset = args.devset.resolve()
    if args.worker is not None:
        return worker(devset, args.worker)
    base, _ = instructions(devset, 0)
    measured, said = instructions(devset, 1)
    count, build = said.split(maxsplit=1)
    per_capture = (measured - base) / int(count)
    print(f"{per_capture / 1e6:.2f} million instructions per capture ({count} text captures, "
          f"one pass, callgrind; {build}; {sys.executable})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
