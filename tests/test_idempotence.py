"""Property: cleaning an article file that cleaner wrote gives that same file back.

Checked on every fixture and, when the development set is beside the checkout, on
every text capture in it and a sample of its HTML captures: real pages of many
shapes, where a heuristic that is not a fixpoint would show.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import clean
from cleaner.frontmatter import render_article
from cleaner.pipeline import clean_capture
from cleaner.sources.files import find_captures, read_capture

from .conftest import FIXTURES, ROOT

DEVSET = ROOT.parent / "shared" / "devset"
# One HTML page in HTML_STEP: HTML extraction is the slow part of the suite.
HTML_STEP = 10


def captures() -> list[Path]:
    found = list(find_captures([FIXTURES]))
    if DEVSET.is_dir():
        found += list(find_captures([DEVSET / "text"]))
        found += list(find_captures([DEVSET / "html"]))[::HTML_STEP]
    return found


def test_cleaning_an_article_file_again_changes_nothing():
    changed = []
    for path in captures():
        article = clean_capture(read_capture(path))
        if article.is_empty:
            continue
        written = render_article(article)
        again = render_article(clean(written, source=article.source))
        if again != written:
            changed.append(str(path))
    assert not changed, f"{len(changed)} articles changed when cleaned again: {changed[:5]}"


@pytest.mark.parametrize("text", [
    "Menu\nHome\nNews\n\nA headline for the story\n\n" + "A sentence of the article body here. " * 5,
    "Only a short line",
    "",
])
def test_clean_of_clean_is_clean(text):
    first = clean(text)
    second = clean(render_article(first))
    assert (second.body, second.meta["title"]) == (first.body, first.meta["title"])
