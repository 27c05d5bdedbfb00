"""Article file names: readable, stable, and unique per body."""
from __future__ import annotations

from pathlib import Path

from cleaner.sinks.paths import article_path, slugify, with_hash_suffix

SHA = "ab12cd34" + "0" * 56


def test_slug_is_ascii_lower_case_and_cut_at_a_word_boundary():
    assert slugify("Japan, U.S. foreign ministers condemn Russia’s invasion") == (
        "japan-u-s-foreign-ministers-condemn-russias-invasion")
    assert slugify("Über Straße café", limit=60) == "uber-strae-cafe"
    assert slugify("one two three four", limit=10) == "one-two"
    assert slugify("日本語のタイトル") == ""


def test_path_from_site_date_and_title():
    meta = {"site": "Example.COM", "published": "2022-02-26T15:47:00+09:00", "title": "A title",
            "sha256": SHA}
    assert article_path(meta, "x.txt") == Path("example.com/2022-02-26-a-title.md")


def test_path_falls_back_to_the_capture_name_then_the_hash():
    meta = {"site": None, "published": None, "title": None, "sha256": SHA}
    assert article_path(meta, "in/0001_page.txt.gz") == Path("unknown-site/undated-0001-page.md")
    assert article_path({**meta, "title": "日本語"}, "日本.txt") == Path("unknown-site/undated-ab12cd34.md")


def test_hash_suffix_keeps_the_folder_and_extension():
    assert with_hash_suffix(Path("s/2022-01-01-t.md"), SHA) == Path("s/2022-01-01-t-ab12cd34.md")
