"""One registry of drop reasons: every reason a line is dropped for is named there."""
from __future__ import annotations

from pathlib import Path

from cleaner import reasons
from cleaner.pipeline import clean_capture
from cleaner.sources.files import find_captures, read_capture

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT.parent / "shared" / "devset"


def test_every_reason_has_a_description():
    named = {value for key, value in vars(reasons).items() if key.isupper()
             and isinstance(value, str) and key not in ("RULE_PREFIX",)}
    assert named == set(reasons.DESCRIPTIONS)
    assert reasons.describe("rule:japannews/popular_articles") == (
        "the site rule japannews/popular_articles")


def captures() -> list[Path]:
    found = list(find_captures([ROOT / "fixtures"]))
    if DEVSET.is_dir():  # a sample of the dev set, both kinds of capture
        found += list(find_captures([DEVSET / "text"]))[::12]
        found += list(find_captures([DEVSET / "html"]))[::24]
    return found


def test_every_reason_a_line_is_dropped_for_is_registered():
    seen = set()
    for path in captures():
        seen.update(line.reason for line in clean_capture(read_capture(path)).decisions
                    if line.reason)
    unknown = {r for r in seen if not r.startswith(reasons.RULE_PREFIX)} - set(reasons.DESCRIPTIONS)
    assert unknown == set()
    assert len(seen) > 20  # the sample exercises most of them
