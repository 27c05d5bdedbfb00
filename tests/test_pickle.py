"""Everything that crosses a process boundary round-trips through pickle, compiled or not.

`cleaner clean --jobs N` sends Captures (read from WARC files) and the rule book to worker
processes and gets Outcomes back; Ray or multiprocessing users send Articles and Results.
mypyc-compiled frozen dataclasses once failed to unpickle (FrozenInstanceError), which
only the compiled build showed: `.ci/run` runs this file on the installed, compiled package
too (`--import-mode=importlib`), and `test_the_build_under_test` says which one ran.
"""
from __future__ import annotations

import pickle
from collections import Counter
from io import BytesIO

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner import Article, Capture, Document, Line, Result, clean, clean_capture, core_build
from cleaner.dedup import Deduplicator
from cleaner.run.local import run
from cleaner.run.outcome import ManifestRow, Outcome
from cleaner.run.summary import Summary
from cleaner.run.work import Work
from cleaner.siterules.rulebook import default_rulebook
from cleaner.sources.items import CaptureFile, Failed

TEXT = (
    "Harbour bridge reopens after repairs\n\n"
    "The harbour bridge reopened on Monday after eight months of repairs, the council said.\n"
    "Traffic was light in the morning and heavier by the evening, officials reported.\n"
)


def round_trip(value):
    return pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def test_the_build_under_test():
    # not an assertion on the build: a line in the test log saying which one ran
    print(f"cleaner core: {core_build()}")
    assert core_build() in {"compiled", "plain Python"}


def test_capture_round_trips():
    capture = Capture("text", "a.txt", "html", "https://example.com/a", "2024-01-01", {"k": [1]})
    copy = round_trip(capture)
    assert copy == capture and type(copy) is Capture
    with pytest.raises(AttributeError):  # still frozen
        copy.text = "changed"


def test_article_and_its_lines_round_trip():
    article = clean(TEXT, url="https://example.com/a")
    assert article.body
    copy = round_trip(article)
    assert copy == article
    assert copy.meta == article.meta and copy.decisions == article.decisions
    assert all(type(line) is Line for line in copy.decisions)


def test_article_warnings_round_trip():
    article = Article("body", {"title": "t"}, (Line("body"),), "a.txt", ("url not kept",))
    assert round_trip(article).warnings == ("url not kept",)


def test_document_round_trips():
    doc = Document(Capture(TEXT), [Line("a", "menu_run", True, False)], {"title": "t"},
                   warnings=["w"])
    copy = round_trip(doc)
    assert copy.capture == doc.capture and copy.lines == doc.lines
    assert copy.meta == doc.meta and copy.warnings == ["w"]


def test_run_items_work_and_outcomes_round_trip():
    work = Work(default_rulebook(), Deduplicator().layout, None, 1000)
    [outcome] = round_trip(work)([round_trip(Capture(TEXT, "a.txt"))])
    assert outcome.status == "kept" and outcome.sketch is not None
    copy = round_trip(outcome)
    assert copy.record == outcome.record and copy.sketch.exact == outcome.sketch.exact
    assert round_trip(Outcome("b.txt", "error", "broken")) == Outcome("b.txt", "error", "broken")
    for item in (CaptureFile("in/a.txt"), Failed("in/loop", "a loop", "skipped")):
        assert round_trip(item) == item
    row = ManifestRow("a.txt", "written", "site/a.md", None, "site", ("w",))
    assert round_trip(row) == row
    summary = Summary(Counter(written=2), Counter(menu_run=3), Counter(not_html=1))
    assert round_trip(summary).to_dict() == summary.to_dict()


def test_stream_result_round_trips():
    article = clean(TEXT)
    result = Result("<item 1>", "written", article, extra={"id": 7})
    assert round_trip(result) == result


def test_rulebook_round_trips_and_cleans_alike():
    rulebook = default_rulebook()
    copy = round_trip(rulebook)
    capture = Capture(TEXT, "a.txt", url="https://japannews.yomiuri.co.jp/world/x/")
    assert clean_capture(capture, copy) == clean_capture(capture, rulebook)
    for ruleset in rulebook.rulesets:
        assert round_trip(ruleset).label == ruleset.label


def write_warc(path, pages: int) -> None:
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for n in range(pages):
            body = (f"<html><head><title>Story {n}</title></head><body><article><p>Story number "
                    f"{n} tells of the {n}th bridge that reopened in the harbour town after "
                    f"{n + 2} months of repairs, the council said on Monday.</p></article>"
                    "</body></html>").encode()
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                f"https://example.org/{n}", "response", payload=BytesIO(body), http_headers=http,
            ))


def test_warc_captures_are_cleaned_on_worker_processes(tmp_path):
    # More records than one worker chunk: Captures are pickled to the workers.
    warc = tmp_path / "crawl.warc.gz"
    write_warc(warc, 40)
    one, two = tmp_path / "one", tmp_path / "two"
    assert run([warc], one, jobs=1, dedup=False).statuses["written"] == 40
    assert run([warc], two, jobs=2, dedup=False).statuses["written"] == 40
    assert (one / "manifest.jsonl").read_bytes() == (two / "manifest.jsonl").read_bytes()
