"""Front matter: written directly for the usual values, always the text PyYAML writes."""
from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.frontmatter import WIDTH, Dumper, _fast_dump, dump_front_matter, split_front_matter
from cleaner.text.safety import safe_value

# Characters that make YAML interesting: indicators, quotes, spaces, colons, hashes,
# digits, letters of other scripts, line and paragraph separators, emoji, controls.
ALPHABET = st.sampled_from(list(
    "ab Z09:#-?'\"[]{},&*!|>%@`~.=<\t\n\xa0é’“中\u2028\U0001F642\x00\x85\ufeff"
))
TEXT = st.text(ALPHABET, max_size=12) | st.sampled_from(
    ["yes", "No", "null", "~", "2022", "1.5", "2022-02-26", "12:30", "0x1f", "<<", "="])
VALUE = st.none() | st.booleans() | st.integers() | TEXT | st.lists(TEXT, max_size=3) | st.lists(
    st.dictionaries(st.sampled_from(["source", "url"]), TEXT, min_size=1), max_size=2)
META = st.dictionaries(st.sampled_from(["title", "published", "authors", "site", "url",
                                        "duplicates", "yes", "x y"]), VALUE, max_size=6)


def pyyaml(meta: dict) -> str:
    return yaml.dump(meta, Dumper=Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=WIDTH)


@settings(max_examples=300, deadline=None)
@given(META)
def test_direct_writing_gives_what_pyyaml_writes_or_leaves_it_to_pyyaml(meta):
    fast = _fast_dump(meta)
    assert fast is None or fast == pyyaml(meta)
    assert dump_front_matter(meta) == pyyaml(safe_value(meta))  # made safe first


def test_the_usual_front_matter_is_written_directly_and_reads_back():
    meta = {
        "title": "Japan, U.S. foreign ministers: a talk", "published": "2022-02-26T15:47:00+09:00",
        "authors": ["Jane Doe", "Jo O'Neill"], "site": "example.org", "url": "https://a.org/x#y",
        "language": None, "word_count": 192, "duplicates": [{"source": "a.txt", "url": "https://a.org/x"}],
    }
    text = _fast_dump(meta)
    assert text is not None and text == pyyaml(meta)
    assert split_front_matter(f"---\n{text}---\n\nbody\n")[0] == meta
