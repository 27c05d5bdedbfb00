"""`cleaner learn`: a rule file proposed from many captures of one site."""
from __future__ import annotations

import pytest

from cleaner.cli import main
from cleaner.document import Capture
from cleaner.errors import CleanerError
from cleaner.pipeline import clean_with
from cleaner.siterules.load import parse_ruleset
from cleaner.upkeep.checks import check_ruleset
from cleaner.upkeep.learn import learn, template_of

STORIES = [
    ("Harbour reopens after storm damage is repaired",
     ["The harbour reopened on Monday after crews repaired the damage the storm did to its piers last month.",
      "Fishing boats returned to their moorings within hours, the harbour master said.",
      "Repairs cost about two million euros, paid for by the regional government."]),
    ("City council approves new cycle lanes downtown",
     ["The city council approved four new cycle lanes through the old town on Tuesday evening.",
      "Shop owners had warned that fewer parking spaces would keep customers away.",
      "Work on the first lane is to start in the spring and take about three months."]),
    ("Library extends opening hours during exam season",
     ["The central library will stay open until midnight for the next six weeks to help students.",
      "Extra staff have been hired, and the reading rooms will be heated at night.",
      "The library said it would review the hours again after the summer."]),
    ("Bus drivers vote to accept new pay deal",
     ["Bus drivers voted by a large majority to accept a pay rise of five percent over two years.",
      "The union said the deal ended a dispute that had led to three days of strikes.",
      "Services are expected to run normally from the start of next week."]),
    ("Museum returns looted statues to their temple",
     ["The national museum handed back two statues taken from a temple during the colonial era.",
      "A delegation from the temple's town received them at a ceremony in the capital.",
      "The museum said more objects in its collection were being researched."]),
]
POPULAR = ["Most read", "Storm warning for the coast", "Mayor opens new park", "Train fares to rise"]


def capture(number: int, story: int | None = None) -> Capture:
    """A capture of the made-up site: menu, headline, date line, story, popular list, footer."""
    headline, paragraphs = STORIES[number if story is None else story]
    day = 3 + number
    lines = ["Home", "News", "Sport", "Culture", headline, f"Posted 1{number}:30, March {day}, 2024",
             *paragraphs, *POPULAR[: 2 + number % 3], "© Coastal Times 2024"]
    slug = headline.lower().replace(" ", "-")
    return Capture("\n\n".join(lines), source=f"capture{number}.txt",
                   url=f"https://www.coastaltimes.example/news/{slug}")


def test_templates_turn_numbers_months_and_quoted_labels_into_patterns():
    assert template_of("Posted 12:30, March 3, 2024") == r"Posted \d[\d,.]*:\d[\d,.]*, \p{L}+ \d[\d,.]*, \d[\d,.]*"
    assert template_of('"World" POPULAR ARTICLE') == '[“"][^“”"\\n]+[”"] POPULAR ARTICLE'
    assert template_of("balitang-marino-new-york-fines.jpg") == r"balitang\-marino\-\S+"


def test_learned_rules_find_the_site_furniture_and_clean_an_unseen_capture():
    proposal = learn([capture(n) for n in range(4)], "coastal")
    ruleset = parse_ruleset(proposal.yaml, "coastal.yaml")
    assert ruleset.hosts == ("coastaltimes.example",)
    assert [rule.name for rule in ruleset.text.cut_after] == ["most_read"]
    assert ruleset.text.published and ruleset.text.title
    assert "# in 4 of 4 stories, e.g. 'Most read'" in proposal.yaml
    assert [str(problem) for problem in check_ruleset(ruleset)] == []
    unseen = clean_with(capture(4), ruleset)  # a story the learner never saw
    assert unseen.paragraphs == STORIES[4][1]
    assert unseen.meta["title"] == STORIES[4][0]
    assert unseen.meta["published"] == "2024-03-07T14:30:00"
    reasons = {line.text: line.reason for line in unseen.decisions}
    assert reasons["Home"].startswith("rule:coastal/") and reasons["Most read"] == "rule:coastal/most_read"


def test_a_story_captured_twice_counts_once():
    twice = [capture(0), capture(1), capture(2, story=0), capture(3, story=1)]
    proposal = learn(twice, "coastal")
    assert "(2 stories)" in proposal.yaml.splitlines()[0]
    # the two stories' own lines recur, but only in one story each: not furniture
    ruleset = parse_ruleset(proposal.yaml, "coastal.yaml")
    assert clean_with(capture(2, story=0), ruleset).paragraphs == STORIES[0][1]


def test_learning_needs_two_text_captures():
    with pytest.raises(CleanerError):
        learn([capture(0)], "coastal")


def test_learn_command_writes_a_new_file_only(tmp_path, capsys):
    folder = tmp_path / "captures"
    folder.mkdir()
    for n in range(3):
        (folder / f"page{n}.txt").write_text(capture(n).text, encoding="utf-8")
    target = tmp_path / "coastal.yaml"
    assert main(["learn", str(folder), "--site", "coastal", "-o", str(target)]) == 0
    assert "review them before use" in capsys.readouterr().err
    parse_ruleset(target.read_text(encoding="utf-8"), str(target))
    assert main(["learn", str(folder), "--site", "coastal", "-o", str(target)]) == 2
    assert "exists already" in capsys.readouterr().err
