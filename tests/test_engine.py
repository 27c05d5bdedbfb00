"""The run engine: one placer for batch, stream and crawler, sinks, locking, resuming, crashes."""
from __future__ import annotations

import json
import os
import pickle
import time
from pathlib import Path

import pytest

from cleaner.dedup import Deduplicator, StateError
from cleaner.document import Capture
from cleaner.errors import OutputError
from cleaner.pipeline import clean_capture
from cleaner.run import local as local_module
from cleaner.run import work as work_module
from cleaner.run.local import DEFAULT_STATE, run
from cleaner.run.lock import OutputLock
from cleaner.run.stream import clean_json_lines
from cleaner.sinks import records as record_sinks
from cleaner.sinks.atomic import TEMP_FOLDER
from cleaner.sinks.markdown import read_article
from tests.corpus import article, failing_cleaning, write_texts, write_warc


def manifest(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]


def test_a_stream_and_a_batch_share_one_state_file_both_ways(tmp_path):
    state = tmp_path / "state.sqlite"
    first = json.dumps({"url": "https://example.org/a", "text": article(1)})
    with Deduplicator(state) as dedup:
        [streamed] = clean_json_lines([first], dedup=dedup)
    assert streamed["status"] == "written"
    folder = tmp_path / "in"
    write_texts(folder, range(1, 3))  # story 1 again, and story 2
    out = tmp_path / "out"
    run([folder], out, state=state)
    again, new = manifest(out)
    assert again["status"] == "duplicate" and again["article"] is None
    assert again["reason"] == "duplicate of <stdin>:1, placed by an earlier run"
    assert new["status"] == "written"
    with Deduplicator(state) as dedup:
        [repeat] = clean_json_lines([json.dumps({"text": article(2)})], dedup=dedup)
    assert repeat["status"] == "duplicate" and repeat["duplicate_of"] == new["article"]


def test_records_formats_hold_one_record_per_article_with_its_front_matter(tmp_path, monkeypatch):
    monkeypatch.setattr(record_sinks, "PART_RECORDS", 3)
    folder = tmp_path / "in"
    write_texts(folder, range(7))
    (folder / "again.txt").write_text(article(3), encoding="utf-8")
    out = tmp_path / "out"
    run([folder], out, formats=("jsonl", "markdown", "parquet"))
    rows = manifest(out)
    assert [r["article"] for r in rows if r["status"] == "written"] == [
        f"jsonl/part-{n // 3:05d}.jsonl#{n % 3}" for n in range(7)
    ]
    # again.txt comes first and repeats story 3 word for word: story 3 is its duplicate
    assert rows[4]["status"] == "duplicate" and rows[4]["article"] == rows[0]["article"]
    records = [json.loads(line) for part in sorted((out / "jsonl").glob("*.jsonl"))
               for line in part.read_text().splitlines()]
    files = sorted(out.rglob("*.md"))
    assert len(records) == len(files) == 7
    by_hash = {r["sha256"]: r for r in records}
    for path in files:
        front, body = read_article(path)
        assert by_hash[front["sha256"]] == {**front, "body": body.strip("\n")}
    import pyarrow.parquet as pq

    table = pq.read_table(out / "parquet")  # the parts, read as one table
    assert table.num_rows == 7
    assert sorted(table.column("sha256").to_pylist()) == sorted(by_hash)
    assert not list((out / TEMP_FOLDER).iterdir())


