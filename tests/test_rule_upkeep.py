"""Rule sets that cannot silently destroy an article, time budgets for their patterns,
drift statistics, and the commands that keep rules healthy (check, stats, fixtures)."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
import regex

from cleaner.cli import main
from cleaner.document import HTML, Capture
from cleaner.pipeline import clean_capture, clean_with
from cleaner.run.local import run
from cleaner.siterules import patterns
from cleaner.siterules.load import load_ruleset, parse_ruleset
from cleaner.siterules.model import LineRule, RuleSet, TextRules
from cleaner.siterules.rulebook import RuleBook
from cleaner.siterules.stats import RuleStats
from cleaner.upkeep.checks import check_ruleset

HEAD = """\
id: site
name: Site
version: 1
site: site.com
match:
  hosts: [site.com]
"""
URL = "https://site.com/news/1"
STORY = [
    ("The city council approved the new budget on Tuesday after a long debate that lasted "
     "well into the evening, with members divided over spending on schools and roads."),
    ("Supporters said the plan would repair roads and bridges that have been neglected for "
     "years, while critics warned that the tax increase would hurt small businesses."),
    ("The mayor is expected to sign the budget next week, and the first projects could "
     "start in the spring if the weather allows the crews to begin on time."),
]
TEASER = ("This week the region watched the vote on the new stadium, which will cost more "
          "than any other building the city has paid for in the last fifty years.")
# A news-feed layout: a sidebar with a teaser and "Show More" before the article.
SIDEBAR_FIRST = "\n\n".join([
    "News Feed", TEASER, "Show More", "Politics", "Council approves the budget", "3 min read",
    *STORY, "Avatar", "Jane Doe", "Read more",
])


def rules_from(tmp_path: Path, body: str, name: str = "site.yaml") -> RuleSet:
    path = tmp_path / name
    path.write_text(HEAD + textwrap.dedent(body), encoding="utf-8")
    return load_ruleset(path)


def clean_text(text: str, ruleset: RuleSet):
    return clean_capture(Capture(text, source="capture.txt", url=URL), RuleBook([ruleset]))


# A rule set cannot silently destroy an article.

def test_a_rule_file_that_cuts_everything_leaves_the_generic_article_and_says_so(tmp_path):
    everything = rules_from(tmp_path, "text:\n  drop_lines: [{name: all, pattern: '.+'}]\n")
    article = clean_text(SIDEBAR_FIRST, everything)
    assert all(paragraph in article.paragraphs for paragraph in STORY)
    assert article.warnings == ("rules:site cut the whole article; generic result kept",)
    assert article.meta["rules"] == "generic" and article.meta["site"] == "site.com"
    assert "generic_kept" in article.rule_report.flags
    assert "most_words_removed" in article.rule_report.flags


def test_a_rule_set_that_keeps_only_a_scrap_is_replaced_too(tmp_path):
    more = [paragraph.replace("budget", "plan") for paragraph in STORY]
    scrap = rules_from(tmp_path, "text:\n  cut_before: [{name: late, pattern: 'The mayor is expected to sign the budget.+'}]\n"
                       "  cut_after: [{name: early, pattern: 'The city council approved the new plan.+'}]\n")
    article = clean_text("\n\n".join([*STORY, *more]), scrap)
    assert article.warnings == (
        "rules:site cut most of the article (29 of 166 words left); generic result kept",)
    assert article.paragraphs == [*STORY, *more]


def test_a_working_rule_set_is_not_second_guessed(tmp_path):
    ruleset = rules_from(tmp_path, """\
        text:
          title: {name: headline, pattern: '(?P<title>.+)(?=\\n\\d+ min read$)'}
          cut_before: [{name: section, pattern: '.+(?=\\n.+\\n\\d+ min read$)'}]
          drop_lines: [{name: reading_time, pattern: '\\d+ min read'}]
          cut_after: [{name: end, pattern: 'Show More|Avatar'}]
    """)
    article = clean_text(SIDEBAR_FIRST, ruleset)
    assert article.warnings == ()
    assert article.meta["rules"] == "site@1"
    assert article.meta["title"] == "Council approves the budget"
    assert article.paragraphs == STORY  # the teaser goes with the sidebar, the box after


def test_cut_after_marker_above_the_article_start_does_not_cut_it(tmp_path):
    ruleset = rules_from(tmp_path, """\
        text:
          title: {name: headline, pattern: '(?P<title>.+)(?=\\n\\d+ min read$)'}
          cut_after: [{name: end, pattern: 'Show More'}]
    """)
    article = clean_text(SIDEBAR_FIRST, ruleset)
    assert STORY[2] in article.paragraphs and not article.warnings
    assert "cut_after_out_of_place" in article.rule_report.flags


def test_cut_before_marker_below_the_article_end_does_not_cut_it(tmp_path):
    # No headline rule: the generic main run stands for the article.
    ruleset = rules_from(tmp_path, "text:\n  cut_before: [{name: start, pattern: 'Read more'}]\n")
    article = clean_text("\n\n".join([*STORY, "Read more", "Other story teaser"]), ruleset)
    assert article.paragraphs[: len(STORY)] == STORY
    assert "cut_before_out_of_place" in article.rule_report.flags


def test_cut_markers_in_place_still_cut(tmp_path):
    ruleset = rules_from(tmp_path, """\
        text:
          cut_before: [{name: start, pattern: 'Politics'}]
          cut_after: [{name: end, pattern: 'Avatar'}]
    """)
    article = clean_text(SIDEBAR_FIRST, ruleset)
    dropped = {line.text: line.reason for line in article.decisions if not line.kept}
    assert dropped[TEASER] == "rule:site/start" and dropped["Jane Doe"] == "rule:site/end"
    assert dict(article.rule_report.hits)["start"] == 3


# Time budgets.

SLOW = regex.compile(r"^(?:(a|a)+$)$", regex.MULTILINE)  # built here: the loader refuses it


def slow_ruleset(**fields) -> RuleSet:
    return RuleSet(id="slow", name="Slow", version=1, site=None, path="slow.yaml", **fields)


def test_a_rule_over_its_time_budget_is_skipped_and_named(monkeypatch):
    monkeypatch.setattr(patterns, "RULE_TIMEOUT", 0.05)
    monkeypatch.setattr(patterns, "RULE_TIMEOUT_PER_MB", 0.0)
    ruleset = slow_ruleset(hosts=("site.com",),
                           text=TextRules(drop_lines=(LineRule("runaway", SLOW),)))
    article = clean_with(Capture("a" * 40 + "b\n\n" + "\n\n".join(STORY), url=URL), ruleset)
    assert article.paragraphs[-len(STORY):] == STORY
    assert any("rule:slow/runaway took over 0.05 s" in w for w in article.warnings)
    assert "rule_timeout" in article.rule_report.flags


def test_a_fingerprint_over_its_time_budget_counts_as_not_found(monkeypatch):
    monkeypatch.setattr(patterns, "RULE_TIMEOUT", 0.05)
    monkeypatch.setattr(patterns, "RULE_TIMEOUT_PER_MB", 0.0)
    book = RuleBook([slow_ruleset(fingerprints=(SLOW,))])
    warnings: list[str] = []
    assert book.select(None, "a" * 40 + "b", warnings) is None
    assert warnings == ["rule:slow/fingerprints[0] took over 0.05 s on this capture and was skipped"]
    article = clean_capture(Capture("a" * 40 + "b\n\n" + "\n\n".join(STORY)), book)
    assert article.warnings and article.meta["rules"] == "generic"


# Drift statistics.

def test_rule_stats_count_claims_firings_and_what_looked_wrong(tmp_path):
    ruleset = rules_from(tmp_path, """\
        text:
          title: {name: headline, pattern: '(?P<title>.+)(?=\\n\\d+ min read$)'}
          cut_after: [{name: end, pattern: 'Avatar'}, {name: popular, pattern: 'POPULAR'}]
    """)
    stats = RuleStats()
    stats.add(clean_text(SIDEBAR_FIRST, ruleset))
    stats.add(clean_text("\n\n".join(["Old layout headline", *STORY]), ruleset))
    stats.add(clean_capture(Capture("\n\n".join(STORY), source="other.txt")))  # unclaimed
    figures = stats.to_dict()["site"]
    assert figures["claimed"] == 2
    assert figures["fired"] == {"end": 1, "headline": 1, "popular": 0}
    assert figures["looked_wrong"]["no_title"] == {"captures": 1, "examples": ["capture.txt"]}
    assert figures["looked_wrong"]["cut_after_not_found"]["captures"] == 1
    assert RuleStats.from_dict(json.loads(json.dumps(stats.to_dict()))).to_dict() == stats.to_dict()
    lines = stats.lines()
    assert lines[0] == "rules site: 2 captures; fired: end 1/2, headline 1/2, popular 0/2"


def test_the_run_reports_rule_stats_warnings_and_the_stats_command_repeats_them(tmp_path, capsys):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "site.yaml").write_text(HEAD + "text:\n  drop_lines: [{name: all, pattern: '.+'}]\n")
    captures = tmp_path / "in"
    captures.mkdir()
    (captures / "a.txt").write_text(SIDEBAR_FIRST, encoding="utf-8")
    (captures / "a.meta.json").write_text(json.dumps({"url": URL}))
    out = tmp_path / "out"
    assert main(["clean", str(captures), "-o", str(out), "--rules", str(rules), "--jobs", "1"]) == 0
    console = capsys.readouterr().err
    [row] = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    assert row["status"] == "written"
    assert row["warnings"] == ["rules:site cut the whole article; generic result kept"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["warnings"] == 1
    assert summary["rules"]["site"]["looked_wrong"]["generic_kept"]["captures"] == 1
    assert "1 with warnings" in console and "rules site: 1 captures; fired: all 1/1" in console
    assert main(["rules", "stats", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.splitlines() == RuleStats.from_output(out).lines()
    assert "generic_kept on 1 of 1" in printed
    assert main(["explain", str(captures / "a.txt"), "--rules", str(rules)]) == 0
    assert "warning: rules:site cut the whole article" in capsys.readouterr().out


def test_manifest_lines_without_warnings_have_no_warnings_key(tmp_path):
    (tmp_path / "a.txt").write_text("\n\n".join(STORY), encoding="utf-8")
    run([tmp_path / "a.txt"], tmp_path / "out", dedup=False)
    row = json.loads((tmp_path / "out" / "manifest.jsonl").read_text())
    assert "warnings" not in row


# Checks run through the whole cleaning, HTML ones too.

PAGE = """<!doctype html><html><head><title>Budget</title></head><body>
<nav><a href="/">Home</a> <a href="/p">Politics</a></nav>
<article><h1>Council approves the budget</h1>
<div class="story">{story}</div>
<aside class="promo"><p>Become a member today and support independent local news.</p></aside>
</article></body></html>"""


def test_html_checks_run_through_the_whole_cleaning(tmp_path):
    story = "".join(f"<p>{p}</p>" for p in STORY)
    check = {"capture": PAGE.format(story=story), "url": URL,
             "keep": [STORY[0]], "drop": ["Become a member today and support independent local news.",
                                          "Not on the page"],
             "meta": {"title": "Council approves the budget"}}
    import yaml

    ruleset = rules_from(tmp_path, "html:\n  strip: [{name: promo, selector: aside.promo}]\n"
                         "  title: article h1\n" + yaml.safe_dump({"checks": [check]}))
    problems = [str(p) for p in check_ruleset(ruleset)]
    assert problems == [f"{ruleset.path}:{ruleset.checks[0].line}: line not in the sample: 'Not on the page'"]
    assert clean_with(Capture(check["capture"], kind=HTML, url=URL), ruleset).rule_report.hits == (
        ("html:article h1", 1), ("html:promo", 1))


def test_rules_check_command_reports_file_line_and_fails(tmp_path, capsys):
    (tmp_path / "good.yaml").write_text(HEAD)
    other = HEAD.replace("id: site", "id: other").replace("[site.com]", "[other.com]")
    (tmp_path / "bad.yaml").write_text(other + "html:\n  strp: [aside]\n")
    assert main(["rules", "check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"{tmp_path / 'bad.yaml'}:8: (key 'html.strp') unknown key 'strp'; did you mean 'strip'?" in out
    (tmp_path / "bad.yaml").unlink()
    assert main(["rules", "check", str(tmp_path)]) == 0


def test_bundled_rules_pass_the_check_command(capsys):
    assert main(["rules", "check"]) == 0


# Fixtures for users' own rules.

def test_fixtures_add_check_update_loop(tmp_path, capsys):
    capture = tmp_path / "crawl" / "page.txt"
    capture.parent.mkdir()
    capture.write_text("\n\n".join(["Council approves the budget", *STORY]), encoding="utf-8")
    (tmp_path / "crawl" / "page.meta.json").write_text(json.dumps({"url": URL}))
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "site.yaml").write_text(HEAD)
    fixtures = tmp_path / "fixtures"
    common = ["--fixtures", str(fixtures), "--rules", str(rules)]
    assert main(["fixtures", "add", str(capture), "--site", "site", *common]) == 0
    expected = fixtures / "site" / "page.expected.md"
    assert (fixtures / "site" / "page.meta.json").exists()
    assert "source: fixtures/site/page.txt" in expected.read_text()
    assert main(["fixtures", "check", *common]) == 0
    (rules / "site.yaml").write_text(HEAD + "text:\n  drop_lines: [{name: mayor, pattern: 'The mayor.+'}]\n")
    assert main(["fixtures", "check", *common]) == 1
    assert "-" + STORY[2] in capsys.readouterr().out
    assert main(["fixtures", "update", *common]) == 1  # rewritten: still a failure to review
    assert STORY[2] not in expected.read_text()
    assert main(["fixtures", "check", *common]) == 0
    assert main(["fixtures", "add", str(capture), "--site", "site", *common]) == 2  # exists


def test_parse_ruleset_names_its_source():
    with pytest.raises(Exception) as caught:
        parse_ruleset("id: x\n", "inline.yaml")
    assert "inline.yaml" in str(caught.value)


def test_stream_lines_carry_the_warnings(tmp_path):
    import io

    from cleaner.run.stream import clean_json_lines

    everything = rules_from(tmp_path, "text:\n  drop_lines: [{name: all, pattern: '.+'}]\n")
    line = json.dumps({"url": URL, "text": SIDEBAR_FIRST}) + "\n"
    [record] = clean_json_lines(io.BytesIO(line.encode()), rules=RuleBook([everything]))
    assert record["status"] == "written"
    assert record["warnings"] == ["rules:site cut the whole article; generic result kept"]
