"""Cleaning streams: clean_many in the library, `cleaner stream` on JSON lines in a pipe."""
from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cleaner.cli import main
from cleaner.dedup import Deduplicator
from cleaner.document import HTML, TEXT, Capture
from cleaner.run.stream import clean_json_lines, clean_many, clean_one
from cleaner.sources.records import record_capture

from .conftest import cleaner_env
from .corpus import failing_cleaning

SITE = Path(__file__).parent / "data" / "site"
BRIDGE = (SITE / "a.txt").read_text(encoding="utf-8")
BRIDGE_AGAIN = (SITE / "b.txt").read_text(encoding="utf-8")  # same story, other page furniture
LIBRARY = (SITE / "c.txt").read_text(encoding="utf-8")
# How long a pipe may take to answer one line, Python start-up and imports included.
PIPE_TIMEOUT = 60
# The command's environment, without a PYTHONUNBUFFERED that would hide a missing flush,
# importing the package under test; run from a folder that holds no other `cleaner`.
BUFFERED_ENV = {k: v for k, v in cleaner_env().items() if k != "PYTHONUNBUFFERED"}
CHILD_CWD = tempfile.gettempdir()


def stream(*records, args=()) -> tuple[list[dict], str, int]:
    """Run `cleaner stream` in a subprocess on JSON lines; (output records, stderr, exit code)."""
    data = b"".join(json.dumps(r).encode() + b"\n" for r in records)
    done = subprocess.run(
        [sys.executable, "-m", "cleaner.cli", "stream", *args], check=False,
        input=data, capture_output=True, timeout=PIPE_TIMEOUT * 2, env=BUFFERED_ENV, cwd=CHILD_CWD,
    )
    out = [json.loads(line) for line in done.stdout.decode().splitlines()]
    return out, done.stderr.decode(), done.returncode


def test_clean_many_is_lazy_and_keeps_input_order():
    def items():
        yield BRIDGE
        yield LIBRARY
        raise AssertionError("read past what was asked for")

    results = clean_many(items())
    first = next(results)
    assert first.kept and first.article.body.startswith("The harbour bridge reopened")
    assert next(results).article.body.startswith("The central library")


def test_clean_many_without_dedup_keeps_repeats_and_with_it_drops_them():
    assert [r.status for r in clean_many([BRIDGE, BRIDGE_AGAIN])] == ["written", "written"]
    dedup = Deduplicator()
    results = list(clean_many([BRIDGE, LIBRARY, BRIDGE_AGAIN], dedup=dedup))
    assert [r.status for r in results] == ["written", "written", "duplicate"]
    assert results[2].duplicate_of == "<item 1>" and "exact duplicate" in results[2].reason
    assert results[2].fields() == {} and len(dedup) == 2


def test_captures_register_under_their_url_and_a_reused_url_under_url_and_hash():
    dedup = Deduplicator()
    url = "https://example.org/news/1"
    first = clean_one(Capture(BRIDGE, "a", url=url), dedup=dedup)
    edited = clean_one(Capture(LIBRARY, "b", url=url), dedup=dedup)
    repeat = clean_one(Capture(BRIDGE_AGAIN, "c", url="https://example.org/other"), dedup=dedup)
    assert first.kept and edited.kept
    assert repeat.duplicate_of == url
    assert sorted(dedup.store.keys) == sorted([url, f"{url}#{edited.article.meta['sha256'][:16]}"])


def test_an_empty_capture_says_what_was_dropped():
    result = clean_one(Capture(" \n\n", "blank"))
    assert result.status == "empty" and result.reason == "capture has no text"
    assert result.article is not None and result.fields() == {}


class BrokenRules:
    """A rule book that fails on every capture, as a buggy custom one might."""

    def select(self, url, text, warnings=None, html=False):
        raise ValueError("no rule set for you")


