"""HTML captures: extraction, site `html:` rules, metadata, and pages that are not well-formed."""
from __future__ import annotations

import json
from dataclasses import replace
from types import SimpleNamespace

import pytest
import yaml

from cleaner import clean, pipeline
from cleaner.document import HTML, Capture
from cleaner.extract import html as trafilatura_engine
from cleaner.extract.fast import fast_document
from cleaner.extract.html import html_document
from cleaner.pipeline import clean_capture
from cleaner.siterules.load import parse_ruleset
from cleaner.siterules.rulebook import default_rulebook
from cleaner.sources.files import read_capture

from .conftest import FIXTURES

# Every test here runs on both HTML engines: the document-level ones through
# `html_document`, the others through the pipeline's default engine.
ENGINES = {pipeline.TRAFILATURA: trafilatura_engine.html_document, pipeline.FAST: fast_document}


@pytest.fixture(autouse=True, params=list(ENGINES))
def engine(request, monkeypatch):
    monkeypatch.setattr(pipeline, "DEFAULT_HTML_ENGINE", request.param)
    monkeypatch.setitem(globals(), "html_document", ENGINES[request.param])
    return request.param


@pytest.fixture
def fast_engine_only(engine):
    """For the fast engine's own steps (teaser cards, link blocks, figures, related lists,
    furniture names): on the trafilatura engine, trafilatura reads such markup its own way."""
    if engine != pipeline.FAST:
        pytest.skip("a step of the fast engine's own")


PROSE = [
    ("The city council approved the new budget on Tuesday after a long debate that "
    "lasted well into the evening, with members divided over spending on schools."),
    ("Supporters said the plan would repair roads and bridges that have been neglected "
    "for years, while critics warned that the tax increase would hurt small businesses."),
    ("The mayor is expected to sign the budget next week, and the first projects could "
    "begin as early as the spring, according to officials familiar with the schedule."),
]
GERMAN = [
    ("Der Stadtrat hat am Dienstag den neuen Haushalt beschlossen, nachdem die Debatte "
    "bis in den Abend gedauert hatte und die Mitglieder über die Ausgaben stritten."),
    ("Die Befürworter sagen, dass mit dem Plan auch die Straßen und die Brücken repariert "
    "werden, die seit Jahren nicht mehr instand gesetzt worden sind."),
    ("Der Bürgermeister wird den Haushalt in der nächsten Woche unterschreiben, und die "
    "ersten Projekte könnten schon im Frühjahr beginnen."),
]
JSON_LD = {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    "headline": "Council approves budget",
    "datePublished": "2024-03-12T09:30:00+01:00",
    "author": {"@type": "Person", "name": "Jane Doe"},
    "publisher": {"@type": "Organization", "name": "Example Times"},
}


