"""Loading, validating and selecting site rule sets (cleaner.siterules.rulebook)."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import regex

from cleaner import clean
from cleaner.document import HTML
from cleaner.errors import RuleError
from cleaner.siterules import rulebook
from cleaner.siterules.load import load_ruleset
from cleaner.siterules.model import HtmlRules
from cleaner.siterules.patterns import RARE_MARKS, required_mark, required_text
from cleaner.siterules.rulebook import RuleBook, default_rulebook, fingerprint_count, page_head
from cleaner.sources.files import find_captures, read_capture

from .conftest import FIXTURES

MINIMAL = """\
id: example
name: Example News
version: 2
site: example.com
match:
  hosts: [example.com]
"""


def write(folder: Path, name: str, content: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(content), encoding="utf-8")
    return path


def load_error(tmp_path: Path, content: str) -> RuleError:
    path = write(tmp_path, "site.yaml", content)
    with pytest.raises(RuleError) as caught:
        load_ruleset(path)
    assert caught.value.path == str(path)
    assert str(path) in str(caught.value)
    return caught.value


def book(tmp_path: Path, **files: str) -> RuleBook:
    for name, content in files.items():
        write(tmp_path, f"{name}.yaml", content)
    return RuleBook.load(tmp_path)


def test_minimal_rule_file_loads_with_defaults(tmp_path):
    ruleset = load_ruleset(write(tmp_path, "example.yaml", MINIMAL))
    assert (ruleset.id, ruleset.version, ruleset.site, ruleset.label) == (
        "example", 2, "example.com", "example@2")
    assert ruleset.hosts == ("example.com",)
    assert ruleset.min_fingerprints == 1 and ruleset.fingerprints == ()
    assert ruleset.text.cut_after == () and ruleset.checks == ()
    assert not ruleset.html and ruleset.html == HtmlRules()
    assert ruleset.path.endswith("example.yaml")


def test_html_part_reads_bare_selectors_and_mappings(tmp_path):
    content = MINIMAL + textwrap.dedent("""\
        html:
          body: ['article .content', '//main']
          strip: aside
          published: {name: meta_date, selector: 'meta[property="date"]', attribute: content}
    """)
    html = load_ruleset(write(tmp_path, "example.yaml", content)).html
    assert [(r.selector.text, r.selector.kind) for r in html.body] == [
        ("article .content", "css"), ("//main", "xpath")]
    assert [r.name for r in html.strip] == ["aside"]
    (published,) = html.published
    assert (published.name, published.attribute, published.line) == ("meta_date", "content", 10)


def test_yaml_syntax_error_names_the_line(tmp_path):
    error = load_error(tmp_path, MINIMAL + "text:\n  cut_after: ['unclosed\n")
    assert error.line == 9  # where the parser gave up: the end of the file
    assert "YAML syntax error" in error.problem and "at line 8" in error.problem
    error = load_error(tmp_path, MINIMAL + "text:\n  cut_after: x\n  bad: : :\n")
    assert error.line == 9


def test_unknown_key_suggests_the_close_match(tmp_path):
    error = load_error(tmp_path, MINIMAL + "text:\n  cut_afer: ['x']\n")
    assert (error.line, error.key) == (8, "text.cut_afer")
    assert "did you mean 'cut_after'" in error.problem


def test_unknown_top_level_key_names_its_line(tmp_path):
    error = load_error(tmp_path, MINIMAL.replace("name:", "nmae:"))
    assert (error.line, error.key) == (2, "nmae")
    assert "did you mean 'name'" in error.problem


@pytest.mark.parametrize("content, line, key, problem", [
    (MINIMAL.replace("version: 2", "version: two"), 3, "version", "whole number"),
    (MINIMAL.replace("version: 2", "version: true"), 3, "version", "whole number"),
    (MINIMAL.replace("hosts: [example.com]", "hosts: example.com"), 6, "match.hosts", "list"),
    (MINIMAL.replace("site: example.com", "site: [a, b]"), 4, "site", "text"),
    (MINIMAL + "text:\n  title:\n    pattern: '(?P<title>.+)'\n    keep_line: 'yes'\n",
     10, "text.title[0].keep_line", "true or false"),
    (MINIMAL + "text: [a]\n", 7, "text", "mapping"),
    (MINIMAL + "checks:\n  - keep: [a]\n", 8, "checks[0].capture", "missing"),
])
def test_wrong_types_name_line_and_key(tmp_path, content, line, key, problem):
    error = load_error(tmp_path, content)
    assert (error.line, error.key) == (line, key)
    assert problem in error.problem


def test_bad_regex_names_line_and_key(tmp_path):
    error = load_error(tmp_path, MINIMAL + "text:\n  drop_lines:\n    - 'fine'\n    - '(unclosed'\n")
    assert (error.line, error.key) == (10, "text.drop_lines[1]")
    assert "bad regular expression" in error.problem


def test_bad_fingerprint_regex_names_its_key(tmp_path):
    error = load_error(tmp_path, MINIMAL + "  fingerprints: ['[a-']\n")
    assert (error.line, error.key) == (7, "match.fingerprints[0]")


def test_metadata_pattern_needs_its_named_group(tmp_path):
    error = load_error(tmp_path, MINIMAL + "text:\n  published:\n    - pattern: '\\d+ JST'\n")
    assert (error.line, error.key) == (9, "text.published[0].pattern")
    assert "(?P<date>" in error.problem


@pytest.mark.parametrize("missing", ["id", "name", "version", "match"])
def test_missing_required_key_is_named(tmp_path, missing):
    lines = MINIMAL.splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(missing + ":")]
    if missing == "match":
        kept = [line for line in kept if not line.startswith("  hosts")]
    error = load_error(tmp_path, "".join(kept))
    assert (error.line, error.key) == (1, missing)
    assert "missing required key" in error.problem


def test_match_needs_hosts_or_fingerprints(tmp_path):
    error = load_error(tmp_path, MINIMAL.replace("  hosts: [example.com]\n", "  min_fingerprints: 1\n"))
    assert (error.line, error.key) == (6, "match")


def test_repeated_key_is_refused(tmp_path):
    error = load_error(tmp_path, MINIMAL + "site: other.com\n")
    assert (error.line, error.key) == (7, "site")
    assert "twice" in error.problem


@pytest.mark.parametrize("content, key", [
    (MINIMAL.replace("[example.com]", "[https://example.com/]"), "match.hosts[0]"),
    (MINIMAL.replace("id: example", "id: Example News"), "id"),
    (MINIMAL + "  fingerprints: [a]\n  min_fingerprints: 2\n", "match.min_fingerprints"),
    (MINIMAL + "text:\n  drop_lines:\n    - name: Bad Name\n      pattern: x\n",
     "text.drop_lines[0].name"),
    (MINIMAL + "text:\n  published:\n    - pattern: '(?P<date>.+)'\n      timezone: Mars/Olympus\n",
     "text.published[0].timezone"),
    (MINIMAL + "text:\n  drop_blocks: ['start only']\n", "text.drop_blocks[0]"),
])
def test_invalid_values_name_their_key(tmp_path, content, key):
    assert load_error(tmp_path, content).key == key


def test_empty_file_is_an_error(tmp_path):
    assert "empty" in load_error(tmp_path, "").problem


def test_duplicate_ids_across_files_name_both_files(tmp_path):
    write(tmp_path, "a.yaml", MINIMAL)
    write(tmp_path, "b.yaml", MINIMAL.replace("example.com", "other.com"))
    with pytest.raises(RuleError) as caught:
        RuleBook.load(tmp_path)
    error = caught.value
    assert error.path.endswith("b.yaml") and "a.yaml" in error.problem
    assert (error.line, error.key) == (1, "id")


def test_two_rule_sets_may_not_claim_one_host(tmp_path):
    write(tmp_path, "a.yaml", MINIMAL)
    write(tmp_path, "b.yaml", MINIMAL.replace("id: example", "id: other").replace(
        "[example.com]", "[www.example.com]"))
    with pytest.raises(RuleError) as caught:
        RuleBook.load(tmp_path)
    assert caught.value.key == "match.hosts" and "a.yaml" in caught.value.problem


def test_loading_a_missing_folder_is_an_error(tmp_path):
    with pytest.raises(RuleError):
        RuleBook.load(tmp_path / "nowhere")


# Selection.

SITE_A = MINIMAL.replace("id: example", "id: alpha")
SITE_B = """\
id: beta
name: Beta
version: 1
site: beta.org
match:
  hosts: [.beta.org]
  fingerprints: ['^Beta footer$', '^Beta menu$', 'beta-widget']
  min_fingerprints: 2
