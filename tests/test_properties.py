"""Property and fuzz tests (hypothesis): random and mutated captures never break cleaning.

For any text, bytes, HTML, sidecar or stream line: `clean()`, `clean_many()`, a run and the
command line never raise (but for the errors they document), what they write is valid
UTF-8 without control characters, front matter parses, paths stay inside OUT, and
cleaning an article again changes nothing. The number of examples is bounded by the
profile in conftest.py (HYPOTHESIS_PROFILE=fuzz for a longer search).
"""
from __future__ import annotations

import json
import os
import random
from pathlib import Path

import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from cleaner import Capture, CaptureError, clean, clean_many
from cleaner.cli import main
from cleaner.dedup import Deduplicator
from cleaner.frontmatter import render_article
from cleaner.run.stream import clean_json_lines
from cleaner.sinks.jsonl import json_line
from cleaner.sinks.paths import article_path, inside
from cleaner.sources.files import read_capture

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = sorted((ROOT / "fixtures").rglob("*.txt")) + sorted((ROOT / "tests" / "data").rglob("*.txt"))
CONTROL = {chr(c) for c in [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]}
SURROGATES = {chr(c) for c in range(0xD800, 0xE000)}
STORY = ("Harbour bridge reopens\n\nThe harbour bridge reopened on Monday after eight months "
         "of repairs, the council said.\nTraffic was light in the morning, officials reported.")
# Runs on a folder are slower than cleaning in memory: fewer examples.
FEW = settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow,
                                                      HealthCheck.function_scoped_fixture])

# Text as captures hold it: any character (surrogates and controls included), and lines.
any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=400)
lines = st.lists(st.one_of(
    any_text,
    st.sampled_from(["", "Read more", "Share this", "By Jane Doe", "15:47 JST, February 26, 2022",
                     "---", "title: x", "<p>", "\x00", "Ã©tÃ©", "\ud800"]),
    st.text(alphabet="abcdefghij klmnop.,", min_size=40, max_size=200),
), max_size=30)
texts = st.builds("\n".join, lines)
tags = st.sampled_from(["p", "div", "font", "table", "td", "li", "ul", "script", "style", "a",
                        "h1", "article", "nav", "span", "br", "meta", "title", "head", "body"])