def page(
    paragraphs=PROSE,
    *,
    lang="en",
    head="",
    before="",
    after="",
    json_ld=JSON_LD,
) -> str:
    """A small news page: navigation, an article, a footer."""
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    script = f'<script type="application/ld+json">{json.dumps(json_ld)}</script>' if json_ld else ""
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>Council approves budget | Example Times</title>
{head}{script}</head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/politics">Politics</a></li>
<li><a href="/sport">Sport</a></li></ul></nav>
<article><h1 class="headline">Council approves budget</h1>
{before}<div class="story">{body}</div>{after}</article>
<footer><p>Copyright 2024 Example Times. All rights reserved.</p></footer>
</body></html>"""


def html_rules(rules: dict):
    """A rule set whose `html:` part is `rules`, read as a rule file would be."""
    head = "id: site\nname: Site\nversion: 1\nmatch:\n  hosts: [example.com]\n"
    return parse_ruleset(head + yaml.safe_dump({"html": rules}), "site.yaml")


def document(html: str, rules: dict | None = None, url: str | None = "https://example.com/a/1"):
    ruleset = html_rules(rules) if rules is not None else None
    return html_document(Capture(text=html, kind=HTML, url=url), ruleset)


def kept_text(doc) -> str:
    return "\n".join(line.text for line in doc.lines if line.kept)


def test_article_paragraphs_are_lines_and_page_furniture_is_not():
    doc = document(page())
    kept = [line.text for line in doc.lines if line.kept]
    assert kept == PROSE
    assert "Copyright" not in kept_text(doc)
    assert "Politics" not in kept_text(doc)


def test_title_is_not_a_body_line():
    doc = document(page())
    assert not any(line.text == "Council approves budget" and line.kept for line in doc.lines)


def test_strip_selectors_remove_elements_before_extraction():
    related = "<div class='box'><p>" + "Also worth reading about the council and its many budget " \
        "decisions over the years, in our archive of local politics coverage.</p></div>"
    assert "archive of local politics" in kept_text(document(page(after=related)))
    doc = document(page(after=related), {"strip": [".box"]})
    assert "archive of local politics" not in kept_text(doc)
    assert PROSE[0] in kept_text(doc)


def test_body_selector_limits_extraction_to_that_part():
    aside = "<p>" + "A sidebar paragraph long enough to look like prose to the extractor, " * 3 + "</p>"
    html = page(before=f"<div class='intro'>{aside}</div>")
    assert "sidebar paragraph" in kept_text(document(html))
    doc = document(html, {"body": ["div.missing", "div.story"]})
    assert "sidebar paragraph" not in kept_text(doc)
    assert PROSE[2] in kept_text(doc)


def test_xpath_selectors_work_like_css():
    html = page(after="<div class='promo'><p>" + "Subscribe to our paper today and save. " * 5 + "</p></div>")
    doc = document(html, {"strip": ["//div[@class='promo']"]})
    assert "Subscribe" not in kept_text(doc)


def test_metadata_from_json_ld_meta_tags_and_canonical_link():
    head = (
        '<link rel="canonical" href="https://example.com/news/council-budget">'
        '<meta name="author" content="Jane Doe">'
    )
    meta = document(page(head=head)).meta
    assert meta["title"] == "Council approves budget"
    assert meta["published"] == "2024-03-12"
    assert meta["authors"] == ["Jane Doe"]
    assert meta["site_name"] == "Example Times"
    assert meta["url"] == "https://example.com/news/council-budget"
    assert meta["language"] == "en"


def test_date_found_in_the_page_without_json_ld():
    head = '<meta property="article:published_time" content="2023-11-05T08:00:00Z">'
    assert document(page(head=head, json_ld=None)).meta["published"] == "2023-11-05"


def test_capture_url_is_kept_without_a_canonical_link():
    assert document(page()).meta["url"] == "https://example.com/a/1"


def test_declared_language_loses_to_clearly_different_text():
    assert document(page(GERMAN, lang="de")).meta["language"] == "de"
    assert document(page(GERMAN, lang="en")).meta["language"] == "de"


def test_declared_language_the_guesser_cannot_know_is_kept():
    assert document(page(lang="fi-FI")).meta["language"] == "fi"


def test_site_rules_override_generic_metadata():
    byline = (
        '<p class="byline">By <a href="/au/1">Ann Smith</a> and <a href="/au/2">Bob Jones</a></p>'
        '<time class="pub" datetime="2024-03-14T10:00:00Z">14 March</time>'
    )
    rules = {
        "title": "h1.headline",
        "authors": ".byline a",
        "published": {"selector": "time.pub", "attribute": "datetime"},
        "strip": [".byline"],
    }
    meta = document(page(before=byline), rules).meta
    assert meta["authors"] == ["Ann Smith", "Bob Jones"]
    assert meta["published"] == "2024-03-14T10:00:00+00:00"
    assert meta["title"] == "Council approves budget"


def test_rule_date_in_words_is_read():
    before = '<p class="date">Published 3 February 2022</p>'
    meta = document(page(before=before, json_ld=None), {"published": "p.date"}).meta
    assert meta["published"] == "2022-02-03"


def test_short_link_paragraph_is_dropped_with_a_reason():
    teaser = '<p>Read also: <a href="/b/2">Mayor signs the budget after a week of talks</a></p>'
    doc = document(page(PROSE[:2] + [teaser] + PROSE[2:]))
    reasons = {line.text: line.reason for line in doc.lines}
    assert reasons["Read also: Mayor signs the budget after a week of talks"] == "link_block"
    assert PROSE[2] in kept_text(doc)


def test_undecodable_bytes_and_odd_charset_do_not_crash(tmp_path):
    raw = page(GERMAN, head='<meta charset="x-no-such-charset">').encode("utf-8")
    path = tmp_path / "odd.html"
    path.write_bytes(raw.replace("ß".encode(), b"\xff\xfe\x00"))
    capture = read_capture(path)
    doc = html_document(capture)
    assert any("Stadtrat" in line.text for line in doc.lines)
    cp1251 = page(["Городской совет утвердил новый бюджет во вторник после долгих споров. " * 3])
    path.write_bytes(cp1251.replace('charset="utf-8"', 'charset="windows-1251"').encode("cp1251"))
    assert "бюджет" in kept_text(html_document(read_capture(path)))


@pytest.mark.parametrize("html", ["", "<html></html>", "<<<>>>", "\x00\x01 not html at all"])
def test_empty_or_broken_pages_give_no_lines(html):
    doc = html_document(Capture(text=html, kind=HTML))
    assert [line for line in doc.lines if line.kept] == []


def test_site_is_the_host_of_the_canonical_url_not_the_page_name():
    head = '<link rel="canonical" href="https://www.example.com/news/council-budget">'
    article = clean(page(head=head))
    assert article.meta["site"] == "example.com"


# HTML fixtures written after the text fixture of the same story (fixtures/README.md).
SAME_STORY = [
    ("kyivindependent/201_us_japan_support.html", "kyivindependent/000_66e4e4c5ea8ec4f6.txt"),
    ("kyivindependent/202_budget_fornusek.html", "kyivindependent/101_politics_fornusek.txt"),
    ("japannews/201_hayashi_blinken_call.html", "japannews/002_04e78b92e40742d0.txt"),
    ("japannews/202_rice_prices_byline.html", "japannews/102_business_staff_byline.txt"),
    ("ukrainianworldcongress/201_us_japan_support.html", "ukrainianworldcongress/001_dbcf363fd8ba6696.txt"),
    ("ukrainianworldcongress/202_anniversary_statement.html", "ukrainianworldcongress/103_anniversary_statement.txt"),
    ("wix/201_kamikawa_kyiv.html", "wix/004_ce79935461f963e8.txt"),
    ("wix/202_seafarers_blog.html", "wix/102_blog_widgets.txt"),
]


@pytest.mark.parametrize(("html_path", "text_path"), SAME_STORY, ids=[p for p, _ in SAME_STORY])
def test_html_and_text_captures_of_one_story_give_one_article_body(html_path, text_path):
    from_html = clean_capture(read_capture(FIXTURES / html_path))
    from_text = clean_capture(read_capture(FIXTURES / text_path))
    assert from_html.body == from_text.body
    assert from_html.meta["title"] == from_text.meta["title"]
    assert from_html.meta["rules"] == from_text.meta["rules"]


@pytest.mark.parametrize("html_path", [p for p, _ in SAME_STORY])
def test_site_strip_selectors_alone_leave_what_the_body_selector_finds(html_path):
    capture = read_capture(FIXTURES / html_path)
    ruleset = default_rulebook().select(capture.url, capture.text)
    assert ruleset.html.body and ruleset.html.strip
    strip_only = SimpleNamespace(html=replace(ruleset.html, body=()))
    assert kept_text(html_document(capture, strip_only)) == kept_text(
        html_document(capture, ruleset)
    )


def test_wix_html_page_is_recognised_without_a_url():
    page_text = (FIXTURES / "wix" / "201_kamikawa_kyiv.html").read_text(encoding="utf-8")
    article = clean(page_text)
    assert article.meta["rules"].startswith("wix@")
    assert article.meta["site"] == "balitangmarino.com"  # from the canonical link
    assert "top of page" not in article.body


def streamed_page(script: str = '$RC("B:0","S:0")') -> str:
    """A page whose story comes late, as React's streaming server rendering sends it: a
    boundary with a fallback, then the hidden story and the script that moves it in."""
    story = "".join(f"<p>{text}</p>" for text in PROSE)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Council approves budget</title></head>
<body><nav><a href="/">Home</a> <a href="/politics">Politics</a></nav>
<main><!--$?--><template id="B:0"></template><div class="skeleton">Loading the story</div><!--/$--></main>
<footer><p>Copyright 2024 Example Times. All rights reserved.</p></footer>
<div hidden id="S:0"><article><h1>Council approves budget</h1>{story}</article></div>
<script>{script}</script></body></html>"""


