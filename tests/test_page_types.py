"""Page types: the shipped model, the features it reads, type-aware extraction, --only."""
from __future__ import annotations

import json
import math
import random

import pytest

from cleaner import PageTypeError, clean, clean_many
from cleaner import reasons as R
from cleaner.cli import main
from cleaner.dedup import Deduplicator
from cleaner.document import HTML, Capture, Line
from cleaner.extract import page_type as P
from cleaner.extract import profiles
from cleaner.extract.blocks import parse_html, read_page
from cleaner.extract.capture_features import text_features
from cleaner.extract.page_features import html_features, ld_types
from cleaner.extract.profiles import add_ld_description, block_document, product_document
from cleaner.frontmatter import render_article
from cleaner.run.local import run
from cleaner.run.only import is_wanted, parse_types, skip_reason
from cleaner.run.outcome import KEPT, SKIPPED
from cleaner.run.stream import clean_json_lines
from cleaner.run.work import Work

SENTENCE = (
    "The new model keeps its charge for two full days of use and weighs less than the "
    "one it replaces, which matters to people who carry it all day."
)
STORY_PARAGRAPHS = (
    "Council approves the new budget after a long night",
    "March 12, 2024",
    ("The city council approved the budget for next year late on Tuesday night, after a "
     "debate that lasted more than six hours and ended with a narrow vote of seven to six."),
    ("The budget raises spending on schools and public transport, and cuts the money set "
     "aside for new roads, which the mayor had said the city could no longer afford."),
    ("Opponents said the plan relied on tax income that might not come, and asked for a "
     "review in the spring; the council agreed to hear the finance office again in April."),
)
STORY = "\n\n".join(STORY_PARAGRAPHS)
STORY_URL = "https://news.example.com/2024/03/12/council-approves-budget"


def page(body: str, head: str = "") -> str:
    return f"<html><head><title>A page</title>{head}</head><body>{body}</body></html>"


def ld(obj: dict) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


PRODUCT_PAGE = page(
    "<main><h1>Trail Runner 2</h1><p class='price'>$129.99</p>"
    "<form><button class='add-to-cart'>Add to cart</button><select><option>42</option></select></form>"
    f"<div class='product-description'><p>{SENTENCE}</p></div></main>",
    head='<meta property="og:type" content="product">'
    + ld({"@context": "https://schema.org", "@type": "Product", "name": "Trail Runner 2",
          "description": "A light trail shoe with a grippy sole, a wide toe box and a "
                         "cushioned heel for long days on rough ground.",
          "offers": {"@type": "Offer", "price": "129.99", "priceCurrency": "USD"}}),
)
PRODUCT_URL = "https://www.example.com/products/trail-runner-2"
FORUM_LINES = [
    "Router keeps dropping the connection every hour",
    "Posted by mike_k · 3 days ago",
    "I have a problem with my router: it disconnects every hour and comes back after a minute.",
    "Reply Quote",
    "Joined: 2011 · Posts: 2,301",
    "Try turning off the power saving mode in the wireless settings; that fixed it for me.",
    "Reply Quote",
    "Joined: 2019 · Posts: 12",
    "Which firmware are you on? The last two updates had exactly this bug.",
    "Reply Quote",
    "Joined: 2015 · Posts: 847",
    "Same here since the update, every 60 minutes on the dot. Rolling back helped.",
    "Reply Quote",
    "Joined: 2020 · Posts: 95",
    "Check the DHCP lease time too, an hour is a suspicious number.",
    "Reply Quote",
    "Joined: 2012 · Posts: 5,118",
    "Thanks, that solved it. The lease time was set to one hour. Marking this thread as solved.",
    "Reply Quote",
    "Joined: 2019 · Posts: 13",
    "Glad it works now.",
    "Reply Quote",
]
FORUM_URL = "https://forum.example.com/t/router-keeps-dropping/4821"


def classify_lines(lines: list[str], url: str | None) -> P.PageType:
    """The type of a text capture's lines, with their LineFacts as the heuristics see them."""
    return P.classify_lines([Line(line) for line in lines], url)


def tiny_model() -> P.Trees:
    """Two types, one stage: type b wins when feature x > 1."""
    leaf_split = {"feature": [0, -1, -1], "threshold": [1.0, 0.0, 0.0], "left": [1, -1, -1],
                  "right": [2, -1, -1], "value": [0.0, -2.0, 2.0]}
    flat = {"feature": [-1], "threshold": [0.0], "left": [-1], "right": [-1], "value": [0.0]}
    return P.Trees.from_json({"types": ["a", "b"], "features": ["x"], "init": [0.0, 0.0],
                              "learning_rate": 1.0, "trees": [[flat, leaf_split]]})


def test_trees_follow_their_splits_and_give_probabilities():
    model = tiny_model()
    low, high = model.probabilities({"x": 0.5}), model.probabilities({"x": 3.0})
    assert low["a"] > 0.5 > low["b"] and high["b"] > 0.5 > high["a"]
    assert abs(sum(high.values()) - 1.0) < 1e-9
    assert model.probabilities({}) == low  # a missing feature reads as 0


def test_shipped_trees_read_through_their_leaf_table_score_as_walked_level_by_level():
    rng = random.Random(7)
    values = [0.0, 1.0, 0.5, 3.0, 250.0, -1.0, math.nan, math.inf]
    for kind, model in P.models().items():
        forest = model.forest
        assert forest.leaf_of is not None, kind  # depth 3: the table is used
        rows = [[rng.choice(values) * rng.random() for _ in model.features] for _ in range(200)]
        tabled = [forest.raw_scores(row).tolist() for row in rows]
        forest.leaf_of = None  # walk the trees instead
        try:
            assert [forest.raw_scores(row).tolist() for row in rows] == tabled, kind
        finally:
            P.model.cache_clear()


