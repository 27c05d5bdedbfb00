"""Deduplication: exact, near and contained bodies, distinct articles kept apart, the
SQLite state across instances, resume bookkeeping, and refusing unusable state files."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cleaner.dedup import (
    DEFAULT_THRESHOLD,
    Deduplicator,
    DuplicateKeyError,
    Match,
    StateError,
    cluster,
)
from cleaner.dedup.store import COMMON, STATE_FORMAT
from cleaner.document import Article
from cleaner.pipeline import clean_capture
from cleaner.sources.files import read_capture

from .conftest import FIXTURES, SEEDS

ARTICLE = """Harbour bridge reopens after eight months of repairs

The harbour bridge reopened on Monday after eight months of repairs to its steel deck, the \
city council said in a statement released shortly before the first cars crossed.

Engineers replaced more than four hundred rivets, resurfaced both carriageways and repainted \
the main span, which carries about forty thousand vehicles a day between the old town and the \
northern suburbs.

The works ran three weeks over schedule because of a shortage of specialised steel, but stayed \
within the budget of twelve million euros approved by the council last spring.

Traffic was expected to return to normal levels by the end of the week, officials said, while \
the ferry service added during the closure will keep running until the end of the month.

Local shop owners, who had complained of falling trade while the bridge was closed, welcomed \
the reopening and said they hoped customers from the suburbs would come back quickly."""

OTHER = """Library extends opening hours for the exam season

The central library will stay open until midnight from next week to give students more room \
to prepare for their exams, the university announced on Tuesday.

The reading rooms on the second and third floors will be reserved for silent study, and the \
café on the ground floor will serve hot meals until ten in the evening.

