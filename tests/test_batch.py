"""The batch run: manifest accounting, encodings, gzip, sidecars, duplicates, stable output."""
from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import pytest

from cleaner.cli import main
from cleaner.run.local import DEFAULT_STATE, run

OTHER = (
    "Library extends its opening hours\n\n"
    "The central library will open until ten in the evening from next month, its director "
    "announced, after a survey of more than two thousand readers.\n\n"
    "Students had asked for longer hours during the examination period, when every desk in "
    "the reading rooms is taken by nine in the morning.\n\n"
    "The change will cost about half a million a year, paid for by the university.\n"
)
CAFE = (
    "Café owners protest over terrace rules\n\n"
    "Owners of more than sixty cafés in the old town closed their doors for an hour on "
    "Friday in protest at new rules that halve the space allowed for terraces.\n\n"
    "The council says the pavements must stay wide enough for wheelchairs and prams.\n"
)
ARTICLE = (
    "Harbour bridge reopens after repairs\n\n"
    "The harbour bridge reopened on Monday after eight months of repairs to its steel deck, "
    "the city council said in a statement.\n\n"
    "Engineers replaced more than four hundred rivets and repainted the main span, which "
    "carries about forty thousand vehicles a day.\n\n"
    "Traffic was expected to return to normal levels by the end of the week, officials said.\n"
)


def manifest(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]


@pytest.fixture
def captures(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "sub" / "b.txt.gz").write_bytes(gzip.compress(OTHER.encode()))
    (folder / "copy.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "blank.txt").write_text(" \n\u00a0\n", encoding="utf-8")
    (folder / "broken.txt.gz").write_bytes(b"\x1f\x8b not really gzip")
    (folder / "latin.txt").write_bytes(CAFE.encode("cp1252"))
    (folder / "a.meta.json").write_text(json.dumps({"url": "https://www.example.org/news/bridge"}))
    (folder / "notes.md").write_text("not a capture")
    return folder


def test_manifest_has_one_line_per_capture_with_its_status(captures, tmp_path):
    out = tmp_path / "out"
    summary = run([captures], out)
    rows = {Path(r["source"]).name: r for r in manifest(out)}
    assert set(rows) == {"a.txt", "b.txt.gz", "copy.txt", "blank.txt", "broken.txt.gz", "latin.txt"}
    assert rows["a.txt"]["status"] == "written"
    assert rows["copy.txt"]["status"] == "duplicate"
    assert rows["copy.txt"]["article"] == rows["a.txt"]["article"]
    assert rows["b.txt.gz"]["status"] == "written"
    assert rows["blank.txt"]["status"] == "empty" and rows["blank.txt"]["article"] is None
    assert rows["broken.txt.gz"]["status"] == "error"
    assert "gzip" in rows["broken.txt.gz"]["reason"]
    assert summary.statuses == {"written": 3, "duplicate": 1, "empty": 1, "error": 1}
    for row in rows.values():
        if row["article"]:
            assert (out / row["article"]).is_file()


def test_sidecar_url_sets_site_and_url(captures, tmp_path):
    out = tmp_path / "out"
    run([captures / "a.txt"], out)
    [row] = manifest(out)
    assert row["site"] == "example.org"
    text = (out / row["article"]).read_text()
    assert "url: https://www.example.org/news/bridge" in text
    assert row["article"].startswith("example.org/")


def test_legacy_encoding_is_detected_not_mangled(captures, tmp_path):
    out = tmp_path / "out"
    run([captures / "latin.txt"], out)
    [row] = manifest(out)
    assert "café" in (out / row["article"]).read_text(encoding="utf-8")


def test_undecodable_bytes_never_crash(tmp_path):
    capture = tmp_path / "junk.txt"
    capture.write_bytes(bytes(range(0x80, 0x100)) * 20)  # no valid UTF-8, yet 8-bit "text"
    out = tmp_path / "out"
    run([capture], out)
    [row] = manifest(out)
    assert row["status"] in {"written", "empty"}


def test_binary_bytes_are_an_error_that_says_so(tmp_path):
    capture = tmp_path / "junk.txt"
    capture.write_bytes(bytes(range(256)) * 20)
    out = tmp_path / "out"
    run([capture], out)
    [row] = manifest(out)
    assert row["status"] == "error" and row["reason"] == "not text but binary data (control bytes)"


def test_same_input_gives_byte_identical_output_on_one_or_many_processes(captures, tmp_path):
    for n in range(20):  # enough captures for the worker pool to be used
        (captures / f"more{n:02d}.txt").write_text(ARTICLE.replace("eight", f"{n + 9}"))
    first, second = tmp_path / "one", tmp_path / "two"
    run([captures], first)
    run([captures], second, jobs=2)

    def files(out: Path) -> dict[str, bytes]:
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*")
                if p.is_file() and p.name != DEFAULT_STATE}

    assert files(first) == files(second)