@pytest.mark.parametrize("script", ['$RC("B:0","S:0")', "", '$RC("B:9","S:7")'])
def test_a_story_streamed_in_a_hidden_segment_is_read(script):
    # placed by its script, or (no script, or one naming other parts) shown where it stands
    doc = html_document(Capture(text=streamed_page(script), kind=HTML, url="https://example.com/a/1"))
    kept = kept_text(doc)
    assert all(text in kept for text in PROSE)


def test_streamed_segments_are_moved_where_their_scripts_say():
    from cleaner.extract.blocks import parse_html, remove_hidden

    tree = parse_html(
        '<body><p>a</p><!--$?--><template id="B:1"></template><p>fallback</p>'
        '<!--$--><p>inner fallback</p><!--/$--><!--/$--><p>b</p><template id="P:2"></template>'
        '<p>c</p><div hidden>gone</div><div hidden id="S:1"><p>one</p><p>two</p></div>'
        '<div hidden id="S:2"><p>three</p></div><div hidden id="S:a"><p>orphan</p></div>'
        '<script>$RC("B:1","S:1");$RS("S:2","P:2")</script></body>'
    )
    remove_hidden(tree)
    texts = [node.text() for node in tree.body.css("p")]
    assert texts == ["a", "one", "two", "b", "three", "c", "orphan"]
    assert tree.css_first("template") is None


