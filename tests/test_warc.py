"""Reading WARC files: HTML 200 responses become Captures, other records are counted as skipped."""
from __future__ import annotations

import gzip
from collections import Counter
from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner.dedup import Deduplicator
from cleaner.document import HTML
from cleaner.errors import CaptureError
from cleaner.run.stream import clean_many
from cleaner.sources.warc import is_warc, iter_warc

PAGE = (
    "<!doctype html><html><head><title>Harbour bridge reopens</title></head><body>"
    "<article><h1>Harbour bridge reopens</h1><p>The harbour bridge reopened on Monday "
    "after eight months of repairs, the city council said.</p></article></body></html>"
)
DATE = "2024-03-04T05:06:07Z"


def response(writer, url, body: bytes, status="200 OK", content_type="text/html", **headers):
    pairs = [("Content-Type", content_type)] if content_type else []
    pairs += [(k.replace("_", "-"), v) for k, v in headers.items()]
    http = StatusAndHeaders(status, pairs, protocol="HTTP/1.1")
    record = writer.create_warc_record(
        url, "response", payload=BytesIO(body), http_headers=http,
        warc_headers_dict={"WARC-Date": DATE},
    )
    writer.write_record(record)
    return record


def write_warc(path: Path, compress: bool = True) -> list[str]:
    """A small crawl: pages, an error page, an image, a redirect, a request, warcinfo."""
    ids = []
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=compress)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        request = StatusAndHeaders("GET /a HTTP/1.1", [("Host", "example.org")], is_http_request=True)
        writer.write_record(writer.create_warc_record(
            "https://example.org/a", "request", payload=BytesIO(b""), http_headers=request,
        ))
        ids.append(response(writer, "https://example.org/a", PAGE.encode()).rec_headers.get_header("WARC-Record-ID"))
        response(writer, "https://example.org/missing", b"<html>not found</html>", "404 Not Found")
        response(writer, "https://example.org/logo.png", b"\x89PNG...", content_type="image/png")
        response(writer, "https://example.org/old", b"", "301 Moved Permanently", Location="/a")
        latin = PAGE.replace("Harbour", "Café").encode("latin-1")
        ids.append(response(
            writer, "https://example.org/b", latin, content_type="text/html; charset=ISO-8859-1",
        ).rec_headers.get_header("WARC-Record-ID"))
        ids.append(response(
            writer, "https://example.org/c", gzip.compress(PAGE.replace("Monday", "Sunday").encode()),
            content_type="text/html; charset=utf-8", Content_Encoding="gzip",
        ).rec_headers.get_header("WARC-Record-ID"))
        response(writer, "https://example.org/notype", PAGE.encode(), content_type=None)
        response(writer, "https://example.org/blob", b"\x00\x01binary", content_type=None)
    return ids


@pytest.fixture(params=[True, False], ids=["warc.gz", "warc"])
def crawl(request, tmp_path) -> tuple[Path, list[str]]:
    path = tmp_path / ("crawl.warc.gz" if request.param else "crawl.warc")
    return path, write_warc(path, compress=request.param)


def test_html_200_responses_become_captures_in_file_order(crawl):
    path, ids = crawl
    captures = list(iter_warc(path))
    assert [c.url for c in captures] == [
        "https://example.org/a", "https://example.org/b", "https://example.org/c",
        "https://example.org/notype",
    ]
    assert all(c.kind == HTML and c.fetched_at == DATE for c in captures)
    assert [c.extra["warc_record_id"] for c in captures[:3]] == ids


def test_payload_is_decoded_by_declared_charset_and_content_encoding(crawl):
    path, _ = crawl
    by_url = {c.url: c for c in iter_warc(path)}
    assert by_url["https://example.org/a"].text == PAGE
    assert "Café bridge reopens" in by_url["https://example.org/b"].text
    assert "reopened on Sunday" in by_url["https://example.org/c"].text


def test_other_responses_are_counted_as_skipped_not_errors(crawl):
    path, _ = crawl
    skipped = Counter()
    list(iter_warc(path, skipped))
    assert skipped == {"status_404": 1, "status_301": 1, "not_html": 2}


def test_captures_clean_into_articles_with_the_record_url_and_date(crawl):
    path, _ = crawl
    results = list(clean_many(iter_warc(path), dedup=Deduplicator()))
    assert [r.status for r in results] == ["written", "duplicate", "written", "duplicate"]
    meta = results[0].article.meta
    assert (meta["url"], meta["fetched_at"], meta["site"]) == ("https://example.org/a", DATE, "example.org")
    assert results[0].article.body.startswith("The harbour bridge reopened on Monday")
    assert results[1].duplicate_of == "https://example.org/a"


def test_source_names_the_file_and_record_offset_so_the_record_can_be_found(crawl):
    path, _ = crawl
    from warcio.archiveiterator import ArchiveIterator

    for capture in iter_warc(path):
        name, _, offset = capture.source.rpartition("#")
        assert name == str(path)
        with path.open("rb") as stream:
            stream.seek(int(offset))
            record = next(iter(ArchiveIterator(stream)))
            assert record.rec_headers.get_header("WARC-Target-URI") == capture.url


def test_a_file_cut_short_yields_its_whole_records(tmp_path):
    whole = tmp_path / "whole.warc.gz"
    write_warc(whole)
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) // 2])
    assert [c.url for c in iter_warc(cut)] == ["https://example.org/a"]


def test_a_file_that_is_not_a_warc_is_a_capture_error_after_the_records_before_it(tmp_path):
    path = tmp_path / "mixed.warc"
    write_warc(path, compress=False)
    with path.open("ab") as out:
        out.write(b"this is no WARC record\r\n" * 4)
    seen = []
    with pytest.raises(CaptureError, match="broken WARC file"):
        for capture in iter_warc(path):
            seen.append(capture.url)
    assert len(seen) == 4


def test_a_missing_file_is_a_capture_error(tmp_path):
    with pytest.raises(CaptureError, match="cannot read"):
        list(iter_warc(tmp_path / "none.warc.gz"))


def test_warc_files_are_told_by_name():
    assert is_warc("crawl.warc.gz") and is_warc("CRAWL.WARC") and not is_warc("page.html.gz")


def test_cleaner_clean_reads_a_warc_file_into_one_manifest_line_per_page(tmp_path):
    import json

    from cleaner.run.local import run

    path = tmp_path / "crawl.warc.gz"
    write_warc(path)
    out = tmp_path / "out"
    summary = run([tmp_path], out)
    rows = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    assert len(rows) == 4  # the four HTML 200 responses; the rest is skipped, not failed
    assert all(row["source"].startswith(f"{path}#") for row in rows)
    assert not summary.failed
    assert summary.skipped == {"not_html": 2, "status_404": 1, "status_301": 1}
    written = [row for row in rows if row["status"] == "written"]
    assert written and all(row["site"] == "example.org" for row in written)
