"""What kind of page a capture is: article, forum, product, collection, listing,
documentation or service.

A small gradient-boosted tree model reads the page's own features
(`page_features.py`: URL shape, JSON-LD and OpenGraph types, DOM and block statistics,
repeated structures, code, prices, post and reply words) and gives a probability per
type. The trees ship in the package as data (`page_type_model.json.gz`, beside this file),
trained by `tools/train_page_types.py` from the WCXB development split with fixed seeds;
evaluating them is a few thousand comparisons (`trees.py`), no library needed.

HTML pages and text captures have a model each, and each a second one for captures
without a URL: a text capture has only its URL and its lines, so its type is a rougher
guess (see the cross-validated figures in the README).
"""
from __future__ import annotations

import gzip
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Final

from ..document import PAGE_TYPES, Line
from .capture_features import text_features
from .trees import Forest

if TYPE_CHECKING:
    from .blocks import Page

ARTICLE, FORUM, PRODUCT, COLLECTION, LISTING, DOCUMENTATION, SERVICE = PAGE_TYPES
MODEL_FILE: Final = "page_type_model.json.gz"
# One model per kind of capture, with and without its URL: a page's URL says much about
# it, and a model that has to do without it is better trained so (cross-validated
# accuracy of one model trained on both: 0.829 with URLs, against 0.84-0.86 alone).
HTML_MODEL: Final = "html"
TEXT_MODEL: Final = "text"
NO_URL: Final = "_no_url"
# A text capture is typed from its URL and lines alone, a rougher guess than an HTML
# page's; a news tool given such captures should not call its stories service pages (nor
# skip them with --only article). So a text capture is an article unless another type
# reaches this probability. Measured with tools/train_page_types.py's cross-validated
# probabilities (WCXB dev split, grouped by site) and the shipped model on the dev set's
# 949 news pages as text: with its URL, floor 0 -> 0.7 keeps WCXB articles 0.943 -> 0.971,
# dev set pages typed article 0.901 -> 0.962, accuracy over all types 0.808 -> 0.775;
# without it, floor 0 -> 0.9: articles 0.904 -> 0.986, accuracy 0.688 -> 0.597.
MIN_OTHER_CONFIDENCE_TEXT: Final = 0.7
MIN_OTHER_CONFIDENCE_TEXT_NO_URL: Final = 0.9
# A text capture of fewer lines than this is an article: its lines say too little. Of
# the 1,497 WCXB pages, 26 have fewer than 20 lines as text (most of them forum threads
# and products whose text a script renders), so the model's judgement of so short a
# capture rests on little, and takes short news items for forum posts or listings.
# Measured with the cross-validated probabilities (2026-11-30): with their URL, accuracy
# 0.770 -> 0.762; without it 0.602 -> 0.603, articles kept 0.982 -> 0.984.
MIN_TYPED_LINES: Final = 20
# An HTML page is an article unless another type is more probable than this. Measured
# with the cross-validated probabilities and the shipped model on the dev set's 949 news
# pages (2026-11-30): floor 0 -> 0.5 costs WCXB accuracy 0.851 -> 0.841 (without URLs
# 0.816 -> 0.804) and types more news pages article, 0.926 -> 0.943 with their URL and
# 0.894 -> 0.915 without (what `--only article` keeps of a news crawl); 0.6 and 0.7 keep
# more news still but cost WCXB accuracy twice and three times as much.
MIN_OTHER_CONFIDENCE_HTML: Final = 0.5
# The types a news story is seldom taken for, a shop's pages and a manual's, are believed
# from a lower probability. Measured with the cross-validated probabilities and the
# shipped model on the dev set's news pages (2026-11-30): WCXB accuracy 0.845 -> 0.850
# (1,265 -> 1,273 of 1,497 pages; 1,274 from 0.3 to 0.35, 1,269 at 0.45), news pages
# typed article 0.944 -> 0.942 with their URL, 0.910 -> 0.909 without; WCXB F1 0.87055
# -> 0.87058, the dev set's HTML F1 unchanged without URL (0.9375), 0.9361 -> 0.9360 with
# it. Listings at 0.4 as well: accuracy 0.852, but 0.6% fewer news pages typed article
# without their URL (a section front and a story look alike): not done.
HTML_TYPE_FLOORS: Final[Mapping[str, float]] = {PRODUCT: 0.4, COLLECTION: 0.4, DOCUMENTATION: 0.4}


@dataclass(frozen=True, slots=True)
class PageType:
    """A page's type and how sure the model is (its probability, 0..1)."""

    name: str
    confidence: float
    probabilities: Mapping[str, float]


