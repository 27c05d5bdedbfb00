"""bench/compare.py on three dev-set pages: the table, the Markdown and the chart it writes,
and its scoring agreeing with devset/score.py. Skipped when the peers or the set are missing."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

BENCH = ROOT / "bench"
DEVSET = ROOT.parent / "shared" / "devset"
PAGES = 3
DEDUP_DOCS = 300

for module in ("justext", "readability", "resiliparse", "matplotlib", "datasketch"):
    pytest.importorskip(module)
if not (DEVSET / "annotations.json").is_file():
    pytest.skip("the dev set is not there", allow_module_level=True)
sys.path.insert(0, str(BENCH))

import compare
from report import COLUMNS, MARKDOWN_NAME, REFERENCE


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The output folder and the printed text of one run on PAGES pages."""
    out = tmp_path_factory.mktemp("compare")
    completed = subprocess.run(
        [sys.executable, str(BENCH / "compare.py"), "--limit", str(PAGES), "--dedup-docs",
         str(DEDUP_DOCS), "--out", str(out), "--cpu", str(min(os.sched_getaffinity(0)))],
        capture_output=True, text=True, check=True,
    )
    return out, completed.stdout


def test_printed_table_has_every_system_and_column(results: tuple[Path, str]) -> None:
    _, printed = results
    header = printed.splitlines()[0].split()
    assert header[:2] == ["system", "input"] and "F1" in header
    for system, kind in REFERENCE:
        assert any(line.startswith(system) and f" {kind} " in line for line in printed.splitlines())
    assert "cleaner html" in printed and "cleaner text" in printed
    assert "datasketch MinHashLSH" in printed


def test_markdown_has_the_run_context_and_a_row_per_system(results: tuple[Path, str]) -> None:
    out, printed = results
    text = (out / MARKDOWN_NAME).read_text(encoding="utf-8")
    assert "| " + " | ".join(COLUMNS) + " |" in text
    for key in ("date", "python", "packages", "timing", "peak MB"):
        assert f"- **{key}**" in text
    assert "trafilatura " in text and "resiliparse " in text
    printed_rows = [ln for ln in printed.splitlines()[2:] if ln and not ln.startswith(("note", "wrote"))]
    assert text.count("\n| ") - text.count("| --- |") >= len(printed_rows)
    assert "## Against the dev set's reference table" in text


def test_chart_is_a_png(results: tuple[Path, str]) -> None:
    out, _ = results
    assert (out / "comparison.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_scoring_agrees_with_score_py(tmp_path: Path) -> None:
    notes = json.loads((DEVSET / "annotations.json").read_text(encoding="utf-8"))
    names = sorted(notes)[:PAGES]
    bodies = {name: (DEVSET / "text" / (Path(name).stem + ".txt")).read_text(encoding="utf-8")
              for name in names}
    with open(tmp_path / "manifest.jsonl", "w", encoding="utf-8") as manifest:
        for name, body in bodies.items():
            (tmp_path / f"{Path(name).stem}.md").write_text(f"---\ntitle: x\n---\n\n{body}",
                                                           encoding="utf-8")
            manifest.write(json.dumps({"source": name, "article": f"{Path(name).stem}.md"}) + "\n")
    printed = subprocess.run([sys.executable, str(DEVSET / "score.py"), str(tmp_path)],
                             capture_output=True, text=True, check=True).stdout
    everything = {name: bodies.get(name, "") for name in notes}
    precision, recall, f1 = compare.score(everything, notes)
    assert f"precision {precision:.3f} recall {recall:.3f} F1 {f1:.3f}" in printed
