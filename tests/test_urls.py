"""Inputs behind URLs (fsspec): walked and read as local folders and files are."""
from __future__ import annotations

import gzip
from collections import Counter
from pathlib import Path

import pytest

fsspec = pytest.importorskip("fsspec")

from cleaner.errors import CleanerError
from cleaner.sources import iter_inputs, iter_sources
from cleaner.sources.files import read_capture
from cleaner.sources.items import CaptureFile, Failed, WarcFile
from cleaner.sources.urls import filesystem, is_url
from cleaner.sources.warc import iter_warc
from tests.corpus import article, write_warc


@pytest.fixture
def memory():
    """A fresh in-memory filesystem holding a small crawl under memory://crawl."""
    fs = fsspec.filesystem("memory")
    fs.store.clear()
    fs.pseudo_dirs.clear()
    fs.pseudo_dirs.append("")
    fs.pipe_file("/crawl/b/story.txt", article(1).encode())
    fs.pipe_file("/crawl/b/story.meta.json", b'{"url": "https://example.org/s", "lang": "en"}')
    fs.pipe_file("/crawl/a/zipped.txt.gz", gzip.compress(article(2).encode()))
    fs.pipe_file("/crawl/a/notes.md", b"not a capture")
    fs.pipe_file("/crawl/page.html", b"<html><body><p>Hello</p></body></html>")
    yield fs
    fs.store.clear()


def test_a_url_folder_is_walked_in_the_order_a_local_folder_is(memory, tmp_path):
    found = list(iter_sources(["memory://crawl"]))
    assert found == [CaptureFile("memory://crawl/a/zipped.txt.gz"),
                     CaptureFile("memory://crawl/b/story.txt"),
                     CaptureFile("memory://crawl/page.html")]
    for path in ("a/zipped.txt.gz", "b/story.txt", "page.html"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(memory.cat_file(f"/crawl/{path}"))
    local = [Path(item.path).relative_to(tmp_path).as_posix()
             for item in iter_sources([tmp_path])]
    assert local == [item.path.removeprefix("memory://crawl/") for item in found]


def test_a_capture_at_a_url_is_read_with_its_sidecar_and_unzipped(memory):
    capture = read_capture("memory://crawl/b/story.txt")
    assert capture.source == "memory://crawl/b/story.txt"
    assert capture.url == "https://example.org/s" and capture.extra == {"lang": "en"}
    assert capture.text == article(1)
    assert read_capture("memory://crawl/a/zipped.txt.gz").text == article(2)
    assert read_capture("memory://crawl/page.html").kind == "html"


def test_a_missing_url_is_a_failed_input_not_a_crash(memory):
    [item] = list(iter_inputs(["memory://crawl/none.txt"], Counter()))
    assert item == CaptureFile("memory://crawl/none.txt")
    from cleaner.run.work import Work

    [outcome] = Work(None)([item])
    assert outcome.status == "error" and outcome.reason.startswith("cannot read")


def test_a_warc_file_at_a_url_is_read_record_by_record(memory, tmp_path):
    write_warc(tmp_path / "crawl.warc.gz", range(3))
    memory.pipe_file("/crawl/crawl.warc.gz", (tmp_path / "crawl.warc.gz").read_bytes())
    [warc] = [s for s in iter_sources(["memory://crawl"]) if isinstance(s, WarcFile)]
    captures = list(iter_warc(warc.path))
    local = list(iter_warc(tmp_path / "crawl.warc.gz"))
    assert [c.text for c in captures] == [c.text for c in local]
    assert [c.source.split("#")[1] for c in captures] == [c.source.split("#")[1] for c in local]
    assert captures[0].source.startswith("memory://crawl/crawl.warc.gz#")


def test_file_urls_walk_the_local_folder_with_its_links(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(article(1))
    (tmp_path / "in" / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    found = list(iter_sources([f"file://{tmp_path / 'in'}"]))
    assert found == [CaptureFile(f"file://{tmp_path / 'in' / 'a.txt'}"),
                     Failed(f"file://{tmp_path / 'in' / 'gone.txt'}",
                            "a broken symbolic link (it leads to nothing)", "skipped")]
    assert read_capture(found[0].path).text == article(1)


def test_urls_are_told_from_paths_and_unknown_protocols_named():
    assert is_url("s3://bucket/key") and is_url("file:///tmp/x")
    assert not is_url("/tmp/x") and not is_url(Path("s3://x")) and not is_url("C:\\data")
    with pytest.raises(CleanerError, match="nosuch://x"):
        filesystem("nosuch://x")