def test_hidden_elements_go_but_the_hidden_panels_of_tabs_stay():
    from cleaner.extract.blocks import parse_html, remove_hidden

    tree = parse_html(
        '<body><div role="tablist"><button role="tab">Python</button><button role="tab">Go</button>'
        '</div><div role="tabpanel"><pre>pip install acme</pre></div>'
        '<div role="tabpanel" hidden><pre>go get acme</pre></div>'
        '<div style="display:none">Sign in to continue</div></body>'
    )
    remove_hidden(tree)
    assert [node.text() for node in tree.body.css("pre")] == ["pip install acme", "go get acme"]
    assert "Sign in" not in tree.body.text()


def test_the_pages_footer_is_furniture_however_much_fine_print_it_holds():
    story = "".join(f"<p>{text} The council met again on day {i}.</p>" for i, text in enumerate(PROSE))
    fine = "".join(f"<p>Offer {i} is valid for new customers only, subject to credit approval and "
                   "to the terms and conditions in force on the day of purchase.</p>" for i in range(12))
    html = f"<html><body><div class='page'><article>{story}</article><footer>{fine}</footer></div></body></html>"
    doc = fast_document(Capture(html, kind=HTML))
    kept = kept_text(doc)
    assert all(text in kept for text in PROSE) and "Offer 3 is valid" not in kept


def test_popovers_are_hidden_until_shown():
    from cleaner.extract.blocks import parse_html, remove_hidden

    tree = parse_html(
        '<body><p>The thread\'s first post.</p><div popover id="push"><p>Tap the lock icon next '
        'to the address bar.</p></div><div popover="manual">Install the app</div></body>'
    )
    remove_hidden(tree)
    assert tree.body.text() == "The thread's first post."


def test_a_page_hiding_all_its_text_until_its_scripts_run_is_read_whole():
    from cleaner.extract.blocks import HIDDEN_PAGE_MAX_CHARS, parse_html, read_page

    prose = "".join(f"<p>Step {i}: install the package, then run its tests once.</p>" for i in range(40))
    hidden_menu = "<div hidden><a href='/a'>Account</a> <a href='/b'>Orders</a></div>"
    wrapped = read_page(parse_html(f"<body><div style='visibility:hidden'>{prose}</div></body>"))
    assert len(wrapped.blocks) == 40  # a loading screen's wrapper: the whole page is read
    shown = read_page(parse_html(f"<body><p>Short note.</p>{hidden_menu}</body>"))
    assert [block.text for block in shown.blocks] == ["Short note."]  # hiding little: gone
    assert sum(block.chars for block in wrapped.blocks) > HIDDEN_PAGE_MAX_CHARS


def test_code_listings_with_linked_line_numbers_are_kept(fast_engine_only):
    # a highlighter's listing links its line numbers to its lines: no teaser card
    listing = (
        '<div class="highlight"><table><tr><td><pre><a href="#l{n}1">1</a>\n<a href="#l{n}2">2</a>'
        '</pre></td><td><pre><code>total = budget_{n}.sum()\nprint(total)</code></pre></td></tr>'
        "</table></div>"
    )
    code = "".join(listing.format(n=n) for n in range(3))
    doc = document(page(PROSE, after=code))
    kept = kept_text(doc)
    assert all(f"total = budget_{n}.sum()" in kept for n in range(3))


