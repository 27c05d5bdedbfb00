"""What kind of page a capture is: article, forum, product, collection, listing,
documentation or service.

A small gradient-boosted tree model reads the page's own features
(`page_features.py`: URL shape, JSON-LD and OpenGraph types, DOM and block statistics,
repeated structures, code, prices, post and reply words) and gives a probability per
type. The trees ship in the package as data (`page_type_model.json.gz`, beside this file),
trained by `tools/train_page_types.py` from the WCXB development split with fixed seeds;
evaluating them is a few thousand comparisons in plain Python, no library needed.

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
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Final

from ..document import PAGE_TYPES
from .capture_features import text_features

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
# HTML pages take the most probable type (accuracy 0.846; dev set typed article 0.938).
MIN_OTHER_CONFIDENCE_TEXT: Final = 0.7
MIN_OTHER_CONFIDENCE_TEXT_NO_URL: Final = 0.9


@dataclass(frozen=True, slots=True)
class PageType:
    """A page's type and how sure the model is (its probability, 0..1)."""

    name: str
    confidence: float
    probabilities: Mapping[str, float]


@dataclass(frozen=True, slots=True)
class Trees:
    """One boosted model: per stage, one regression tree per type; raw scores are
    `init + learning_rate * sum(leaf values)`, probabilities their softmax."""

    types: tuple[str, ...]
    features: tuple[str, ...]
    init: tuple[float, ...]
    learning_rate: float
    # stages x types trees, each (feature index per node, threshold, left, right, value);
    # a leaf has feature index -1.
    trees: tuple[tuple[tuple[Sequence[int], Sequence[float], Sequence[int], Sequence[int],
                             Sequence[float]], ...], ...]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Trees:
        return cls(
            types=tuple(data["types"]),
            features=tuple(data["features"]),
            init=tuple(data["init"]),
            learning_rate=float(data["learning_rate"]),
            trees=tuple(
                tuple((t["feature"], t["threshold"], t["left"], t["right"], t["value"]) for t in stage)
                for stage in data["trees"]
            ),
        )

    def probabilities(self, features: Mapping[str, float]) -> dict[str, float]:
        """Probability of each type for a page with these features (missing ones are 0)."""
        x = [float(features.get(name, 0.0)) for name in self.features]
        raw = list(self.init)
        rate = self.learning_rate
        for stage in self.trees:
            for k, (feature, threshold, left, right, value) in enumerate(stage):
                node = 0
                while feature[node] >= 0:
                    node = left[node] if x[feature[node]] <= threshold[node] else right[node]
                raw[k] += rate * value[node]
        top = max(raw)
        exps = [math.exp(r - top) for r in raw]
        total = sum(exps)
        return {name: e / total for name, e in zip(self.types, exps)}


@lru_cache(maxsize=1)
def models() -> dict[str, Trees]:
    """The shipped models, read once per process."""
    data = gzip.decompress(resources.files(__package__).joinpath(MODEL_FILE).read_bytes())
    return {kind: Trees.from_json(model) for kind, model in json.loads(data)["models"].items()}


def decide(probabilities: Mapping[str, float], min_other: float = 0.0) -> PageType:
    """The most probable type (ties go to the earlier type in PAGE_TYPES); article
    when another type is the most probable with less than `min_other`."""
    name = max(PAGE_TYPES, key=lambda t: probabilities.get(t, 0.0))
    if name != ARTICLE and probabilities.get(name, 0.0) < min_other:
        name = ARTICLE
    return PageType(name, probabilities.get(name, 0.0), dict(probabilities))


def model_for(kind: str, url: str | None) -> Trees:
    """The model for captures of `kind` (HTML_MODEL or TEXT_MODEL) with or without a URL."""
    return models()[kind if url else kind + NO_URL]


def classify_html(page: Page, html: str, url: str | None) -> PageType:
    """The type of an HTML page read into `page` (blocks.read_page of the whole body)."""
    from .page_features import html_features  # HTML support loads on demand

    return decide(model_for(HTML_MODEL, url).probabilities(html_features(page, html, url)))


def classify_lines(lines: Sequence[str], url: str | None) -> PageType:
    """The type of a text capture from its non-blank lines and URL."""
    probabilities = model_for(TEXT_MODEL, url).probabilities(text_features(lines, url))
    return decide(probabilities, MIN_OTHER_CONFIDENCE_TEXT if url else MIN_OTHER_CONFIDENCE_TEXT_NO_URL)