def test_shipped_models_cover_every_type_and_their_features():
    for kind, model in P.models().items():
        assert set(model.types) == set(P.PAGE_TYPES), kind
    tree = parse_html(PRODUCT_PAGE)
    names = set(html_features(read_page(tree), PRODUCT_URL))
    assert set(P.models()[P.HTML_MODEL].features) <= names
    assert set(P.models()[P.TEXT_MODEL].features) <= set(
        text_features([Line("a line")], None))


def test_skipped_elements_are_counted_for_the_features():
    tree = parse_html(PRODUCT_PAGE)
    features = html_features(read_page(tree), PRODUCT_URL)
    assert features["n_select"] == 1 and features["n_button"] == 1


def test_a_product_page_is_typed_product():
    tree = parse_html(PRODUCT_PAGE)
    kind = P.classify_html(read_page(tree), PRODUCT_URL)
    assert kind.name == P.PRODUCT
    assert kind.confidence == max(kind.probabilities.values())


def test_a_forum_thread_in_text_is_typed_forum():
    assert classify_lines(FORUM_LINES, FORUM_URL).name == P.FORUM


def test_a_text_capture_of_few_lines_is_an_article_whatever_its_model_says():
    sure = {t: 0.0 for t in P.PAGE_TYPES} | {P.FORUM: 0.99, P.ARTICLE: 0.01}
    assert P.decide_text(sure, True, P.MIN_TYPED_LINES).name == P.FORUM
    assert P.decide_text(sure, True, P.MIN_TYPED_LINES - 1).name == P.ARTICLE
    assert classify_lines(FORUM_LINES[:P.MIN_TYPED_LINES - 1], FORUM_URL).name == P.ARTICLE


def test_a_news_story_in_text_is_typed_article():
    assert classify_lines(list(STORY_PARAGRAPHS), STORY_URL).name == P.ARTICLE


def test_without_url_a_text_capture_is_typed_other_than_article_only_when_sure():
    sure = {t: 0.0 for t in P.PAGE_TYPES} | {P.FORUM: 0.95, P.ARTICLE: 0.05}
    unsure = {t: 0.0 for t in P.PAGE_TYPES} | {P.FORUM: 0.6, P.ARTICLE: 0.4}
    assert P.decide(sure, P.MIN_OTHER_CONFIDENCE_TEXT_NO_URL).name == P.FORUM
    assert P.decide(unsure, P.MIN_OTHER_CONFIDENCE_TEXT_NO_URL).name == P.ARTICLE
    assert P.decide(unsure).name == P.FORUM


@pytest.mark.parametrize(("kind", "typed"), [
    (P.PRODUCT, P.PRODUCT), (P.COLLECTION, P.COLLECTION), (P.DOCUMENTATION, P.DOCUMENTATION),
    (P.LISTING, P.ARTICLE), (P.SERVICE, P.ARTICLE), (P.FORUM, P.ARTICLE),
])
def test_an_html_page_is_a_shops_or_a_manuals_from_a_lower_probability_than_other_types(kind, typed):
    other = P.SERVICE if kind != P.SERVICE else P.FORUM
    found = {t: 0.0 for t in P.PAGE_TYPES} | {kind: 0.45, P.ARTICLE: 0.3, other: 0.25}
    assert P.decide_html(found).name == typed
    below = {t: 0.0 for t in P.PAGE_TYPES} | {kind: 0.38, P.ARTICLE: 0.32, other: 0.3}
    assert P.decide_html(below).name == P.ARTICLE  # the most probable, under every floor


def test_ld_types_finds_nested_types():
    found = ld_types([{"@type": "WebPage", "mainEntity": {"@type": ["Product"], "offers": [{"@type": "Offer"}]}}])
    assert found == {"webpage", "product", "offer"}


def test_page_type_is_in_the_front_matter_of_text_and_html_captures():
    text = clean("\n".join(FORUM_LINES), url=FORUM_URL)
    assert text.page_type == P.FORUM and text.meta["page_type"] == P.FORUM
    html = clean(PRODUCT_PAGE, url=PRODUCT_URL)
    assert html.page_type == P.PRODUCT
    assert list(html.meta).index("page_type") == list(html.meta).index("language") + 1
    assert "page_type: product" in render_article(html)


def test_an_article_file_keeps_its_page_type_when_cleaned_again():
    first = clean("\n".join(FORUM_LINES), url=FORUM_URL)
    again = clean(render_article(first))
    assert again.page_type == first.page_type == P.FORUM


def test_an_unknown_page_type_in_an_article_file_is_left_out_with_a_warning():
    first = render_article(clean("\n".join(FORUM_LINES), url=FORUM_URL))
    again = clean(first.replace("page_type: forum", "page_type: blogroll"))
    assert again.page_type != "blogroll"
    assert any(w.startswith("page_type not kept") for w in again.warnings)


def block_reasons(html: str, url: str | None = None, **options) -> dict[str, str | None]:
    """Each line of the page read from its blocks (`block_document`), with its reason
    (None: kept)."""
    tree = parse_html(html)
    doc = block_document(Capture(html, kind=HTML, url=url), None, tree, read_page(tree), **options)
    return {line.text: line.reason for line in doc.lines}