def test_linked_section_headings_over_prose_are_kept(fast_engine_only):
    # a listicle links each section's heading to the firm it is about
    sections = "".join(
        f'<h2><a href="https://firm{n}.example/">{n}. Firm number {n} Movers</a></h2><p>{text}</p>'
        for n, text in enumerate(PROSE, 1)
    )
    teaser = '<h3><a href="/b/2">Mayor signs the budget</a></h3><p>Read the story.</p>'
    doc = document(page([], before=sections + teaser))
    kept = kept_text(doc)
    assert all(f"{n}. Firm number {n} Movers" in kept for n in range(1, 4))
    assert "Mayor signs the budget" not in kept


def test_tables_and_quotes_in_figures_are_kept_and_captions_dropped(fast_engine_only):
    figures = (
        '<figure class="wp-block-table"><table><tr><th>Ward</th><th>Budget</th></tr>'
        "<tr><td>North ward schools</td><td>12,500,000</td></tr></table>"
        "<figcaption>Table: the budget by ward</figcaption></figure>"
        '<figure class="wp-block-pullquote"><blockquote><p>We finally fixed the roads that '
        "everyone in this city drives on every single day.</p></blockquote></figure>"
        '<figure><img src="a.jpg"><figcaption>The council chamber on Tuesday evening. '
        "Photo: Jane Doe</figcaption></figure>"
    )
    doc = document(page(PROSE[:2] + PROSE[2:], before=figures))
    kept = kept_text(doc)
    assert "North ward schools | 12,500,000" in kept
    assert "We finally fixed the roads" in kept
    assert "The council chamber" not in kept
    assert "Table: the budget by ward" not in kept


def test_article_goes_on_after_a_related_box_inside_it(fast_engine_only):
    box = ["<strong>Related</strong>",
           'Planning a renovation? Read <a href="/b/3">our guide to permits</a> first.']
    more = ("Officials also said that the money for the new library branch on the east side "
            "would come from a separate fund, which the council will debate in the autumn "
            "once the auditors have finished their review of last year's spending.")
    doc = document(page(PROSE[:2] + box + [more, PROSE[2]]))
    kept = kept_text(doc)
    assert more in kept and PROSE[2] in kept
    assert "our guide to permits" not in kept


def test_paragraphs_named_like_the_best_one_are_the_article(fast_engine_only):
    # a script's handler names every paragraph "contextmenu": no menu for all that
    story = "".join(f'<p class="contextmenu">{text}</p>' for text in PROSE + GERMAN[:1])
    html = page([]).replace('<div class="story"></div>', f'<div class="story">{story}</div>')
    kept = kept_text(document(html))
    assert all(text in kept for text in PROSE + GERMAN[:1])


def test_a_streamed_part_whose_placeholder_lies_inside_it_stays_where_it_is():
    from cleaner.extract.blocks import parse_html, remove_hidden

    tree = parse_html(
        '<body><p>a</p><div hidden id="S:1"><p>x</p><template id="P:1"></template></div>'
        '<script>$RS("S:1","P:1")</script></body>'
    )
    remove_hidden(tree)
    assert [node.text() for node in tree.body.css("p")] == ["a", "x"]


def test_a_thread_read_as_posts_keeps_every_post_and_its_author(fast_engine_only):
    # a forum thread: a long opening post and a short reply, each post named a comment,
    # its author named meta; read as an article, the reply is a comment on the story
    reply = "I agree with the council, the roads in my street have needed this for years."
    posts = "".join(
        f'<div class="post comment" id="post-{n}"><div class="meta author">member{n}</div>'
        f'<div class="post-body">{"".join(f"<p>{text}</p>" for text in texts)}</div></div>'
        for n, texts in enumerate([PROSE + GERMAN, [reply]], 1)
    )
    html = (f"<html><head><title>Budget thread</title></head><body><nav><a href='/'>Forums</a>"
            f"</nav><div class='thread'>{posts}</div><footer>Powered by a forum</footer></body></html>")
    capture = Capture(text=html, kind=HTML, url="https://example.com/t/1")
    as_article = kept_text(fast_document(capture))
    as_posts = kept_text(fast_document(capture, posts=True))
    assert PROSE[0] in as_article and reply not in as_article
    assert all(text in as_posts for text in [*PROSE, *GERMAN, reply])
    assert "member2" in as_posts
    assert "Forums" not in as_posts and "Powered by a forum" not in as_posts