"""
SITE_C = """\
id: gamma
name: Gamma
version: 1
site: gamma.net
match:
  fingerprints: ['^Beta footer$', '^Beta menu$']
  min_fingerprints: 2
"""


@pytest.mark.parametrize("url, expected", [
    ("https://example.com/news/1", "alpha"),
    ("https://www.example.com/news/1", "alpha"),
    ("http://EXAMPLE.COM./x", "alpha"),
    ("https://beta.org/", "beta"),
    ("https://news.beta.org/story", "beta"),
    ("https://a.b.beta.org/story", "beta"),
    ("https://news.example.com/", None),
    ("https://notbeta.org/", None),
    ("https://unknown.net/", None),
])
def test_select_by_host(tmp_path, url, expected):
    rules = book(tmp_path, alpha=SITE_A, beta=SITE_B)
    selected = rules.select(url, "nothing in this text")
    assert (selected.id if selected else None) == expected


def test_host_wins_over_fingerprints(tmp_path):
    rules = book(tmp_path, alpha=SITE_A, beta=SITE_B)
    text = "Beta menu\nstory\nBeta footer"
    assert rules.select("https://example.com/1", text).id == "alpha"
    assert rules.select("https://unknown.net/1", text).id == "beta"


def test_select_by_fingerprints_needs_the_minimum(tmp_path):
    rules = book(tmp_path, beta=SITE_B)
    assert rules.select(None, "Beta menu\nstory") is None
    assert rules.select(None, "Beta menu\nstory\n<beta-widget>").id == "beta"


def test_an_html_page_is_told_by_the_fingerprints_of_its_head(tmp_path):
    rules = book(tmp_path, beta=SITE_B)
    in_body = "<html><head><title>x</title></head><body>\nBeta menu\n<beta-widget></body></html>"
    in_head = "<html><head><title>\nBeta menu\n</title><beta-widget></head><body>story</body></html>"
    assert rules.select(None, in_body).id == "beta"  # the whole text, as a text capture's
    assert rules.select(None, in_body, html=True) is None
    assert rules.select(None, in_head, html=True).id == "beta"
    # a head left open ends where the body starts (or, without either, at the page's end)
    assert page_head("<HTML><HEAD><TITLE>Beta menu</TITLE><BODY>x</BODY>") == "<HTML><HEAD><TITLE>Beta menu</TITLE>"
    assert page_head("<head><title>t</title></HEAD >x") == "<head><title>t</title>"
    assert page_head("<p>no head</p>") == "<p>no head</p>"


def test_fingerprint_ties_break_by_count_then_id(tmp_path):
    rules = book(tmp_path, gamma=SITE_C, beta=SITE_B)
    assert rules.select(None, "Beta menu\nstory\nBeta footer").id == "beta"  # tie: first id
    rules = book(tmp_path, gamma=SITE_C.replace("min_fingerprints: 2", "min_fingerprints: 1"))
    assert rules.select(None, "Beta menu\nstory\nBeta footer\nbeta-widget").id == "beta"  # 3 > 2


def test_select_none_when_nothing_matches(tmp_path):
    rules = book(tmp_path, alpha=SITE_A, beta=SITE_B)
    assert rules.select(None, "An ordinary page.\nWith ordinary lines.") is None
    assert rules.select("", "") is None


def test_article_file_selects_the_rule_set_its_front_matter_names(tmp_path):
    rules = book(tmp_path, alpha=SITE_A, beta=SITE_B)
    article = "---\ntitle: T\nsite: example.com\nrules: alpha@2\ncleaner: 0.1.0\n---\n\nBody.\n"
    assert rules.select(None, article).id == "alpha"
    assert rules.select(None, article.replace("alpha@2", "generic")) is None
    assert rules.select(None, article.replace("alpha@2", "removed@1")) is None
    assert rules.select(None, "---\ntitle: T\n---\n\nrules: alpha@2\n") is None


def test_bundled_rules_load_and_have_checks():
    rules = default_rulebook()
    assert {r.id for r in rules.rulesets} == {
        "japannews", "kyivindependent", "ukrainianworldcongress", "wix"}
    for ruleset in rules.rulesets:
        assert ruleset.checks, f"{ruleset.path} has no checks"
        assert ruleset.fingerprints


FIXTURE_CAPTURES = sorted(find_captures([FIXTURES]))


@pytest.mark.parametrize("capture", FIXTURE_CAPTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_bundled_fingerprints_select_each_fixture_site(capture):
    read = read_capture(capture)
    selected = default_rulebook().select(None, read.text, html=read.kind == HTML)
    assert selected is not None and selected.id == capture.parent.name


@pytest.mark.parametrize("url, expected", [
    ("https://kyivindependent.com/us-japan-agree-on-need-for-more-support-to-ukraine", "kyivindependent"),
    ("https://www.ukrainianworldcongress.org/u-s-and-japan-affirm-their-unwavering-support/",
     "ukrainianworldcongress"),
    ("https://japannews.yomiuri.co.jp/world/russia/20220226-14207/", "japannews"),
    ("https://www.yomiuri.co.jp/world/", None),
])
def test_bundled_rules_select_their_sites_by_url(url, expected):
    selected = default_rulebook().select(url, "")
    assert (selected.id if selected else None) == expected


def test_a_platform_rule_set_leaves_the_site_to_the_url():
    text = "top of page\n\nHeadline\n\nA first paragraph of the story.\n\nbottom of page\n"
    url = "https://www.balitangmarino.com/post/japan-fm-says-tokyo-determined-to-support-ukraine"
    ruleset = default_rulebook().select(url, text)
    assert ruleset.id == "wix" and ruleset.site is None
    assert clean(text, url=url).meta["site"] == "balitangmarino.com"
    assert clean(text).meta["site"] is None


def test_heuristics_setting_defaults_to_all_and_is_validated(tmp_path):
    assert book(tmp_path, **{"a.yaml": MINIMAL}).rulesets[0].heuristics == "all"
    error = load_error(tmp_path, MINIMAL + "heuristics: some\n")
    assert error.key == "heuristics" and "all, noise, none" in error.problem


@pytest.mark.parametrize("setting, dropped", [
    ("all", {"Home", "News", "Sport", "Weather", "Share this article"}),
    ("noise", {"Home", "News", "Share this article"}),
    ("none", set()),
])
def test_heuristics_setting_decides_what_runs_after_the_rules(tmp_path, setting, dropped):
    rules = book(tmp_path, **{"a.yaml": MINIMAL + f"heuristics: {setting}\n"})
    text = (
        "Home\nNews\nSport\nWeather\n\n"
        + "".join(f"The council approved budget item {n} on Tuesday after a long debate.\n\n"
                  for n in range(3))
        + "Share this article\n"
    )
    article = clean(text, url="https://example.com/a", rules=rules)
    assert {line.text for line in article.decisions if not line.kept} == dropped


def test_html_part_errors_name_line_key_and_suggest_like_the_text_part(tmp_path):
    error = load_error(tmp_path, MINIMAL + "html:\n  body: [article]\n  strp: [aside]\n")
    assert (error.line, error.key) == (9, "html.strp")
    assert "did you mean 'strip'" in error.problem
    error = load_error(tmp_path, MINIMAL + "html:\n  strip:\n    - aside\n    - 'div[['\n")
    assert (error.line, error.key) == (10, "html.strip[1]")
    assert "bad selector" in error.problem
    error = load_error(tmp_path, MINIMAL + "html:\n  title: {selector: h1, atribute: x}\n")
    assert (error.line, error.key) == (8, "html.title[0].atribute")
    assert "did you mean 'attribute'" in error.problem


def test_old_selector_attribute_pair_is_refused_with_the_new_form(tmp_path):
    error = load_error(tmp_path, MINIMAL + "html:\n  published: ['time.pub', datetime]\n")
    assert (error.line, error.key) == (8, "html.published")
    assert "{selector: 'time.pub', attribute: datetime}" in error.problem


@pytest.mark.parametrize("value", ["!!python/object:os.system [x]", "!!python/name:os.system ''",
                                   "!custom x"])
def test_yaml_tags_are_refused_as_tags(tmp_path, value):
    error = load_error(tmp_path, MINIMAL.replace("name: Example News", f"name: {value}"))
    assert error.line == 2
    assert "tags" in error.problem and "not allowed" in error.problem


@pytest.mark.parametrize("pattern", [r"(a|a)+$", r"(\w+\s?)+$", r"(.+, )+x", r"(x+)*y",
                                     r"(?:ab|a)(?:b|)+z"])
def test_patterns_that_can_backtrack_forever_are_refused_at_load(tmp_path, pattern):
    error = load_error(tmp_path, MINIMAL + f"  fingerprints: ['{pattern}']\n")
    assert (error.line, error.key) == (7, "match.fingerprints[0]")
    assert "could take forever" in error.problem


@pytest.mark.parametrize("pattern", [r"(a|ab)+c", r"(\w+\s)+x", r"(?>\w+\s?)+x", r"(\w++\s?)+x",
                                     r"[A-Z][a-z]+(?:, [A-Z][a-z]+)*", r"(?:\n.+){0,2}"])
def test_safe_repeats_load(tmp_path, pattern):
    load_ruleset(write(tmp_path, "site.yaml", MINIMAL + f"  fingerprints: ['{pattern}']\n"))


@pytest.mark.parametrize(
    ("source", "flags", "needed"),
    [
        (r"^\s*Avatar\s*$", regex.MULTILINE, "Avatar"),
        (r" JST, (?<=^\d\d:\d\d JST, )[A-Z]", regex.MULTILINE, " JST, "),
        (r"//static\.(?:parastorage|wixstatic)\.com/", 0, "//static."),
        (r"(?i:abc)defg", 0, "defg"),
        (r"abc\u2019def", 0, "abc\u2019def"),
        # nothing every match must hold, or nothing read as it is written
        (r"abc|defgh", 0, None),
        (r"ab", 0, None),
        (r"(?i)abcdef", 0, None),
        (r"abcdef", regex.IGNORECASE, None),
        (r"(?x)abc def", 0, None),
        (r"(?:abcdef){e<=1}", 0, None),
        (r"[[:alpha:]]xyz", 0, None),
        (r"\p{Lu}bcdef", 0, None),
    ],
)
def test_the_text_a_fingerprint_needs_is_read_from_its_pattern(source, flags, needed):
    assert required_text(regex.compile(source, flags)) == needed


def test_every_fingerprint_match_holds_the_text_it_needs():
    texts = [read_capture(path).text for path in find_captures([FIXTURES])]
    for ruleset in default_rulebook().rulesets:
        for pattern in ruleset.fingerprints:
            needed = required_text(pattern)
            for text in texts:
                for match in pattern.finditer(text):
                    assert needed is None or needed in match.group()


@pytest.mark.parametrize(
    ("source", "mark"),
    [
        (r'<meta name="x"', "<"),
        (r"#UWC news", "#"),
        (r" min read$", None),
        (r"(?i)<meta", None),  # no required text: nothing to skip by
    ],
)
def test_a_fingerprint_s_rare_mark_is_read_from_its_required_text(source, mark):
    assert required_mark(regex.compile(source)) == mark
    found = required_mark(regex.compile(source))
    assert found is None or (found in RARE_MARKS and found in required_text(regex.compile(source)))


def test_fingerprints_skipped_by_their_rare_mark_count_as_a_search_would():
    book = default_rulebook()
    texts = [read_capture(path).text for path in find_captures([FIXTURES])]
    texts += ["JN ACCESS RANKING\nPopular articles in the past 24 hours", "#UWC news\nMay 5, 2022 1,234"]
    for text in texts:
        for ruleset in book.rulesets:
            found = sum(1 for pattern in ruleset.fingerprints if pattern.search(text))
            expected = found if found >= ruleset.min_fingerprints else 0
            assert fingerprint_count(ruleset, text, None, {}) == expected


def test_the_order_of_the_cheap_fingerprint_tests_changes_no_count(monkeypatch):
    """cheap_tests orders the `in` tests longest first: any other order (reversed, the
    fingerprints' own) gives the same counts, and each fingerprint is tested once."""
    book = default_rulebook()
    texts = [read_capture(path).text for path in find_captures([FIXTURES])]
    texts += [
        "JN ACCESS RANKING\nPopular articles in the past 24 hours",
        "#UWC news\nMay 5, 2022 1,234",
        "Avatar\n5 min read\nArticle image\nKyiv Independent",
        "Avatar\nArticle image\nUkraine Daily\nNews from",
        "top of page\nphoto.jpg\nbottom of page",
    ]
    ordered = rulebook.cheap_tests
    for ruleset in book.rulesets:
        tests = ordered(ruleset)
        assert sorted(number for number, _ in tests) == list(range(len(ruleset.fingerprints)))
    counts = {(r.id, t): fingerprint_count(r, t, None, {}) for r in book.rulesets for t in texts}
    assert any(counts.values())  # some of the texts select a rule set
    for reorder in (lambda tests: tests[::-1], lambda tests: tuple(sorted(tests))):
        monkeypatch.setattr(rulebook, "cheap_tests", lambda ruleset, r=reorder: r(ordered(ruleset)))
        for (rule_id, text), count in counts.items():
            assert fingerprint_count(book.get(rule_id), text, None, {}) == count