def test_block_profile_drops_furniture_and_what_lies_outside_main():
    html = page(
        "<nav><a href='/'>Home</a> <a href='/shop'>Shop</a></nav>"
        "<div class='intro'>Sign up for our newsletter and get ten percent off today</div>"
        "<main><h1>Running shoes</h1><ul>"
        + "".join(f"<li><a href='/p/{i}'>Trail Runner {i}</a> light and grippy</li>" for i in range(8))
        + "</ul><div class='share-tools'>Share this page with your friends</div></main>"
        "<footer><p>Copyright 2024 Example Shop</p></footer>"
    )
    tree = parse_html(html)
    capture = Capture(html, kind=HTML, url="https://www.example.com/c/running-shoes")
    doc = block_document(capture, None, tree, read_page(tree))
    kept = [line.text for line in doc.lines if line.kept]
    reasons = {line.text: line.reason for line in doc.lines}
    assert "Trail Runner 0 light and grippy" in kept and "Trail Runner 7 light and grippy" in kept
    assert reasons["Copyright 2024 Example Shop"] == R.FURNITURE_BLOCK
    assert reasons["Share this page with your friends"] == R.FURNITURE_BLOCK  # named so by its class
    assert reasons["Sign up for our newsletter and get ten percent off today"] == R.OUTSIDE_MAIN_CONTENT


def test_a_header_heads_the_page_unless_it_heads_an_article_or_the_main_content():
    cards = "".join(
        f"<article class='river'><header><h2><a href='/n/{i}'>Headphones review number {i}</a></h2>"
        f"<p>What we thought of pair {i} after a month of listening</p></header></article>"
        for i in range(6)
    )
    html = page("<header><p>Example Insider: the latest on gadgets every day</p></header>"
                f"<div class='river'><h1>Headphones</h1>{cards}</div>")
    reasons = block_reasons(html, "https://www.example.com/topic/headphones")
    assert reasons["Headphones review number 0"] is None
    assert reasons["What we thought of pair 5 after a month of listening"] is None
    assert reasons["Example Insider: the latest on gadgets every day"] == R.FURNITURE_BLOCK


def test_dialogs_are_furniture_for_the_block_reading_and_the_fast_engine():
    from cleaner.extract.fast import fast_document

    items = "".join(f"<li><a href='/p/{i}'>Trail Runner {i}</a> light and grippy</li>" for i in range(8))
    html = page(
        "<div role='dialog'><p>We and our partners store and access information on a device.</p>"
        "</div><dialog open><p>Sign up for our letter and save on your first order.</p></dialog>"
        f"<div><h1>Running shoes</h1><ul>{items}</ul><p>{SENTENCE}</p><p>{SENTENCE.upper()}</p></div>"
    )
    for read in (lambda tree: block_document(Capture(html, kind=HTML), None, tree, read_page(tree)),
                 lambda tree: fast_document(Capture(html, kind=HTML), None, read_page(tree), tree)):
        reasons = {line.text: line.reason for line in read(parse_html(html)).lines}
        assert reasons[SENTENCE] is None
        assert reasons["We and our partners store and access information on a device."] is not None
        assert reasons["Sign up for our letter and save on your first order."] is not None


def test_a_lists_block_reading_drops_its_filters():
    items = "".join(f"<li><a href='/p/{i}'>Trail Runner {i}</a> light and grippy</li>" for i in range(8))
    html = page(
        "<main><h1>Running shoes</h1><div class='filter-panel'><p>Brand</p><p>Colour</p></div>"
        f"<ul>{items}</ul></main>"
    )
    reasons = block_reasons(html, controls=True)
    assert reasons["Colour"] == R.FURNITURE_BLOCK and reasons["Trail Runner 7 light and grippy"] is None
    assert block_reasons(html)["Colour"] is None  # a service page's


def test_a_lists_main_prose_in_its_main_region_is_kept_whatever_its_class_names_say():
    items = "".join(f"<li><a href='/p/{i}'>Trail Runner {i}</a> light and grippy</li>" for i in range(30))
    copy = (f"<div class='seo-footer-copy'><h2>Shop running shoes</h2><p>{SENTENCE}</p>"
            f"<p>{STORY_PARAGRAPHS[2]}</p></div>")
    legal = f"<div class='site-footer'><p>{SENTENCE.upper()}</p><p>{SENTENCE.upper()}</p></div>"
    html = page(f"<main><h1>Running shoes</h1><ul>{items}</ul>{copy}</main>{legal}")
    reasons = block_reasons(html, controls=True)
    assert reasons["Shop running shoes"] is None and reasons[SENTENCE] is None
    assert reasons[SENTENCE.upper()] is not None  # prose outside the main region: still furniture
    assert block_reasons(html)[SENTENCE] == R.FURNITURE_BLOCK  # not a list's page: named furniture
    # a page with no main region spares nothing: its best prose may be the footer's
    unmarked = page(f"<div><h1>Running shoes</h1><ul>{items}</ul></div>{legal}")
    assert block_reasons(unmarked, controls=True)[SENTENCE.upper()] == R.FURNITURE_BLOCK
    # tags still say furniture, whatever the main region's prose
    tagged = page(f"<main><h1>Running shoes</h1><ul>{items}</ul><footer><p>{SENTENCE}</p></footer></main>")
    assert block_reasons(tagged, controls=True)[SENTENCE] == R.FURNITURE_BLOCK


