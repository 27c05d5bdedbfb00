"""The pieces that keep output safe: text policy, checked values, paths, decoding, discovery."""
from __future__ import annotations

import datetime as dt
import gzip
import inspect
import os
import sys
from pathlib import Path

import pytest

from cleaner import CaptureError, CaptureTypeError, clean
from cleaner.errors import UnsafePathError
from cleaner.frontmatter import split_front_matter
from cleaner.sinks.jsonl import json_line
from cleaner.sinks.paths import article_path, date_part, inside, site_part
from cleaner.sources.files import (
    content_capture,
    decode,
    find_captures,
    read_capture,
    source_name,
    utf16_codec,
    walk_inputs,
)
from cleaner.sources.items import Failed
from cleaner.sources.records import bounded_lines, parse_record
from cleaner.text.dates import normalise_date
from cleaner.text.lines import normalise, repaired
from cleaner.text.safety import repair_mojibake, safe_text, safe_value
from cleaner.text.values import site_name, web_url

SENTENCE = "The harbour bridge reopened on Monday after eight months of repairs, the council said."


@pytest.mark.parametrize(("raw", "safe"), [
    ("plain text", "plain text"),
    ("a\x00b", "ab"),
    ("lone \ud800 surrogate", "lone \ufffd surrogate"),
    ("pair \ud83d\ude00", "pair \U0001F600"),
    ("red \x1b[31mtext\x1b[0m", "red text"),
    ("form\x0cfeed\x0bvt\x85nel", "form\nfeed\nvt\nnel"),
    ("c1 \x9b and del \x7f", "c1  and del "),
    ("tab\tand\nnewline\r", "tab\tand\nnewline\r"),
])
def test_safe_text_policy(raw, safe):
    assert safe_text(raw) == safe
    assert safe_text(safe) == safe


def test_safe_value_walks_records_and_makes_json_safe():
    value = {"a\ud800": ["\x00x", 1, 2.5, float("nan"), None, True, dt.date(2024, 1, 2)]}
    assert safe_value(value) == {"a\ufffd": ["x", 1, 2.5, "nan", None, True, "2024-01-02"]}
    assert json_line({"x": float("inf"), "y": "\ud800"}) == '{"x": "inf", "y": "\ufffd"}'


def test_lines_are_made_safe_where_they_are_normalised():
    assert normalise("  a \x00 b\x1b[1m  c ") == "a b c"
    assert normalise("\ud800") == "\ufffd"


def test_mojibake_is_repaired_and_clean_text_left_alone():
    assert repair_mojibake("CafÃ© au lait\nDonâ€™t\n") == "Café au lait\nDon’t\n"
    text = "Café, naïve, São Paulo, Ñandú, Zürich — “quoted”\n"
    assert repair_mojibake(text) is text
    assert repaired("VerÃ¶ffentlichung  prÃ¼fen") == "Veröffentlichung prüfen"


@pytest.mark.parametrize(("url", "kept"), [
    ("https://example.com/a", True), ("HTTP://Example.com", True),
    ("javascript:alert(1)", False), ("file:///etc/passwd", False), ("data:text/html,x", False),
    ("//example.com/a", False), ("/relative", False), ("http://[::1", False), (5, False),
])
def test_only_http_urls_are_kept(url, kept):
    assert (web_url(url) is not None) == kept


@pytest.mark.parametrize(("site", "kept"), [
    ("example.com", True), ("The Japan News", True), ("../../etc", False), ("..", False),
    ("a/b", False), ("a\\b", False), ("", False), ("x" * 300, False), (["x"], False),
])
def test_site_names(site, kept):
    assert (site_name(site) is not None) == kept


@pytest.mark.parametrize(("value", "date"), [
    ("2022-02-26T15:47:00+09:00", "2022-02-26T15:47:00+09:00"),
    ("2022-02-26", "2022-02-26"),
    ("26 February 2022", "2022-02-26"),
    (dt.date(2022, 2, 26), "2022-02-26"),
    ("/tmp/elsewhere/x", None), ("../../..", None), (20220226.0, None), ("2022" * 100, None),
])
def test_dates_stated_as_values(value, date):
    assert normalise_date(value) == date
    if date:
        assert normalise_date(date) == date


def test_path_parts_are_sanitised_and_checked(tmp_path):
    assert date_part("/tmp/elsewhere/x") == "undated" and date_part("../../..") == "undated"
    assert date_part("2022-02-26T15:47:00") == "2022-02-26"
    assert site_part("../../etc") == "etc" and site_part("..") == "unknown-site"
    assert site_part("x" * 500) == "x" * 200
    path = article_path({"site": "/etc", "published": "../../x", "title": "../../t",
                         "sha256": "ab/../cd"}, "../../s.txt")
    assert path == Path("etc/undated-t.md")
    assert inside(tmp_path, path) == Path(os.path.realpath(tmp_path)) / path


def test_a_symlink_inside_out_cannot_lead_outside(tmp_path):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "example.com").symlink_to(elsewhere)
    with pytest.raises(UnsafePathError, match="outside"):
        inside(out, Path("example.com/2024-01-01-x.md"))
    with pytest.raises(OSError):  # what every writer's caller catches
        inside(out, Path("../x.md"))


def test_front_matter_values_are_checked_with_warnings():
    article = clean("---\ntitle: X\npublished: \"/tmp/elsewhere/x\"\nsite: ../../etc\n"
                    "url: javascript:alert(1)\nauthors: [Ann, 5, [x]]\nlanguage: '../'\n---\n"
                    + SENTENCE)
    assert article.meta["published"] is None and article.meta["site"] is None
    assert "url" not in article.meta and article.meta["language"] != "../"
    assert article.meta["authors"] == ["Ann", "5"]
    assert "published not kept: '/tmp/elsewhere/x' is not a date" in article.warnings


