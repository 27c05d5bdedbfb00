"""The Scrapy pipeline in a real crawl of a local site: kept articles, empty pages, duplicates.

The crawl runs in a subprocess (this file run as a script), because a Twisted reactor
starts once per process; the site is served from tests/data/site by a thread here.
"""
from __future__ import annotations

import json
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

scrapy = pytest.importorskip("scrapy")

SITE = Path(__file__).parent / "data" / "site"
CRAWL_TIMEOUT = 120
PIPELINE = "cleaner.integrations.scrapy.CleanerPipeline"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def site():
    """The base URL of tests/data/site served on a free port of 127.0.0.1."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(SITE)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def run_crawl(base: str, out: Path, **settings) -> dict:
    """Crawl `base` in a subprocess with the pipeline on; its items, drops and cleaner stats."""
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, __file__, base, str(out), json.dumps(settings)],
        check=True, timeout=CRAWL_TIMEOUT,
    )
    items = [json.loads(line) for line in (out / "items.jsonl").read_text().splitlines()]
    return {
        "items": {Path(item["url"]).name: item for item in items},
        "drops": {Path(d["url"]).name: d["reason"] for d in json.loads((out / "drops.json").read_text())},
        "stats": json.loads((out / "stats.json").read_text()),
    }


@pytest.fixture(scope="module")
def first_crawl(site, tmp_path_factory):
    out = tmp_path_factory.mktemp("crawl")
    state = out / "dedup.sqlite"
    result = run_crawl(
        site, out / "run1", CLEANER_OUTPUT_DIR=str(out / "articles"), CLEANER_STATE=str(state)
    )
    return {**result, "out": out, "state": state}


def test_a_crawl_keeps_one_article_per_story_with_its_fields(first_crawl):
    items = first_crawl["items"]
    bridge = [name for name in ("a.txt", "b.txt") if name in items]
    assert sorted(items) == sorted(bridge + ["c.txt"]) and len(bridge) == 1
    library = items["c.txt"]
    assert library["body"].startswith("The central library will stay open until midnight")
    assert "Home | World" not in library["body"]
    assert library["site"] == "127.0.0.1"
    assert library["word_count"] == len(library["body"].split())
    assert len(library["sha256"]) == 64 and library["language"] == "en"
    assert library["crawl"] == "test"  # the spider's own fields stay


def test_empty_pages_and_duplicates_are_dropped_with_a_reason(first_crawl):
    items, drops = first_crawl["items"], first_crawl["drops"]
    [kept] = [name for name in ("a.txt", "b.txt") if name in items]
    [repeat] = {"a.txt", "b.txt"} - {kept}
    assert set(drops) == {repeat, "empty.txt"}
    # the kept item's article file is the key it is remembered by, as in `cleaner clean`
    article = items[kept]["article_path"]
    assert drops[repeat] == f"cleaner: duplicate: exact duplicate of {article} (similarity 1.00)"
    assert drops["empty.txt"].startswith("cleaner: empty:")
    assert first_crawl["stats"] == {"cleaner/written": 2, "cleaner/duplicate": 1, "cleaner/empty": 1,
                                    "cleaner/page_type/article": 3}


def test_kept_articles_are_written_as_article_files(first_crawl):
    articles = first_crawl["out"] / "articles"
    for item in first_crawl["items"].values():
        text = (articles / item["article_path"]).read_text(encoding="utf-8")
        assert text.startswith("---\n") and text.endswith(item["body"] + "\n")
        assert f"sha256: {item['sha256']}" in text
    assert len(list(articles.rglob("*.md"))) == 2


def test_a_duplicate_is_listed_in_the_front_matter_of_the_article_it_repeats(first_crawl):
    items = first_crawl["items"]
    [kept] = [name for name in ("a.txt", "b.txt") if name in items]
    [repeat] = {"a.txt", "b.txt"} - {kept}
    text = (first_crawl["out"] / "articles" / items[kept]["article_path"]).read_text()
    assert f"duplicates:\n- source: {items[kept]['url'].replace(kept, repeat)}\n" in text


def test_a_second_crawl_with_the_same_state_drops_what_the_first_kept(first_crawl, site):
    again = run_crawl(site, first_crawl["out"] / "run2", CLEANER_STATE=str(first_crawl["state"]))
    assert again["items"] == {}
    assert again["stats"] == {"cleaner/duplicate": 3, "cleaner/empty": 1,
                              "cleaner/page_type/article": 3}


def test_cleaner_only_drops_pages_of_other_types_as_skipped(site, tmp_path):
    result = run_crawl(site, tmp_path, CLEANER_ONLY="forum,listing")
    assert result["items"] == {}
    for name in ("a.txt", "b.txt", "c.txt"):
        assert result["drops"][name] == "cleaner: skipped: page type: article"
    assert result["drops"]["empty.txt"].startswith("cleaner: empty:")  # no text, no type
    assert result["stats"]["cleaner/skipped"] == 3
    assert result["stats"]["cleaner/page_type/article"] == 3
    kept = run_crawl(site, tmp_path / "articles", CLEANER_ONLY="article", CLEANER_DEDUP=False)
    assert sorted(kept["items"]) == ["a.txt", "b.txt", "c.txt"]
    assert kept["items"]["c.txt"]["page_type"] == "article"


def test_an_unknown_cleaner_only_type_is_refused_before_the_crawl():
    from scrapy.utils.test import get_crawler

    from cleaner.errors import PageTypeError
    from cleaner.integrations.scrapy import CleanerPipeline

    with pytest.raises(PageTypeError, match="unknown page type stories"):
        CleanerPipeline.from_crawler(get_crawler(settings_dict={"CLEANER_ONLY": "stories"}))


def test_without_dedup_every_page_with_text_is_kept(site, tmp_path):
    result = run_crawl(site, tmp_path, CLEANER_DEDUP=False)
    assert sorted(result["items"]) == ["a.txt", "b.txt", "c.txt"]
    assert result["items"]["a.txt"]["sha256"] == result["items"]["b.txt"]["sha256"]
    assert set(result["drops"]) == {"empty.txt"}


def test_cleaner_field_names_the_field_holding_the_page(site, tmp_path):
    result = run_crawl(site, tmp_path, CLEANER_FIELD="page", SPIDER_FIELD="page")
    assert "c.txt" in result["items"]
    missing = run_crawl(site, tmp_path / "missing", CLEANER_FIELD="page")
    assert missing["items"] == {}
    assert all("no 'page' field" in reason for reason in missing["drops"].values())
    assert missing["stats"] == {"cleaner/error": 4}


def test_disabled_pipeline_is_not_configured():
    from scrapy.exceptions import NotConfigured
    from scrapy.utils.test import get_crawler

    from cleaner.integrations.scrapy import CleanerPipeline

    with pytest.raises(NotConfigured, match="CLEANER_ENABLED"):
        CleanerPipeline.from_crawler(get_crawler(settings_dict={"CLEANER_ENABLED": False}))


def test_state_without_dedup_is_refused_before_the_crawl(tmp_path):
    from scrapy.utils.test import get_crawler

    from cleaner.errors import CleanerError
    from cleaner.integrations.scrapy import CleanerPipeline

    settings = {"CLEANER_DEDUP": False, "CLEANER_STATE": str(tmp_path / "s.sqlite")}
    with pytest.raises(CleanerError, match="CLEANER_DEDUP"):
        CleanerPipeline.from_crawler(get_crawler(settings_dict=settings))


def test_declared_item_classes_get_only_the_fields_they_declare():
    from cleaner.integrations.scrapy import CleanerPipeline

    class Page(scrapy.Item):
        url = scrapy.Field()
        text = scrapy.Field()
        body = scrapy.Field()
        word_count = scrapy.Field()

    pipeline = CleanerPipeline(dedup=False)
    page = Page(url="https://example.org/library", text=(SITE / "c.txt").read_text())
    kept = pipeline.process_item(page)
    assert kept["body"].startswith("The central library") and kept["word_count"] > 50
    assert "title" not in kept


class SiteSpider(scrapy.Spider):
    """Follows every link of the index page; yields each page as an item."""

    name = "site"

    def __init__(self, start: str, field: str = "body", **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [start]
        self.field = field

    def parse(self, response):
        for href in response.css("a::attr(href)").getall():
            yield response.follow(href, self.parse_page)

    def parse_page(self, response):
        yield {"url": response.url, self.field: response.text, "crawl": "test"}


def crawl(base: str, out: Path, settings: dict) -> None:
    """Run SiteSpider over `base` with the pipeline; write items, drops and stats into `out`."""
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    field = settings.pop("SPIDER_FIELD", "body")
    process = CrawlerProcess(settings={
        "ITEM_PIPELINES": {PIPELINE: 300},
        "FEEDS": {str(out / "items.jsonl"): {"format": "jsonlines"}},
        "LOG_LEVEL": "ERROR",
        "TELNETCONSOLE_ENABLED": False,
        "ROBOTSTXT_OBEY": False,
        **settings,
    })
    crawler = process.create_crawler(SiteSpider)
    drops = []

    def dropped(item, exception, **_):
        drops.append({"url": item["url"], "reason": str(exception)})

    crawler.signals.connect(dropped, signal=signals.item_dropped)
    process.crawl(crawler, start=base + "/index.html", field=field)
    process.start()
    stats = {k: v for k, v in crawler.stats.get_stats().items() if k.startswith("cleaner/")}
    (out / "drops.json").write_text(json.dumps(drops))
    (out / "stats.json").write_text(json.dumps(stats))


if __name__ == "__main__":
    crawl(sys.argv[1], Path(sys.argv[2]), json.loads(sys.argv[3]))


def test_with_a_time_limit_a_page_that_hangs_is_dropped_and_the_crawl_goes_on(monkeypatch):
    from scrapy.exceptions import DropItem
    from scrapy.utils.test import get_crawler

    from cleaner.integrations.scrapy import CleanerPipeline
    from cleaner.run import work
    from tests.corpus import failing_cleaning

    # the worker process is forked from this one, so it cleans with the patched function
    monkeypatch.setattr(work, "clean_capture", failing_cleaning(hang=lambda c: "HANG-HERE" in c.text))
    crawler = get_crawler(settings_dict={"CLEANER_TIMEOUT": "1", "CLEANER_DEDUP": False})
    pipeline = CleanerPipeline.from_crawler(crawler)
    pipeline.open_spider()
    library = (SITE / "c.txt").read_text()
    try:
        with pytest.raises(DropItem, match="error: cleaning it took over 1 s"):
            pipeline.process_item({"url": "https://example.org/a", "text": library + "\nHANG-HERE"})
        kept = pipeline.process_item({"url": "https://example.org/b", "text": library})
        assert kept["body"].startswith("The central library")
    finally:
        pipeline.close_spider()
    assert pipeline.cleaning is None