def test_a_capture_that_breaks_cleaning_is_an_error_result_not_an_exception():
    result = clean_one(Capture(BRIDGE, "odd"), rules=BrokenRules())
    assert result.status == "error"
    assert result.reason == "cleaning failed: ValueError: no rule set for you"


def test_record_fields_become_capture_fields_and_extra():
    record = {"url": "https://example.org/a", "text": BRIDGE, "fetched_at": "2024-01-02", "id": 7}
    capture = record_capture(record, "<stdin>:1")
    assert (capture.url, capture.fetched_at, capture.kind) == (record["url"], "2024-01-02", TEXT)
    assert capture.extra == {"id": 7}
    assert record_capture({"html": "<p>A fragment</p>"}, "x").kind == HTML


def test_json_lines_give_one_record_per_line_and_errors_for_bad_lines():
    lines = [
        json.dumps({"url": "https://example.org/a", "text": BRIDGE, "id": 1}),
        "not json",
        json.dumps(["a", "list"]),
        json.dumps({"url": "https://example.org/none", "id": 4}),
        "",
        b"\xff\xfe not utf-8",
        json.dumps({"text": " ", "id": 7}),
        json.dumps({"url": "https://example.org/b", "text": BRIDGE_AGAIN, "id": 8}),
    ]
    out = list(clean_json_lines(lines, dedup=Deduplicator()))
    assert [r["status"] for r in out] == [
        "written", "error", "error", "error", "error", "error", "empty", "duplicate",
    ]
    assert out[1]["reason"].startswith("line 2: not JSON")
    assert out[2]["reason"] == "line 3: not a JSON object but list"
    assert out[3] == {
        "url": "https://example.org/none", "id": 4, "status": "error",
        "reason": "line 4: no 'html' or 'text' field holding text",
    }
    assert out[4]["reason"] == "line 5: empty line"
    assert out[5]["reason"].startswith("line 6: not UTF-8")
    assert out[7]["duplicate_of"] == "https://example.org/a"


def test_a_kept_record_has_the_input_fields_then_status_then_the_article():
    [record] = clean_json_lines([json.dumps({"id": 1, "url": "https://example.org/a", "text": BRIDGE})])
    keys = list(record)
    assert keys[:3] == ["id", "url", "status"]
    assert {"title", "published", "authors", "site", "language", "sha256", "word_count", "body"} <= set(keys)
    assert "text" not in record and "reason" not in record
    assert record["site"] == "example.org" and record["source"] == "<stdin>:1"


def test_html_records_are_cleaned_as_html():
    page = (
        "<html><body><nav>Home | World</nav><article><p>"
        + "</p><p>".join(LIBRARY.split("\n\n")[2:])
        + "</p></article></body></html>"
    )
    [record] = clean_json_lines([json.dumps({"url": "https://example.org/l", "html": page})])
    assert record["status"] == "written" and record["body"].startswith("The central library")


def test_the_command_dedups_within_the_stream_and_exits_1_on_errors():
    out, err, code = stream(
        {"url": "https://example.org/a", "text": BRIDGE},
        {"url": "https://example.org/b", "text": BRIDGE_AGAIN},
        {"url": "https://example.org/c"},
    )
    assert [r["status"] for r in out] == ["written", "duplicate", "error"]
    assert code == 1 and "1 written, 1 duplicates, 0 empty, 1 errors" in err


def test_the_command_with_no_dedup_keeps_repeats():
    out, _, code = stream({"text": BRIDGE}, {"text": BRIDGE_AGAIN}, args=["--no-dedup", "-q"])
    assert [r["status"] for r in out] == ["written", "written"] and code == 0


def test_the_command_state_remembers_articles_across_runs(tmp_path):
    state = str(tmp_path / "dedup.sqlite")
    first, _, _ = stream({"url": "https://example.org/a", "text": BRIDGE}, args=["--state", state])
    second, _, _ = stream(
        {"url": "https://example.org/b", "text": BRIDGE_AGAIN},
        {"url": "https://example.org/c", "text": LIBRARY},
        args=["--state", state],
    )
    assert first[0]["status"] == "written"
    assert [r["status"] for r in second] == ["duplicate", "written"]
    assert second[0]["duplicate_of"] == "https://example.org/a"


