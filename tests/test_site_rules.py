"""Applying site text rules to Documents (cleaner.siterules.apply_text) and the bundled rules' checks."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from cleaner.document import Capture, Document
from cleaner.frontmatter import split_front_matter
from cleaner.siterules.apply_text import apply_site_rules, run_rules
from cleaner.siterules.load import load_ruleset
from cleaner.siterules.model import RuleSet
from cleaner.siterules.rulebook import default_rulebook
from cleaner.sources.files import capture_name, find_captures
from cleaner.text.lines import split_lines
from cleaner.upkeep.checks import check_ruleset

from .conftest import FIXTURES

HEAD = """\
id: site
name: Site
version: 1
site: site.com
match:
  hosts: [site.com]
"""


def ruleset(tmp_path: Path, rules: str) -> RuleSet:
    path = tmp_path / "site.yaml"
    path.write_text(HEAD + textwrap.dedent(rules), encoding="utf-8")
    return load_ruleset(path)


def decisions(rules: RuleSet, text: str) -> tuple[list[tuple[str, str | None]], dict]:
    doc = run_rules(rules, textwrap.dedent(text))
    return [(line.text, line.reason) for line in doc.lines], doc.meta


def test_no_rule_set_changes_nothing():
    doc = Document(Capture("a\nb"), split_lines("a\nb"))
    apply_site_rules(doc)
    assert doc.kept() == [0, 1] and doc.meta == {}


def test_cut_after_drops_the_first_matching_line_and_all_after(tmp_path):
    rules = ruleset(tmp_path, """\
        text:
          cut_after:
            - name: popular
              pattern: '"[^"]+" POPULAR ARTICLE'
            - 'RANKING'
    """)
    lines, _ = decisions(rules, 'Story.\nMore story.\nRANKING\n"Sports" POPULAR ARTICLE\n-\nTeaser\n')
    assert lines == [
        ("Story.", None), ("More story.", None), ("RANKING", "rule:site/cut_after"),
        ('"Sports" POPULAR ARTICLE', "rule:site/cut_after"), ("-", "rule:site/cut_after"),
        ("Teaser", "rule:site/cut_after"),
    ]


def test_cut_patterns_match_whole_lines_only(tmp_path):
    rules = ruleset(tmp_path, "text:\n  cut_after: ['RANKING']\n  drop_lines: ['Share']\n")
    lines, _ = decisions(rules, "The RANKING of teams.\nShare this.\nStory.")
    assert all(reason is None for _, reason in lines)


def test_cut_before_drops_every_line_before_the_match(tmp_path):
    rules = ruleset(tmp_path, "text:\n  cut_before: [{name: menu, pattern: '.+(?=\\n\\d+ min read$)'}]\n")
    lines, _ = decisions(rules, "Home\nNews\nHeadline\n3 min read\nStory.")
    assert [reason for _, reason in lines] == ["rule:site/menu", "rule:site/menu", None, None, None]


def test_drop_lines_drops_every_match_and_may_span_lines(tmp_path):
    rules = ruleset(tmp_path, """\
        text:
          drop_lines:
            - {name: share, pattern: 'Share on (?:X|Facebook)'}
            - {name: ad, pattern: 'Advertisement\\nSkip ad'}
    """)
    lines, _ = decisions(rules, "Share on X\nStory.\nAdvertisement\nSkip ad\nShare on Facebook\nEnd.")
    assert [reason for _, reason in lines] == [
        "rule:site/share", None, "rule:site/ad", "rule:site/ad", "rule:site/share", None]


def test_drop_blocks_from_start_to_next_end(tmp_path):
    rules = ruleset(tmp_path, """\
        text:
          drop_blocks:
            - {name: author_box, start: 'About the author', end: 'Contact .+'}
    """)
    lines, _ = decisions(rules, """\
        Story.
        About the author
        Jane Doe writes.
        Contact jane@example.com
        More story.
        About the author
        Unterminated box stays.
    """)
    assert [reason for _, reason in lines] == [
        None, "rule:site/author_box", "rule:site/author_box", "rule:site/author_box",
        None, None, None]


def test_published_is_lifted_with_format_and_timezone(tmp_path):
    rules = ruleset(tmp_path, """\
        text:
          published:
            - pattern: '(?P<date>\\d{1,2}:\\d\\d JST, [A-Z][a-z]+ \\d{1,2}, \\d{4})'
              format: '%H:%M JST, %B %d, %Y'
              timezone: Asia/Tokyo
    """)
    lines, meta = decisions(rules, "Title\n15:47 JST, February 26, 2022\nStory.")
    assert meta["published"] == "2022-02-26T15:47:00+09:00"
    assert lines[1] == ("15:47 JST, February 26, 2022", "rule:site/published")


def test_published_date_only_format_and_keep_line(tmp_path):
    rules = ruleset(tmp_path, """\
        text:
          published:
            - name: dateline
              pattern: '(?P<date>[A-Z][a-z]+ \\d{1,2},\\s?\\d{4}) .*'
              format: ['%B %d,%Y', '%B %d, %Y']
              keep_line: true
    """)
    lines, meta = decisions(rules, "Story.\nJanuary 12,2023 was the day.")
    assert meta["published"] == "2023-01-12"
    assert all(reason is None for _, reason in lines)


def test_unparseable_date_is_neither_lifted_nor_dropped(tmp_path):
    rules = ruleset(tmp_path, """\
        text:
          published: [{pattern: 'Date: (?P<date>.+)', format: '%Y-%m-%d'}]
    """)
    lines, meta = decisions(rules, "Date: soon\nStory.")
    assert "published" not in meta and lines[0][1] is None


def test_authors_are_split_and_collected(tmp_path):
    rules = ruleset(tmp_path, """\
        text:
          authors:
            - {name: byline, pattern: 'By (?P<authors>.+)'}
    """)
    lines, meta = decisions(rules, "By Ann Lee, Bo Kim and Cy Ng\nStory.\nBy Bo Kim & Di Wu")
    assert meta["authors"] == ["Ann Lee", "Bo Kim", "Cy Ng", "Di Wu"]
    assert [reason for _, reason in lines] == ["rule:site/byline", None, "rule:site/byline"]


def test_title_first_matching_rule_wins_and_keep_line(tmp_path):
    rules = ruleset(tmp_path, """\
        text:
          title:
            - {name: headline, pattern: '(?P<title>.+)(?=\\n\\d+ min read$)'}
            - first_line
    """)
    lines, meta = decisions(rules, "Menu\nBig news\n2 min read\nStory.")
    assert meta["title"] == "Big news" and lines[1] == ("Big news", "rule:site/headline")
    lines, meta = decisions(rules, "Only line one\nStory.")
    assert meta["title"] == "Only line one" and lines[0][1] == "rule:site/title"
    kept = ruleset(tmp_path, "text:\n  title: {pattern: '\\A(?P<title>.+)', keep_line: true}\n")
    lines, meta = decisions(kept, "Headline\nStory.")
    assert meta["title"] == "Headline" and lines[0][1] is None


def test_known_metadata_is_not_overwritten(tmp_path):
    rules = ruleset(tmp_path, "text:\n  title: first_line\n")
    doc = Document(Capture("Other\nStory."), split_lines("Other\nStory."), {"title": "Known"}, rules)
    apply_site_rules(doc)
    assert doc.meta["title"] == "Known"


def test_first_reason_wins_in_the_documented_order(tmp_path):
    rules = ruleset(tmp_path, """\
        text:
          published: [{pattern: '(?P<date>\\d{4}-\\d\\d-\\d\\d)', format: '%Y-%m-%d'}]
          drop_lines: [{name: any_line, pattern: '.+'}]
          cut_after: ['2022-01-02']
    """)
    lines, meta = decisions(rules, "Story.\n2022-01-02\nTail")
    assert [reason for _, reason in lines] == [
        "rule:site/any_line", "rule:site/published", "rule:site/any_line"]
    assert meta["published"] == "2022-01-02"


def test_rules_match_the_kept_lines_only(tmp_path):
    rules = ruleset(tmp_path, "text:\n  drop_lines: ['(?<=^Menu\\n)Home']\n")
    doc = Document(Capture(""), split_lines("Menu\nHome\nStory."), ruleset=rules)
    doc.drop(0, "nav")
    apply_site_rules(doc)
    assert doc.lines[1].reason is None


@pytest.mark.parametrize("rules", default_rulebook().rulesets, ids=lambda r: r.id)
def test_bundled_rule_file_checks_pass(rules):
    assert [str(problem) for problem in check_ruleset(rules)] == []


STORY = [
    "The council approved the budget on Tuesday after a debate that lasted well into the evening.",
    "Supporters said the plan would repair roads and bridges that had been neglected for years.",
    "Critics warned that the tax increase would hurt the small businesses of the old town.",
]


def test_a_wrong_check_fails(tmp_path):
    check = {
        "capture": "\n".join(["Headline", "Share", *STORY, "Photo: Jane Doe"]),
        "keep": ["Share", "Not in the sample", "Photo: Jane Doe"],
        "drop": [STORY[0]],
        "meta": {"title": "Other"},
    }
    rules = ruleset(tmp_path, "text:\n  drop_lines: ['Share']\n  title: {pattern: '\\A(?P<title>.+)'}\n"
                    + yaml.safe_dump({"checks": [check]}))
    problems = [str(p) for p in check_ruleset(rules)]
    assert len(problems) == 6, problems
    assert all(p.startswith(f"{rules.path}:") for p in problems)
    assert "dropped (rule:site/drop_lines) but must stay: 'Share'" in problems[0]
    assert "not in the sample" in problems[1]
    # checks run the whole cleaning: the generic heuristics drop a bare credit line
    assert "dropped (credit_line) but must stay: 'Photo: Jane Doe'" in problems[2]
    assert "kept but must be dropped: 'The council approved" in problems[3]
    assert "meta title" in problems[4]
    # A title rule that takes whatever comes first would eat a clean body line by line.
    assert "cleaning the article again changes it" in problems[5]


def fixture_articles() -> list[Path]:
    return sorted(
        path.with_name(capture_name(path)[0] + ".expected.md")
        for path in find_captures([FIXTURES])
    )


@pytest.mark.parametrize("article", fixture_articles(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_site_rules_leave_a_clean_article_unchanged(article):
    if not article.exists():
        pytest.skip("expected article not written yet")
    front, body = split_front_matter(article.read_text(encoding="utf-8"))
    rules = default_rulebook().get(article.parent.name)
    doc = run_rules(rules, body)
    assert [line.text for line in doc.lines if not line.kept] == []
    assert default_rulebook().select(None, article.read_text(encoding="utf-8")) is rules
    assert front["rules"] == rules.label


def test_a_block_ends_below_its_start_line(tmp_path):
    rules = ruleset(tmp_path, "text:\n  drop_blocks: [{start: 'Box', end: 'Box|End'}]\n")
    lines, _ = decisions(rules, "Story.\nBox\nInside.\nEnd\nMore.")
    assert [reason is None for _, reason in lines] == [True, False, False, False, True]


def test_of_several_cut_before_markers_above_the_article_the_nearest_cuts(tmp_path):
    rules = ruleset(tmp_path, """\
        text:
          title: {name: headline, pattern: '(?P<title>.+)(?=\\n\\d+ min read$)'}
          cut_before: ['Menu', 'Section: .+']
    """)
    lines, meta = decisions(rules, "Menu\nHome\nSection: Politics\nTrending\nHeadline\n3 min read\nStory.")
    # "Menu" is in place too, but the nearest marker above the article is the one that cuts
    assert [reason for _, reason in lines] == [
        "rule:site/cut_before", "rule:site/cut_before", None, None, "rule:site/headline", None, None]
    assert meta["title"] == "Headline"