@pytest.mark.parametrize(("kind", "confidence"), [
    (P.COLLECTION, 0.99), (P.LISTING, 0.99), (P.LISTING, 0.6),  # read from blocks, or by the engine
])
def test_a_lists_prices_ranks_and_reading_times_are_its_items_lines(monkeypatch, kind, confidence):
    from cleaner.pipeline import clean_capture

    items = "".join(
        f"<li><h3><a href='/p/{i}'>Trail Runner {i}, light and grippy on wet rock</a></h3>"
        f"<p>#{i + 1}</p><p>${i + 40}.99</p><p>Mar 0{i + 1}, 2026 · {i + 2} min read</p>"
        f"<p>{SENTENCE}</p></li>" for i in range(6)
    )
    html = page(f"<main><h1>Running shoes</h1><ul>{items}</ul></main>")
    capture = Capture(html, kind=HTML, url="https://shop.example.com/c/running-shoes")
    monkeypatch.setattr(profiles, "classify_html", lambda page, url: P.PageType(kind, confidence, {}))
    decisions = {line.text: line.reason for line in clean_capture(capture).decisions}
    assert decisions["$42.99"] is None and decisions["#3"] is None
    assert decisions["Mar 02, 2026 · 3 min read"] is None
    monkeypatch.setattr(profiles, "classify_html", lambda page, url: P.PageType(P.SERVICE, 0.99, {}))
    decisions = {line.text: line.reason for line in clean_capture(capture).decisions}
    assert decisions["$42.99"] == R.SYMBOL_LINE and decisions["#3"] == R.NUMBER_LINE


def test_a_menu_of_many_links_on_a_lists_page_is_furniture_whatever_its_length():
    items = "".join(f"<li><h3>Repository {i}</h3><p>{SENTENCE}</p></li>" for i in range(4))
    languages = " ".join(f"<a href='/l/{i}'>Language number {i}</a>" for i in range(120))
    html = page(f"<main><h1>Trending</h1><div class='select-menu'><div>{languages}</div></div>"
                f"<ul>{items}</ul></main>")
    menu = next(text for text in block_reasons(html) if text.startswith("Language number 0"))
    assert block_reasons(html, controls=True)[menu] == R.FURNITURE_BLOCK
    assert block_reasons(html, controls=True)["Repository 3"] is None
    assert block_reasons(html)[menu] is None  # elsewhere, half the page's text is no furniture


@pytest.mark.parametrize(("kind", "confidence"), [
    (P.COLLECTION, 0.99), (P.LISTING, 0.99), (P.LISTING, 0.6),  # read from blocks, or by the engine
])
def test_a_lists_items_said_again_are_dropped_once_said(monkeypatch, kind, confidence):
    from cleaner.extract.fast import fast_document

    cards = "".join(f"<li><h3>Trail Runner {i} light and grippy</h3><p>$129</p><p>Quick view</p>"
                    f"<p>{SENTENCE}</p></li>" for i in range(4))
    html = page(f"<main><h1>Running shoes</h1><ul class='carousel-track'>{cards}</ul>"
                f"<h2>All shoes</h2><ul>{cards}</ul></main>")

    def read(kind: str, confidence: float) -> list[tuple[str, str | None]]:
        monkeypatch.setattr(profiles, "classify_html", lambda page, url: P.PageType(kind, confidence, {}))
        doc = profiles.typed_html_document(Capture(html, kind=HTML), None, fast_document)
        return [(line.text, line.reason) for line in doc.lines]

    decisions = read(kind, confidence)
    assert [reason for text, reason in decisions if text == "Trail Runner 2 light and grippy"] == [
        None, R.REPEATED_ITEM]
    kept = [text for text, reason in decisions if reason is None]
    assert kept.count("Quick view") == 8 and kept.count("$129") == 8  # short lines: each item's own
    # other pages drop a line said before as repeated text (drop_repeated_text), but a
    # manual, whose examples may repeat a line
    assert [reason for text, reason in read(P.SERVICE, 0.99)
            if text == "Trail Runner 2 light and grippy"] == [None, R.REPEATED_TEXT]
    kept = [text for text, reason in read(P.DOCUMENTATION, 0.99) if reason is None]
    assert kept.count("Trail Runner 2 light and grippy") == 2


def test_block_profile_keeps_clickable_cards_and_drops_buttons():
    cards = "".join(
        f"<div role='button' class='card'><h3>Story number {i} of the week</h3>"
        f"<p>{SENTENCE}</p></div>" for i in range(3)
    )
    html = page(f"<main><h1>Science</h1>{cards}<div role='button'>Load more stories</div></main>")
    reasons = block_reasons(html)
    assert reasons["Story number 2 of the week"] is None and reasons[SENTENCE] is None
    assert reasons["Load more stories"] == R.FURNITURE_BLOCK  # a button's one block: its label


def test_block_profile_keeps_an_accordions_questions_but_not_a_lists_buttons():
    faq = "".join(
        f"<div class='faq'><h3><button aria-expanded='false'>How long does question {i} take?"
        "</button></h3>"
        f"<div class='answer'><p>{SENTENCE}</p></div></div>" for i in range(3)
    )
    html = page(f"<main><h1>Our services</h1>{faq}</main>")
    assert block_reasons(html)["How long does question 2 take?"] is None
    # a list's page: a heading made a button is a filter's toggle
    assert block_reasons(html, controls=True)["How long does question 2 take?"] == R.FURNITURE_BLOCK