@st.composite
def html_pages(draw) -> str:
    """Random markup: tags opened and closed in any order, text, entities, attributes."""
    parts = ["<html><head><title>", draw(any_text), "</title></head><body>"]
    for _ in range(draw(st.integers(0, 40))):
        kind = draw(st.integers(0, 4))
        tag = draw(tags)
        if kind == 0:
            parts.append(f"<{tag} class='{draw(st.text(max_size=8))}'>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        elif kind == 2:
            parts.append(draw(texts))
        elif kind == 3:
            parts.append(draw(st.sampled_from(["&amp;", "&#0;", "&#xD800;", "&nbsp;", "<!--", "-->",
                                               "<![CDATA[", "<?xml version='1.0'?>", "<"])))
        else:
            parts.append(f"<{tag}>" * draw(st.integers(0, 300)))
    return "".join(parts)


def mutate(text: str, seed: int) -> str:
    """A real capture damaged as transfers and crawlers damage them."""
    rng = random.Random(seed)
    chars = list(text)
    for _ in range(rng.randint(1, 20)):
        if not chars:
            break
        at = rng.randrange(len(chars))
        action = rng.randrange(5)
        if action == 0:
            chars.insert(at, chr(rng.choice([0, 0xD800, 0x1B, 0xFFFD, 0x85, 0x2028, 0xC3, 0x202E])))
        elif action == 1:
            del chars[at: at + rng.randint(1, 50)]
        elif action == 2:
            chars[at:at] = chars[max(0, at - 200): at]
        elif action == 3:
            chars = chars[:at]  # cut short
        else:
            chars.insert(at, "\n---\ntitle: x\npublished: ../../etc\n---\n")
    return "".join(chars)


def check_safe(value) -> None:
    """No control character and no surrogate in any string of `value`, and valid UTF-8."""
    if isinstance(value, str):
        assert not (CONTROL | SURROGATES) & set(value.replace("\n", "").replace("\t", "")), repr(value)
        value.encode("utf-8")
    elif isinstance(value, dict):
        for key, item in value.items():
            check_safe(key)
            check_safe(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            check_safe(item)


def check_article(article) -> None:
    """A cleaned article is safe, its file's front matter parses, and cleaning it changes nothing."""
    check_safe(article.body)
    check_safe(dict(article.meta))
    check_safe([line.text for line in article.decisions])
    if article.is_empty:
        return
    written = render_article(article)
    front = yaml.safe_load(written[4: written.index("\n---\n", 3)])
    assert isinstance(front, dict) and front["sha256"] == article.meta["sha256"]
    assert render_article(clean(written, source=article.source)) == written


@given(texts)
@example("---\ntitle: X\npublished: \"/tmp/elsewhere/x\"\n---\nSome article text that is long enough.")
@example("Title \ud800\n\nA sentence \x00 with a NUL and an \x1b[31m escape, long enough to keep.")
def test_clean_text_never_raises_and_is_idempotent(text):
    check_article(clean(text))


@given(html_pages())
def test_clean_html_never_raises_and_is_idempotent(html):
    check_article(clean(html))


@given(st.binary(max_size=2000))
def test_clean_bytes_raises_only_capture_error(data):
    try:
        article = clean(data)
    except CaptureError as err:
        assert err.problem.startswith("not text")
        return
    check_article(article)


@given(st.sampled_from(FIXTURES), st.integers(0, 2**32))
def test_mutated_real_captures_clean_safely(path, seed):
    check_article(clean(mutate(path.read_text(encoding="utf-8"), seed)))


@given(st.lists(st.one_of(texts, html_pages(), st.binary(max_size=300), st.none(), st.integers(),
                          st.builds(Capture, texts, st.text(max_size=20))), max_size=6))
def test_clean_many_never_raises(items):
    results = list(clean_many(items, max_bytes=4000))
    assert len(results) == len(items)
    for result in results:
        assert result.status in {"written", "empty", "error"}
        if result.article is not None:
            check_safe(dict(result.article.meta))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | any_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(any_text, inner, max_size=4),
    max_leaves=12,
)
records = st.dictionaries(st.sampled_from(["text", "html", "url", "fetched_at", "id", "x"]),
                          st.one_of(texts, json_values, st.just("https://example.com/\ud800")),
                          max_size=5)


@given(st.lists(st.one_of(
    records.map(lambda r: json.dumps(r).encode()),
    st.binary(max_size=200),
    st.sampled_from([b"[" * 5000, b"{}", b"null", b"", b'{"text": "x", "n": NaN}']),
), max_size=8))
@example([json.dumps({"text": STORY, "url": "https://example.com/\ud800", "id": "\ud800"}).encode(),
          json.dumps({"text": STORY, "url": "javascript:alert(1)"}).encode()])
def test_stream_lines_give_one_safe_line_each(tmp_path_factory, lines_in):
    state = tmp_path_factory.mktemp("state") / "dedup.sqlite"  # SQLite takes no lone surrogate
    with Deduplicator(state) as dedup:
        out = [json_line(r) for r in clean_json_lines(lines_in, dedup=dedup, max_bytes=4000)]
    assert len(out) == len(lines_in)
    for line in out:
        record = json.loads(line)  # strict: no NaN
        assert record["status"] in {"written", "empty", "error", "duplicate"}
        check_safe(record)


@given(st.dictionaries(st.sampled_from(["site", "published", "title", "sha256"]), json_values),
       any_text)
def test_article_paths_stay_inside_out(meta, source):
    relative = article_path(meta, source or "x.txt")
    assert len(relative.parts) == 2 and ".." not in relative.parts and not relative.is_absolute()
    assert inside(Path("/tmp/out"), relative).is_relative_to("/tmp/out")


sidecars = st.one_of(
    st.dictionaries(st.sampled_from(["url", "fetched_at", "encoding", "title"]), json_values).map(json.dumps),
    json_values.map(json.dumps),
    any_text,
)


@FEW
@given(st.lists(st.tuples(st.one_of(texts, html_pages()), st.one_of(st.none(), sidecars),
                          st.sampled_from([".txt", ".html", ".txt.gz"])), min_size=1, max_size=5))
def test_cli_run_on_random_captures_and_sidecars(tmp_path_factory, captures):
    import gzip

    root = tmp_path_factory.mktemp("fuzz")
    inputs, out = root / "in", root / "out"
    inputs.mkdir()
    for n, (content, sidecar, suffix) in enumerate(captures):
        data = content.encode("utf-8", "surrogatepass")
        (inputs / f"c{n}{suffix}").write_bytes(gzip.compress(data) if suffix.endswith(".gz") else data)
        if sidecar is not None:
            (inputs / f"c{n}.meta.json").write_text(sidecar, encoding="utf-8", errors="surrogatepass")
    code = main(["clean", str(inputs), "-o", str(out), "--jobs", "1", "-q"])
    assert code in (0, 1)
    rows = [json.loads(line) for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(captures)
    for path in out.rglob("*"):
        assert Path(os.path.realpath(path)).is_relative_to(os.path.realpath(out))
        if path.suffix == ".md":
            text = path.read_text(encoding="utf-8")
            check_safe(text)
            front = yaml.safe_load(text[4: text.index("\n---\n", 3)])
            assert isinstance(front, dict)
    for row in rows:
        check_safe(row)
        if row["status"] == "error":
            assert row["reason"]


@given(st.binary(max_size=3000), st.sampled_from(["a.txt", "a.html", "a.txt.gz"]))
def test_read_capture_raises_only_capture_error(tmp_path_factory, data, name):
    path = tmp_path_factory.mktemp("read") / name
    path.write_bytes(data)
    try:
        capture = read_capture(path)
    except CaptureError:
        return
    assume(capture.text)
    check_article(clean(capture.text))
