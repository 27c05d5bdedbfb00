"""A Scrapy item pipeline that cleans crawled pages into articles as the crawl goes.

In the project's settings.py:

    ITEM_PIPELINES = {"cleaner.integrations.scrapy.CleanerPipeline": 500}
    CLEANER_OUTPUT_DIR = "articles"      # also write article files (optional)
    CLEANER_STATE = "dedup.sqlite"       # remember duplicates across crawls (optional)

and in the spider: `yield {"url": response.url, "html": response.text}`.

Settings (all optional):

- CLEANER_ENABLED (True): False turns the pipeline off (NotConfigured).
- CLEANER_FIELD: the item field holding the page. Default: the first of "html", "text"
  and "body" the item has (e.g. `item["body"] = response.text`, the response body). A
  field named "html" is read as HTML; the others as HTML or text by their content.
- CLEANER_URL_FIELD ("url"): the item field holding the page's URL.
- CLEANER_DEDUP (True): drop items whose article repeats an earlier one.
- CLEANER_STATE: an SQLite file keeping the dedup index across crawls (default: memory).
- CLEANER_THRESHOLD (0.7): similarity at or above which two articles are duplicates.
- CLEANER_RULES: a folder of rule files (default: the bundled rules).
- CLEANER_OUTPUT_DIR: write each kept article to OUTPUT_DIR/<site>/<date>-<slug>.md, as
  `cleaner clean` does; the item's "article_path" field then holds the relative path.
- CLEANER_ONLY: the page types kept, as "article,forum" or a list (default: all);
  an item of another type is dropped (skipped), neither written nor deduplicated.
- CLEANER_TIMEOUT: seconds an item's cleaning may take (default: no limit); pages are
  then cleaned in a worker process, and one over the limit is dropped as an error
  (its worker killed and replaced), so that no page stalls the crawl.

A kept item gets the article's fields (title, published, authors, site, url, language,
page_type, sha256, word_count... and body). An item whose page leaves no article text,
whose article duplicates an earlier one, whose page type is not wanted, or that cannot
be cleaned is dropped with DropItem(reason); the crawl stats count `cleaner/<status>`
and `cleaner/page_type/<type>`. Items that are not dicts
(scrapy.Item, dataclasses) get only the article fields they declare.

Cleaning runs in the reactor thread (with CLEANER_TIMEOUT, the thread waits for the
worker): it costs milliseconds per page, a fraction of a download; the dedup index (one
SQLite connection) must stay in that one thread.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem, NotConfigured

from cleaner.dedup import DEFAULT_THRESHOLD, Deduplicator
from cleaner.errors import CaptureError, CleanerError
from cleaner.run.limited import LimitedCleaning
from cleaner.run.lock import OutputLock
from cleaner.run.only import parse_types
from cleaner.run.outcome import ERROR
from cleaner.run.placer import OnlinePlacer
from cleaner.run.stream import Result, clean_one
from cleaner.sinks import Sinks
from cleaner.sinks.atomic import temp_folder
from cleaner.siterules.rulebook import RuleBook
from cleaner.sources.records import URL_FIELD, record_capture

# Item fields looked for, in order, when CLEANER_FIELD is not set.
DEFAULT_FIELDS = ("html", "text", "body")
# The item field naming the article file written under CLEANER_OUTPUT_DIR.
PATH_FIELD = "article_path"
STATS_PREFIX = "cleaner/"


class CleanerPipeline:
    """Clean each item's page into an article; drop empty pages and duplicates."""

    def __init__(
        self,
        *,
        field: str | None = None,
        url_field: str = URL_FIELD,
        output_dir: str | Path | None = None,
        dedup: bool = True,
        state: str | Path | None = None,
        threshold: float = DEFAULT_THRESHOLD,
        rules: RuleBook | None = None,
        stats: Any = None,
        only: str | list[str] | None = None,
        timeout: float | None = None,
    ) -> None:
        self.only = parse_types(only)
        if timeout is not None and not timeout > 0:
            raise CleanerError(f"CLEANER_TIMEOUT must be a number of seconds above 0, not {timeout}")
        self.timeout = timeout
        self.cleaning: LimitedCleaning | None = None
        self.fields = (field,) if field else DEFAULT_FIELDS
        self.url_field = url_field
        self.output_dir = Path(output_dir) if output_dir else None
        self.use_dedup = dedup
        self.state = state
        self.threshold = threshold
        self.rules = rules
        self.stats = stats
        self.dedup: Deduplicator | None = None
        self.lock: OutputLock | None = None
        self.placer = OnlinePlacer(None)
        self.count = 0

    @classmethod
    def from_crawler(cls, crawler) -> CleanerPipeline:
        settings = crawler.settings
        if not settings.getbool("CLEANER_ENABLED", True):
            raise NotConfigured("CLEANER_ENABLED is off")
        rules = settings.get("CLEANER_RULES")
        if settings.get("CLEANER_STATE") and not settings.getbool("CLEANER_DEDUP", True):
            raise CleanerError("CLEANER_STATE keeps the dedup index: it cannot go with CLEANER_DEDUP off")
        return cls(
            field=settings.get("CLEANER_FIELD"),
            url_field=settings.get("CLEANER_URL_FIELD", URL_FIELD),
            output_dir=settings.get("CLEANER_OUTPUT_DIR"),
            dedup=settings.getbool("CLEANER_DEDUP", True),
            state=settings.get("CLEANER_STATE"),
            threshold=settings.getfloat("CLEANER_THRESHOLD", DEFAULT_THRESHOLD),
            rules=RuleBook.load(rules) if rules else None,
            stats=crawler.stats,
            only=settings.get("CLEANER_ONLY") or None,
            timeout=settings.getfloat("CLEANER_TIMEOUT") if settings.get("CLEANER_TIMEOUT") else None,
        )

    def open_spider(self, spider: Any = None) -> None:
        """Open the dedup index and the output folder (held for the crawl: a batch run
        into the same folder is refused meanwhile)."""
        if self.use_dedup:
            self.dedup = Deduplicator(self.state, threshold=self.threshold)
        sinks = None
        if self.output_dir is not None:
            self.output_dir.mkdir(parents=True, exist_ok=True)
            self.lock = OutputLock(self.output_dir).__enter__()
            sinks = Sinks(self.output_dir, ("markdown",), temp_folder(self.output_dir))
        self.placer = OnlinePlacer(self.dedup, sinks)
        if self.timeout is not None:
            self.cleaning = LimitedCleaning(self.timeout, self.rules)

    def close_spider(self, spider: Any = None) -> None:
        if self.cleaning is not None:
            self.cleaning.close()
            self.cleaning = None
        if self.dedup is not None:
            self.dedup.close()
            self.dedup = None
        if self.lock is not None:
            self.lock.__exit__(None, None, None)
            self.lock = None

    def process_item(self, item: Any, spider: Any = None) -> Any:
        """Add the article's fields to `item`, or raise DropItem saying why it is not kept."""
        adapter = ItemAdapter(item)
        self.count += 1
        url = adapter.get(self.url_field)
        source = url if isinstance(url, str) and url else f"<item {self.count}>"
        try:
            capture = record_capture(
                adapter.asdict(), source, content_fields=self.fields, url_field=self.url_field
            )
        except CaptureError as err:
            result = Result(source, ERROR, reason=err.problem)
        else:
            result = clean_one(capture, rules=self.rules, placer=self.placer, only=self.only,
                               cleaning=self.cleaning)
        fields = result.fields()
        if result.kept and self.output_dir is not None:
            fields[PATH_FIELD] = result.reference
        self.count_status(result.status, result.page_type)
        if not result.kept:
            raise DropItem(f"cleaner: {result.status}: {result.reason}")
        for name, value in fields.items():
            try:
                adapter[name] = value
            except KeyError:  # an Item class that does not declare this field
                continue
        return item

    def count_status(self, status: str, page_type: str | None = None) -> None:
        if self.stats is not None:
            self.stats.inc_value(STATS_PREFIX + status)
            if page_type is not None:
                self.stats.inc_value(f"{STATS_PREFIX}page_type/{page_type}")