def test_product_description_comes_from_json_ld_when_the_page_lacks_it():
    html = page("<main><h1>Trail Runner 2</h1><p>$129.99</p></main>",
                head=ld({"@type": "Product", "description": SENTENCE}))
    tree = parse_html(html)
    page_read = read_page(tree)
    doc = block_document(Capture(html, kind=HTML), None, tree, page_read)
    add_ld_description(doc, page_read)
    assert SENTENCE in [line.text for line in doc.lines if line.kept]
    before = len(doc.lines)
    add_ld_description(doc, page_read)  # already there: not added twice
    assert len(doc.lines) == before


def test_a_json_ld_description_the_page_shows_in_its_own_typography_is_not_added_again():
    shown = "The shoe\u2019s \u201cgrip\u201d sole \u2014 " + SENTENCE
    described = "The shoe's \"grip\" sole - " + SENTENCE
    html = page(f"<main><h1>Trail Runner 2</h1><p>{shown}</p></main>",
                head=ld({"@type": "Product", "description": described}))
    tree = parse_html(html)
    page_read = read_page(tree)
    doc = block_document(Capture(html, kind=HTML), None, tree, page_read)
    before = len(doc.lines)
    add_ld_description(doc, page_read)
    assert len(doc.lines) == before


def product_lines(body: str) -> dict[str, str | None]:
    html = page(body)
    tree = parse_html(html)
    doc = product_document(Capture(html, kind=HTML), None, tree, read_page(tree))
    return {line.text: line.reason for line in doc.lines}


def test_product_reading_keeps_the_description_and_drops_prices_links_and_related():
    others = "".join(f"<li><a href='/p/{i}'>Road Runner {i}</a></li>" for i in range(5))
    reasons = product_lines(
        "<main><h1>Trail Runner 2</h1><p class='price'>Now $129.99</p>"
        "<a href='#reviews'>Read all 48 reviews</a>"
        f"<div class='product-description'><p>{SENTENCE}</p><p>{SENTENCE.upper()}</p></div>"
        "<div class='small'>Free delivery on orders over fifty dollars</div>"
        f"<section class='related-products'><h2>You may also like</h2><ul>{others}</ul></section>"
        "</main>"
    )
    assert reasons[SENTENCE] is None and reasons[SENTENCE.upper()] is None
    assert reasons["Trail Runner 2"] == R.TITLE_REPEAT  # not OUTSIDE_DESCRIPTION: the <h1> stays
    assert reasons["Now $129.99"] == R.PRICE_LINE
    assert reasons["Read all 48 reviews"] == R.LINK_BLOCK
    assert reasons["Road Runner 4"] == R.FURNITURE_BLOCK
    assert reasons["Free delivery on orders over fifty dollars"] == R.OUTSIDE_DESCRIPTION


def test_product_reading_drops_the_sections_headings_announce_as_other_products():
    others = "".join(f"<div class='card'><p>Road Runner {i}</p><p>$99</p></div>" for i in range(3))
    reasons = product_lines(
        f"<main><h1>Trail Runner 2</h1><div class='about'><p>{SENTENCE}</p></div>"
        f"<div class='carousel'><h2>People who viewed this item also viewed</h2>{others}</div>"
        "<h2>Frequently bought together</h2><p>Trail socks, three pairs</p>"
        "<h2>Shipping and returns</h2><p>Returns are free within thirty days of delivery.</p>"
        "<a href='/similar'>Shop similar products</a></main>"
    )
    assert reasons[SENTENCE] is None
    assert reasons["Road Runner 2"] == R.OTHER_PRODUCTS  # the element the heading opens
    assert reasons["Trail socks, three pairs"] == R.OTHER_PRODUCTS  # up to the next <h2>
    assert reasons["Returns are free within thirty days of delivery."] is None
    assert reasons["Shop similar products"] == R.LINK_BLOCK  # a link announces nothing


def test_a_short_description_does_not_stand_for_the_whole_product_page():
    features = "".join(f"<li>{SENTENCE} ({i})</li>" for i in range(4))
    reasons = product_lines(
        f"<main><h1>Trail Runner 2</h1><div class='short-description'><p>{SENTENCE}</p></div>"
        f"<h2>Features</h2><ul>{features}</ul></main>"
    )
    assert reasons[SENTENCE] is None and reasons["Features"] is None
    assert all(reasons[f"{SENTENCE} ({i})"] is None for i in range(4))


# --- --only ---------------------------------------------------------------------------

def test_only_parses_names_and_says_what_is_wanted():
    only = parse_types("article, Listing")
    assert only == {P.ARTICLE, P.LISTING}
    assert parse_types(["forum"]) == {P.FORUM} and parse_types(None) is None
    assert is_wanted(P.ARTICLE, only) and not is_wanted(P.FORUM, only)
    assert is_wanted(P.FORUM, None)
    assert is_wanted(None, {P.FORUM})  # no text to classify: empty, not skipped
    assert skip_reason(P.LISTING) == "page type: listing"
    with pytest.raises(PageTypeError, match="unknown page type blog"):
        parse_types("article,blog")
    with pytest.raises(PageTypeError):
        parse_types(" , ")


def test_the_worker_skips_an_unwanted_type_once_cleaned():
    forum = Capture("\n".join(FORUM_LINES), source="forum.txt", url=FORUM_URL)
    story = Capture(STORY, source="story.txt", url=STORY_URL)
    outcomes = Work(None, only=frozenset({P.ARTICLE}))([forum, story])
    assert [o.status for o in outcomes] == [SKIPPED, KEPT]
    assert outcomes[0].reason == "page type: forum" and outcomes[0].record is None
    assert [o.page_type for o in outcomes] == [P.FORUM, P.ARTICLE]


