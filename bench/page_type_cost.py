"""What page typing costs: the dev set cleaned with and without it, in one process.

usage: python bench/page_type_cost.py [--devset DIR] [--passes N] [--kinds text,html]
                                      [--limit N]

"Untyped" is the pipeline as it was before page types: an HTML capture read by the run's
HTML engine alone, a text capture's lines never classified (this script swaps the two
calls out, nothing else). "Typed" is the pipeline as it is: an HTML page typed from
the blocks the fast engine reads and read by its type's profile, a text capture typed
from its lines' LineFacts.

Two measurements, CPU time of this process (time.process_time), best of --passes:

- interleaved: each capture cleaned untyped and typed, one right after the other (which
  first alternates), every cache emptied before each cleaning, so that both see the
  same state and any slow spell of the shared machine hits both alike: the ratio;
- passes: whole passes over the set, untyped and typed by turns, the caches emptied
  before each pass as in a run (captures repeat lines and dates): the docs/s.

The typing part (features and trees) is also timed alone on its own, within the typed
interleaved cleaning. The cleaning core runs compiled when the package was installed so
(`pip install .`): the last line says which ran.

Example: python bench/page_type_cost.py --passes 5
"""
from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cleaner import core_build, pipeline
from cleaner.document import Capture
from cleaner.extract import page_type, profiles
from cleaner.heuristics.noise import clear_line_caches
from cleaner.pipeline import clean_capture
from cleaner.siterules.rulebook import RuleBook, default_rulebook
from cleaner.sources.files import find_captures, read_capture

DEFAULT_DEVSET = Path(__file__).resolve().parent.parent.parent / "shared" / "devset"
UNTYPED, TYPED = "untyped", "typed"


class Typing:
    """Switches page typing off and on, and times the typing calls while it is on."""

    def __init__(self) -> None:
        self.classify_lines = pipeline.classify_lines
        self.typed_html_document = profiles.typed_html_document
        self.classify_html = profiles.classify_html
        self.seconds = 0.0

    def timed(self, call: Callable[..., Any]) -> Callable[..., Any]:
        def timed_call(*args: Any) -> Any:
            began = time.process_time()
            try:
                return call(*args)
            finally:
                self.seconds += time.process_time() - began
        return timed_call

    def on(self) -> None:
        pipeline.classify_lines = self.timed(self.classify_lines)
        profiles.classify_html = self.timed(self.classify_html)
        profiles.typed_html_document = self.typed_html_document

    def off(self) -> None:
        article = page_type.PageType(page_type.ARTICLE, 1.0, {})
        pipeline.classify_lines = lambda lines, url: article
        profiles.typed_html_document = lambda capture, ruleset, engine: engine(
            capture, ruleset, None, None)

    @contextmanager
    def mode(self, name: str) -> Iterator[None]:
        (self.on if name == TYPED else self.off)()
        try:
            yield
        finally:
            self.on()


def interleaved(captures: list[Capture], rules: RuleBook, typing: Typing, passes: int
                ) -> tuple[dict[str, float], float]:
    """Best pass's seconds per mode, and the typing calls' seconds in that typed pass."""
    best = {UNTYPED: float("inf"), TYPED: float("inf")}
    typing_seconds = 0.0
    for n in range(passes):
        spent = {UNTYPED: 0.0, TYPED: 0.0}
        typing.seconds = 0.0
        for i, capture in enumerate(captures):
            for name in ((UNTYPED, TYPED) if (i + n) % 2 else (TYPED, UNTYPED)):
                with typing.mode(name):
                    clear_line_caches()
                    began = time.process_time()
                    clean_capture(capture, rules)
                    spent[name] += time.process_time() - began
        if spent[TYPED] < best[TYPED]:
            typing_seconds = typing.seconds
        best = {name: min(value, spent[name]) for name, value in best.items()}
    return best, typing_seconds


def whole_passes(captures: list[Capture], rules: RuleBook, typing: Typing, passes: int
                 ) -> dict[str, float]:
    """Best whole pass's seconds per mode, the modes by turns."""
    best = {UNTYPED: float("inf"), TYPED: float("inf")}
    for n in range(passes):
        for name in ((UNTYPED, TYPED) if n % 2 else (TYPED, UNTYPED)):
            with typing.mode(name):
                clear_line_caches()
                began = time.process_time()
                for capture in captures:
                    clean_capture(capture, rules)
                best[name] = min(best[name], time.process_time() - began)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devset", type=Path, default=DEFAULT_DEVSET)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--kinds", default="text,html")
    parser.add_argument("--limit", type=int, help="the first N captures of each kind")
    args = parser.parse_args()
    rules = default_rulebook()
    typing = Typing()
    page_type.models()  # read once, before any timing
    for kind in args.kinds.split(","):
        captures = [read_capture(p) for p in find_captures([args.devset / kind])][: args.limit]
        for capture in captures[:10]:  # load what loads on first use
            clean_capture(capture, rules)
        count = len(captures)
        best, typing_seconds = interleaved(captures, rules, typing, args.passes)
        whole = whole_passes(captures, rules, typing, args.passes)
        extra = best[TYPED] / best[UNTYPED] - 1
        print(f"{kind} ({count} captures), interleaved, caches emptied before each: untyped "
              f"{best[UNTYPED] / count * 1e3:.3f} ms, typed {best[TYPED] / count * 1e3:.3f} ms "
              f"a capture: typing costs {extra:+.1%} (features and trees "
              f"{typing_seconds / count * 1e3:.3f} ms, "
              f"{typing_seconds / best[UNTYPED]:.1%} of untyped)")
        print(f"{kind}, whole passes by turns: untyped {count / whole[UNTYPED]:.0f} docs/s, "
              f"typed {count / whole[TYPED]:.0f} docs/s "
              f"({whole[TYPED] / whole[UNTYPED] - 1:+.1%} time)")
    print(f"best of {args.passes} passes, CPU time, one process; {core_build()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
