"""Quality gate: a fixed sample of the development set, scored as ../shared/devset/score.py
scores it, must stay at or above pinned floors. Raise a floor when a change earns it;
never lower one to let a change through.

The sample is every SAMPLE_STEP-th annotated page (sorted by name), so it does not move
when code changes. Skipped when the development set is not beside the checkout.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from cleaner import pipeline
from cleaner.pipeline import clean_capture
from cleaner.sources.files import read_capture

from .conftest import ROOT

DEVSET = ROOT.parent / "shared" / "devset"
# One page in SAMPLE_STEP: about 475 text pages (seconds) and 316 HTML pages (~15 s).
SAMPLE_STEP = {"text": 2, "html": 3}
# Measured on the sample when pinned (2026-11-22): text P 0.884 R 0.894 F1 0.889;
# HTML with the trafilatura engine P 0.942 R 0.935 F1 0.938. Floors sit 0.005 below,
# room for the jitter of dependency versions (trafilatura, lxml), not for a worse
# heuristic. The fast HTML engine (pinned 2026-11-29: P 0.926 R 0.952 F1 0.939) has
# floors of its own, so both engines are held to what they measured.
FLOORS = {
    "text": {"f1": 0.884, "precision": 0.879},
    "html": {"f1": 0.933, "precision": 0.937},
    "html-fast": {"f1": 0.934, "precision": 0.921},
}
# Share of the sample's pages (news, captured without their URL) typed article: what
# `--only article` keeps of a news crawl. Pinned 2026-11-29 at the sample's text 0.979
# and HTML 0.912 less 0.01 (the whole set: 0.979 and 0.903).
TYPED_ARTICLE_FLOORS = {"text": 0.969, "html": 0.902, "html-fast": 0.902}
ENGINES = {"html": pipeline.TRAFILATURA, "html-fast": pipeline.FAST}
SPACES = re.compile(r"\s+")
# Pages from elsewhere than the dev set's news: WCXB's development split (Foley, 2026,
# github.com/Murrough-Foley/web-content-extraction-benchmark, CC-BY-4.0), its article
# pages, one in 3 (265 pages, ~5 s), scored as its score.py scores: word F1 of
# the title line and body against the labelled main content, averaged over pages.
# Its other pages (forums, products, collections, listings, documentation, service
# pages), one in 6 (118 pages, ~4 s), hold the page types' readers to what they reach.
# Pinned 2026-11-30 on the default (fast) engine, the shipped page type model (which
# has seen these pages: the figures of bench/wcxb.py --out-of-fold are those to quote):
# the floors sit about 0.005 below what was measured.
WCXB = ROOT.parent / "shared" / "wcxb-dev"
# {sample: (one page in STEP, floor)}
WCXB_SAMPLES = {
    "article": (3, 0.938),  # measured 0.9436 (0.9380 when first pinned)
    "other types": (6, 0.777),  # measured 0.7823 (0.7816 before 72986bd)
}

pytestmark = pytest.mark.skipif(not DEVSET.is_dir(), reason="no ../shared/devset beside the checkout")


def norm(text: str) -> str:
    return SPACES.sub(" ", text).strip()


def score(kind: str) -> dict[str, float]:
    """Snippet precision/recall/F1 over the sample, counted as score.py counts them, and
    the share of its pages (all news) typed article."""
    notes = json.loads((DEVSET / "annotations.json").read_text(encoding="utf-8"))
    engine = ENGINES.get(kind)
    kind = "text" if engine is None else "html"
    suffix = ".txt" if kind == "text" else ".html"
    tp = fp = fn = articles = pages = 0
    for name in sorted(notes)[:: SAMPLE_STEP[kind]]:
        page = notes[name]
        capture = DEVSET / kind / (Path(name).stem + suffix)
        article = clean_capture(read_capture(capture), html_engine=engine)
        body = norm(article.body)
        pages += 1
        articles += article.page_type in ("article", None)
        found = sum(norm(snippet) in body for snippet in page["with"])
        tp += found
        fn += len(page["with"]) - found
        fp += sum(norm(snippet) in body for snippet in page["without"])
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "typed_article": articles / pages}


@pytest.mark.parametrize("kind", ["text", "html", "html-fast"])
def test_devset_sample_stays_above_its_floors(kind):
    measured = score(kind)
    for metric, floor in {**FLOORS[kind], "typed_article": TYPED_ARTICLE_FLOORS[kind]}.items():
        assert measured[metric] >= floor, f"{kind} {metric} {measured[metric]:.3f} < floor {floor}"


def word_f1(predicted: str, reference: str) -> float:
    """WCXB's word-level F1 (lower-cased \\w+ tokens, counted with multiplicity)."""
    got, want = re.findall(r"\w+", predicted.lower()), re.findall(r"\w+", reference.lower())
    if not want or not got:
        return float(got == want)
    overlap = sum((Counter(got) & Counter(want)).values())
    precision, recall = overlap / len(got), overlap / len(want)
    return 2 * precision * recall / (precision + recall) if overlap else 0.0


@pytest.mark.skipif(not WCXB.is_dir(), reason="no ../shared/wcxb-dev beside the checkout")
@pytest.mark.parametrize("sample", list(WCXB_SAMPLES))
def test_wcxb_samples_stay_above_their_floors(sample):
    labels = json.loads((WCXB / "gt.json").read_text(encoding="utf-8"))
    step, floor = WCXB_SAMPLES[sample]
    pages = [key for key in sorted(labels)
             if (labels[key]["page_type"] == "article") == (sample == "article")]
    scores = []
    for key in pages[::step]:
        article = clean_capture(read_capture(WCXB / "html" / f"{key}.html.gz"))
        # an empty article is no article file: nothing is scored, its title neither
        title = (article.meta.get("title") or "") if article.body else ""
        scores.append(word_f1(f"{title}\n\n{article.body}" if title else article.body,
                              labels[key]["main_content"]))
    measured = sum(scores) / len(scores)
    assert measured >= floor, f"WCXB {sample} F1 {measured:.4f} < {floor}"
