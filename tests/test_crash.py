"""A real `cleaner clean` process killed with SIGKILL at several moments, then run again.

Whatever the moment, the rerun must leave one manifest line per input, every article
whole and written once, no temporary file, no worker process left behind, and a state
index that names exactly the articles on disk.
"""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner.dedup import Deduplicator
from cleaner.run.local import DEFAULT_STATE
from cleaner.sinks.atomic import TEMP_FOLDER
from cleaner.sinks.markdown import read_article
from tests.conftest import cleaner_env
from tests.corpus import article, write_texts, write_warc

TEXTS = 900
PAGES = 120
# Seconds after the start at which the run is killed: early in the cleaning, in the
# middle, late (placing, or done): any moment must be safe.
KILL_AFTER = (0.8, 2.0, 4.0)


def cleaner(out: Path, inputs: Path) -> subprocess.Popen:
    # the package these tests import (the installed, compiled one on CI's second pass)
    return subprocess.Popen(
        [sys.executable, "-m", "cleaner.cli", "clean", str(inputs), "-o", str(out), "--jobs", "2",
         "--quiet"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=cleaner_env(), cwd=out.parent,
    )


def processes_mentioning(marker: str) -> list[int]:
    """Processes whose command line holds `marker` (the workers share the parent's)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker in (entry / "cmdline").read_bytes().decode(errors="replace"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("inputs")
    write_texts(folder / "texts", range(TEXTS))
    for n in range(0, TEXTS, 50):  # some stories twice
        (folder / "texts" / f"zz-again-{n:05d}.txt").write_text(article(n), encoding="utf-8")
    write_warc(folder / "crawl.warc.gz", range(TEXTS - 40, TEXTS - 40 + PAGES))
    return folder


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc")
@pytest.mark.parametrize("after", KILL_AFTER)
def test_a_run_killed_at_any_moment_is_completed_by_the_next(inputs, tmp_path, after):
    out = tmp_path / f"out-killed-after-{after}"
    process = cleaner(out, inputs)
    time.sleep(after)
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    while processes_mentioning(str(out)) and time.monotonic() < deadline:
        time.sleep(0.2)  # workers notice their parent is gone within a second or two
    assert processes_mentioning(str(out)) == []

    rerun = cleaner(out, inputs)
    assert rerun.wait(timeout=300) == 0, rerun.stderr.read().decode()

    rows = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    captures = TEXTS + TEXTS // 50 + PAGES
    assert len(rows) == len({r["source"] for r in rows}) == captures
    assert {r["status"] for r in rows} <= {"written", "duplicate"}
    written = [r["article"] for r in rows if r["status"] == "written"]
    assert len(written) == len(set(written))  # each article written by one capture
    assert {r["article"] for r in rows} == set(written)  # duplicates point at them
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*.md")}
    assert on_disk == set(written)  # no article missing, none extra
    for name in on_disk:
        found = read_article(out / name)
        assert found is not None and found[0]["sha256"] and found[1].strip()  # whole files
    leftovers = [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == [] and not list((out / TEMP_FOLDER).iterdir())
    with Deduplicator(out / DEFAULT_STATE) as index:
        keys = set(index.store.db.execute("SELECT key FROM docs").fetchall())
    assert {key for (key,) in keys} == on_disk