def signup_box(field: str, *, pitch: str = "Be the first to know!", beside: str = "",
               extra_field: str = "") -> str:
    """A sign-up box without a class naming it: a pitch, a form, its fine print."""
    return (
        f'<section class="relative p-8 my-12">{beside}<div class="flex flex-col">'
        f'<div class="font-bold">{pitch}</div>'
        "<div>Get the best stories of the week sent to you every Friday morning!</div>"
        f'<form class="flex mt-4">{field}{extra_field}<button type="submit">Sign Me Up</button></form>'
        "<div>By signing up, you agree to receive messages from us at the address given. "
        "You can opt out at any time.</div></div></section>"
    )


@pytest.mark.parametrize("field", [
    '<input type="email" name="address">',
    '<input type="tel" placeholder="Enter Phone Number">',
    '<input type="text" name="newsletter-email">',
])
def test_a_sign_up_box_in_the_story_is_dropped(fast_engine_only, field):
    doc = document(page(PROSE[:2] + ["@BOX@", PROSE[2]]).replace("<p>@BOX@</p>", signup_box(field)))
    kept = kept_text(doc)
    assert PROSE[2] in kept and PROSE[0] in kept
    assert "Be the first to know" not in kept and "opt out at any time" not in kept


@pytest.mark.parametrize("field, extra", [
    ('<input type="tel" name="zip_code" placeholder="Zip Code">', ""),  # a numeric keypad
    ('<input type="email" name="email">', '<input type="password" name="pw">'),  # a login
    ('<input type="email" name="email">', "<textarea name=message></textarea>"),  # a contact form
])
def test_a_form_for_something_else_is_not_taken_for_a_sign_up_box(fast_engine_only, field, extra):
    box = signup_box(field, extra_field=extra)
    doc = document(page(PROSE[:2] + ["@BOX@", PROSE[2]]).replace("<p>@BOX@</p>", box))
    assert "opt out at any time" in kept_text(doc)


def test_a_sign_up_box_does_not_take_the_heading_beside_it(fast_engine_only):
    heading = "<h2>Our weekly letter from the council chamber</h2>"
    box = signup_box('<input type="email" name="email">', beside=heading)
    doc = document(page(PROSE[:2] + ["@BOX@", PROSE[2]]).replace("<p>@BOX@</p>", box))
    reasons = {line.text: line.reason for line in doc.lines}
    assert reasons["By signing up, you agree to receive messages from us at the address given. "
                   "You can opt out at any time."] is not None
    # the heading is not named a sign-up box's: whatever drops it, it is not furniture
    assert reasons["Our weekly letter from the council chamber"] != "furniture_block"


def test_a_related_list_in_a_widget_beside_its_heading_widget_is_dropped(fast_engine_only):
    # a page builder wraps the heading and the list in widgets of their own
    teasers = "".join(
        f'<article><h3><a href="/b/{n}">Budget talks stall again in the county</a></h3>'
        f"<p>Teaser {n}: {GERMAN[1]}</p></article>" for n in range(3)
    )
    sidebar = (
        '<div class="e-con"><div class="widget"><div class="widget-container">'
        "<h2>Latest news</h2></div></div>"
        f'<div class="widget"><div class="widget-container posts">{teasers}</div></div></div>'
    )
    story = page(PROSE[:2] + ["@BOX@", PROSE[2], GERMAN[0]]).replace("<p>@BOX@</p>", sidebar)
    kept = kept_text(document(story))
    assert "Budget talks stall" not in kept and "Teaser" not in kept
    assert PROSE[2] in kept and GERMAN[0] in kept  # the article goes on after the box


def test_a_quoted_line_that_reads_like_a_heading_does_not_end_the_article(fast_engine_only):
    more = ("Officials also said that the money for the new library branch on the east side "
            "would come from a separate fund, which the council will debate in the autumn.")
    html = page(PROSE + ["@Q@", more]).replace("<p>@Q@</p>", "<blockquote><p>Comments</p></blockquote>")
    assert more in kept_text(document(html))


@pytest.mark.parametrize("name, navigation", [
    ("mainnav", True), ("navbar", True), ("subnavi", True), ("js-offcanvasnavtarget", True),
    ("unavailable-header", False), ("offcanvas", False), ("coronavirus-live", False),
])
def test_nav_in_a_class_name_names_navigation_but_not_inside_other_words(name, navigation):
    from cleaner.extract.blocks import NAV, name_hints

    assert bool(name_hints(name) & NAV) is navigation