def test_cli_exit_status_is_nonzero_only_when_a_capture_failed(captures, tmp_path):
    assert main(["clean", str(captures / "a.txt"), "-o", str(tmp_path / "ok"), "-q"]) == 0
    assert main(["clean", str(captures), "-o", str(tmp_path / "bad"), "-q"]) == 1


def test_missing_input_is_an_error_line_not_a_crash(tmp_path):
    out = tmp_path / "out"
    assert main(["clean", str(tmp_path / "nope.txt"), "-o", str(out), "-q"]) == 1
    [row] = manifest(out)
    assert row["status"] == "error" and "cannot read" in row["reason"]


def article_file(out: Path, row: dict) -> tuple[dict, str]:
    from cleaner.frontmatter import split_front_matter

    return split_front_matter((out / row["article"]).read_text(encoding="utf-8"))


def test_near_duplicates_are_written_once_the_most_complete_as_canonical(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    longer = ARTICLE + "\nA ceremony with the mayor is planned for the first weekend of next month.\n"
    (folder / "1-short.txt").write_text(ARTICLE)
    (folder / "2-long.txt").write_text(longer)
    (folder / "2-long.meta.json").write_text(json.dumps({"url": "https://example.org/bridge"}))
    (folder / "3-other.txt").write_text(OTHER)
    out = tmp_path / "out"
    run([folder], out)
    short, long_, other = manifest(out)
    assert (short["status"], long_["status"], other["status"]) == ("duplicate", "written", "written")
    assert short["article"] == long_["article"] != other["article"]
    front, body = article_file(out, long_)
    assert "ceremony with the mayor" in body
    assert front["duplicates"] == [{"source": str(folder / "1-short.txt")}]


def test_a_later_run_files_duplicates_against_earlier_articles(tmp_path):
    day1, day2 = tmp_path / "day1", tmp_path / "day2"
    day1.mkdir()
    day2.mkdir()
    (day1 / "bridge.txt").write_text(ARTICLE)
    (day2 / "bridge-again.txt").write_text(ARTICLE.replace("Monday", "Monday morning"))
    (day2 / "library.txt").write_text(OTHER)
    out = tmp_path / "out"
    run([day1], out)
    [first] = manifest(out)
    run([day2], out)
    again, library = manifest(out)
    assert again["status"] == "duplicate" and again["article"] == first["article"]
    assert library["status"] == "written"
    front, _ = article_file(out, first)
    assert front["duplicates"] == [{"source": str(day2 / "bridge-again.txt")}]


def test_rerunning_the_same_captures_writes_nothing_again(captures, tmp_path):
    out = tmp_path / "out"
    run([captures], out)
    before = manifest(out)
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*.md")}
    run([captures], out)
    assert manifest(out) == before
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.md")} == stamps


def test_no_dedup_writes_every_capture_each_under_its_own_name(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE)
    (folder / "b.txt").write_text(ARTICLE.replace("Monday", "Sunday"))  # same title and date
    out = tmp_path / "out"
    run([folder], out, dedup=False)
    rows = manifest(out)
    assert [r["status"] for r in rows] == ["written", "written"]
    assert rows[0]["article"] != rows[1]["article"]
    assert not (out / DEFAULT_STATE).exists()


@pytest.mark.parametrize("name, content, kind", [
    ("page.txt", "<!DOCTYPE html><html><body><p>Hi</p></body></html>", "html"),
    ("page.txt", "<br />\n<b>Warning</b>: in x.php\n<div>\n<p>Text</p>\n</div>", "html"),
    ("page.html", "<style>\n  p { color: red }\n  div { margin: 0 }\n", "html"),
    ("page.html", "Plain text saved under an .html name.\nSecond line.", "text"),
    ("page.txt", "Comments\nYou may use these tags: <a href=\"\"> <b> <i> <em>\nPost", "text"),
])
def test_kind_is_sniffed_from_content_with_the_name_as_tie_break(tmp_path, name, content, kind):
    from cleaner.sources.files import read_capture

    path = tmp_path / name
    path.write_text(content)
    assert read_capture(path).kind == kind


def test_a_run_stopped_while_placing_is_completed_by_the_next_without_extra_files(
    tmp_path, monkeypatch
):
    # Index entries are committed a batch of clusters at a time: a run that stops inside
    # a batch leaves article files the index does not know. The next run must place those
    # captures again into the same files, not beside them.
    from cleaner.run.placer import BatchPlacer

    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in (("a.txt", ARTICLE), ("b.txt", OTHER), ("c.txt", CAFE)):
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "a-copy.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    place_cluster = BatchPlacer.place_cluster
    placed = []

    def stop_at_third(self, root, first):
        if len(placed) == 2:
            raise KeyboardInterrupt
        placed.append(root)
        return place_cluster(self, root, first)

    monkeypatch.setattr(BatchPlacer, "place_cluster", stop_at_third)
    with pytest.raises(KeyboardInterrupt):
        run([folder], out)
    assert len(list(out.rglob("*.md"))) == 2  # written, but not committed to the index
    monkeypatch.undo()
    run([folder], out)
    rows = manifest(out)
    assert sorted(r["status"] for r in rows) == ["duplicate", "written", "written", "written"]
    assert len({r["article"] for r in rows}) == 3
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.md")) == sorted(
        {r["article"] for r in rows}
    )


