"""Golden files: every capture under fixtures/ must clean to exactly its NAME.expected.md.

The loop is `cleaner.upkeep.fixtures`, which `cleaner fixtures check|update` runs on
users' own fixtures. After a deliberate change, `pytest tests/test_fixtures.py
--update-fixtures` rewrites the expected files and still fails, so that a person reads
the diff (git diff fixtures/).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.upkeep.fixtures import check_fixture, fixture_captures

from .conftest import FIXTURES, ROOT

CASES = [p.relative_to(ROOT) for p in fixture_captures(FIXTURES)]


def test_there_are_fixtures_for_every_bundled_rule_set():
    sites = {p.parts[1] for p in CASES}
    assert len(CASES) >= 17 and len(sites) >= 4


@pytest.mark.parametrize("capture", CASES, ids=lambda p: p.relative_to("fixtures").as_posix())
def test_fixture_cleans_to_its_expected_article(capture: Path, update_fixtures):
    result = check_fixture(ROOT / capture, FIXTURES, update=update_fixtures)
    if result.status == "written":
        pytest.fail(f"wrote {result.expected.relative_to(ROOT)}: review it (git diff) and rerun")
    if result.failed:
        pytest.fail("output differs from the expected article:\n" + result.diff, pytrace=False)