def test_clean_many_skips_unwanted_types_and_does_not_index_them():
    forum = Capture("\n".join(FORUM_LINES), source="forum.txt", url=FORUM_URL)
    story = Capture(STORY, source="story.txt", url=STORY_URL)
    with Deduplicator() as index:
        results = list(clean_many([forum, story, forum], dedup=index, only="article"))
        assert [r.status for r in results] == ["skipped", "written", "skipped"]
        assert results[0].reason == "page type: forum" and results[0].page_type == P.FORUM
        assert len(index) == 1
    with pytest.raises(PageTypeError):
        clean_many([story], only="articles")  # refused at the call, before any item


def test_stream_records_say_skipped_and_the_page_type():
    lines = [json.dumps({"url": FORUM_URL, "text": "\n".join(FORUM_LINES)}),
             json.dumps({"url": STORY_URL, "text": STORY})]
    records = list(clean_json_lines(lines, only=["article"]))
    assert records[0]["status"] == "skipped" and records[0]["page_type"] == P.FORUM
    assert records[0]["reason"] == "page type: forum"
    assert records[1]["status"] == "written" and records[1]["page_type"] == P.ARTICLE


def write_captures(folder):
    folder.mkdir()
    (folder / "forum.txt").write_text("\n".join(FORUM_LINES), encoding="utf-8")
    (folder / "forum.meta.json").write_text(json.dumps({"url": FORUM_URL}), encoding="utf-8")
    (folder / "story.txt").write_text(STORY, encoding="utf-8")
    (folder / "story.meta.json").write_text(json.dumps({"url": STORY_URL}), encoding="utf-8")


def manifest(out):
    return [json.loads(line) for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]


def test_a_run_with_only_writes_the_wanted_types_and_counts_every_type(tmp_path):
    write_captures(tmp_path / "in")
    summary = run([tmp_path / "in"], tmp_path / "out", only="article")
    rows = {row["source"].rsplit("/", 1)[-1]: row for row in manifest(tmp_path / "out")}
    assert rows["forum.txt"]["status"] == "skipped" and rows["forum.txt"]["article"] is None
    assert rows["forum.txt"]["reason"] == "page type: forum"
    assert rows["forum.txt"]["page_type"] == P.FORUM
    assert rows["story.txt"]["status"] == "written" and rows["story.txt"]["page_type"] == P.ARTICLE
    written = list((tmp_path / "out").glob("*/*.md"))
    assert len(written) == 1
    saved = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert saved["page_types"] == {"article": 1, "forum": 1}
    assert saved["statuses"]["skipped"] == 1
    assert "1 skipped" in summary.line() and "page types: 1 article, 1 forum" in summary.line()
    # a later run that wants every type writes what was skipped: it was not registered
    again = run([tmp_path / "in"], tmp_path / "out")
    assert again.statuses["skipped"] == 0
    rows = {row["source"].rsplit("/", 1)[-1]: row for row in manifest(tmp_path / "out")}
    assert rows["forum.txt"]["status"] == "written" and rows["forum.txt"]["page_type"] == P.FORUM
    assert len(list((tmp_path / "out").glob("*/*.md"))) == 2


def test_the_cli_refuses_an_unknown_type_before_any_work(tmp_path, capsys):
    write_captures(tmp_path / "in")
    code = main(["clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--only", "article,blog"])
    assert code == 2
    assert "unknown page type blog" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_the_cli_only_option_skips_other_types(tmp_path, capsys):
    write_captures(tmp_path / "in")
    code = main(["clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--only", "forum", "--jobs", "1"])
    assert code == 0
    statuses = {row["source"].rsplit("/", 1)[-1]: row["status"] for row in manifest(tmp_path / "out")}
    assert statuses == {"forum.txt": "written", "story.txt": "skipped"}


def test_the_cli_only_option_given_twice_wants_both_lists(tmp_path, capsys):
    write_captures(tmp_path / "in")
    code = main(["clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--only", "forum",
                 "--only", "article", "--jobs", "1"])
    assert code == 0
    statuses = {row["source"].rsplit("/", 1)[-1]: row["status"] for row in manifest(tmp_path / "out")}
    assert statuses == {"forum.txt": "written", "story.txt": "written"}


@pytest.mark.parametrize(("kind", "confidence", "reader"), [
    (P.ARTICLE, 0.99, "engine"), (P.FORUM, 0.99, "posts"), (P.FORUM, 0.8, "engine"),
    (P.PRODUCT, 0.99, "blocks"), (P.PRODUCT, 0.9, "engine"),
    (P.LISTING, 0.95, "blocks"), (P.LISTING, 0.6, "engine"), (P.SERVICE, 0.95, "blocks"),
    (P.DOCUMENTATION, 0.5, "engine"), (P.COLLECTION, 0.96, "blocks"), (P.COLLECTION, 0.6, "blocks"),
])
def test_each_page_type_is_read_by_its_profile(monkeypatch, kind, confidence, reader):
    used = []

    def engine(capture, ruleset, page, tree, posts=False):
        used.append(("posts" if posts else "engine", page))
        return block_document(capture, ruleset, tree, page)

    read = []

    def reading(tree):
        read.append(tree)
        return read_page(tree)

    monkeypatch.setattr(profiles, "classify_html", lambda page, url: P.PageType(kind, confidence, {}))
    monkeypatch.setattr(profiles, "read_page", reading)
    doc = profiles.typed_html_document(Capture(PRODUCT_PAGE, kind=HTML), None, engine)
    assert doc.meta["page_type"] == kind
    assert ([name for name, _ in used[:1]] or ["blocks"]) == [reader]
    assert len(read) == 1  # one walk of the page, whichever reads it
    assert all(page is not None for _, page in used)  # the engine is handed the page read


