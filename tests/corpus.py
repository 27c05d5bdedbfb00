"""Made-up captures for tests that need many distinct articles: text files and a WARC file."""
from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

WORDS = ["council", "harbour", "bridge", "river", "market", "school", "library", "museum", "railway", "station", "festival", "minister", "mayor", "teachers", "farmers", "engineers", "residents", "visitors", "workers", "doctors", "nurses", "announced", "reported", "opened", "closed", "approved", "rejected", "repaired", "extended", "reduced", "planned", "yesterday", "morning", "evening", "weekend", "season", "budget", "report", "survey", "project", "programme", "new", "old", "large", "small", "public", "local", "national", "regional", "annual", "important", "difficult", "after", "before", "during", "because", "although", "while", "since", "until", "despite", "through", "the", "of", "and", "to", "in", "for", "on", "with", "by", "from", "at", "about"]


def article(n: int, paragraphs: int = 4) -> str:
    """A text capture of a made-up story, different for every `n`: a headline, then
    paragraphs of sentences."""
    rng = random.Random(n)
    title = " ".join(rng.choice(WORDS) for _ in range(6)).capitalize() + f" {n}"
    body = []
    for _ in range(paragraphs):
        sentences = []
        for _ in range(rng.randint(2, 4)):
            words = [rng.choice(WORDS) for _ in range(rng.randint(12, 20))]
            sentences.append(" ".join(words).capitalize() + ".")
        body.append(" ".join(sentences))
    return "\n\n".join([title, *body]) + "\n"


def page(n: int) -> str:
    """The same story as an HTML page."""
    text = article(n)
    title, *paragraphs = text.strip().split("\n\n")
    inner = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!doctype html><html><head><title>{title}</title></head><body>"
            f"<article><h1>{title}</h1>{inner}</article></body></html>")


def write_texts(folder: Path, numbers: range) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in numbers:
        path = folder / f"story-{n:05d}.txt"
        path.write_text(article(n), encoding="utf-8")
        paths.append(path)
    return paths


def write_warc(path: Path, numbers: range) -> None:
    """A WARC file of one HTML 200 response per story number."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for n in numbers:
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                    protocol="HTTP/1.1")
            record = writer.create_warc_record(
                f"https://news.example.org/story/{n}", "response",
                payload=BytesIO(page(n).encode()), http_headers=http,
                warc_headers_dict={"WARC-Date": "2024-03-04T05:06:07Z"},
            )
            writer.write_record(record)


def failing_cleaning(hang: Callable[[object], bool],
                     die: Callable[[object], bool] = lambda capture: False) -> Callable:
    """`cleaner.run.work.clean_capture`, but hanging on the captures `hang` picks (as a page
    that sends a parser into an endless loop would) and ending its process on those `die`
    picks (as a crash in a C library would). Patched over `work.clean_capture`, it is what
    worker processes forked afterwards clean with."""
    from cleaner.run import work

    real = work.clean_capture

    def clean(capture, rules, *engine):
        if hang(capture):
            time.sleep(600)
        if die(capture):
            os._exit(3)
        return real(capture, rules, *engine)

    return clean