def test_a_state_with_its_own_index_layout_still_finds_the_runs_duplicates(tmp_path):
    from cleaner.dedup import Deduplicator

    state = tmp_path / "state.sqlite"
    Deduplicator(state, bands=16, shingle=4).close()  # not the default layout
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "b.txt").write_text(ARTICLE.replace("Monday", "Monday morning"), encoding="utf-8")
    (folder / "c.txt").write_text(OTHER, encoding="utf-8")
    out = tmp_path / "out"
    run([folder], out, state=state)
    a, b, c = manifest(out)
    assert {a["status"], b["status"]} == {"written", "duplicate"} and a["article"] == b["article"]
    assert c["status"] == "written"


def files_of(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*")
            if p.is_file() and p.name not in (DEFAULT_STATE, ".cleaner.lock", "summary.json")}


@pytest.fixture
def stories(captures: Path) -> Path:
    """Single-capture stories, exact and near duplicates, enough for the worker pool."""
    longer = ARTICLE + "\nA ceremony with the mayor is planned for the first weekend of next month.\n"
    (captures / "long.txt").write_text(longer)
    (captures / "long.meta.json").write_text(json.dumps({"url": "https://example.org/bridge"}))
    words = (OTHER + ARTICLE + CAFE).lower().replace(".", "").split()
    for n in range(20):  # stories of their own: the same words, in other orders
        order = random.Random(n).sample(words, len(words))
        paragraphs = [" ".join(order[i : i + 30]).capitalize() + "." for i in range(0, 150, 30)]
        (captures / f"more{n:02d}.txt").write_text(f"Story {n}\n\n" + "\n\n".join(paragraphs))
    return captures


@pytest.mark.parametrize("jobs", [1, 2])
def test_drafted_article_files_are_those_the_placer_would_write(stories, tmp_path, monkeypatch,
                                                                 jobs):
    from cleaner.sinks import Sinks
    from cleaner.sinks.atomic import TEMP_FOLDER

    drafted, written = tmp_path / "drafted", tmp_path / "written"
    run([stories], drafted, jobs=jobs)
    monkeypatch.setattr(Sinks, "article_files", property(lambda self: False))
    run([stories], written, jobs=jobs)
    statuses = [row["status"] for row in manifest(drafted)]
    assert statuses.count("duplicate") >= 2 and statuses.count("written") >= 20
    assert files_of(drafted) == files_of(written)
    assert not any((drafted / TEMP_FOLDER).iterdir())  # every draft placed or removed


def test_a_draft_that_cannot_be_written_leaves_the_article_to_the_placer(stories, tmp_path,
                                                                          monkeypatch):
    import cleaner.run.work

    def refuse(path, meta, body):
        raise OSError(28, "No space left on device")

    run([stories], tmp_path / "drafted")
    monkeypatch.setattr(cleaner.run.work, "write_draft", refuse)
    run([stories], tmp_path / "placed")
    assert files_of(tmp_path / "drafted") == files_of(tmp_path / "placed")


def test_a_capture_file_is_read_whole_whatever_its_size_said(tmp_path):
    from io import BytesIO

    from cleaner.errors import CaptureError
    from cleaner.sources.files import read_up_to

    data = b"x" * 100
    for said in (0, 10, 99, 100, 101, 5000):  # a file that grew or shrank since its stat
        assert read_up_to(BytesIO(data), 1000, "a.txt", "bytes", said) == data
        with pytest.raises(CaptureError, match="more than 50 bytes"):
            read_up_to(BytesIO(data), 50, "a.txt", "bytes", said)