@pytest.mark.parametrize("kind, confidence", [
    (P.LISTING, profiles.MIN_BLOCKS_CONFIDENCE - 0.2), (P.ARTICLE, 0.99),
    (P.DOCUMENTATION, 0.6),
])
@pytest.mark.parametrize("engine_keeps, reader", [(False, "blocks"), (True, "engine")])
def test_a_page_is_read_from_its_blocks_when_the_engine_keeps_little_of_it(
    monkeypatch, kind, confidence, engine_keeps, reader
):
    read = []

    def engine(capture, ruleset, page, tree, posts=False):
        doc = block_document(capture, ruleset, tree, page)
        read.append(doc)
        if not engine_keeps:  # nothing of the listing taken for its article
            for i in doc.kept():
                doc.drop(i, R.NO_MAIN_TEXT)
        return doc

    typed = P.PageType(kind, confidence, {})
    monkeypatch.setattr(profiles, "classify_html", lambda page, url: typed)
    doc = profiles.typed_html_document(Capture(PRODUCT_PAGE, kind=HTML), None, engine)
    assert ("engine" if doc is read[0] else "blocks") == reader
    assert doc.meta["page_type"] == kind and doc.kept()


LIST_ITEMS = [f"Council meeting number {i} votes on the new budget for the harbour" for i in range(10)]
LIST_PAGE = page(
    "<main><h1>Council news</h1><div class='byline'>By Jane Doe, city desk</div><ul>"
    + "".join(f"<li><a href='/n/{i}'>{item}</a></li>" for i, item in enumerate(LIST_ITEMS))
    + "</ul><div class='related-stories'>"
    + "".join(f"<p><a href='/r/{i}'>Harbour story {i} you may have missed</a></p>" for i in range(5))
    + "</div></main>"
)


@pytest.mark.parametrize("engine_items, confidence, reader", [
    (4, 0.7, "strict"),  # 4 of 10 items: above 0.2 of the loose reading, below 0.5 of the strict one
    (6, 0.7, "engine"),  # more than half of the strict reading
    (4, 0.95, "loose"),  # sure of its type: read from its blocks, related lists and all
])
def test_an_uncertain_listing_is_read_strictly_from_its_blocks_when_the_engine_took_a_piece(
    monkeypatch, engine_items, confidence, reader
):
    def engine(capture, ruleset, page, tree, posts=False):
        doc = block_document(capture, ruleset, tree, page)
        items = [i for i in doc.kept() if doc.lines[i].text in LIST_ITEMS]
        for i in doc.kept():
            if i not in items[:engine_items]:
                doc.drop(i, R.NO_MAIN_TEXT)
        return doc

    monkeypatch.setattr(profiles, "classify_html", lambda page, url: P.PageType(P.LISTING, confidence, {}))
    doc = profiles.typed_html_document(Capture(LIST_PAGE, kind=HTML), None, engine)
    kept = [doc.lines[i].text for i in doc.kept()]
    items = [text for text in kept if text in LIST_ITEMS]
    furniture = [text for text in kept if "Jane Doe" in text or "Harbour story" in text]
    assert (len(items), bool(furniture)) == {
        "strict": (10, False), "engine": (6, False), "loose": (10, True)}[reader]


def test_a_forum_thread_is_the_engines_whatever_it_keeps(monkeypatch):
    def engine(capture, ruleset, page, tree, posts=False):
        doc = block_document(capture, ruleset, tree, page)
        for i in doc.kept():
            doc.drop(i, R.NO_MAIN_TEXT)
        read.append(doc)
        return doc

    read = []
    monkeypatch.setattr(profiles, "classify_html", lambda page, url: P.PageType(P.FORUM, 0.99, {}))
    assert profiles.typed_html_document(Capture(PRODUCT_PAGE, kind=HTML), None, engine) is read[0]


def test_a_form_wrapping_the_whole_page_is_not_furniture_but_a_small_one_is():
    items = "".join(f"<li><a href='/p/{i}'>Gas barbecue model {i}</a> four burners, cast iron</li>"
                    for i in range(8))
    html = page("<form action='/search'><p>Search our whole shop</p></form>"
                f"<form id='aspnetForm' action='/list'><h1>Gas barbecues</h1><ul>{items}</ul></form>")
    reasons = block_reasons(html, "https://www.example.com/c/gas-barbecues")
    assert reasons["Gas barbecue model 0 four burners, cast iron"] is None
    assert reasons["Search our whole shop"] == R.FURNITURE_BLOCK