Extra staff have been hired for the late shifts, paid from a fund set up by former students, \
and security guards will patrol the building and the bicycle park after dark."""


def edited(text: str, every: int) -> str:
    """`text` with every `every`-th word replaced."""
    words = text.split(" ")
    return " ".join("changed" if i % every == every - 1 else w for i, w in enumerate(words))


def seed_text(prefix: str) -> Path:
    for folder in (FIXTURES, SEEDS):
        found = sorted(folder.rglob(f"{prefix}_*.txt")) if folder.is_dir() else []
        if found:
            return found[0]
    pytest.skip(f"seed capture {prefix}_*.txt not found")


def test_same_words_in_other_case_spacing_and_punctuation_are_exact_duplicates():
    dedup = Deduplicator()
    assert dedup.seen(ARTICLE, "first") is None
    variant = ARTICLE.upper().replace(",", " ,").replace("\n\n", "\n \n").replace(".", "!")
    assert dedup.seen(variant, "second") == Match("first", "exact", 1.0, 1.0)
    assert "second" not in dedup and len(dedup) == 1


def test_a_lightly_edited_copy_is_a_near_duplicate_of_the_original():
    dedup = Deduplicator()
    dedup.seen(OTHER, "other")
    dedup.seen(ARTICLE, "original")
    match = dedup.seen(edited(ARTICLE, 40), "copy")
    assert match is not None and match.key == "original" and match.kind == "near"
    assert DEFAULT_THRESHOLD <= match.similarity < 1.0


def test_a_heavily_edited_copy_is_not_a_duplicate():
    dedup = Deduplicator()
    dedup.seen(ARTICLE, "original")
    assert dedup.seen(edited(ARTICLE, 3), "rewrite") is None


def test_two_outlets_reporting_one_meeting_are_not_merged():
    raw = [read_capture(seed_text(prefix)) for prefix in ("000", "001")]
    dedup = Deduplicator()
    for capture in raw:
        assert dedup.seen(capture.text, capture.source) is None
    for capture in raw:
        article = clean_capture(capture)
        assert dedup.find(article).key == capture.source  # each matches only itself
    assert len(cluster((c.source, clean_capture(c)) for c in raw)) == 2


def test_a_truncated_recrawl_is_contained_and_the_full_text_contains_its_teaser():
    head = ARTICLE[: len(ARTICLE) * 2 // 3]
    dedup = Deduplicator()
    dedup.seen(ARTICLE, "full")
    match = dedup.seen(head, "truncated")
    assert match is not None and (match.key, match.kind) == ("full", "contained")
    assert match.similarity < DEFAULT_THRESHOLD <= match.containment

    teaser_first = Deduplicator()
    teaser_first.seen(head, "teaser")
    assert teaser_first.seen(ARTICLE, "full").kind == "contains"


def test_a_teaser_a_quarter_as_long_as_the_full_text_is_found_through_samples():
    full = ARTICLE + "\n\n" + OTHER.split("\n\n", 1)[1]
    teaser = "\n\n".join(ARTICLE.split("\n\n")[:3])
    dedup = Deduplicator()
    dedup.seen(full, "full")
    assert not set(dedup.sketch(teaser).bands) & set(dedup.sketch(full).bands)  # LSH misses it
    match = dedup.seen(teaser, "teaser")
    assert match is not None and (match.key, match.kind) == ("full", "contained")


def test_a_short_snippet_is_never_judged_contained():
    dedup = Deduplicator()
    dedup.seen(ARTICLE, "full")
    assert dedup.seen("The harbour bridge reopened on Monday", "snippet") is None


def test_find_registers_nothing_and_add_registers_whatever_matches():
    dedup = Deduplicator()
    assert dedup.find(ARTICLE) is None
    assert dedup.find(ARTICLE) is None
    dedup.add(ARTICLE, "a")
    dedup.add(ARTICLE, "b")
    assert [m.key for m in dedup.matches(ARTICLE)] == ["a", "b"]
    with pytest.raises(DuplicateKeyError):
        dedup.add(OTHER, "a")


def test_empty_bodies_never_match_and_are_not_registered():
    dedup = Deduplicator()
    assert dedup.seen("", "empty") is None
    assert dedup.seen(" -- !! ", "punctuation") is None
    assert len(dedup) == 0


def test_seen_many_gives_what_seen_gives_one_by_one():
    items = [ARTICLE, OTHER, edited(ARTICLE, 40), "", ARTICLE.lower(), edited(OTHER, 3)]
    keys = [str(i) for i in range(len(items))]
    one_by_one = Deduplicator()
    assert Deduplicator().seen_many(items, keys) == [one_by_one.seen(i, k) for i, k in zip(items, keys)]


def test_cluster_groups_duplicates_in_input_order():
    items = [("a", ARTICLE), ("b", OTHER), ("c", edited(ARTICLE, 40)), ("d", OTHER.upper())]
    assert cluster(items) == [["a", "c"], ["b", "d"]]


FINGERPRINT_SCRIPT = """
import sys
from cleaner.dedup import Deduplicator
sk = Deduplicator().sketch(sys.stdin.read())
print(sk.exact, sk.shingles, sk.signature.tobytes().hex(), sk.bands, sk.samples)
"""


def test_fingerprints_are_identical_across_processes_and_hash_seeds():
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", FINGERPRINT_SCRIPT], input=ARTICLE, env=env,
            capture_output=True, text=True, check=True,
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1


def test_fingerprints_match_the_recorded_ones():
    # States on disk hold these values: changing them needs a new STATE_FORMAT.
    sk = Deduplicator().sketch("The quick brown fox jumps over the lazy dog, again.")
    assert sk.exact == "f1fff772244c79a12f99715381eac290d76048fe8108e1226872f4cf6bb4d8ea"
    assert sk.signature[:4].tolist() == [2913214570, 3269261930, 4053552372, 135878508]
    assert sk.bands[0] == 5892781580648315146


def test_a_state_file_is_shared_by_two_instances_one_after_the_other(tmp_path: Path):
    state = tmp_path / "dedup.sqlite"
    article = Article(
        body=ARTICLE, meta={"url": "https://example.com/bridge", "title": "Bridge"}, decisions=(),
        source="in/bridge.txt",
    )
    first = Deduplicator(state)
    assert first.seen(article, "2023/bridge", payload={"path": "out/bridge.md"}) is None
    first.seen(OTHER, "2023/library")
    first.close()

    second = Deduplicator(state, threshold=0.9)
    match = second.seen(edited(ARTICLE, 40), "2024/bridge")
    assert match is not None and match.key == "2023/bridge"
    assert second.payload("2023/bridge") == {
        "url": "https://example.com/bridge", "title": "Bridge", "source": "in/bridge.txt",
        "path": "out/bridge.md",
    }
    assert len(second) == 2 and "2024/bridge" not in second
    second.close()


def test_two_open_instances_see_each_others_writes(tmp_path: Path):
    state = tmp_path / "dedup.sqlite"
    one, two = Deduplicator(state), Deduplicator(state)
    assert one.seen(ARTICLE, "a") is None
    assert two.seen(ARTICLE.lower(), "b").key == "a"
    one.close()
    two.close()


def test_processed_captures_are_remembered_for_resuming(tmp_path: Path):
    state = tmp_path / "dedup.sqlite"
    first = Deduplicator(state)
    row = {"source": "in/a.txt", "status": "written", "article": "x/a.md"}
    assert first.processed("in/a.txt", "h1") is None
    first.mark_processed("in/a.txt", "h1", row)
    assert first.processed("in/a.txt", "h1") == row
    first.close()
    second = Deduplicator(state)
    assert second.processed("in/a.txt", "h1") == row
    assert not second.processed("in/a.txt", "h2")  # the capture changed since
    assert not second.processed("in/b.txt", "h1")
    second.close()


def test_a_state_of_the_first_format_is_upgraded_and_its_captures_placed_again(tmp_path: Path):
    state = tmp_path / "dedup.sqlite"
    Deduplicator(state).close()
    with sqlite3.connect(state) as db:  # as format 1 made it: processed lines without a row
        db.execute("DROP TABLE processed")
        db.execute("CREATE TABLE processed (source TEXT NOT NULL, content_hash TEXT NOT NULL,"
                   " at TEXT NOT NULL, PRIMARY KEY (source, content_hash)) WITHOUT ROWID")
        db.execute("INSERT INTO processed VALUES ('in/a.txt', 'h1', '2026-01-01')")
        db.execute("UPDATE meta SET value = '1' WHERE name = 'format'")
    dedup = Deduplicator(state)
    assert dedup.processed("in/a.txt", "h1") is None
    dedup.mark_processed("in/b.txt", "h2", {"status": "written"})
    assert dedup.processed("in/b.txt", "h2") == {"status": "written"}
    dedup.close()
    with sqlite3.connect(state) as db:
        assert db.execute("SELECT value FROM meta WHERE name = 'format'").fetchone() == (str(STATE_FORMAT),)


def test_a_failed_transaction_writes_nothing(tmp_path: Path):
    state = tmp_path / "dedup.sqlite"
    dedup = Deduplicator(state)
    with pytest.raises(RuntimeError), dedup.transaction():
        dedup.seen(ARTICLE, "a")
        dedup.mark_processed("in/a.txt", "h1", {"status": "written"})
        raise RuntimeError("crash before the article was written")
    assert len(dedup) == 0 and not dedup.processed("in/a.txt", "h1")
    with dedup.transaction():
        dedup.add(ARTICLE, "a")
        with pytest.raises(DuplicateKeyError):
            dedup.add(OTHER, "a")  # undone alone: the batch goes on
        dedup.add(OTHER, "b")
    assert len(dedup) == 2
    dedup.close()


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path):
    state = tmp_path / "dedup.sqlite"
    state.write_bytes(b"this is not an SQLite file, just some bytes " * 100)
    with pytest.raises(StateError, match="not a readable dedup state"):
        Deduplicator(state)


def test_a_damaged_state_file_gives_a_state_error_not_an_sqlite_one(tmp_path: Path):
    state = tmp_path / "dedup.sqlite"
    dedup = Deduplicator(state)
    with dedup.transaction():
        for i in range(300):
            dedup.add(f"{ARTICLE} {i} {OTHER}", str(i))
    dedup.close()
    data = bytearray(state.read_bytes())
    data[len(data) // 4 :] = b"\xff" * (len(data) - len(data) // 4)  # the header page survives
    state.write_bytes(bytes(data))
    reopened = Deduplicator(state)  # the damage shows only when pages are read
    with pytest.raises(StateError, match="dedup.sqlite"):
        reopened.seen(OTHER + " again", "new")


def test_another_programs_database_is_refused(tmp_path: Path):
    state = tmp_path / "other.sqlite"
    with sqlite3.connect(state) as db:
        db.execute("CREATE TABLE meta (name TEXT, value TEXT)")
        db.execute("INSERT INTO meta VALUES ('app', 'something-else')")
    with pytest.raises(StateError, match="not a cleaner dedup state"):
        Deduplicator(state)


def test_a_state_from_a_newer_format_is_refused_with_a_clear_error(tmp_path: Path):
    state = tmp_path / "dedup.sqlite"
    Deduplicator(state).close()
    with sqlite3.connect(state) as db:
        db.execute("UPDATE meta SET value = ? WHERE name = 'format'", (str(STATE_FORMAT + 1),))
    with pytest.raises(StateError, match="newer cleaner"):
        Deduplicator(state)


def test_a_state_built_with_other_index_parameters_is_refused(tmp_path: Path):
    state = tmp_path / "dedup.sqlite"
    Deduplicator(state, bands=16).close()
    with pytest.raises(StateError, match="index built with"):
        Deduplicator(state, bands=32)
    reopened = Deduplicator(state)  # the state's own parameters are used
    assert reopened.layout.bands == 16
    reopened.close()


def test_memory_and_sqlite_states_give_the_same_answers(tmp_path: Path, monkeypatch):
    monkeypatch.setattr("cleaner.dedup.store.MAX_SAMPLE_DOCS", 2)  # make samples common fast
    monkeypatch.setattr("cleaner.dedup.store.PAIR_CHUNK", 7)  # rows made in many slices
    shared = ARTICLE.split("\n\n")[2]
    paragraphs = OTHER.split("\n\n")
    items = [ARTICLE, OTHER, edited(ARTICLE, 40), "\n\n".join(ARTICLE.split("\n\n")[:3])]
    items += [f"{p}\n\n{shared}\n\n{OTHER}" for p in paragraphs] + [shared + "\n\n" + paragraphs[1]]
    memory = Deduplicator()
    on_disk = Deduplicator(tmp_path / "dedup.sqlite")
    answers = []
    for key, item in enumerate(items):
        answers.append(memory.matches(item))
        assert on_disk.matches(item) == answers[-1]
        memory.add(item, str(key))
        on_disk.add(item, str(key))
    assert COMMON in memory.store.samples.values()  # some samples did become common
    assert any(answers) and not all(answers)
    on_disk.close()


def test_deduplicator_closes_its_state_at_the_end_of_a_with_block(tmp_path):
    with Deduplicator(tmp_path / "state.sqlite") as dedup:
        assert dedup.seen("one two three four five six seven eight nine ten", "a") is None
    with pytest.raises(StateError, match="closed"):
        dedup.find("one two three four five six seven eight nine ten")


def test_many_registered_at_once_index_as_one_by_one(tmp_path: Path, monkeypatch):
    monkeypatch.setattr("cleaner.dedup.store.MAX_SAMPLE_DOCS", 2)  # make samples common fast
    monkeypatch.setattr("cleaner.dedup.store.PAIR_CHUNK", 7)  # rows made in many slices
    shared = ARTICLE.split("\n\n")[2]
    items = [ARTICLE, OTHER, edited(ARTICLE, 40)] + [
        f"{p}\n\n{shared}\n\n{OTHER}" for p in OTHER.split("\n\n")]
    one, many = Deduplicator(tmp_path / "one.sqlite"), Deduplicator(tmp_path / "many.sqlite")
    for key, item in enumerate(items[:2]):  # some documents before, in both
        one.add(item, str(key))
        many.add(item, str(key))
    for key, item in enumerate(items[2:], 2):
        one.add(item, str(key), {"n": key})
    many.add_many([(str(key), many.sketch(item), {"n": key}) for key, item in enumerate(items[2:], 2)])
    tables = ("docs", "bands", "samples", "common_samples")
    dump = lambda d: {t: sorted(d.store.db.execute(f"SELECT * FROM {t}").fetchall()) for t in tables}
    assert dump(one) == dump(many) and dump(many)["common_samples"]
    one.close()
    many.close()


def test_index_rows_come_sorted_slice_after_slice(monkeypatch):
    from cleaner.dedup import store

    monkeypatch.setattr(store, "PAIR_CHUNK", 5)
    rng = np.random.default_rng(7)
    keys, docs = rng.integers(-50, 50, 23), rng.integers(0, 4, 23)
    assert list(store.sorted_pairs(keys, docs)) == sorted(zip(keys.tolist(), docs.tolist()))


def test_a_mark_leaves_out_what_was_registered_after_it():
    dedup = Deduplicator()
    dedup.add(ARTICLE, "old")
    mark = dedup.mark()
    dedup.add(OTHER, "new")
    assert dedup.find(edited(ARTICLE, 40), before=mark).key == "old"
    assert dedup.find(OTHER, before=mark) is None and dedup.find(OTHER).key == "new"


def test_candidate_pairs_merged_in_batches_are_the_distinct_pairs_with_their_counts():
    from cleaner.dedup.clusters import PAIR_CHUNK, _Merged

    rng = np.random.default_rng(3)
    slices = [rng.integers(0, 5 * PAIR_CHUNK, size) for size in rng.integers(0, PAIR_CHUNK, 40)]
    merged = _Merged()
    for part in slices:
        merged.add(part)
    pairs, counts = merged.result()
    expected, expected_counts = np.unique(np.concatenate(slices), return_counts=True)
    assert np.array_equal(pairs, expected) and np.array_equal(counts, expected_counts)


def test_samples_held_by_more_than_the_cap_are_left_out_of_a_runs_clustering(monkeypatch):
    from cleaner.dedup import clusters

    monkeypatch.setattr(clusters, "MAX_SAMPLE_DOCS", 3)
    dedup = Deduplicator()
    run = clusters.RunSketches(dedup.layout)
    stock = "The council met on Monday to discuss the budget for the coming year."
    for n in range(12):  # a stock sentence in every body: its samples are common
        run.add(dedup.sketch(f"{stock} Story {n} " + " ".join(f"w{n}x{k}" for k in range(300))))
    monkeypatch.setattr(clusters, "SAMPLES_PER_PART", 64)  # several parts
    live = np.arange(1, run.count)  # body 0 is left out (as an exact copy is): its samples count for nothing
    found = [pair for values, owners in clusters._sample_parts(run, live)
             for pair in zip(values.tolist(), owners.tolist())]
    every = np.concatenate([run.samples(d) for d in live])
    unique, counts = np.unique(every, return_counts=True)
    common = set(unique[counts > 3].tolist())
    assert common  # the test makes some
    expected = [(int(s), d) for d in live for s in run.samples(d) if int(s) not in common]
    assert sorted(found) == sorted(expected)