def test_front_matter_that_is_too_long_or_too_deep_is_not_read():
    deep = "---\na: " + "[" * 100_000 + "\n---\nbody"
    assert split_front_matter(deep)[0] is None
    huge = "---\ntitle: " + "x" * (2 << 20) + "\n---\nbody"
    assert split_front_matter(huge)[0] is None
    assert split_front_matter(huge, max_chars=None)[0] is not None


def test_clean_refuses_what_is_not_text():
    with pytest.raises(CaptureTypeError, match="not NoneType"):
        clean(None)
    with pytest.raises(TypeError):
        clean("text", url=5)
    with pytest.raises(CaptureError, match="a PDF document"):
        clean(b"%PDF-1.7\n...")
    with pytest.raises(CaptureError, match="too large"):
        clean("x" * 100, max_bytes=99)
    assert clean("\u00e9" * 30, max_bytes=60) is not None  # 60 bytes in UTF-8: not over
    with pytest.raises(CaptureError, match="too large"):
        content_capture("\u00e9" * 31, "x", max_bytes=61)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", [SENTENCE, "Киев — столица Украины, пишет газета. " * 5,
                                  "<html><body><p>日本語のテキストです。</p></body></html>"])
def test_utf16_without_a_bom_is_detected(codec, text):
    data = text.encode(codec)
    assert utf16_codec(data) == codec
    assert decode(data) == text


def test_8bit_and_utf8_text_is_not_taken_for_utf16():
    for data in (SENTENCE.encode(), SENTENCE.encode("cp1252"), "Киев".encode("koi8-r") * 20, b""):
        assert utf16_codec(data) is None


def test_declared_charsets_that_name_nothing_are_ignored():
    assert decode("café".encode(), declared="utf-8\x00") == "café"
    assert decode("café".encode(), declared="no-such-charset") == "café"
    assert decode(b"\x93quoted\x94", declared="iso-8859-1") == "“quoted”"  # as browsers read it


def test_size_limits_are_checked_before_reading(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as out:
        out.truncate(50 * 1024 * 1024)  # sparse: reading it would take 50 MB
    with pytest.raises(CaptureError, match="52,428,800 bytes, over the limit"):
        read_capture(big, max_bytes=1024)
    small = tmp_path / "small.txt.gz"
    small.write_bytes(gzip.compress(b"x" * 2048))
    with pytest.raises(CaptureError, match="more than 1,024 bytes once inflated"):
        read_capture(small, max_bytes=1024)
    assert read_capture(small, max_bytes=2048).text == "x" * 2048
    assert read_capture(small, max_bytes=None).text == "x" * 2048


def test_stream_lines_over_the_limit_are_cut_and_refused(tmp_path):
    data = tmp_path / "lines"
    data.write_bytes(b'{"text": "short"}\n' + b'{"text": "' + b"x" * 5000 + b'"}\n' + b'{"text": "next"}\n')
    with data.open("rb") as stream:
        lines = list(bounded_lines(stream, 100))
    assert [len(line) for line in lines] == [18, 101, 17]
    assert parse_record(lines[0], "s", 100) == {"text": "short"}
    with pytest.raises(CaptureError, match="a line of more than 100 bytes"):
        parse_record(lines[1], "s", 100)
    assert parse_record(lines[2], "s", 100) == {"text": "next"}
    with pytest.raises(CaptureError, match="nested too deeply"):
        parse_record("[" * 100_000, "s", None)


def test_discovery_keeps_its_order_and_finds_every_path(tmp_path):
    root = tmp_path / "in"
    for name in ("b.txt", "a/z.txt", "a/b/c.html", "c.warc", "notes.md", "d.txt.gz"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x")
    (root / "a" / "up").symlink_to("..")
    (root / "loop1.txt").symlink_to("loop2.txt")
    (root / "loop2.txt").symlink_to("loop1.txt")
    os.mkfifo(root / "pipe.html")
    found = {}
    for item in walk_inputs([root], also=lambda p: p.suffix == ".warc"):
        if isinstance(item, Failed):
            found[Path(item.source).relative_to(root).as_posix()] = (item.status, item.reason)
        else:
            found[item.relative_to(root).as_posix()] = "read"
    assert list(found) == ["a/b/c.html", "a/up", "a/z.txt", "b.txt", "c.warc", "d.txt.gz",
                           "loop1.txt", "loop2.txt", "pipe.html"]
    assert found["a/up"][0] == "skipped" and "folder walked already" in found["a/up"][1]
    assert found["loop1.txt"][0] == "skipped" and "loop of symbolic links" in found["loop1.txt"][1]
    assert found["pipe.html"] == "read"
    with pytest.raises(CaptureError) as err:
        read_capture(root / "pipe.html")
    assert err.value.problem == "not a regular file but a named pipe"


def test_discovery_of_a_deep_tree_needs_no_recursion(tmp_path):
    # a tree deeper than the frames left to the search: a recursive walk would fail
    folder = tmp_path
    for _ in range(150):
        folder = folder / "d"
    folder.mkdir(parents=True)
    (folder / "deep.txt").write_text("x")
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack(0)) + 60)
    try:
        found = list(find_captures([tmp_path]))
    finally:
        sys.setrecursionlimit(limit)
    assert found == [folder / "deep.txt"]


def test_file_names_that_are_not_utf8_are_named_with_escapes(tmp_path):
    name = os.fsdecode(b"caf\xe9.txt")
    assert source_name(tmp_path / name) == f"{tmp_path}/caf\\xe9.txt"
    assert source_name("plain/ü.txt") == "plain/ü.txt"