class Trees:
    """One boosted model: per stage, one regression tree per type; raw scores are
    `init + learning_rate * sum(leaf values)`, probabilities their softmax. Evaluated
    from flat arrays (`trees.Forest`), the learning rate folded into the leaves."""

    __slots__ = ("features", "forest", "types")

    def __init__(self, types: Sequence[str], features: Sequence[str], forest: Forest) -> None:
        self.types = tuple(types)
        self.features = tuple(features)
        self.forest = forest

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Trees:
        """The model as tools/train_page_types.py exports it: per stage, per type, a tree
        as lists (feature index per node, -1 for a leaf; threshold; left; right; value)."""
        rate = float(data["learning_rate"])
        roots: list[int] = []
        tree_class: list[int] = []
        feature: list[int] = []
        threshold: list[float] = []
        left: list[int] = []
        right: list[int] = []
        value: list[float] = []
        for stage in data["trees"]:
            for k, tree in enumerate(stage):
                base = len(feature)
                roots.append(base)
                tree_class.append(k)
                feature.extend(tree["feature"])
                threshold.extend(tree["threshold"])
                # a leaf's children (-1) stay unread: its feature index says it is a leaf
                left.extend(n + base if n >= 0 else n for n in tree["left"])
                right.extend(n + base if n >= 0 else n for n in tree["right"])
                value.extend(rate * v for v in tree["value"])
        forest = Forest(data["init"], roots, tree_class, feature, threshold, left, right, value)
        return cls(data["types"], data["features"], forest)

    def probabilities(self, features: Mapping[str, float]) -> dict[str, float]:
        """Probability of each type for a page with these features (missing ones are 0)."""
        get = features.get
        found = self.forest.probabilities([float(get(name, 0.0)) for name in self.features])
        return dict(zip(self.types, found))


def dump_models(header: Mapping[str, Any], exported: Mapping[str, Any]) -> bytes:
    """The model file's bytes: gzip of a line of JSON (`header`, with the models' names
    under "models"), then a line per model, its name, a tab and its JSON, so that a
    process parses only the models it uses (parsing all four took 50 ms)."""
    lines = [json.dumps({**header, "models": list(exported)}, separators=(",", ":"))]
    lines += [f"{kind}\t{json.dumps(data, separators=(',', ':'))}" for kind, data in exported.items()]
    # mtime=0: the same models give the same bytes
    return gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), mtime=0)


@lru_cache(maxsize=1)
def _exported() -> dict[str, bytes]:
    """The JSON of each shipped model by name (see `dump_models`), read once per process."""
    data = gzip.decompress(resources.files(__package__).joinpath(MODEL_FILE).read_bytes())
    models: dict[str, bytes] = {}
    for line in data.splitlines()[1:]:
        kind, _, exported = line.partition(b"\t")
        models[kind.decode("ascii")] = exported
    return models


@cache
def model(kind: str) -> Trees:
    """One shipped model, built when first needed: a run of text captures with URLs
    builds one of the four (a tenth of a second less to start a process)."""
    return Trees.from_json(json.loads(_exported()[kind]))


def models() -> dict[str, Trees]:
    """Every shipped model."""
    return {kind: model(kind) for kind in _exported()}


def decide(probabilities: Mapping[str, float], min_other: float = 0.0,
           floors: Mapping[str, float] | None = None) -> PageType:
    """The most probable type (ties go to the earlier type in PAGE_TYPES); article
    when another type is the most probable with less than its floor in `floors`, or
    `min_other` for a type `floors` does not name."""
    name = max(PAGE_TYPES, key=lambda t: probabilities.get(t, 0.0))
    floor = floors.get(name, min_other) if floors else min_other
    if name != ARTICLE and probabilities.get(name, 0.0) < floor:
        name = ARTICLE
    return PageType(name, probabilities.get(name, 0.0), dict(probabilities))


def model_for(kind: str, url: str | None) -> Trees:
    """The model for captures of `kind` (HTML_MODEL or TEXT_MODEL) with or without a URL."""
    return model(kind if url else kind + NO_URL)


def classify_html(page: Page, url: str | None) -> PageType:
    """The type of an HTML page read into `page` (blocks.read_page of the whole body)."""
    from .page_features import html_features  # HTML support loads on demand

    return decide_html(model_for(HTML_MODEL, url).probabilities(html_features(page, url)))


def decide_html(probabilities: Mapping[str, float]) -> PageType:
    """An HTML page's type from its model's probabilities: article unless another type
    reaches its floor (HTML_TYPE_FLOORS, else MIN_OTHER_CONFIDENCE_HTML)."""
    return decide(probabilities, MIN_OTHER_CONFIDENCE_HTML, HTML_TYPE_FLOORS)


def classify_lines(lines: Sequence[Line], url: str | None) -> PageType:
    """The type of a text capture from its lines (their texts and LineFacts) and URL."""
    probabilities = model_for(TEXT_MODEL, url).probabilities(text_features(lines, url))
    return decide_text(probabilities, bool(url), len(lines))


def decide_text(probabilities: Mapping[str, float], url: bool, lines: int) -> PageType:
    """A text capture's type from its model's probabilities: article unless another type
    reaches its floor (MIN_OTHER_CONFIDENCE_TEXT, or _NO_URL without a URL), and always
    for a capture of fewer than MIN_TYPED_LINES lines."""
    if lines < MIN_TYPED_LINES:
        return decide(probabilities, math.inf)
    return decide(probabilities, MIN_OTHER_CONFIDENCE_TEXT if url else MIN_OTHER_CONFIDENCE_TEXT_NO_URL)
