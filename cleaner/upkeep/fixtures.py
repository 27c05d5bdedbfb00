"""Golden files for rule sets: captures and the exact article each must clean to.

A fixtures folder holds one folder per site (named after its rule set's id), each with
raw captures (`NAME.txt` or `NAME.html`, a sidecar `NAME.meta.json` when the URL matters)
and the article file each must give (`NAME.expected.md`). `check` cleans every capture
and compares; `update` rewrites the expected files that differ and still reports them
as failures, so that a person reads the diff before committing (as pytest-regressions'
--force-regen does); a missing expected file is written and fails the same way. `add`
copies a new capture in and writes its current output as the expected file to review.

The bundled fixtures (fixtures/ in the repository) run through the same functions in
tests/test_fixtures.py; `cleaner fixtures check|update|add` runs them on a user's own.
Sources are recorded relative to the folder holding the fixtures folder, so expected
files do not depend on where the command runs.

This module runs the pipeline, so it sits above it (the pipeline never imports it).
"""
from __future__ import annotations

import difflib
import os
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import CleanerError
from ..frontmatter import render_article
from ..pipeline import clean_capture
from ..sinks.atomic import write_atomic
from ..siterules.rulebook import RuleBook
from ..sources.files import SIDECAR_SUFFIX, capture_name, find_captures, read_capture

EXPECTED_SUFFIX = ".expected.md"
OK, DIFFERS, WRITTEN = "ok", "differs", "written"


@dataclass(frozen=True, slots=True)
class FixtureResult:
    """How one fixture fared: `ok`, `differs` (with a unified diff) or `written`
    (expected file created or rewritten: a failure until reviewed)."""

    capture: Path
    expected: Path
    status: str
    diff: str = ""

    @property
    def failed(self) -> bool:
        return self.status != OK


def fixture_captures(folder: str | Path) -> list[Path]:
    """Every capture under a fixtures folder, sorted (expected files and sidecars aside)."""
    return sorted(path for path in find_captures([Path(folder)])
                  if not path.name.endswith(EXPECTED_SUFFIX))


def expected_path(capture: Path) -> Path:
    """NAME.expected.md beside NAME.txt / NAME.html."""
    named = capture_name(capture)
    stem = named[0] if named else capture.stem
    return capture.with_name(stem + EXPECTED_SUFFIX)


def render_fixture(capture: Path, folder: str | Path, rules: RuleBook | None = None) -> str:
    """The article file `capture` cleans to, its source named relative to the folder that
    holds the fixtures folder."""
    base = Path(folder).resolve().parent
    read = read_capture(capture)
    source = Path(os.path.relpath(capture.resolve(), base)).as_posix()
    return render_article(clean_capture(replace(read, source=source), rules))


def check_fixture(capture: Path, folder: str | Path, rules: RuleBook | None = None,
                  update: bool = False) -> FixtureResult:
    """Clean one fixture and compare with its expected file (written when missing, or
    rewritten with `update` when it differs)."""
    expected_file = expected_path(capture)
    actual = render_fixture(capture, folder, rules)
    expected = expected_file.read_text(encoding="utf-8") if expected_file.exists() else None
    if actual == expected:
        return FixtureResult(capture, expected_file, OK)
    diff = "" if expected is None else "".join(difflib.unified_diff(
        expected.splitlines(keepends=True), actual.splitlines(keepends=True),
        fromfile=str(expected_file), tofile="actual",
    ))
    if update or expected is None:
        write_atomic(expected_file, actual)
        return FixtureResult(capture, expected_file, WRITTEN, diff)
    return FixtureResult(capture, expected_file, DIFFERS, diff)


def check_fixtures(folder: str | Path, rules: RuleBook | None = None,
                   update: bool = False) -> list[FixtureResult]:
    """`check_fixture` for every capture under `folder`."""
    if not Path(folder).is_dir():
        raise CleanerError(f"{folder} is not a folder of fixtures")
    return [check_fixture(capture, folder, rules, update) for capture in fixture_captures(folder)]


def add_fixture(capture: str | Path, site: str, folder: str | Path,
                rules: RuleBook | None = None) -> FixtureResult:
    """Copy `capture` (and its sidecar) into `folder`/`site`/ and write its current output
    as the expected file, to review; refuses to overwrite a fixture of the same name."""
    source = Path(capture)
    named = capture_name(source)
    if named is None or not source.is_file():
        raise CleanerError(f"{capture}: not a capture file (.txt, .html, .htm, maybe .gz)")
    target_folder = Path(folder) / site
    target = target_folder / source.name
    if target.exists():
        raise CleanerError(f"{target} exists already: remove it or rename the capture")
    target_folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    sidecar = source.with_name(named[0] + SIDECAR_SUFFIX)
    if sidecar.is_file():
        shutil.copyfile(sidecar, target.with_name(named[0] + SIDECAR_SUFFIX))
    return check_fixture(target, folder, rules)