def test_a_threads_signatures_and_user_cards_are_dropped(monkeypatch):
    from cleaner.pipeline import html_reader

    posts = "".join(
        f"<div class='post'><div class='user-info'>member{i} Posts: 1,20{i} Joined 2019</div>"
        f"<div class='message-userTitle'>Senior member, rank {i}</div>"
        f"<div class='post-body'><p>{SENTENCE} Reply number {i}.</p></div>"
        f"<div class='signature'>My rig: a small desktop with a quiet fan number {i}</div></div>"
        for i in range(4)
    )
    notices = "<ul class='notices'><li class='notice'>Scam alert: never send money to a seller you met here</li></ul>"
    html = page(f"<main><h1>Which trail shoe for wet rocks?</h1>{notices}{posts}</main>")
    monkeypatch.setattr(profiles, "classify_html", lambda page, url: P.PageType(P.FORUM, 0.99, {}))
    doc = profiles.typed_html_document(Capture(html, kind=HTML), None, html_reader("fast"))
    reasons = {line.text: line.reason for line in doc.lines}
    assert all(reasons[f"{SENTENCE} Reply number {i}."] is None for i in range(4))
    assert reasons["My rig: a small desktop with a quiet fan number 2"] == R.FURNITURE_BLOCK
    assert reasons["member1 Posts: 1,201 Joined 2019"] is not None
    assert reasons["Senior member, rank 3"] == R.FURNITURE_BLOCK
    assert reasons["Scam alert: never send money to a seller you met here"] == R.FURNITURE_BLOCK


def html_reader_fast():
    from cleaner.pipeline import html_reader

    return html_reader("fast")


def forum_lines(monkeypatch, html: str) -> list[Line]:
    monkeypatch.setattr(profiles, "classify_html", lambda page, url: P.PageType(P.FORUM, 0.99, {}))
    return profiles.typed_html_document(Capture(html, kind=HTML), None, html_reader_fast()).lines


def forum_reasons(monkeypatch, html: str) -> dict[str, str | None]:
    return {line.text: line.reason for line in forum_lines(monkeypatch, html)}


def test_the_comments_on_a_threads_posts_are_dropped_but_posts_named_comments_stay(monkeypatch):
    remarks = "".join(f"<li class='comment'>Did you try turning it off, remark {i}?</li>" for i in range(3))
    posts = "".join(
        f"<div class='{kind}'><div class='post-body'><p>{SENTENCE} {kind.title()} {i}.</p>"
        f"<p>{SENTENCE.upper()}</p></div><ul class='comments-list'>{remarks}</ul></div>"
        for i, kind in enumerate(("question", "answer", "answer"))
    )
    reasons = forum_reasons(monkeypatch, page(f"<main><h1>Why does my laptop fan spin?</h1>{posts}</main>"))
    assert reasons[f"{SENTENCE} Question 0."] is None and reasons[f"{SENTENCE} Answer 2."] is None
    assert reasons["Did you try turning it off, remark 1?"] == R.FURNITURE_BLOCK

    posts = "".join(
        f"<article class='comment'><p class='author'>member{i}</p><p>{SENTENCE} Reply {i}.</p></article>"
        for i in range(4)
    )
    reasons = forum_reasons(monkeypatch, page(f"<main><h1>Trail shoes for wet rocks</h1>{posts}</main>"))
    assert all(reasons[f"{SENTENCE} Reply {i}."] is None for i in range(4))


def test_a_page_says_a_line_once_but_a_manual_may_repeat_its_code(monkeypatch):
    quote = "Has anybody tried the new release on an old laptop yet?"
    posts = (f"<div class='post'><p>{quote}</p><p>{SENTENCE}</p></div>"
             f"<div class='post'><blockquote>{quote}</blockquote><p>Yes, it runs fine here.</p>"
             f"<p>{SENTENCE.upper()}</p></div><div class='post'><p>Same here, no trouble.</p></div>")
    reasons = [(line.text, line.reason) for line in forum_lines(monkeypatch, page(f"<main>{posts}</main>"))]
    assert reasons.count((quote, None)) == 1 and (quote, R.REPEATED_TEXT) in reasons

    code = "".join(f"<h2>Step {i}</h2><p>{SENTENCE}</p><pre>pip install acme-tools</pre>" for i in range(3))
    monkeypatch.setattr(profiles, "classify_html", lambda page, url: P.PageType(P.DOCUMENTATION, 0.99, {}))
    doc = profiles.typed_html_document(Capture(page(f"<main>{code}</main>"), kind=HTML), None, html_reader_fast())
    assert [line.text for line in doc.lines if line.kept].count("pip install acme-tools") == 3


def test_a_thread_with_site_rules_is_not_judged_by_the_blocks_typing_read(monkeypatch):
    from tests.test_html import html_rules

    promos = "".join(f"<div class='promo'><p>Promo line {i}</p></div>" for i in range(6))
    posts = "".join(
        f"<div class='post'><div class='post-body'><p>{SENTENCE} Reply number {i}.</p></div>"
        f"<div class='signature'>My rig: a small desktop with a quiet fan number {i}</div></div>"
        for i in range(4)
    )
    html = page(f"{promos}<main><h1>Which trail shoe for wet rocks?</h1>{posts}</main>")
    monkeypatch.setattr(profiles, "classify_html", lambda page, url: P.PageType(P.FORUM, 0.99, {}))
    ruleset = html_rules({"strip": [{"name": "promo", "selector": "div.promo"}]})
    capture = Capture(html, kind=HTML, url="https://example.com/t/1")
    doc = profiles.typed_html_document(capture, ruleset, html_reader_fast())
    reasons = {line.text: line.reason for line in doc.lines}
    assert all(reasons[f"{SENTENCE} Reply number {i}."] is None for i in range(4))
    # the rules' reading has blocks of its own: the signatures are judged alike, not by
    # whatever block of the typing's reading their index points at
    assert len({reasons[f"My rig: a small desktop with a quiet fan number {i}"] for i in range(4)}) == 1