def test_state_with_no_dedup_is_refused_before_reading(capsys, tmp_path):
    code = main(["stream", "--no-dedup", "--state", str(tmp_path / "s.sqlite")])
    assert code == 2 and "--no-dedup" in capsys.readouterr().err
    assert not (tmp_path / "s.sqlite").exists()


def test_the_command_answers_each_line_before_the_next_arrives():
    """A crawler writes a line and waits for the answer: output must not sit in a buffer."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "cleaner.cli", "stream", "-q"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=BUFFERED_ENV,
        cwd=CHILD_CWD,
    )
    try:
        for number, text in enumerate((BRIDGE, LIBRARY), 1):
            proc.stdin.write(json.dumps({"n": number, "text": text}).encode() + b"\n")
            proc.stdin.flush()
            ready, _, _ = select.select([proc.stdout], [], [], PIPE_TIMEOUT)
            assert ready, f"no answer to line {number} while stdin stays open"
            answer = json.loads(os.read(proc.stdout.fileno(), 1 << 20))
            assert answer["n"] == number and answer["status"] == "written"
    finally:
        proc.stdin.close()
        proc.wait(timeout=PIPE_TIMEOUT)
        proc.stdout.close()


def test_the_stream_command_skips_page_types_not_asked_for_and_counts_types():
    records, err, code = stream(
        {"url": "https://example.com/2024/bridge", "text": BRIDGE},
        args=["--no-dedup", "--only", "forum"],
    )
    assert code == 0
    assert records[0]["status"] == "skipped" and records[0]["reason"] == "page type: article"
    assert records[0]["page_type"] == "article" and "body" not in records[0]
    assert "1 skipped" in err and "page types: 1 article" in err
    _, err, code = stream({"text": BRIDGE}, args=["--only", "blogs"])
    assert code == 2 and "unknown page type blogs" in err


def test_with_a_time_limit_a_hung_or_crashing_capture_is_an_error_and_the_stream_goes_on(
        monkeypatch):
    from cleaner.run import work

    # the worker process is forked from this one, so it cleans with the patched function
    monkeypatch.setattr(work, "clean_capture", failing_cleaning(
        hang=lambda c: "HANG-HERE" in c.text, die=lambda c: "DIE-HERE" in c.text))
    lines = [json.dumps({"url": f"https://example.org/{n}", "text": text}) for n, text in
             enumerate([BRIDGE, BRIDGE + "\n\nHANG-HERE", LIBRARY, BRIDGE + "\n\nDIE-HERE", LIBRARY])]
    started = time.monotonic()
    records = list(clean_json_lines(lines, timeout=1))
    assert time.monotonic() - started < 60
    assert [r["status"] for r in records] == ["written", "error", "written", "error", "written"]
    assert records[1]["reason"] == "cleaning it took over 1 s (the time limit): stopped"
    assert "worker process" in records[3]["reason"]
    assert records[4]["url"] == "https://example.org/4"


def test_with_a_time_limit_clean_many_cleans_in_a_worker_process(monkeypatch):
    from cleaner.run import work

    parent, real = os.getpid(), work.clean_capture
    expected = clean_one(Capture(BRIDGE, "<item 1>")).article

    def clean_elsewhere(capture, rules, *engine):
        assert os.getpid() != parent, "cleaned in the caller's process"
        return real(capture, rules, *engine)

    monkeypatch.setattr(work, "clean_capture", clean_elsewhere)
    results = list(clean_many([BRIDGE, LIBRARY], timeout=30))
    assert [r.status for r in results] == ["written", "written"]
    assert (results[0].article.meta, results[0].article.body) == (expected.meta, expected.body)

