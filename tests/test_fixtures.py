"""Golden files: every capture under fixtures/ must clean to exactly its NAME.expected.md.

After a deliberate change, `pytest tests/test_fixtures.py --update-fixtures` rewrites
the expected files and still fails, so that a person reads the diff (git diff fixtures/).
"""
from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from cleaner.frontmatter import render_article
from cleaner.pipeline import clean_capture
from cleaner.sources.files import capture_name, find_captures, read_capture

from .conftest import FIXTURES, ROOT

CASES = sorted(p.relative_to(ROOT) for p in find_captures([FIXTURES]))


def expected_path(capture: Path) -> Path:
    stem, _ = capture_name(capture)
    return ROOT / capture.with_name(stem + ".expected.md")


def test_there_are_fixtures_for_every_bundled_rule_set():
    sites = {p.parts[1] for p in CASES}
    assert len(CASES) >= 17 and len(sites) >= 4


@pytest.mark.parametrize("capture", CASES, ids=lambda p: p.relative_to("fixtures").as_posix())
def test_fixture_cleans_to_its_expected_article(capture, update_fixtures, monkeypatch):
    monkeypatch.chdir(ROOT)  # sources are recorded relative to the repo root
    actual = render_article(clean_capture(read_capture(capture)))
    expected_file = expected_path(capture)
    expected = expected_file.read_text(encoding="utf-8") if expected_file.exists() else None
    if actual == expected:
        return
    if update_fixtures or expected is None:
        expected_file.write_text(actual, encoding="utf-8")
        pytest.fail(f"wrote {expected_file.relative_to(ROOT)}: review it (git diff) and rerun")
    diff = difflib.unified_diff(
        expected.splitlines(keepends=True), actual.splitlines(keepends=True),
        fromfile=str(expected_file.relative_to(ROOT)), tofile="actual",
    )
    pytest.fail("output differs from the expected article:\n" + "".join(diff), pytrace=False)