def test_a_second_run_into_a_held_output_folder_is_refused(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with OutputLock(out), pytest.raises(OutputError, match="in use by another cleaner run"):
        run([tmp_path], out)


def test_temporary_files_a_killed_run_left_are_removed(tmp_path):
    out = tmp_path / "out"
    (out / TEMP_FOLDER).mkdir(parents=True)
    (out / TEMP_FOLDER / ".story.md.123.tmp").write_text("half an arti")
    write_texts(tmp_path / "in", range(2))
    run([tmp_path / "in"], out)
    assert not list((out / TEMP_FOLDER).iterdir())


def test_a_bad_state_file_is_reported_before_any_capture_is_cleaned(tmp_path, monkeypatch):
    cleaned = []
    monkeypatch.setattr(work_module, "clean_capture", lambda *a: cleaned.append(a))
    write_texts(tmp_path / "in", range(3))
    state = tmp_path / "state.sqlite"
    state.write_bytes(b"not a database at all " * 200)
    with pytest.raises(StateError):
        run([tmp_path / "in"], tmp_path / "out", state=state)
    assert cleaned == []


def test_a_rerun_cleans_none_of_the_captures_already_placed(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    write_texts(folder, range(5))
    (folder / "copy.txt").write_text(article(2), encoding="utf-8")
    out = tmp_path / "out"
    run([folder], out)
    first = (out / "manifest.jsonl").read_bytes()
    cleaned = []
    real = work_module.clean_capture
    monkeypatch.setattr(work_module, "clean_capture", lambda c, r, *engine: cleaned.append(c) or real(c, r, *engine))
    (folder / "story-00001.txt").write_text(article(101), encoding="utf-8")  # changed since
    run([folder], out)
    assert [Path(c.source).name for c in cleaned] == ["story-00001.txt"]
    rows = manifest(out)
    assert [r for r in rows if "story-00001" not in r["source"]] == [
        r for r in map(json.loads, first.decode().splitlines()) if "story-00001" not in r["source"]
    ]


def test_a_capture_that_kills_its_worker_is_an_error_line_and_the_run_goes_on(tmp_path, monkeypatch):
    # worker processes are forked from this one, so they clean with the patched function
    monkeypatch.setattr(work_module, "clean_capture",
                        failing_cleaning(hang=lambda c: False, die=lambda c: "story-00007" in c.source))
    folder = tmp_path / "in"
    write_texts(folder, range(40))
    out = tmp_path / "out"
    summary = run([folder], out, jobs=2)
    rows = manifest(out)
    assert len(rows) == 40 and summary.statuses == {"written": 39, "error": 1}
    [dead] = [r for r in rows if r["status"] == "error"]
    assert "story-00007" in dead["source"] and "worker process" in dead["reason"]
    # the article files the dead worker drafted for the captures before it are not left
    assert not list((out / TEMP_FOLDER).glob("*"))


def test_a_warc_file_of_many_records_is_cleaned_on_every_worker(tmp_path):
    # Captures read from a WARC file cross to the workers: this needs them to pickle.
    warc = tmp_path / "crawl.warc.gz"
    write_warc(warc, range(60))
    out = tmp_path / "out"
    summary = run([warc], out, jobs=2)
    assert summary.statuses == {"written": 60}
    rows = manifest(out)
    assert len({r["source"] for r in rows}) == len({r["article"] for r in rows}) == 60
    assert all(r["source"].startswith(f"{warc}#") for r in rows)


def test_a_stream_state_is_not_taken_for_an_output_folder(tmp_path):
    # cleaner stream --state s.sqlite, then cleaner clean ... --state s.sqlite: the
    # stream's articles have no file, and the batch must not look for one.
    state = tmp_path / "s.sqlite"
    lines = [json.dumps({"url": "https://example.com/a", "text": article(5)})]
    with Deduplicator(state) as dedup:
        list(clean_json_lines(lines, dedup=dedup))
    write_texts(tmp_path / "in", range(5, 6))
    summary = run([tmp_path / "in"], tmp_path / "out", state=state)
    assert summary.statuses == {"duplicate": 1}
    assert not (tmp_path / "out" / DEFAULT_STATE).exists()


def test_captures_lines_and_articles_survive_pickling():
    # what crosses to and from worker processes; compiled classes must rebuild too
    capture = Capture("Title\n\nText.", source="a.txt", url="https://x.org/a", extra={"k": 1})
    article = clean_capture(capture)
    for thing in (capture, article, *article.decisions):
        assert pickle.loads(pickle.dumps(thing)) == thing


def test_an_article_that_cannot_be_written_is_an_error_line_and_a_rerun_writes_it(tmp_path, monkeypatch):
    # files are written by threads in a batch run: a failure there must still reach the
    # manifest (for the article's every capture), the summary and the index
    from cleaner.sinks import markdown as markdown_sink

    monkeypatch.setattr(local_module, "PLACE_BATCH", 256)
    monkeypatch.setattr(local_module, "COMMIT_SECONDS", 0.0)  # a commit every PLACE_BATCH
    folder = tmp_path / "in"
    write_texts(folder, range(600))  # more than one index transaction (PLACE_BATCH)
    (folder / "zz-copy.txt").write_text(article(7), encoding="utf-8")
    real = markdown_sink.write_atomic
    doomed = clean_capture(Capture(article(7), source="x")).meta["title"]

    def full_disk(path, text, *args):
        if doomed in text:
            raise OSError(28, "No space left on device")
        return real(path, text, *args)

    monkeypatch.setattr(markdown_sink, "write_atomic", full_disk)
    out = tmp_path / "out"
    summary = run([folder], out)
    rows = {Path(r["source"]).name: r for r in manifest(out)}
    for name in ("story-00007.txt", "zz-copy.txt"):
        assert rows[name]["status"] == "error" and rows[name]["article"] is None
        assert rows[name]["reason"] == "cannot write: [Errno 28] No space left on device"
    assert summary.statuses["error"] == 2 and summary.statuses["written"] == 599
    assert len(list(out.rglob("*.md"))) == 599
    with Deduplicator(out / DEFAULT_STATE) as index:
        assert len(index) == 599
    monkeypatch.setattr(markdown_sink, "write_atomic", real)
    run([folder], out)
    rows = {Path(r["source"]).name: r for r in manifest(out)}
    assert rows["story-00007.txt"]["status"] == "written"
    assert rows["zz-copy.txt"]["status"] == "duplicate"
    assert len(list(out.rglob("*.md"))) == 600


def state_rows(state: Path) -> dict[str, list[tuple]]:
    """Every row of a state file's index tables, in order."""
    import sqlite3

    db = sqlite3.connect(state)
    try:
        return {table: sorted(db.execute(f"SELECT * FROM {table}"))
                for table in ("docs", "bands", "samples", "common_samples")}
    finally:
        db.close()


def test_the_index_is_committed_by_time_and_batch_size_and_holds_the_same(tmp_path, monkeypatch):
    # a commit writes every index page its rows touched, most pages of a large index: by
    # count alone (every 256 captures), commits grew with the index
    committed: list[int] = []
    added: list[int] = []
    real_commit, real_add = local_module._commit, Deduplicator.add_many

    def commit(waiting, *args):
        committed.append(len(waiting))
        return real_commit(waiting, *args)

    def add_many(self, entries):
        added.append(len(entries))
        return real_add(self, entries)

    monkeypatch.setattr(local_module, "_commit", commit)
    monkeypatch.setattr(Deduplicator, "add_many", add_many)
    monkeypatch.setattr(local_module, "PLACE_BATCH", 256)
    write_texts(tmp_path / "in", range(600))
    # (seconds between commits, most captures waiting, commits seen): the most is
    # checked once every PLACE_BATCH captures placed
    runs = {"one": (3600.0, 8192, [600]), "timed": (0.0, 8192, [256, 256, 88]),
            "largest": (3600.0, 500, [512, 88])}
    for name, (seconds, largest, expected) in runs.items():
        monkeypatch.setattr(local_module, "COMMIT_SECONDS", seconds)
        monkeypatch.setattr(local_module, "MAX_PLACE_BATCH", largest)
        committed.clear()
        added.clear()
        run([tmp_path / "in"], tmp_path / name)
        assert committed == expected, name
        # stories are indexed every PLACE_BATCH captures, whenever the commit comes
        assert added == [256, 256, 88], name
    # with two jobs the index is written by a process of its own, handed stories as soon as
    # it is idle (EAGER_BATCH): other batches, the same commits
    monkeypatch.setattr(local_module, "EAGER_BATCH", 64)
    monkeypatch.setattr(local_module, "MAX_PLACE_BATCH", 8192)
    committed.clear()
    run([tmp_path / "in"], tmp_path / "writer", jobs=2)
    assert committed == [600]
    # the index does not depend on where its transactions end, nor on who writes it
    first = state_rows(tmp_path / "one" / DEFAULT_STATE)
    assert len(first["docs"]) == 600
    for name in ("timed", "largest", "writer"):
        assert state_rows(tmp_path / name / DEFAULT_STATE) == first
        assert manifest(tmp_path / name) == manifest(tmp_path / "one")


@pytest.mark.parametrize("fault", ["raises", "dies"])
def test_a_failing_index_writer_fails_the_run_and_leaves_no_line_unrecorded(
        tmp_path, monkeypatch, fault):
    # the writer process is forked from this one: it adds with the patched method
    def add_many(self, entries):
        if fault == "dies":
            os._exit(1)
        raise StateError("the state", "disk full")

    write_texts(tmp_path / "in", range(40))
    out = tmp_path / "out"
    with monkeypatch.context() as patched:
        patched.setattr(Deduplicator, "add_many", add_many)
        with pytest.raises(StateError) as failed:
            run([tmp_path / "in"], out, jobs=2)
    assert ("disk full" if fault == "raises" else "writing the index died") in str(failed.value)
    assert manifest(out) == []  # no line says a capture was placed: none was recorded
    with Deduplicator(out / DEFAULT_STATE) as index:
        assert len(index) == 0
    run([tmp_path / "in"], out, jobs=2)  # the next run places them all
    assert [row["status"] for row in manifest(out)] == ["written"] * 40
    with Deduplicator(out / DEFAULT_STATE) as index:
        assert len(index) == 40


def test_a_first_run_looks_no_capture_up_in_its_new_state(tmp_path, monkeypatch):
    looked_up = []
    original = work_module.StateReader.processed

    def processed(self, source, content_hash):
        looked_up.append(source)
        return original(self, source, content_hash)

    monkeypatch.setattr(work_module.StateReader, "processed", processed)
    write_texts(tmp_path / "in", range(3))
    run([tmp_path / "in"], tmp_path / "out")
    assert looked_up == []  # a new state remembers nothing
    first = manifest(tmp_path / "out")
    run([tmp_path / "in"], tmp_path / "out")
    assert len(looked_up) == 3  # the captures the first run placed, given their lines again
    assert manifest(tmp_path / "out") == first


def test_a_capture_over_the_time_limit_is_stopped_and_the_run_goes_on(tmp_path, monkeypatch):
    # worker processes are forked from this one, so they clean with the patched function
    monkeypatch.setattr(work_module, "clean_capture",
                        failing_cleaning(hang=lambda c: "story-00007" in c.source))
    # a chunk's limit is the limit per capture times its captures: small chunks, a short wait
    monkeypatch.setattr("cleaner.run.pool.CHUNK_SIZE", 4)
    folder = tmp_path / "in"
    write_texts(folder, range(40))
    started = time.monotonic()
    summary = run([folder], tmp_path / "out", jobs=2, timeout=0.5)
    assert time.monotonic() - started < 60
    rows = manifest(tmp_path / "out")
    assert len(rows) == 40 and summary.statuses == {"written": 39, "error": 1}
    [stopped] = [r for r in rows if r["status"] == "error"]
    assert "story-00007" in stopped["source"] and "took over 0.5 s" in stopped["reason"]


def test_with_a_time_limit_one_job_cleans_in_a_worker_process(tmp_path, monkeypatch):
    parent = os.getpid()
    real = work_module.clean_capture

    def clean_and_say_where(capture, rules, *engine):
        article = real(capture, rules, *engine)
        if os.getpid() == parent:
            raise AssertionError("cleaned in the parent process")
        return article

    monkeypatch.setattr(work_module, "clean_capture", clean_and_say_where)
    write_texts(tmp_path / "in", range(3))
    summary = run([tmp_path / "in"], tmp_path / "out", jobs=1, timeout=30)
    assert summary.statuses == {"written": 3}


def test_ctrl_c_stops_a_run_whose_worker_hangs_and_leaves_no_worker(tmp_path, monkeypatch):
    import multiprocessing
    import signal

    def ctrl_c(signum, frame):
        raise KeyboardInterrupt

    # no time limit: only Ctrl-C ends the run
    monkeypatch.setattr(work_module, "clean_capture",
                        failing_cleaning(hang=lambda c: "story-00003" in c.source))
    write_texts(tmp_path / "in", range(40))
    previous = signal.signal(signal.SIGALRM, ctrl_c)
    signal.setitimer(signal.ITIMER_REAL, 1.0)
    started = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            run([tmp_path / "in"], tmp_path / "out", jobs=2)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert time.monotonic() - started < 30
    assert multiprocessing.active_children() == []
